package experiments

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/gossipsim/gossipsim/internal/atomicfile"
)

// journal appends finished runs to a sweep's journal, runs.partial.csv, one
// fsynced write per run, so that a sweep killed at any moment loses no
// finished run and a resume can tell a whole record from a torn one.
//
// # Format
//
// The journal is CSV, one record per line, every line ending in "\n". The
// first line is the header: the columns of runs.csv followed by "sweep_id"
// and "crc32c". Every other line is one finished run:
//
//	<the run's runs.csv row>,<sweep id>,<crc>\n
//
// where
//   - <the run's runs.csv row> is the run's row exactly as runs.csv will
//     hold it (encoding/csv, without its newline), run index first;
//   - <sweep id> is 16 lowercase hex digits: the first 8 bytes of the
//     SHA-256 of sweep.json without its provenance (see sweepIdentity), so a
//     record names the sweep it belongs to;
//   - <crc> is 8 lowercase hex digits: the CRC-32C (Castagnoli) of the
//     line's bytes before ",<crc>\n", that is the row, a comma and the
//     sweep id.
//
// For example (columns elided):
//
//	run,point,replicate,grid_nodes,...,stopped,sweep_id,crc32c
//	0,0,0,40,...,,5c1e0c7a9b3f2d10,8e2f61c4
//
// runs.csv is the rows alone: the journal's last two fields are stripped.
// A record never holds a line break (RunSweep refuses a scenario name that
// has one), so a line is a record.
//
// # Reading
//
// A resume keeps the longest prefix of whole records: those ending in a
// newline with a matching CRC. The first damaged line and everything after
// it is a torn tail, left by a crash in the middle of a write: it is cut
// off (the file is truncated to the end of the last whole record before
// anything is appended, so a torn line never ends up in the middle), and
// its runs are run again. Damage followed by a whole record is not a crash
// tear and is refused, as is a whole record of another sweep or of another
// shape, a run index outside the sweep or its shard, two different records
// of one run, and a row whose point, replicate, grid values or seed are not
// those the sweep gives its run index (the seed rule). A header cut short
// is a journal that never held a record; any other header is refused.
type journal struct {
	f  *os.File
	w  io.Writer
	id string
}

const (
	journalIDColumn  = "sweep_id"
	journalCRCColumn = "crc32c"
	// journalTrailer is the length of ",<crc>\n" at the end of a record.
	journalTrailer = 1 + 8 + 1
	// maxRecordSearch bounds the search for a whole record glued after a
	// damaged one, in bytes; real records are a few hundred bytes.
	maxRecordSearch = 16 << 10
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// journalWriter is where a journal's records are written; tests replace it
// to inject faults such as a full disk.
var journalWriter = func(f *os.File) io.Writer { return f }

// journalID is the sweep identity the journal's records carry: 16 hex
// digits of the SHA-256 of sweep.json without its provenance.
func journalID(sweepJSON []byte) string {
	sum := sha256.Sum256([]byte(sweepIdentity(sweepJSON)))
	return hex.EncodeToString(sum[:8])
}

// csvLine is fields as one CSV line, newline included.
func csvLine(fields []string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(fields)
	w.Flush()
	return buf.Bytes()
}

// journalHeader is the journal's first line for a sweep with columns cols.
func journalHeader(cols []string) []byte {
	return csvLine(append(slices.Clip(cols), journalIDColumn, journalCRCColumn))
}

// journalLine renders row as a journal record of the sweep id.
func journalLine(row []string, id string) ([]byte, error) {
	b := csvLine(row)
	b = b[:len(b)-1]
	if bytes.ContainsAny(b, "\r\n") {
		return nil, fmt.Errorf("run %s: a text field holds a line break, and a journal record must be one line", row[0])
	}
	b = append(append(b, ','), id...)
	return fmt.Appendf(b, ",%08x\n", crc32.Checksum(b, castagnoli)), nil
}

// wholeRecord reports whether line (newline included) ends in ",<crc>\n"
// with <crc> the CRC-32C of the bytes before it.
func wholeRecord(line []byte) bool {
	n := len(line)
	if n < journalTrailer+1 || line[n-1] != '\n' || line[n-journalTrailer] != ',' {
		return false
	}
	var want uint32
	for _, c := range line[n-9 : n-1] {
		switch {
		case '0' <= c && c <= '9':
			want = want<<4 | uint32(c-'0')
		case 'a' <= c && c <= 'f':
			want = want<<4 | uint32(c-'a'+10)
		default:
			return false
		}
	}
	return crc32.Checksum(line[:n-journalTrailer], castagnoli) == want
}

// journalRecord is one whole record of a journal.
type journalRecord struct {
	// Line is the record's line number, from 1 (the header).
	Line int
	// Start and End are the byte offsets of the line, newline included.
	Start, End int
	// Row is the run's runs.csv row.
	Row []string
}

// journalScan is what a journal holds.
type journalScan struct {
	// Records are the whole records, in order.
	Records []journalRecord
	// End is the offset just after the header and the last whole record:
	// where appends go. 0 means the header too must be written.
	End int
	// TornLine is the line of a torn tail that was dropped, 0 if none.
	TornLine int
}

// scanJournal reads the bytes of the journal at path (named in errors) of
// a sweep with runs.csv columns cols and journal id. It drops a torn tail,
// and refuses, as bad input naming the line, a foreign header, damage
// followed by a whole record, and whole records of another sweep or shape.
// It does not check the rows against the sweep's runs (see runCheck).
func scanJournal(path string, data []byte, cols []string, id string) (journalScan, error) {
	var js journalScan
	head := journalHeader(cols)
	if len(data) < len(head) && bytes.HasPrefix(head, data) {
		return js, nil // no header yet, or one cut short: the journal never held a record
	}
	if !bytes.HasPrefix(data, head) {
		return js, badInputf("%s line 1: the header is not this sweep's (another grid, another version of gossipsim, or not a journal)", path)
	}
	js.End = len(head)
	line := 2
	for start := len(head); start < len(data); line++ {
		end := len(data)
		if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
			end = start + i + 1
		}
		raw := data[start:end]
		if !wholeRecord(raw) {
			if at := wholeRecordAfter(data, start, end, line); at > 0 {
				return js, badInputf("%s line %d: a damaged record followed by a whole one (line %d): not a crash tear, the journal was edited or corrupted", path, line, at)
			}
			js.TornLine = line
			return js, nil
		}
		row, err := parseCSVLine(raw)
		switch {
		case err != nil:
			return js, badInputf("%s line %d: a record with a valid checksum that is not one CSV row (%v)", path, line, err)
		case len(row) != len(cols)+2:
			return js, badInputf("%s line %d: a record of %d fields, this sweep's have %d", path, line, len(row), len(cols)+2)
		case row[len(cols)] != id:
			return js, badInputf("%s line %d: a record of another sweep (sweep id %.20q, this sweep's is %s)", path, line, row[len(cols)], id)
		}
		js.Records = append(js.Records, journalRecord{Line: line, Start: start, End: end, Row: row[:len(cols):len(cols)]})
		js.End, start = end, end
	}
	return js, nil
}

// wholeRecordAfter returns the line number of a whole record after the
// damaged line data[start:end] (line n), or glued to its end, or 0.
func wholeRecordAfter(data []byte, start, end, n int) int {
	if end-start > journalTrailer+1 && data[end-1] == '\n' {
		for p := max(start+1, end-maxRecordSearch); p < end-journalTrailer; p++ {
			if wholeRecord(data[p:end]) {
				return n
			}
		}
	}
	for start = end; start < len(data); start = end {
		n++
		end = len(data)
		if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
			end = start + i + 1
		}
		if wholeRecord(data[start:end]) {
			return n
		}
	}
	return 0
}

// parseCSVLine parses one CSV line (newline included) into its fields.
func parseCSVLine(line []byte) ([]string, error) {
	cr := csv.NewReader(bytes.NewReader(line))
	cr.FieldsPerRecord = -1
	row, err := cr.Read()
	if err != nil {
		return nil, err
	}
	if _, err := cr.Read(); err != io.EOF {
		return nil, fmt.Errorf("more than one row")
	}
	return row, nil
}

// openJournal opens dir's journal for appending records of sweep id after
// its first end bytes (journalScan.End): a torn tail beyond them is cut off
// first, and with end 0 the journal is started afresh with its header. The
// journal is fsynced, and dir too when the journal is new.
func openJournal(dir string, cols []string, id string, end int) (*journal, error) {
	path := filepath.Join(dir, JournalFileName)
	_, err := os.Stat(path)
	created := os.IsNotExist(err)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	j := &journal{f: f, w: journalWriter(f), id: id}
	err = f.Truncate(int64(end))
	if err == nil && end == 0 {
		_, err = j.w.Write(journalHeader(cols))
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil && created {
		err = atomicfile.SyncDir(dir)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return j, nil
}

// append writes one finished run's row and fsyncs it.
func (j *journal) append(row []string) error {
	line, err := journalLine(row, j.id)
	if err != nil {
		return err
	}
	if _, err := j.w.Write(line); err != nil {
		return fmt.Errorf("journal %s: %w", j.f.Name(), err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal %s: %w", j.f.Name(), err)
	}
	return nil
}

func (j *journal) close() error { return j.f.Close() }

// journalBytes is a whole journal of sweep id, columns cols, holding rows.
func journalBytes(rows [][]string, cols []string, id string) ([]byte, error) {
	b := journalHeader(cols)
	for _, r := range rows {
		line, err := journalLine(r, id)
		if err != nil {
			return nil, err
		}
		b = append(b, line...)
	}
	return b, nil
}

// recordedRow is a run's row and where it was read.
type recordedRow struct {
	Row  []string
	File string
	Line int
}

func (r recordedRow) where() string { return fmt.Sprintf("%s line %d", r.File, r.Line) }

// runCheck checks recorded rows against the sweep and collects them by run
// index: the row's shape, its run index (in the sweep and in the shard),
// the point, replicate, grid values and seed the sweep gives that index,
// and that no run has two different rows.
type runCheck struct {
	runs    []RunSpec
	cols    []string
	axes    int
	seedCol int
	shard   Shard
	rows    map[int]recordedRow
}

func newRunCheck(sw Sweep, runs []RunSpec, sh Shard) *runCheck {
	cols := sw.RunColumns()
	return &runCheck{runs: runs, cols: cols, axes: len(sw.Axes), seedCol: slices.Index(cols, "seed"), shard: sh, rows: map[int]recordedRow{}}
}

// add checks row, read at file's line, and records it. Errors are bad
// input naming file and line.
func (c *runCheck) add(row []string, file string, line int) error {
	if len(row) != len(c.cols) {
		return badInputf("%s line %d: %d fields, this sweep's rows have %d", file, line, len(row), len(c.cols))
	}
	k, err := strconv.Atoi(row[0])
	if err != nil || strconv.Itoa(k) != row[0] {
		return badInputf("%s line %d: run %.20q is not a run index", file, line, row[0])
	}
	if k < 0 || k >= len(c.runs) {
		return badInputf("%s line %d: run %d is outside the sweep (runs 0 to %d)", file, line, k, len(c.runs)-1)
	}
	if !c.shard.Has(k) {
		return badInputf("%s line %d: run %d is not in shard %s, the shard of this directory", file, line, k, c.shard)
	}
	rs := c.runs[k]
	want := []struct{ col, val string }{
		{c.cols[1], strconv.Itoa(rs.Point.Index)},
		{c.cols[2], strconv.Itoa(rs.Replicate)},
	}
	for i := range c.axes {
		want = append(want, struct{ col, val string }{c.cols[3+i], rs.Point.Values[i]})
	}
	if c.seedCol >= 0 {
		want = append(want, struct{ col, val string }{"seed", strconv.FormatUint(rs.Scenario.Seed, 10)})
	}
	for _, w := range want {
		if got := row[slices.Index(c.cols, w.col)]; got != w.val {
			return badInputf("%s line %d: run %d has %s %.40q, the sweep's run %d has %s (a renumbered row, or one of another sweep)", file, line, k, w.col, got, k, w.val)
		}
	}
	if prev, ok := c.rows[k]; ok {
		if !slices.Equal(prev.Row, row) {
			return badInputf("%s line %d: run %d is recorded twice with different results (also at %s)", file, line, k, prev.where())
		}
		return nil
	}
	c.rows[k] = recordedRow{Row: row, File: file, Line: line}
	return nil
}

// recordedRuns is what a sweep directory holds.
type recordedRuns struct {
	// Rows are the recorded runs by index, checked against the sweep.
	Rows map[int]recordedRow
	// Journal is the journal's scan (zero if there is none).
	Journal journalScan
}

// readRecordedRuns reads and checks the runs recorded in dir for the sweep
// sw (runs are sw.Runs(), id its journal id) in shard sh: runs.csv if the
// shard was completed, then the journal, whose torn tail is dropped (not
// cut off: see openJournal). Any other damage, a row of another sweep, of
// another shard or against the seed rule, and two different rows of one
// run, are bad input naming the file and line.
func readRecordedRuns(dir string, sw Sweep, runs []RunSpec, sh Shard, id string) (recordedRuns, error) {
	check := newRunCheck(sw, runs, sh)
	rec := recordedRuns{Rows: check.rows}
	runsPath := filepath.Join(dir, RunsFileName)
	if b, err := os.ReadFile(runsPath); err == nil {
		if err := readRunsCSV(runsPath, b, check); err != nil {
			return rec, err
		}
	} else if !os.IsNotExist(err) {
		return rec, err
	}
	path := filepath.Join(dir, JournalFileName)
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return rec, nil
	}
	if err != nil {
		return rec, err
	}
	if rec.Journal, err = scanJournal(path, b, check.cols, id); err != nil {
		return rec, err
	}
	for _, r := range rec.Journal.Records {
		if err := check.add(r.Row, path, r.Line); err != nil {
			return rec, err
		}
	}
	return rec, nil
}

// readRunsCSV checks and adds the rows of a runs.csv (written whole by
// WriteFileAtomic: nothing in it may be torn).
func readRunsCSV(path string, b []byte, check *runCheck) error {
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err == io.EOF {
		return badInputf("%s: empty, without its header", path)
	}
	if err != nil {
		return badInputf("%s: %v", path, err)
	}
	if !slices.Equal(head, check.cols) {
		return badInputf("%s line 1: its columns are not this sweep's (written by another version or for another grid)", path)
	}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return badInputf("%s: %v", path, err)
		}
		line, _ := cr.FieldPos(0)
		if err := check.add(row, path, line); err != nil {
			return err
		}
	}
}

// sortedRows is rows' rows in run index order.
func sortedRows(rows map[int]recordedRow) [][]string {
	keys := make([]int, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([][]string, len(keys))
	for i, k := range keys {
		out[i] = rows[k].Row
	}
	return out
}
