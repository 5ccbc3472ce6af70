package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
)

// TestEngineOrdering schedules events at random times with many ties and
// checks that dispatch order equals a stable sort of the scheduling order.
func TestEngineOrdering(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		maxAt int64
	}{
		{"ties", 3000, 10},
		{"mostly-distinct", 3000, 1 << 32},
		{"single-time", 500, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := NewStream(7, tt.name)
			e := NewEngine()
			var got []Event
			e.SetHandler(func(ev Event) {
				if ev.At != e.Now() {
					t.Fatalf("handler: ev.At = %v, Now() = %v, want equal", ev.At, e.Now())
				}
				got = append(got, ev)
			})
			var scheduled []Event
			for i := range tt.n {
				at := Time(rng.Int64N(tt.maxAt))
				e.Schedule(at, uint32(i%5), int32(i), int64(-i))
				scheduled = append(scheduled, Event{At: at, Kind: uint32(i % 5), Node: int32(i), Arg: int64(-i), seq: uint64(i + 1)})
			}
			want := slices.Clone(scheduled)
			sort.SliceStable(want, func(i, j int) bool { return want[i].At < want[j].At })

			e.RunUntil(Time(tt.maxAt))
			if len(got) != len(want) {
				t.Fatalf("dispatched %d events, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("event %d = %+v, want %+v", i, got[i], want[i])
				}
			}
			if got, want := e.Processed(), uint64(tt.n); got != want {
				t.Errorf("Processed() = %d, want %d", got, want)
			}
			if got := e.Pending(); got != 0 {
				t.Errorf("Pending() = %d, want 0", got)
			}
		})
	}
}

// trace records dispatched events as compact strings.
type trace []string

func (tr *trace) add(ev Event) {
	*tr = append(*tr, fmt.Sprintf("%v k%d n%d a%d", ev.At, ev.Kind, ev.Node, ev.Arg))
}

func TestEngineScheduleDuringDispatch(t *testing.T) {
	e := NewEngine()
	var tr trace
	e.SetHandler(func(ev Event) {
		tr.add(ev)
		switch ev.Kind {
		case 1: // chain two more events at the current time, one later
			e.Schedule(e.Now(), 2, ev.Node, 0)
			e.After(0, 3, ev.Node, 0)
			e.After(Second, 4, ev.Node, 0)
		case 3:
			e.After(0, 5, ev.Node, 0)
		}
	})
	e.Schedule(Second, 1, 0, 0)
	e.Schedule(Second, 9, 1, 0) // already queued at 1s: must precede the kinds 2, 3, 5
	e.Schedule(3*Second, 6, 0, 0)
	e.RunUntil(2 * Second)

	want := trace{"1s k1 n0 a0", "1s k9 n1 a0", "1s k2 n0 a0", "1s k3 n0 a0", "1s k5 n0 a0", "2s k4 n0 a0"}
	if !slices.Equal(tr, want) {
		t.Errorf("trace:\n got %q\nwant %q", tr, want)
	}
	if got, want := e.Now(), 2*Second; got != want {
		t.Errorf("Now() after RunUntil(2s) = %v, want %v", got, want)
	}
	if got, want := e.Pending(), 1; got != want {
		t.Errorf("Pending() = %d, want %d (the 3s event)", got, want)
	}
	if at, ok := e.NextAt(); !ok || at != 3*Second {
		t.Errorf("NextAt() = %v, %v, want 3s, true", at, ok)
	}
	if e.Stopped() {
		t.Errorf("Stopped() = true after a normal return, want false")
	}
}

func TestEngineRunUntilClock(t *testing.T) {
	tests := []struct {
		name      string
		events    []Time
		end       Time
		wantNow   Time
		wantCount uint64
		wantLeft  int
	}{
		{"empty-queue", nil, 5 * Second, 5 * Second, 0, 0},
		{"end-before-events", []Time{10 * Second}, 5 * Second, 5 * Second, 0, 1},
		{"event-exactly-at-end", []Time{Second, 5 * Second}, 5 * Second, 5 * Second, 2, 0},
		{"events-after-last", []Time{Second, 2 * Second}, Minute, Minute, 2, 0},
		{"end-equals-now", []Time{0, 0, Second}, 0, 0, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NewEngine()
			e.SetHandler(func(Event) {})
			for _, at := range tt.events {
				e.Schedule(at, 0, 0, 0)
			}
			e.RunUntil(tt.end)
			if got := e.Now(); got != tt.wantNow {
				t.Errorf("Now() = %v, want %v", got, tt.wantNow)
			}
			if got := e.Processed(); got != tt.wantCount {
				t.Errorf("Processed() = %d, want %d", got, tt.wantCount)
			}
			if got := e.Pending(); got != tt.wantLeft {
				t.Errorf("Pending() = %d, want %d", got, tt.wantLeft)
			}
		})
	}
}

func TestEngineStop(t *testing.T) {
	e := NewEngine()
	var seen []Time
	e.SetHandler(func(ev Event) {
		seen = append(seen, ev.At)
		if ev.Kind == 1 {
			e.Stop()
		}
	})
	for i := 1; i <= 5; i++ {
		kind := uint32(0)
		if i == 3 {
			kind = 1
		}
		e.Schedule(Time(i)*Second, kind, 0, 0)
	}
	e.RunUntil(Minute)
	if got, want := seen, []Time{Second, 2 * Second, 3 * Second}; !slices.Equal(got, want) {
		t.Fatalf("dispatched %v before stopping, want %v", got, want)
	}
	if got, want := e.Now(), 3*Second; got != want {
		t.Errorf("Now() after Stop = %v, want %v (time of the stopping event)", got, want)
	}
	if !e.Stopped() {
		t.Errorf("Stopped() = false, want true")
	}
	if got, want := e.Pending(), 2; got != want {
		t.Errorf("Pending() after Stop = %d, want %d", got, want)
	}

	// A second call resumes where the first stopped.
	e.RunUntil(Minute)
	if got, want := len(seen), 5; got != want {
		t.Errorf("events after resuming = %d, want %d", got, want)
	}
	if got, want := e.Now(), Minute; got != want {
		t.Errorf("Now() after resumed RunUntil = %v, want %v", got, want)
	}
	if e.Stopped() {
		t.Errorf("Stopped() = true after a normal return, want false")
	}
}

// mustPanic runs f and fails unless it panics with a message containing want.
func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want panic containing %q", want)
		}
		if msg := fmt.Sprint(r); !strings.Contains(msg, want) {
			t.Fatalf("panic %q, want it to contain %q", msg, want)
		}
	}()
	f()
}

func TestEnginePanics(t *testing.T) {
	tests := []struct {
		name string
		want string
		f    func(e *Engine)
	}{
		{"schedule-in-past", "before Now()", func(e *Engine) { e.Schedule(Second-1, 0, 0, 0) }},
		{"schedule-in-past-from-handler", "before Now()", func(e *Engine) {
			e.SetHandler(func(ev Event) {
				if ev.Kind == 1 { // only once, so a missing check cannot loop forever
					e.Schedule(e.Now()-1, 0, 0, 0)
				}
			})
			e.Schedule(2*Second, 1, 0, 0)
			e.RunUntil(3 * Second)
		}},
		{"negative-after", "negative delay", func(e *Engine) { e.After(-1, 0, 0, 0) }},
		{"run-backwards", "before Now()", func(e *Engine) { e.RunUntil(0) }},
		{"no-handler", "no handler", func(e *Engine) {
			e.SetHandler(nil)
			e.Schedule(2*Second, 0, 0, 0)
			e.RunUntil(2 * Second)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NewEngine()
			e.SetHandler(func(Event) {})
			e.RunUntil(Second) // clock at 1s
			mustPanic(t, tt.want, func() { tt.f(e) })
		})
	}

	// Scheduling exactly at Now() and After(0) are legal.
	e := NewEngine()
	e.SetHandler(func(Event) {})
	e.RunUntil(Second)
	e.Schedule(Second, 0, 0, 0)
	e.After(0, 0, 0, 0)
	if got, want := e.Pending(), 2; got != want {
		t.Errorf("Pending() = %d, want %d", got, want)
	}
}

// toyModel is a small gossip-free model that exercises timers, random
// delays, same-time events and fan-out. It returns the dispatch trace.
func toyModel(seed uint64, nodes int, end Time) []Event {
	timers := NewStream(seed, "timers")
	links := NewStream(seed, "links")
	e := NewEngine()
	var out []Event
	e.SetHandler(func(ev Event) {
		out = append(out, ev)
		switch ev.Kind {
		case 0: // timer: send to a random peer, rearm
			peer := int32(links.IntN(nodes))
			e.After(Time(links.Int64N(int64(10*Millisecond))), 1, peer, int64(ev.Node))
			e.After(Time(timers.Int64N(int64(Second))), 0, ev.Node, 0)
		case 1: // delivery: sometimes answer at once (same time)
			if links.IntN(4) == 0 {
				e.After(0, 2, int32(ev.Arg), int64(ev.Node))
			}
		}
	})
	for i := range nodes {
		e.Schedule(Time(timers.Int64N(int64(Second))), 0, int32(i), 0)
	}
	e.RunUntil(end)
	return out
}

func TestEngineDeterminism(t *testing.T) {
	a := toyModel(1, 50, 20*Second)
	b := toyModel(1, 50, 20*Second)
	if len(a) < 1000 {
		t.Fatalf("toy model dispatched only %d events, want >= 1000", len(a))
	}
	if !slices.Equal(a, b) {
		i := 0
		for i < min(len(a), len(b)) && a[i] == b[i] {
			i++
		}
		t.Fatalf("same seed gave different traces (lengths %d, %d), first difference at %d", len(a), len(b), i)
	}
	c := toyModel(2, 50, 20*Second)
	if slices.Equal(a, c) {
		t.Errorf("seeds 1 and 2 gave identical traces, want different")
	}
}

// TestEngineZeroAllocs checks that schedule + pop + dispatch allocates nothing
// once the queue has grown.
func TestEngineZeroAllocs(t *testing.T) {
	for _, kind := range []QueueKind{QueueHeap, QueueCalendar} {
		t.Run(kind.String(), func(t *testing.T) { testEngineZeroAllocs(t, kind) })
	}
}

func testEngineZeroAllocs(t *testing.T, kind QueueKind) {
	const pending = 1000
	e := NewEngineWithQueue(kind)
	e.Reserve(pending + 1)
	rng := NewStream(3, "allocs")
	delays := randomDelays(rng)
	var i int
	// The handler reschedules every event (hold model).
	e.SetHandler(func(ev Event) {
		i++
		e.After(delays[i&(len(delays)-1)], ev.Kind, ev.Node, ev.Arg)
	})
	for n := range pending {
		e.Schedule(Time(rng.Int64N(int64(Second))), 0, int32(n), 0)
	}
	step := func() {
		at, _ := e.NextAt()
		e.RunUntil(at) // dispatches at least one event
		e.Schedule(e.Now()+Second, 1, 0, 0)
		e.RunUntil(e.Now() + Millisecond)
	}
	for range 1000 { // warm-up
		step()
	}
	before := e.Processed()
	allocs := testing.AllocsPerRun(1000, step)
	if allocs != 0 {
		t.Errorf("allocs per step = %v, want 0", allocs)
	}
	if e.Processed()-before < 1000 {
		t.Errorf("processed %d events during measurement, want >= 1000", e.Processed()-before)
	}
}

const benchMeanDelay = Second

// randomDelays returns a power-of-two table of delays uniform in
// [0, 2*benchMeanDelay), so benchmarks and tests measure the engine, not the
// random number generator.
func randomDelays(rng *rand.Rand) []Time {
	d := make([]Time, 1<<16)
	for i := range d {
		d[i] = Time(rng.Int64N(int64(2 * benchMeanDelay)))
	}
	return d
}

// reportPerEvent reports ns/event and events/s, one event per iteration.
func reportPerEvent(b *testing.B) {
	el := b.Elapsed()
	if el <= 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64(el.Nanoseconds())/float64(b.N), "ns/event")
	b.ReportMetric(float64(b.N)/el.Seconds(), "events/s")
}

// BenchmarkScheduleDispatch measures the engine in the hold model: the queue
// holds a constant number of pending events (one timer per node), and each
// dispatched event's handler reschedules one event a random delay later. One
// iteration is one event: pop + dispatch + schedule.
func BenchmarkScheduleDispatch(b *testing.B) {
	for _, kind := range []QueueKind{QueueHeap, QueueCalendar} {
		b.Run("queue="+kind.String(), func(b *testing.B) { benchScheduleDispatch(b, kind, false) })
	}
}

// BenchmarkScheduleDispatchInterruptible is BenchmarkScheduleDispatch with an
// interrupt check set, an atomic flag that never fires (what experiments.Run
// sets for cancellation and --timeout): it shows that polling it costs nothing
// measurable.
func BenchmarkScheduleDispatchInterruptible(b *testing.B) {
	for _, kind := range []QueueKind{QueueHeap, QueueCalendar} {
		b.Run("queue="+kind.String(), func(b *testing.B) { benchScheduleDispatch(b, kind, true) })
	}
}

func benchScheduleDispatch(b *testing.B, kind QueueKind, interruptible bool) {
	for _, pending := range []int{1000, 10000, 100000, 1000000} {
		b.Run(fmt.Sprintf("pending=%d", pending), func(b *testing.B) {
			rng := NewStream(1, "bench")
			delays := randomDelays(rng)
			e := NewEngineWithQueue(kind)
			e.Reserve(pending + 1)
			if interruptible {
				var stop atomic.Bool
				e.SetLimits(0, stop.Load)
			}
			for n := range pending {
				e.Schedule(Time(rng.Int64N(int64(2*benchMeanDelay))), 0, int32(n), 0)
			}
			count, target := 0, b.N
			e.SetHandler(func(ev Event) {
				count++
				if count == target {
					e.Stop()
				}
				e.After(delays[count&(len(delays)-1)], ev.Kind, ev.Node, ev.Arg)
			})
			e.NextAt() // lets the calendar queue size itself before timing
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			e.RunUntil(MaxTime)
			cpu = cpuTime() - cpu
			b.StopTimer()
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/event")
			}
			if count != b.N {
				b.Fatalf("dispatched %d events, want %d", count, b.N)
			}
			if e.Pending() != pending {
				b.Fatalf("Pending() = %d, want %d", e.Pending(), pending)
			}
			reportPerEvent(b)
		})
	}
}

// SetLimits stops the engine after exactly maxEvents events, or at the first
// poll at which interrupt says so, and keeps it stopped.
func TestEngineLimits(t *testing.T) {
	for _, kind := range []QueueKind{QueueHeap, QueueCalendar} {
		e := NewEngineWithQueue(kind)
		e.SetHandler(func(ev Event) { e.After(Millisecond, 0, 0, 0) })
		e.Schedule(0, 0, 0, 0)
		e.SetLimits(1000, nil)
		e.RunUntil(Hour)
		if e.Processed() != 1000 || e.LimitHit() != LimitMaxEvents || !e.Stopped() {
			t.Fatalf("%v: processed %d, limit %v, stopped %v; want 1000, max-events, true", kind, e.Processed(), e.LimitHit(), e.Stopped())
		}
		if e.Now() != 999*Millisecond {
			t.Errorf("%v: Now() = %v after the limit, want the last event's time 999ms", kind, e.Now())
		}
		e.RunUntil(2 * Hour)
		if e.Processed() != 1000 || e.Now() != 999*Millisecond {
			t.Errorf("%v: a stopped engine ran on: %d events, now %v", kind, e.Processed(), e.Now())
		}

		polls := 0
		f := NewEngineWithQueue(kind)
		f.SetHandler(func(ev Event) { f.After(Millisecond, 0, 0, 0) })
		f.Schedule(0, 0, 0, 0)
		f.SetLimits(0, func() bool { polls++; return polls == 3 })
		f.RunUntil(Hour)
		if f.LimitHit() != LimitInterrupt || f.Processed() != 3*interruptEvery {
			t.Errorf("%v: interrupt: limit %v after %d events, want interrupt after %d", kind, f.LimitHit(), f.Processed(), 3*interruptEvery)
		}
	}
}

// An interrupt raised during a run stops the engine within interruptEvery
// events, also when an event budget is set that is not a multiple of it, and
// SetLimits in the middle of a run takes effect from there.
func TestEngineInterruptPolledOften(t *testing.T) {
	tests := []struct {
		name      string
		maxEvents uint64
		raiseAt   uint64 // the handler raises the flag at this event
		setAt     uint64 // SetLimits is called at this event (0: before the run)
		want      Limit
		wantAt    uint64 // Processed() when the engine stops
	}{
		{"interrupt", 0, 1000, 0, LimitInterrupt, 1024},
		{"interrupt on a poll", 0, 1024, 0, LimitInterrupt, 1024},
		{"budget first", 1100, 1050, 0, LimitMaxEvents, 1100},
		{"interrupt before an odd budget", 1300, 1030, 0, LimitInterrupt, 1280},
		{"limits set mid-run", 0, 5000, 4000, LimitInterrupt, 5120},
	}
	for _, tc := range tests {
		for _, kind := range []QueueKind{QueueHeap, QueueCalendar} {
			t.Run(tc.name+"/"+kind.String(), func(t *testing.T) {
				var flag atomic.Bool
				e := NewEngineWithQueue(kind)
				e.SetHandler(func(ev Event) {
					switch e.Processed() {
					case tc.raiseAt:
						flag.Store(true)
					case tc.setAt:
						e.SetLimits(tc.maxEvents, flag.Load)
					}
					e.After(Millisecond, 0, 0, 0)
				})
				e.Schedule(0, 0, 0, 0)
				if tc.setAt == 0 {
					e.SetLimits(tc.maxEvents, flag.Load)
				}
				e.RunUntil(Hour)
				if e.LimitHit() != tc.want || e.Processed() != tc.wantAt || !e.Stopped() {
					t.Errorf("limit %v after %d events (stopped %v), want %v after %d", e.LimitHit(), e.Processed(), e.Stopped(), tc.want, tc.wantAt)
				}
			})
		}
	}
}
