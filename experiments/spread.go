package experiments

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/spread"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/plots"
	"github.com/gossipsim/gossipsim/sim"
)

// The files `gossipsim run` writes about the spread of bad values, for a
// model that tracks it (the S3 model): always the two CSVs (header only
// when nothing was corrupted), the note when a cap was hit, and the two
// figures when at least one bad value was held.
const (
	// CorruptionsFileName has one row per accepted corrupted message
	// (CorruptionsHeader).
	CorruptionsFileName = "corruptions.csv"
	// SpreadFileName has one row per spell of a node holding a bad value
	// (SpreadHeader).
	SpreadFileName = "spread.csv"
	// SpreadCappedFileName is written, one line, when a run tracked more
	// bad values, holdings or corrupted messages than its caps
	// (spread.MaxValues, MaxHoldings, MaxCorruptions): the CSVs then miss
	// what it counts.
	SpreadCappedFileName = "spread_capped.txt"
	// InfectionStem and SpreadTreeStem are the figures' file stems.
	InfectionStem  = "infection"
	SpreadTreeStem = "spread_tree"
)

// CorruptionsHeader is corruptions.csv's header: time_s (simulated seconds
// when the receiver accepted it), receiver, sender (as sent), msg_kind (as
// sent), bits_flipped, entries_changed (entries whose decoded node,
// version or status differ from what was sent), values (the ids of the bad
// values it created, separated by spaces; empty if none), rejected_by_sum8
// and rejected_by_crc32c (1 if that checksum would have rejected the same
// flips, else 0).
var CorruptionsHeader = []string{"time_s", "receiver", "sender", "msg_kind", "bits_flipped", "entries_changed", "values", "rejected_by_sum8", "rejected_by_crc32c"}

// SpreadHeader is spread.csv's header, one row per (value, holder) spell:
// value (its id), subject (the server it is about), value_kind (ahead or
// false-failure), gen and hb (its version), status (the status the
// corrupted message carried), node (the holder), generation (0 patient
// zero, k+1 for a node that got it from a holder of generation k, empty
// if unknown: a node its own state made a holder, or whose source's is
// unknown), acquired_s, from (the node it got it from, empty for its own
// state) and cleared_s (empty if it still held it at the end).
var SpreadHeader = []string{"value", "subject", "value_kind", "gen", "hb", "status", "node", "generation", "acquired_s", "from", "cleared_s"}

func seconds(t sim.Time) string { return strconv.FormatFloat(t.Seconds(), 'f', -1, 64) }

func optInt(v int32) string {
	if v < 0 {
		return ""
	}
	return strconv.Itoa(int(v))
}

func optSeconds(t sim.Time) string {
	if t < 0 {
		return ""
	}
	return seconds(t)
}

// corruptionsCSV renders corruptions.csv.
func corruptionsCSV(r *spread.Record) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(CorruptionsHeader)
	for _, c := range r.Corruptions {
		ids := make([]string, len(c.Values))
		for k, v := range c.Values {
			ids[k] = strconv.Itoa(int(v))
		}
		w.Write([]string{seconds(c.Time), strconv.Itoa(int(c.Receiver)), strconv.Itoa(int(c.Sender)), c.MsgKind.String(),
			strconv.Itoa(c.BitsFlipped), strconv.Itoa(c.EntriesChanged), strings.Join(ids, " "),
			boolDigit(c.RejectedBySum8), boolDigit(c.RejectedByCRC32C)})
	}
	w.Flush()
	return buf.Bytes()
}

// spreadCSV renders spread.csv.
func spreadCSV(r *spread.Record) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(SpreadHeader)
	for _, h := range r.Holdings {
		v := r.Values[h.Value]
		w.Write([]string{strconv.Itoa(int(v.ID)), strconv.Itoa(int(v.Subject)), v.Kind.String(),
			strconv.FormatUint(uint64(v.Generation), 10), strconv.FormatUint(uint64(v.Heartbeat), 10), v.Status.String(),
			strconv.Itoa(int(h.Node)), optInt(h.Generation), seconds(h.Acquired), optInt(h.From), optSeconds(h.Cleared)})
	}
	w.Flush()
	return buf.Bytes()
}

// spreadCappedNote is SpreadCappedFileName's line, empty if no cap was hit.
func spreadCappedNote(r *spread.Record) string {
	if !r.Capped() {
		return ""
	}
	return fmt.Sprintf("spread capped: %d bad values not tracked past %d, %d holding spells not kept past %d, %d corrupted messages not kept past %d\n",
		r.DroppedValues, spread.MaxValues, r.DroppedHoldings, spread.MaxHoldings, r.DroppedCorruptions, spread.MaxCorruptions)
}

// writeSpreadFiles writes a run's corruptions.csv and spread.csv (and the
// cap note), and its two figures when it has a bad value; it returns the
// paths written.
func writeSpreadFiles(dir string, res Result, opt plots.Options) ([]string, error) {
	r := res.Spread
	paths := []string{filepath.Join(dir, CorruptionsFileName), filepath.Join(dir, SpreadFileName)}
	if err := WriteFileAtomic(paths[0], corruptionsCSV(r)); err != nil {
		return nil, err
	}
	if err := WriteFileAtomic(paths[1], spreadCSV(r)); err != nil {
		return nil, err
	}
	if note := spreadCappedNote(r); note != "" {
		p := filepath.Join(dir, SpreadCappedFileName)
		if err := WriteFileAtomic(p, []byte(note)); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	if len(r.Values) == 0 {
		return paths, nil
	}
	figs, err := SpreadFigures(dir, r, res.Samples, opt)
	if err != nil {
		return nil, err
	}
	return append(paths, figs...), nil
}

// SpreadFigures writes the infection curves (infection) and the first
// bad value's spread tree (spread_tree) of r into dir, in opt's format,
// and returns their paths; samples give the live nodes over time.
func SpreadFigures(dir string, r *spread.Record, samples []metrics.Sample, opt plots.Options) ([]string, error) {
	paths := []string{filepath.Join(dir, opt.FileName(InfectionStem)), filepath.Join(dir, opt.FileName(SpreadTreeStem))}
	var trigger *plots.Marker
	if len(r.Corruptions) > 0 {
		trigger = &plots.Marker{Time: r.Corruptions[0].Time.Seconds(), Label: "trigger (first accepted corruption)"}
	}
	curves := InfectionCurves(r, samples)
	pc := make([]plots.Infection, len(curves))
	for k, c := range curves {
		pc[k] = plots.Infection{Label: c.Label(), Reach: c.Reach, Times: c.Times, Shares: c.Shares}
	}
	end := 0.0
	if len(samples) > 0 {
		end = samples[len(samples)-1].Time
	}
	if err := plots.InfectionCurves(paths[0], pc, end, trigger, opt); err != nil {
		return nil, err
	}
	tree := SpreadTreeOf(r, 0)
	if err := plots.SpreadTree(paths[1], tree, opt); err != nil {
		return nil, err
	}
	return paths, nil
}

// InfectionCurve is one bad value's holders over time.
type InfectionCurve struct {
	// Value is the value.
	Value spread.Value
	// Reach is how many distinct nodes ever held it.
	Reach int
	// Times (simulated seconds) and Holders are a step function: from
	// Times[k] on, Holders[k] nodes hold it; Shares[k] is that as a share
	// of the live nodes then (from the time series; the fleet's size
	// without one).
	Times   []float64
	Holders []int
	Shares  []float64
	// Cleared is when the last spell ended, if no node held it at the end.
	Cleared *float64
}

// Label names the curve in a legend: "value 0: node 17 ahead (gen 1, hb 2^31+5)".
func (c InfectionCurve) Label() string {
	v := c.Value
	return fmt.Sprintf("value %d: server %d %s, %d nodes", v.ID, v.Subject, v.Kind, c.Reach)
}

// liveAt returns the live nodes at time t from the samples (the latest
// sample at or before t, else the first), or nodes without samples.
func liveAt(samples []metrics.Sample, nodes int, t float64) int {
	live := nodes
	for k, s := range samples {
		if k == 0 || s.Time <= t {
			if s.LiveNodes > 0 {
				live = s.LiveNodes
			}
		}
		if s.Time > t {
			break
		}
	}
	return max(live, 1)
}

// InfectionCurves returns every value's holders over time, in value order.
func InfectionCurves(r *spread.Record, samples []metrics.Sample) []InfectionCurve {
	type change struct {
		t     sim.Time
		delta int
	}
	byValue := make([][]change, len(r.Values))
	reach := make([]map[int32]bool, len(r.Values))
	for _, h := range r.Holdings {
		byValue[h.Value] = append(byValue[h.Value], change{h.Acquired, 1})
		if h.Cleared >= 0 {
			byValue[h.Value] = append(byValue[h.Value], change{h.Cleared, -1})
		}
		if reach[h.Value] == nil {
			reach[h.Value] = map[int32]bool{}
		}
		reach[h.Value][h.Node] = true
	}
	out := make([]InfectionCurve, len(r.Values))
	for id, v := range r.Values {
		ch := byValue[id]
		slices.SortStableFunc(ch, func(a, b change) int {
			if c := cmp.Compare(a.t, b.t); c != 0 {
				return c
			}
			return a.delta - b.delta // a clear before an acquire at the same instant
		})
		c := InfectionCurve{Value: v, Reach: len(reach[id])}
		n := 0
		for k, x := range ch {
			n += x.delta
			if k+1 < len(ch) && ch[k+1].t == x.t {
				continue
			}
			ts := x.t.Seconds()
			c.Times = append(c.Times, ts)
			c.Holders = append(c.Holders, n)
			c.Shares = append(c.Shares, float64(n)/float64(liveAt(samples, r.Nodes, ts)))
		}
		if n == 0 && len(c.Times) > 0 {
			t := c.Times[len(c.Times)-1]
			c.Cleared = &t
		}
		out[id] = c
	}
	return out
}

// SpreadTreeOf is value id's spread tree: an edge from each spell's source
// spell (the latest spell of its From node begun no later, of the
// generation below) to it, in generations; spells of unknown generation
// are left out.
func SpreadTreeOf(r *spread.Record, id int32) plots.Tree {
	var tr plots.Tree
	if int(id) >= len(r.Values) {
		return tr
	}
	v := r.Values[id]
	tr.Title = fmt.Sprintf("spread of value %d: server %d %s (gen %d, hb %d) from patient zero node %d", v.ID, v.Subject, v.Kind, v.Generation, v.Heartbeat, v.PatientZero)
	tr.Root = plots.TreePoint{Time: v.Time.Seconds(), Generation: 0}
	latest := map[int32]spread.Holding{}
	for _, h := range r.Holdings {
		if h.Value != id {
			continue
		}
		if h.Generation > 0 && h.From >= 0 {
			if p, ok := latest[h.From]; ok && p.Generation == h.Generation-1 {
				tr.Edges = append(tr.Edges, plots.TreeEdge{
					From: plots.TreePoint{Time: p.Acquired.Seconds(), Generation: int(p.Generation)},
					To:   plots.TreePoint{Time: h.Acquired.Seconds(), Generation: int(h.Generation)},
				})
			}
		}
		if h.Generation >= 0 {
			tr.Nodes++
		}
		latest[h.Node] = h
	}
	return tr
}

// ReadSpreadFiles reads a run directory's corruptions.csv and spread.csv
// back into a record (Nodes is left 0: the caller knows the fleet). A file
// that is not one (another header, a malformed row) is bad input named by
// file and line.
func ReadSpreadFiles(dir string) (*spread.Record, error) {
	r := &spread.Record{}
	cpath := filepath.Join(dir, CorruptionsFileName)
	err := readSpreadCSV(cpath, CorruptionsHeader, func(line int, f []string) error {
		var c spread.Corruption
		var p rowParser
		c.Time = p.time(f[0], "time_s")
		c.Receiver, c.Sender = p.node(f[1], "receiver"), p.node(f[2], "sender")
		c.MsgKind = p.kind(f[3])
		c.BitsFlipped, c.EntriesChanged = int(p.node(f[4], "bits_flipped")), int(p.node(f[5], "entries_changed"))
		for _, id := range strings.Fields(f[6]) {
			c.Values = append(c.Values, p.node(id, "values"))
		}
		c.RejectedBySum8, c.RejectedByCRC32C = p.digit(f[7], "rejected_by_sum8"), p.digit(f[8], "rejected_by_crc32c")
		r.Corruptions = append(r.Corruptions, c)
		return p.err
	})
	if err != nil {
		return nil, err
	}
	spath := filepath.Join(dir, SpreadFileName)
	err = readSpreadCSV(spath, SpreadHeader, func(line int, f []string) error {
		var p rowParser
		id := p.node(f[0], "value")
		v := spread.Value{ID: id, Subject: p.node(f[1], "subject"), Corruption: -1, Sender: -1, PatientZero: -1}
		switch f[2] {
		case "ahead":
			v.Kind = spread.KindAhead
		case "false-failure":
			v.Kind = spread.KindFalseFailure
		default:
			p.fail("value_kind", f[2], "ahead or false-failure")
		}
		v.Generation, v.Heartbeat = uint32(p.uint(f[3], "gen")), uint32(p.uint(f[4], "hb"))
		v.Status = p.status(f[5])
		switch {
		case p.err != nil:
			return p.err
		case int(id) == len(r.Values):
			for k, c := range r.Corruptions {
				if slices.Contains(c.Values, id) {
					v.Corruption, v.MsgKind, v.Time, v.PatientZero, v.Sender = int32(k), c.MsgKind, c.Time, c.Receiver, c.Sender
				}
			}
			r.Values = append(r.Values, v)
		case int(id) > len(r.Values):
			return fmt.Errorf("value %d: values must be numbered 0, 1, 2, ... in order of first appearance", id)
		default:
			w := r.Values[id]
			if w.Subject != v.Subject || w.Kind != v.Kind || w.Generation != v.Generation || w.Heartbeat != v.Heartbeat || w.Status != v.Status {
				return fmt.Errorf("value %d: subject, value_kind, gen, hb or status differ from its first row", id)
			}
		}
		h := spread.Holding{Value: id, Node: p.node(f[6], "node"), Generation: p.optNode(f[7], "generation"),
			Acquired: p.time(f[8], "acquired_s"), From: p.optNode(f[9], "from"), Cleared: -1}
		if f[10] != "" {
			h.Cleared = p.time(f[10], "cleared_s")
		}
		r.Holdings = append(r.Holdings, h)
		return p.err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// readCSV reads path, checks its header and calls row for every row.
func readSpreadCSV(path string, header []string, row func(line int, f []string) error) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = len(header)
	head, err := cr.Read()
	if err != nil || !slices.Equal(head, header) {
		return badInputf("%s: line 1: the header is not %s", path, strings.Join(header, ","))
	}
	for {
		f, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return badInputf("%s: %v", path, err)
		}
		if err := row(line, f); err != nil {
			return badInputf("%s: line %d: %v", path, line, err)
		}
	}
}

// rowParser parses a row's cells, keeping the first error.
type rowParser struct{ err error }

func (p *rowParser) fail(col, cell, want string) {
	if p.err == nil {
		p.err = fmt.Errorf("%s %q is not %s", col, cell, want)
	}
}

func (p *rowParser) node(cell, col string) int32 {
	v, err := strconv.ParseInt(cell, 10, 32)
	if err != nil || v < 0 {
		p.fail(col, cell, "a non-negative integer")
	}
	return int32(v)
}

func (p *rowParser) optNode(cell, col string) int32 {
	if cell == "" {
		return -1
	}
	return p.node(cell, col)
}

func (p *rowParser) uint(cell, col string) uint64 {
	v, err := strconv.ParseUint(cell, 10, 32)
	if err != nil {
		p.fail(col, cell, "a 32-bit unsigned integer")
	}
	return v
}

func (p *rowParser) time(cell, col string) sim.Time {
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil || !(v >= 0) || v > sim.MaxTime.Seconds() {
		p.fail(col, cell, "a time in seconds")
		return 0
	}
	return sim.FromSeconds(v)
}

func (p *rowParser) digit(cell, col string) bool {
	if cell != "0" && cell != "1" {
		p.fail(col, cell, "0 or 1")
	}
	return cell == "1"
}

func (p *rowParser) kind(cell string) wire.Kind {
	for k := wire.KindFullView; k <= wire.KindFailureNotice; k++ {
		if k.String() == cell {
			return k
		}
	}
	p.fail("msg_kind", cell, "a message kind (full-view, digest, digest-reply, delta, failure-notice)")
	return 0
}

func (p *rowParser) status(cell string) wire.Status {
	for s := wire.StatusAlive; s <= wire.StatusFailed; s++ {
		if s.String() == cell {
			return s
		}
	}
	p.fail("status", cell, "alive, suspect or failed")
	return 0
}
