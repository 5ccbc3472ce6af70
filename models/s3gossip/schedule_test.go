package s3gossip

import (
	"math"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/faults"
	"github.com/gossipsim/gossipsim/models/topology"
	"github.com/gossipsim/gossipsim/sim"
)

func withSchedule(t *testing.T, c *Config, yaml string) {
	t.Helper()
	s, err := faults.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	c.Faults = s
}

// TestScheduledCrashIsReal checks that the fault schedule's crash and
// restart take the model's node down and bring it back, as a random crash
// does: observers detect a real crash (not a false failure), and the node
// comes back with a new generation that spreads to every view.
func TestScheduledCrashIsReal(t *testing.T) {
	c := smallConfig()
	withSchedule(t, &c, "- at: 10s\n  until: 50s\n  crash: {nodes: 5}\n")
	m := newModel(t, c, 3)
	m.Advance(9 * sim.Second)
	if !m.Up(5) {
		t.Fatal("node 5 down before its crash")
	}
	m.Advance(49 * sim.Second)
	if m.Up(5) {
		t.Fatal("node 5 up during its scheduled crash")
	}
	s := m.Summary()
	if s.Crashes != 1 || s.CrashesDetected != 1 || s.FalseFailures != 0 {
		t.Fatalf("crashes %d, detected %d, false failures %d; want 1, 1, 0", s.Crashes, s.CrashesDetected, s.FalseFailures)
	}
	m.Advance(120 * sim.Second)
	if !m.Up(5) {
		t.Fatal("node 5 not restarted at the end of its crash")
	}
	if s := m.Summary(); s.Recoveries != 1 || s.FinalWrongViewFraction != 0 {
		t.Fatalf("recoveries %d, final wrong views %g; want 1 and 0", s.Recoveries, s.FinalWrongViewFraction)
	}
	for o := range m.n {
		if e := m.View(o, 5); o != 5 && e.Generation != 2 {
			t.Fatalf("observer %d holds node 5 at generation %d, want 2 (restarted)", o, e.Generation)
		}
	}
}

// TestScheduledSkewMovesHeartbeats checks that a clock the schedule runs
// twice as fast gossips, and so raises its heartbeat, twice as often.
func TestScheduledSkewMovesHeartbeats(t *testing.T) {
	c := smallConfig()
	withSchedule(t, &c, "- at: 0s\n  skew: {nodes: 3, rate: 2}\n")
	m := newModel(t, c, 3)
	m.Advance(100 * sim.Second)
	fast, normal := m.View(3, 3).Heartbeat, m.View(4, 4).Heartbeat
	if fast < 195 || fast > 201 || normal < 98 || normal > 101 {
		t.Fatalf("heartbeats after 100 s: skewed node %d (want about 200), others %d (want about 100)", fast, normal)
	}
}

// TestScheduledSkewMovesTimeouts checks that an observer whose clock runs
// fast counts its fail timeout in less real time, and so declares peers
// failed that a true clock keeps alive.
func TestScheduledSkewMovesTimeouts(t *testing.T) {
	declared := func(schedule string) int64 {
		c := smallConfig()
		c.FailTimeout = 6 * sim.Second
		if schedule != "" {
			withSchedule(t, &c, schedule)
		}
		m := newModel(t, c, 5)
		m.Advance(120 * sim.Second)
		return m.Summary().FailureDeclarations
	}
	if n := declared(""); n != 0 {
		t.Fatalf("true clocks: %d failure declarations, want 0", n)
	}
	if n := declared("- at: 30s\n  skew: {nodes: 3, rate: 6}\n"); n == 0 {
		t.Fatal("an observer whose clock runs 6 times fast (a 1-s timeout) declared nothing")
	}
}

// TestInZoneShare checks that locality keeps the given share of gossip
// within a zone: with in-zone-share 1 every peer picked is in the node's
// zone, with 0.5 about half plus the uniform picks that land there, and
// with 0 the picks are exactly today's.
func TestInZoneShare(t *testing.T) {
	layout, err := topology.ParseLayout("zones=4,racks-per-zone=2")
	if err != nil {
		t.Fatal(err)
	}
	inZone := func(share float64) float64 {
		c := smallConfig()
		c.Topology.Layout = layout
		c.InZoneShare = share
		m := newModel(t, c, 9)
		topo := m.tr.Topology()
		same, all := 0, 0
		for i := range 4000 {
			for _, p := range m.pickPeers(i%m.n, 2) {
				all++
				if topo.ZoneOf(int(p)) == topo.ZoneOf(i%m.n) {
					same++
				}
			}
		}
		return float64(same) / float64(all)
	}
	// 40 nodes in 4 zones: a uniform pick lands in the own zone 9 times in 39.
	uniform := 9.0 / 39
	for _, c := range []struct{ share, want float64 }{{0, uniform}, {0.5, 0.5 + 0.5*uniform}, {1, 1}} {
		// 8,000 picks: the binomial standard error is at most 0.006; allow 0.03.
		if got := inZone(c.share); math.Abs(got-c.want) > 0.03 {
			t.Errorf("in-zone-share %g: %.3f of picks in the own zone, want %.3f", c.share, got, c.want)
		}
	}
	c := smallConfig()
	c.InZoneShare = 0.5
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "in-zone-share: 0.5 needs a topology") {
		t.Errorf("in-zone-share without topology: %v", err)
	}
}
