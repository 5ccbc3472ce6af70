package transport

import (
	"slices"

	"github.com/gossipsim/gossipsim/models/wire"
)

// packFrom is the number of entries from which a snapshot keeps a message's
// entries packed (see packed) rather than as wire.Entry values. Large
// messages (a digest or a full view of thousands of nodes) dominate the
// memory of a run, since they wait in receivers' queues, and are read once,
// cold; small ones stay as they are, since packing and unpacking would cost
// more than it saves. A variable so that tests can pack small messages.
var packFrom = 2048

// packed is a message's entries without what is implied: a generation
// shared by every entry is kept once, and node ids 0, 1, 2, ... (a whole
// view) are not kept. An entry then takes 5 bytes instead of 16 (9 for a
// reply or a delta, which name their nodes).
type packed struct {
	n        int
	gen      uint32        // every entry's generation, unless hasGens
	hasGens  bool          // generations differ: gens holds them
	hasNodes bool          // nodes are not 0, 1, 2, ...: nodes holds them
	gens     []uint32      // len n when hasGens
	nodes    []uint32      // len n when hasNodes
	hbs      []uint32      // heartbeats, len n
	sts      []wire.Status // statuses, len n
}

// fill packs es into p, reusing p's capacity.
func (p *packed) fill(es []wire.Entry) {
	n := len(es)
	p.n = n
	p.hbs, p.sts = slices.Grow(p.hbs[:0], n)[:n], slices.Grow(p.sts[:0], n)[:n]
	if n == 0 {
		p.hasGens, p.hasNodes = false, false
		return
	}
	gen := es[0].Generation
	hbs, sts := p.hbs[:n], p.sts[:n]
	uniform, dense := true, true
	for k := range es {
		e := &es[k]
		hbs[k], sts[k] = e.Heartbeat, e.Status
		uniform = uniform && e.Generation == gen
		dense = dense && e.Node == uint32(k)
	}
	p.gen, p.hasGens, p.hasNodes = gen, !uniform, !dense
	if p.hasGens {
		p.gens = slices.Grow(p.gens[:0], n)[:n]
		for k := range es {
			p.gens[k] = es[k].Generation
		}
	}
	if p.hasNodes {
		p.nodes = slices.Grow(p.nodes[:0], n)[:n]
		for k := range es {
			p.nodes[k] = es[k].Node
		}
	}
}

// unpack writes p's entries to into, reusing its capacity, and returns them.
func (p *packed) unpack(into []wire.Entry) []wire.Entry {
	n := p.n
	es := slices.Grow(into[:0], n)[:n]
	hbs, sts := p.hbs[:n], p.sts[:n]
	for k := range es {
		es[k] = wire.Entry{Heartbeat: hbs[k], Generation: p.gen, Node: uint32(k), Status: sts[k]}
	}
	if p.hasGens {
		for k, g := range p.gens[:n] {
			es[k].Generation = g
		}
	}
	if p.hasNodes {
		for k, id := range p.nodes[:n] {
			es[k].Node = id
		}
	}
	return es
}
