package trace

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Kind is what an Event records.
type Kind uint8

// The event kinds. Node is where the event happens; Peer the other end.
const (
	// Send: Node sends message Msg (MsgKind, Size bytes) to Peer.
	Send Kind = iota + 1
	// Deliver: message Msg from Peer reaches Node's receive queue.
	Deliver
	// Process: Node has processed message Msg from Peer and read it intact.
	Process
	// Drop: message Msg from Peer to Node is lost; Reason says why.
	Drop
	// Corrupt: the path flipped Bits bits of message Msg from Node to Peer.
	Corrupt
	// Reject: Node refused corrupted message Msg from Peer; Reason is
	// "checksum" (its checksum failed) or "undecodable".
	Reject
	// AcceptCorrupted: Node read corrupted message Msg from Peer as valid.
	AcceptCorrupted
	// Update: Node's entry for Subject changed from (OldVersion, OldStatus)
	// to (NewVersion, NewStatus); WasWrong and Wrong say whether the entry
	// was a wrong belief before and after. Peer is the sender of the
	// message being merged, -1 for the node's own detector.
	Update
	// DeclareFailed: Node's own failure detector declared Subject failed;
	// False when Subject is up.
	DeclareFailed
	// Crash: Node went down.
	Crash
	// Restart: Node came back up.
	Restart
	// Reset: a phase of the operators' reset (Reason: "decided", "cleared",
	// "restored").
	Reset
	numKinds
)

// kindNames are the kinds' names in files and flags, indexed by Kind.
var kindNames = [numKinds]string{"", "send", "deliver", "process", "drop", "corrupt", "reject",
	"accept-corrupted", "update", "declare-failed", "crash", "restart", "reset"}

// String returns the kind's name ("send", "accept-corrupted", ...).
func (k Kind) String() string {
	if k > 0 && k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Kinds lists every kind, in order.
func Kinds() []Kind {
	ks := make([]Kind, 0, numKinds-1)
	for k := Send; k < numKinds; k++ {
		ks = append(ks, k)
	}
	return ks
}

// KindNames lists every kind's name, in order.
func KindNames() []string {
	return slices.Clone(kindNames[1:])
}

// ParseKind returns the kind named s.
func ParseKind(s string) (Kind, error) {
	for k := Send; k < numKinds; k++ {
		if kindNames[k] == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("%q is not an event kind (one of %s)", s, strings.Join(KindNames(), ", "))
}

// Event is one traced event. Fields a kind does not use are zero, and Peer
// and Subject are -1.
type Event struct {
	Time    sim.Time
	Kind    Kind
	Node    int32
	Peer    int32
	Msg     uint64    // message number (per destination copy), 0 if none
	MsgKind wire.Kind // the message's kind as sent
	Size    int32     // the message's encoded length, bytes
	Reason  string    // Drop, Reject, Reset: why or which phase
	Bits    int32     // Corrupt: bits flipped
	Subject int32     // Update, DeclareFailed: the peer the belief is about
	// Update: the entry before and after. A version is the generation in
	// the high 32 bits and the heartbeat in the low (wire.EntryOf).
	OldVersion, NewVersion uint64
	OldStatus, NewStatus   wire.Status
	WasWrong, Wrong        bool
	// DeclareFailed: Subject was up (a false failure).
	False bool
}

// Sink receives the events a Tracer keeps, in the order they happen. The
// Event is valid only during the call.
type Sink interface {
	Record(e *Event)
}

// Filter selects events. The zero Filter keeps everything.
type Filter struct {
	// Kinds keeps only these kinds; empty: every kind.
	Kinds []Kind
	// Nodes keeps only events whose Node, Peer or Subject is one of these,
	// and the fleet's events (Node -1: a reset phase); empty: every node.
	Nodes []int32
	// From and Until keep events at From <= Time < Until; Until 0: no end.
	From, Until sim.Time
}

// Tracer applies a Filter and passes the events it keeps to its sinks. It
// is not safe for concurrent use: a run owns one. A nil *Tracer is valid
// and wants nothing.
type Tracer struct {
	kinds [numKinds]bool
	nodes []bool // nil: every node
	from  sim.Time
	until sim.Time
	sinks []Sink
}

// New returns a Tracer with filter f for a fleet of n nodes, passing what it
// keeps to sinks.
func New(f Filter, n int, sinks ...Sink) (*Tracer, error) {
	t := &Tracer{from: f.From, until: f.Until, sinks: sinks}
	if t.until == 0 {
		t.until = math.MaxInt64
	}
	if t.until <= t.from {
		return nil, fmt.Errorf("until: %v is not after from %v", f.Until, f.From)
	}
	for _, k := range f.Kinds {
		if k == 0 || k >= numKinds {
			return nil, fmt.Errorf("kinds: %v is not an event kind (one of %s)", k, strings.Join(KindNames(), ", "))
		}
		t.kinds[k] = true
	}
	if len(f.Kinds) == 0 {
		for k := Send; k < numKinds; k++ {
			t.kinds[k] = true
		}
	}
	if len(f.Nodes) > 0 {
		t.nodes = make([]bool, n)
		for _, i := range f.Nodes {
			if i < 0 || int(i) >= n {
				return nil, fmt.Errorf("nodes: node %d is not in the fleet (0 to %d)", i, n-1)
			}
			t.nodes[i] = true
		}
	}
	return t, nil
}

// Wants reports whether an event of kind k at time now could be kept,
// before the caller builds it (the node filter is applied by Record).
func (t *Tracer) Wants(k Kind, now sim.Time) bool {
	return t != nil && t.kinds[k] && now >= t.from && now < t.until
}

// Record passes e to the sinks if the filter keeps it. Callers test Wants
// first, so that an unwanted event is never built.
func (t *Tracer) Record(e *Event) {
	if t == nil || !t.kinds[e.Kind] || e.Time < t.from || e.Time >= t.until {
		return
	}
	if t.nodes != nil && e.Node >= 0 && !t.has(e.Node) && !t.has(e.Peer) && !t.has(e.Subject) {
		return
	}
	for _, s := range t.sinks {
		s.Record(e)
	}
}

// has reports whether node i is one the filter keeps.
func (t *Tracer) has(i int32) bool { return i >= 0 && int(i) < len(t.nodes) && t.nodes[i] }

// Recorder is a Sink that keeps every event it receives, in order: for
// tests and for drawings made after the run (the sequence diagram).
type Recorder struct {
	Events []Event
}

// Record appends a copy of e.
func (r *Recorder) Record(e *Event) { r.Events = append(r.Events, *e) }

// Union is the filter that keeps every event one of fs keeps: the kinds of
// all (every kind if one keeps every kind), their nodes (every node if one
// keeps every node), from the earliest From to the latest Until (no end if
// one has none). A run feeding outputs with filters of their own reports to
// a Tracer with their Union, whose sinks are Tracers with each output's
// filter: a *Tracer is a Sink too.
func Union(fs ...Filter) Filter {
	if len(fs) == 0 {
		return Filter{}
	}
	u := Filter{From: fs[0].From, Until: fs[0].Until}
	allKinds, allNodes := false, false
	for _, f := range fs {
		allKinds = allKinds || len(f.Kinds) == 0
		allNodes = allNodes || len(f.Nodes) == 0
		u.From = min(u.From, f.From)
		if u.Until != 0 && (f.Until == 0 || f.Until > u.Until) {
			u.Until = f.Until
		}
	}
	for _, f := range fs {
		if !allKinds {
			for _, k := range f.Kinds {
				if !slices.Contains(u.Kinds, k) {
					u.Kinds = append(u.Kinds, k)
				}
			}
		}
		if !allNodes {
			for _, n := range f.Nodes {
				if !slices.Contains(u.Nodes, n) {
					u.Nodes = append(u.Nodes, n)
				}
			}
		}
	}
	return u
}
