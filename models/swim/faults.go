package swim

import "github.com/gossipsim/gossipsim/sim"

// Fault schedules (package faults) beyond the message path: a scheduled
// crash is a real crash of the member, and a skewed member's timers run at
// its clock's rate. A scheduled restart is not replayed (see doc.go).

// localSpan is the real time member i's clock takes to count d from now:
// d / rate, with the rate of the fault schedule's skew now (the run's time
// is engine time); exactly d without a schedule.
func (r *run) localSpan(i int, d sim.Time) sim.Time {
	tl := r.tr.Faults()
	if tl == nil {
		return d
	}
	return sim.Time(float64(d) / tl.ClockRate(i, r.eng.Now()))
}

// scheduleFaults schedules the schedule's crashes (faults.Timeline.NodeEvents).
func (r *run) scheduleFaults() {
	tl := r.tr.Faults()
	if tl == nil {
		return
	}
	for _, e := range tl.NodeEvents() {
		if !e.Up {
			r.eng.Schedule(e.At, evScheduledDown, e.Node, 0)
		}
	}
}
