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

// A quick report of faulty-host runs the experiment's own quick sweep: 100
// nodes with the fleet-wide source at the host's rate over 100 (not the
// 1,000-node sweep's 1e-5 on a fleet cut to 100 nodes), its points shown
// by their labels.
func TestReportQuickFaultyHost(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r")
	if code, _, errText := runCLI("report", "--quick", "--experiment", "faulty-host", "--workers", "2", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errText)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"nodes: 100\n", `prob: 0.0001,`, `group: \"7\", direction: out, prob: 0.01,`, "| source=one host checksum=sum8 | 3 |", "against source and checksum"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}
