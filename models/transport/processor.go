package transport

import "github.com/gossipsim/gossipsim/sim"

// Processor is the message processors of a fleet of n nodes: each node works
// through its jobs (a gossip round, a received message, the sends it makes)
// one after another, in the order they were reserved, and holds at most
// queueLimit received messages waiting. It keeps the load measurements too:
// the work each node has done and the messages it has received since the
// last sample.
//
// A model that charges processing time keeps one Processor per run, next to
// its Transport: Enqueue a delivered message (scheduling its processing at
// the returned time, or discarding it when refused), Dequeue it when
// processed, Reserve a round or Charge the sends, Abandon a node's queue when
// it crashes or is reset, and Sample every node at each time-series step.
// All times are simulated time; a cost is the processing time of a job. A
// Processor is not safe for concurrent use.
type Processor struct {
	nodes      []processorNode
	queueLimit int
}

// processorNode is one node's processor.
type processorNode struct {
	busyUntil    sim.Time // the processor is busy until then
	work         sim.Time // processing time ever committed
	doneAtSample sim.Time // work done at the previous sample
	queued       int32    // received messages waiting
	received     int32    // messages received since the previous sample
}

// NewProcessor returns the idle processors of nodes 0 to n-1, each holding
// at most queueLimit received messages waiting (at least 1).
func NewProcessor(n, queueLimit int) *Processor {
	if n < 0 || queueLimit < 1 {
		panic("transport: NewProcessor needs n >= 0 and queueLimit >= 1")
	}
	return &Processor{nodes: make([]processorNode, n), queueLimit: queueLimit}
}

// Reserve queues cost of work at node i behind the work already waiting and
// returns when it starts: now, or when the backlog is done.
func (p *Processor) Reserve(i int, now, cost sim.Time) (start sim.Time) {
	nd := &p.nodes[i]
	start = max(now, nd.busyUntil)
	nd.busyUntil = start + cost
	nd.work += cost
	return start
}

// Charge adds cost of work at node i after its current backlog (the time a
// sender spends on the messages it sent); Reserve without the start time.
func (p *Processor) Charge(i int, now, cost sim.Time) { p.Reserve(i, now, cost) }

// Backlog returns the work waiting at node i: the time until its processor
// is idle, 0 if it is idle now.
func (p *Processor) Backlog(i int, now sim.Time) sim.Time {
	return max(0, p.nodes[i].busyUntil-now)
}

// Enqueue counts a message received by node i and, unless queueLimit
// messages are already waiting (ok false: the caller drops it), queues it
// with cost of processing behind the backlog and returns when its processing
// is done. Call Dequeue when it is.
func (p *Processor) Enqueue(i int, now, cost sim.Time) (doneAt sim.Time, ok bool) {
	nd := &p.nodes[i]
	nd.received++
	if int(nd.queued) >= p.queueLimit {
		return 0, false
	}
	nd.queued++
	return p.Reserve(i, now, cost) + cost, true
}

// Dequeue takes one message that node i has processed off its queue.
func (p *Processor) Dequeue(i int) { p.nodes[i].queued-- }

// Abandon empties node i's queue at a crash or a reset: the work still
// waiting is dropped, not done, and the processor is idle from now.
func (p *Processor) Abandon(i int, now sim.Time) {
	nd := &p.nodes[i]
	nd.queued = 0
	nd.work -= max(0, nd.busyUntil-now)
	nd.busyUntil = now
}

// Sample ends node i's measurement interval of the given length at now and
// starts the next: it returns the fraction of the interval the processor was
// busy (the work done in it, work committed less the backlog, over interval,
// clamped to [0, 1]) and the messages received in it.
func (p *Processor) Sample(i int, now, interval sim.Time) (utilization float64, received int32) {
	nd := &p.nodes[i]
	done := nd.work - max(0, nd.busyUntil-now)
	utilization = min(1, max(0, float64(done-nd.doneAtSample)/float64(interval)))
	nd.doneAtSample = done
	received = nd.received
	nd.received = 0
	return utilization, received
}
