package metrics

import "github.com/gossipsim/gossipsim/sim"

// What the fault schedule and the topology add to a run's measurements
// (FaultSummary): how long the fleet takes to get every view right after the
// schedule's last partition or crash window ends, and false failures split
// by zone.

// convergence follows when the wrong-pair count last became 0 (and nothing
// was reset since), from every change AddWrong and SetResetting see: it is
// exact, not sampled.
type convergence struct {
	zeroNow bool     // no pair is wrong and no reset is in progress
	zeroAt  sim.Time // when zeroNow last became true
	healAt  sim.Time // the end of the schedule's last partition or crash window
	watched bool     // WatchHeal was called
}

// note records at now whether every view is right (ok).
func (c *convergence) note(now sim.Time, ok bool) {
	switch {
	case !ok:
		c.zeroNow = false
	case !c.zeroNow:
		c.zeroNow, c.zeroAt = true, now
	}
}

// WatchHeal makes the summary measure convergence after a heal: at is the
// engine time the fault schedule's last partition (or crash window) ends.
// FaultSummary.ConvergenceAfterHealSeconds is then the time from at until
// the wrong-pair count returned to 0 for good (see Summarize).
func (r *Recorder) WatchHeal(at sim.Time) {
	r.converge.healAt, r.converge.watched = at, true
}

// SplitByZone makes the summary split FalseFailures into same-zone and
// cross-zone (FaultSummary.FalseFailuresSameZone and ...CrossZone) for a
// fleet of zones zones; the model then reports each false failure with
// FalseFailure. With fewer than 2 zones there is nothing to split.
func (r *Recorder) SplitByZone(zones int) {
	if zones > 1 {
		r.zones = zones
	}
}

// FalseFailure counts one false failure declaration in its zone class: the
// observer and the peer are in the same zone (sameZone) or not. It does
// not count FalseFailures itself, which the model counts where it always has.
func (r *Recorder) FalseFailure(sameZone bool) {
	if sameZone {
		r.FalseFailuresSameZone++
	} else {
		r.FalseFailuresCrossZone++
	}
}

// faultSummary is the FaultSummary at the horizon end. A run converged
// after the heal when the wrong-pair count is 0 at end (no reset in
// progress), has been since some instant z, and the horizon is at least
// settle (the settle time recovery uses) after both z and the heal; the convergence time is max(z, heal) - heal,
// 0 when no view was wrong at the heal. It is null (censored) otherwise,
// when the heal is after the horizon, or when nothing was watched.
func (r *Recorder) faultSummary(end, settle sim.Time) *FaultSummary {
	fs := &FaultSummary{MessagesPartitioned: r.MessagesPartitioned}
	c := r.converge
	if c.watched && c.healAt <= end {
		h := c.healAt.Seconds()
		fs.HealTimeSeconds = &h
		if c.zeroNow && end-max(c.zeroAt, c.healAt) >= settle {
			d := (max(c.zeroAt, c.healAt) - c.healAt).Seconds()
			fs.ConvergenceAfterHealSeconds = &d
		}
	}
	if r.zones > 1 {
		same, cross := r.FalseFailuresSameZone, r.FalseFailuresCrossZone
		fs.FalseFailuresSameZone, fs.FalseFailuresCrossZone = &same, &cross
	}
	return fs
}
