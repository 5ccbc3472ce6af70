package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestExplainCommand: explain on a run directory names summary.json's
// trigger time; a bad directory is one line on stderr and exit status 2;
// --help reads cold and the top-level help lists the command.
func TestExplainCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := runCLI("run", "--nodes", "60", "--duration", "90s", "--corrupt-prob", "2e-3", "--quiet", "--out", dir); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Trigger *float64 `json:"trigger_time_s"`
	}
	if err := json.Unmarshal(b, &s); err != nil || s.Trigger == nil {
		t.Fatalf("summary.json: trigger %v, %v", s.Trigger, err)
	}
	code, stdout, stderr := runCLI("explain", dir)
	if code != 0 {
		t.Fatalf("explain: exit %d: %s", code, stderr)
	}
	if want := "(trigger_time_s " + strconv.FormatFloat(*s.Trigger, 'f', -1, 64) + ")"; !strings.Contains(stdout, want) {
		t.Fatalf("explain says\n%s\nwithout %q", stdout, want)
	}
	for _, args := range [][]string{{"explain", filepath.Join(dir, "missing")}, {"explain", t.TempDir()}, {"explain"}, {"explain", dir, dir}} {
		code, stdout, stderr := runCLI(args...)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line", args, code, stdout, stderr)
		}
	}
	if code, stdout, _ := runCLI("explain", "--help"); code != 0 || !strings.Contains(stdout, "Usage: gossipsim explain DIR") {
		t.Errorf("explain --help: exit %d:\n%s", code, stdout)
	}
	if code, stdout, _ := runCLI("help"); code != 0 || !strings.Contains(stdout, "gossipsim explain DIR") {
		t.Errorf("help does not list explain:\n%s", stdout)
	}
}
