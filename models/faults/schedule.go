package faults

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/topology"
	"github.com/gossipsim/gossipsim/sim"
)

// Action is what a schedule entry does.
type Action uint8

// The actions.
const (
	// Crash takes nodes down at At; they restart at Until (none: they stay
	// down, unless a Restart entry brings them up).
	Crash Action = iota
	// Restart brings up, at At, nodes an open-ended Crash took down.
	Restart
	// Partition blocks messages between two groups (From to To only, when
	// OneWay) during [At, Until).
	Partition
	// Link replaces the latency and/or loss of a link class, or between two
	// groups, during [At, Until).
	Link
	// Corrupt is a corruption source confined to nodes (their outgoing
	// and/or incoming messages: a faulty NIC) or to the link between two
	// groups (a faulty router), during [At, Until).
	Corrupt
	// Skew runs the clocks of nodes at Rate during [At, Until); only models
	// that read Timeline.ClockRate honour it.
	Skew
)

// ActionNames are the schedule's action keys, indexed by Action; "churn"
// is a key too (a trace file replayed as Crash entries).
var ActionNames = []string{"crash", "restart", "partition", "link", "corrupt", "skew"}

// String returns the action's key.
func (a Action) String() string {
	if int(a) < len(ActionNames) {
		return ActionNames[a]
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// Direction is which messages of a node a Corrupt source hits.
type Direction uint8

// The directions of a node's corruption source.
const (
	// Both: what the node sends and what it receives.
	Both Direction = iota
	// Out: what the node sends.
	Out
	// In: what the node receives.
	In
)

// DirectionNames are the names of the directions, indexed by Direction.
var DirectionNames = []string{"both", "out", "in"}

// Entry is one timed fault. Which fields mean something depends on Action.
type Entry struct {
	// File and Line locate the entry in its file, for errors.
	File string
	Line int
	// At is when it starts, in the run's simulated time.
	At sim.Time
	// Until is when it ends, when HasUntil (after At).
	Until    sim.Time
	HasUntil bool
	// Action is what it does.
	Action Action
	// Nodes is the target group (crash, restart, skew, a NIC's corrupt),
	// when HasNodes.
	Nodes    topology.Group
	HasNodes bool
	// Count crashes this many nodes of Nodes (of the fleet without Nodes),
	// drawn from the stream "faults/crash"; 0: all of Nodes.
	Count int
	// From and To are the two groups of a partition, or of a link or a
	// router's corrupt, when HasPair.
	From, To topology.Group
	HasPair  bool
	// OneWay blocks (or changes, or corrupts) From to To only.
	OneWay bool
	// Class is the link class a link entry changes, when HasClass.
	Class    network.Class
	HasClass bool
	// Latency and Loss are a link entry's new values, each when set.
	Latency    network.Latency
	HasLatency bool
	Loss       float64
	HasLoss    bool
	// Direction is which messages of Nodes a corrupt entry hits.
	Direction Direction
	// Corruption is a corrupt entry's source (probability, bits, pattern or
	// bit error rate; its From and Until are unused: At and Until bound it).
	Corruption corrupt.Config
	// Rate is a skew entry's clock rate (1.05: timers run 5% fast).
	Rate float64
	// Churn is the trace file an entry was replayed from ("" otherwise).
	Churn string

	lines map[string]int // line of each field, for errors
}

// Schedule is a list of timed faults, as a scenario's faults section or a
// schedule file gives it, plus a churn trace given on its own.
type Schedule struct {
	// File is the file the entries were read from ("" for a scenario
	// file's inline section, which names its own file in Entry.File).
	File string
	// Entries are the faults, in file order (churn entries in them
	// expanded).
	Entries []Entry
	// Churn is a churn trace given on its own ("" for none), and
	// ChurnEntries its lines as crash entries.
	Churn        string
	ChurnEntries []Entry
}

// Empty reports whether s has no entries (a nil s has none).
func (s *Schedule) Empty() bool { return s == nil || len(s.Entries)+len(s.ChurnEntries) == 0 }

// all returns every entry: Entries, then ChurnEntries.
func (s *Schedule) all() []Entry {
	return append(s.Entries[:len(s.Entries):len(s.Entries)], s.ChurnEntries...)
}

// WithEntries returns a copy of s (nil: an empty schedule) whose Entries
// and File are those of from (nil: none); the churn trace is kept.
func (s *Schedule) WithEntries(from *Schedule) *Schedule {
	out := &Schedule{}
	if s != nil {
		out.Churn, out.ChurnEntries = s.Churn, s.ChurnEntries
	}
	if from != nil {
		out.File, out.Entries = from.File, from.Entries
	}
	if out.Empty() && out.Churn == "" {
		return nil
	}
	return out
}

// WithChurn returns a copy of s (nil: an empty schedule) with the churn
// trace read from path ("" for none).
func (s *Schedule) WithChurn(path string) (*Schedule, error) {
	out := &Schedule{}
	if s != nil {
		out.File, out.Entries = s.File, s.Entries
	}
	if path != "" {
		es, err := LoadChurn(path)
		if err != nil {
			return nil, err
		}
		out.Churn, out.ChurnEntries = path, es
	}
	if out.Empty() {
		return nil, nil
	}
	return out, nil
}

// errorf formats an error located at the entry's line (or a field's line).
func (e *Entry) errorf(field, format string, args ...any) error {
	line := e.Line
	if l, ok := e.lines[field]; ok {
		line = l
	} else if l, ok := e.lines[e.Action.String()]; ok {
		line = l // a missing field: the action's line
	}
	key := e.Action.String()
	if field != "" {
		key += "." + field
	}
	if field == "at" || field == "until" {
		key = field
	}
	return fmt.Errorf("%s:%d: %s: %s", e.File, line, key, fmt.Sprintf(format, args...))
}

// end returns the entry's end, or the largest time when it has none.
func (e *Entry) end() sim.Time {
	if e.HasUntil {
		return e.Until
	}
	return sim.Time(1<<63 - 1)
}

// YAML writes s as a scenario file's faults list, each line prefixed with
// indent; LoadYAML reads it back to the same schedule. Entries replayed from
// a churn trace are written as one `churn: PATH` entry per trace.
func (s *Schedule) YAML(indent string) string {
	var b strings.Builder
	churned := map[string]bool{}
	for i := range s.Entries {
		e := &s.Entries[i]
		if e.Churn != "" {
			if !churned[e.Churn] {
				churned[e.Churn] = true
				fmt.Fprintf(&b, "%s- churn: %s\n", indent, quote(e.Churn))
			}
			continue
		}
		fmt.Fprintf(&b, "%s- at: %s\n", indent, e.At)
		if e.HasUntil {
			fmt.Fprintf(&b, "%s  until: %s\n", indent, e.Until)
		}
		fmt.Fprintf(&b, "%s  %s: {%s}\n", indent, e.Action, strings.Join(e.fields(), ", "))
	}
	return b.String()
}

// Flow writes s's Entries as one line of YAML (a flow list), which
// ParseFlow reads back: the schedule as one parameter value.
func (s *Schedule) Flow() string {
	if s == nil || len(s.Entries) == 0 {
		return ""
	}
	var items []string
	churned := map[string]bool{}
	for i := range s.Entries {
		e := &s.Entries[i]
		if e.Churn != "" {
			if !churned[e.Churn] {
				churned[e.Churn] = true
				items = append(items, "{churn: "+quote(e.Churn)+"}")
			}
			continue
		}
		item := "{at: " + e.At.String()
		if e.HasUntil {
			item += ", until: " + e.Until.String()
		}
		items = append(items, item+", "+e.Action.String()+": {"+strings.Join(e.fields(), ", ")+"}}")
	}
	return "[" + strings.Join(items, ", ") + "]"
}

// fields are the entry's action fields in canonical form.
func (e *Entry) fields() []string {
	var f []string
	add := func(k, v string) { f = append(f, k+": "+v) }
	if e.HasNodes {
		add("group", quote(e.Nodes.Text))
	}
	if e.Count > 0 {
		add("count", strconv.Itoa(e.Count))
	}
	if e.HasPair {
		add("from", quote(e.From.Text))
		add("to", quote(e.To.Text))
	}
	if e.OneWay {
		add("oneway", "true")
	}
	if e.HasClass {
		add("class", e.Class.String())
	}
	if e.HasLatency {
		add("latency", quote(e.Latency.String()))
	}
	if e.HasLoss {
		add("loss", fmtFloat(e.Loss))
	}
	switch e.Action {
	case Corrupt:
		if e.HasNodes {
			add("direction", DirectionNames[e.Direction])
		}
		c := e.Corruption
		if c.BitErrorRate > 0 {
			add("bit-error-rate", fmtFloat(c.BitErrorRate))
		} else {
			add("prob", fmtFloat(c.Probability))
			add("bits", strconv.Itoa(c.Bits))
			add("pattern", c.Pattern.String())
		}
	case Skew:
		add("rate", fmtFloat(e.Rate))
	}
	return f
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// quote writes s as a double-quoted YAML string.
func quote(s string) string { return strconv.Quote(s) }

// LinkLatencies returns the latencies the link entries of s set, in file
// order (none for a nil s).
func (s *Schedule) LinkLatencies() []network.Latency {
	var out []network.Latency
	if s == nil {
		return out
	}
	for _, e := range s.all() {
		if e.Action == Link && e.HasLatency {
			out = append(out, e.Latency)
		}
	}
	return out
}
