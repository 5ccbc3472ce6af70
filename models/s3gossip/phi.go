package s3gossip

import (
	"math"

	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// The φ-accrual detector (DetectorPhi), after Hayashibara, Défago, Yared
// and Katayama, "The φ accrual failure detector" (SRDS 2004), as Apache
// Cassandra implements it (org.apache.cassandra.gms.FailureDetector and
// ArrivalWindow, CASSANDRA-2597).
//
// An arrival is a newer version of peer j reaching observer i: a merged
// entry raising i's view of j (a heartbeat of j, however many hops it took).
// Per (observer, peer) pair the observer keeps a window of the last
// PhiWindow interarrival times. As in Cassandra:
//
//   - the window starts with one sample, twice the gossip interval
//     (Cassandra's fd_initial_value_ms, 2 × its 1 s gossip interval: "it's
//     better to err high"), at time 0 and whenever the observer's view is
//     cleared (a restart, a reset);
//   - an interval longer than twice the gossip interval (Cassandra's
//     fd_max_interval_ms, which defaults to the initial value) is not
//     recorded, though the arrival still counts as the latest;
//   - φ is computed with the exponential distribution Cassandra uses
//     instead of the paper's normal one: with Δ the time since the last
//     arrival and μ the window's mean interval,
//
//     φ(Δ) = -log10(P_later(Δ)), P_later(Δ) = exp(-Δ/μ), so φ = Δ / (μ ln 10)
//
//     (Cassandra computes Δ/μ and multiplies by PHI_FACTOR = 1/ln 10
//     before comparing with phi_convict_threshold);
//   - the peer is declared failed when φ > PhiThreshold, that is when
//     Δ > PhiThreshold · ln 10 · μ, with Δ in whole milliseconds (the
//     views' clock) and checked at the observer's rounds, as Cassandra's
//     gossiper checks at its own (once a second). An arrival to an entry already failed
//     records no interval (it measures from the declaration, not from an
//     arrival).
//
// φ is monotone in Δ between arrivals, so the observer stores, at each
// arrival, how long after it φ will pass the threshold (a span in
// milliseconds), and its round compares the time since the last arrival
// (the entry's time, Model.since, which for an entry not failed is its last
// arrival) with the span: the same decision as computing φ, in O(1) a pair.
//
// State per pair: PhiWindow 2-byte intervals (milliseconds), one byte of
// fill and position, and the 4-byte span: 2 × PhiWindow + 5 bytes, 21
// bytes at the default window of 8 (the views take 13): 2.1 GB at 10,000
// nodes, 21 MB at 1,000. Only a run with DetectorPhi allocates it. A
// window holding only its initial sample is its zero value (fill 0), so
// allocating the state touches no memory, and clearing a row is two
// clears.

// MaxPhiWindow is the largest PhiWindow (the fill byte holds up to 2 ×
// the window).
const MaxPhiWindow = 100

// MaxPhiThreshold is the largest PhiThreshold.
const MaxPhiThreshold = 1000

// MaxPhiGossipInterval is the longest gossip interval the φ detector
// allows: intervals up to twice the gossip interval are kept in 16-bit
// milliseconds.
const MaxPhiGossipInterval = 30 * sim.Second

// phiPairBytes is the φ detector's state per (observer, peer) pair for a
// window of w samples.
func phiPairBytes(w int) int { return 2*w + 5 }

// Phi is φ-accrual's suspicion level with the exponential distribution
// Cassandra uses: φ = -log10(exp(-Δ/μ)) = Δ / (μ ln 10), for the time
// sinceLast (Δ) since the last arrival and the mean interarrival time mean
// (μ), both in the same unit.
func Phi(sinceLast, mean sim.Time) float64 {
	return float64(sinceLast) / (float64(mean) * math.Ln10)
}

// phiSpan is how long after an arrival φ passes threshold, in whole
// milliseconds, for a mean interval of meanMs: the largest Δ with
// Δ / (μ ln 10) <= threshold, so that φ > threshold exactly when Δ is
// longer.
func phiSpan(threshold, meanMs float64) int32 {
	return int32(min(math.Floor(threshold*math.Ln10*meanMs), math.MaxInt32))
}

// phiMaxInterval is the longest interval recorded (and the initial sample):
// twice the gossip interval, in milliseconds.
func phiMaxInterval(gossipInterval sim.Time) int32 { return msOf(2 * gossipInterval) }

// phiWindows is the φ detector's state for every (observer, peer) pair x
// (x = observer × nodes + peer), in parallel arrays as the views are.
type phiWindows struct {
	w         int      // samples per window (PhiWindow)
	intervals []uint16 // w per pair: interarrival times in ms, a ring
	// fill is per pair: 0 when the window holds only its initial sample
	// (not stored), 1 to w-1 the samples held (the next slot), w + the
	// next slot to overwrite once full.
	fill        []uint8
	span        []int32 // per pair, unless fill is 0: ms after the last arrival at which φ passes the threshold
	threshold   float64 // PhiThreshold
	initial     int32   // ms: the first sample of a window, and the longest recorded
	initialSpan int32   // the span of a window holding only its initial sample
}

func newPhiWindows(n int, p Params) *phiWindows {
	initial := phiMaxInterval(p.GossipInterval)
	return &phiWindows{
		w:           p.PhiWindow,
		intervals:   make([]uint16, n*n*p.PhiWindow),
		fill:        make([]uint8, n*n),
		span:        make([]int32, n*n),
		threshold:   p.PhiThreshold,
		initial:     initial,
		initialSpan: phiSpan(p.PhiThreshold, float64(initial)),
	}
}

// restart empties the windows of pairs [from, to) down to their initial
// sample.
func (pw *phiWindows) restart(from, to int) {
	clear(pw.fill[from:to])
	clear(pw.span[from:to])
}

// samples returns pair x's intervals (in ring order, not arrival order);
// nil when it holds only its initial sample.
func (pw *phiWindows) samples(x int) []uint16 {
	ring := pw.intervals[x*pw.w : (x+1)*pw.w]
	if f := int(pw.fill[x]); f < pw.w {
		return ring[:f]
	}
	return ring
}

// mean is pair x's mean interval, in ms.
func (pw *phiWindows) mean(x int) float64 {
	s := pw.samples(x)
	if len(s) == 0 {
		return float64(pw.initial)
	}
	sum := 0
	for _, v := range s {
		sum += int(v)
	}
	return float64(sum) / float64(len(s))
}

// spanOf is how long after its last arrival pair x's φ passes the
// threshold, in ms.
func (pw *phiWindows) spanOf(x int) int32 {
	if pw.fill[x] == 0 {
		return pw.initialSpan
	}
	return pw.span[x]
}

// arrive records at pair x an interval (ms since the last arrival); record
// is false when it does not count (the entry was failed), and an interval
// longer than the initial sample is not recorded either, as in Cassandra.
func (pw *phiWindows) arrive(x int, interval int32, record bool) {
	if !record || interval < 0 || interval > pw.initial {
		return
	}
	ring := pw.intervals[x*pw.w : (x+1)*pw.w]
	f := int(pw.fill[x])
	if f == 0 { // store the initial sample before the first recorded one
		ring[0] = uint16(pw.initial)
		f = 1
		if pw.w == 1 {
			f = pw.w // full, the next slot 0
		}
	}
	slot := f
	if f >= pw.w {
		slot = f - pw.w
	}
	ring[slot] = uint16(interval)
	switch {
	case f+1 < pw.w:
		pw.fill[x] = uint8(f + 1)
	case f < pw.w: // now full; the next slot is 0
		pw.fill[x] = uint8(pw.w)
	default:
		pw.fill[x] = uint8(pw.w + (slot+1)%pw.w)
	}
	pw.span[x] = phiSpan(pw.threshold, pw.mean(x))
}

// noteArrivals records, before observer i merges a received message's
// entries, every arrival the merge will make: each peer whose version the
// entries raise (merging always takes a higher version), once per message.
// The interval is from the entry's time (Model.since), which for an entry
// not failed is its last arrival; the merge then sets that time to now.
func (m *Model) noteArrivals(i int, entries []wire.Entry, now sim.Time) {
	ver, since, sf := m.row(i)
	ms := msOf(now)
	m.arrivalMark++
	if m.arrivalMark == 0 { // wrapped: forget every mark
		clear(m.arrivalSeen)
		m.arrivalMark = 1
	}
	base := i * m.n
	for k := range entries {
		e := &entries[k]
		j := int(e.Node)
		if j == i || e.Version() <= ver[j] || m.arrivalSeen[j] == m.arrivalMark {
			continue
		}
		m.arrivalSeen[j] = m.arrivalMark
		m.phi.arrive(base+j, ms-since[j], statusOf(sf[j]) != wire.StatusFailed)
	}
}

// detectPhi declares failed every peer whose φ has passed PhiThreshold:
// longer since its last arrival than its window's span.
func (m *Model) detectPhi(i int, now sim.Time) {
	ms := msOf(now)
	ver, since, sf := m.row(i)
	base := i * m.n
	for j := range since {
		if ms-since[j] > m.phi.spanOf(base+j) && j != i && statusOf(sf[j]) != wire.StatusFailed {
			m.declareFailed(i, j, ver[j], now)
		}
	}
}

// restartPhiRow starts observer i's windows afresh (its view was cleared:
// every entry's time, the last arrival, is now).
func (m *Model) restartPhiRow(i int) { m.phi.restart(i*m.n, (i+1)*m.n) }

// Phi is observer's φ of peer now (Phi of the time since the peer's last
// arrival and the window's mean), for tests and inspection; NaN unless the
// run uses DetectorPhi.
func (m *Model) Phi(observer, peer int) float64 {
	if m.phi == nil {
		return math.NaN()
	}
	x := observer*m.n + peer
	mean := sim.Time(m.phi.mean(x) * float64(sim.Millisecond))
	return Phi(m.eng.Now()-timeOfMs(m.since[x]), mean)
}
