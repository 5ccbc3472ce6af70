package plots

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// gossipTrace builds the events of a small digest+delta fleet of n nodes
// for the given number of seconds, as the transport and the S3-style model
// report them: every second each node sends a digest to a peer, which
// replies (digest-reply), and the node answers with a delta; a copy takes
// 0.5 ms on the path and 40 ms to process at a node that processes one
// message at a time. On top of the rounds, in time order:
//
//   - second 1: a digest from node 2 is lost on the path (Drop "loss");
//   - 1.5 s: node n-1 crashes; copies sent to it are dropped ("node-down")
//     until it restarts at 3.2 s;
//   - 2.2 s: a delta from node 1 is corrupted (1 bit) and rejected by its
//     receiver's checksum;
//   - 3.1 s: a delta from node 3 to node 4 is corrupted (2 bits) and
//     accepted: node 4's entry for node 5 becomes wrong (failed); at 3.7 s
//     node 4 falsely declares node 5 failed and sends a failure notice to
//     four peers, whose entries for node 5 become wrong in turn; at 4.4 s
//     node 0's entry for node 5 is right again;
//   - 4.5 s: a reset phase ("decided");
//   - second 4: the digest to node 0 is dropped by its full queue.
//
// Messages are numbered in the order they are sent, from 1.
func gossipTrace(n int, secs int) []trace.Event {
	const (
		latency = 500 * sim.Microsecond
		cost    = 40 * sim.Millisecond
	)
	var evs []trace.Event
	busy := make([]sim.Time, n) // when each node's processor is next free
	at := func(s float64) sim.Time { return sim.Time(s * float64(sim.Second)) }
	down := func(i int, t sim.Time) bool { return i == n-1 && t >= at(1.5) && t < at(3.2) }
	ev := func(e trace.Event) {
		if e.Subject == 0 && e.Kind != trace.Update && e.Kind != trace.DeclareFailed {
			e.Subject = -1
		}
		evs = append(evs, e)
	}
	type copyOpts struct {
		drop    string // "loss": lost on the path; "queue-full"
		bits    int32  // corrupted
		reject  bool
		updates []int32 // subjects whose entries become wrong at the receiver
	}
	// send sends one copy at t and returns when the receiver has processed
	// it (-1 if it never does).
	var msg uint64
	send := func(t sim.Time, from, to int, kind wire.Kind, size int32, o copyOpts) sim.Time {
		msg++
		m := msg
		ev(trace.Event{Time: t, Kind: trace.Send, Node: int32(from), Peer: int32(to), Msg: m, MsgKind: kind, Size: size})
		if o.bits > 0 {
			ev(trace.Event{Time: t, Kind: trace.Corrupt, Node: int32(from), Peer: int32(to), Msg: m, MsgKind: kind, Size: size, Bits: o.bits})
		}
		arrive := t + latency
		switch {
		case o.drop == "loss":
			ev(trace.Event{Time: t, Kind: trace.Drop, Node: int32(to), Peer: int32(from), Msg: m, MsgKind: kind, Size: size, Reason: "loss"})
			return -1
		case down(to, arrive):
			ev(trace.Event{Time: arrive, Kind: trace.Drop, Node: int32(to), Peer: int32(from), Msg: m, MsgKind: kind, Size: size, Reason: "node-down"})
			return -1
		case o.drop != "":
			ev(trace.Event{Time: arrive, Kind: trace.Drop, Node: int32(to), Peer: int32(from), Msg: m, MsgKind: kind, Size: size, Reason: o.drop})
			return -1
		}
		ev(trace.Event{Time: arrive, Kind: trace.Deliver, Node: int32(to), Peer: int32(from), Msg: m, MsgKind: kind, Size: size})
		done := max(arrive, busy[to]) + cost
		busy[to] = done
		switch {
		case o.reject:
			ev(trace.Event{Time: done, Kind: trace.Reject, Node: int32(to), Peer: int32(from), Msg: m, MsgKind: kind, Size: size, Reason: "checksum"})
			return -1
		case o.bits > 0:
			ev(trace.Event{Time: done, Kind: trace.AcceptCorrupted, Node: int32(to), Peer: int32(from), Msg: m, MsgKind: kind, Size: size})
		default:
			ev(trace.Event{Time: done, Kind: trace.Process, Node: int32(to), Peer: int32(from), Msg: m, MsgKind: kind, Size: size})
		}
		for _, s := range o.updates {
			ev(trace.Event{Time: done, Kind: trace.Update, Node: int32(to), Peer: int32(from), Subject: s,
				OldVersion: 7, NewVersion: 1 << 40, OldStatus: wire.StatusAlive, NewStatus: wire.StatusFailed, Wrong: true})
		}
		return done
	}
	entry := int32(13)
	if secs > 1 {
		ev(trace.Event{Time: at(1.5), Kind: trace.Crash, Node: int32(n - 1), Peer: -1, Subject: -1})
	}
	if secs > 3 {
		ev(trace.Event{Time: at(3.2), Kind: trace.Restart, Node: int32(n - 1), Peer: -1, Subject: -1})
	}
	for k := 0; k < secs; k++ {
		for i := 0; i < n; i++ {
			t := sim.Second*sim.Time(k) + sim.Time(i)*sim.Second/sim.Time(n) + 7*sim.Millisecond
			if down(i, t) {
				continue
			}
			p := (i + 1 + 3*k) % n
			if p == i {
				p = (p + 1) % n
			}
			var o copyOpts
			switch {
			case k == 1 && i == 2:
				o.drop = "loss"
			case k == 4 && p == 0:
				o.drop = "queue-full"
			}
			done := send(t, i, p, wire.KindDigest, 5+8*int32(n), o)
			if done < 0 {
				continue
			}
			reply := done + 5*sim.Millisecond
			done = send(reply, p, i, wire.KindDigestReply, 5+entry*2, copyOpts{})
			if done < 0 {
				continue
			}
			var d copyOpts
			switch {
			case k == 2 && i == 1:
				d = copyOpts{bits: 1, reject: true}
			case k == 3 && i == 3:
				p = 4 // the corrupted delta goes to node 4
				d = copyOpts{bits: 2, updates: []int32{5}}
			}
			send(done+5*sim.Millisecond, i, p, wire.KindDelta, 5+entry*3, d)
		}
		if k == 3 {
			ev(trace.Event{Time: at(3.7), Kind: trace.DeclareFailed, Node: 4, Peer: -1, Subject: 5, False: true})
			for j, q := range []int{0, 2, 6, 7} {
				send(at(3.71)+sim.Time(j)*5*sim.Millisecond, 4, q%n, wire.KindFailureNotice, 5+entry, copyOpts{updates: []int32{5}})
			}
			ev(trace.Event{Time: at(4.4), Kind: trace.Update, Node: 0, Peer: -1, Subject: 5,
				OldVersion: 1 << 40, NewVersion: 1 << 40, OldStatus: wire.StatusFailed, NewStatus: wire.StatusAlive, WasWrong: true})
			ev(trace.Event{Time: at(4.5), Kind: trace.Reset, Node: -1, Peer: -1, Subject: -1, Reason: "decided"})
		}
	}
	slices.SortStableFunc(evs, func(a, b trace.Event) int { return int(a.Time - b.Time) })
	// Number the copies in the order they are sent.
	num := map[uint64]uint64{}
	for i := range evs {
		if evs[i].Kind == trace.Send {
			num[evs[i].Msg] = uint64(len(num) + 1)
		}
	}
	for i := range evs {
		if evs[i].Msg != 0 {
			evs[i].Msg = num[evs[i].Msg]
		}
	}
	return evs
}

// svgElement is an element of a parsed SVG: its name, attributes and
// class-wise ancestors.
type svgElement struct {
	name  string
	attrs map[string]string
	text  string // the text of a <title> or <text>
}

// parseSVG checks that data is well-formed XML with an <svg> root and
// returns its elements in document order.
func parseSVG(t *testing.T, data []byte) []svgElement {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var els []svgElement
	var open []int
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if len(els) == 0 && tk.Name.Local != "svg" {
				t.Fatalf("root element %q, want svg", tk.Name.Local)
			}
			e := svgElement{name: tk.Name.Local, attrs: map[string]string{}}
			for _, a := range tk.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			els = append(els, e)
			open = append(open, len(els)-1)
		case xml.CharData:
			if len(open) > 0 {
				els[open[len(open)-1]].text += string(tk)
			}
		case xml.EndElement:
			open = open[:len(open)-1]
		}
	}
	if len(els) == 0 {
		t.Fatal("empty SVG")
	}
	return els
}

// byClass returns the elements of class c.
func byClass(els []svgElement, c string) []svgElement {
	var out []svgElement
	for _, e := range els {
		if e.attrs["class"] == c {
			out = append(out, e)
		}
	}
	return out
}

// sentIn returns the message numbers of the copies sent at from <= t < until.
func sentIn(evs []trace.Event, from, until sim.Time) []uint64 {
	var out []uint64
	for _, e := range evs {
		if e.Kind == trace.Send && e.Time >= from && e.Time < until {
			out = append(out, e.Msg)
		}
	}
	return out
}

func TestSequenceDiagramDrawsEveryCopyInTheWindow(t *testing.T) {
	evs := gossipTrace(8, 7)
	tests := []struct {
		name        string
		from, until sim.Time
		// the rare outcomes inside the window
		dropped, rejected, accepted, corrupted    int
		wrong, right, declared, crashes, restarts int
	}{
		// Dropped: 1 lost, 1 queue-full and the copies to node 7 while it is
		// down (counted from the events); 1 rejected, 1 accepted.
		{name: "first 5 s", from: 0, until: 5 * sim.Second, rejected: 1, accepted: 1, corrupted: 2,
			wrong: 5, right: 1, declared: 1, crashes: 1, restarts: 1},
		{name: "2 s to 3 s", from: 2 * sim.Second, until: 3 * sim.Second, rejected: 1, corrupted: 1},
		{name: "after the events", from: 5 * sim.Second, until: 7 * sim.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := SequenceDiagram(evs, SequenceOptions{Nodes: 8, From: tc.from, Until: tc.until, Title: "test: 8 nodes"})
			if err != nil {
				t.Fatal(err)
			}
			els := parseSVG(t, data)
			nodes := map[string]bool{}
			for _, e := range byClass(els, "lifeline") {
				nodes[e.attrs["data-node"]] = true
			}
			if len(nodes) != 8 {
				t.Errorf("lifelines of %d nodes, want 8: %v", len(nodes), nodes)
			}
			var got []uint64
			outcomes := map[string]int{}
			corrupted := 0
			for _, e := range byClass(els, "msg") {
				m, err := strconv.ParseUint(e.attrs["data-msg"], 10, 64)
				if err != nil {
					t.Fatalf("arrow with data-msg %q", e.attrs["data-msg"])
				}
				got = append(got, m)
				outcomes[e.attrs["data-outcome"]]++
				if e.attrs["data-corrupted"] == "true" {
					corrupted++
				}
			}
			slices.Sort(got)
			want := sentIn(evs, tc.from, tc.until)
			if !slices.Equal(got, want) {
				t.Errorf("arrows for messages %v,\nwant one per copy sent in the window: %v", got, want)
			}
			wantDropped := 0
			for _, e := range evs {
				if e.Kind == trace.Drop && slices.Contains(want, e.Msg) {
					wantDropped++
				}
			}
			if outcomes["dropped"] != wantDropped || outcomes["rejected"] != tc.rejected || outcomes["accepted-corrupted"] != tc.accepted || corrupted != tc.corrupted {
				t.Errorf("outcomes %v, %d corrupted; want %d dropped, %d rejected, %d accepted, %d corrupted",
					outcomes, corrupted, wantDropped, tc.rejected, tc.accepted, tc.corrupted)
			}
			if outcomes["in-flight"] != 0 {
				t.Errorf("%d arrows with no delivery: the window's deliveries are in the events", outcomes["in-flight"])
			}
			marks := map[string]int{}
			for _, e := range byClass(els, "mark") {
				marks[e.attrs["data-kind"]]++
			}
			if marks["update"] != tc.wrong+tc.right || marks["declare-failed"] != tc.declared ||
				marks["crash"] != tc.crashes || marks["restart"] != tc.restarts {
				t.Errorf("marks %v, want %d entries made wrong (and one right again), %d declarations, %d crashes, %d restarts",
					marks, tc.wrong, tc.declared, tc.crashes, tc.restarts)
			}
			var title string
			for _, e := range byClass(els, "title") {
				title += e.text + "\n"
			}
			head := strconv.Itoa(len(want)) + " messages sent from " + seconds(tc.from) + " to " + seconds(tc.until)
			if !strings.Contains(title, head) {
				t.Errorf("title %q does not say %q", title, head)
			}
		})
	}
}

func TestSequenceDiagramMarksAndTooltips(t *testing.T) {
	evs := gossipTrace(8, 6)
	data, err := SequenceDiagram(evs, SequenceOptions{Nodes: 8, From: 0, Until: 5 * sim.Second})
	if err != nil {
		t.Fatal(err)
	}
	els := parseSVG(t, data)
	// Each arrow's group holds its tooltip first, then its lines.
	tips := map[string]string{}
	for i, e := range els {
		if e.attrs["class"] == "msg" {
			if i+1 >= len(els) || els[i+1].name != "title" {
				t.Fatalf("arrow %s has no <title> tooltip", e.attrs["data-msg"])
			}
			tips[e.attrs["data-outcome"]+"/"+e.attrs["data-kind"]] = els[i+1].text
		}
	}
	for key, want := range map[string][]string{
		"rejected/delta":           {"delta, node 1 → node", "corrupted on the path (1 bit flipped)", "rejected at", "checksum"},
		"accepted-corrupted/delta": {"delta, node 3 → node 4", "(2 bits flipped)", "ACCEPTED although corrupted at 3."},
		"dropped/digest":           {"digest, node", "lost at"},
		"delivered/digest-reply":   {"digest-reply", "delivered at", "latency 500µs", "processed at"},
		"delivered/failure-notice": {"failure-notice, node 4 → node", "bytes"},
	} {
		tip, ok := tips[key]
		if !ok {
			t.Errorf("no arrow %s", key)
			continue
		}
		for _, w := range want {
			if !strings.Contains(tip, w) {
				t.Errorf("tooltip of %s is %q, which does not say %q", key, tip, w)
			}
		}
	}
	// The marks: a red cross and its label for the rejection, the disc and
	// its label for the acceptance, the reasons of the drops.
	texts := ""
	for _, e := range els {
		if e.name == "text" {
			texts += e.text + "|"
		}
	}
	for _, w := range []string{"rejected (checksum)", "ACCEPTED CORRUPTED", "loss", "node-down", "queue-full",
		"falsely declares 5 failed", "crash", "restart", "reset: decided", "time (s)"} {
		if !strings.Contains(texts, w) {
			t.Errorf("no text %q in the diagram", w)
		}
	}
	// The lifeline of node 7 is dotted from its crash to its restart.
	var dotted int
	for _, e := range byClass(els, "lifeline") {
		if e.attrs["data-node"] == "7" && e.attrs["stroke-dasharray"] != "" {
			dotted++
			y1, _ := strconv.ParseFloat(e.attrs["y1"], 64)
			y2, _ := strconv.ParseFloat(e.attrs["y2"], 64)
			if y2-y1 < 100 {
				t.Errorf("node 7 is down from %g to %g px, want the 1.7 s from crash to restart", y1, y2)
			}
		}
	}
	if dotted != 1 {
		t.Errorf("node 7's lifeline has %d dotted segments, want 1 (down from 1.5 s to 3.2 s)", dotted)
	}
}

func TestSequenceDiagramIsDeterministicAndKeepsProvenance(t *testing.T) {
	evs := gossipTrace(5, 3)
	opt := SequenceOptions{Nodes: 5, Until: 3 * sim.Second, Title: "a & b <c>", Provenance: "gossipsim test <1>"}
	a, err := SequenceDiagram(evs, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := SequenceDiagram(evs, opt)
	if !bytes.Equal(a, b) {
		t.Error("the same events and options gave different bytes")
	}
	meta, err := SVGMetadata(a)
	if err != nil || meta != opt.Provenance {
		t.Errorf("SVGMetadata = %q, %v; want %q", meta, err, opt.Provenance)
	}
	if !bytes.Contains(a, []byte("a &amp; b &lt;c&gt;")) {
		t.Error("the title is not escaped")
	}
}

func TestSequenceDiagramScale(t *testing.T) {
	height := func(t *testing.T, evs []trace.Event, opt SequenceOptions) float64 {
		t.Helper()
		data, err := SequenceDiagram(evs, opt)
		if err != nil {
			t.Fatal(err)
		}
		h, err := strconv.ParseFloat(parseSVG(t, data)[0].attrs["height"], 64)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	evs := gossipTrace(32, 6)
	// 32 nodes, about 96 copies a second: 8 px apart on average.
	dense := height(t, evs, SequenceOptions{Nodes: 32, Until: 5 * sim.Second})
	if n := len(sentIn(evs, 0, 5*sim.Second)); n < 400 || dense < SequenceArrowSpacing*float64(n) {
		t.Errorf("%d arrows in a diagram %g px tall, want at least %g px", n, dense, SequenceArrowSpacing*float64(n))
	}
	fixed := height(t, evs, SequenceOptions{Nodes: 32, Until: 5 * sim.Second, PixelsPerSecond: 100})
	if fixed > 5*100+400 || fixed < 5*100 {
		t.Errorf("at 100 px/s a 5 s diagram is %g px tall", fixed)
	}
	// A long window is capped.
	long := height(t, gossipTrace(4, 3), SequenceOptions{Nodes: 4, Until: 3600 * sim.Second, PixelsPerSecond: 1000})
	if long > MaxSequenceHeight+400 {
		t.Errorf("an hour at 1000 px/s is %g px tall, want at most %g plus the header", long, MaxSequenceHeight)
	}
	// Nor is a short window whose last copy is rejected long after it.
	late := []trace.Event{
		{Time: 0, Kind: trace.Send, Node: 0, Peer: 1, Msg: 1, MsgKind: wire.KindDelta, Size: 44, Subject: -1},
		{Time: sim.Millisecond, Kind: trace.Deliver, Node: 1, Peer: 0, Msg: 1, MsgKind: wire.KindDelta, Size: 44, Subject: -1},
		{Time: 4 * sim.Second, Kind: trace.Reject, Node: 1, Peer: 0, Msg: 1, MsgKind: wire.KindDelta, Size: 44, Subject: -1, Reason: "checksum"},
	}
	if h := height(t, late, SequenceOptions{Nodes: 2, Until: 10 * sim.Millisecond}); h > MaxSequenceHeight+400 {
		t.Errorf("a 10 ms window with a rejection 4 s later is %g px tall, want at most %g plus the header", h, MaxSequenceHeight)
	}
	// A tiny window is not.
	tiny := height(t, gossipTrace(4, 1), SequenceOptions{Nodes: 4, Until: 50 * sim.Millisecond})
	if tiny < MinSequenceHeight {
		t.Errorf("a 50 ms window is %g px tall, want at least %g", tiny, MinSequenceHeight)
	}
}

func TestSequenceDiagramWithNoEvents(t *testing.T) {
	data, err := SequenceDiagram(nil, SequenceOptions{Nodes: 3, Until: 5 * sim.Second})
	if err != nil {
		t.Fatal(err)
	}
	els := parseSVG(t, data)
	if n := len(byClass(els, "lifeline")); n != 3 {
		t.Errorf("%d lifelines, want 3", n)
	}
	if n := len(byClass(els, "msg")); n != 0 {
		t.Errorf("%d arrows, want none", n)
	}
}

func TestSequenceDiagramRefuses(t *testing.T) {
	evs := gossipTrace(8, 2)
	tests := []struct {
		name string
		opt  SequenceOptions
		evs  []trace.Event
		want string
	}{
		{"33 nodes", SequenceOptions{Nodes: 33, Until: sim.Second}, nil, "nodes: 33 is outside the [1, 32]"},
		{"no nodes", SequenceOptions{Nodes: 0, Until: sim.Second}, nil, "nodes: 0"},
		{"empty window", SequenceOptions{Nodes: 4, From: 2 * sim.Second, Until: 2 * sim.Second}, nil, "until: 2s is not after from (2s)"},
		{"negative scale", SequenceOptions{Nodes: 4, Until: sim.Second, PixelsPerSecond: -1}, nil, "pixels per second: -1"},
		{"a node outside the fleet", SequenceOptions{Nodes: 4, Until: sim.Second}, evs, "is not in the fleet of 4 nodes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := SequenceDiagram(tc.evs, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

func TestWriteSequence(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "flow.svg")
	if err := WriteSequence(path, gossipTrace(4, 2), SequenceOptions{Nodes: 4, Until: 2 * sim.Second}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	parseSVG(t, data)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want only flow.svg", len(entries))
	}
	bad := filepath.Join(dir, "flow.svg", "x.svg")
	if err := WriteSequence(bad, nil, SequenceOptions{Nodes: 4, Until: sim.Second}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("writing under a file: error %v, want one naming %s", err, bad)
	}
	if err := WriteSequence(path, nil, SequenceOptions{Nodes: 40, Until: sim.Second}); err == nil {
		t.Error("40 nodes drawn")
	}
}

// TestSequenceDiagramLook writes the diagrams of the generated trace into
// $GOSSIPSIM_LOOK_DIR, if set, to be looked at (converted to PNG).
func TestSequenceDiagramLook(t *testing.T) {
	dir := os.Getenv("GOSSIPSIM_LOOK_DIR")
	if dir == "" {
		t.Skip("GOSSIPSIM_LOOK_DIR not set")
	}
	for _, n := range []int{8, 32} {
		opt := SequenceOptions{Nodes: n, Until: 5 * sim.Second, Title: "generated digest+delta trace: " + strconv.Itoa(n) + " nodes"}
		if err := WriteSequence(filepath.Join(dir, "sequence-"+strconv.Itoa(n)+".svg"), gossipTrace(n, 6), opt); err != nil {
			t.Fatal(err)
		}
	}
}

// record passes evs through a Tracer with r's filter, as a run does.
func record(t *testing.T, r *SequenceRecorder, n int, evs []trace.Event) {
	t.Helper()
	tr, err := trace.New(r.Filter(), n, r)
	if err != nil {
		t.Fatal(err)
	}
	for i := range evs {
		if tr.Wants(evs[i].Kind, evs[i].Time) {
			tr.Record(&evs[i])
		}
	}
}

func TestSequenceRecorderKeepsTheWindow(t *testing.T) {
	evs := gossipTrace(8, 7)
	opt := SequenceOptions{Nodes: 8, From: sim.Second, Until: 4 * sim.Second}
	r := NewSequenceRecorder(opt)
	record(t, r, 8, evs)
	if !reflect.DeepEqual(r.Options(), opt) {
		t.Errorf("options %+v, want %+v unchanged", r.Options(), opt)
	}
	sends := 0
	for _, e := range r.Events {
		if e.Time < opt.From || e.Time >= opt.Until+SequenceGrace {
			t.Fatalf("event %s at %v kept, outside [%v, %v)", e.Kind, e.Time, opt.From, opt.Until+SequenceGrace)
		}
		if e.Kind == trace.Send {
			sends++
			if e.Time >= opt.Until {
				t.Errorf("a send at %v kept, after the window", e.Time)
			}
		}
	}
	if want := len(sentIn(evs, opt.From, opt.Until)); sends != want {
		t.Errorf("%d sends kept, want the window's %d", sends, want)
	}
	// The diagram drawn from the recorder is the one drawn from every event.
	got, err := SequenceDiagram(r.Events, r.Options())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := SequenceDiagram(evs, opt)
	if !bytes.Equal(got, want) {
		t.Error("the diagram of the recorded events differs from the diagram of all events")
	}
}

func TestSequenceRecorderCutsALongWindow(t *testing.T) {
	evs := gossipTrace(32, 30) // about 2,900 copies
	opt := SequenceOptions{Nodes: 32, Until: 30 * sim.Second}
	r := NewSequenceRecorder(opt)
	record(t, r, 32, evs)
	all := sentIn(evs, 0, opt.Until)
	if len(all) <= MaxSequenceArrows {
		t.Fatalf("the trace has %d copies, not more than %d", len(all), MaxSequenceArrows)
	}
	var cut sim.Time // the time of the first send left out
	for _, e := range evs {
		if e.Kind == trace.Send && e.Msg == all[MaxSequenceArrows] {
			cut = e.Time
		}
	}
	o := r.Options()
	if o.Until != cut || !strings.Contains(o.Note, "at most 2000 messages") {
		t.Errorf("window until %v with note %q, want until %v (the first send left out) and a note", o.Until, o.Note, cut)
	}
	data, err := SequenceDiagram(r.Events, o)
	if err != nil {
		t.Fatal(err)
	}
	els := parseSVG(t, data)
	if got, want := len(byClass(els, "msg")), len(sentIn(evs, 0, cut)); got != want || got > MaxSequenceArrows {
		t.Errorf("%d arrows, want the %d copies sent before the cut, at most %d", got, want, MaxSequenceArrows)
	}
	if !bytes.Contains(data, []byte("window cut at")) {
		t.Error("the title does not say the window was cut")
	}
}

func TestSequenceDiagramNamesAModelsKinds(t *testing.T) {
	names := map[wire.Kind]string{wire.KindDigest: "ping", wire.KindDelta: "ack"}
	data, err := SequenceDiagram(gossipTrace(4, 2), SequenceOptions{Nodes: 4, Until: 2 * sim.Second, KindNames: names})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	var legend, tips string
	for _, e := range parseSVG(t, data) {
		if e.attrs["class"] == "msg" {
			kinds[e.attrs["data-kind"]]++
		}
		if e.name == "text" {
			legend += e.text + "|"
		}
		if e.name == "title" {
			tips += e.text + "|"
		}
	}
	if kinds["ping"] == 0 || kinds["ack"] == 0 || kinds["digest-reply"] == 0 || kinds["digest"]+kinds["delta"] != 0 {
		t.Errorf("arrows by kind %v, want ping, digest-reply and ack", kinds)
	}
	for _, w := range []string{"|ping|", "|ack|", "|digest-reply|"} {
		if !strings.Contains(legend, w) {
			t.Errorf("the legend does not name %s", w)
		}
	}
	if !strings.Contains(tips, "|ping, node") {
		t.Error("the tooltips do not name the pings")
	}
}
