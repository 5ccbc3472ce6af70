package swim

import (
	"slices"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/sim"
)

// Crashes and measurements: the members that crash, the time series and the
// result of a run.

// crashMembers crashes cfg.Crashes members drawn from the seed, for good
// (those the fault schedule already took down stay as they are).
func (r *run) crashMembers() {
	js := sim.Sample(r.crash, r.n, r.cfg.Crashes)
	js = slices.DeleteFunc(js, func(j int32) bool { return !r.up(int(j)) })
	r.takeDown(js)
}

// takeDown crashes the members js (all up), for good, and starts the
// detection measurements on them.
func (r *run) takeDown(js []int32) {
	now := r.eng.Now()
	first := len(r.crashed)
	for _, j32 := range js {
		j := int(j32)
		for i := range r.n {
			if i == j || !r.up(i) {
				continue
			}
			if r.view(j, i).status == dead {
				r.wrong--
			}
			if r.view(i, j).status == dead {
				r.wrong--
			}
		}
		r.state[j] &^= stUp
		r.crashIdx[j] = int32(len(r.crashed))
		r.crashed = append(r.crashed, j32)
		r.crashTime = append(r.crashTime, now)
		r.rec.Crashes++
		if r.cm.Trace != nil {
			r.traceNode(trace.Crash, j, -1, false)
		}
	}
	r.live -= len(js)
	for k := range first {
		// An earlier crash: the members crashing now no longer count among
		// those holding it dead, so the rest may all hold it dead now.
		c := int(r.crashed[k])
		if r.crashIdx[c] != int32(k) || r.up(c) {
			continue // restarted since
		}
		for _, j := range js {
			if r.view(int(j), c).status == dead {
				r.deadCount[k]--
			}
		}
		if r.deadCount[k] == r.live && r.fullDet[k] < 0 {
			r.fullDet[k] = now - r.crashTime[k]
		}
	}
	for k := first; k < len(r.crashed); k++ {
		r.firstDet = append(r.firstDet, -1)
		r.fullDet = append(r.fullDet, -1)
		r.deadCount = append(r.deadCount, 0)
		for i := range r.n {
			if r.up(i) && r.view(i, int(r.crashed[k])).status == dead {
				r.deadCount[k]++
			}
		}
		if r.deadCount[k] == r.live {
			r.fullDet[k] = 0
		}
	}
	r.forgetCrashed(js)
}

// sample appends one time-series row for the interval that ends now.
func (r *run) sample() {
	frac := 0.0
	if pairs := int64(r.live) * int64(r.live-1); pairs > 0 {
		frac = float64(r.wrong) / float64(pairs)
	}
	r.series.Take(r.eng.Now(), r.rec, metrics.State{WrongViewFraction: frac, LiveNodes: r.live})
	r.eng.After(r.cm.SampleInterval, evSample, 0, 0)
}

func meanOf(ts []sim.Time, unit sim.Time) float64 {
	var sum float64
	k := 0
	for _, t := range ts {
		if t >= 0 {
			sum += float64(t) / float64(unit)
			k++
		}
	}
	if k == 0 {
		return protocol.Null
	}
	return sum / float64(k)
}

func (r *run) result() protocol.Result {
	periods := float64(r.cm.Duration) / float64(r.cfg.ProbeInterval)
	return protocol.Result{
		Fields: []protocol.Field{
			{Name: FieldFirstDetection, Value: meanOf(r.firstDet, r.cfg.ProbeInterval)},
			{Name: FieldFullDetection, Value: meanOf(r.fullDet, sim.Second)},
			{Name: FieldFalsePositives, Value: float64(r.falsePos)},
			{Name: FieldMessages, Value: float64(r.rec.MessagesSent) / float64(r.n) / periods},
		},
		Counters: r.rec,
		Samples:  r.series.Samples(),
		Events:   r.eng.Processed(),
	}
}
