package heartbeat

import (
	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/sim"
)

// Fault schedules (package faults) beyond the message path: a scheduled
// crash is a real crash of the member, a scheduled restart brings it back,
// and a skewed member's timers run at its clock's rate.

// localSpan is the real time member i's clock takes to count d, now (engine
// time): d / rate, with the rate of the fault schedule's skew at the run's
// time (engine time less the warm-up); exactly d without a schedule.
func (r *run) localSpan(i int, now, d sim.Time) sim.Time {
	tl := r.tr.Faults()
	if tl == nil {
		return d
	}
	return max(1, tl.LocalSpan(i, now-r.w, d))
}

// scheduleFaults replays the schedule's crashes and restarts
// (faults.Timeline.NodeEvents), from the run's time 0 (engine time w).
func (r *run) scheduleFaults() {
	tl := r.tr.Faults()
	if tl == nil {
		return
	}
	r.gen = make([]uint32, r.n)
	r.epoch = make([]int64, r.n)
	r.held = make([]bool, r.n)
	r.pairsAt = r.w
	tl.Replay(r.eng, r.w, evScheduledDown, evScheduledUp)
}

// scheduledDown crashes member j as crashMembers does: it stops gossiping,
// observers that consider it failed from now on detect a crash. A member the
// configured crashes already took down stays as it is.
func (r *run) scheduledDown(j int) {
	if !r.up[j] {
		return
	}
	r.held[j] = true
	k := len(r.crashed)
	r.crashed = append(r.crashed, int32(j))
	r.crashTime = append(r.crashTime, r.eng.Now())
	r.detected = append(r.detected, make([]bool, r.n)...)
	r.takeDown(j, k)
	r.detectedAtCrash(k)
}

// scheduledUp restarts member j, if the schedule took it down: with a new
// generation, its counter back at 0, a new gossip timer (its first period at
// once) and a list as at the start of a run, every member live with no
// counter heard yet and its timeouts starting now. It is not an observer of
// the crashes in force: detection times count only observers live at the crash.
func (r *run) scheduledUp(j int) {
	if r.up[j] || !r.held[j] {
		return
	}
	now := r.eng.Now()
	r.countPairs(now)
	if r.cm.Trace != nil {
		r.traceNode(trace.Restart, j, -1, false)
	}
	r.held[j] = false
	r.up[j] = true
	r.live++
	r.crashIdx[j] = -1
	r.gen[j]++
	r.hb[j] = 0
	r.epoch[j]++
	row := r.row(j)
	for x := range row {
		row[x] = entry{last: now, state: stateLive}
	}
	// j holds everyone live; the observers that do not hold j live are wrong
	// again, now that it is up.
	for i := range r.n {
		if i != j && r.up[i] && r.lists[i*r.n+j].state != stateLive {
			r.wrong++
		}
	}
	// j was not live to see the members that are down now crash: it is no
	// observer of those crashes (its declarations about them are not timed).
	for k, c := range r.crashed {
		if r.crashIdx[c] == int32(k) {
			r.detected[k*r.n+j] = true
		}
	}
	r.rec.Recoveries++
	r.eng.Schedule(now, evGossip, int32(j), r.epoch[j])
}

// countPairs adds the (live observer, live member) pair-seconds since the
// last change of the live count, when a schedule can change it at any time.
func (r *run) countPairs(now sim.Time) {
	if r.epoch == nil {
		return
	}
	l := float64(r.live)
	r.pairSeconds += l * (l - 1) * (now - r.pairsAt).Seconds()
	r.pairsAt = now
}
