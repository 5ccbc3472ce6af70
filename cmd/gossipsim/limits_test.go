package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A run that cannot fit in memory is refused before it starts: exit 2, one
// line with the estimate and the limit, nothing written.
func TestMemoryGuard(t *testing.T) {
	out := filepath.Join(t.TempDir(), "big")
	code, _, errText := runCLI("run", "--nodes", "3000", "--max-memory", "50MB", "--out", out)
	if code != 2 || !strings.Contains(errText, "3000 nodes") || !strings.Contains(errText, "--max-memory is 50.0 MB") ||
		strings.Count(strings.TrimSpace(errText), "\n") > 0 {
		t.Errorf("exit %d, stderr %q", code, errText)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s exists after a refused run", out)
	}
	code, _, errText = runCLI("sweep", "--grid", "nodes=100,3000", "--replicates", "2", "--workers", "2", "--max-memory", "200MB", "--out", out)
	if code != 2 || !strings.Contains(errText, "3000 nodes") || strings.Contains(errText, "runs at once") {
		t.Errorf("sweep: exit %d, stderr %q", code, errText)
	}
	if code, text, _ := runCLI("run", "--nodes", "60", "--duration", "30s", "--max-events", "500", "--quiet"); code != 0 || !strings.Contains(text, "STOPPED EARLY     at --max-events") {
		t.Errorf("--max-events: exit %d, output %q", code, text)
	}
}
