package swim

import (
	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/sim"
)

// Crashes and measurements: the members that crash, the time series and the
// result of a run.

// crashMembers crashes cfg.Crashes members drawn from the seed, for good,
// and starts the detection measurements on them.
func (r *run) crashMembers() {
	r.crashed = sim.Sample(r.crash, r.n, r.cfg.Crashes)
	for k, j32 := range r.crashed {
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
		r.crashIdx[j] = int32(k)
		r.rec.Crashes++
	}
	r.live = r.n - len(r.crashed)
	r.firstDet = make([]sim.Time, len(r.crashed))
	r.fullDet = make([]sim.Time, len(r.crashed))
	r.deadCount = make([]int, len(r.crashed))
	for k, j := range r.crashed {
		r.firstDet[k], r.fullDet[k] = -1, -1
		for i := range r.n {
			if r.up(i) && r.view(i, int(j)).status == dead {
				r.deadCount[k]++
			}
		}
		if r.deadCount[k] == r.live {
			r.fullDet[k] = 0
		}
	}
	r.forgetCrashed()
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
