package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad report requests are refused before anything runs: exit 2, one line,
// nothing written.
func TestReportBadInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r")
	cases := [][]string{
		{"report"},
		{"report", "--out", out, "--experiment", "nope"},
		{"report", "--out", out, "--experiment", "scale", "--scenario", "x.yaml"},
		{"report", "--out", out, "--scenario", filepath.Join(dir, "missing.yaml")},
		{"report", "--out", out, "--dpi", "10"},
		{"report", "--out", out, "--plot-format", "gif"},
	}
	for _, args := range cases {
		code, _, errText := runCLI(args...)
		if code != 2 || strings.Count(strings.TrimSpace(errText), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, code, errText)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: %s was created", args, out)
		}
	}
	// An existing report is not overwritten.
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, "report.md"), []byte("mine"), 0o644)
	if code, _, errText := runCLI("report", "--quick", "--out", out); code != 2 || !strings.Contains(errText, "holds a report already") {
		t.Errorf("existing report: exit %d, %q", code, errText)
	}
}
