package swim

import (
	"math"

	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Fault schedules (package faults) beyond the message path: a scheduled
// crash is a real crash of the member, a scheduled restart brings it back
// (restart), and a skewed member's timers run at its clock's rate.

// localSpan is the real time member i's clock takes to count d from now:
// d / rate, with the rate of the fault schedule's skew now (the run's time
// is engine time); exactly d without a schedule.
func (r *run) localSpan(i int, d sim.Time) sim.Time {
	return r.tr.Faults().LocalSpan(i, r.eng.Now(), d)
}

// scheduleFaults replays the schedule's crashes and restarts
// (faults.Timeline.NodeEvents).
func (r *run) scheduleFaults() {
	tl := r.tr.Faults()
	if tl == nil {
		return
	}
	r.epoch = make([]int64, r.n)
	r.held = make([]bool, r.n)
	tl.Replay(r.eng, 0, evScheduledDown, evScheduledUp)
}

// epochOf is member i's timer generation (0 without a fault schedule).
func (r *run) epochOf(i int) int64 {
	if r.epoch == nil {
		return 0
	}
	return r.epoch[i]
}

// restart brings member j, crashed, back as memberlist's rejoin does: at an
// incarnation above any the fleet holds for it, announcing itself alive
// (its queue holds only that update), which overrides the fleet's suspect
// or dead views of it wherever its pings and gossip reach. Its own views
// are lost at the crash: it restarts holding the fleet's agreed (baseline)
// view of every member, with no probe, relay or suspicion open, Lifeguard's
// score at 0, and its first protocol period and gossip at once. A member the
// configured crashes took down stays down (they never recover).
func (r *run) restart(j int) {
	if r.up(j) || !r.held[j] {
		return
	}
	r.held[j] = false
	now := r.eng.Now()
	if r.cm.Trace != nil {
		r.traceNode(trace.Restart, j, -1, false)
	}
	// The pairs it joins: views of it held dead by live members, and its
	// own views held dead, are wrong again; its views of the crashed count.
	for i := range r.n {
		if i == j || !r.up(i) {
			continue
		}
		if r.view(i, j).status == dead {
			r.wrong++
		}
		if r.view(j, i).status == dead {
			r.wrong++
		}
	}
	for k, c := range r.crashed {
		if r.crashIdx[c] == int32(k) && !r.up(int(c)) && int(c) != j && r.view(j, int(c)).status == dead {
			r.deadCount[k]++
		}
	}
	r.crashIdx[j] = -1
	r.state[j] = stUp
	r.live++
	r.rec.Recoveries++
	m := &r.members[j]
	m.probing, m.acked, m.score = false, false, 0
	m.queue, m.relays = m.queue[:0], m.relays[:0]
	m.inc = max(m.inc, r.base[j].inc, uint32(r.top[j]>>2))
	if m.inc < math.MaxUint32 {
		m.inc++
	}
	r.enqueue(j, wire.Entry{Node: uint32(j), Generation: m.inc, Status: alive})
	r.epoch[j]++
	r.eng.Schedule(now, evProbeEnd, int32(j), r.epoch[j]<<32)
	r.eng.Schedule(now, evGossip, int32(j), r.epoch[j])
}
