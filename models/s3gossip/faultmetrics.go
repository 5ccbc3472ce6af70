package s3gossip

import (
	"encoding/binary"
	"math/bits"

	"github.com/gossipsim/gossipsim/models/faults"
	"github.com/gossipsim/gossipsim/sim"
)

// What the model measures for a topology and a fault schedule
// (metrics.FaultSummary and the per-zone time series): nothing here runs,
// or allocates, on a flat fleet without a schedule.

// zoneMetrics is the zone of every node, for a fleet of more than one zone.
type zoneMetrics struct {
	zones  int
	zoneOf []uint16 // topology.MaxGroups zones fit
	// scratch for wrongByZone
	wrong, live []int64
	up          []byte // 1 for a node up, 0 for one down
}

// initFaultMetrics sets up the fault measurements from the transport's
// resolved topology and schedule: the zone split of false failures and of
// the wrong-view fraction (more than one zone), and convergence after the
// schedule's heal (healTime).
func (m *Model) initFaultMetrics() {
	if topo := m.tr.Topology(); topo != nil && topo.Zones() > 1 {
		z := &zoneMetrics{zones: topo.Zones(), zoneOf: make([]uint16, m.n), wrong: make([]int64, topo.Zones()), live: make([]int64, topo.Zones()), up: make([]byte, m.n)}
		for i := range m.n {
			z.zoneOf[i] = uint16(topo.ZoneOf(i))
		}
		m.zm = z
		m.rec.SplitByZone(z.zones)
	}
	if at, ok := healTime(m.cfg.Fleet.Faults, m.tr.Faults()); ok {
		m.rec.WatchHeal(at)
	}
}

// healTime is when the schedule's last partition or crash window ends: the
// latest `until` of a partition and the latest scheduled restart (of a
// crash window, a restart entry or a churn line). There is none (false)
// without a partition or crash, or when a partition never ends.
func healTime(s *faults.Schedule, tl *faults.Timeline) (sim.Time, bool) {
	if s.Empty() || tl == nil {
		return 0, false
	}
	var at sim.Time
	found := false
	for _, e := range s.Entries {
		if e.Action != faults.Partition {
			continue
		}
		if !e.HasUntil {
			return 0, false // the partition never heals
		}
		at, found = max(at, e.Until), true
	}
	for _, ev := range tl.NodeEvents() {
		if ev.Up {
			at, found = max(at, ev.At), true
		}
	}
	return at, found
}

// noteFalseFailure counts observer i's false failure declaration about
// peer j in its zone class (same zone or not), for a fleet with zones.
// detectFailures counts FalseFailures itself and calls this beside it.
func (m *Model) noteFalseFailure(i, j int) {
	if m.zm != nil {
		m.rec.FalseFailure(m.zm.zoneOf[i] == m.zm.zoneOf[j])
	}
}

// ones has 1 in each byte of a word.
const ones = 0x0101010101010101

// wrongByZone returns, per zone Z, the share of (live observer in Z, live
// peer) pairs whose view is wrong: nil without zones. It reads the flag
// byte of every live observer's entry for every peer, N² bytes per call (1
// MB at 1,000 nodes), eight at a time (a word's wrong flags, masked by the
// peers' liveness, counted with one popcount); when the recorder's exact
// count says no pair is wrong it reads none. The sampler calls it once per
// sample. The zone counts add up to the recorder's WrongPairs.
func (m *Model) wrongByZone() []float64 {
	z := m.zm
	if z == nil {
		return nil
	}
	clear(z.wrong)
	clear(z.live)
	for i := range m.n {
		z.up[i] = 0
		if m.nodes[i].up {
			z.up[i] = 1
			z.live[z.zoneOf[i]]++
		}
	}
	if m.rec.WrongPairs() > 0 {
		for i := range m.n {
			if z.up[i] == 1 {
				z.wrong[z.zoneOf[i]] += m.wrongInRow(i)
			}
		}
	}
	out := make([]float64, z.zones)
	for k := range out {
		if pairs := z.live[k] * int64(m.live-1); pairs > 0 {
			out[k] = float64(z.wrong[k]) / float64(pairs)
		}
	}
	return out
}

// wrongInRow counts observer i's wrong entries about live peers other than
// i (z.up as wrongByZone set it).
func (m *Model) wrongInRow(i int) int64 {
	_, _, sf := m.row(i)
	up := m.zm.up
	const shift = 2 // flagWrong is bit 2 of an sf byte
	var n int
	j := 0
	for ; j+8 <= len(sf); j += 8 {
		w := binary.LittleEndian.Uint64(sf[j:]) >> shift & ones
		if w != 0 {
			n += bits.OnesCount64(w & binary.LittleEndian.Uint64(up[j:]))
		}
	}
	for ; j < len(sf); j++ {
		n += int(sf[j] >> shift & up[j] & 1)
	}
	if sf[i]&flagWrong != 0 {
		n-- // never set on oneself, but not counted if it were
	}
	return int64(n)
}

// A compile-time check that flagWrong is bit 2, as wrongInRow's shift
// assumes: another value makes the index out of range.
var _ = [1]struct{}{}[flagWrong-1<<2]
