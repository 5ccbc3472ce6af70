package s3gossip

import (
	"math"
	"testing"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/sim"
)

// stormConfig is a small fleet that storms within two simulated minutes:
// one message in a thousand corrupted, and crashes (20 per node per hour)
// so that some declarations are true.
func stormConfig() Config {
	c := DefaultConfig()
	c.Nodes = 60
	c.Corruption.Probability = 1e-3
	c.CrashRate = 20
	return c
}

// TestAnatomyMatchesProcessors: the anatomy's matrix holds, for every node
// and sample, the utilization the processors reported at that sample (to
// the level's half step, saturated exactly when it was at or above the
// threshold). Each sample checked is taken again from a fresh run of the
// same seed stopped a nanosecond before it, by asking its processors.
func TestAnatomyMatchesProcessors(t *testing.T) {
	const seed, horizon = 3, 120
	c := stormConfig()
	m, err := New(c, seed, sim.Second)
	if err != nil {
		t.Fatal(err)
	}
	m.Advance(horizon * sim.Second)
	a := m.Anatomy()
	if len(a.Times) != horizon || len(a.ColumnTimes) != horizon || a.Span != 1 {
		t.Fatalf("%d samples, %d columns, span %d; want %d, %d, 1", len(a.Times), len(a.ColumnTimes), a.Span, horizon, horizon)
	}
	saturated, busy := 0, 0
	for _, k := range []int{0, 29, 59, 89, 119} {
		at := sim.Time(k+1) * sim.Second
		b, err := New(c, seed, sim.Second)
		if err != nil {
			t.Fatal(err)
		}
		b.Advance(at - 1)
		for i := range c.Nodes {
			want, _ := b.proc.Sample(i, at, sim.Second)
			got := a.Utilization(i, k)
			if math.Abs(got-want) > 0.5/metrics.UtilizationLevels+1e-12 || (got >= metrics.SaturationThreshold) != (want >= metrics.SaturationThreshold) {
				t.Errorf("sample %d, node %d: recorded %g, the processor reported %g", k, i, got, want)
			}
			if want >= metrics.SaturationThreshold {
				saturated++
			} else if want > 0.1 {
				busy++
			}
		}
	}
	if saturated == 0 || busy == 0 {
		t.Errorf("the samples checked hold %d saturated and %d busy unsaturated nodes; want some of each", saturated, busy)
	}
	for k, s := range m.Recorder().Samples() {
		maxU := 0.0
		for i := range c.Nodes {
			maxU = max(maxU, a.Utilization(i, k))
		}
		if math.Abs(maxU-s.MaxUtilization) > 0.5/metrics.UtilizationLevels+1e-12 {
			t.Errorf("sample %d: highest recorded utilization %g, the time series' max %g", k, maxU, s.MaxUtilization)
		}
	}
}

// TestAnatomyDeclarations: true and false declarations summed over the
// samples are the run's failure declarations, false ones its false
// failures; both kinds occur; the saturated counts agree with the matrix.
func TestAnatomyDeclarations(t *testing.T) {
	m, err := New(stormConfig(), 3, sim.Second)
	if err != nil {
		t.Fatal(err)
	}
	m.Advance(120 * sim.Second)
	a, s := m.Anatomy(), m.Summary()
	tr, fa := a.Declarations()
	if tr+fa != s.FailureDeclarations || fa != s.FalseFailures {
		t.Errorf("anatomy: %d true + %d false declarations; summary: %d declarations, %d false", tr, fa, s.FailureDeclarations, s.FalseFailures)
	}
	if tr == 0 || fa == 0 {
		t.Errorf("%d true and %d false declarations; want some of each (crashes and a storm)", tr, fa)
	}
	firsts := 0
	for k := range a.Times {
		n := 0
		for i := range a.Nodes {
			if a.Utilization(i, k) >= metrics.SaturationThreshold {
				n++
			}
		}
		if int32(n) != a.SaturatedNodes[k] {
			t.Errorf("sample %d: %d saturated nodes in the matrix, %d counted", k, n, a.SaturatedNodes[k])
		}
		firsts += int(a.FirstSaturations[k])
	}
	saturatedEver := 0
	for _, f := range a.FirstSaturation {
		if f >= 0 {
			saturatedEver++
		}
	}
	if firsts != saturatedEver || saturatedEver == 0 {
		t.Errorf("first saturations sum to %d, %d nodes ever saturated; want equal and positive", firsts, saturatedEver)
	}
}
