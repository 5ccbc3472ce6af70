package transport

import (
	"math/rand/v2"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/faults"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/topology"
	"github.com/gossipsim/gossipsim/sim"
)

// Path is the fleet's topology and fault schedule as a scenario gives them,
// not yet resolved: a model passes its fleet's (protocol.Fleet.Path) to New
// in Config.Path. The zero value is the flat fleet with no faults, on which
// the transport takes exactly the path it always has.
type Path struct {
	// Nodes is the fleet size.
	Nodes int
	// Topology is the layout and the latency matrix (zero: flat).
	Topology topology.Config
	// Faults is the fault schedule (nil: none).
	Faults *faults.Schedule
}

// enabled reports whether p changes anything.
func (p Path) enabled(net network.Config) bool {
	return p.Topology.Enabled() || !p.Faults.Empty() || net.HasClasses()
}

// Resolve builds p's topology and compiles its schedule for the run's seed;
// a scenario's validation calls it (with any seed) to report bad input
// before a run starts.
func (p Path) Resolve(seed uint64) (*topology.Topology, *faults.Timeline, error) {
	topo, err := p.Topology.Build(p.Nodes)
	if err != nil {
		return nil, nil, err
	}
	tl, err := p.Faults.Compile(topo, seed)
	if err != nil {
		return nil, nil, err
	}
	return topo, tl, nil
}

// route is the run's resolved topology and schedule, which SendAll and
// Receive consult when the path is not flat.
//
// Its draws: a pair's loss and latency use the transport's "<name>/loss"
// and "<name>/latency" streams, one loss draw (when the pair's loss is
// positive) and one latency draw per message as on the flat path, so a
// topology whose classes keep the fleet's latency and loss changes no
// result. A corruption source of the schedule draws from its own stream,
// "<name>/corruption-source" (corrupt.Draw and Hit.Apply, as fleet-wide
// corruption does from "<name>/corruption"), only for messages the
// fleet-wide draw left intact. Partitions and down nodes draw nothing.
type route struct {
	topo    *topology.Topology
	tl      *faults.Timeline // nil: no schedule
	classes bool             // the network has class overrides
	matrix  bool
	source  *rand.Rand // "<name>/corruption-source"
	origin  sim.Time
}

// newRoute resolves cfg.Path, or returns nil for the flat path.
func newRoute(cfg Config, seed uint64) *route {
	if !cfg.Path.enabled(cfg.Network) {
		return nil
	}
	p := cfg.Path
	if p.Nodes == 0 {
		panic(cfg.Name + ": transport.Path needs Nodes with a topology or faults")
	}
	topo, tl, err := p.Resolve(seed)
	if err != nil {
		panic(cfg.Name + ": the fleet's topology or faults do not resolve (validate the fleet first): " + err.Error())
	}
	r := &route{topo: topo, classes: cfg.Network.HasClasses(), matrix: topo.HasMatrix(), origin: cfg.Origin}
	if !tl.Empty() {
		r.tl = tl
		r.source = sim.NewStream(seed, cfg.Name+"/corruption-source")
	}
	return r
}

// advance brings the schedule up to engine time now.
func (r *route) advance(now sim.Time) {
	if r.tl != nil {
		r.tl.Advance(now - r.origin)
	}
}

// senderDown reports whether node a is down by the schedule.
func (r *route) senderDown(a int) bool { return r.tl != nil && r.tl.Down(a) }

// link returns the latency and loss of a message from a to b, or blocked
// when a partition in force stops it.
func (r *route) link(a, b int, net *network.Config) (lat network.Latency, loss float64, blocked bool) {
	lat, loss = net.Latency, net.Loss
	k := network.SameRack
	if r.classes || r.tl != nil {
		k = r.topo.Class(a, b)
	}
	if r.classes {
		lat, loss = net.For(k)
	}
	if r.matrix {
		lat = r.topo.Latency(a, b, lat)
	}
	if r.tl != nil {
		if r.tl.Blocked(a, b) {
			return lat, loss, true
		}
		if r.tl.HasLinks() {
			lat, loss = r.tl.Link(a, b, k, lat, loss)
		}
	}
	return lat, loss, false
}

// sourceHit draws the schedule's corruption sources covering a message from
// a to b of size bytes, in file order, until one hits.
func (r *route) sourceHit(a, b, size int) (corrupt.Hit, bool) {
	if r.tl == nil || !r.tl.HasCorruption() {
		return corrupt.Hit{}, false
	}
	k := 0
	for {
		c, ok := r.tl.Corruption(a, b, &k)
		if !ok {
			return corrupt.Hit{}, false
		}
		if hit, ok := corrupt.Draw(size, r.source, c); ok {
			return hit, true
		}
	}
}

// downAt reports whether node b is down by the schedule at engine time now.
func (r *route) downAt(b int, now sim.Time) bool {
	if r.tl == nil {
		return false
	}
	r.advance(now)
	return r.tl.Down(b)
}
