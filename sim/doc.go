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
// # Performance
//
// The queue is a 4-ary min-heap of Event values in one slice. Events are never
// boxed, so once the slice has grown (see Engine.Reserve), scheduling and
// dispatching an event performs no allocation.
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
