package transport

import (
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

const ms = sim.Millisecond

// TestProcessorReserve checks that work queues behind the backlog: a job
// starts now on an idle processor, or when the work waiting is done.
func TestProcessorReserve(t *testing.T) {
	type job struct {
		now, cost sim.Time
		charge    bool     // Charge instead of Reserve (no start to check)
		wantStart sim.Time // Reserve only
	}
	tests := []struct {
		name        string
		jobs        []job
		at          sim.Time // Backlog asked at this time after the jobs
		wantBacklog sim.Time
	}{
		{
			name:        "idle processor starts now",
			jobs:        []job{{now: 5 * ms, cost: 10 * ms, wantStart: 5 * ms}},
			at:          5 * ms,
			wantBacklog: 10 * ms,
		},
		{
			name: "second job waits behind the first",
			jobs: []job{
				{now: 0, cost: 10 * ms, wantStart: 0},
				{now: 3 * ms, cost: 4 * ms, wantStart: 10 * ms},
			},
			at:          3 * ms,
			wantBacklog: 11 * ms,
		},
		{
			name: "job after the backlog is done starts now",
			jobs: []job{
				{now: 0, cost: 10 * ms, wantStart: 0},
				{now: 25 * ms, cost: 4 * ms, wantStart: 25 * ms},
			},
			at:          27 * ms,
			wantBacklog: 2 * ms,
		},
		{
			name: "charged sends delay the next job",
			jobs: []job{
				{now: 0, cost: 10 * ms, wantStart: 0},
				{now: 2 * ms, cost: 5 * ms, charge: true},
				{now: 2 * ms, cost: 1 * ms, wantStart: 15 * ms},
			},
			at:          2 * ms,
			wantBacklog: 14 * ms,
		},
		{
			name:        "idle processor has no backlog",
			jobs:        []job{{now: 0, cost: 10 * ms, wantStart: 0}},
			at:          30 * ms,
			wantBacklog: 0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewProcessor(3, 4)
			for k, j := range tc.jobs {
				if j.charge {
					p.Charge(1, j.now, j.cost)
					continue
				}
				if got := p.Reserve(1, j.now, j.cost); got != j.wantStart {
					t.Errorf("job %d: start %v, want %v", k, got, j.wantStart)
				}
			}
			if got := p.Backlog(1, tc.at); got != tc.wantBacklog {
				t.Errorf("Backlog(1, %v) = %v, want %v", tc.at, got, tc.wantBacklog)
			}
			for _, other := range []int{0, 2} {
				if got := p.Backlog(other, 0); got != 0 {
					t.Errorf("node %d: Backlog %v, want 0 (only node 1 worked)", other, got)
				}
			}
		})
	}
}

// TestProcessorQueueLimit checks that Enqueue refuses a message when the
// queue is full, counts every message received (refused or not), and takes
// messages again once Dequeue makes room.
func TestProcessorQueueLimit(t *testing.T) {
	type step struct {
		dequeue    bool // Dequeue instead of Enqueue
		now        sim.Time
		wantOK     bool
		wantDoneAt sim.Time
	}
	tests := []struct {
		name         string
		limit        int
		steps        []step
		wantReceived int32
	}{
		{
			name:  "limit 1 refuses the second",
			limit: 1,
			steps: []step{
				{now: 0, wantOK: true, wantDoneAt: 10 * ms},
				{now: 1 * ms, wantOK: false},
			},
			wantReceived: 2,
		},
		{
			name:  "queued messages finish one after another",
			limit: 3,
			steps: []step{
				{now: 0, wantOK: true, wantDoneAt: 10 * ms},
				{now: 0, wantOK: true, wantDoneAt: 20 * ms},
				{now: 5 * ms, wantOK: true, wantDoneAt: 30 * ms},
				{now: 6 * ms, wantOK: false},
				{now: 7 * ms, wantOK: false},
			},
			wantReceived: 5,
		},
		{
			name:  "dequeue makes room",
			limit: 2,
			steps: []step{
				{now: 0, wantOK: true, wantDoneAt: 10 * ms},
				{now: 0, wantOK: true, wantDoneAt: 20 * ms},
				{now: 1 * ms, wantOK: false},
				{dequeue: true},
				{now: 12 * ms, wantOK: true, wantDoneAt: 30 * ms},
				{now: 13 * ms, wantOK: false},
			},
			wantReceived: 5,
		},
		{
			name:  "a refused message adds no work",
			limit: 1,
			steps: []step{
				{now: 0, wantOK: true, wantDoneAt: 10 * ms},
				{now: 0, wantOK: false},
				{dequeue: true},
				{now: 0, wantOK: true, wantDoneAt: 20 * ms},
			},
			wantReceived: 3,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewProcessor(2, tc.limit)
			for k, s := range tc.steps {
				if s.dequeue {
					p.Dequeue(0)
					continue
				}
				doneAt, ok := p.Enqueue(0, s.now, 10*ms)
				if ok != s.wantOK || (ok && doneAt != s.wantDoneAt) {
					t.Errorf("step %d: Enqueue = %v, %v; want %v, %v", k, doneAt, ok, s.wantDoneAt, s.wantOK)
				}
			}
			if _, got := p.Sample(0, 100*ms, sim.Second); got != tc.wantReceived {
				t.Errorf("received %d, want %d", got, tc.wantReceived)
			}
			if _, got := p.Sample(1, 100*ms, sim.Second); got != 0 {
				t.Errorf("node 1: received %d, want 0", got)
			}
		})
	}
}

// TestProcessorAbandon checks that a crash or reset empties the queue, drops
// the work still waiting from the work done, and leaves the processor idle.
func TestProcessorAbandon(t *testing.T) {
	tests := []struct {
		name        string
		enqueued    int      // messages of 10 ms queued at time 0 (limit 3)
		at          sim.Time // Abandon time
		wantUtil    float64  // over the 100 ms interval sampled at 100 ms
		wantStartAt sim.Time // start of a job reserved right after Abandon
	}{
		{name: "mid-backlog: the unfinished work is not done", enqueued: 3, at: 15 * ms, wantUtil: 0.15, wantStartAt: 15 * ms},
		{name: "after the backlog: nothing to drop", enqueued: 2, at: 40 * ms, wantUtil: 0.2, wantStartAt: 40 * ms},
		{name: "idle node", enqueued: 0, at: 50 * ms, wantUtil: 0, wantStartAt: 50 * ms},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewProcessor(1, 3)
			for range tc.enqueued {
				if _, ok := p.Enqueue(0, 0, 10*ms); !ok {
					t.Fatal("Enqueue refused below the limit")
				}
			}
			p.Abandon(0, tc.at)
			if got := p.Backlog(0, tc.at); got != 0 {
				t.Errorf("Backlog after Abandon = %v, want 0", got)
			}
			// The queue is empty: the limit admits three messages again.
			for k := range 3 {
				if _, ok := p.Enqueue(0, tc.at, 0); !ok {
					t.Errorf("Enqueue %d after Abandon refused; the queue should be empty", k)
				}
			}
			if start := p.Reserve(0, tc.at, 0); start != tc.wantStartAt {
				t.Errorf("start after Abandon = %v, want %v", start, tc.wantStartAt)
			}
			if util, _ := p.Sample(0, 100*ms, 100*ms); util != tc.wantUtil {
				t.Errorf("utilization %v, want %v", util, tc.wantUtil)
			}
		})
	}
}

// TestProcessorSample checks the utilisation of an interval: work done in it
// (not work still queued) over its length, clamped to [0, 1], and that each
// sample starts a new interval and a new received count.
func TestProcessorSample(t *testing.T) {
	type sample struct {
		at           sim.Time
		abandonAt    sim.Time // if positive, Abandon at this time before sampling
		wantUtil     float64
		wantReceived int32
	}
	tests := []struct {
		name    string
		work    func(p *Processor)
		samples []sample // each over an interval of 100 ms
	}{
		{
			name:    "idle",
			work:    func(*Processor) {},
			samples: []sample{{at: 100 * ms, wantUtil: 0}},
		},
		{
			name: "quarter busy",
			work: func(p *Processor) { p.Reserve(0, 10*ms, 25*ms) },
			samples: []sample{
				{at: 100 * ms, wantUtil: 0.25},
				{at: 200 * ms, wantUtil: 0},
			},
		},
		{
			name: "queued work counts when done",
			work: func(p *Processor) {
				p.Enqueue(0, 50*ms, 100*ms) // done at 150 ms
			},
			samples: []sample{
				{at: 100 * ms, wantUtil: 0.5, wantReceived: 1},
				{at: 200 * ms, wantUtil: 0.5, wantReceived: 0},
			},
		},
		{
			name: "clamped to 1",
			// 150 ms of work done when the sample comes, over a 100 ms interval.
			work:    func(p *Processor) { p.Reserve(0, 0, 150*ms) },
			samples: []sample{{at: 150 * ms, wantUtil: 1}},
		},
		{
			name: "abandoned work is not done",
			work: func(p *Processor) { p.Reserve(0, 0, 100*ms) },
			samples: []sample{
				{at: 50 * ms, wantUtil: 0.5},
				{at: 100 * ms, abandonAt: 60 * ms, wantUtil: 0.1},
				{at: 200 * ms, wantUtil: 0},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewProcessor(1, 4)
			tc.work(p)
			for k, s := range tc.samples {
				if s.abandonAt > 0 {
					p.Abandon(0, s.abandonAt)
				}
				util, received := p.Sample(0, s.at, 100*ms)
				if util != s.wantUtil || received != s.wantReceived {
					t.Errorf("sample %d at %v: %v, %d; want %v, %d", k, s.at, util, received, s.wantUtil, s.wantReceived)
				}
			}
		})
	}
}
