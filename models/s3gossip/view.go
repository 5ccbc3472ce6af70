package s3gossip

import (
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// entry is one observer's belief about one peer, 16 bytes.
type entry struct {
	ver    uint64 // the version: generation and heartbeat, as pack makes it
	since  int32  // milliseconds: when the version last went up (alive) or the failure was learned (failed)
	status wire.Status
	flags  uint8
}

const (
	flagWrong uint8 = 1 << iota // believes a live-or-not peer failed, or holds a version it never issued
	flagAhead                   // holds a version above the peer's true version (never issued)
)

// pack is the version (gen, hb) as one number ordered as the pair is:
// generation in the high 32 bits, heartbeat in the low.
func pack(gen, hb uint32) uint64 { return uint64(gen)<<32 | uint64(hb) }

// generation and heartbeat split a packed version.
func generation(ver uint64) uint32 { return uint32(ver >> 32) }
func heartbeat(ver uint64) uint32  { return uint32(ver) }

func (e *entry) version() uint64 { return e.ver }

// wireEntry is v, observer's entry for peer j, as a message carries it.
func wireEntry(j int, v *entry) wire.Entry { return wire.EntryOf(uint32(j), v.ver, v.status) }

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
func (m *Model) setEntry(i, j int, ver uint64, status wire.Status, now sim.Time) {
	v := &m.views[i*m.n+j]
	oldFailed := v.status == wire.StatusFailed
	newFailed := status == wire.StatusFailed
	versionUp := ver > v.ver
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
	v.ver, v.status = ver, status
	m.refreshFlags(i, j, v, now)
}

// refreshFlags recomputes the ahead and wrong flags of v = view[i][j] and
// reports a change of wrongness to the recorder.
func (m *Model) refreshFlags(i, j int, v *entry, now sim.Time) {
	pj := &m.nodes[j]
	truth := m.truth[j]
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
	if len(pj.ahead) == 0 || m.truth[j] < pj.aheadMin {
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

// mergeAll applies the received entries to observer i's view, one by one
// (see merge), at time now.
//
// The common case, where nothing becomes wrong, is a newer version the peer
// did issue, with the status i already holds and i's entry not wrong (so
// not failed): setEntry would only raise the version and its time, and the
// loop does that itself. A digest reply or a delta carries entries newer
// than the receiver's, nearly always, so testing for that case is a branch
// the processor predicts; in a full view it goes either way at random, so
// mergeView tests it without a branch.
func (m *Model) mergeAll(i int, entries []wire.Entry, now sim.Time) {
	row, truth, ms := m.row(i), m.truth, msOf(now)
	for k := range entries {
		e := &entries[k]
		j := int(e.Node)
		v := &row[j]
		ev := e.Version()
		if ev > v.ver && e.Status == v.status && v.flags == 0 && ev <= truth[j] && j != i {
			v.ver, v.since = ev, ms
			continue
		}
		if ev > v.ver || (ev == v.ver && severity(e.Status) > severity(v.status)) {
			m.merge(i, j, v, ev, e.Status, now)
		}
	}
}

// mergeView is mergeAll for a full view, without a branch on whether an
// entry is newer.
func (m *Model) mergeView(i int, entries []wire.Entry, now sim.Time) {
	row, truth, ms := m.row(i), m.truth, msOf(now)
	for k := range entries {
		e := &entries[k]
		j := int(e.Node)
		v := &row[j]
		ev, lv := e.Version(), v.ver
		fast := bit(ev > lv) & bit(e.Status == v.status) & bit(v.flags == 0) & bit(ev <= truth[j]) & bit(j != i)
		nv, ns := lv, v.since
		if fast == 1 {
			nv, ns = ev, ms
		}
		v.ver, v.since = nv, ns
		// Otherwise merge if newer, or as new and more severe (rare; the
		// test has no branch on the random part).
		if (1-fast)&(bit(ev > lv)|bit(ev == lv)&bit(e.Status > v.status)) == 1 {
			m.merge(i, j, v, ev, e.Status, now)
		}
	}
}

// merge applies one received entry (peer j, version ev, status) to observer
// i's entry v for j: the higher version wins; at equal versions the more
// severe status wins. A node is the authority on itself and ignores what
// others say of it.
func (m *Model) merge(i, j int, v *entry, ev uint64, status wire.Status, now sim.Time) {
	if j == i {
		return
	}
	if ev > v.ver || (ev == v.ver && severity(status) > severity(v.status)) {
		m.setEntry(i, j, ev, status, now)
	}
}

func severity(s wire.Status) int { return int(s) }
