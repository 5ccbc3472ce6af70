package experiments

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"

	"github.com/gossipsim/gossipsim/internal/atomicfile"
	"github.com/gossipsim/gossipsim/plots"
)

// LoadSweep reads a sweep directory's sweep.json and recorded runs (runs.csv
// and, for an unfinished sweep, its journal, without its torn tail), sorted
// by run index. Every row is checked against the sweep (see RunSweep); a
// row that fails, like a missing or unreadable sweep.json, is [ErrBadInput].
func LoadSweep(dir string) (Sweep, []byte, [][]string, error) {
	sw, header, rec, err := loadSweepDir(dir)
	if err != nil {
		return Sweep{}, nil, nil, err
	}
	return sw, header, sortedRows(rec.Rows), nil
}

// loadSweep reads dir's sweep.json, its shard (shard.json) and its checked
// recorded runs.
func loadSweepDir(dir string) (Sweep, []byte, recordedRuns, error) {
	header, err := os.ReadFile(filepath.Join(dir, SweepFileName))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return Sweep{}, nil, recordedRuns{}, badInputf("%s: no sweep here (%v)", dir, unwrapPathError(err))
		}
		return Sweep{}, nil, recordedRuns{}, fmt.Errorf("%s: %w", dir, err)
	}
	sw, err := ParseSweepJSON(header)
	if err != nil {
		return Sweep{}, nil, recordedRuns{}, badInputf("%s: %v", dir, err)
	}
	var sh Shard
	if b, err := os.ReadFile(filepath.Join(dir, ShardFileName)); err == nil {
		if sh, err = parseShardFile(b); err != nil {
			return Sweep{}, nil, recordedRuns{}, badInputf("%s: %v", filepath.Join(dir, ShardFileName), err)
		}
	}
	runs, err := sw.Runs()
	if err != nil {
		return Sweep{}, nil, recordedRuns{}, badInputf("%s: %v", dir, err)
	}
	rec, err := readRecordedRuns(dir, sw, runs, sh, journalID(header))
	return sw, header, rec, err
}

// Merge combines the outputs of a sweep's shards into out, writing exactly
// what the unsharded sweep writes, with figures in the format and
// resolution of fig. Every directory must hold the same sweep, every row
// must be one of its shard's runs and follow the sweep's grid and seed
// rule, and together they must hold exactly the runs 0 to N-1; any other
// input is [ErrBadInput] naming the directory, file and line.
//
// Merge writes sweep.json, then a journal holding every run, then runs.csv,
// points.csv and the figures, and removes the journal last. A merge that
// fails half way (a full disk) so leaves out holding the journal, which
// says the merge is unfinished: the same merge again finishes it. A
// directory that holds a finished sweep, another sweep or stale results
// is refused.
//
// Merge holds out's lock (LockDir) while it writes there.
func Merge(dirs []string, out string, fig plots.Options) ([]string, error) {
	if len(dirs) == 0 {
		return nil, badInputf("merge: no shard directories given")
	}
	var (
		sw     Sweep
		header []byte
		all    = map[int]recordedRow{}
	)
	for i, d := range dirs {
		s, h, rec, err := loadSweepDir(d)
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		if i == 0 {
			sw, header = s, h
		} else if sweepIdentity(h) != sweepIdentity(header) {
			return nil, badInputf("merge: %s %w from %s (their sweep.json differ)", d, ErrDifferentSweep, dirs[0])
		}
		for k, r := range rec.Rows {
			if prev, ok := all[k]; ok && !slices.Equal(prev.Row, r.Row) {
				return nil, badInputf("merge: run %d differs between %s and %s", k, prev.where(), r.where())
			}
			all[k] = r
		}
	}
	total := gridSize(sw.Axes) * sw.Replicates
	for k := range total {
		if _, ok := all[k]; !ok {
			return nil, badInputf("merge: %d of %d %w (the first is run %d)", total-len(all), total, ErrRunsMissing, k)
		}
	}
	if len(all) != total { // cannot happen: every row's index was checked
		return nil, fmt.Errorf("merge: internal error: %d runs recorded for %d", len(all), total)
	}
	release, err := lockSweepDir(out)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := prepareMergeOut(out, header); err != nil {
		return nil, err
	}
	if sw.KeepTimeSeries {
		if err := copyTimeSeries(dirs, out, total); err != nil {
			return nil, err
		}
	}
	if err := WriteFileAtomic(filepath.Join(out, SweepFileName), header); err != nil {
		return nil, err
	}
	cols := sw.RunColumns()
	done := make(map[int][]string, len(all))
	for k, r := range all {
		done[k] = r.Row
	}
	journal, err := journalBytes(sortedRows(all), cols, journalID(header))
	if err != nil {
		return nil, err
	}
	if err := WriteFileAtomic(filepath.Join(out, JournalFileName), journal); err != nil {
		return nil, err
	}
	return finishSweep(out, sw, cols, done, Shard{}, fig)
}

// prepareMergeOut creates out, or checks that it holds nothing but an
// unfinished merge (or sweep) of the sweep of header, which the merge
// finishes.
func prepareMergeOut(out string, header []byte) error {
	if err := PrepareOutDir(out); err != nil {
		return err
	}
	if err := atomicfile.SyncDir(filepath.Dir(filepath.Clean(out))); err != nil {
		return err
	}
	old, err := os.ReadFile(filepath.Join(out, SweepFileName))
	switch {
	case os.IsNotExist(err):
		return refuseStaleResults(out)
	case err != nil:
		return err
	case sweepIdentity(old) != sweepIdentity(header):
		return badInputf("out: %q %w, another one; merge into a new directory", out, ErrSweepExists)
	}
	if b, err := os.ReadFile(filepath.Join(out, ShardFileName)); err == nil {
		held := "a shard"
		if sh, err := parseShardFile(b); err == nil {
			held = "shard " + sh.String()
		}
		return badInputf("out: %q holds %s of the sweep, not a merge; merge into a new directory", out, held)
	}
	_, noJournal := os.Lstat(filepath.Join(out, JournalFileName))
	if _, err := os.Lstat(filepath.Join(out, RunsFileName)); err == nil && noJournal != nil {
		return badInputf("out: %q %w; merge into a new directory", out, ErrSweepExists)
	}
	return nil
}

func copyTimeSeries(dirs []string, out string, total int) error {
	dst := filepath.Join(out, TimeSeriesDir)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for k := range total {
		name := fmt.Sprintf("run-%06d.csv", k)
		for _, d := range dirs {
			b, err := os.ReadFile(filepath.Join(d, TimeSeriesDir, name))
			if err != nil {
				continue
			}
			if err := WriteFileAtomic(filepath.Join(dst, name), b); err != nil {
				return err
			}
			break
		}
	}
	return nil
}

// Redraw draws a directory's figures again from its files: a sweep's
// (sweep.json and runs.csv) or a single run's (timeseries.csv and
// summary.json), in the file format and resolution of fig (its Format and
// DPI), and returns the files written. A sweep's rows are checked first
// (see redrawSweep): a cell that is not a value at all is bad input; each
// value or row left out is one line of warnings, for the caller to show.
func Redraw(dir string, fig plots.Options) (files, warnings []string, err error) {
	if _, err := os.Stat(filepath.Join(dir, SweepFileName)); err == nil {
		sw, _, rows, err := LoadSweep(dir)
		if err != nil {
			return nil, nil, err
		}
		total := gridSize(sw.Axes) * sw.Replicates
		if len(rows) < total {
			return nil, nil, refusef(ErrRunsMissing, "%s: %d of %d runs recorded", dir, len(rows), total)
		}
		return redrawSweep(dir, sw, rows, fig)
	}
	samples, err := ReadTimeSeriesCSV(filepath.Join(dir, "timeseries.csv"))
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return nil, nil, badInputf("%s holds neither a sweep (sweep.json) nor a run (timeseries.csv)", dir)
	case err != nil:
		return nil, nil, err // names the file, and for a bad cell its line, column and value
	}
	files, err = plotsForRun(dir, samples, fig)
	return files, nil, err
}
