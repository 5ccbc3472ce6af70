package experiments

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
	"testing"
)

// fuzzJournal is the sweep, journal id and two whole records (runs 0 and
// 3) that FuzzJournal's seeds are made of.
func fuzzJournal() (sw Sweep, runs []RunSpec, id string, lines [][]byte) {
	sw = journalSweep()
	runs, err := sw.Runs()
	if err != nil {
		panic(err)
	}
	header, err := sw.SweepJSON()
	if err != nil {
		panic(err)
	}
	id = journalID(header)
	for _, k := range []int{0, 3} {
		line, err := journalLine(sw.runRow(runs[k], Summary{Seed: runs[k].Scenario.Seed, Nodes: 8}), id)
		if err != nil {
			panic(err)
		}
		lines = append(lines, line)
	}
	return sw, runs, id, lines
}

// FuzzJournal feeds arbitrary bytes to the journal reader as the journal
// of journalSweep and checks that it never panics, that its errors are one
// line naming the file and a line, and that every record it accepts is a
// whole line with a valid CRC-32C and this sweep's id, lying within the
// good prefix it reports; reading that prefix again gives the same records
// and no torn tail. The accepted rows then go through the checks against
// the sweep (run index, shard, seed rule, duplicates), which must not panic
// either.
//
// The seed corpus is kept in testdata/fuzz/FuzzJournal (go test runs it as
// regression cases).
func FuzzJournal(f *testing.F) {
	sw, runs, id, lines := fuzzJournal()
	cols := sw.RunColumns()
	head := journalHeader(cols)
	proto := newRunCheck(sw, runs, Shard{I: 1, N: 2})
	f.Add(concat(head, lines[0], lines[1]))
	f.Add(concat(head, lines[0], lines[1][:50]))
	f.Fuzz(func(t *testing.T, data []byte) {
		js, err := scanJournal("runs.partial.csv", data, cols, id)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "runs.partial.csv line ") || strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("error is not one line naming the file and line: %q", msg)
			}
			return
		}
		if js.End < 0 || js.End > len(data) || (js.End > 0 && !bytes.HasPrefix(data, head)) {
			t.Fatalf("good prefix of %d bytes in %d, header %v", js.End, len(data), bytes.HasPrefix(data, head))
		}
		next := len(head)
		for _, r := range js.Records {
			raw := data[r.Start:r.End]
			n := len(raw)
			if r.Start != next || r.End > js.End || n < 10 || raw[n-1] != '\n' || bytes.IndexByte(raw[:n-1], '\n') >= 0 {
				t.Fatalf("record at line %d (bytes %d to %d) is not a whole line after the previous one", r.Line, r.Start, r.End)
			}
			if want := fmt.Sprintf(",%08x\n", crc32.Checksum(raw[:n-10], crc32.MakeTable(crc32.Castagnoli))); string(raw[n-10:]) != want {
				t.Fatalf("record at line %d accepted with a wrong CRC: %q", r.Line, raw)
			}
			if !bytes.HasSuffix(raw[:n-10], []byte(","+id)) || len(r.Row) != len(cols) {
				t.Fatalf("record at line %d accepted with another sweep's id or %d fields: %q", r.Line, len(r.Row), raw)
			}
			next = r.End
		}
		if len(js.Records) > 0 && js.End != next {
			t.Fatalf("good prefix ends at %d, its last record at %d", js.End, next)
		}
		again, err := scanJournal("runs.partial.csv", data[:js.End], cols, id)
		if err != nil || again.TornLine != 0 || again.End != js.End || len(again.Records) != len(js.Records) {
			t.Fatalf("the good prefix read again: %v, torn line %d, end %d of %d, %d of %d records", err, again.TornLine, again.End, js.End, len(again.Records), len(js.Records))
		}
		check := *proto
		check.rows = map[int]recordedRow{}
		for _, r := range js.Records {
			if err := check.add(r.Row, "runs.partial.csv", r.Line); err != nil {
				if strings.ContainsAny(err.Error(), "\r\n") {
					t.Fatalf("error is not one line: %q", err)
				}
				return
			}
		}
		for k, r := range check.rows {
			if k < 0 || k >= len(runs) || k%2 != 0 || r.Row[slices.Index(cols, "seed")] != fmt.Sprint(runs[k].Scenario.Seed) {
				t.Fatalf("run %d accepted against the sweep: %q", k, r.Row)
			}
		}
	})
}
