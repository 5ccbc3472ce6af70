package s3gossip

import (
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// The suspect detector (DetectorSuspect): alive -> suspect -> failed, with
// refutation by a newer heartbeat, as SWIM (Das, Gupta and Motivala 2002)
// and hashicorp/memberlist do.
//
//   - An observer suspects a peer whose version has not gone up for
//     FailTimeout: its entry's status becomes wire.StatusSuspect, at the
//     version it holds.
//   - The suspicion is gossiped. The entry carries StatusSuspect in digests,
//     replies, deltas and full views like any status, and merging keeps, at
//     equal versions, the more severe status: an observer holding the same
//     version takes the suspicion and starts its own suspicion timer (as a
//     memberlist member does on a suspect message). An observer holding a
//     newer version ignores it. No failure notices are sent about a
//     suspect peer; they start when it is declared failed.
//   - Any newer version refutes the suspicion: the peer's own heartbeat
//     raises its version every round, and a newer version merged with
//     status alive ends the suspicion wherever it arrives (the role of
//     memberlist's alive message with a higher incarnation).
//   - A suspicion that has lasted SuspectTimeout unrefuted becomes a
//     failure declaration, counted in FailureDeclarations (and
//     FalseFailures if the peer is up) as the timeout detector's are.
//
// The suspicion's start is the entry's time (Model.since), which
// setEntry sets when an entry becomes suspect, so the detector needs no
// state beyond the views: 0 bytes a pair.

// detectSuspect suspects every alive peer whose version has not gone up for
// FailTimeout, and declares failed every peer suspected for SuspectTimeout.
// It scans the whole view every round: O(nodes), as building the round's
// digest is.
func (m *Model) detectSuspect(i int, now sim.Time) {
	suspectBefore := msOf(now - m.localSpan(i, now, m.cfg.FailTimeout))
	failBefore := msOf(now - m.localSpan(i, now, m.cfg.SuspectTimeout))
	ver, since, sf := m.row(i)
	for j := range since {
		if j == i {
			continue
		}
		switch statusOf(sf[j]) {
		case wire.StatusAlive:
			if since[j] < suspectBefore {
				m.suspicions++
				if m.nodes[j].up {
					m.falseSuspicions++
				}
				m.setEntry(i, j, ver[j], wire.StatusSuspect, now)
			}
		case wire.StatusSuspect:
			if since[j] < failBefore {
				m.declareFailed(i, j, ver[j], now)
			}
		}
	}
}

// Suspicions is the number of times an observer's own suspect detector
// suspected a peer (suspicions learned through gossip are not counted).
func (m *Model) Suspicions() int64 { return m.suspicions }

// FalseSuspicions is the number of Suspicions about a peer that was up.
func (m *Model) FalseSuspicions() int64 { return m.falseSuspicions }

// Refutations is the number of times a newer version ended a suspicion:
// an observer's suspect entry became alive, however it learned the
// suspicion.
func (m *Model) Refutations() int64 { return m.refutations }
