package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestQueueOrder pushes events with random times (many equal) and checks that
// pop returns them sorted by At, equal At in insertion order, by comparing
// with a stable sort of the insertion sequence.
func TestQueueOrder(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		maxAt int64 // times drawn from [0, maxAt): small values force many ties
		seed  uint64
	}{
		{"empty", 0, 1, 1},
		{"one", 1, 10, 1},
		{"five", 5, 3, 2},
		{"all-equal", 1000, 1, 3},
		{"heavy-ties", 5000, 20, 4},
		{"few-ties", 5000, 1 << 40, 5},
		{"exact-fanout-boundary", 4*4*4 + 4*4 + 4 + 1, 7, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(tt.seed, 0))
			var q queue
			in := make([]Event, tt.n)
			for i := range in {
				in[i] = Event{At: Time(rng.Int64N(tt.maxAt)), Node: int32(i), seq: uint64(i + 1)}
				q.push(in[i])
			}
			want := slices.Clone(in)
			sort.SliceStable(want, func(i, j int) bool { return want[i].At < want[j].At })
			for i, w := range want {
				if q.len() != tt.n-i {
					t.Fatalf("len before pop %d = %d, want %d", i, q.len(), tt.n-i)
				}
				got := q.pop()
				if got != w {
					t.Fatalf("pop %d = %+v, want %+v", i, got, w)
				}
			}
			if q.len() != 0 {
				t.Errorf("len after draining = %d, want 0", q.len())
			}
		})
	}
}

// TestQueueInterleaved mixes pushes and pops (as a simulation does) and checks
// every pop against a brute-force reference: the minimum by (At, seq).
func TestQueueInterleaved(t *testing.T) {
	for _, maxAt := range []int64{2, 50, 1 << 30} {
		t.Run(fmt.Sprintf("maxAt=%d", maxAt), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(42, uint64(maxAt)))
			var q queue
			var ref []Event
			var seq uint64
			now := Time(0)
			for step := 0; step < 20000; step++ {
				if len(ref) == 0 || rng.IntN(3) != 0 { // push twice as often as pop
					seq++
					ev := Event{At: now + Time(rng.Int64N(maxAt)), seq: seq}
					q.push(ev)
					ref = append(ref, ev)
					continue
				}
				m := 0
				for i := range ref {
					if before(&ref[i], &ref[m]) {
						m = i
					}
				}
				want := ref[m]
				ref = slices.Delete(ref, m, m+1)
				got := q.pop()
				if got != want {
					t.Fatalf("step %d: pop = %+v, want %+v", step, got, want)
				}
				now = got.At
				if q.len() != len(ref) {
					t.Fatalf("step %d: len = %d, want %d", step, q.len(), len(ref))
				}
			}
		})
	}
}

func TestQueueReserve(t *testing.T) {
	var q queue
	q.push(Event{At: 1})
	q.reserve(100)
	if got, want := cap(q.items)-len(q.items), 100; got < want {
		t.Fatalf("spare capacity after reserve(100) = %d, want >= %d", got, want)
	}
	p := &q.items[0]
	for i := range 100 {
		q.push(Event{At: Time(i)})
	}
	if &q.items[0] != p {
		t.Errorf("queue reallocated within reserved capacity")
	}
	q.reserve(0)
	q.reserve(-5)
}

// BenchmarkQueueHold measures the raw heap in the hold model: pop the minimum,
// push one event a random delay later, with a constant number pending.
func BenchmarkQueueHold(b *testing.B) {
	for _, n := range []int{1000, 100000, 1000000} {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			rng := NewStream(1, "bench-queue")
			delays := randomDelays(rng)
			var q queue
			q.reserve(n + 1)
			for i := range n {
				q.push(Event{At: Time(rng.Int64N(int64(2 * benchMeanDelay))), seq: uint64(i + 1)})
			}
			seq := uint64(n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ev := q.pop()
				seq++
				q.push(Event{At: ev.At + delays[i&(len(delays)-1)], seq: seq})
			}
			b.StopTimer()
			reportPerEvent(b)
		})
	}
}
