package s3gossip

import (
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// entry is one observer's belief about one peer, 16 bytes.
type entry struct {
	gen    uint32
	hb     uint32
	since  int32 // milliseconds: when the version last went up (alive) or the failure was learned (failed)
	status wire.Status
	flags  uint8
}

const (
	flagWrong uint8 = 1 << iota // believes a live-or-not peer failed, or holds a version it never issued
	flagAhead                   // holds a version above the peer's true version (never issued)
)

func pack(gen, hb uint32) uint64 { return uint64(gen)<<32 | uint64(hb) }

func (e *entry) version() uint64 { return pack(e.gen, e.hb) }

func msOf(t sim.Time) int32 { return int32(t / sim.Millisecond) }

func timeOfMs(ms int32) sim.Time { return sim.Time(ms) * sim.Millisecond }

// MaxDuration is the longest horizon the model supports (entry times are kept in int32 milliseconds).
const MaxDuration = 24 * 24 * sim.Hour

// row returns observer i's view.
func (m *Model) row(i int) []entry { return m.views[i*m.n : (i+1)*m.n] }

// counted reports whether the pair (observer i, peer j) is in the wrong-view denominator.
func (m *Model) counted(i, j int) bool { return i != j && m.nodes[i].up && m.nodes[j].up }

// setEntry is the single place an observer's view of a peer changes: it keeps
// the wrong-view count, failure beliefs, detection and ahead lists consistent.
func (m *Model) setEntry(i, j int, gen, hb uint32, status wire.Status, now sim.Time) {
	v := &m.views[i*m.n+j]
	oldFailed := v.status == wire.StatusFailed
	newFailed := status == wire.StatusFailed
	versionUp := pack(gen, hb) > v.version()
	if versionUp || oldFailed != newFailed {
		v.since = msOf(now)
	}
	if oldFailed && !newFailed && m.nodes[j].up && m.nodes[i].up {
		m.rec.FalseBeliefEnded(now - timeOfMs(v.since))
	}
	if oldFailed != newFailed && m.nodes[i].up {
		pj := &m.nodes[j]
		if newFailed {
			m.nodes[i].failedCount++
			pj.believersFailed++
			if !pj.up {
				m.noteDetection(j, now)
			}
		} else {
			m.nodes[i].failedCount--
			pj.believersFailed--
		}
	}
	v.gen, v.hb, v.status = gen, hb, status
	m.refreshFlags(i, j, v, now)
}

// refreshFlags recomputes the ahead and wrong flags of v = view[i][j] and
// reports a change of wrongness to the recorder.
func (m *Model) refreshFlags(i, j int, v *entry, now sim.Time) {
	pj := &m.nodes[j]
	truth := pack(pj.gen, pj.hb)
	flags := uint8(0)
	if i != j && v.version() > truth {
		flags |= flagAhead
		if v.flags&flagAhead == 0 {
			pj.ahead = append(pj.ahead, int32(i))
			pj.aheadMin = min(pj.aheadMin, v.version())
		}
	}
	if i != j && (flags&flagAhead != 0 || v.status == wire.StatusFailed) {
		flags |= flagWrong
	}
	old := v.flags
	v.flags = flags
	if (old^flags)&flagWrong != 0 && m.counted(i, j) {
		if flags&flagWrong != 0 {
			m.rec.AddWrong(now, 1)
		} else {
			m.rec.AddWrong(now, -1)
		}
	}
}

// truthAdvanced rechecks the observers holding a version of j above j's old
// true version, once j's true version has caught up with the lowest of them.
func (m *Model) truthAdvanced(j int, now sim.Time) {
	pj := &m.nodes[j]
	if len(pj.ahead) == 0 || pack(pj.gen, pj.hb) < pj.aheadMin {
		return
	}
	list := pj.ahead
	pj.ahead = pj.ahead[:0:0]
	pj.aheadMin = ^uint64(0)
	for _, o := range list {
		v := &m.views[int(o)*m.n+j]
		if v.flags&flagAhead == 0 {
			continue // stale: the observer restarted since
		}
		v.flags &^= flagAhead             // re-added by refreshFlags if still ahead
		m.refreshFlags(int(o), j, v, now) // compares with the old wrong bit, still set
	}
}

// noteDetection records first and full detection of crashed node j.
func (m *Model) noteDetection(j int, now sim.Time) {
	pj := &m.nodes[j]
	if pj.believersFailed >= 1 && !pj.detected {
		pj.detected = true
		m.rec.FirstDetection(now - pj.crashedAt)
	}
	if !pj.fullyDetected && int(pj.believersFailed) >= m.rec.Live() {
		pj.fullyDetected = true
		m.rec.FullDetection(now - pj.crashedAt)
	}
}

// merge applies one received entry to observer i's view: the higher version
// wins; at equal versions the more severe status wins. A node is the authority
// on itself and ignores what others say of it.
func (m *Model) merge(i int, e *wire.Entry, now sim.Time) {
	j := int(e.Node)
	if j == i {
		return
	}
	v := &m.views[i*m.n+j]
	ev, lv := pack(e.Generation, e.Heartbeat), v.version()
	if ev > lv || (ev == lv && severity(e.Status) > severity(v.status)) {
		m.setEntry(i, j, e.Generation, e.Heartbeat, e.Status, now)
	}
}

func severity(s wire.Status) int { return int(s) }

// ahead reports whether observer i's entry for j is newer (or, at an equal
// version, more severe) than the digest entry e.
func entryAhead(v *entry, e *wire.Entry) bool {
	ev, lv := pack(e.Generation, e.Heartbeat), v.version()
	return lv > ev || (lv == ev && severity(v.status) > severity(e.Status))
}

func digestAhead(v *entry, e *wire.Entry) bool {
	ev, lv := pack(e.Generation, e.Heartbeat), v.version()
	return ev > lv || (ev == lv && severity(e.Status) > severity(v.status))
}
