package experiments

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gossipsim/gossipsim/internal/atomicfile"
	"github.com/gossipsim/gossipsim/plots"
	"github.com/gossipsim/gossipsim/sim"
)

// journalSweep is 3 points × 2 replicates of 8-node, 5 s runs: milliseconds
// each. Its shard 1/2 holds runs 0, 2 and 4 and writes runs.csv alone (no
// figures), which keeps a resume per byte offset cheap.
func journalSweep() Sweep {
	sc := DefaultScenario()
	sc.Fleet.Nodes = 8
	sc.Duration = 5 * sim.Second
	sc.Fleet.Corruption.Probability = 1e-2
	return Sweep{Experiment: "custom", Seed: 3, Replicates: 2, Base: sc, Axes: []Axis{mustAxis("fanout=1,2,3")}}
}

var journalShard = Shard{I: 1, N: 2}

// journalRef runs the shard uninterrupted into a fresh directory and returns
// it with its rows (runs.csv without the header) and the whole journal it
// would have written, one line per row.
func journalRef(t *testing.T) (dir string, rows [][]string, lines [][]byte) {
	t.Helper()
	sw := journalSweep()
	dir = filepath.Join(t.TempDir(), "ref")
	runSweep(t, sw, dir, SweepOptions{Workers: 2, Shard: journalShard})
	_, header, rows, err := LoadSweep(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		line, err := journalLine(r, journalID(header))
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	return dir, rows, lines
}

// fastTempDir is a temporary directory in memory (/dev/shm) when there is
// one: a resume at every byte offset fsyncs thousands of times, which takes
// seconds on a disk and nothing in memory. Elsewhere it is t.TempDir().
func fastTempDir(t *testing.T) string {
	t.Helper()
	if d, err := os.MkdirTemp("/dev/shm", "gossipsim-test-"); err == nil {
		t.Cleanup(func() { os.RemoveAll(d) })
		return d
	}
	return t.TempDir()
}

// interruptedDir makes a directory holding the sweep.json and shard.json of
// ref and journal as its runs.partial.csv.
func interruptedDir(t *testing.T, ref string, journal []byte) string {
	t.Helper()
	return interruptedDirIn(t, t.TempDir(), ref, journal)
}

func interruptedDirIn(t *testing.T, root, ref string, journal []byte) string {
	t.Helper()
	dir, err := os.MkdirTemp(root, "cut-")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{SweepFileName, ShardFileName} {
		b, err := os.ReadFile(filepath.Join(ref, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, JournalFileName), journal, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// TestResumeTornRecordEveryLength: a journal cut at every byte offset of its
// last record, and of a middle record (everything after it lost too, as a
// crash leaves it), resumes into runs.csv byte-identical to an uninterrupted
// sweep's, rerunning exactly the runs whose records were not whole.
func TestResumeTornRecordEveryLength(t *testing.T) {
	ref, _, lines := journalRef(t)
	head := journalHeader(journalSweep().RunColumns())
	want, _ := os.ReadFile(filepath.Join(ref, RunsFileName))
	root := fastTempDir(t)
	tests := []struct {
		name   string
		record int // the record cut
	}{
		{name: "last record", record: 2},
		{name: "middle record", record: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := concat(append([][]byte{head}, lines[:tc.record]...)...)
			line := lines[tc.record]
			for cut := 0; cut < len(line); cut++ {
				dir := interruptedDirIn(t, root, ref, concat(before, line[:cut]))
				rep, err := RunSweep(context.Background(), journalSweep(), dir, SweepOptions{Workers: 1, Shard: journalShard, Resume: true})
				if err != nil {
					t.Fatalf("cut at byte %d of %d: %v", cut, len(line), err)
				}
				if rep.Skipped != tc.record || rep.Ran != 3-tc.record {
					t.Fatalf("cut at byte %d of %d: skipped %d, ran %d; want %d, %d", cut, len(line), rep.Skipped, rep.Ran, tc.record, 3-tc.record)
				}
				if got, _ := os.ReadFile(filepath.Join(dir, RunsFileName)); !bytes.Equal(got, want) {
					t.Fatalf("cut at byte %d of %d: runs.csv differs from the uninterrupted sweep's:\n%s\nwant\n%s", cut, len(line), got, want)
				}
				if _, err := os.Stat(filepath.Join(dir, JournalFileName)); !os.IsNotExist(err) {
					t.Fatalf("cut at byte %d: the journal was left behind", cut)
				}
			}
		})
	}
	// A cut header is a journal that never held a record.
	for cut := 0; cut < len(head); cut += 37 {
		dir := interruptedDirIn(t, root, ref, head[:cut])
		if rep := runSweep(t, journalSweep(), dir, SweepOptions{Workers: 1, Shard: journalShard, Resume: true}); rep.Ran != 3 {
			t.Fatalf("header cut at byte %d: ran %d of 3", cut, rep.Ran)
		}
	}
}

// TestResumeCutsTornTailBeforeAppending: the resumed journal is cut back to
// its last whole record before the first append, so the torn bytes never
// end up between two records.
func TestResumeCutsTornTailBeforeAppending(t *testing.T) {
	ref, _, lines := journalRef(t)
	head := journalHeader(journalSweep().RunColumns())
	dir := interruptedDir(t, ref, concat(head, lines[0], lines[1][:40]))
	// Stop after the first run, so the journal stays.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := RunSweep(ctx, journalSweep(), dir, SweepOptions{Workers: 1, Shard: journalShard, Resume: true, Progress: func(done, total int) {
		if done >= 2 {
			cancel()
		}
	}})
	var intr *Interrupted
	if !errors.As(err, &intr) {
		t.Fatalf("interrupted resume: %v", err)
	}
	// Run 2 was journalled, and perhaps run 4 (in flight when stopped).
	got, _ := os.ReadFile(filepath.Join(dir, JournalFileName))
	if a, b := concat(head, lines[0], lines[1]), concat(head, lines[0], lines[1], lines[2]); !bytes.Equal(got, a) && !bytes.Equal(got, b) {
		t.Fatalf("journal after a resume over a torn record:\n%s\nwant\n%s", got, a)
	}
}

// TestResumeChainOfInterruptions: interrupt, tear the last record, resume,
// interrupt, tear, ... then finish: every step stays resumable, and the
// result is byte-identical to an uninterrupted sweep's.
func TestResumeChainOfInterruptions(t *testing.T) {
	sw := journalSweep()
	root := t.TempDir()
	whole := filepath.Join(root, "whole")
	runSweep(t, sw, whole, SweepOptions{Workers: 2})
	want, _ := os.ReadFile(filepath.Join(whole, RunsFileName))
	wantLines := bytes.Split(want, []byte("\n"))
	dir := filepath.Join(root, "chain")
	cols := sw.RunColumns()
	for step := 0; ; step++ {
		ctx, cancel := context.WithCancel(context.Background())
		target := -1
		rep, err := RunSweep(ctx, sw, dir, SweepOptions{Workers: 1, Resume: step > 0, Progress: func(done, total int) {
			if target < 0 {
				target = done + 1
			}
			if done >= target {
				cancel()
			}
		}})
		cancel()
		if err == nil {
			if rep.Skipped+rep.Ran != 6 || rep.Ran > 1 {
				t.Errorf("last step skipped %d and ran %d; want 6 in all, at most 1 run now", rep.Skipped, rep.Ran)
			}
			break
		}
		if !errors.Is(err, context.Canceled) || step > 6 {
			t.Fatalf("step %d: %v", step, err)
		}
		// Every record is whole, then tear half of the next run's record
		// onto the end (a crash in the middle of its write).
		runs := journalRuns(t, dir, cols)
		if len(runs) == 6 {
			continue // stopped as the last run was journalled
		}
		line := string(wantLines[1+len(runs)])
		f, err := os.OpenFile(filepath.Join(dir, JournalFileName), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(line[:len(line)/2+step])
		f.Close()
	}
	sameFiles(t, whole, dir, SweepFileName, RunsFileName, PointsFileName)
}

// TestResumeRefusesBadJournal: damage that is not a torn tail, and whole
// records that do not belong, are refused as bad input with a one-line
// error naming the journal's line, before anything is written.
func TestResumeRefusesBadJournal(t *testing.T) {
	ref, rows, lines := journalRef(t)
	sw := journalSweep()
	cols := sw.RunColumns()
	head := journalHeader(cols)
	header, _ := os.ReadFile(filepath.Join(ref, SweepFileName))
	id := journalID(header)
	other := sw
	other.Seed = 4
	otherHeader, _ := other.SweepJSON()
	otherRuns, _ := other.Runs()
	record := func(row []string, id string) []byte {
		b, err := journalLine(row, id)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	edit := func(row []string, col string, val string) []string {
		r := append([]string(nil), row...)
		for i, c := range cols {
			if c == col {
				r[i] = val
			}
		}
		return r
	}
	flipped := append([]byte(nil), lines[1]...)
	flipped[20] ^= 0x04
	tests := []struct {
		name    string
		journal []byte
		want    string // in the error, after "runs.partial.csv line N: "
		line    int
	}{
		{name: "record of another sweep (valid checksum)", line: 3,
			journal: concat(head, lines[0], record(rows[1], journalID(otherHeader)), lines[2]), want: "another sweep"},
		{name: "another sweep's row under this sweep's id (seed rule)", line: 3,
			journal: concat(head, lines[0], record(edit(rows[1], "seed", fmt.Sprint(otherRuns[2].Scenario.Seed)), id)), want: "has seed"},
		{name: "run index outside the sweep", line: 2,
			journal: concat(head, record(edit(rows[0], "run", "6"), id), lines[1]), want: "outside the sweep"},
		{name: "negative run index", line: 2,
			journal: concat(head, record(edit(rows[0], "run", "-2"), id)), want: "outside the sweep"},
		{name: "run index outside the shard", line: 2,
			journal: concat(head, record(edit(rows[0], "run", "1"), id)), want: "not in shard 1/2"},
		{name: "renumbered row", line: 4,
			journal: concat(head, lines[0], lines[1], record(edit(rows[0], "run", "4"), id)), want: "renumbered"},
		{name: "conflicting duplicate", line: 4,
			journal: concat(head, lines[0], lines[1], record(edit(rows[0], "messages_sent", "1"), id)), want: "recorded twice"},
		{name: "whole record of another shape", line: 2,
			journal: concat(head, record(rows[0][:10], id)), want: "fields"},
		{name: "header of another grid", line: 1,
			journal: concat(journalHeader(cols[1:]), lines[0]), want: "header"},
		{name: "flipped bit followed by a whole record", line: 3,
			journal: concat(head, lines[0], flipped, lines[2]), want: "not a crash tear"},
		{name: "blank line followed by a whole record", line: 3,
			journal: concat(head, lines[0], []byte("\n"), lines[2]), want: "not a crash tear"},
	}
	// A middle record cut at every length, with the records after it kept:
	// damage glued to a whole record is not a torn tail.
	for cut := 1; cut < len(lines[1]); cut++ {
		tests = append(tests, struct {
			name    string
			journal []byte
			want    string
			line    int
		}{name: fmt.Sprintf("middle record cut to %d bytes", cut), line: 3,
			journal: concat(head, lines[0], lines[1][:cut], lines[2]), want: "not a crash tear"})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := interruptedDir(t, ref, tc.journal)
			_, err := RunSweep(context.Background(), sw, dir, SweepOptions{Workers: 1, Shard: journalShard, Resume: true})
			wantAt := fmt.Sprintf("%s line %d: ", filepath.Join(dir, JournalFileName), tc.line)
			if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), wantAt) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("resume: %v; want one line of bad input with %q and %q", err, wantAt, tc.want)
			}
			if got, _ := os.ReadFile(filepath.Join(dir, JournalFileName)); !bytes.Equal(got, tc.journal) {
				t.Errorf("a refused resume changed the journal")
			}
			if _, err := os.Stat(filepath.Join(dir, RunsFileName)); err == nil {
				t.Errorf("a refused resume wrote runs.csv")
			}
		})
	}

	// An identical duplicate (the same run journalled twice) is harmless.
	dir := interruptedDir(t, ref, concat(head, lines[0], lines[1], lines[0]))
	runSweep(t, sw, dir, SweepOptions{Workers: 1, Shard: journalShard, Resume: true})
	sameFiles(t, ref, dir, RunsFileName)

	// runs.csv is checked as strictly (it is left next to the journal by a
	// crash between the two).
	dir = interruptedDir(t, ref, concat(head, lines[0]))
	runsCSV := concat(csvLine(cols), csvLine(edit(rows[1], "seed", "12345")))
	os.WriteFile(filepath.Join(dir, RunsFileName), runsCSV, 0o644)
	_, err := RunSweep(context.Background(), sw, dir, SweepOptions{Workers: 1, Shard: journalShard, Resume: true})
	if want := filepath.Join(dir, RunsFileName) + " line 2: run 2 has seed"; !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), want) {
		t.Fatalf("resume over a runs.csv with a foreign seed: %v; want bad input with %q", err, want)
	}
}

// TestSweepRefusesStaleResults: result files in a directory that a sweep
// would start in are refused, never adopted, with or without resume.
func TestSweepRefusesStaleResults(t *testing.T) {
	ref, _, lines := journalRef(t)
	head := journalHeader(journalSweep().RunColumns())
	runsCSV, _ := os.ReadFile(filepath.Join(ref, RunsFileName))
	tests := []struct {
		name      string
		files     map[string][]byte
		resume    bool
		want      string
		sweepJSON bool
	}{
		{name: "journal without sweep.json", files: map[string][]byte{JournalFileName: concat(head, lines[0])}, want: JournalFileName},
		{name: "journal without sweep.json, resume", files: map[string][]byte{JournalFileName: concat(head, lines[0])}, resume: true, want: JournalFileName},
		{name: "runs.csv without sweep.json", files: map[string][]byte{RunsFileName: runsCSV}, want: RunsFileName},
		{name: "runs.csv without sweep.json, resume", files: map[string][]byte{RunsFileName: runsCSV}, resume: true, want: RunsFileName},
		{name: "points.csv without sweep.json", files: map[string][]byte{PointsFileName: []byte("point\n")}, want: PointsFileName},
		{name: "sweep.json and journal without resume", files: map[string][]byte{JournalFileName: concat(head, lines[0])}, sweepJSON: true, want: "already holds a sweep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "stale")
			os.MkdirAll(dir, 0o755)
			if tc.sweepJSON {
				dir = interruptedDir(t, ref, nil)
			}
			for name, b := range tc.files {
				os.WriteFile(filepath.Join(dir, name), b, 0o644)
			}
			_, err := RunSweep(context.Background(), journalSweep(), dir, SweepOptions{Workers: 1, Shard: journalShard, Resume: tc.resume})
			if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("RunSweep: %v; want one line of bad input naming %s", err, tc.want)
			}
			for name, b := range tc.files {
				if got, _ := os.ReadFile(filepath.Join(dir, name)); !bytes.Equal(got, b) {
					t.Errorf("a refused sweep changed %s", name)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, SweepFileName)); err == nil && !tc.sweepJSON {
				t.Errorf("a refused sweep wrote sweep.json")
			}
		})
	}
}

// shardDirs runs journalSweep's two shards into root/shard1 and root/shard2.
func shardDirs(t *testing.T, root string) []string {
	t.Helper()
	var dirs []string
	for i := 1; i <= 2; i++ {
		d := filepath.Join(root, fmt.Sprintf("shard%d", i))
		runSweep(t, journalSweep(), d, SweepOptions{Workers: 2, Shard: Shard{I: i, N: 2}})
		dirs = append(dirs, d)
	}
	return dirs
}

// rewriteRow replaces the row of run `run` in dir's runs.csv with edit(row)
// (removes it if that is nil).
func rewriteRow(t *testing.T, dir string, run string, edit func([]string) []string) {
	t.Helper()
	path := filepath.Join(dir, RunsFileName)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	for i, l := range lines[1:] {
		if strings.HasPrefix(l, run+",") {
			row, err := parseCSVLine([]byte(l))
			if err != nil {
				t.Fatal(err)
			}
			lines[i+1] = ""
			if row = edit(row); row != nil {
				lines[i+1] = string(csvLine(row))
			}
		}
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMergeChecksEveryRow: merge checks the exact set of run indices and
// every row against the sweep's grid and seed rule, refusing a renumbered,
// foreign, extra or missing row with the shard directory, file and line.
func TestMergeChecksEveryRow(t *testing.T) {
	root := t.TempDir()
	whole := filepath.Join(root, "whole")
	runSweep(t, journalSweep(), whole, SweepOptions{Workers: 2})
	other := journalSweep()
	other.Seed = 99
	otherRuns, _ := other.Runs()
	setCol := func(col, val string) func([]string) []string {
		return func(r []string) []string {
			cols := journalSweep().RunColumns()
			for i, c := range cols {
				if c == col {
					r[i] = val
				}
			}
			return r
		}
	}
	tests := []struct {
		name  string
		run   string                  // the row of shard 1 edited
		edit  func([]string) []string // nil: the row is removed
		extra []string                // a row appended to shard 1's runs.csv
		want  string                  // in the error, after the location
		line  int                     // the line named, 0 for none
	}{
		{name: "renumbered row (into its own shard)", run: "2", edit: setCol("run", "4"), want: "renumbered", line: 3},
		{name: "renumbered row (out of its shard)", run: "2", edit: setCol("run", "3"), want: "not in shard 1/2", line: 3},
		{name: "foreign row", run: "4", edit: setCol("seed", fmt.Sprint(otherRuns[4].Scenario.Seed)), want: "has seed", line: 4},
		{name: "another point's grid value", run: "0", edit: setCol("grid_fanout", "3"), want: "has grid_fanout", line: 2},
		{name: "extra row", run: "none", extra: []string{"6"}, want: "outside the sweep", line: 5},
		{name: "missing row", run: "2", want: "1 of 6 runs are missing (the first is run 2)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dirs := shardDirs(t, t.TempDir())
			switch {
			case tc.edit != nil:
				rewriteRow(t, dirs[0], tc.run, tc.edit)
			case tc.extra != nil:
				b, _ := os.ReadFile(filepath.Join(dirs[0], RunsFileName))
				row, _ := parseCSVLine([]byte(strings.SplitAfter(string(b), "\n")[1]))
				row[0] = tc.extra[0]
				os.WriteFile(filepath.Join(dirs[0], RunsFileName), concat(b, csvLine(row)), 0o644)
			default:
				rewriteRow(t, dirs[0], tc.run, func([]string) []string { return nil })
			}
			out := filepath.Join(t.TempDir(), "merged")
			_, err := Merge(dirs, out, plots.Options{})
			want := tc.want
			if tc.line > 0 {
				want = fmt.Sprintf("%s line %d: ", filepath.Join(dirs[0], RunsFileName), tc.line)
			}
			if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("merge: %v; want one line of bad input with %q and %q", err, want, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a refused merge created %s", out)
			}
		})
	}

	// Untouched, the shards merge into the unsharded sweep's files.
	dirs := shardDirs(t, t.TempDir())
	out := filepath.Join(t.TempDir(), "merged")
	if _, err := Merge(dirs, out, plots.Options{}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, whole, out, SweepFileName, RunsFileName, PointsFileName)
}

// fullDisk is a writer that takes room bytes, then fails with ENOSPC (the
// write that does not fit is written in part, as on a real disk).
type fullDisk struct {
	w    io.Writer
	room int
}

func (d *fullDisk) Write(p []byte) (int, error) {
	if len(p) <= d.room {
		d.room -= len(p)
		return d.w.Write(p)
	}
	n, _ := d.w.Write(p[:d.room])
	d.room = 0
	return n, fmt.Errorf("write: %w", syscall.ENOSPC)
}

var atomicfileWriteFile = atomicfile.WriteFile

// failWrites makes WriteFileAtomic fail with ENOSPC for files named name,
// until the test ends.
func failWrites(t *testing.T, name string) {
	t.Helper()
	orig := writeFile
	t.Cleanup(func() { writeFile = orig })
	writeFile = func(path string, data []byte) error {
		if filepath.Base(path) == name {
			return &os.PathError{Op: "write", Path: path, Err: syscall.ENOSPC}
		}
		return orig(path, data)
	}
}

// TestSweepFullDisk: a full disk while journalling or while writing the
// results is an I/O error (not bad input), publishes nothing, and leaves a
// journal that a resume finishes into the uninterrupted sweep's files.
func TestSweepFullDisk(t *testing.T) {
	root := t.TempDir()
	sw := journalSweep()
	whole := filepath.Join(root, "whole")
	runSweep(t, sw, whole, SweepOptions{Workers: 2})
	cols := sw.RunColumns()
	recordLen := len(journalHeader(cols)) // about as long as a record
	tests := []struct {
		name    string
		journal int    // bytes the journal has room for; 0: no limit
		file    string // a result file that does not fit; "": none
	}{
		{name: "journal full in its second record", journal: len(journalHeader(cols)) + recordLen + recordLen/3},
		{name: "journal full in its header", journal: 100},
		{name: "runs.csv does not fit", file: RunsFileName},
		{name: "points.csv does not fit", file: PointsFileName},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "full")
			if tc.journal > 0 {
				orig := journalWriter
				defer func() { journalWriter = orig }()
				journalWriter = func(f *os.File) io.Writer { return &fullDisk{w: f, room: tc.journal} }
			}
			if tc.file != "" {
				failWrites(t, tc.file)
			}
			_, err := RunSweep(context.Background(), sw, dir, SweepOptions{Workers: 1})
			var intr *Interrupted
			if !errors.Is(err, syscall.ENOSPC) || errors.Is(err, ErrBadInput) || errors.As(err, &intr) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("sweep on a full disk: %v; want one line wrapping ENOSPC, not bad input", err)
			}
			if _, err := os.Stat(filepath.Join(dir, JournalFileName)); err != nil {
				t.Fatalf("the journal is gone after a failed sweep: %v", err)
			}
			for _, f := range []string{PointsFileName, MitigationsFileName} {
				if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
					t.Errorf("a failed sweep wrote %s", f)
				}
			}
			journalWriter = func(f *os.File) io.Writer { return f }
			writeFile = atomicfileWriteFile
			runSweep(t, sw, dir, SweepOptions{Workers: 1, Resume: true})
			sameFiles(t, whole, dir, SweepFileName, RunsFileName, PointsFileName)
			if _, err := os.Stat(filepath.Join(dir, JournalFileName)); !os.IsNotExist(err) {
				t.Errorf("the journal was left behind after the resume")
			}
		})
	}
}

// TestMergeRetryAfterFullDisk: a merge that fails half way leaves a
// directory that says it is unfinished (its journal), publishes no
// complete-looking set, and the same merge again finishes it; a finished
// merge, another sweep and stale results are refused.
func TestMergeRetryAfterFullDisk(t *testing.T) {
	root := t.TempDir()
	sw := journalSweep()
	whole := filepath.Join(root, "whole")
	runSweep(t, sw, whole, SweepOptions{Workers: 2})
	dirs := shardDirs(t, root)
	for _, name := range []string{SweepFileName, JournalFileName, RunsFileName, PointsFileName} {
		t.Run(name+" does not fit", func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "merged")
			failWrites(t, name)
			_, err := Merge(dirs, out, plots.Options{})
			if !errors.Is(err, syscall.ENOSPC) || errors.Is(err, ErrBadInput) {
				t.Fatalf("merge on a full disk: %v; want ENOSPC, not bad input", err)
			}
			_, noRuns := os.Stat(filepath.Join(out, RunsFileName))
			_, noJournal := os.Stat(filepath.Join(out, JournalFileName))
			if noRuns == nil && noJournal != nil {
				t.Errorf("a failed merge left runs.csv without the journal: it looks finished")
			}
			if _, err := os.Stat(filepath.Join(out, PointsFileName)); err == nil {
				t.Errorf("a failed merge wrote points.csv")
			}
			writeFile = atomicfileWriteFile
			if _, err := Merge(dirs, out, plots.Options{}); err != nil {
				t.Fatalf("the same merge again: %v", err)
			}
			sameFiles(t, whole, out, SweepFileName, RunsFileName, PointsFileName)
			if _, err := os.Stat(filepath.Join(out, JournalFileName)); !os.IsNotExist(err) {
				t.Errorf("the journal was left behind after the merge")
			}
			if _, err := Merge(dirs, out, plots.Options{}); !errors.Is(err, ErrSweepExists) || !errors.Is(err, ErrBadInput) {
				t.Errorf("merge into a finished merge: %v; want ErrSweepExists as bad input", err)
			}
		})
	}
	t.Run("stale results", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "merged")
		os.MkdirAll(out, 0o755)
		os.WriteFile(filepath.Join(out, RunsFileName), []byte("run\n"), 0o644)
		if _, err := Merge(dirs, out, plots.Options{}); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), RunsFileName) {
			t.Errorf("merge into stale results: %v; want bad input naming runs.csv", err)
		}
	})
	t.Run("another sweep", func(t *testing.T) {
		if _, err := Merge(dirs, dirs[0], plots.Options{}); !errors.Is(err, ErrBadInput) {
			t.Errorf("merge into a shard's directory: %v; want bad input", err)
		}
		other := journalSweep()
		other.Seed = 1
		out := filepath.Join(t.TempDir(), "other")
		runSweep(t, other, out, SweepOptions{Workers: 2, Shard: Shard{I: 1, N: 3}})
		os.Remove(filepath.Join(out, ShardFileName))
		os.Remove(filepath.Join(out, RunsFileName))
		if _, err := Merge(dirs, out, plots.Options{}); !errors.Is(err, ErrSweepExists) || !errors.Is(err, ErrBadInput) {
			t.Errorf("merge into another sweep's directory: %v; want ErrSweepExists as bad input", err)
		}
	})
}
