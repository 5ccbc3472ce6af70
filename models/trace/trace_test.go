package trace

import (
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

func TestFilterKeepsWhatItNames(t *testing.T) {
	var r Recorder
	tr, err := New(Filter{Kinds: []Kind{Send, Update}, Nodes: []int32{3}, From: sim.Second, Until: 2 * sim.Second}, 10, &r)
	if err != nil {
		t.Fatal(err)
	}
	events := []Event{
		{Time: sim.Second, Kind: Send, Node: 3, Peer: 4, Subject: -1},                  // kept
		{Time: sim.Second, Kind: Send, Node: 5, Peer: 3, Subject: -1},                  // kept: peer 3
		{Time: sim.Second, Kind: Update, Node: 5, Peer: -1, Subject: 3},                // kept: subject 3
		{Time: sim.Second, Kind: Send, Node: 5, Peer: 6, Subject: -1},                  // other nodes
		{Time: sim.Second, Kind: Deliver, Node: 3, Peer: 4, Subject: -1},               // other kind
		{Time: sim.Second - 1, Kind: Send, Node: 3, Peer: 4, Subject: -1},              // before From
		{Time: 2 * sim.Second, Kind: Send, Node: 3, Peer: 4, Subject: -1},              // at Until
		{Time: 3 * sim.Second / 2, Kind: DeclareFailed, Node: 3, Peer: -1, Subject: 1}, // other kind
	}
	for i := range events {
		if tr.Wants(events[i].Kind, events[i].Time) {
			tr.Record(&events[i])
		}
	}
	if len(r.Events) != 3 || r.Events[0].Node != 3 || r.Events[1].Peer != 3 || r.Events[2].Subject != 3 {
		t.Fatalf("kept %+v, want the first three events", r.Events)
	}
	var nilTracer *Tracer
	if nilTracer.Wants(Send, 0) {
		t.Fatal("a nil Tracer wants events")
	}
}

func TestBadFilter(t *testing.T) {
	if _, err := New(Filter{Nodes: []int32{10}}, 10); err == nil {
		t.Fatal("node 10 of a 10-node fleet accepted")
	}
	if _, err := New(Filter{From: 2 * sim.Second, Until: sim.Second}, 10); err == nil {
		t.Fatal("until before from accepted")
	}
	if _, err := ParseKind("sends"); err == nil {
		t.Fatal(`kind "sends" accepted`)
	}
	for _, k := range Kinds() {
		if got, err := ParseKind(k.String()); err != nil || got != k {
			t.Fatalf("ParseKind(%q) = %v, %v", k, got, err)
		}
	}
}

func TestUnionKeepsWhatEitherKeeps(t *testing.T) {
	a := Filter{Kinds: []Kind{Send}, Nodes: []int32{1}, From: 2 * sim.Second, Until: 3 * sim.Second}
	b := Filter{Kinds: []Kind{Update, Send}, Nodes: []int32{2}, From: sim.Second, Until: 5 * sim.Second / 2}
	u := Union(a, b)
	if len(u.Kinds) != 2 || len(u.Nodes) != 2 || u.From != sim.Second || u.Until != 3*sim.Second {
		t.Fatalf("Union = %+v", u)
	}
	if u := Union(a, Filter{From: 4 * sim.Second}); u.Kinds != nil || u.Nodes != nil || u.From != 2*sim.Second || u.Until != 0 {
		t.Fatalf("with a filter keeping every kind and node and no end: %+v", u)
	}
	// Events pass the outer Tracer and each inner Tracer's own filter.
	var ra, rb Recorder
	ta, _ := New(a, 4, &ra)
	tb, _ := New(b, 4, &rb)
	outer, err := New(Union(a, b), 4, ta, tb)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Event{
		{Time: 2 * sim.Second, Kind: Send, Node: 1, Peer: 0, Subject: -1},   // a and b? b wants node 2: a only
		{Time: 2 * sim.Second, Kind: Update, Node: 2, Peer: -1, Subject: 0}, // b only
		{Time: 2 * sim.Second, Kind: Send, Node: 2, Peer: 1, Subject: -1},   // both
		{Time: 5 * sim.Second, Kind: Send, Node: 1, Peer: 2, Subject: -1},   // neither: too late
	} {
		if outer.Wants(e.Kind, e.Time) {
			outer.Record(&e)
		}
	}
	if len(ra.Events) != 2 || len(rb.Events) != 2 {
		t.Fatalf("a kept %d, b kept %d; want 2 and 2", len(ra.Events), len(rb.Events))
	}
}
