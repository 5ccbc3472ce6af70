package experiments

import "sort"

// runQueue decides which run of a sweep starts next on a free worker, so that
// the runs in flight fit in memory together. It is pure bookkeeping: what a
// run computes never depends on when or beside which others it runs, so the
// order changes no result, only the peak memory and the wall time.
//
// The rule: at most workers runs at once; with a budget (bytes, > 0), a run
// starts only if the estimates of the runs in flight plus its own fit in the
// budget, or if nothing is in flight (a run larger than the budget runs
// alone; the caller refuses one that cannot fit at all). Where memory binds
// (workers runs of the largest estimate would not fit), the runs are taken
// largest estimate first (ties in index order), and a free worker takes the
// first waiting run that fits, so small runs fill in beside a large one
// while the next large one waits for room. Where it does not, or without a
// budget, the runs start in index order, as many at once as there are
// workers.
type runQueue struct {
	waiting []queuedRun
	workers int
	budget  int64
	// inUse is the sum of the estimates of the runs in flight, in bytes.
	inUse   int64
	running int
}

// queuedRun is a run waiting to start and its memory estimate in bytes.
type queuedRun struct {
	spec RunSpec
	need int64
}

// newRunQueue queues specs, whose memory estimates are needs (bytes, one per
// spec), for workers workers within budget bytes (0 or less: no budget).
func newRunQueue(specs []RunSpec, needs []int64, workers int, budget int64) *runQueue {
	q := &runQueue{workers: max(workers, 1), budget: budget}
	for i, rs := range specs {
		q.waiting = append(q.waiting, queuedRun{spec: rs, need: max(needs[i], 0)})
	}
	most := int64(0)
	for _, w := range q.waiting {
		most = max(most, w.need)
	}
	if budget > 0 && satMul(most, int64(q.workers)) > budget {
		sort.SliceStable(q.waiting, func(a, b int) bool { return q.waiting[a].need > q.waiting[b].need })
	}
	return q
}

// start takes the next run that may start now and counts it as in flight;
// ok is false when none may (no run waits, every worker is busy, or no
// waiting run fits beside those in flight).
func (q *runQueue) start() (rs RunSpec, need int64, ok bool) {
	if q.running >= q.workers {
		return RunSpec{}, 0, false
	}
	for i, w := range q.waiting {
		if q.budget > 0 && q.running > 0 && satAdd(q.inUse, w.need) > q.budget {
			continue
		}
		q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
		q.running++
		q.inUse = satAdd(q.inUse, w.need)
		return w.spec, w.need, true
	}
	return RunSpec{}, 0, false
}

// finish counts a run of estimate need as no longer in flight.
func (q *runQueue) finish(need int64) {
	q.running--
	q.inUse -= need
}

// sweepNeeds is each run's memory estimate (EstimateMemory), in bytes.
func sweepNeeds(specs []RunSpec) []int64 {
	needs := make([]int64, len(specs))
	for i, rs := range specs {
		needs[i], _ = EstimateMemory(rs.Scenario)
	}
	return needs
}
