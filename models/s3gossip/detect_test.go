package s3gossip

import (
	"math"
	"testing"

	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// TestPhiClosedForm feeds a known interarrival history to one φ window
// (4 samples, threshold 8, gossip interval 1 s) and checks the window's
// mean, φ and the span after the last arrival at which φ passes 8 against
// their closed forms, φ = Δ / (μ ln 10) and span = floor(8 ln 10 μ), with
// the numbers written out.
func TestPhiClosedForm(t *testing.T) {
	p := DefaultParams()
	p.PhiWindow = 4
	pw := newPhiWindows(1, p) // one pair, x = 0
	steps := []struct {
		name     string
		interval int32 // ms; 0 for the initial state
		record   bool
		mean     float64 // ms
		span     int32   // ms
	}{
		// Cassandra's first sample is twice the gossip interval: 2000 ms.
		{"initial sample", 0, false, 2000, 36841}, // floor(8 ln 10 × 2000) = floor(36841.36)
		{"1000 ms", 1000, true, 1500, 27631},
		{"500 ms", 500, true, 3500.0 / 3, 21490},
		{"1500 ms", 1500, true, 1250, 23025},
		{"3000 ms is above the 2000 ms cap: not recorded", 3000, true, 1250, 23025},
		{"failed entry: not recorded", 500, false, 1250, 23025},
		{"window full: 1000 ms replaces the oldest (2000)", 1000, true, 1000, 18420},
		{"then 700 ms replaces 1000", 700, true, 925, 17039},
	}
	for k, s := range steps {
		if k > 0 {
			pw.arrive(0, s.interval, s.record)
		}
		if got := pw.mean(0); math.Abs(got-s.mean) > 1e-9 {
			t.Errorf("%s: mean %v ms, want %v", s.name, got, s.mean)
		}
		if got := pw.spanOf(0); got != s.span {
			t.Errorf("%s: span %d ms, want %d", s.name, got, s.span)
		}
	}
	// φ with μ = 1250 ms after Δ = 5 s: 5000 / (1250 ln 10) = 4 / ln 10.
	if got, want := Phi(5*sim.Second, 1250*sim.Millisecond), 1.7371779276130073; math.Abs(got-want) > 1e-15 {
		t.Errorf("Phi(5 s, 1.25 s) = %.17g, want %.17g", got, want)
	}
	// The span is where φ crosses 8: φ at the span is at most 8, one
	// millisecond later above it.
	for _, mean := range []float64{925, 1000, 1250, 2000} {
		span := phiSpan(8, mean)
		mu := sim.Time(mean * float64(sim.Millisecond))
		if lo, hi := Phi(timeOfMs(span), mu), Phi(timeOfMs(span+1), mu); lo > 8 || hi <= 8 {
			t.Errorf("mean %v ms: φ at the span %d ms = %v, 1 ms later %v; want <= 8 then > 8", mean, span, lo, hi)
		}
	}
	// A window of one sample keeps only the latest interval.
	p.PhiWindow = 1
	one := newPhiWindows(1, p)
	for _, iv := range []int32{800, 600} {
		one.arrive(0, iv, true)
		if got := one.mean(0); got != float64(iv) {
			t.Errorf("window of 1 after %d ms: mean %v", iv, got)
		}
	}
}

// TestNoteArrivals: the arrivals a received message makes are the entries
// newer than the receiver's view, once per peer however often the message
// names it, and each adds the time since the entry's last arrival.
func TestNoteArrivals(t *testing.T) {
	c := smallConfig()
	c.Nodes = 4
	c.FailureFanout = 1
	c.Detector = DetectorPhi
	m := newModel(t, c, 1)
	// Observer 0 last saw 1 at 1.0 s, 2 at 1.2 s and 3 (believed failed) at 0.9 s.
	set := func(j int, ver uint64, ms int32, st wire.Status) {
		x := 0*m.n + j
		m.ver[x], m.since[x], m.sf[x] = ver, ms, uint8(st)
	}
	set(1, pack(1, 10), 1000, wire.StatusAlive)
	set(2, pack(1, 10), 1200, wire.StatusAlive)
	set(3, pack(1, 10), 900, wire.StatusFailed)
	entries := []wire.Entry{
		wire.EntryOf(1, pack(1, 11), wire.StatusAlive), // newer: an arrival 600 ms after the last
		wire.EntryOf(2, pack(1, 10), wire.StatusAlive), // as old: none
		wire.EntryOf(1, pack(1, 12), wire.StatusAlive), // 1 again: still one arrival
		wire.EntryOf(3, pack(1, 11), wire.StatusAlive), // newer, but 3 was failed: no interval
		wire.EntryOf(0, pack(9, 9), wire.StatusFailed), // about the observer itself: ignored
	}
	m.noteArrivals(0, entries, 1600*sim.Millisecond)
	if got := m.phi.samples(1); len(got) != 2 || got[0] != 2000 || got[1] != 600 {
		t.Errorf("peer 1's window %v, want [2000 600]", got)
	}
	for _, j := range []int{0, 2, 3} {
		if got := m.phi.samples(j); len(got) != 0 {
			t.Errorf("peer %d's window %v, want only its initial sample", j, got)
		}
	}
}

// firstFailedAt steps the model in 10 ms steps until observer's view of
// peer is failed and returns that time (or fails the test after limit).
func firstFailedAt(t *testing.T, m *Model, observer, peer int, limit sim.Time) sim.Time {
	t.Helper()
	for m.Now() < limit {
		m.Advance(m.Now() + 10*sim.Millisecond)
		if m.View(observer, peer).Status == wire.StatusFailed {
			return m.Now()
		}
	}
	t.Fatalf("observer %d never declared %d failed by %v", observer, peer, limit)
	return 0
}

// TestPhiDetectsCrashAtItsDeadline: in a two-node fleet, node 0's only
// evidence of node 1 is node 1's own gossip. After node 1 crashes, node 0
// declares it failed at its first round after φ passes 8: the last arrival
// plus floor(8 ln 10 μ) of the window's mean μ.
func TestPhiDetectsCrashAtItsDeadline(t *testing.T) {
	c := smallConfig()
	c.Nodes = 2
	c.FailureFanout = 1
	c.Detector = DetectorPhi
	m := newModel(t, c, 5)
	m.Advance(60 * sim.Second)
	m.takeDown(1)
	m.Advance(61 * sim.Second) // what node 1 sent before it crashed arrives
	x := 0*m.n + 1
	mean := m.phi.mean(x)
	if mean <= 0 || mean > 2000 {
		t.Fatalf("mean interarrival %v ms after 60 s of gossip, want in (0, 2000]", mean)
	}
	if got := m.phi.spanOf(x); got != phiSpan(8, mean) {
		t.Fatalf("span %d ms, want floor(8 ln 10 × %v) = %d", got, mean, phiSpan(8, mean))
	}
	want := m.since[x] + phiSpan(8, mean) // the last arrival + the span
	last := timeOfMs(m.since[x])
	before := m.Phi(0, 1)
	at := firstFailedAt(t, m, 0, 1, 200*sim.Second)
	if ms := msOf(at); ms <= want || at > timeOfMs(want)+c.GossipInterval+c.PerMessageCost+10*sim.Millisecond {
		t.Errorf("declared at %v, want at node 0's first round after the deadline %v", at, timeOfMs(want))
	}
	if phi := Phi(at-last, sim.Time(mean*float64(sim.Millisecond))); phi <= 8 {
		t.Errorf("φ at the declaration = %v, want > 8", phi)
	}
	if before > 8 {
		t.Errorf("φ a second after the crash = %v, want <= 8", before)
	}
	if s := m.Summary(); s.FalseFailures != 0 || s.CrashesDetected != 1 {
		t.Errorf("false failures %d, crashes detected %d; want 0 and 1", s.FalseFailures, s.CrashesDetected)
	}
}

// stall makes node i's processor busy for d from now: it skips its rounds,
// so its heartbeat stands still, and then resumes.
func stall(m *Model, i int, d sim.Time) { m.proc.Charge(i, m.Now(), d) }

// TestSuspectRefutedByNewerHeartbeat: node 5 stalls for 24 s, longer than
// the fail timeout (20 s) and shorter than the fail and suspect timeouts
// together (30 s). With the timeout detector its observers declare it
// failed (false failures); with the suspect detector they suspect it, its
// first heartbeats after the stall refute the suspicion everywhere, and
// nobody declares it failed.
func TestSuspectRefutedByNewerHeartbeat(t *testing.T) {
	run := func(d Detector) *Model {
		c := smallConfig()
		c.Detector = d
		c.FailureFanout = 0
		m := newModel(t, c, 9)
		m.Advance(30 * sim.Second)
		stall(m, 5, 24*sim.Second)
		m.Advance(53500 * sim.Millisecond) // the stall ends at 54 s
		return m
	}
	timeout := run(DetectorTimeout)
	timeout.Advance(100 * sim.Second)
	if s := timeout.Summary(); s.FalseFailures == 0 {
		t.Errorf("timeout detector: no false failures of a node silent for 24 s > fail-timeout 20 s")
	}

	m := run(DetectorSuspect)
	suspecting := 0
	for i := range m.n {
		if i == 5 {
			continue
		}
		switch m.View(i, 5).Status {
		case wire.StatusSuspect:
			suspecting++
		case wire.StatusFailed:
			t.Errorf("observer %d declared node 5 failed during the stall", i)
		}
	}
	if suspecting != m.n-1 {
		t.Errorf("%d observers suspect node 5 at 53.5 s, want all %d", suspecting, m.n-1)
	}
	m.Advance(100 * sim.Second)
	for i := range m.n {
		if v := m.View(i, 5); v.Status != wire.StatusAlive {
			t.Errorf("observer %d: node 5 is %v at 100 s, want alive (refuted)", i, v.Status)
		}
	}
	s := m.Summary()
	if s.FalseFailures != 0 || s.FailureDeclarations != 0 {
		t.Errorf("suspect detector: %d declarations, %d false; want none", s.FailureDeclarations, s.FalseFailures)
	}
	if m.Suspicions() == 0 || m.FalseSuspicions() != m.Suspicions() {
		t.Errorf("suspicions %d, false %d; want some, all false", m.Suspicions(), m.FalseSuspicions())
	}
	if m.Refutations() < int64(m.n-1) {
		t.Errorf("refutations %d, want at least one per observer (%d)", m.Refutations(), m.n-1)
	}
}

// TestSuspectDeclaresCrash: a crashed node is suspected after the fail
// timeout, the suspicion spreads, and it is declared failed a suspect
// timeout later: first detection about FailTimeout + SuspectTimeout.
func TestSuspectDeclaresCrash(t *testing.T) {
	c := smallConfig()
	c.Detector = DetectorSuspect
	m := newModel(t, c, 11)
	m.Advance(30 * sim.Second)
	m.takeDown(7)
	m.Advance(30*sim.Second + c.FailTimeout + c.SuspectTimeout/2)
	for i := range m.n {
		if i != 7 && m.View(i, 7).Status != wire.StatusSuspect {
			t.Errorf("observer %d: crashed node 7 is %v halfway through the suspicion, want suspect", i, m.View(i, 7).Status)
		}
	}
	m.Advance(150 * sim.Second)
	s := m.Summary()
	if s.DetectionTimeMeanSeconds == nil || s.FullDetectionTimeMeanSeconds == nil {
		t.Fatalf("crash not detected: %+v", s)
	}
	want := (c.FailTimeout + c.SuspectTimeout).Seconds()
	if d := *s.DetectionTimeMeanSeconds; d < want-1.5 || d > want+2 {
		t.Errorf("first detection after %.2f s, want within [%g, %g] s", d, want-1.5, want+2)
	}
	if s.FalseFailures != 0 || m.FalseSuspicions() != 0 {
		t.Errorf("false failures %d, false suspicions %d in a quiet fleet, want 0", s.FalseFailures, m.FalseSuspicions())
	}
}

// TestDetectorBookkeeping: with each new detector, through crashes,
// restarts and corruption, the incremental wrong-view count matches a full
// scan, and (φ) every window holds intervals within the cap and the span
// its samples give.
func TestDetectorBookkeeping(t *testing.T) {
	for _, d := range []Detector{DetectorSuspect, DetectorPhi} {
		t.Run(d.String(), func(t *testing.T) {
			c := smallConfig()
			c.Detector = d
			c.Corruption.Probability = 2e-3
			c.CrashRate = 30
			c.DownTime = 20 * sim.Second
			m := newModel(t, c, 7)
			for step := sim.Time(1); step <= 200; step++ {
				m.Advance(step * sim.Second)
				if got, want := m.rec.WrongPairs(), wrongPairsByScan(m); got != want {
					t.Fatalf("at %v: incremental wrong pairs = %d, full scan = %d", m.Now(), got, want)
				}
				if m.phi == nil {
					continue
				}
				for x := range m.phi.fill {
					for _, v := range m.phi.samples(x) {
						if int32(v) > m.phi.initial {
							t.Fatalf("at %v: pair %d holds an interval of %d ms, above the %d ms cap", m.Now(), x, v, m.phi.initial)
						}
					}
					if m.phi.fill[x] != 0 && m.phi.span[x] != phiSpan(c.PhiThreshold, m.phi.mean(x)) {
						t.Fatalf("at %v: pair %d's span %d ms is not its window's", m.Now(), x, m.phi.span[x])
					}
				}
			}
			if m.rec.FailureDeclarations == 0 {
				t.Fatal("no failure declared; the test exercises nothing")
			}
		})
	}
}

// TestDetectorMemory: only φ-accrual adds per-pair state, 2 × window + 5
// bytes, and the memory floor says so.
func TestDetectorMemory(t *testing.T) {
	p := NewProtocol()
	if got := p.MemoryFloor(10_000); got != 13*100_000_000 {
		t.Errorf("timeout: floor %d, want 13 B a pair", got)
	}
	p.Parameters.Detector = DetectorSuspect
	if got := p.MemoryFloor(10_000); got != 13*100_000_000 {
		t.Errorf("suspect: floor %d, want 13 B a pair", got)
	}
	p.Parameters.Detector = DetectorPhi
	if got := p.MemoryFloor(10_000); got != 34*100_000_000 {
		t.Errorf("phi, window 8: floor %d, want 34 B a pair (13 + 21)", got)
	}
	if e := p.MemoryEstimate(1000); e <= NewProtocol().MemoryEstimate(1000) {
		t.Errorf("phi's estimate %d is not above timeout's", e)
	}
}

func TestDetectorValidation(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"detector", func(c *Config) { c.Detector = 7 }, "detector: 7 is not one of timeout, suspect, phi"},
		{"suspect-timeout", func(c *Config) { c.SuspectTimeout = 0 }, "suspect-timeout: 0s must be positive"},
		{"phi-threshold", func(c *Config) { c.PhiThreshold = 0 }, "phi-threshold: 0 is outside (0, 1000]"},
		{"phi-window", func(c *Config) { c.PhiWindow = 101 }, "phi-window: 101 is outside [1, 100]"},
		{"gossip-interval", func(c *Config) { c.Detector = DetectorPhi; c.GossipInterval = time31s() }, "gossip-interval: 31s is above 30s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := smallConfig()
			tc.edit(&c)
			err := c.Validate()
			if err == nil || len(err.Error()) < len(tc.want) || err.Error()[:len(tc.want)] != tc.want {
				t.Fatalf("Validate() = %v, want an error starting %q", err, tc.want)
			}
		})
	}
}

func time31s() sim.Time { return 31 * sim.Second }
