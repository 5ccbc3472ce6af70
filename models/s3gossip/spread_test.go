package s3gossip

import (
	"fmt"
	"testing"

	"github.com/gossipsim/gossipsim/models/spread"
	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// holds reports whether observer i's entry for j holds value v, by the
// definition (package spread), read from the views.
func holds(m *Model, i int, v spread.Value) bool {
	j := int(v.Subject)
	if i == j || !m.Up(i) {
		return false
	}
	e := m.View(i, j)
	ver := e.Version()
	if ver != pack(v.Generation, v.Heartbeat) {
		return false
	}
	switch v.Kind {
	case spread.KindAhead:
		return ver > m.truth[j]
	case spread.KindFalseFailure:
		return ver <= m.truth[j] && e.Status == wire.StatusFailed && m.Up(j)
	}
	return false
}

// checkSpread checks the record against the views at the model's current
// time: the open spells are exactly the entries holding a value; every
// holder of a generation above 0 got it from a node with a spell of it of
// the generation below, begun no later; patient zero is generation 0.
func checkSpread(t *testing.T, m *Model) (values, spells int) {
	t.Helper()
	r := m.SpreadRecord()
	open := map[[2]int32]bool{}
	for k, h := range r.Holdings {
		v := r.Values[h.Value]
		if h.Cleared < 0 {
			if open[[2]int32{h.Value, h.Node}] {
				t.Fatalf("at %v: node %d has two open spells of value %d", m.Now(), h.Node, h.Value)
			}
			open[[2]int32{h.Value, h.Node}] = true
			if !holds(m, int(h.Node), v) {
				t.Fatalf("at %v: spell %d (%+v) is open but node %d's view of %d is %+v (truth %x)", m.Now(), k, h, h.Node, v.Subject, m.View(int(h.Node), int(v.Subject)), m.truth[v.Subject])
			}
		} else if h.Cleared < h.Acquired {
			t.Fatalf("spell %+v cleared before it began", h)
		}
		switch {
		case h.Generation == 0:
			if h.Node != v.PatientZero || h.Acquired != v.Time || h.From != v.Sender {
				t.Fatalf("generation-0 spell %+v is not patient zero of %+v", h, v)
			}
		case h.Generation > 0:
			found := false
			for _, p := range r.Holdings[:k] {
				if p.Value == h.Value && p.Node == h.From && p.Acquired <= h.Acquired && p.Generation == h.Generation-1 {
					found = true
				}
			}
			if !found {
				t.Fatalf("spell %+v: its source %d held no spell of generation %d before", h, h.From, h.Generation-1)
			}
		}
	}
	for _, v := range r.Values {
		for i := range m.n {
			if holds(m, i, v) && !open[[2]int32{v.ID, int32(i)}] {
				t.Fatalf("at %v: node %d holds value %+v with no open spell", m.Now(), i, v)
			}
		}
	}
	return len(r.Values), len(r.Holdings)
}

// TestSpreadMatchesViews runs small fleets with corruption (with crashes,
// full views, a reset) and checks the spread record against the views
// every second.
func TestSpreadMatchesViews(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"digest", func(c *Config) { c.Corruption.Probability = 2e-3 }},
		{"crashes+full", func(c *Config) {
			c.Corruption.Probability = 2e-3
			c.CrashRate = 30
			c.DownTime = 20 * sim.Second
			c.Mode = ModeFull
		}},
		{"reset", func(c *Config) {
			c.Corruption.Probability = 2e-3
			c.Reset.Procedure = ResetFast
			c.Reset.At = 150 * sim.Second
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := smallConfig()
			tc.edit(&c)
			m := newModel(t, c, 7)
			var values, spells int
			for step := sim.Time(1); step <= 300; step++ {
				m.Advance(step * sim.Second)
				values, spells = checkSpread(t, m)
			}
			if values == 0 || spells <= values {
				t.Fatalf("%d values, %d spells: the test exercises nothing", values, spells)
			}
			r := m.SpreadRecord()
			if int64(len(r.Corruptions)) != m.rec.CorruptionsAccepted {
				t.Fatalf("%d corruption rows, %d accepted", len(r.Corruptions), m.rec.CorruptionsAccepted)
			}
			t.Logf("%d corruptions, %d values, %d spells", len(r.Corruptions), values, spells)
		})
	}
}

// TestSpreadNilWithoutCorruption: a run with no corruption tracks nothing.
func TestSpreadNilWithoutCorruption(t *testing.T) {
	m := newModel(t, smallConfig(), 3)
	m.Advance(60 * sim.Second)
	if m.sp != nil {
		t.Fatal("the tracker was created without a corrupted message")
	}
	if r := m.SpreadRecord(); len(r.Corruptions)+len(r.Values)+len(r.Holdings) != 0 || r.Nodes != 40 {
		t.Fatalf("record %+v, want empty for 40 nodes", r)
	}
}

// TestSpreadEdgesAreDeliveries: every edge of a spread tree (a holder that
// got a bad value from another node) is a real delivery: the trace of the
// same run has the holder reading a message from that node at the moment
// the spell began, and an update of the holder's entry for the value's
// subject to the value's version then. Tracing changes no spell.
func TestSpreadEdgesAreDeliveries(t *testing.T) {
	c := smallConfig()
	c.Corruption.Probability = 2e-3
	const d = 200 * sim.Second
	plain, _ := tracedRun(t, c, d, false, trace.Filter{})
	m, rec := tracedRun(t, c, d, true, trace.Filter{Kinds: []trace.Kind{trace.Process, trace.AcceptCorrupted, trace.Update}})
	r := m.SpreadRecord()
	if r == nil || len(r.Values) == 0 {
		t.Fatal("no bad value: the test exercises nothing")
	}
	if fmt.Sprintf("%+v", r) != fmt.Sprintf("%+v", plain.SpreadRecord()) {
		t.Fatal("the traced run's spread record differs from the untraced run's")
	}
	type read struct {
		node, peer int32
		at         sim.Time
	}
	type update struct {
		node, subject int32
		at            sim.Time
		ver           uint64
	}
	reads, updates := map[read]bool{}, map[update]bool{}
	for _, e := range rec.Events {
		switch e.Kind {
		case trace.Process, trace.AcceptCorrupted:
			reads[read{e.Node, e.Peer, e.Time}] = true
		case trace.Update:
			updates[update{e.Node, e.Subject, e.Time, e.NewVersion}] = true
		}
	}
	edges := 0
	for _, h := range r.Holdings {
		if h.From < 0 {
			continue // its own detector, not a delivery
		}
		v := r.Values[h.Value]
		if !reads[read{h.Node, h.From, h.Acquired}] {
			t.Fatalf("holding %+v of value %d: no message from node %d read by node %d at %v in the trace", h, h.Value, h.From, h.Node, h.Acquired)
		}
		if v.Kind == spread.KindAhead && !updates[update{h.Node, v.Subject, h.Acquired, pack(v.Generation, v.Heartbeat)}] {
			t.Fatalf("holding %+v: no update of node %d's entry for %d to the value's version at %v", h, h.Node, v.Subject, h.Acquired)
		}
		edges++
	}
	if edges < len(r.Values) {
		t.Fatalf("%d edges for %d values: the test exercises too little", edges, len(r.Values))
	}
	t.Logf("%d values, %d edges checked against %d trace events", len(r.Values), edges, len(rec.Events))
}
