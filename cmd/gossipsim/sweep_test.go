package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var tinySweep = []string{"--nodes", "30", "--duration", "30s", "--replicates", "2", "--quiet"}

func TestSweepBadInput(t *testing.T) {
	root := t.TempDir()
	done := filepath.Join(root, "done")
	if code, _, stderr := runCLI(append([]string{"sweep", "--grid", "fanout=1,2", "--out", done}, tinySweep...)...); code != 0 {
		t.Fatalf("setup sweep: exit %d: %s", code, stderr)
	}
	other := filepath.Join(root, "other")
	if code, _, stderr := runCLI(append([]string{"sweep", "--grid", "fanout=1,3", "--out", other, "--shard", "1/2"}, tinySweep...)...); code != 0 {
		t.Fatalf("setup shard: exit %d: %s", code, stderr)
	}
	before, _ := os.ReadFile(filepath.Join(done, "runs.csv"))
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown experiment", []string{"sweep", "--experiment", "s3-2009", "--out", filepath.Join(root, "x")}, []string{"experiment", "s3-2009", "corruption"}},
		{"malformed grid", []string{"sweep", "--grid", "nodes=1:2", "--out", filepath.Join(root, "x")}, []string{"grid", "nodes=1:2"}},
		{"unknown grid key", []string{"sweep", "--grid", "nodez=1,2", "--out", filepath.Join(root, "x")}, []string{"nodez"}},
		{"bad shard", []string{"sweep", "--grid", "fanout=1,2", "--shard", "5/4", "--out", filepath.Join(root, "x")}, []string{"shard", "5/4"}},
		{"set without model", []string{"sweep", "--set", "k=2", "--out", filepath.Join(root, "x")}, []string{"set", "k=2", "--model"}},
		{"unknown model", []string{"sweep", "--model", "gossip9", "--out", filepath.Join(root, "x")}, []string{"model", "gossip9", "s3"}},
		{"no out", []string{"sweep", "--grid", "fanout=1,2"}, []string{"out"}},
		{"grid point invalid", []string{"sweep", "--grid", "fanout=1,40", "--out", filepath.Join(root, "x")}, []string{"fanout=40", "fanout: 40"}},
		{"existing sweep", []string{"sweep", "--grid", "fanout=1,2", "--out", done}, []string{"already holds a sweep", "--resume"}},
		{"resume another sweep", []string{"sweep", "--grid", "fanout=1,3", "--resume", "--out", done}, []string{"different sweep"}},
		{"merge different sweeps", []string{"merge", done, other, "--out", filepath.Join(root, "m")}, []string{"different sweep"}},
		{"plot nothing", []string{"plot", root}, []string{"neither a sweep"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.args[0] == "sweep" {
				args = append(append([]string{}, tc.args...), tinySweep...)
			}
			code, _, stderr := runCLI(args...)
			checkBadInput(t, code, stderr, tc.want)
			if _, err := os.Stat(filepath.Join(root, "x")); !os.IsNotExist(err) {
				t.Errorf("bad input created the output directory")
			}
		})
	}
	after, _ := os.ReadFile(filepath.Join(done, "runs.csv"))
	if string(before) != string(after) {
		t.Errorf("a refused command changed an existing sweep's runs.csv")
	}
}

func TestSweepResumeAndExperiments(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	args := append([]string{"sweep", "--grid", "corrupt-prob=1e-3,1e-2", "--out", dir}, tinySweep...)
	if code, _, stderr := runCLI(args...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runCLI(append(args, "--resume")...)
	if code != 0 || !strings.Contains(stdout, "0 ran now, 4 already done") {
		t.Fatalf("resume of a finished sweep: exit %d, %q %q", code, stdout, stderr)
	}
	code, stdout, _ = runCLI("experiments")
	for _, name := range []string{"s3-2008", "corruption", "scale", "fanout-interval", "replicates", "faulty-host",
		"  grid: faults (source) =\n    fleet-wide: [{at: 0s, corrupt: {group: \"all\""} {
		if code != 0 || !strings.Contains(stdout, name) {
			t.Errorf("experiments lacks %q", name)
		}
	}
}
