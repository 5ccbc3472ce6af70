package topology

import (
	"fmt"

	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/sim"
)

// Config is a fleet's topology settings: a layout and a latency matrix,
// each optional. The zero value is the flat fleet (no zones, no matrix).
type Config struct {
	// Layout groups nodes into zones and racks; nil: one zone, one rack.
	Layout *Layout
	// Matrix gives per-pair latency centers; nil: none.
	Matrix *Matrix
}

// Enabled reports whether c changes anything on the path.
func (c Config) Enabled() bool { return c.Layout != nil || c.Matrix != nil }

// Topology is a layout and matrix resolved for a fleet of n nodes. Its
// methods are read-only and safe for concurrent use.
type Topology struct {
	n           int
	zone, rack  []int32 // per node: zone, global rack index
	zones       int
	rackZone    []int32 // per global rack: its zone
	rackInZone  []int32 // per global rack: its number within the zone
	racksByZone []int32 // per zone: how many racks (file layouts may differ)

	matrix   []sim.Time // center per (row group, column group), or nil
	groups   int        // matrix side
	groupsOf []int32    // per node: its matrix group (nil: the node itself)
}

// Build resolves c for n nodes. Errors name what does not fit (a layout
// with more racks than nodes, a file or a matrix listing another number of
// nodes, a matrix group the layout lacks).
func (c Config) Build(n int) (*Topology, error) {
	t := &Topology{n: n, zone: make([]int32, n), rack: make([]int32, n), zones: 1,
		rackZone: []int32{0}, rackInZone: []int32{0}, racksByZone: []int32{1}}
	if l := c.Layout; l != nil {
		if err := t.layout(l); err != nil {
			return nil, err
		}
	}
	if c.Matrix != nil {
		if err := t.resolveMatrix(c.Matrix); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// layout fills the zones and racks of l.
func (t *Topology) layout(l *Layout) error {
	n := t.n
	if l.File == "" {
		racks := l.Zones * l.RacksPerZone
		if racks > n {
			return fmt.Errorf("topology: %s makes %d racks for %d nodes; every rack needs a node", l.Spec, racks, n)
		}
		t.zones = l.Zones
		t.rackZone, t.rackInZone = make([]int32, racks), make([]int32, racks)
		t.racksByZone = make([]int32, l.Zones)
		for r := range racks {
			t.rackZone[r], t.rackInZone[r] = int32(r/l.RacksPerZone), int32(r%l.RacksPerZone)
		}
		for z := range t.racksByZone {
			t.racksByZone[z] = int32(l.RacksPerZone)
		}
		for i := range n {
			r := int32(int64(i) * int64(racks) / int64(n))
			t.rack[i], t.zone[i] = r, t.rackZone[r]
		}
		return nil
	}
	if len(l.assign) != n {
		return fmt.Errorf("topology: %s lists %d nodes; the fleet has %d", l.File, len(l.assign), n)
	}
	zones := int32(0)
	for _, p := range l.assign {
		zones = max(zones, p.zone+1)
	}
	t.zones = int(zones)
	t.racksByZone = make([]int32, zones)
	for _, p := range l.assign {
		t.racksByZone[p.zone] = max(t.racksByZone[p.zone], p.rack+1)
	}
	first := make([]int32, zones) // global index of each zone's rack 0
	total := int32(0)
	for z, k := range t.racksByZone {
		first[z] = total
		total += k
	}
	t.rackZone, t.rackInZone = make([]int32, total), make([]int32, total)
	for z, k := range t.racksByZone {
		for r := range k {
			t.rackZone[first[z]+r], t.rackInZone[first[z]+r] = int32(z), r
		}
	}
	for i, p := range l.assign {
		t.zone[i], t.rack[i] = p.zone, first[p.zone]+p.rack
	}
	return nil
}

// Nodes is the fleet size.
func (t *Topology) Nodes() int { return t.n }

// Zones is the number of zones (1 without a layout).
func (t *Topology) Zones() int { return t.zones }

// Racks is the number of racks in zone z.
func (t *Topology) Racks(z int) int { return int(t.racksByZone[z]) }

// ZoneOf returns node i's zone, from 0.
func (t *Topology) ZoneOf(i int) int { return int(t.zone[i]) }

// RackOf returns node i's rack within its zone, from 0.
func (t *Topology) RackOf(i int) int { return int(t.rackInZone[t.rack[i]]) }

// Class returns the link class of the pair (a, b): network.SameRack when
// they share a rack (a node with itself too), network.SameZone when they
// share only a zone, network.CrossZone otherwise.
func (t *Topology) Class(a, b int) network.Class {
	switch {
	case t.rack[a] == t.rack[b]:
		return network.SameRack
	case t.zone[a] == t.zone[b]:
		return network.SameZone
	}
	return network.CrossZone
}

// HasMatrix reports whether a latency matrix is set.
func (t *Topology) HasMatrix() bool { return t.matrix != nil }

// Latency returns the latency distribution of a message from a to b: base
// (the pair's class latency) centred on the matrix value for the pair when
// there is a matrix, base itself otherwise.
func (t *Topology) Latency(a, b int, base network.Latency) network.Latency {
	if t.matrix == nil {
		return base
	}
	ga, gb := a, b
	if t.groupsOf != nil {
		ga, gb = int(t.groupsOf[a]), int(t.groupsOf[b])
	}
	return base.WithCenter(t.matrix[ga*t.groups+gb])
}
