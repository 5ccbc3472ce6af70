package s3gossip

import (
	"fmt"

	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Detector is how an observer decides, at each of its rounds, that a peer
// has failed. Every detector reads the same evidence: the time an
// observer's view of the peer last got a newer version (Model.since), which
// is when a heartbeat of the peer reached it through gossip. None draws
// random numbers, so every detector keeps the run's random streams as they
// are.
type Detector uint8

const (
	// DetectorTimeout declares a peer failed when its version has not gone
	// up for FailTimeout (the 2008 model).
	DetectorTimeout Detector = iota
	// DetectorSuspect suspects a peer when its version has not gone up for
	// FailTimeout and declares it failed when the suspicion has lasted
	// SuspectTimeout with no newer version refuting it, as SWIM and
	// memberlist do (suspicion.go). The suspicion is gossiped.
	DetectorSuspect
	// DetectorPhi is the φ-accrual detector of Hayashibara et al. (2004) as
	// Cassandra implements it: it declares a peer failed when φ passes
	// PhiThreshold, φ learned from a window of the peer's interarrival
	// times (phi.go).
	DetectorPhi
)

// The detectors and their names, in the order errors list them.
var (
	detectors     = []Detector{DetectorTimeout, DetectorSuspect, DetectorPhi}
	detectorNames = []string{"timeout", "suspect", "phi"}
)

// String is the detector's parameter value.
func (d Detector) String() string {
	if int(d) < len(detectorNames) {
		return detectorNames[d]
	}
	return fmt.Sprintf("Detector(%d)", d)
}

// detectFailures runs observer i's failure detector at its round.
func (m *Model) detectFailures(i int, now sim.Time) {
	switch m.cfg.Detector {
	case DetectorSuspect:
		m.detectSuspect(i, now)
	case DetectorPhi:
		m.detectPhi(i, now)
	default:
		m.detectTimeout(i, now)
	}
}

// declareFailed is observer i's own detector declaring peer j failed (at
// the version it holds): counted, and a false failure if j is up.
func (m *Model) declareFailed(i, j int, ver uint64, now sim.Time) {
	m.rec.FailureDeclarations++
	if m.trace != nil {
		m.traceDeclared(i, j, now)
	}
	if m.nodes[j].up {
		m.rec.FalseFailures++
		m.noteFalseFailure(i, j)
	}
	m.setEntry(i, j, ver, wire.StatusFailed, now)
}

// detectTimeout declares failed every peer whose version has not gone up
// for FailTimeout.
//
// Every write of an entry's time sets it to the current time, so the oldest
// time among the entries not failed can only go up between scans: the scan
// records it (staleFrom) and the next rounds skip the scan until the
// deadline passes it, which declares exactly what scanning every round would.
func (m *Model) detectTimeout(i int, now sim.Time) {
	deadline := msOf(now - m.localSpan(i, now, m.cfg.FailTimeout))
	nd := &m.nodes[i]
	if deadline <= nd.staleFrom {
		return // no entry not failed is older than staleFrom
	}
	oldest := msOf(now)
	ver, since, sf := m.row(i)
	for j := range since {
		if statusOf(sf[j]) == wire.StatusFailed || j == i {
			continue
		}
		if since[j] < deadline {
			m.declareFailed(i, j, ver[j], now)
			continue
		}
		oldest = min(oldest, since[j])
	}
	nd.staleFrom = oldest
}

// settleTime is how long the wrong-view fraction must stay 0 for a run to
// count as recovered: twice the longest an observer can wait on a silent
// peer before declaring it failed.
func (c Config) settleTime() sim.Time {
	switch c.Detector {
	case DetectorSuspect:
		return 2 * (c.FailTimeout + c.SuspectTimeout)
	case DetectorPhi:
		return 2 * max(c.FailTimeout, timeOfMs(phiSpan(c.PhiThreshold, float64(phiMaxInterval(c.GossipInterval)))))
	}
	return 2 * c.FailTimeout
}
