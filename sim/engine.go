package sim

import (
	"fmt"
	"math"
)

// Event is one scheduled occurrence. It is a plain value: the engine stores
// events by value in its queue and passes them by value to the Handler, never
// boxed in an interface, so scheduling and dispatch do not allocate.
//
// Kind, Node and Arg mean whatever the model says they mean. A typical model
// uses Kind to select a case in its handler's switch, Node for the node
// concerned, and Arg as an index into a model-owned slab of larger payloads
// (messages, for instance).
type Event struct {
	At   Time   // when the event fires, in simulated nanoseconds
	Kind uint32 // model-defined kind
	Node int32  // model-defined, usually the node concerned
	Arg  int64  // model-defined payload, e.g. an index into the model's message slab

	// seq is the engine-wide insertion sequence number (1 for the first event
	// scheduled on an engine, then 2, 3, ...). It breaks ties between equal
	// At values so that they fire in scheduling order.
	seq uint64
}

// Seq returns the event's insertion sequence number: 1 for the first event
// scheduled on its engine, 2 for the second, and so on. Events with equal At
// are dispatched in increasing Seq order. Seq is useful in traces and for
// debugging; models should not need it otherwise.
func (ev Event) Seq() uint64 { return ev.seq }

// Handler is the model's callback. The engine calls it once per event, in
// (At, scheduling order) order, with Engine.Now equal to ev.At. The handler may
// call Schedule, After and Stop on the engine.
type Handler func(ev Event)

// Engine is a discrete-event engine: a clock and a priority queue of pending
// events. The zero value is not ready for use; call NewEngine or
// NewEngineWithQueue.
//
// An Engine is not safe for concurrent use. Run independent simulations on
// independent engines (one per goroutine) instead.
type Engine struct {
	kind      QueueKind
	q         queue    // the heap, used when kind == QueueHeap
	cal       calendar // the calendar queue, used when kind == QueueCalendar
	now       Time
	seq       uint64
	processed uint64
	handler   Handler
	stopped   bool

	maxEvents uint64      // stop once processed reaches it (0: no limit)
	interrupt func() bool // polled every interruptEvery events (nil: never)
	limitHit  Limit
	// nextCheck is the value of processed at which the limits are next
	// checked (math.MaxUint64 without limits), so that the run loop pays one
	// comparison per event for both limits.
	nextCheck uint64
}

// Limit names what stopped an engine early: nothing, its event budget or its
// interrupt check.
type Limit uint8

// The limits.
const (
	NoLimit        Limit = iota
	LimitMaxEvents       // SetLimits' maxEvents was reached
	LimitInterrupt       // SetLimits' interrupt returned true
)

// interruptEvery is how often (in events) the interrupt check is polled. It is
// small enough that even a heavy model's slowest events (a full-view gossip
// round of a 10,000-node fleet) are polled many times a wall-clock second, and
// large enough that an interrupt which loads an atomic flag costs nothing
// measurable per event (see BenchmarkScheduleDispatchInterruptible).
const interruptEvery = 256

// SetLimits makes RunUntil stop, as Stop does, once maxEvents events have
// been processed in total (0: no limit), or when interrupt, polled every
// 256 events, returns true (nil: never). The engine knows nothing of what
// interrupt checks; it is called on the goroutine running the engine, so it
// should be cheap: the usual one loads an atomic flag that another goroutine
// sets on cancellation or at a wall-clock deadline. LimitHit then says which
// limit stopped it, and later RunUntil calls return at once.
func (e *Engine) SetLimits(maxEvents uint64, interrupt func() bool) {
	e.maxEvents, e.interrupt = maxEvents, interrupt
	e.armLimits()
}

// armLimits sets nextCheck: the next multiple of interruptEvery with an
// interrupt, or maxEvents if that comes first (but after at least one more
// event, as a limit is checked after an event).
func (e *Engine) armLimits() {
	e.nextCheck = math.MaxUint64
	if e.interrupt != nil {
		e.nextCheck = (e.processed/interruptEvery + 1) * interruptEvery
	}
	if e.maxEvents > 0 {
		e.nextCheck = min(e.nextCheck, max(e.maxEvents, e.processed+1))
	}
}

// LimitHit reports which limit, if any, has stopped the engine.
func (e *Engine) LimitHit() Limit { return e.limitHit }

// limited reports whether a limit stops the engine now, after an event; the
// run loop calls it when processed reaches nextCheck.
//
//go:noinline
func (e *Engine) limited() bool {
	switch {
	case e.maxEvents > 0 && e.processed >= e.maxEvents:
		e.limitHit = LimitMaxEvents
	case e.interrupt != nil && e.processed%interruptEvery == 0 && e.interrupt():
		e.limitHit = LimitInterrupt
	default:
		e.armLimits()
		return false
	}
	e.stopped = true
	return true
}

// QueueKind selects the priority queue behind an Engine. Both kinds dispatch
// events in exactly the same (At, scheduling order) order; they differ only in
// speed and memory.
type QueueKind uint8

const (
	// QueueCalendar is a calendar queue (buckets of adaptive width with an
	// overflow heap), the default: amortised O(1) per event for timer-like
	// workloads.
	QueueCalendar QueueKind = iota
	// QueueHeap is a 4-ary binary-heap-like queue: O(log n) per event, with no
	// assumption on the distribution of event times.
	QueueHeap
)

// String returns "calendar" or "heap".
func (k QueueKind) String() string {
	switch k {
	case QueueCalendar:
		return "calendar"
	case QueueHeap:
		return "heap"
	}
	return fmt.Sprintf("QueueKind(%d)", uint8(k))
}

// ParseQueueKind reads a queue name: calendar or heap.
func ParseQueueKind(s string) (QueueKind, error) {
	switch s {
	case "calendar":
		return QueueCalendar, nil
	case "heap":
		return QueueHeap, nil
	}
	return 0, fmt.Errorf("%q is not one of calendar, heap", s)
}

// NewEngine returns an engine whose clock reads 0, with an empty queue (the
// default QueueCalendar) and no handler. Call SetHandler before RunUntil.
func NewEngine() *Engine { return NewEngineWithQueue(QueueCalendar) }

// NewEngineWithQueue is NewEngine with an explicit choice of queue. It panics
// on an unknown kind.
func NewEngineWithQueue(kind QueueKind) *Engine {
	switch kind {
	case QueueCalendar:
		return &Engine{kind: kind, cal: newCalendar(), nextCheck: math.MaxUint64}
	case QueueHeap:
		return &Engine{kind: kind, nextCheck: math.MaxUint64}
	}
	panic(fmt.Sprintf("sim: NewEngineWithQueue: unknown queue kind %d", uint8(kind)))
}

// Queue returns the kind of queue the engine uses.
func (e *Engine) Queue() QueueKind { return e.kind }

// SetHandler sets the function that receives every dispatched event. It may be
// called at any time, including from within the handler; the new handler
// receives the next event.
func (e *Engine) SetHandler(h Handler) { e.handler = h }

// Now returns the current simulated time in nanoseconds. During dispatch it is
// the At of the event being handled.
func (e *Engine) Now() Time { return e.now }

// Schedule queues an event to fire at the absolute simulated time at. Events
// with equal at fire in the order they were scheduled (FIFO), including events
// scheduled for the current time from within the handler, which fire after
// every already-queued event at that time.
//
// Schedule panics if at < Now(): scheduling into the past is a model bug.
func (e *Engine) Schedule(at Time, kind uint32, node int32, arg int64) {
	if at < e.now {
		panicPast(at, e.now)
	}
	e.seq++
	ev := Event{At: at, Kind: kind, Node: node, Arg: arg, seq: e.seq}
	if e.kind == QueueHeap {
		e.q.push(ev)
	} else {
		e.cal.push(ev)
	}
}

// After queues an event to fire d nanoseconds from now: it is
// Schedule(Now()+d, kind, node, arg). It panics if d < 0.
func (e *Engine) After(d Time, kind uint32, node int32, arg int64) {
	if d < 0 {
		panicNegative(d)
	}
	e.Schedule(e.now+d, kind, node, arg)
}

// RunUntil dispatches queued events in (At, scheduling order) order while the
// next event's At <= end and Stop has not been called. Events that the handler
// schedules at times <= end, including at the current time, are dispatched in
// the same call.
//
// When RunUntil returns normally the clock reads end, even if the last event
// fired earlier or no event fired at all; events after end stay queued. If the
// handler called Stop, RunUntil returns right after that event and the clock
// reads that event's At (use Stopped to tell the two cases apart). Calling
// RunUntil again continues where it left off.
//
// RunUntil panics if end < Now() (time never runs backwards) or if an event is
// due and no handler has been set.
func (e *Engine) RunUntil(end Time) {
	if end < e.now {
		panic(fmt.Sprintf("sim: RunUntil(%v) is before Now() = %v", end, e.now))
	}
	e.stopped = false
	if e.limitHit != NoLimit {
		e.stopped = true
		return
	}
	if e.kind == QueueHeap {
		for len(e.q.items) > 0 && e.q.top().At <= end {
			if e.handler == nil {
				panicNoHandler()
			}
			ev := e.q.pop()
			e.now = ev.At
			e.processed++
			e.handler(ev)
			if e.stopped || e.processed == e.nextCheck && e.limited() {
				return
			}
		}
	} else {
		for {
			top := e.cal.peek()
			if top == nil || top.At > end {
				break
			}
			if e.handler == nil {
				panicNoHandler()
			}
			ev := e.cal.popNear()
			e.now = ev.At
			e.processed++
			e.handler(ev)
			if e.stopped || e.processed == e.nextCheck && e.limited() {
				return
			}
		}
	}
	e.now = end
}

//go:noinline
func panicNoHandler() {
	panic("sim: RunUntil: an event is due but no handler is set (call SetHandler)")
}

// Stop makes the RunUntil in progress return after the current event has been
// handled; call it from the handler. Pending events stay queued. Stop has no
// effect on later RunUntil calls: each call starts unstopped.
func (e *Engine) Stop() { e.stopped = true }

// Stopped reports whether the most recent RunUntil returned because Stop was
// called (rather than because it reached its end time).
func (e *Engine) Stopped() bool { return e.stopped }

// Processed returns the number of events dispatched so far, over all RunUntil
// calls.
func (e *Engine) Processed() uint64 { return e.processed }

// Pending returns the number of events in the queue, not yet dispatched.
func (e *Engine) Pending() int {
	if e.kind == QueueHeap {
		return e.q.len()
	}
	return e.cal.len()
}

// NextAt returns the time of the next pending event and true, or 0 and false
// if the queue is empty.
func (e *Engine) NextAt() (Time, bool) {
	if e.kind == QueueHeap {
		if e.q.len() == 0 {
			return 0, false
		}
		return e.q.top().At, true
	}
	top := e.cal.peek()
	if top == nil {
		return 0, false
	}
	return top.At, true
}

// Reserve grows the queue's capacity so that at least n more events can be
// pending without the queue reallocating. Call it up front with the expected
// peak (for example, one timer per node plus in-flight messages) to avoid
// growth during the run. Reserve with n <= 0 does nothing.
func (e *Engine) Reserve(n int) {
	if e.kind == QueueHeap {
		e.q.reserve(n)
	} else {
		e.cal.reserve(n)
	}
}

// panicPast and panicNegative are kept out of line so that the formatting
// code does not weigh on the inlined fast paths.
//
//go:noinline
func panicPast(at, now Time) {
	panic(fmt.Sprintf("sim: Schedule at %v (%d ns) is before Now() = %v (%d ns)", at, int64(at), now, int64(now)))
}

//go:noinline
func panicNegative(d Time) {
	panic(fmt.Sprintf("sim: After with negative delay %v (%d ns)", d, int64(d)))
}
