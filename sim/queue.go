package sim

import "slices"

// queue is a 4-ary min-heap of Event values ordered by (At, seq).
//
// Events are stored by value in one slice, so once the slice has grown to the
// peak number of pending events, push and pop never allocate. A 4-ary heap is
// shallower than a binary one (log4 n levels), and the four children of a node
// sit next to each other in memory, which suits the cache: sift-down reads one
// or two cache lines per level instead of touching twice as many levels.
//
// Layout: the root is items[0]; the children of i are 4i+1 .. 4i+4 and the
// parent of i > 0 is (i-1)/4.
type queue struct {
	items []Event
}

// before reports whether a must be dispatched before b: earlier At first, and
// for equal At the one scheduled first (smaller seq).
func before(a, b *Event) bool {
	return a.At < b.At || (a.At == b.At && a.seq < b.seq)
}

// len returns the number of queued events.
func (q *queue) len() int { return len(q.items) }

// reserve makes room for at least n more events without reallocating.
func (q *queue) reserve(n int) {
	if n > 0 {
		q.items = slices.Grow(q.items, n)
	}
}

// push adds ev to the heap.
func (q *queue) push(ev Event) {
	q.items = append(q.items, ev)
	h := q.items
	i := len(h) - 1
	// Sift up with a hole: move parents down until ev's slot is found, then
	// write ev once.
	for i > 0 {
		p := (i - 1) >> 2
		if !before(&ev, &h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = ev
}

// top returns a pointer to the first event without removing it. The queue must
// not be empty. The pointer is invalidated by the next push or pop.
func (q *queue) top() *Event { return &q.items[0] }

// pop removes and returns the first event in (At, seq) order. The queue must
// not be empty.
func (q *queue) pop() Event {
	h := q.items
	first := h[0]
	n := len(h) - 1
	last := h[n]
	h = h[:n]
	q.items = h
	if n == 0 {
		return first
	}
	// Sift the former last element down from the root, again with a hole.
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if before(&h[j], &h[m]) {
				m = j
			}
		}
		if !before(&h[m], &last) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = last
	return first
}
