package s3gossip

import (
	"testing"

	"github.com/gossipsim/gossipsim/models/faults"
	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/topology"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// zonedConfig is smallConfig with n nodes in the layout spec and the
// schedule yaml ("" for none).
func zonedConfig(t testing.TB, n int, spec, yaml string) Config {
	t.Helper()
	c := smallConfig()
	c.Nodes = n
	lay, err := topology.ParseLayout(spec)
	if err != nil {
		t.Fatal(err)
	}
	c.Topology = topology.Config{Layout: lay}
	if yaml != "" {
		if c.Faults, err = faults.Parse("test.yaml", []byte(yaml)); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// partition cuts zone 0 off from zone 1 from 20 s to until ("" for never).
func partition(until string) string { return partitionTo(until, "zone:1") }

// partitionTo cuts zone 0 off from the group to from 20 s to until.
func partitionTo(until, to string) string {
	y := "- at: 20s\n"
	if until != "" {
		y += "  until: " + until + "\n"
	}
	return y + "  partition: {from: \"zone:0\", to: \"" + to + "\"}\n"
}

// wrongByZoneByScan is the per-zone wrong-view fraction recounted from the
// views themselves (failed status or a version above the truth), by
// observer zone, the slow way.
func wrongByZoneByScan(m *Model) []float64 {
	topo := m.tr.Topology()
	wrong := make([]int64, topo.Zones())
	live := make([]int64, topo.Zones())
	for i := range m.n {
		if !m.nodes[i].up {
			continue
		}
		z := topo.ZoneOf(i)
		live[z]++
		for j := range m.n {
			if i == j || !m.nodes[j].up {
				continue
			}
			x := i*m.n + j
			if statusOf(m.sf[x]) == wire.StatusFailed || m.ver[x] > m.truth[j] {
				wrong[z]++
			}
		}
	}
	out := make([]float64, len(wrong))
	for z := range out {
		if live[z] > 0 {
			out[z] = float64(wrong[z]) / float64(live[z]*int64(m.live-1))
		}
	}
	return out
}

// TestWrongByZoneMatchesRecount: during a partition (with a node of zone 1
// down, so liveness matters), the per-zone fractions the sampler records
// equal a brute-force recount of the views, and weighted by live observers
// they add up to the fleet's wrong-view fraction. 43 nodes: a row is not a
// whole number of 8-byte words.
func TestWrongByZoneMatchesRecount(t *testing.T) {
	c := zonedConfig(t, 43, "zones=3", partitionTo("200s", "zone:1,zone:2")+"- at: 30s\n  crash: {nodes: 20}\n")
	m := newModel(t, c, 5)
	var checked int
	for _, at := range []sim.Time{10 * sim.Second, 50 * sim.Second, 75 * sim.Second} {
		m.Advance(at)
		got, want := m.wrongByZone(), wrongByZoneByScan(m)
		if len(got) != 3 {
			t.Fatalf("at %v: %d zone fractions, want 3", at, len(got))
		}
		var weighted float64
		live := []float64{0, 0, 0}
		for i := range m.n {
			if m.nodes[i].up {
				live[m.zm.zoneOf[i]]++
			}
		}
		for z := range got {
			if got[z] != want[z] {
				t.Errorf("at %v: zone %d fraction %g, recount %g", at, z, got[z], want[z])
			}
			weighted += got[z] * live[z]
			if got[z] > 0 {
				checked++
			}
		}
		if f := m.rec.WrongViewFraction(); !near(weighted/float64(m.live), f) {
			t.Errorf("at %v: zones weighted by live observers give %g, fleet fraction %g", at, weighted/float64(m.live), f)
		}
	}
	if checked == 0 {
		t.Fatal("no zone had a wrong view: the partition did nothing")
	}
	// A row taken between two sampling instants holds the recount of that
	// instant.
	m.Advance(80*sim.Second + 500*sim.Millisecond)
	want := wrongByZoneByScan(m)
	m.sample()
	last := m.rec.Samples()[len(m.rec.Samples())-1]
	if last.Time != 80.5 || len(last.WrongViewFractionByZone) != 3 {
		t.Fatalf("last row at %g s with %d zone columns, want 80.5 s and 3", last.Time, len(last.WrongViewFractionByZone))
	}
	for z, w := range want {
		if last.WrongViewFractionByZone[z] != w {
			t.Errorf("sampled zone %d fraction %g, recount %g", z, last.WrongViewFractionByZone[z], w)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }

// TestNoZonesNoZoneMetrics: a flat fleet (and a one-zone topology) has no
// per-zone fractions and no zone split of false failures.
func TestNoZonesNoZoneMetrics(t *testing.T) {
	for name, c := range map[string]Config{"flat": smallConfig(), "one zone": zonedConfig(t, 40, "zones=1,racks-per-zone=4", "")} {
		m := newModel(t, c, 3)
		m.Advance(5 * sim.Second)
		if m.zm != nil || m.rec.Samples()[0].WrongViewFractionByZone != nil {
			t.Errorf("%s: per-zone fractions without zones", name)
		}
		s := m.Summary()
		if s.FalseFailuresSameZone != nil || s.FalseFailuresCrossZone != nil || s.ConvergenceAfterHealSeconds != nil || s.HealTimeSeconds != nil {
			t.Errorf("%s: fault fields set without zones or a schedule: %+v", name, *s.FaultSummary)
		}
	}
}

// TestFalseFailuresSplitByZone: a partition between zones longer than the
// failure timeout makes false failures across it; the split adds up to
// FalseFailures.
func TestFalseFailuresSplitByZone(t *testing.T) {
	m := newModel(t, zonedConfig(t, 40, "zones=2", partition("100s")), 3)
	m.Advance(200 * sim.Second)
	s := m.Summary()
	if s.FalseFailuresSameZone == nil || s.FalseFailuresCrossZone == nil {
		t.Fatal("no zone split of false failures on a 2-zone fleet")
	}
	same, cross := *s.FalseFailuresSameZone, *s.FalseFailuresCrossZone
	if same+cross != s.FalseFailures {
		t.Errorf("same-zone %d + cross-zone %d != false failures %d", same, cross, s.FalseFailures)
	}
	if cross == 0 || cross <= same {
		t.Errorf("cross-zone false failures %d, same-zone %d; a partition between the zones makes mostly cross-zone ones", cross, same)
	}
}

// TestConvergenceAfterHeal: a partition shorter than the failure timeout
// makes no view wrong (convergence 0); one longer makes both sides declare
// the other failed, and the fleet converges some seconds after the heal,
// later than after a partition just as long as the timeout; a partition
// that never heals has no convergence time (null), nor has one that heals
// after the horizon.
func TestConvergenceAfterHeal(t *testing.T) {
	conv := func(until string, horizon sim.Time) (*float64, metrics.Summary) {
		m := newModel(t, zonedConfig(t, 40, "zones=2", partition(until)), 3)
		m.Advance(horizon)
		s := m.Summary()
		return s.ConvergenceAfterHealSeconds, s
	}
	short, s := conv("30s", 300*sim.Second)
	if short == nil || *short != 0 || s.PeakWrongViewFraction != 0 {
		t.Errorf("10-s partition: convergence %v, peak wrong %g; want 0 and 0", short, s.PeakWrongViewFraction)
	}
	if s.HealTimeSeconds == nil || *s.HealTimeSeconds != 30 {
		t.Errorf("heal time %v, want 30", s.HealTimeSeconds)
	}
	edge, _ := conv("40s", 300*sim.Second)
	long, s := conv("100s", 300*sim.Second)
	if edge == nil || long == nil {
		t.Fatalf("a healed partition did not converge: %v, %v", edge, long)
	}
	if !(*edge > 0 && *long > *edge && *long < 60) {
		t.Errorf("convergence after a 20-s partition %g s, after an 80-s one %g s; want 0 < first < second < 60", *edge, *long)
	}
	if s.FinalWrongViewFraction != 0 {
		t.Errorf("final wrong-view fraction %g after convergence", s.FinalWrongViewFraction)
	}
	if never, s := conv("", 300*sim.Second); never != nil || s.HealTimeSeconds != nil || s.FinalWrongViewFraction == 0 {
		t.Errorf("a partition that never heals: convergence %v, heal %v, final wrong %g; want null, null, > 0", never, s.HealTimeSeconds, s.FinalWrongViewFraction)
	}
	if late, s := conv("100s", 90*sim.Second); late != nil || s.HealTimeSeconds != nil {
		t.Errorf("a heal after the horizon: convergence %v, heal %v; want null", late, s.HealTimeSeconds)
	}
}

// TestConvergenceCountsCrashWindows: the heal is the end of the last
// partition or crash window, whichever is later.
func TestConvergenceCountsCrashWindows(t *testing.T) {
	m := newModel(t, zonedConfig(t, 40, "zones=2", partition("60s")+"- at: 70s\n  until: 130s\n  crash: {nodes: 3}\n"), 3)
	m.Advance(300 * sim.Second)
	s := m.Summary()
	if s.HealTimeSeconds == nil || *s.HealTimeSeconds != 130 || s.ConvergenceAfterHealSeconds == nil {
		t.Fatalf("heal %v, convergence %v; want 130 and a time", s.HealTimeSeconds, s.ConvergenceAfterHealSeconds)
	}
}

// BenchmarkWrongByZone is one sample's per-zone scan of a 1,000-node,
// 3-zone fleet with zone 0 cut off (about 45% of pairs wrong, so every
// word of flags is read).
func BenchmarkWrongByZone(b *testing.B) {
	c := zonedConfig(b, 1000, "zones=3", partitionTo("", "zone:1,zone:2"))
	m, err := New(c, 1, sim.Second)
	if err != nil {
		b.Fatal(err)
	}
	m.Advance(70 * sim.Second)
	if m.rec.WrongPairs() == 0 {
		b.Fatal("no wrong pair")
	}
	b.ReportAllocs()
	for b.Loop() {
		m.wrongByZone()
	}
}
