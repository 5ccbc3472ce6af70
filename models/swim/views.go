package swim

import (
	"math"
	"slices"

	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Sparse membership views.
//
// Every member has a view of every other member, n² views in all, but nearly
// all of them agree: at the start everyone holds everyone alive at
// incarnation 0, and an update that spreads through the fleet ends with every
// live member holding the same thing again. So a run keeps, per member j, one
// baseline view of j (base[j]), and per observer i a short row of the views
// that differ from the baseline (overrides), sorted by member. A message to i
// reads and writes only i's row, however many members its updates are about.
//
// Every change to a view raises its version (view.version), so an override
// always has a higher version than its member's baseline. When every live
// member holds the same version of j (see settle), that version becomes j's
// baseline; the overrides of j, now no higher than the baseline, are stale
// and read as the baseline, and each row drops its stale entries the next
// time it would grow. Moving a baseline is thus O(1), and memory follows what
// differs, not n².

// view is what one member believes about another.
type view struct {
	inc uint32 // incarnation
	// aux is, while suspect, 1 + the index of the suspicion timer (0 for
	// none); while dead, the time it became dead in milliseconds; while
	// alive, 0.
	aux    int32
	status wire.Status // alive, suspect or dead
}

// timer is 1 + the index of the view's suspicion timer, or 0.
func (v view) timer() int32 {
	if v.status == suspect {
		return v.aux
	}
	return 0
}

// since is when a dead view became dead, in milliseconds.
func (v view) since() int32 { return v.aux }

// version orders the views of one member: by incarnation, then alive <
// suspect < dead. Every change a member makes to its view of another raises
// its version (SWIM's precedence rules: see aliveUpdate, suspectUpdate,
// deadUpdate and suspicionFired).
func (v view) version() uint64 { return uint64(v.inc)<<2 | uint64(v.status) }

// viewOf is the view a version stands for, as a baseline: no suspicion
// timer, and a dead one dead long enough to get no more gossip.
func viewOf(version uint64) view {
	v := view{inc: uint32(version >> 2), status: wire.Status(version & 3)}
	if v.status == dead {
		v.aux = math.MinInt32 // dead for long
	}
	return v
}

// override is an entry of a row: the observer's view of member.
type override struct {
	member int32
	v      view
}

// rowInline is how many overrides a member keeps inline (member.rowIn).
const rowInline = 8

// row returns m's overrides, sorted by member.
func (m *member) row() []override {
	if m.rowOut != nil {
		return m.rowOut
	}
	return m.rowIn[:m.nrow]
}

// setRow makes row, the result of editing m.row() in place or by growing
// it, m's overrides: inline while they fit (a row that has outgrown rowIn
// moves back once it has shrunk to half of it).
func (m *member) setRow(row []override) {
	switch {
	case m.rowOut == nil && len(row) <= rowInline:
		m.nrow = uint8(len(row)) // edited in place in rowIn
	case m.rowOut != nil && len(row) <= rowInline/2:
		m.nrow = uint8(copy(m.rowIn[:], row))
		m.rowOut = nil
	default:
		m.rowOut = row
	}
}

// expiry is a member that every live member holds dead at version, due to
// become the baseline when the last of them stops gossiping to it
// (GossipToTheDead after the last one learned it).
type expiry struct {
	due     sim.Time
	version uint64
	member  int32
}

// find returns the position of j in row, or where it would go, and whether
// it is there.
func find(row []override, j int32) (int, bool) {
	if len(row) <= 16 {
		for k := range row {
			if row[k].member >= j {
				return k, row[k].member == j
			}
		}
		return len(row), false
	}
	return slices.BinarySearchFunc(row, j, func(o override, j int32) int { return int(o.member - j) })
}

// flagHot marks, in bflag, a member some live member may hold above its
// baseline (top[j] > base[j].version()); without it no override of the
// member is live. The low two bits of bflag are the baseline's status.
const flagHot = 4

// status returns member i's view of member j's status.
func (r *run) status(i, j int) wire.Status {
	if f := r.bflag[j]; f&flagHot == 0 {
		return wire.Status(f & 3)
	}
	return r.view(i, j).status
}

// view returns member i's view of member j.
func (r *run) view(i, j int) view {
	b := r.base[j]
	if r.bflag[j]&flagHot == 0 {
		return b
	}
	if row := r.members[i].row(); len(row) > 0 {
		if k, ok := find(row, int32(j)); ok && row[k].v.version() > b.version() {
			return row[k].v
		}
	}
	return b
}

// store sets i's view of j to v: an override, or none if v is the baseline.
func (r *run) store(i, j int, v view) {
	m := &r.members[i]
	row := m.row()
	k, ok := find(row, int32(j))
	switch {
	case v.version() <= r.base[j].version():
		if ok {
			m.setRow(slices.Delete(row, k, k+1))
		}
	case ok:
		row[k].v = v
	default:
		if len(row) > 0 {
			// Drop the stale entries first: rows stay short.
			n := len(row)
			row = slices.DeleteFunc(row, func(o override) bool {
				return o.v.version() <= r.base[o.member].version()
			})
			if len(row) != n {
				k, _ = find(row, int32(j))
			}
		}
		m.setRow(slices.Insert(row, k, override{member: int32(j), v: v}))
	}
}

// liveObservers is the number of live members other than j.
func (r *run) liveObservers(j int) int32 {
	if r.up(j) {
		return int32(r.live - 1)
	}
	return int32(r.live)
}

// agreeOn records that a live member now holds j at version ver (a raise):
// top[j] is the highest version of j any live member has held since the
// baseline last moved, agree[j] how many live members hold it.
func (r *run) agreeOn(j int, ver uint64) {
	switch {
	case ver > r.top[j]:
		r.top[j], r.agree[j] = ver, 1
		r.bflag[j] |= flagHot
	case ver == r.top[j]:
		r.agree[j]++
	default:
		return
	}
	r.settle(j)
}

// settle moves j's baseline to top[j] once every live member other than j
// holds it: at once for alive; for dead after GossipToTheDead, when no member
// reads the time of the change any more (expire); never for suspect, which a
// timer ends.
func (r *run) settle(j int) {
	if r.fixBase || r.agree[j] == 0 || r.agree[j] != r.liveObservers(j) {
		return
	}
	switch wire.Status(r.top[j] & 3) {
	case alive:
		r.rebase(j, viewOf(r.top[j]))
	case dead:
		// The views became dead at nowMs or before, so gossip to j has ended
		// for all once nowMs reaches nowMs + GossipToTheDead (never, if that
		// is past the range of nowMs, which stops at MaxInt32 ms).
		ms := sim.Time(r.nowMs()) + GossipToTheDead/sim.Millisecond
		if ms <= math.MaxInt32 {
			r.expiring = append(r.expiring, expiry{due: ms * sim.Millisecond, version: r.top[j], member: int32(j)})
		}
	}
}

// expire moves the baselines of the members whose dead views are due.
func (r *run) expire() {
	now := r.eng.Now()
	for r.expHead < len(r.expiring) && r.expiring[r.expHead].due <= now {
		e := r.expiring[r.expHead]
		r.expHead++
		j := int(e.member)
		if r.top[j] == e.version && r.agree[j] > 0 && r.agree[j] == r.liveObservers(j) {
			r.rebase(j, viewOf(e.version))
		}
	}
	if r.expHead == len(r.expiring) {
		r.expiring, r.expHead = r.expiring[:0], 0
	}
}

// rebase makes b the baseline of j. Every live member's override of j holds
// b's version, so no view changes meaning; they are stale from now on.
func (r *run) rebase(j int, b view) {
	r.base[j] = b
	r.bflag[j] = uint8(b.status)
	r.top[j], r.agree[j] = b.version(), 0
	r.rebased++
}

// forgetCrashed drops the views held by the members js, just crashed, which
// are never read again, and then settles every member the remaining live
// ones agree on.
func (r *run) forgetCrashed(js []int32) {
	for _, c := range js {
		m := &r.members[c]
		for _, o := range m.row() {
			if j := o.member; o.v.version() > r.base[j].version() && o.v.version() == r.top[j] {
				r.agree[j]--
			}
		}
		m.rowOut, m.nrow = nil, 0
	}
	for j := range r.n {
		r.settle(j)
	}
}
