package main

import (
	"encoding/json"
	"fmt"
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

// TestRunTellsTheStory: run's text summary names the bad values spread.csv
// holds, the reach of the first, and whether and when the gossip stormed,
// as explain does from the files.
func TestRunTellsTheStory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, stdout, stderr := runCLI("run", "--quiet", "--nodes", "200", "--duration", "120s", "--corrupt-prob", "1e-3", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := readCSV(t, filepath.Join(dir, "spread.csv"))[1:]
	values, reach0 := map[string]bool{}, map[string]bool{}
	for _, row := range rows {
		values[row[0]] = true
		if row[0] == "0" {
			reach0[row[6]] = true // node
		}
	}
	if len(values) == 0 {
		t.Fatal("no bad value: the test exercises nothing")
	}
	want := fmt.Sprintf("  bad values        %d (", len(values))
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, fmt.Sprintf("reached %d nodes\n", len(reach0))) {
		t.Errorf("summary lacks %q and the first value's reach %d:\n%s", want, len(reach0), stdout)
	}
	code, story, stderr := runCLI("explain", dir)
	if code != exitOK {
		t.Fatalf("explain: exit %d: %s", code, stderr)
	}
	_, after, ok := strings.Cut(story, "The storm began at t = ")
	if !ok {
		t.Fatalf("this run storms, but explain says:\n%s", story)
	}
	start, _, _ := strings.Cut(after, ".")
	if !strings.Contains(stdout, "  storm             from "+start+" s (gossip at 10×") {
		t.Errorf("summary does not say the storm began at %s s:\n%s", start, stdout)
	}
}
