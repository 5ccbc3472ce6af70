package report

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/internal/testfs"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/sim"
)

// tinySweep is a sweep of one axis of two points, one replicate each.
func tinySweep(t *testing.T) experiments.Sweep {
	t.Helper()
	sc := experiments.DefaultScenario()
	sc.Fleet.Nodes = 30
	sc.Duration = 40 * sim.Second
	sc.Fleet.Corruption.Probability = 2e-3
	sc.S3Params().CrashRate = 20
	ax, err := experiments.ParseAxis("corrupt-prob=1e-3:1e-2:log:2")
	if err != nil {
		t.Fatal(err)
	}
	return experiments.Sweep{Experiment: "custom", Seed: 5, Replicates: 1, Base: sc, Axes: []experiments.Axis{ax}}
}

// TestWriteLocks: while the report directory is locked, Write is refused
// with the lock error and writes nothing.
func TestWriteLocks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	release, err := experiments.LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	_, err = Write(context.Background(), dir, Options{Sweep: tinySweep(t), Quick: true})
	want := fmt.Sprintf("out: %q is in use by gossipsim (pid %d); wait for it or choose another directory", dir, os.Getpid())
	if !errors.Is(err, experiments.ErrDirInUse) || !errors.Is(err, experiments.ErrBadInput) || err.Error() != want {
		t.Errorf("err = %v, want %q (ErrDirInUse, ErrBadInput)", err, want)
	}
	if got := testfs.Names(t, dir); !slices.Equal(got, []string{experiments.LockFileName}) {
		t.Errorf("directory holds %v, want only the holder's lock file", got)
	}
}

// A report started without Resume in a directory that holds results of an
// earlier start is refused as bad input, before anything runs or is written.
// (A report.md without an INCOMPLETE mark is a finished report: refused as
// one, TestReportFailureThenRetry.)
func TestEarlierStartRefused(t *testing.T) {
	tests := []struct {
		name       string
		left       string // what the earlier start left, a directory
		experiment string
	}{
		{"its replay", "replay", "s3-2008"},
		{"its sweep", "sweep", "corruption"},
		{"its validation", "validation", "corruption"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, tc.left)
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			e, _ := experiments.LookupExperiment(tc.experiment)
			_, err := Write(context.Background(), dir, Options{Sweep: e.Sweep(), Quick: true})
			if !errors.Is(err, experiments.ErrUnfinished) || !errors.Is(err, experiments.ErrBadInput) || !strings.Contains(err.Error(), p) {
				t.Fatalf("got %v, want bad input (ErrUnfinished) naming %s", err, p)
			}
			if names := testfs.Names(t, dir); !slices.Equal(names, []string{tc.left}) {
				t.Errorf("the refused start left %v, want only %s", names, tc.left)
			}
		})
	}
}

// TestReportFailureThenRetry: a report that fails is marked incomplete and
// does not count as a report, so its rerun is not refused and finishes it
// (resuming the sweeps it had done); a finished one is unmarked and
// refuses another.
func TestReportFailureThenRetry(t *testing.T) {
	if testing.Short() {
		t.Skip("three small reports take about 10 s")
	}
	sw := tinySweep(t)
	opt := Options{Sweep: sw, Quick: true, Workers: 2, Command: "gossipsim report ..."}
	ctx := context.Background()

	t.Run("refused before it starts, then finishes", func(t *testing.T) {
		dir := t.TempDir()
		blocker := filepath.Join(dir, "sweep") // where the report's sweep goes
		os.WriteFile(blocker, []byte("x"), 0o644)
		_, err := Write(ctx, dir, opt)
		if !errors.Is(err, experiments.ErrUnfinished) {
			t.Fatalf("a file where the sweep directory goes: %v, want experiments.ErrUnfinished", err)
		}
		if got := testfs.Names(t, dir); !slices.Equal(got, []string{"sweep"}) {
			t.Fatalf("the refused report left %v, want only the blocker", got)
		}
		os.Remove(blocker)
		if _, err := Write(ctx, dir, opt); err != nil {
			t.Fatalf("retry: %v", err)
		}
		if experiments.Incomplete(dir) || !Finished(dir) || slices.Contains(testfs.Names(t, dir), experiments.LockFileName) {
			t.Errorf("finished report: directory holds %v", testfs.Names(t, dir))
		}
		_, err = Write(ctx, dir, opt)
		if want := fmt.Sprintf("out: %q holds a report already; choose another directory", dir); err == nil || err.Error() != want || !errors.Is(err, experiments.ErrBadInput) {
			t.Errorf("second report: err = %v, want %q", err, want)
		}
	})
	t.Run("fails at its last file", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "report.html"), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := Write(ctx, dir, opt); err == nil {
			t.Fatal("no error with a directory where report.html goes")
		}
		if _, err := os.Stat(filepath.Join(dir, "report.md")); err != nil {
			t.Fatalf("report.md not written before report.html: %v", err)
		}
		if !experiments.Incomplete(dir) || Finished(dir) {
			t.Errorf("half-written report: incomplete %v, holds a report %v", experiments.Incomplete(dir), Finished(dir))
		}
		os.Remove(filepath.Join(dir, "report.html"))
		if _, err := Write(ctx, dir, opt); err != nil {
			t.Fatalf("retry (its sweeps are done and resumed): %v", err)
		}
		if experiments.Incomplete(dir) || !Finished(dir) {
			t.Errorf("finished report: directory holds %v", testfs.Names(t, dir))
		}
	})
}
