package experiments

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"syscall"

	"github.com/gossipsim/gossipsim/plots"
)

// LoadSweep reads a sweep directory's sweep.json and recorded runs (runs.csv
// and, for an unfinished sweep, its journal), sorted by run index.
func LoadSweep(dir string) (Sweep, []byte, [][]string, error) {
	header, err := os.ReadFile(filepath.Join(dir, SweepFileName))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return Sweep{}, nil, nil, badInputf("%s: no sweep here (%v)", dir, unwrapPathError(err))
		}
		return Sweep{}, nil, nil, fmt.Errorf("%s: %w", dir, err)
	}
	sw, err := ParseSweepJSON(header)
	if err != nil {
		return Sweep{}, nil, nil, fmt.Errorf("%s: %w", dir, err)
	}
	done, err := readRecordedRuns(dir, sw.RunColumns())
	if err != nil {
		return Sweep{}, nil, nil, err
	}
	rows := make([][]string, 0, len(done))
	for _, r := range done {
		rows = append(rows, r)
	}
	sort.Slice(rows, func(a, b int) bool { return atoi(rows[a][0]) < atoi(rows[b][0]) })
	return sw, header, rows, nil
}

// Merge combines the outputs of a sweep's shards into out, writing exactly
// what the unsharded sweep writes, with figures in the format and
// resolution of fig. Every directory must hold the same sweep, and together
// they must hold every run.
//
// Merge holds out's lock (LockDir) while it writes there.
func Merge(dirs []string, out string, fig plots.Options) ([]string, error) {
	if len(dirs) == 0 {
		return nil, badInputf("merge: no shard directories given")
	}
	var (
		sw     Sweep
		header []byte
		all    = map[int][]string{}
		from   = map[int]string{}
	)
	for i, d := range dirs {
		s, h, rows, err := LoadSweep(d)
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		if i == 0 {
			sw, header = s, h
		} else if sweepIdentity(h) != sweepIdentity(header) {
			return nil, badInputf("merge: %s holds a different sweep from %s (their sweep.json differ)", d, dirs[0])
		}
		for _, r := range rows {
			k := atoi(r[0])
			if prev, ok := all[k]; ok && !equalStrings(prev, r) {
				return nil, badInputf("merge: run %d differs between %s and %s", k, from[k], d)
			}
			all[k], from[k] = r, d
		}
	}
	total := GridSize(sw.Axes) * sw.Replicates
	if len(all) != total {
		missing := -1
		for k := range total {
			if _, ok := all[k]; !ok {
				missing = k
				break
			}
		}
		return nil, badInputf("merge: %d of %d runs are missing (the first is run %d); finish every shard (gossipsim sweep ... --resume) first", total-len(all), total, missing)
	}
	release, err := lockSweepDir(out)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := PrepareOutDir(out); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(out, SweepFileName)); err == nil {
		return nil, badInputf("out: %q %w; merge into a new directory", out, ErrSweepExists)
	}
	if sw.KeepTimeSeries {
		if err := copyTimeSeries(dirs, out, total); err != nil {
			return nil, err
		}
	}
	if err := WriteFileAtomic(filepath.Join(out, SweepFileName), header); err != nil {
		return nil, err
	}
	return finishSweep(out, sw, sw.RunColumns(), all, Shard{}, fig)
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
// DPI), and returns the files written.
func Redraw(dir string, fig plots.Options) ([]string, error) {
	if _, err := os.Stat(filepath.Join(dir, SweepFileName)); err == nil {
		sw, _, rows, err := LoadSweep(dir)
		if err != nil {
			return nil, err
		}
		total := GridSize(sw.Axes) * sw.Replicates
		if len(rows) < total {
			return nil, badInputf("%s: %d of %d runs recorded; finish the sweep (--resume) or merge its shards first", dir, len(rows), total)
		}
		return DrawSweep(dir, sw, Aggregate(sw, sw.RunColumns(), rows), fig)
	}
	samples, err := ReadTimeSeriesCSV(filepath.Join(dir, "timeseries.csv"))
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return nil, badInputf("%s holds neither a sweep (sweep.json) nor a run (timeseries.csv)", dir)
	case err != nil:
		return nil, err // names the file, and for a bad cell its line, column and value
	}
	return plotsForRun(dir, samples, fig)
}
