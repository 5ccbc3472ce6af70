package swim

import (
	"math"

	"github.com/gossipsim/gossipsim/models/wire"
)

// Membership updates: how a received alive, suspect or dead update changes a
// member's view, with SWIM's precedence rules, and refutation.

// apply folds one received update into member i's view.
func (r *run) apply(i int, e *wire.Entry) {
	j := int(e.Node)
	switch e.Status {
	case alive:
		r.aliveUpdate(i, j, e.Generation)
	case suspect:
		r.suspectUpdate(i, j, e.Generation, int32(e.Heartbeat))
	case dead:
		r.deadUpdate(i, j, e.Generation, int32(e.Heartbeat))
	}
}

// aliveUpdate: alive(inc) overrides alive, suspect and dead at a lower
// incarnation.
func (r *run) aliveUpdate(i, j int, inc uint32) {
	if j == i {
		return
	}
	old := r.view(i, j)
	if inc <= old.inc {
		return
	}
	v := old
	r.clearSuspicion(&v)
	v.inc, v.status = inc, alive
	r.update(i, j, old, v)
	r.enqueue(i, wire.Entry{Node: uint32(j), Generation: inc, Status: alive})
}

// suspectUpdate: suspect(inc) overrides alive at the same or a lower
// incarnation and suspect at a lower one; at the same one it is a
// confirmation. About oneself it is refuted.
func (r *run) suspectUpdate(i, j int, inc uint32, from int32) {
	if j == i {
		if inc >= r.members[i].inc {
			r.refute(i, inc)
		}
		return
	}
	old := r.view(i, j)
	if inc < old.inc || old.status == dead {
		return
	}
	v := old
	if v.status == suspect {
		if inc == v.inc {
			if r.confirm(i, j, from) {
				r.enqueue(i, wire.Entry{Node: uint32(j), Generation: inc, Heartbeat: uint32(from), Status: suspect})
			}
			return
		}
		r.clearSuspicion(&v)
	}
	v.inc, v.status = inc, suspect
	v.aux = r.startSuspicion(i, j, from)
	r.update(i, j, old, v)
	r.enqueue(i, wire.Entry{Node: uint32(j), Generation: inc, Heartbeat: uint32(from), Status: suspect})
}

// deadUpdate: dead(inc) overrides alive and suspect at the same or a lower
// incarnation. About oneself it is refuted.
func (r *run) deadUpdate(i, j int, inc uint32, from int32) {
	if j == i {
		if inc >= r.members[i].inc {
			r.refute(i, inc)
		}
		return
	}
	old := r.view(i, j)
	if inc < old.inc || old.status == dead {
		return
	}
	v := old
	r.clearSuspicion(&v)
	v.inc, v.status = inc, dead
	r.update(i, j, old, v)
	r.enqueue(i, wire.Entry{Node: uint32(j), Generation: inc, Heartbeat: uint32(from), Status: dead})
}

// refute answers a suspicion (or death) of member i at incarnation accused:
// i moves past it and disseminates alive.
func (r *run) refute(i int, accused uint32) {
	m := &r.members[i]
	if accused < math.MaxUint32 {
		m.inc = max(m.inc, accused+1)
	}
	r.enqueue(i, wire.Entry{Node: uint32(i), Generation: m.inc, Status: alive})
	r.awareness(i, 1)
}

// update changes i's view of j from old to v (stamping the time it became
// dead), keeps the measurements current and moves j's baseline once every
// live member agrees on it.
func (r *run) update(i, j int, old, v view) {
	switch {
	case v.status == alive:
		v.aux = 0
	case v.status == dead && old.status != dead:
		v.aux = r.nowMs()
	}
	r.store(i, j, v)
	if !r.up(i) {
		return
	}
	if v.status != old.status {
		r.measure(j, old.status, v.status)
	}
	if ver := v.version(); ver != old.version() {
		r.agreeOn(j, ver)
	}
}

// measure keeps the measurements current when a live member's view of j
// changes status from was to st.
func (r *run) measure(j int, was, st wire.Status) {
	if r.up(j) {
		if was == dead {
			r.wrong--
		}
		if st == dead {
			r.wrong++
		}
		return
	}
	if k := r.crashIdx[j]; k >= 0 {
		if was == dead {
			r.deadCount[k]--
		}
		if st == dead {
			r.deadCount[k]++
			if r.deadCount[k] == r.live && r.fullDet[k] < 0 {
				r.fullDet[k] = r.eng.Now() - r.crashTime[k]
			}
		}
	}
}
