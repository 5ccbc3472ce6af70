package s3gossip

import (
	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/transport"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// The model's events for the run's trace (Config.Trace), besides the
// message path's (package transport):
//
//   - update: an observer's entry for a peer changed (setEntry, and the
//     merges' fast paths, which a traced run takes entry by entry through
//     setEntry, see processTraced); or its wrongness changed with the entry
//     as it was (a peer's true version caught up with a version the
//     observer held ahead of it, truthAdvanced; a peer restarted with a new
//     generation). Peer is the sender of the message being merged (the
//     true one, as the path's events name it, whatever a corrupted
//     message's bytes say), -1 for the observer's own detector, a restart or
//     a reset. An observer's entry for itself (its own heartbeat, every
//     round) is not traced.
//   - declare-failed: an observer's own detector (timeout, suspect or φ)
//     declared a peer failed; False when the peer was up.
//   - crash, restart: random and scheduled. At a restart the node's view is
//     cleared: an update for every entry it changes (version 0, alive).
//   - reset: the operators' reset, "decided", "cleared" (every view cleared,
//     an update for every entry changed) and "restored"; Node -1.
//
// Like the path's hooks they only read: a traced run's results are those
// of the same run untraced (TestTraceSameResults).

// traceEvent records e if the tracer wants its kind now; e's Time and Kind
// are set, the rest as the caller filled it.
func (m *Model) traceEvent(k trace.Kind, node, subject int, now sim.Time) *trace.Event {
	if !m.trace.Wants(k, now) {
		return nil
	}
	e := &m.tev
	*e = trace.Event{Time: now, Kind: k, Node: int32(node), Peer: -1, Subject: int32(subject)}
	return e
}

// traceUpdate records the change of observer i's entry for j from (oldVer,
// oldSF) to what it holds now, if anything the trace shows changed.
func (m *Model) traceUpdate(i, j int, oldVer uint64, oldSF uint8, now sim.Time) {
	x := i*m.n + j
	newVer, newSF := m.ver[x], m.sf[x]
	if oldVer == newVer && statusOf(oldSF) == statusOf(newSF) && oldSF&flagWrong == newSF&flagWrong {
		return
	}
	e := m.traceEvent(trace.Update, i, j, now)
	if e == nil {
		return
	}
	e.Peer = m.from
	e.OldVersion, e.NewVersion = oldVer, newVer
	e.OldStatus, e.NewStatus = statusOf(oldSF), statusOf(newSF)
	e.WasWrong, e.Wrong = oldSF&flagWrong != 0, newSF&flagWrong != 0
	m.trace.Record(e)
}

// traceClearRow records the updates of clearing observer i's view (every
// entry but its own to version 0, alive, not wrong), before it is cleared.
func (m *Model) traceClearRow(i int, now sim.Time) {
	if !m.trace.Wants(trace.Update, now) {
		return
	}
	ver, _, sf := m.row(i)
	for j := range ver {
		if j == i || (ver[j] == 0 && sf[j] == 0) {
			continue
		}
		e := m.traceEvent(trace.Update, i, j, now)
		e.OldVersion, e.OldStatus, e.WasWrong = ver[j], statusOf(sf[j]), sf[j]&flagWrong != 0
		e.NewStatus = wire.StatusAlive
		m.trace.Record(e)
	}
}

// traceNode records a crash, restart or reset phase (node -1: the fleet).
func (m *Model) traceNode(k trace.Kind, node int, reason string) {
	if m.trace == nil {
		return
	}
	if e := m.traceEvent(k, node, -1, m.eng.Now()); e != nil {
		e.Reason = reason
		m.trace.Record(e)
	}
}

// traceDeclared records observer i's own detector declaring j failed.
func (m *Model) traceDeclared(i, j int, now sim.Time) {
	if e := m.traceEvent(trace.DeclareFailed, i, j, now); e != nil {
		e.False = m.nodes[j].up
		m.trace.Record(e)
	}
}

// processTraced is process's reading of a message when a tracer is set: when
// it wants updates, a message that is merged is merged entry by entry
// through merge and setEntry, which trace every change, rather than by the
// fast loops (mergeAll, mergeView, mergeColumns), which raise versions
// without setEntry. Both give the same views, counts and flags: the fast
// loops only take entries for which setEntry would raise the version and
// its time and nothing else (TestTraceSameResults).
func (m *Model) processTraced(i int, msg *wire.Message, cols *transport.Columns, now sim.Time) {
	switch msg.Kind {
	case wire.KindFullView, wire.KindDelta, wire.KindFailureNotice, wire.KindDigestReply:
	default:
		m.read(i, msg, cols, now)
		return
	}
	if !m.trace.Wants(trace.Update, now) {
		m.read(i, msg, cols, now)
		return
	}
	entries := msg.Entries
	if cols != nil {
		m.unpacked = cols.Unpack(m.unpacked)
		entries = m.unpacked
	}
	if m.phi != nil {
		m.noteArrivals(i, entries, now) // before the merge raises the versions
	}
	m.from = m.tr.TraceSender() // the true sender, whatever a corrupted message says
	for k := range entries {
		e := &entries[k]
		m.merge(i, int(e.Node), e.Version(), e.Status, now)
	}
	m.from = -1
	if msg.Kind == wire.KindDigestReply {
		m.sendDelta(i, msg)
	}
}
