package s3gossip

import (
	"github.com/gossipsim/gossipsim/models/transport"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// The views: every observer's belief about every peer, n×n row-major by
// observer, kept as three parallel arrays (Model.ver, Model.since,
// Model.sf), 13 bytes a pair. Comparing a digest reads the versions and the
// status byte only, and the arrays are dense.
//
//   - ver: the version, generation and heartbeat as pack makes them;
//   - since: milliseconds, when the version last went up (alive) or the
//     failure was learned (failed);
//   - sf: the status (wire.Status, low two bits) and the flags below.
const (
	statusBits uint8 = 3      // sf's status (wire.Status values 0 to 2)
	flagWrong  uint8 = 1 << 2 // believes a live-or-not peer failed, or holds a version it never issued
	flagAhead  uint8 = 1 << 3 // holds a version above the peer's true version (never issued)
	flagBits         = flagWrong | flagAhead
)

// statusOf is the status in an sf byte.
func statusOf(sf uint8) wire.Status { return wire.Status(sf & statusBits) }

// pack is the version (gen, hb) as one number ordered as the pair is:
// generation in the high 32 bits, heartbeat in the low.
func pack(gen, hb uint32) uint64 { return uint64(gen)<<32 | uint64(hb) }

// generation and heartbeat split a packed version.
func generation(ver uint64) uint32 { return uint32(ver >> 32) }
func heartbeat(ver uint64) uint32  { return uint32(ver) }

// wireEntry is the belief about peer j with version ver and sf byte sf, as
// a message carries it.
func wireEntry(j int, ver uint64, sf uint8) wire.Entry {
	return wire.EntryOf(uint32(j), ver, statusOf(sf))
}

func msOf(t sim.Time) int32 { return int32(t / sim.Millisecond) }

func timeOfMs(ms int32) sim.Time { return sim.Time(ms) * sim.Millisecond }

// MaxDuration is the longest horizon the model supports (entry times are kept in int32 milliseconds).
const MaxDuration = 24 * 24 * sim.Hour

// row returns observer i's view: its versions, times and sf bytes.
func (m *Model) row(i int) (ver []uint64, since []int32, sf []uint8) {
	a, b := i*m.n, (i+1)*m.n
	return m.ver[a:b], m.since[a:b], m.sf[a:b]
}

// clearRow sets observer i's view to knowing every peer at version 0
// (alive) since now, and itself at its true version.
func (m *Model) clearRow(i int, now sim.Time) {
	if m.trace != nil {
		m.traceClearRow(i, now)
	}
	ver, since, sf := m.row(i)
	clear(ver)
	clear(sf)
	ms := msOf(now)
	for j := range since {
		since[j] = ms
	}
	ver[i] = m.truth[i]
	if m.phi != nil {
		m.restartPhiRow(i)
	}
}

// counted reports whether the pair (observer i, peer j) is in the wrong-view denominator.
func (m *Model) counted(i, j int) bool { return i != j && m.nodes[i].up && m.nodes[j].up }

// setEntry is the single place an observer's view of a peer changes: it keeps
// the wrong-view count, failure beliefs, detection and ahead lists consistent.
func (m *Model) setEntry(i, j int, ver uint64, status wire.Status, now sim.Time) {
	x := i*m.n + j
	oldVer, oldSF := m.ver[x], m.sf[x]
	oldStatus := statusOf(oldSF)
	oldFailed := oldStatus == wire.StatusFailed
	newFailed := status == wire.StatusFailed
	versionUp := ver > m.ver[x]
	// With the suspect detector, the time of a suspect entry is when the
	// suspicion started (suspicion.go).
	suspected := m.cfg.Detector == DetectorSuspect && status == wire.StatusSuspect && oldStatus != wire.StatusSuspect
	if versionUp || oldFailed != newFailed || suspected {
		m.since[x] = msOf(now)
	}
	if oldStatus == wire.StatusSuspect && status == wire.StatusAlive && m.cfg.Detector == DetectorSuspect {
		m.refutations++ // a newer version (an alive one needs a higher version)
	}
	if oldFailed && !newFailed && m.nodes[j].up && m.nodes[i].up {
		m.rec.FalseBeliefEnded(now - timeOfMs(m.since[x]))
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
	m.ver[x] = ver
	m.sf[x] = m.sf[x]&flagBits | uint8(status)
	m.refreshFlags(i, j, now)
	if m.trace != nil {
		m.traceUpdate(i, j, oldVer, oldSF, now)
	}
}

// refreshFlags recomputes the ahead and wrong flags of observer i's entry
// for j and reports a change of wrongness to the recorder.
func (m *Model) refreshFlags(i, j int, now sim.Time) {
	x := i*m.n + j
	pj := &m.nodes[j]
	ver, sf := m.ver[x], m.sf[x]
	flags := uint8(0)
	if i != j && ver > m.truth[j] {
		flags |= flagAhead
		if sf&flagAhead == 0 {
			pj.ahead = append(pj.ahead, int32(i))
			pj.aheadMin = min(pj.aheadMin, ver)
		}
	}
	if i != j && (flags&flagAhead != 0 || statusOf(sf) == wire.StatusFailed) {
		flags |= flagWrong
	}
	m.sf[x] = sf&statusBits | flags
	if (sf^flags)&flagWrong != 0 && m.counted(i, j) {
		if flags&flagWrong != 0 {
			m.rec.AddWrong(now, 1)
		} else {
			m.rec.AddWrong(now, -1)
		}
	}
	if m.sp != nil {
		m.recheck(i, j, now) // spread.go
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
		x := int(o)*m.n + j
		if m.sf[x]&flagAhead == 0 {
			continue // stale: the observer restarted since
		}
		was := m.sf[x]
		m.sf[x] &^= flagAhead          // re-added by refreshFlags if still ahead
		m.refreshFlags(int(o), j, now) // compares with the old wrong bit, still set
		if m.trace != nil {
			m.traceUpdate(int(o), j, m.ver[x], was, now) // the wrongness, if it changed
		}
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
// not failed; no flags): setEntry would only raise the version and its
// time, and the loop does that itself. A digest reply or a delta carries
// entries newer than the receiver's, nearly always, so testing for that case
// is a branch the processor predicts; in a full view it goes either way at
// random, so mergeView tests it without a branch.
func (m *Model) mergeAll(i int, entries []wire.Entry, now sim.Time) {
	ver, since, sf := m.row(i)
	truth, ms := m.truth, msOf(now)
	for k := range entries {
		e := &entries[k]
		j := int(e.Node)
		ev, lv := e.Version(), ver[j]
		if ev > lv && uint8(e.Status) == sf[j] && ev <= truth[j] && j != i {
			ver[j], since[j] = ev, ms
			continue
		}
		if ev > lv || (ev == lv && severity(e.Status) > severity(statusOf(sf[j]))) {
			m.merge(i, j, ev, e.Status, now)
		}
	}
}

// mergeColumns is mergeAll for entries of one generation given column by
// column (their nodes cols.Nodes, or 0, 1, 2, ... when nil).
func (m *Model) mergeColumns(i int, cols *transport.Columns, now sim.Time) {
	ver, since, sf := m.row(i)
	truth, ms := m.truth, msOf(now)
	g := uint64(cols.Gen) << 32
	hbs, nodes := cols.Heartbeats, cols.Nodes
	sts := cols.Statuses[:len(hbs)]
	for k, hb := range hbs {
		j := k
		if nodes != nil {
			j = int(nodes[k])
		}
		ev, lv, st := g|uint64(hb), ver[j], sts[k]
		if ev > lv && uint8(st) == sf[j] && ev <= truth[j] && j != i {
			ver[j], since[j] = ev, ms
			continue
		}
		if ev > lv || (ev == lv && severity(st) > severity(statusOf(sf[j]))) {
			m.merge(i, j, ev, st, now)
		}
	}
}

// mergeView is mergeAll for a full view, without a branch on whether an
// entry is newer.
func (m *Model) mergeView(i int, entries []wire.Entry, now sim.Time) {
	ver, since, sf := m.row(i)
	truth, ms := m.truth, msOf(now)
	for k := range entries {
		e := &entries[k]
		j := int(e.Node)
		ev, lv, f := e.Version(), ver[j], sf[j]
		fast := bit(ev > lv) & bit(uint8(e.Status) == f) & bit(ev <= truth[j]) & bit(j != i)
		nv, ns := lv, since[j]
		if fast == 1 {
			nv, ns = ev, ms
		}
		ver[j], since[j] = nv, ns
		// Otherwise merge if newer, or as new and more severe (rare; the
		// test has no branch on the random part).
		if (1-fast)&(bit(ev > lv)|bit(ev == lv)&bit(e.Status > statusOf(f))) == 1 {
			m.merge(i, j, ev, e.Status, now)
		}
	}
}

// merge applies one received entry (peer j, version ev, status) to observer
// i's view: the higher version wins; at equal versions the more severe
// status wins. A node is the authority on itself and ignores what others
// say of it.
func (m *Model) merge(i, j int, ev uint64, status wire.Status, now sim.Time) {
	if j == i {
		return
	}
	x := i*m.n + j
	if lv := m.ver[x]; ev > lv || (ev == lv && severity(status) > severity(statusOf(m.sf[x]))) {
		m.setEntry(i, j, ev, status, now)
	}
}

func severity(s wire.Status) int { return int(s) }
