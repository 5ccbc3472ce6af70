package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/internal/testfs"

	"github.com/gossipsim/gossipsim/experiments"
)

// TestSecondWriterRefusedWhileAnotherProcessWrites: a real gossipsim sweep
// holds its directory; every other command that would write there is
// refused at once, in one line naming the holder's pid.
func TestSecondWriterRefusedWhileAnotherProcessWrites(t *testing.T) {
	shard := filepath.Join(t.TempDir(), "shard")
	runToEnd(t, "sweep", "--nodes", "30", "--duration", "20s", "--replicates", "1", "--quiet", "--out", shard)

	dir := filepath.Join(t.TempDir(), "busy")
	holder := startCLI(t, "sweep", "--grid", "nodes=200,300", "--replicates", "100", "--duration", "600s",
		"--workers", "1", "--quiet", "--out", dir)
	pollUntil(t, holder, "the sweep holds its directory", func() bool {
		b, _ := os.ReadFile(filepath.Join(dir, experiments.LockFileName))
		return strings.HasPrefix(string(b), "pid ")
	})
	want := fmt.Sprintf("gossipsim: out: %q is in use by gossipsim (pid %d); wait for it or choose another directory\n", dir, holder.cmd.Process.Pid)
	for _, tc := range []struct {
		name string
		args []string
		code int // 0: not checked here (the report's exit status is cmd's mapping)
	}{
		{"sweep", []string{"sweep", "--nodes", "30", "--replicates", "1", "--quiet", "--out", dir}, 2},
		{"sweep --resume", []string{"sweep", "--grid", "nodes=200,300", "--replicates", "100", "--duration", "600s", "--quiet", "--resume", "--out", dir}, 2},
		{"run", append(append([]string{"run"}, fast...), "--out", dir), 2},
		{"merge", []string{"merge", shard, "--out", dir}, 2},
		{"validate", []string{"validate", "--quick", "--out", dir}, 2},
		{"report", []string{"report", "--quick", "--experiment", "corruption", "--out", dir}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(tc.args...)
			if stderr != want {
				t.Errorf("stderr = %q, want %q", stderr, want)
			}
			if tc.code != 0 && code != tc.code {
				t.Errorf("exit status %d, want %d", code, tc.code)
			}
		})
	}
	if holder.done() {
		t.Fatalf("the holding sweep ended during the test (status %d): make it longer", holder.code)
	}
}

// TestRunAndSweepDirectoriesRefused: run --out into a sweep's directory and
// sweep --out into a run's are refused, one line, exit 2, nothing changed.
func TestRunAndSweepDirectoriesRefused(t *testing.T) {
	sweepDir := filepath.Join(t.TempDir(), "sweep")
	runToEnd(t, "sweep", "--nodes", "30", "--duration", "20s", "--replicates", "1", "--quiet", "--out", sweepDir)
	runDir := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := runCLI(append(append([]string{"run"}, fast...), "--out", runDir)...); code != 0 {
		t.Fatalf("run: exit %d, %s", code, stderr)
	}
	for _, tc := range []struct {
		name string
		dir  string
		args []string
		want string
	}{
		{"run into a sweep", sweepDir, append([]string{"run"}, fast...), `gossipsim: out: %q holds a sweep (sweep.json), not a run; choose another directory` + "\n"},
		{"sweep into a run", runDir, []string{"sweep", "--nodes", "30", "--replicates", "1", "--quiet"}, `gossipsim: out: %q holds a run (summary.json), not a sweep; choose another directory` + "\n"},
		{"resumed sweep into a run", runDir, []string{"sweep", "--nodes", "30", "--replicates", "1", "--quiet", "--resume"}, `gossipsim: out: %q holds a run (summary.json), not a sweep; choose another directory` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := testfs.Names(t, tc.dir)
			code, _, stderr := runCLI(append(tc.args, "--out", tc.dir)...)
			if want := fmt.Sprintf(tc.want, tc.dir); code != 2 || stderr != want {
				t.Errorf("exit %d, stderr %q; want 2, %q", code, stderr, want)
			}
			if after := testfs.Names(t, tc.dir); !slices.Equal(after, before) {
				t.Errorf("directory changed from %v to %v", before, after)
			}
		})
	}
}

// TestRunFailureThenRetryFinishesTheSet: a run whose figure cannot be
// written exits 1 and leaves INCOMPLETE saying so; the same command, once
// the obstacle is gone, writes the whole set and removes the mark.
func TestRunFailureThenRetryFinishesTheSet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	blocker := filepath.Join(dir, "gossip_volume.png")
	if err := os.MkdirAll(blocker, 0o755); err != nil {
		t.Fatal(err)
	}
	args := append(append([]string{"run"}, fast...), "--out", dir)
	code, _, stderr := runCLI(args...)
	if code != 1 || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("exit %d, stderr %q; want 1 and one line", code, stderr)
	}
	mark, err := os.ReadFile(filepath.Join(dir, experiments.IncompleteFileName))
	if err != nil || !strings.Contains(string(mark), "gossipsim run") {
		t.Fatalf("failed run left %v, mark %q (%v)", testfs.Names(t, dir), mark, err)
	}
	os.Remove(blocker)
	if code, _, stderr := runCLI(args...); code != 0 {
		t.Fatalf("retry: exit %d, %s", code, stderr)
	}
	// The S3 model's anatomy files and its spread of bad values too; the
	// run does not storm, so no anatomy figures.
	want := []string{"anatomy.csv", "corruptions.csv", "gossip_volume.png", "infection.png", "spread.csv", "spread_tree.png", "summary.json", "timeseries.csv", "utilization.csv", "wrong_view.png"}
	if got := testfs.Names(t, dir); !slices.Equal(got, want) {
		t.Errorf("after the retry the directory holds %v, want %v", got, want)
	}
}

// TestMaxEventsBeforeFirstSampleWritesEverything: --max-events 1 stops every
// model before its first sample; run still exits 0 with every file (the
// time series a header, the figures saying "no samples yet"), and a sweep
// with it finishes too.
func TestMaxEventsBeforeFirstSampleWritesEverything(t *testing.T) {
	for _, model := range []string{experiments.S3Model, "epidemic", "rumor", "heartbeat", "swim"} {
		t.Run("run "+model, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			code, _, stderr := runCLI("run", "--model", model, "--nodes", "50", "--max-events", "1", "--quiet", "--out", dir)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			want := []string{"gossip_volume.png", "summary.json", "timeseries.csv", "wrong_view.png"}
			if model == experiments.S3Model {
				// The storm's anatomy, its header only (no matrix without
				// samples), and the spread of bad values: header-only CSVs.
				want = []string{"anatomy.csv", "corruptions.csv", "gossip_volume.png", "spread.csv", "summary.json", "timeseries.csv", "wrong_view.png"}
			}
			if got := testfs.Names(t, dir); !slices.Equal(got, want) {
				t.Errorf("directory holds %v, want %v", got, want)
			}
			sum, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
			if !strings.Contains(string(sum), `"stopped": "max-events"`) {
				t.Errorf("summary.json does not say stopped: max-events")
			}
			ts, _ := os.ReadFile(filepath.Join(dir, "timeseries.csv"))
			if n := strings.Count(string(ts), "\n"); n != 1 {
				t.Errorf("timeseries.csv has %d lines, want the header only", n)
			}
		})
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"sweep mitigations", []string{"--experiment", "mitigations", "--replicates", "1", "--nodes", "30"}},
		{"sweep s3-2008", []string{"--experiment", "s3-2008", "--replicates", "2", "--nodes", "30"}},
		{"sweep swim", []string{"--model", "swim", "--grid", "nodes=20,30", "--replicates", "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "sweep")
			code, _, stderr := runCLI(append(append([]string{"sweep"}, tc.args...), "--max-events", "1", "--quiet", "--out", dir)...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if got := testfs.Names(t, dir); !slices.Contains(got, "points.csv") || slices.Contains(got, experiments.LockFileName) {
				t.Errorf("directory holds %v", got)
			}
		})
	}
}
