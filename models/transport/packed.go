package transport

import (
	"slices"

	"github.com/gossipsim/gossipsim/models/wire"
)

// packFrom is the number of entries from which a snapshot keeps a message's
// entries packed, as Columns, rather than as wire.Entry values. Large
// messages (a digest or a full view of thousands of nodes) dominate the
// memory of a run, since they wait in receivers' queues, and are read once,
// cold; small ones stay as they are, since packing and unpacking would cost
// more than it saves. It is the default of Config.PackFrom; a variable so
// that tests can pack small messages.
var packFrom = 2048

// Packs reports whether a message of n entries travels packed: whether
// ComposeColumns can build it and ReceiveColumns hands it over as Columns.
func (t *Transport) Packs(n int) bool { return n >= t.packFrom }

// Columns are a message's entries column by column, without what is
// implied: a generation shared by every entry is kept once, and node ids 0,
// 1, 2, ... (a whole view) are not kept. An entry then takes 5 bytes instead
// of 16 (9 for a digest reply or a delta, which name their nodes).
//
// Entry k is node Nodes[k] (k when Nodes is nil), generation Gens[k] (Gen
// when Gens is nil), heartbeat Heartbeats[k] and status Statuses[k]. A
// receiver that reads large messages column by column (ReceiveColumns)
// skips building wire.Entry values it would only read once.
type Columns struct {
	// Gen is every entry's generation when Gens is nil.
	Gen uint32
	// Gens holds each entry's generation when they differ; nil otherwise.
	Gens []uint32
	// Nodes holds each entry's node id; nil when entry k is node k.
	Nodes []uint32
	// Heartbeats holds each entry's heartbeat; its length is the number of
	// entries.
	Heartbeats []uint32
	// Statuses holds each entry's status, len(Heartbeats) of them.
	Statuses []wire.Status

	gensBuf, nodesBuf []uint32 // the capacity Gens and Nodes reuse
}

// Len is the number of entries.
func (c *Columns) Len() int { return len(c.Heartbeats) }

// Entry returns entry k.
func (c *Columns) Entry(k int) wire.Entry {
	e := wire.Entry{Heartbeat: c.Heartbeats[k], Generation: c.Gen, Node: uint32(k), Status: c.Statuses[k]}
	if c.Gens != nil {
		e.Generation = c.Gens[k]
	}
	if c.Nodes != nil {
		e.Node = c.Nodes[k]
	}
	return e
}

// resize makes c n entries long, of nodes 0 to n-1 and one generation, all
// to be written, reusing its capacity.
func (c *Columns) resize(n int) {
	c.Heartbeats = slices.Grow(c.Heartbeats[:0], n)[:n]
	c.Statuses = slices.Grow(c.Statuses[:0], n)[:n]
	c.Gen, c.Gens, c.Nodes = 0, nil, nil
}

// WithNodes gives c a node id column (entries no longer nodes 0, 1, 2, ...)
// and returns it for the caller to fill.
func (c *Columns) WithNodes() []uint32 {
	n := c.Len()
	c.nodesBuf = slices.Grow(c.nodesBuf[:0], n)[:n]
	c.Nodes = c.nodesBuf
	return c.Nodes
}

// SetVersions writes the entries' versions (generation in the high 32 bits,
// heartbeat in the low, as wire.Entry.Version gives them), len(vers) =
// Len(), keeping the generation once when every entry has the same.
func (c *Columns) SetVersions(vers []uint64) {
	hbs := c.Heartbeats[:len(vers)]
	if len(vers) == 0 {
		c.Gen, c.Gens = 0, nil
		return
	}
	g := uint32(vers[0] >> 32)
	var differ uint32
	for k, v := range vers {
		hbs[k] = uint32(v)
		differ |= uint32(v>>32) ^ g
	}
	c.Gen, c.Gens = g, nil
	if differ != 0 {
		c.gensBuf = slices.Grow(c.gensBuf[:0], len(vers))[:len(vers)]
		c.Gens = c.gensBuf
		for k, v := range vers {
			c.Gens[k] = uint32(v >> 32)
		}
	}
}

// fill packs es into c, reusing c's capacity.
func (c *Columns) fill(es []wire.Entry) {
	n := len(es)
	c.resize(n)
	if n == 0 {
		return
	}
	gen := es[0].Generation
	hbs, sts := c.Heartbeats[:n], c.Statuses[:n]
	var differ, sparse uint32
	for k := range es {
		e := &es[k]
		hbs[k], sts[k] = e.Heartbeat, e.Status
		differ |= e.Generation ^ gen
		sparse |= e.Node ^ uint32(k)
	}
	c.Gen = gen
	if differ != 0 {
		c.gensBuf = slices.Grow(c.gensBuf[:0], n)[:n]
		c.Gens = c.gensBuf
		for k := range es {
			c.Gens[k] = es[k].Generation
		}
	}
	if sparse != 0 {
		nodes := c.WithNodes()
		for k := range es {
			nodes[k] = es[k].Node
		}
	}
}

// Unpack writes c's entries to into, reusing its capacity, and returns them.
func (c *Columns) Unpack(into []wire.Entry) []wire.Entry {
	n := c.Len()
	es := slices.Grow(into[:0], n)[:n]
	hbs, sts := c.Heartbeats[:n], c.Statuses[:n]
	for k := range es {
		es[k] = wire.Entry{Heartbeat: hbs[k], Generation: c.Gen, Node: uint32(k), Status: sts[k]}
	}
	if c.Gens != nil {
		for k, g := range c.Gens[:n] {
			es[k].Generation = g
		}
	}
	if c.Nodes != nil {
		for k, id := range c.Nodes[:n] {
			es[k].Node = id
		}
	}
	return es
}
