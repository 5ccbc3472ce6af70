package sim

import (
	"math"
	"math/bits"
	"slices"
)

// calendar is a calendar queue (after Brown 1988) specialised for the
// simulation workload, where most events are timers a similar delay ahead.
// It pops events in exactly the same (At, seq) order as the heap.
//
// Time is cut into buckets of width 1<<shift; bucket index b = At>>shift.
// The queue keeps three disjoint parts:
//
//   - near: a small 4-ary heap (the ordinary queue) holding every event with
//     b <= cur, where cur is the bucket being dispatched. All ties and all
//     ordering by (At, seq) are resolved here, by the heap.
//   - buckets: for cur < b < cur+nb, an unsorted singly linked list per
//     bucket, stored in a slab of nodes (slot b & (nb-1)), with an occupancy
//     bitmap to skip empty buckets quickly.
//   - far: an overflow 4-ary heap of events with b >= cur+nb.
//
// Every event in near precedes every bucketed event, which precedes every
// far event, and bucket lists are visited in increasing b, so popping the
// near heap yields the global (At, seq) order. When near runs dry the queue
// moves to the next non-empty bucket, heapifies its few events into near, and
// pulls far events that have entered the window into their buckets.
//
// The bucket width and count adapt: the queue is rebuilt from a sample of
// pending times when it is first used, and again (at most once per epoch of
// about max(n, 4096) pops, so the O(n) cost is amortised) when statistics
// show the buckets too full, the window too short or the size much changed.
// Once the slab, the heaps and the bucket array have grown to their peak,
// push and pop allocate nothing.
type calendar struct {
	near queue // events with bucket <= cur
	far  queue // events with bucket >= cur+nb

	head []int32  // per bucket: 1 + slab index of the list head, 0 if empty
	occ  []uint64 // occupancy bitmap of head
	// The slab of bucket list nodes, split so that walking a list reads the
	// small next array and the event loads are independent of each other.
	slab  []Event
	next  []int32 // per node: 1 + index of the next node, 0 at the end
	free  int32   // 1 + index of the first free node, 0 if none
	shift uint
	nb    uint64 // number of buckets, a power of two (0 until first rebuild)
	mask  uint64
	cur   int64 // bucket index being dispatched

	n         int // total pending
	nBucketed int

	// Statistics since the last check, to decide on a rebuild.
	ops, checkAt     int
	loads, loaded    int
	migrated, skips  int
	backoff          int
	sample           []Time
	scratch          []Event // rebuild's gathering buffer, kept for reuse
	lastShift, lastB uint64
}

const (
	calPerBucket = 32   // target events per bucket near the front
	calMinNB     = 64   // minimum bucket count
	calSample    = 1024 // times sampled at rebuild
	calMinEpoch  = 4096 // minimum pops between rebuild checks
)

func newCalendar() calendar {
	return calendar{cur: math.MinInt64}
}

func (q *calendar) len() int { return q.n }

// reserve makes room for n more events in the bucket slab, where nearly all
// pending events live once the queue is in use, and in the rebuild scratch
// buffer. Rebuilds size the slab for the pending events, so after warm-up the
// queue stops allocating whether or not reserve was called.
func (q *calendar) reserve(n int) {
	if n <= 0 {
		return
	}
	// An eighth more than asked: the peak is a hint, and overshooting it by
	// one event would double the slab.
	n += n / 8
	q.slab = slices.Grow(q.slab, n)
	q.next = slices.Grow(q.next, n)
	q.scratch = slices.Grow(q.scratch, n)
}

// push adds ev to the queue.
func (q *calendar) push(ev Event) {
	q.n++
	q.place(ev)
}

// place stores ev in near, its bucket or far according to its bucket index.
func (q *calendar) place(ev Event) {
	b := int64(ev.At) >> q.shift
	if b <= q.cur {
		q.near.push(ev)
		return
	}
	if uint64(b-q.cur) >= q.nb {
		q.far.push(ev)
		return
	}
	slot := uint64(b) & q.mask
	var s int32
	if q.free != 0 {
		s = q.free
		q.free = q.next[s-1]
		q.slab[s-1] = ev
		q.next[s-1] = q.head[slot]
	} else {
		q.slab = append(q.slab, ev)
		q.next = append(q.next, q.head[slot])
		s = int32(len(q.slab))
	}
	q.head[slot] = s
	q.occ[slot>>6] |= 1 << (slot & 63)
	q.nBucketed++
}

// peek returns the first event without removing it, or nil if the queue is
// empty. The pointer is invalidated by the next push or pop.
func (q *calendar) peek() *Event {
	if q.ops >= q.checkAt && q.n > 0 && q.check() {
		// Checked on pops, not only when near runs dry: with a bucket far
		// too wide, near holds nearly everything and never runs dry.
		q.rebuild()
	}
	if len(q.near.items) == 0 {
		if q.n == 0 {
			return nil
		}
		q.advance()
	}
	return &q.near.items[0]
}

// popNear removes and returns the first event. It must directly follow a
// peek that returned non-nil, with no push in between.
func (q *calendar) popNear() Event {
	q.n--
	q.ops++
	return q.near.pop()
}

// pop removes and returns the first event. The queue must not be empty.
func (q *calendar) pop() Event {
	q.peek()
	return q.popNear()
}

// advance refills the empty near heap from the next non-empty bucket, or from
// far if no bucket is occupied. The queue must not be empty.
func (q *calendar) advance() {
	if q.nb == 0 {
		q.check()
		q.rebuild()
		if len(q.near.items) > 0 {
			return
		}
	}
	if q.nBucketed > 0 {
		start := (uint64(q.cur) + 1) & q.mask
		slot := q.nextOccupied(start)
		d := (slot - start) & q.mask
		q.skips += int(d)
		q.cur += 1 + int64(d)
		// Move the bucket's list into near.
		s := q.head[slot]
		q.head[slot] = 0
		q.occ[slot>>6] &^= 1 << (slot & 63)
		k := 0
		for s != 0 {
			q.near.push(q.slab[s-1])
			next := q.next[s-1]
			q.next[s-1] = q.free
			q.free = s
			s = next
			k++
		}
		q.nBucketed -= k
		q.loads++
		q.loaded += k
	} else {
		q.cur = int64(q.far.top().At) >> q.shift
	}
	// Pull far events that have entered the window.
	for len(q.far.items) > 0 {
		b := int64(q.far.items[0].At) >> q.shift
		if b > q.cur && uint64(b-q.cur) >= q.nb {
			break
		}
		q.place(q.far.pop())
		q.migrated++
	}
}

// nextOccupied returns the first occupied slot at or after start, circularly.
// At least one slot must be occupied.
func (q *calendar) nextOccupied(start uint64) uint64 {
	w := start >> 6
	word := q.occ[w] &^ (1<<(start&63) - 1)
	nw := uint64(len(q.occ))
	for word == 0 {
		w++
		if w == nw {
			w = 0
		}
		word = q.occ[w]
	}
	return w<<6 | uint64(bits.TrailingZeros64(word))
}

// check decides whether to rebuild, and resets the epoch statistics.
func (q *calendar) check() bool {
	if q.nb == 0 {
		return true
	}
	rebuild := false
	switch {
	case q.loads > 0 && q.loaded > 8*calPerBucket*q.loads: // buckets too full
		rebuild = true
	case len(q.near.items) > 8*calPerBucket: // the current bucket too full
		rebuild = true
	case q.skips > 32*q.ops: // buckets too sparse
		rebuild = true
	case 4*q.migrated > q.ops: // window too short
		rebuild = true
	case uint64(q.n) > 4*calPerBucket*q.nb: // grown a lot
		rebuild = true
	case q.nb > calMinNB && 16*uint64(q.n) < q.nb: // shrunk a lot
		rebuild = true
	}
	q.loads, q.loaded, q.migrated, q.skips = 0, 0, 0, 0
	q.ops = 0
	q.checkAt = max(q.n, calMinEpoch) * max(q.backoff, 1)
	return rebuild
}

// rebuild gathers every pending event, chooses a new bucket width and count
// from a sample of their times, and redistributes them.
func (q *calendar) rebuild() {
	// Gather everything into the scratch buffer. Every buffer keeps its
	// capacity, so rebuilds stop allocating once the queue has reached its
	// peak size.
	all := append(q.scratch[:0], q.far.items...)
	all = append(all, q.near.items...)
	q.far.items = q.far.items[:0]
	q.near.items = q.near.items[:0]
	if q.nBucketed > 0 {
		for slot, h := range q.head {
			for s := h; s != 0; s = q.next[s-1] {
				all = append(all, q.slab[s-1])
			}
			q.head[slot] = 0
		}
		clear(q.occ)
	}
	q.scratch = all
	q.slab = slices.Grow(q.slab[:0], len(all))
	q.next = slices.Grow(q.next[:0], len(all))
	q.free = 0
	q.nBucketed = 0
	n := len(all)

	// Sample times and choose the width from the density of the middle 80%.
	lo := Time(math.MaxInt64)
	for i := range all {
		lo = min(lo, all[i].At)
	}
	k := min(n, calSample)
	if cap(q.sample) < calSample {
		q.sample = make([]Time, 0, calSample)
	}
	smp := q.sample[:0]
	for i := range k {
		smp = append(smp, all[int(uint64(i)*uint64(n)/uint64(k))].At)
	}
	slices.Sort(smp)
	q.sample = smp
	width := uint64(1)
	if k > 0 {
		i10, i90 := k/10, k-1-k/10
		spread := uint64(smp[i90] - smp[i10])
		cnt := uint64(max(1, (n*(i90-i10))/max(1, k)))
		// width = calPerBucket * spread / cnt, without overflowing.
		if spread > 0 {
			hi, lo64 := bits.Mul64(spread, calPerBucket)
			if hi >= cnt {
				width = 1 << 62
			} else {
				width, _ = bits.Div64(hi, lo64, cnt)
			}
		}
	}
	shift := uint(0)
	if width > 1 {
		shift = uint(bits.Len64(width) - 1)
	}
	shift = min(shift, 62)
	var span uint64
	if k > 0 {
		span = (uint64(smp[k-1]-lo) >> shift) + 2
	}
	maxNB := uint64(1) << bits.Len64(uint64(max(calMinNB, 2*n/calPerBucket))-1)
	nb := uint64(calMinNB)
	if span > nb {
		nb = uint64(1) << bits.Len64(span-1)
	}
	nb = min(nb, maxNB)
	if uint64(shift) == q.lastShift && nb == q.lastB {
		q.backoff = min(2*max(q.backoff, 1), 64)
	} else {
		q.backoff = 1
	}
	q.lastShift, q.lastB = uint64(shift), nb
	q.checkAt = max(n, calMinEpoch) * q.backoff

	if nb != q.nb {
		q.head = make([]int32, nb)
		q.occ = make([]uint64, (nb+63)/64)
	}
	q.nb, q.mask, q.shift = nb, nb-1, shift
	q.cur = int64(lo) >> shift

	// Redistribute. Events go in their gathered order; far is a heap, and
	// the buckets and near are ordered on the way out, so the order of
	// pushing does not matter.
	for i := range all {
		q.place(all[i])
	}
}
