package experiments

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/gossipsim/gossipsim/plots"
)

// LoadSweep reads a sweep directory's sweep.json and recorded runs (runs.csv
// and, for an unfinished sweep, its journal), sorted by run index.
func LoadSweep(dir string) (Sweep, []byte, [][]string, error) {
	header, err := os.ReadFile(filepath.Join(dir, SweepFileName))
	if err != nil {
		return Sweep{}, nil, nil, fmt.Errorf("%s: no sweep here (%v)", dir, unwrapPathError(err))
	}
	sw, err := ParseSweepJSON(header)
	if err != nil {
		return Sweep{}, nil, nil, fmt.Errorf("%s: %v", dir, err)
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
func Merge(dirs []string, out string, fig plots.Options) ([]string, error) {
	if len(dirs) == 0 {
		return nil, fmt.Errorf("merge: no shard directories given")
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
			return nil, fmt.Errorf("merge: %v", err)
		}
		if i == 0 {
			sw, header = s, h
		} else if sweepIdentity(h) != sweepIdentity(header) {
			return nil, fmt.Errorf("merge: %s holds a different sweep from %s (their sweep.json differ)", d, dirs[0])
		}
		for _, r := range rows {
			k := atoi(r[0])
			if prev, ok := all[k]; ok && !equalStrings(prev, r) {
				return nil, fmt.Errorf("merge: run %d differs between %s and %s", k, from[k], d)
			}
			all[k], from[k] = r, d
		}
	}
	total := len(Points(sw.Axes)) * sw.Replicates
	if len(all) != total {
		missing := -1
		for k := range total {
			if _, ok := all[k]; !ok {
				missing = k
				break
			}
		}
		return nil, fmt.Errorf("merge: %d of %d runs are missing (the first is run %d); finish every shard (gossipsim sweep ... --resume) first", total-len(all), total, missing)
	}
	if err := PrepareOutDir(out); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(out, SweepFileName)); err == nil {
		return nil, fmt.Errorf("out: %q %w; merge into a new directory", out, ErrSweepExists)
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
// DPI), and returns the files written. A sweep's rows are checked first
// (see redrawSweep): a cell that is not a value at all is bad input; each
// value or row left out is one line of warnings, for the caller to show.
func Redraw(dir string, fig plots.Options) (files, warnings []string, err error) {
	if _, err := os.Stat(filepath.Join(dir, SweepFileName)); err == nil {
		sw, _, rows, err := LoadSweep(dir)
		if err != nil {
			return nil, nil, err
		}
		total := len(Points(sw.Axes)) * sw.Replicates
		if len(rows) < total {
			return nil, nil, fmt.Errorf("%s: %d of %d runs recorded; finish the sweep (--resume) or merge its shards first", dir, len(rows), total)
		}
		return redrawSweep(dir, sw, rows, fig)
	}
	samples, err := ReadTimeSeriesCSV(filepath.Join(dir, "timeseries.csv"))
	if err != nil {
		return nil, nil, fmt.Errorf("%s holds neither a sweep (sweep.json) nor a run (timeseries.csv)", dir)
	}
	files, err = plotsForRun(dir, samples, fig)
	return files, nil, err
}
