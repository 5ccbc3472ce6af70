package swim

import (
	"math"
	"slices"

	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Suspicion: the timer a member starts on a suspected member, shortened by
// independent confirmations under Lifeguard, that declares it dead.

// startSuspicion starts i's suspicion timer on j and returns 1 + its index,
// for view.aux.
func (r *run) startSuspicion(i, j int, from int32) int32 {
	var x int32
	if k := len(r.suspFree); k > 0 {
		x = r.suspFree[k-1]
		r.suspFree = r.suspFree[:k-1]
	} else {
		r.susp = append(r.susp, suspicion{})
		x = int32(len(r.susp) - 1)
	}
	s := &r.susp[x]
	s.start = r.eng.Now()
	s.accusers = append(s.accusers[:0], from)
	s.k, s.confirmations = r.expected, 0
	s.subject = int32(j)
	r.eng.After(r.localSpan(i, r.suspicionTimeout(0, s.k)), evSuspicion, int32(i), int64(x)|int64(s.gen)<<32)
	return x + 1
}

// suspicionTimeout is memberlist's (Lifeguard's) timeout after c of k
// expected confirmations: from the maximum down to the minimum as
// log(c+1)/log(k+1), in whole milliseconds; the minimum without Lifeguard.
func (r *run) suspicionTimeout(c, k int32) sim.Time {
	if k < 1 || r.maxSuspicion == r.minSuspicion {
		return r.minSuspicion
	}
	frac := math.Log(float64(c)+1) / math.Log(float64(k)+1)
	raw := float64(r.maxSuspicion) - frac*float64(r.maxSuspicion-r.minSuspicion)
	t := sim.Time(math.Floor(raw/float64(sim.Millisecond))) * sim.Millisecond
	return max(t, r.minSuspicion)
}

// clearSuspicion cancels the suspicion timer of v, a view about to change.
func (r *run) clearSuspicion(v *view) {
	if v.timer() == 0 {
		return
	}
	x := v.aux - 1
	r.susp[x].gen++
	r.suspFree = append(r.suspFree, x)
	v.aux = 0
}

// confirm counts an independent suspicion of j (Lifeguard) and shortens
// i's timer; it reports whether the confirmation was new.
func (r *run) confirm(i, j int, from int32) bool {
	v := r.view(i, j)
	if !r.cfg.Lifeguard || v.timer() == 0 {
		return false
	}
	x := v.timer() - 1
	s := &r.susp[x]
	if s.confirmations >= s.k || slices.Contains(s.accusers, from) {
		return false
	}
	s.accusers = append(s.accusers, from)
	s.confirmations++
	s.gen++
	remaining := max(0, r.localSpan(i, r.suspicionTimeout(s.confirmations, s.k))-(r.eng.Now()-s.start))
	r.eng.After(remaining, evSuspicion, int32(i), int64(x)|int64(s.gen)<<32)
	return true
}

// suspicionFired declares a suspect dead when its timer runs out.
func (r *run) suspicionFired(i int, x int32, gen uint32) {
	s := &r.susp[x]
	if !r.up(i) || s.gen != gen {
		return
	}
	j := int(s.subject)
	old := r.view(i, j)
	if old.timer() != x+1 {
		return
	}
	v := old
	r.rec.FailureDeclarations++
	if r.cm.Trace != nil {
		r.traceNode(trace.DeclareFailed, i, j, r.up(j))
	}
	if r.up(j) {
		r.rec.FalseFailures++
		if r.declaredInc[j] != uint64(v.inc)+1 {
			// The first declaration of this member at this incarnation.
			r.declaredInc[j] = uint64(v.inc) + 1
			r.falsePos++
		}
	}
	r.clearSuspicion(&v)
	v.status = dead
	r.update(i, j, old, v)
	r.enqueue(i, wire.Entry{Node: uint32(j), Generation: v.inc, Heartbeat: uint32(i), Status: dead})
}
