package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadTopologyAndFaultsExitTwo: a bad --topology, --faults,
// --latency-matrix, --churn or per-class flag exits 2 with one line that
// names the file and line where there is one, and writes nothing.
func TestBadTopologyAndFaultsExitTwo(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badGroup := write("group.yaml", "- at: 1s\n  until: 5s\n  partition: {from: \"zone:0\", to: \"zone:5\"}\n")
	overlap := write("overlap.yaml", "- at: 1s\n  until: 10s\n  crash: {nodes: 3}\n- at: 5s\n  crash: {nodes: 2-4}\n")
	badMatrix := write("m.csv", ",zone:0,zone:1\nzone:0,1,x\nzone:1,1,1\n")
	badChurn := write("churn.csv", "3,10,5\n")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"bad layout", []string{"--topology", "zones=3,racks=2"}, []string{"topology", "zones=3,racks=2", "racks-per-zone"}},
		{"more racks than nodes", []string{"--nodes", "10", "--topology", "zones=4,racks-per-zone=3"}, []string{"12 racks for 10 nodes"}},
		{"missing layout file", []string{"--topology", "file:" + filepath.Join(dir, "none.csv")}, []string{"none.csv", "no such file"}},
		{"unknown group", []string{"--topology", "zones=3", "--faults", badGroup}, []string{"group.yaml:3: partition.to", `"zone:5" does not exist (zones 0-2)`}},
		{"overlapping crashes", []string{"--faults", overlap}, []string{"overlap.yaml:5: crash.nodes", "node 3 is already down"}},
		{"missing faults file", []string{"--faults", filepath.Join(dir, "none.yaml")}, []string{"none.yaml", "no such file"}},
		{"bad matrix", []string{"--topology", "zones=2", "--latency-matrix", badMatrix}, []string{"m.csv:2: column 3", `"x"`}},
		{"bad churn", []string{"--churn", badChurn}, []string{"churn.csv:1: up_at", "not after"}},
		{"class without topology", []string{"--loss-cross-zone", "0.1"}, []string{"loss-cross-zone", "no topology"}},
		{"class loss of 1", []string{"--topology", "zones=2", "--loss-same-zone", "1"}, []string{"loss-same-zone", `"1"`, "[0, 1)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append(append([]string{"run"}, fast...), tc.args...)
			code, _, stderr := runCLI(append(args, "--out", out)...)
			checkBadInput(t, code, stderr, tc.want)
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Error("--out directory was created for bad input")
			}
		})
	}
}

// TestExampleTopologyScenarioRuns: the shipped example scenario, shortened,
// runs from the repository root and its schedule acts.
func TestExampleTopologyScenarioRuns(t *testing.T) {
	root, _ := filepath.Abs("../..")
	t.Chdir(root)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runCLI("run", "--quiet", "--scenario", "experiments/scenarios/zones3.yaml", "--nodes", "60", "--duration", "130s", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, line := range []string{"  false failures    ", " across zones\n", "  partitioned       "} {
		if !strings.Contains(stdout, line) {
			t.Errorf("the text summary has no %q:\n%s", line, stdout)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"messages_partitioned": `) {
		t.Errorf("summary.json has no messages_partitioned:\n%s", b)
	}
}

// TestPrintScenarioRoundTripsSchedules: --print-scenario writes a schedule
// given with --faults as the scenario's faults list, and the printed file
// prints back the same and runs to the same summary.json.
func TestPrintScenarioRoundTripsSchedules(t *testing.T) {
	dir := t.TempDir()
	faults := filepath.Join(dir, "f.yaml")
	os.WriteFile(faults, []byte("- at: 5s\n  until: 20s\n  partition: {from: \"zone:0\", to: \"zone:1\", oneway: true}\n- at: 10s\n  until: 30s\n  crash: {rack: 1/1}\n"), 0o644)
	args := []string{"run", "--model", "heartbeat", "--nodes", "24", "--duration", "40s", "--topology", "zones=2,racks-per-zone=2", "--loss-cross-zone", "0.05", "--faults", faults}
	code, first, stderr := runCLI(append(args, "--print-scenario")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(first, "faults:\n  - at: 5s\n    until: 20s\n    partition: {from: \"zone:0\", to: \"zone:1\", oneway: true}\n  - at: 10s\n    until: 30s\n    crash: {group: \"rack:1/1\"}\n") {
		t.Fatalf("printed scenario has no faults list:\n%s", first)
	}
	printed := filepath.Join(dir, "printed.yaml")
	os.WriteFile(printed, []byte(first), 0o644)
	code, second, stderr := runCLI("run", "--scenario", printed, "--print-scenario")
	if code != 0 || second != first {
		t.Fatalf("exit %d (%s); printed again:\n%s\nwant\n%s", code, stderr, second, first)
	}
	outA, outB := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if code, _, stderr := runCLI(append(args, "--quiet", "--out", outA)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI("run", "--quiet", "--scenario", printed, "--out", outB); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(filepath.Join(outA, "summary.json"))
	b, _ := os.ReadFile(filepath.Join(outB, "summary.json"))
	if string(a) != string(b) || !strings.Contains(string(a), "messages_partitioned") {
		t.Errorf("the flags and the printed scenario ran differently:\n%s\n%s", a, b)
	}
}
