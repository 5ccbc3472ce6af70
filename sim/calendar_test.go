package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// calTimeGen draws event times relative to now for one workload shape.
type calTimeGen struct {
	name string
	gen  func(r *rand.Rand, now Time) Time
}

var calGens = []calTimeGen{
	{"all-equal", func(r *rand.Rand, now Time) Time { return 7 }},
	{"heavy-ties", func(r *rand.Rand, now Time) Time { return now + Time(r.IntN(4)) }},
	{"narrow", func(r *rand.Rand, now Time) Time { return now + Time(r.Int64N(1000)) }},
	{"wide", func(r *rand.Rand, now Time) Time { return now + Time(r.Int64N(1<<50)) }},
	{"timers", func(r *rand.Rand, now Time) Time {
		if r.IntN(4) == 0 {
			return now + Time(r.Int64N(int64(10*Millisecond)))
		}
		return now + Second
	}},
	{"mixed", func(r *rand.Rand, now Time) Time {
		switch r.IntN(8) {
		case 0:
			return now // burst at the current time
		case 1:
			return now + Time(r.Int64N(1<<60)) // far future
		case 2:
			return MaxTime - Time(r.IntN(3))
		case 3:
			return now + Time(r.IntN(3))
		default:
			return now + Time(r.Int64N(int64(2*Second)))
		}
	}},
	{"phases", func(r *rand.Rand, now Time) Time {
		// The delay scale changes with time, forcing rebuilds.
		scale := int64(1) << (10 + 4*((now/Second)%8))
		return now + Time(r.Int64N(scale))
	}},
}

// TestCalendarMatchesHeap pushes random schedules into both queues (bulk,
// then interleaved pushes and pops as in a simulation, including pushes at
// the time just popped) and checks that both pop the same sequence.
func TestCalendarMatchesHeap(t *testing.T) {
	for _, g := range calGens {
		for _, n := range []int{0, 1, 5, 100, 5000, 50000} {
			t.Run(fmt.Sprintf("%s/n=%d", g.name, n), func(t *testing.T) {
				if testing.Short() && n > 5000 {
					t.Skip("short")
				}
				rng := rand.New(rand.NewPCG(uint64(n), 9))
				var h queue
				c := newCalendar()
				var seq uint64
				push := func(at Time) {
					seq++
					ev := Event{At: at, Node: int32(seq), seq: seq}
					h.push(ev)
					c.push(ev)
				}
				for range n {
					push(g.gen(rng, 0))
				}
				now := Time(0)
				for step := 0; step < 4*n+100; step++ {
					if h.len() != c.len() {
						t.Fatalf("step %d: len heap %d, calendar %d", step, h.len(), c.len())
					}
					if h.len() == 0 || rng.IntN(3) == 0 {
						for range rng.IntN(3) {
							push(max(now, g.gen(rng, now)))
						}
						continue
					}
					want := h.pop()
					if p := c.peek(); p == nil || *p != want {
						t.Fatalf("step %d: calendar peek = %+v, want %+v", step, p, want)
					}
					got := c.pop()
					if got != want {
						t.Fatalf("step %d: calendar pop = %+v, heap %+v", step, got, want)
					}
					now = got.At
				}
				for h.len() > 0 {
					if got, want := c.pop(), h.pop(); got != want {
						t.Fatalf("drain: calendar pop = %+v, heap %+v", got, want)
					}
				}
				if c.len() != 0 || c.peek() != nil {
					t.Fatalf("calendar not empty after drain: len %d", c.len())
				}
			})
		}
	}
}

// holdTrace runs a randomized hold model on an engine with the given queue:
// every event reschedules one or more events, with delays drawn from a mix of
// periodic timers, short latencies, zero delays and far-future events; the
// number pending drifts up and down. It returns the dispatch trace.
func holdTrace(kind QueueKind, seed uint64, events int) []Event {
	rng := rand.New(rand.NewPCG(seed, 1))
	e := NewEngineWithQueue(kind)
	out := make([]Event, 0, events)
	e.SetHandler(func(ev Event) {
		out = append(out, ev)
		if len(out) == events {
			e.Stop()
		}
		// Drift the population: phases of growth and shrinkage.
		grow := (len(out)/20000)%2 == 0
		k := 1
		switch r := rng.IntN(16); {
		case r == 0 && grow:
			k = 3
		case r < 3 && !grow:
			k = 0
		}
		for range k {
			var d Time
			switch rng.IntN(10) {
			case 0:
				d = 0
			case 1:
				d = Time(rng.Int64N(int64(5 * Millisecond)))
			case 2:
				d = Time(rng.Int64N(int64(Hour)))
			default:
				d = Second
			}
			e.After(d, ev.Kind, ev.Node, ev.Arg)
		}
	})
	for i := range 2000 {
		e.Schedule(Time(rng.Int64N(int64(Second))), 0, int32(i), 0)
	}
	e.RunUntil(MaxTime)
	return out
}

// TestCalendarHoldModel compares a long randomized hold-model run on both
// queues, event by event.
func TestCalendarHoldModel(t *testing.T) {
	n := 400000
	if testing.Short() {
		n = 100000
	}
	for seed := uint64(1); seed <= 2; seed++ {
		a := holdTrace(QueueHeap, seed, n)
		b := holdTrace(QueueCalendar, seed, n)
		if len(a) != len(b) {
			t.Fatalf("seed %d: heap dispatched %d events, calendar %d", seed, len(a), len(b))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("seed %d: event %d: heap %+v, calendar %+v", seed, i, a[i], b[i])
			}
		}
	}
}

// TestEngineQueuesAgree runs the toy model on both queues.
func TestEngineQueuesAgree(t *testing.T) {
	for _, kind := range []QueueKind{QueueHeap, QueueCalendar} {
		if got := NewEngineWithQueue(kind).Queue(); got != kind {
			t.Errorf("Queue() = %v, want %v", got, kind)
		}
	}
	if NewEngine().Queue() != QueueCalendar {
		t.Errorf("default queue is %v, want calendar", NewEngine().Queue())
	}
	mustPanic(t, "unknown queue kind", func() { NewEngineWithQueue(QueueKind(9)) })
}

// TestCalendarZeroAllocs checks that the calendar queue allocates nothing per
// event after warm-up, in the hold model with 10^5 pending events.
func TestCalendarZeroAllocs(t *testing.T) {
	const pending = 100000
	e := NewEngineWithQueue(QueueCalendar)
	e.Reserve(pending + 1)
	rng := NewStream(4, "allocs")
	delays := randomDelays(rng)
	var i int
	e.SetHandler(func(ev Event) {
		i++
		e.After(delays[i&(len(delays)-1)], ev.Kind, ev.Node, ev.Arg)
	})
	for n := range pending {
		e.Schedule(Time(rng.Int64N(int64(2*benchMeanDelay))), 0, int32(n), 0)
	}
	step := func() {
		at, _ := e.NextAt()
		e.RunUntil(at + Millisecond)
	}
	for range 2000 { // warm-up
		step()
	}
	before := e.Processed()
	allocs := testing.AllocsPerRun(1000, step)
	if allocs != 0 {
		t.Errorf("allocs per step = %v, want 0", allocs)
	}
	if e.Processed()-before < 10000 {
		t.Errorf("processed %d events during measurement, want >= 10000", e.Processed()-before)
	}
}

// TestCalendarAdaptsWhileGrowing is the regression test for an epidemic's
// start: the first rebuild sees two events far apart and picks a bucket tens
// of seconds wide; then the population doubles every second inside that one
// bucket. The near heap must not keep everything (it did, until rebuilds
// were also checked on pops, which made the queue a plain heap of 10^6): after
// the growth, the largest near heap over the next second (while the
// events drain) stays a small multiple of the bucket target. The order must still match the heap's.
func TestCalendarAdaptsWhileGrowing(t *testing.T) {
	run := func(kind QueueKind) ([]Event, *Engine) {
		const target = 50000
		e := NewEngineWithQueue(kind)
		rng := NewStream(5, "growing")
		var out []Event
		e.SetHandler(func(ev Event) {
			out = append(out, ev)
			k := 1
			if e.Pending() < target {
				k = 2
			}
			for range k {
				e.After(Second-Time(rng.Int64N(int64(Millisecond))), ev.Kind, ev.Node, ev.Arg)
			}
		})
		e.Schedule(0, 0, 0, 0)
		e.Schedule(40*Second, 0, 1, 0)
		e.RunUntil(30 * Second)
		return out, e
	}
	want, _ := run(QueueHeap)
	got, e := run(QueueCalendar)
	if len(got) != len(want) {
		t.Fatalf("calendar dispatched %d events, heap %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("event %d: heap %+v, calendar %+v", i, want[i], got[i])
		}
	}
	maxNear, pending := 0, e.Pending()
	e.SetHandler(func(Event) { maxNear = max(maxNear, len(e.cal.near.items)) })
	e.RunUntil(31 * Second)
	if limit := 16 * calPerBucket; maxNear > limit {
		t.Errorf("near heap held up to %d events at %d pending, want at most %d", maxNear, pending, limit)
	}
}
