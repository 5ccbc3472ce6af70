// Package sim is the deterministic discrete-event engine under gossipsim.
//
// It provides a simulated clock (Time, in integer nanoseconds), a queue of
// pending events, and named random streams. It knows nothing about gossip,
// servers or networks: a model owns all state and gives the engine a single
// Handler that interprets each Event's Kind, Node and Arg.
//
// # Running a model
//
// The model schedules events with Engine.Schedule (absolute time) or
// Engine.After (relative to Now), and calls Engine.RunUntil to dispatch them.
// Each dispatched event advances the clock to its At and is passed to the
// handler, which typically updates model state and schedules follow-up
// events. When RunUntil returns, the clock reads its end time (or the time of
// the last event, if the handler called Engine.Stop).
//
// # Ordering
//
// Events fire in increasing At. Events with equal At fire in the order they
// were scheduled (first in, first out), where the engine counts scheduling
// calls across the whole run. In particular an event that the handler
// schedules for the current time fires in the same RunUntil call, after every
// event already queued for that time. This rule, integer time, and named
// random streams together make a run a pure function of its seed and inputs:
// the same program with the same seed produces the same trace, every time.
//
// # Randomness
//
// NewStream derives a math/rand/v2 PCG stream from (seed, name) alone, so
// adding a stream for a new part of the model never perturbs the draws of
// existing ones. DeriveSeed derives per-run or per-entity seeds by a
// documented rule.
//
// The guarantee is the same whichever queue the engine uses (see below): the
// dispatch order is the total order on (At, sequence number), so swapping the
// queue never changes a trace.
//
// # Queues and performance
//
// NewEngine uses a calendar queue (QueueCalendar, after Brown 1988), suited
// to gossip workloads where most events are periodic timers a similar delay
// ahead. Time is cut into buckets whose width and number adapt to the pending
// events (rebuilt from a sample of their times, at most once per epoch of
// about as many dispatches as there are pending events, so the cost is
// amortised). Events of future buckets sit in unsorted per-bucket lists;
// events beyond the bucket window sit in an overflow heap; the bucket being
// dispatched is moved into a small heap that orders its events by (At,
// sequence number). Ties and every comparison are therefore resolved exactly
// as in a plain heap, and scheduling and dispatching cost amortised O(1)
// instead of O(log n): with 10^6 pending timers it is several times faster
// than the heap.
//
// NewEngineWithQueue(QueueHeap) selects the other implementation, a 4-ary
// min-heap of Event values in one slice: O(log n) per event with no
// assumption on the distribution of times. Tests and benchmarks use it as the
// reference for the calendar queue.
//
// In both queues events are stored by value and never boxed, so once the
// queue has grown to its peak (see Engine.Reserve; the calendar queue also
// sizes itself when it rebuilds), scheduling and dispatching an event
// performs no allocation.
//
// # Example
//
//	const (
//		tick uint32 = iota
//		deliver
//	)
//	rng := sim.NewStream(seed, "latency")
//	e := sim.NewEngine()
//	e.SetHandler(func(ev sim.Event) {
//		switch ev.Kind {
//		case tick:
//			peer := int32(rng.IntN(n))
//			e.After(sim.Time(rng.Int64N(int64(5*sim.Millisecond))), deliver, peer, int64(ev.Node))
//			e.After(sim.Second, tick, ev.Node, 0) // next heartbeat
//		case deliver:
//			// node ev.Node heard from node ev.Arg
//		}
//	})
//	for i := range n {
//		e.Schedule(0, tick, int32(i), 0)
//	}
//	e.RunUntil(10 * sim.Minute)
package sim
