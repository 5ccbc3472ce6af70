package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --print-scenario writes a file that --scenario runs to the same summary,
// and flags on the command line override the file.
func TestScenarioFileCLI(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.yaml")
	code, out, errText := runCLI("run", "--nodes", "60", "--duration", "40s", "--corrupt-prob", "1e-3", "--print-scenario")
	if code != 0 {
		t.Fatalf("print-scenario: exit %d: %s", code, errText)
	}
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	_, direct, _ := runCLI("run", "--nodes", "60", "--duration", "40s", "--corrupt-prob", "1e-3", "--format", "json", "--quiet")
	code, viaFile, errText := runCLI("run", "--scenario", file, "--format", "json", "--quiet")
	if code != 0 {
		t.Fatalf("run --scenario: exit %d: %s", code, errText)
	}
	if strip(direct) != strip(viaFile) {
		t.Errorf("the scenario file ran differently from the flags:\n%s\n%s", direct, viaFile)
	}
	// A flag overrides the file.
	_, over, _ := runCLI("run", "--scenario", file, "--nodes", "70", "--print-scenario")
	if !strings.Contains(over, "\nnodes: 70\n") || !strings.Contains(over, "\nduration: 40s\n") {
		t.Errorf("--nodes 70 over the file: printed\n%s", over)
	}
	// A bad file: exit 2, one line naming the file, the line and the key.
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("nodes: 60\nfanout: many\n"), 0o644)
	code, _, errText = runCLI("run", "--scenario", bad)
	if code != 2 || !strings.Contains(errText, "bad.yaml:2: fanout:") || strings.Count(strings.TrimSpace(errText), "\n") > 0 {
		t.Errorf("bad file: exit %d, stderr %q", code, errText)
	}
}

// strip drops the wall-clock figures the JSON output appends.
func strip(s string) string {
	if i := strings.Index(s, `,"wall_seconds"`); i >= 0 {
		return s[:i]
	}
	return s
}
