package experiments

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/internal/atomicfile"
	"github.com/gossipsim/gossipsim/plots"
)

// File names inside a sweep directory.
const (
	SweepFileName   = "sweep.json"
	ShardFileName   = "shard.json"
	RunsFileName    = "runs.csv"
	JournalFileName = "runs.partial.csv"
	PointsFileName  = "points.csv"
	TimeSeriesDir   = "timeseries"
)

// SweepOptions controls how a sweep runs; none of it changes the results.
type SweepOptions struct {
	// Workers is the number of runs in parallel; 0 means the number of CPUs.
	Workers int
	// Shard restricts the sweep to one slice of its runs.
	Shard Shard
	// Resume continues a sweep already in the directory.
	Resume bool
	// Progress, if set, is told how many of the shard's runs are done.
	Progress func(done, total int)
	// Plot gives the file format and resolution of the figures
	// (plots.Options.Format and DPI; the rest is ignored): PNG at 150 dpi
	// by default.
	Plot plots.Options
	// MemoryBudget, in bytes, makes the runs memory-aware: a run starts
	// only when the estimates (EstimateMemory) of the runs in flight plus
	// its own fit in the budget (a run larger than the budget runs alone),
	// and where Workers runs of the largest estimate would not fit, the
	// runs start largest first. 0: no budget, up to Workers runs at once in
	// index order.
	MemoryBudget int64
}

// SweepReport says what RunSweep did.
type SweepReport struct {
	// Total is the number of runs in this shard; Skipped were already done (resume); Ran were run now.
	Total, Skipped, Ran int
	// Files are the result files written.
	Files []string
}

// RunSweep runs the sweep's runs (those of opt.Shard) into dir. Each finished
// run is appended to runs.partial.csv and flushed to disk at once, so an
// interrupted sweep loses no finished run; with Resume, runs already recorded
// are skipped. When every run of the shard is done, runs.csv (sorted by run
// index) replaces the journal, and an unsharded sweep also writes points.csv
// and its figures. Output bytes do not depend on Workers.
//
// The journal checks itself (see the journal type for its format): a resume
// drops a torn last record and reruns its run, and refuses, as
// [ErrBadInput] naming the file and line and before anything is written,
// damage that is not a torn tail, records of another sweep, run indices
// outside the sweep or shard, two different records of one run and rows
// that break the seed rule. Without Resume, a directory holding sweep.json
// or result files is refused.
//
// When ctx is cancelled, no new run starts and the runs in flight are
// cancelled; with a context from [Graceful], the runs in flight finish and
// are journalled first. An interrupted sweep returns an [*Interrupted] error
// (which wraps ctx's error) and leaves sweep.json and the journal, never
// runs.csv, points.csv or figures. If ctx is already done, nothing is written.
//
// RunSweep holds dir's lock (LockDir) until it returns, and refuses a
// single run's directory.
func RunSweep(ctx context.Context, sw Sweep, dir string, opt SweepOptions) (SweepReport, error) {
	if err := ctx.Err(); err != nil {
		return SweepReport{}, err
	}
	all, err := sw.Runs()
	if err != nil {
		return SweepReport{}, err
	}
	header, err := sw.SweepJSON()
	if err != nil {
		return SweepReport{}, err
	}
	if strings.ContainsAny(sw.Base.Name, "\r\n") {
		return SweepReport{}, badInputf("scenario name %q holds a line break; a sweep records each run on one line", sw.Base.Name)
	}
	release, err := lockSweepDir(dir)
	if err != nil {
		return SweepReport{}, err
	}
	defer release()
	if err := prepareSweepDir(dir, header, opt); err != nil {
		return SweepReport{}, err
	}
	id := journalID(header)
	rec, err := readRecordedRuns(dir, sw, all, opt.Shard, id)
	if err != nil {
		return SweepReport{}, err
	}
	done := map[int][]string{}
	for k, r := range rec.Rows {
		done[k] = r.Row
	}
	var todo []RunSpec
	total := 0
	for _, rs := range all {
		if !opt.Shard.Has(rs.Index) {
			continue
		}
		total++
		if _, ok := done[rs.Index]; !ok {
			todo = append(todo, rs)
		}
	}
	rep := SweepReport{Total: total, Skipped: total - len(todo)}
	if sw.KeepTimeSeries {
		if err := os.MkdirAll(filepath.Join(dir, TimeSeriesDir), 0o755); err != nil {
			return rep, err
		}
		if err := atomicfile.SyncDir(dir); err != nil {
			return rep, err
		}
	}
	cols := sw.RunColumns()
	journal, err := openJournal(dir, cols, id, rec.Journal.End)
	if err != nil {
		return rep, err
	}
	if opt.Progress != nil {
		opt.Progress(rep.Skipped, total)
	}
	runErr := runPool(ctx, runContext(ctx), todo, workers(opt.Workers), opt.MemoryBudget, func(rs RunSpec, res Result) error {
		row := sw.runRow(rs, res.Summary)
		if sw.KeepTimeSeries {
			p := filepath.Join(dir, TimeSeriesDir, fmt.Sprintf("run-%06d.csv", rs.Index))
			if err := WriteFileAtomic(p, timeSeriesCSV(res.Samples)); err != nil {
				return err
			}
		}
		if err := journal.append(row); err != nil {
			return err
		}
		done[rs.Index] = row
		rep.Ran++
		if opt.Progress != nil {
			opt.Progress(rep.Skipped+rep.Ran, total)
		}
		return nil
	})
	if cerr := journal.close(); runErr == nil {
		runErr = cerr
	}
	if runErr != nil {
		if errors.Is(runErr, context.Canceled) || errors.Is(runErr, context.DeadlineExceeded) {
			runErr = &Interrupted{Recorded: rep.Skipped + rep.Ran, Total: total, Journal: filepath.Join(dir, JournalFileName), Err: runErr}
		}
		return rep, runErr
	}
	files, err := finishSweep(dir, sw, cols, done, opt.Shard, opt.Plot)
	rep.Files = files
	return rep, err
}

func workers(n int) int {
	if n <= 0 {
		return runtime.NumCPU()
	}
	return n
}

// Interrupted is the error of a sweep stopped by the cancellation of its
// context before every run was done: Recorded of the shard's Total runs are
// in the journal, and RunSweep with Resume finishes the sweep.
type Interrupted struct {
	Recorded, Total int
	// Journal is the path of runs.partial.csv.
	Journal string
	// Err is the context's error.
	Err error
}

func (e *Interrupted) Error() string {
	return fmt.Sprintf("sweep interrupted (%v): %d of %d runs recorded in %s", e.Err, e.Recorded, e.Total, e.Journal)
}

func (e *Interrupted) Unwrap() error { return e.Err }

type runContextKey struct{}

// Graceful returns a context for RunSweep that makes the cancellation of
// drain graceful: once drain is done the sweep starts no new run, but the
// runs already in flight go on, under runs, until they finish and are
// journalled, or until runs is done too (they are then abandoned). runs
// should be drain or one of its parents, so that cancelling it also drains.
func Graceful(drain, runs context.Context) context.Context {
	return context.WithValue(drain, runContextKey{}, runs)
}

// runContext is the context the runs of a sweep under ctx run in.
func runContext(ctx context.Context) context.Context {
	if r, ok := ctx.Value(runContextKey{}).(context.Context); ok {
		return r
	}
	return ctx
}

// RunAll runs the scenarios on n goroutines (0: one per CPU) and
// calls record, on the calling goroutine, with each one's index and result
// as it finishes (in no set order). On the first error of a run or of
// record, or when ctx is done, the runs in flight are cancelled and RunAll
// returns that error (a run's error names its index). It returns nil only
// if every scenario was run and recorded.
func RunAll(ctx context.Context, scenarios []Scenario, n int, record func(i int, res Result) error) error {
	specs := make([]RunSpec, len(scenarios))
	for i, sc := range scenarios {
		specs[i] = RunSpec{Index: i, Scenario: sc}
	}
	return runPool(ctx, ctx, specs, workers(n), 0, func(rs RunSpec, res Result) error { return record(rs.Index, res) })
}

// runPool runs specs, at most n at once, and calls record, on the calling
// goroutine, as each finishes. With a memory budget (bytes, > 0) a run
// starts only when the estimates of the runs in flight plus its own fit in
// the budget, largest first where memory binds (see runQueue); otherwise
// they start in index order. Once drain is done no run starts and those
// in flight finish and are recorded; once runs is done, or on the first
// error, the runs in flight are cancelled and nothing more is recorded. It
// returns nil only if every spec was run and recorded and drain is not done.
func runPool(drain, runs context.Context, specs []RunSpec, n int, budget int64, record func(RunSpec, Result) error) error {
	ctx, cancel := context.WithCancel(runs)
	defer cancel()
	type outcome struct {
		rs   RunSpec
		need int64
		res  Result
		err  error
	}
	var needs []int64
	if budget > 0 {
		needs = sweepNeeds(specs)
	} else {
		needs = make([]int64, len(specs))
	}
	queue := newRunQueue(specs, needs, n, budget)
	results := make(chan outcome, max(n, 1)) // runs never wait for the journal write
	inFlight := 0
	fill := func() {
		for drain.Err() == nil && ctx.Err() == nil {
			rs, need, ok := queue.start()
			if !ok {
				return
			}
			inFlight++
			go func() {
				res, err := Run(ctx, rs.Scenario, nil)
				results <- outcome{rs, need, res, err}
			}()
		}
	}
	var firstErr error
	recorded := 0
	for fill(); inFlight > 0; {
		o := <-results
		inFlight--
		queue.finish(o.need)
		if firstErr != nil {
			continue
		}
		switch {
		case o.err != nil:
			firstErr = o.err
			if !errors.Is(o.err, context.Canceled) && !errors.Is(o.err, context.DeadlineExceeded) {
				firstErr = fmt.Errorf("run %d (%s, replicate %d): %w", o.rs.Index, o.rs.Point.Key(nil), o.rs.Replicate, o.err)
			}
			cancel()
		default:
			if err := record(o.rs, o.res); err != nil {
				firstErr = err
				cancel()
				continue
			}
			recorded++
			fill()
		}
	}
	if firstErr == nil {
		// Stopped is stopped, even if the runs in flight happened to be the last.
		firstErr = drain.Err()
	}
	if firstErr == nil && recorded < len(specs) {
		firstErr = runs.Err()
		if firstErr == nil {
			firstErr = fmt.Errorf("internal error: %d of %d runs done", recorded, len(specs))
		}
	}
	return firstErr
}

// prepareSweepDir creates dir and its sweep.json, or checks that an existing
// one describes the same sweep (resume). Result files without a sweep.json
// are refused, never adopted.
func prepareSweepDir(dir string, header []byte, opt SweepOptions) error {
	if err := PrepareOutDir(dir); err != nil {
		return err
	}
	path := filepath.Join(dir, SweepFileName)
	old, err := os.ReadFile(path)
	switch {
	case err == nil && !opt.Resume:
		return badInputf("out: %q %w", dir, ErrSweepExists)
	case err == nil:
		if sweepIdentity(old) != sweepIdentity(header) {
			return badInputf("resume: %q %w (its sweep.json differs from this one's)", dir, ErrDifferentSweep)
		}
		shardPath := filepath.Join(dir, ShardFileName)
		if b, err := os.ReadFile(shardPath); err == nil || !opt.Shard.Whole() {
			var held Shard // no shard.json: the whole sweep
			if err == nil {
				if held, err = parseShardFile(b); err != nil {
					return badInputf("resume: %s: %v", shardPath, err)
				}
			}
			if held.String() != opt.Shard.String() {
				return badInputf("resume: %q holds shard %s of the sweep, not %s", dir, held, opt.Shard)
			}
		}
		return nil
	case !os.IsNotExist(err):
		return err
	}
	if err := refuseStaleResults(dir); err != nil {
		return err
	}
	if !opt.Shard.Whole() {
		if err := WriteFileAtomic(filepath.Join(dir, ShardFileName), marshalShardFile(opt.Shard)); err != nil {
			return err
		}
	}
	if err := WriteFileAtomic(path, header); err != nil {
		return err
	}
	return atomicfile.SyncDir(filepath.Dir(filepath.Clean(dir)))
}

// refuseStaleResults refuses a directory without sweep.json that holds a
// sweep's result files: they belong to a sweep nobody can name any more.
func refuseStaleResults(dir string) error {
	for _, name := range []string{JournalFileName, RunsFileName, PointsFileName, MitigationsFileName} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return badInputf("out: %q holds %s but no %s: results of an unknown sweep are never adopted; remove them or write elsewhere", dir, name, SweepFileName)
		}
	}
	return nil
}

// shardFile is shard.json, which a sharded sweep's directory holds beside
// sweep.json: the shard of the sweep's runs it holds, as "i/n".
type shardFile struct {
	Shard string `json:"shard"`
}

// marshalShardFile returns shard.json's bytes for sh, indented by two spaces
// and ending in a newline: {\n  "shard": "i/n"\n}\n, the bytes every
// version has written.
func marshalShardFile(sh Shard) []byte {
	b, err := json.MarshalIndent(shardFile{Shard: sh.String()}, "", "  ")
	if err != nil {
		panic("experiments: shard.json: " + err.Error()) // a struct of one string always marshals
	}
	return append(b, '\n')
}

// parseShardFile reads shard.json's bytes: a JSON object whose "shard" is a
// valid i/n.
func parseShardFile(b []byte) (Shard, error) {
	var f shardFile
	if err := json.Unmarshal(b, &f); err != nil {
		return Shard{}, fmt.Errorf("not a shard file: %v", err)
	}
	return ParseShard(f.Shard)
}

// finishSweep writes runs.csv once every run of the shard is recorded, and for
// an unsharded sweep points.csv and the figures, each durably (fsynced with
// its directory); only then is the journal removed.
func finishSweep(dir string, sw Sweep, cols []string, done map[int][]string, sh Shard, fig plots.Options) ([]string, error) {
	rows := make([][]string, 0, len(done))
	for _, r := range done {
		rows = append(rows, r)
	}
	sort.Slice(rows, func(a, b int) bool { return atoi(rows[a][0]) < atoi(rows[b][0]) })
	files, err := writeSweepResults(dir, sw, cols, rows, sh.Whole(), fig)
	if err != nil {
		return nil, err
	}
	if err := os.Remove(filepath.Join(dir, JournalFileName)); err != nil && !os.IsNotExist(err) {
		return files, err
	}
	return files, atomicfile.SyncDir(dir)
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// writeSweepResults writes runs.csv and, when withPoints, points.csv and the figures.
func writeSweepResults(dir string, sw Sweep, cols []string, rows [][]string, withPoints bool, fig plots.Options) ([]string, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(cols)
	w.WriteAll(rows)
	runsPath := filepath.Join(dir, RunsFileName)
	if err := WriteFileAtomic(runsPath, buf.Bytes()); err != nil {
		return nil, err
	}
	files := []string{filepath.Join(dir, SweepFileName), runsPath}
	if !withPoints {
		return files, nil
	}
	table := Aggregate(sw, cols, rows)
	pointsPath := filepath.Join(dir, PointsFileName)
	if err := WriteFileAtomic(pointsPath, table.CSV()); err != nil {
		return nil, err
	}
	files = append(files, pointsPath)
	if isMitigationSweep(sw) {
		p := filepath.Join(dir, MitigationsFileName)
		if err := WriteFileAtomic(p, MitigationsCSV(table)); err != nil {
			return nil, err
		}
		files = append(files, p)
	}
	figs, err := drawSweep(dir, sw, table, fig)
	if err != nil {
		return files, err
	}
	return append(files, figs...), nil
}
