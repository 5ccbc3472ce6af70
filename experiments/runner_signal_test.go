package experiments

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// unevenSweep is one long run (run 0: long nodes) then five short ones (20 to
// 24 nodes), 200 s each: with 2 workers, run 0 is still in flight when the
// first short run is recorded.
func unevenSweep(long int) Sweep {
	sc := DefaultScenario()
	sc.Duration = 200 * sim.Second
	sc.Fleet.Corruption.Probability = 1e-3
	return Sweep{Experiment: "custom", Seed: 11, Replicates: 1, Base: sc, Axes: []Axis{
		mustAxis(fmt.Sprintf("nodes=%d,20,21,22,23,24", long)),
	}}
}

// journalRuns returns the run indices of the journal's records, checking that
// every record is whole (newline-terminated, checksum valid, of this sweep).
func journalRuns(t *testing.T, dir string, cols []string) []string {
	t.Helper()
	path := filepath.Join(dir, JournalFileName)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) == 0 || b[len(b)-1] != '\n' {
		t.Fatalf("journal does not end with a whole record: %q", b)
	}
	header, err := os.ReadFile(filepath.Join(dir, SweepFileName))
	if err != nil {
		t.Fatal(err)
	}
	js, err := scanJournal(path, b, cols, journalID(header))
	if err != nil || js.TornLine != 0 || js.End != len(b) {
		t.Fatalf("journal: %v, torn line %d, %d of %d bytes whole", err, js.TornLine, js.End, len(b))
	}
	var runs []string
	for _, r := range js.Records {
		runs = append(runs, r.Row[0])
	}
	sort.Strings(runs)
	return runs
}

func has(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestGracefulSweepDrains: once the drain context is done no run starts, the
// run in flight finishes and is journalled, and the resumed sweep equals an
// uninterrupted one; cancelling the run context as well abandons it.
func TestGracefulSweepDrains(t *testing.T) {
	root := t.TempDir()
	sw := unevenSweep(200)
	cols := sw.RunColumns()
	files := []string{SweepFileName, RunsFileName, PointsFileName}

	drained := filepath.Join(root, "drained")
	drain, stopStarting := context.WithCancel(context.Background())
	defer stopStarting()
	var inFlight []string // the runs recorded when the sweep was stopped
	rep, err := RunSweep(Graceful(drain, context.Background()), sw, drained, SweepOptions{Workers: 2, Progress: func(done, total int) {
		if done >= 1 && drain.Err() == nil {
			stopStarting()
			inFlight = journalRuns(t, drained, cols)
		}
	}})
	var intr *Interrupted
	if !errors.As(err, &intr) || !errors.Is(err, context.Canceled) {
		t.Fatalf("drained sweep returned %v, want an *Interrupted wrapping context.Canceled", err)
	}
	got := journalRuns(t, drained, cols)
	if !has(got, "0") {
		t.Errorf("journal holds runs %v: run 0, in flight when the sweep was stopped, was not finished", got)
	}
	if has(inFlight, "0") {
		t.Logf("run 0 was done before the sweep was stopped (runs %v): the machine is slow, this check proved nothing", inFlight)
	}
	if intr.Recorded != len(got) || rep.Ran != len(got) || intr.Total != 6 || len(got) == 6 {
		t.Errorf("Interrupted{Recorded %d, Total %d}, report ran %d, journal %v; want %d recorded of 6, not all", intr.Recorded, intr.Total, rep.Ran, got, len(got))
	}
	for _, f := range []string{RunsFileName, PointsFileName} {
		if _, err := os.Stat(filepath.Join(drained, f)); err == nil {
			t.Errorf("a drained sweep wrote %s", f)
		}
	}
	t.Logf("journal held runs %v when the sweep was stopped, %v when it returned", inFlight, got)

	// A second cancellation soon after the first abandons the run in flight
	// (a long one here: 1,000 nodes, never run to its end).
	abandoned := filepath.Join(root, "abandoned")
	hard, abandon := context.WithCancel(context.Background())
	defer abandon()
	drain2, stopStarting2 := context.WithCancel(hard)
	defer stopStarting2()
	_, err = RunSweep(Graceful(drain2, hard), unevenSweep(1000), abandoned, SweepOptions{Workers: 2, Progress: func(done, total int) {
		if done >= 1 {
			stopStarting2()
			abandon()
		}
	}})
	if !errors.As(err, &intr) || !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned sweep returned %v, want an *Interrupted wrapping context.Canceled", err)
	}
	if got := journalRuns(t, abandoned, cols); has(got, "0") || len(got) != intr.Recorded {
		t.Errorf("journal holds runs %v (%d reported): run 0 should have been abandoned", got, intr.Recorded)
	}

	// Resumed, the drained sweep gives the files of an uninterrupted one (the
	// resume of an abandoned, killed or torn sweep is tested in cmd/gossipsim
	// and in TestSweepEquivalences).
	whole := filepath.Join(root, "whole")
	runSweep(t, sw, whole, SweepOptions{Workers: 2})
	runSweep(t, sw, drained, SweepOptions{Workers: 2, Resume: true})
	sameFiles(t, whole, drained, files...)

	// A sweep whose context is done before it starts writes nothing.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	never := filepath.Join(root, "never")
	if _, err := RunSweep(Graceful(ctx, ctx), sw, never, SweepOptions{}); err != context.Canceled {
		t.Errorf("sweep with a cancelled context returned %v, want context.Canceled", err)
	}
	if _, err := os.Stat(never); !os.IsNotExist(err) {
		t.Errorf("a sweep cancelled before it started created its directory")
	}
}
