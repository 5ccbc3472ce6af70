package experiments

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gossipsim/gossipsim/internal/testfs"

	"github.com/gossipsim/gossipsim/plots"
	"github.com/gossipsim/gossipsim/sim"
)

// inUse is the one-line refusal of a directory held by this process.
func inUse(dir string) string {
	return fmt.Sprintf("out: %q is in use by gossipsim (pid %d); wait for it or choose another directory", dir, os.Getpid())
}

// TestConcurrentSweepsOneWins: two RunSweep on one directory at once.
// Exactly one runs; the other is refused at once with the lock error naming
// the holder's pid, before writing anything. The winner cannot finish
// before the loser has tried: its progress callback waits for the loser.
func TestConcurrentSweepsOneWins(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	sw := tinySweep()
	sw.Axes, sw.Replicates = sw.Axes[:1], 1
	lost := make(chan struct{})
	var once sync.Once
	opt := SweepOptions{Workers: 1, Progress: func(done, total int) { <-lost }}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = RunSweep(context.Background(), sw, dir, opt)
			if errs[i] != nil {
				once.Do(func() { close(lost) })
			}
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, ErrDirInUse) || !errors.Is(err, ErrBadInput):
			t.Errorf("loser's error %v is not ErrDirInUse and ErrBadInput", err)
		case err.Error() != inUse(dir):
			t.Errorf("loser's error = %q, want %q", err, inUse(dir))
		}
	}
	if won != 1 {
		t.Fatalf("%d sweeps won (errors %v), want exactly one", won, errs)
	}
	names := testfs.Names(t, dir)
	if slices.Contains(names, LockFileName) || !slices.Contains(names, RunsFileName) {
		t.Errorf("after the sweep the directory holds %v: want runs.csv and no lock file", names)
	}
}

// TestEveryWriterLocks: while a directory is locked, each library entry
// point that writes it is refused with the lock error, and writes nothing.
func TestEveryWriterLocks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	release, err := LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	shard := filepath.Join(t.TempDir(), "shard")
	sw := tinySweep()
	sw.Axes, sw.Replicates = sw.Axes[:1], 1
	runSweep(t, sw, shard, SweepOptions{Workers: 1})
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"RunSweep", func() error { _, err := RunSweep(context.Background(), sw, dir, SweepOptions{}); return err }},
		{"Merge", func() error { _, err := Merge([]string{shard}, dir, plots.Options{}); return err }},
		{"RunValidation", func() error { _, _, err := RunValidation(context.Background(), dir, true, SweepOptions{}); return err }},
		{"LockRunDir", func() error { _, err := LockRunDir(dir); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, ErrDirInUse) || !errors.Is(err, ErrBadInput) || err.Error() != inUse(dir) {
				t.Errorf("err = %v, want %q (ErrDirInUse, ErrBadInput)", err, inUse(dir))
			}
			if got := testfs.Names(t, dir); !slices.Equal(got, []string{LockFileName}) {
				t.Errorf("directory holds %v, want only the holder's lock file", got)
			}
		})
	}
}

// TestRunAndSweepDirectoriesDoNotMix: a run's files are refused in a sweep
// directory and a sweep in a run's directory, each with one line, bad
// input, nothing written.
func TestRunAndSweepDirectoriesDoNotMix(t *testing.T) {
	sw := tinySweep()
	sw.Axes, sw.Replicates = sw.Axes[:1], 1
	for _, tc := range []struct {
		name  string
		holds string
		call  func(dir string) error
		want  string
	}{
		{"run into a sweep", SweepFileName, func(dir string) error { _, err := LockRunDir(dir); return err },
			`out: %q holds a sweep (sweep.json), not a run; choose another directory`},
		{"sweep into a run (summary)", SummaryFileName, func(dir string) error {
			_, err := RunSweep(context.Background(), sw, dir, SweepOptions{})
			return err
		}, `out: %q holds a run (summary.json), not a sweep; choose another directory`},
		{"sweep into a run (time series)", RunTimeSeriesFileName, func(dir string) error {
			_, err := RunSweep(context.Background(), sw, dir, SweepOptions{Resume: true})
			return err
		}, `out: %q holds a run (timeseries.csv), not a sweep; choose another directory`},
		{"merge into a run", SummaryFileName, func(dir string) error {
			shard := filepath.Join(t.TempDir(), "shard")
			runSweep(t, sw, shard, SweepOptions{Workers: 1})
			_, err := Merge([]string{shard}, dir, plots.Options{})
			return err
		}, `out: %q holds a run (summary.json), not a sweep; choose another directory`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tc.holds), []byte("{}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			err := tc.call(dir)
			if want := fmt.Sprintf(tc.want, dir); err == nil || err.Error() != want || !errors.Is(err, ErrBadInput) {
				t.Errorf("err = %v, want %q (bad input)", err, want)
			}
			if got := testfs.Names(t, dir); !slices.Equal(got, []string{tc.holds}) {
				t.Errorf("directory holds %v, want only %s", got, tc.holds)
			}
		})
	}
}

// TestPrepareOutDirLeavesNothing: the writability probe leaves nothing in
// the directory, whether it succeeds, fails, or finds the directory locked
// (then the holder's lock file stays), and it removes a lock file left by a
// killed process.
func TestPrepareOutDirLeavesNothing(t *testing.T) {
	t.Run("writable", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "new")
		if err := PrepareOutDir(dir); err != nil {
			t.Fatal(err)
		}
		if got := testfs.Names(t, dir); len(got) != 0 {
			t.Errorf("directory holds %v, want nothing", got)
		}
	})
	t.Run("not writable", func(t *testing.T) {
		parent := t.TempDir()
		file := filepath.Join(parent, "file")
		os.WriteFile(file, []byte("x"), 0o644)
		if err := PrepareOutDir(file); err == nil || !strings.Contains(err.Error(), "is not writable") {
			t.Errorf("err = %v, want not writable", err)
		}
		if got := testfs.Names(t, parent); !slices.Equal(got, []string{"file"}) {
			t.Errorf("parent holds %v, want only file", got)
		}
	})
	t.Run("stale lock file", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, LockFileName), []byte("pid 999999\n"), 0o644)
		if err := PrepareOutDir(dir); err != nil {
			t.Fatal(err)
		}
		if got := testfs.Names(t, dir); len(got) != 0 {
			t.Errorf("directory holds %v, want nothing", got)
		}
	})
	t.Run("locked", func(t *testing.T) {
		dir := t.TempDir()
		release, err := LockDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := PrepareOutDir(dir); err != nil {
			t.Fatal(err)
		}
		if got := testfs.Names(t, dir); !slices.Equal(got, []string{LockFileName}) {
			t.Errorf("directory holds %v, want the holder's lock file", got)
		}
		if _, err := LockDir(dir); !errors.Is(err, ErrDirInUse) {
			t.Errorf("the probe released the holder's lock: LockDir err = %v", err)
		}
		release()
		if got := testfs.Names(t, dir); len(got) != 0 {
			t.Errorf("after release the directory holds %v, want nothing", got)
		}
	})
}

// quickRun is a finished 20-node run.
func quickRun(t *testing.T) Result {
	t.Helper()
	sc := DefaultScenario()
	sc.Fleet.Nodes, sc.Duration = 20, 20*sim.Second
	res, err := Run(context.Background(), sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestWriteRunFailureThenRetry: a run's files fail half-way (a directory
// stands where a figure goes): the directory says it is incomplete, and
// writing again once the obstacle is gone finishes the set and removes the
// mark.
func TestWriteRunFailureThenRetry(t *testing.T) {
	res := quickRun(t)
	dir := t.TempDir()
	blocker := filepath.Join(dir, "wrong_view.png")
	if err := os.Mkdir(blocker, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteRun(dir, res); err == nil {
		t.Fatal("WriteRun over a directory named like a figure: no error")
	}
	mark, err := os.ReadFile(filepath.Join(dir, IncompleteFileName))
	if err != nil || !Incomplete(dir) {
		t.Fatalf("failed WriteRun left no %s (%v); directory holds %v", IncompleteFileName, err, testfs.Names(t, dir))
	}
	if s := string(mark); strings.Count(s, "\n") != 1 || !strings.Contains(s, "gossipsim run") || !strings.Contains(s, "rerun the same command") {
		t.Errorf("mark = %q, want one line naming gossipsim run and the rerun", s)
	}
	os.Remove(blocker)
	files, err := WriteRun(dir, res)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	want := []string{AnatomyFileName, "gossip_volume.png", "summary.json", "timeseries.csv", UtilizationFileName, "wrong_view.png"}
	if res.Spread != nil {
		want = append(want, CorruptionsFileName, SpreadFileName)
		if len(res.Spread.Values) > 0 {
			want = append(want, InfectionStem+".png", SpreadTreeStem+".png")
		}
		slices.Sort(want)
	}
	if got := testfs.Names(t, dir); !slices.Equal(got, want) || Incomplete(dir) {
		t.Errorf("after the retry the directory holds %v, want %v", got, want)
	}
	if len(files) != len(want) {
		t.Errorf("retry wrote %v", files)
	}
}
