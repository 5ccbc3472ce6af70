package faults

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/topology"
	"github.com/gossipsim/gossipsim/sim"
)

// NodeEvent is a node going down or coming up, in the run's time.
type NodeEvent struct {
	// At is when, in simulated time from the run's start.
	At sim.Time
	// Node is the node.
	Node int32
	// Up is true for a restart, false for a crash.
	Up bool
}

// Timeline is a schedule resolved for one run: groups turned into nodes,
// counts drawn, crash windows checked. The message path asks it, at each
// message, what is in force (Advance, then Down, Blocked, Link,
// Corruption); a model that can crash and restart its nodes reads
// NodeEvents, and one with timers may read ClockRate. It is not safe for
// concurrent use; a run owns one.
type Timeline struct {
	n       int
	entries []compiled
	events  []NodeEvent

	// What is in force, for the time of the last Advance.
	changes  []sim.Time // every time something starts or ends, sorted, distinct
	next     int        // changes[next] is the next change
	nextAt   sim.Time   // changes[next], or the largest time
	nextEvt  int        // events[nextEvt] is the next node event
	down     []bool
	anyDown  int
	timed    []*compiled // the entries other than crashes and restarts, in file order
	parts    []*compiled
	links    []*compiled
	corrupts []*compiled
}

// compiled is an entry resolved against the fleet.
type compiled struct {
	*Entry
	start, stop sim.Time
	list        []int32 // crash and restart: the target group's nodes
	nodes       []bool  // corrupt and skew: target group membership (nil: none)
	from, to    []bool  // pair groups (nil: none)
}

// Compile resolves s for a fleet of topo.Nodes() nodes and the run's seed.
// Crash counts are drawn from the stream "faults/crash" (sim.NewStream(seed,
// "faults/crash")), entry by entry in file order, among the group's nodes
// that no other crash takes down during the window; the draws, and so the
// nodes, depend only on the schedule, the topology and the seed. The errors
// name the file, the line and the field: a group that does not exist, a
// count larger than the nodes left, overlapping crash windows of one node, a
// restart of a node that is not down.
func (s *Schedule) Compile(topo *topology.Topology, seed uint64) (*Timeline, error) {
	n := topo.Nodes()
	tl := &Timeline{n: n, down: make([]bool, n), nextAt: maxTime}
	if s.Empty() {
		return tl, nil
	}
	all := s.all()
	tl.entries = make([]compiled, len(all))
	for i := range all {
		e := &all[i]
		c := &tl.entries[i]
		c.Entry, c.start, c.stop = e, e.At, e.end()
		var err error
		switch {
		case e.HasNodes && (e.Action == Crash || e.Action == Restart):
			c.list, err = topo.Members(e.Nodes) // a churn line: one node, not a mask of the fleet
		case e.HasNodes:
			c.nodes, err = topo.Mask(e.Nodes)
		}
		if err != nil {
			return nil, e.errorf(targetField(e), "%v", err)
		}
		if e.HasPair {
			if c.from, err = topo.Mask(e.From); err != nil {
				return nil, e.errorf("from", "%v", err)
			}
			if c.to, err = topo.Mask(e.To); err != nil {
				return nil, e.errorf("to", "%v", err)
			}
		}
		if e.Action == Link && e.HasLatency && e.Latency.Bound() > sim.Minute {
			return nil, e.errorf("latency", "%s exceeds the one-minute limit of a draw", e.Latency)
		}
	}
	if err := tl.crashWindows(seed); err != nil {
		return nil, err
	}
	set := map[sim.Time]bool{}
	for i := range tl.entries {
		c := &tl.entries[i]
		if c.Action == Crash || c.Action == Restart {
			continue // node events
		}
		tl.timed = append(tl.timed, c)
		set[c.start] = true
		if c.Entry.HasUntil {
			set[c.stop] = true
		}
	}
	for _, ev := range tl.events {
		set[ev.At] = true
	}
	for t := range set {
		tl.changes = append(tl.changes, t)
	}
	slices.Sort(tl.changes)
	if len(tl.changes) > 0 {
		tl.nextAt = tl.changes[0]
	}
	return tl, nil
}

const maxTime = sim.Time(1<<63 - 1)

// targetField is the field an entry's target group was given as.
func targetField(e *Entry) string {
	for _, k := range []string{"nodes", "zone", "rack", "group"} {
		if _, ok := e.lines[k]; ok {
			return k
		}
	}
	return "nodes"
}

// window is one node's crash window and the entry that made it.
type window struct {
	start, stop sim.Time
	entry       *Entry
}

// crashWindows resolves the crash and restart entries into node events.
func (tl *Timeline) crashWindows(seed uint64) error {
	byNode := make(map[int32][]window)
	// Explicit crashes first: counts avoid the nodes they take down.
	for i := range tl.entries {
		c := &tl.entries[i]
		if c.Action != Crash || c.Count > 0 {
			continue
		}
		for _, node := range c.list {
			byNode[node] = append(byNode[node], window{c.start, c.stop, c.Entry})
		}
	}
	var r *rand.Rand
	for i := range tl.entries {
		c := &tl.entries[i]
		if c.Action != Crash || c.Count == 0 {
			continue
		}
		if r == nil {
			r = sim.NewStream(seed, "faults/crash")
		}
		var candidates []int32
		consider := func(node int32) {
			if !overlaps(byNode[node], c.start, c.stop) {
				candidates = append(candidates, node)
			}
		}
		if c.HasNodes {
			for _, node := range c.list {
				consider(node)
			}
		} else {
			for node := range int32(tl.n) {
				consider(node)
			}
		}
		if len(candidates) < c.Count {
			return c.errorf("count", "%d nodes to crash, but only %d of the group are not down by another crash during the window", c.Count, len(candidates))
		}
		for k := range c.Count { // a partial Fisher-Yates shuffle
			j := k + r.IntN(len(candidates)-k)
			candidates[k], candidates[j] = candidates[j], candidates[k]
			node := candidates[k]
			byNode[node] = append(byNode[node], window{c.start, c.stop, c.Entry})
		}
	}
	nodes := make([]int32, 0, len(byNode))
	for node := range byNode {
		nodes = append(nodes, node)
	}
	slices.Sort(nodes)
	for _, node := range nodes {
		ws := byNode[node]
		sort.SliceStable(ws, func(a, b int) bool { return ws[a].start < ws[b].start })
	}
	// Restarts close open windows: the node's latest crash before the
	// restart must have no end.
	for i := range tl.entries {
		c := &tl.entries[i]
		if c.Action != Restart {
			continue
		}
		closed := 0
		for _, node := range c.list {
			ws := byNode[node]
			k := len(ws) - 1
			for k >= 0 && ws[k].start >= c.start {
				k--
			}
			if k < 0 || ws[k].stop != maxTime {
				if onlyNodes(c.Entry) {
					why := "it never crashed before"
					if k >= 0 {
						why = fmt.Sprintf("its crash at %s (%s:%d) ends at %s", ws[k].start, ws[k].entry.File, ws[k].entry.Line, ws[k].stop)
					}
					return c.errorf(targetField(c.Entry), "node %d is not down at %s: %s", node, c.start, why)
				}
				continue
			}
			ws[k].stop = c.start
			closed++
		}
		if closed == 0 {
			return c.errorf(targetField(c.Entry), "no node of %q is down at %s (no open-ended crash of it starts before)", c.Nodes.Text, c.start)
		}
	}
	for _, node := range nodes {
		ws := byNode[node]
		for k := 1; k < len(ws); k++ {
			if ws[k].start < ws[k-1].stop {
				prev := ws[k-1]
				until := "with no end"
				if prev.stop != maxTime {
					until = "until " + prev.stop.String()
				}
				return ws[k].entry.errorf(targetField(ws[k].entry), "node %d is already down from %s %s (%s:%d): crash windows of one node overlap", node, prev.start, until, prev.entry.File, prev.entry.Line)
			}
		}
	}
	for _, node := range nodes {
		for _, w := range byNode[node] {
			tl.events = append(tl.events, NodeEvent{At: w.start, Node: node})
			if w.stop != maxTime {
				tl.events = append(tl.events, NodeEvent{At: w.stop, Node: node, Up: true})
			}
		}
	}
	sort.SliceStable(tl.events, func(a, b int) bool {
		x, y := tl.events[a], tl.events[b]
		if x.At != y.At {
			return x.At < y.At
		}
		if x.Node != y.Node {
			return x.Node < y.Node
		}
		return x.Up && !y.Up
	})
	return nil
}

// overlaps reports whether any window of ws meets [start, stop).
func overlaps(ws []window, start, stop sim.Time) bool {
	for _, w := range ws {
		if w.start < stop && start < w.stop {
			return true
		}
	}
	return false
}

// onlyNodes reports whether an entry's target names nodes only (no zone,
// rack or all), so that each must be down to restart.
func onlyNodes(e *Entry) bool {
	_, z := e.lines["zone"]
	_, r := e.lines["rack"]
	_, g := e.lines["group"]
	return !z && !r && !g
}

// NodeEvents returns the crashes and restarts of the schedule in time order
// (at one instant: by node, a restart before a crash). A model that can
// really take a node down and bring it back (its state lost, a new
// generation) replays them; the message path silences a down node for
// every model whether it does or not.
func (tl *Timeline) NodeEvents() []NodeEvent { return slices.Clone(tl.events) }

// Empty reports whether the timeline has nothing in force, ever.
func (tl *Timeline) Empty() bool { return tl == nil || len(tl.entries) == 0 }

// Advance brings what is in force up to now (the run's time). Times must
// not go backwards. It is cheap when nothing changes.
func (tl *Timeline) Advance(now sim.Time) {
	if now < tl.nextAt {
		return
	}
	for tl.next < len(tl.changes) && tl.changes[tl.next] <= now {
		tl.next++
	}
	tl.nextAt = maxTime
	if tl.next < len(tl.changes) {
		tl.nextAt = tl.changes[tl.next]
	}
	for tl.nextEvt < len(tl.events) && tl.events[tl.nextEvt].At <= now {
		ev := tl.events[tl.nextEvt]
		if tl.down[ev.Node] == ev.Up { // a change
			tl.down[ev.Node] = !ev.Up
			if ev.Up {
				tl.anyDown--
			} else {
				tl.anyDown++
			}
		}
		tl.nextEvt++
	}
	tl.parts, tl.links, tl.corrupts = tl.parts[:0], tl.links[:0], tl.corrupts[:0]
	for _, c := range tl.timed {
		if now < c.start || now >= c.stop {
			continue
		}
		switch c.Action {
		case Partition:
			tl.parts = append(tl.parts, c)
		case Link:
			tl.links = append(tl.links, c)
		case Corrupt:
			tl.corrupts = append(tl.corrupts, c)
		}
	}
}

// Down reports whether node i is down by the schedule (as of Advance).
func (tl *Timeline) Down(i int) bool { return tl.anyDown > 0 && tl.down[i] }

// between reports whether c's pair groups cover a message from a to b. A
// node in both groups is on the from side, so `to: all` means every node
// outside from: traffic within from is never covered.
func (c *compiled) between(a, b int) bool {
	if c.from[a] && c.to[b] && !c.from[b] {
		return true
	}
	return !c.OneWay && c.from[b] && c.to[a] && !c.from[a]
}

// Blocked reports whether a partition in force blocks a message from a to b.
func (tl *Timeline) Blocked(a, b int) bool {
	for _, c := range tl.parts {
		if c.between(a, b) {
			return true
		}
	}
	return false
}

// Link returns the latency and loss of a message from a to b of link class
// k, given the pair's own (lat, loss): link entries in force that cover the
// pair replace them, later entries over earlier ones.
func (tl *Timeline) Link(a, b int, k network.Class, lat network.Latency, loss float64) (network.Latency, float64) {
	for _, c := range tl.links {
		if c.HasClass && c.Class != k || c.HasPair && !c.between(a, b) {
			continue
		}
		if c.HasLatency {
			lat = c.Latency
		}
		if c.HasLoss {
			loss = c.Loss
		}
	}
	return lat, loss
}

// HasLinks reports whether any link entry is in force.
func (tl *Timeline) HasLinks() bool { return len(tl.links) > 0 }

// Corruption returns the k-th corruption source in force that covers a
// message from a to b, from k = 0 up, and false when there are no more. A
// node's source covers what it sends (out), receives (in) or both; a
// router's covers messages from its From group to its To group (and back,
// unless one-way).
func (tl *Timeline) Corruption(a, b int, k *int) (corrupt.Config, bool) {
	for *k < len(tl.corrupts) {
		c := tl.corrupts[*k]
		*k++
		var hit bool
		if c.HasPair {
			hit = c.between(a, b)
		} else {
			hit = (c.Direction != In && c.nodes[a]) || (c.Direction != Out && c.nodes[b])
		}
		if hit {
			return c.Corruption, true
		}
	}
	return corrupt.Config{}, false
}

// HasCorruption reports whether any corruption source is in force.
func (tl *Timeline) HasCorruption() bool { return len(tl.corrupts) > 0 }

// ClockRate returns node i's clock rate at time t (the run's time): the
// rate of the last skew entry in force at t that covers i, 1 when none
// does. A model whose timers read it fires them at interval/rate; only
// models that call it honour skew (the message path does not).
func (tl *Timeline) ClockRate(i int, t sim.Time) float64 {
	rate := 1.0
	for _, c := range tl.timed {
		if c.Action == Skew && t >= c.start && t < c.stop && c.nodes[i] {
			rate = c.Rate
		}
	}
	return rate
}

// LocalSpan is the real time node i's clock takes to count d at time t
// (the run's time): d / ClockRate(i, t), and exactly d on a nil timeline
// (no schedule). A model whose timers follow skew calls it wherever it sets
// one.
func (tl *Timeline) LocalSpan(i int, t, d sim.Time) sim.Time {
	if tl == nil {
		return d
	}
	return sim.Time(float64(d) / tl.ClockRate(i, t))
}

// Replay schedules the crashes and restarts (NodeEvents) on eng, at engine
// time origin + At, as events of kind down or up whose Node is the node and
// Arg 0: a model that really takes nodes down and back calls it once and
// handles the two kinds. Nothing on a nil timeline.
func (tl *Timeline) Replay(eng *sim.Engine, origin sim.Time, down, up uint32) {
	if tl == nil {
		return
	}
	for _, e := range tl.events {
		kind := down
		if e.Up {
			kind = up
		}
		eng.Schedule(origin+e.At, kind, e.Node, 0)
	}
}

// String summarises the timeline, for debugging.
func (tl *Timeline) String() string {
	return fmt.Sprintf("faults: %d entries, %d node events", len(tl.entries), len(tl.events))
}
