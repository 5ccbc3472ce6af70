package rumor

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// testCommon is a fleet of n sites on the default LAN (log-normal latency,
// median 0.5 ms), no corruption, no checksum, a horizon far beyond any
// rumor's life and no time series.
func testCommon(n int) protocol.Common {
	return protocol.Common{
		Fleet:    protocol.Fleet{Nodes: n, Network: network.DefaultConfig(), Corruption: corrupt.DefaultConfig(), Checksum: wire.ChecksumNone},
		Duration: 10_000 * sim.Second,
	}
}

// stats are the mean and the standard error of the mean of each summary
// field over a set of runs.
type stats struct {
	mean, se map[string]float64
}

var (
	statsMu    sync.Mutex
	statsCache = map[string]stats{}
)

// reps is the number of runs behind each table comparison: 200, or 50 with
// -short (the tolerances below scale with the standard error, so they adapt).
func reps() int {
	if testing.Short() {
		return 50
	}
	return 200
}

// measure runs c on 1,000 sites with seeds 1..reps() and returns the
// statistics of every field; results are cached so that tests share runs.
func measure(t testing.TB, c Config) stats {
	t.Helper()
	return measureN(t, c, reps())
}

// measureN is measure with n runs.
func measureN(t testing.TB, c Config, n int) stats {
	t.Helper()
	key := fmt.Sprintf("%+v/%d", c, n)
	statsMu.Lock()
	defer statsMu.Unlock()
	if st, ok := statsCache[key]; ok {
		return st
	}
	cm := testCommon(1000)
	sum, sum2 := map[string]float64{}, map[string]float64{}
	for s := 1; s <= n; s++ {
		res, err := c.Run(context.Background(), cm, uint64(s))
		if err != nil {
			t.Fatalf("%+v seed %d: %v", c, s, err)
		}
		for _, f := range res.Fields {
			if math.IsNaN(f.Value) {
				t.Fatalf("%+v seed %d: %s is NaN", c, s, f.Name)
			}
			sum[f.Name] += f.Value
			sum2[f.Name] += f.Value * f.Value
		}
	}
	st := stats{mean: map[string]float64{}, se: map[string]float64{}}
	for name, x := range sum {
		m := x / float64(n)
		v := max(0, sum2[name]/float64(n)-m*m) * float64(n) / float64(n-1)
		st.mean[name], st.se[name] = m, math.Sqrt(v/float64(n))
	}
	statsCache[key] = st
	return st
}

func pushConfig(v Variant, k int) Config {
	c := DefaultConfig()
	c.Variant, c.K = v, k
	return c
}

// paperRow is one row of a table of Demers et al. (1987), 1,000 sites.
type paperRow struct {
	k                int
	residue, traffic float64
	// resUnit, trafUnit are the units of the last printed digit.
	resUnit, trafUnit float64
}

// checkTable compares measured means with a table of the paper. The
// tolerance on each quantity is
//
//	3·√2·SE + half a unit of the last printed digit
//
// where SE is the standard error of our mean: √2·SE is the standard error of
// the difference between two independent estimates of the same mean if the
// paper averaged about as many runs as we do (it does not say how many), 3
// of those is a 3-sigma band, and the printed value carries its own rounding.
func checkTable(t *testing.T, name string, c Config, rows []paperRow) {
	t.Helper()
	for _, row := range rows {
		c.K = row.k
		st := measure(t, c)
		for _, q := range []struct {
			field      string
			want, unit float64
		}{
			{"residue", row.residue, row.resUnit},
			{"traffic", row.traffic, row.trafUnit},
		} {
			got, se := st.mean[q.field], st.se[q.field]
			tol := 3*math.Sqrt2*se + q.unit/2
			t.Logf("%s k=%d %s: got %.4g (se %.2g), paper %.4g, tolerance ±%.2g", name, row.k, q.field, got, se, q.want, tol)
			if math.Abs(got-q.want) > tol {
				t.Errorf("%s k=%d: mean %s = %.4g, paper %.4g, want within ±%.2g", name, row.k, q.field, got, q.want, tol)
			}
		}
	}
}

// TestPaperTable1 compares push, feedback, counter on 1,000 sites with Table
// 1 of the paper. The brief's approximations (residue 0.18, 0.037, 0.011,
// 0.0036, 0.0012; traffic 1.7, 3.3, 4.5, 5.6, 6.7) are the table's values
// rounded; the table prints residue 0.176, 0.037, 0.011, 0.0036, 0.0012 and
// traffic 1.74, 3.30, 4.53, 5.64, 6.68, which are used here.
//
// Measured over seeds 1..200: residue 0.1747, 0.0365, 0.0109, 0.00344,
// 0.00149; traffic 1.744, 3.300, 4.533, 5.637, 6.677. Every value is within
// its tolerance; the largest relative gap is residue at k = 5 (+24%), where
// a run leaves only 1.2-1.5 of 1,000 sites unreached, so both estimates are
// noisy (3 standard errors of the difference).
func TestPaperTable1(t *testing.T) {
	checkTable(t, "push feedback-counter", pushConfig(FeedbackCounter, 1), []paperRow{
		{1, 0.176, 1.74, 0.001, 0.01},
		{2, 0.037, 3.30, 0.001, 0.01},
		{3, 0.011, 4.53, 0.001, 0.01},
		{4, 0.0036, 5.64, 0.0001, 0.01},
		{5, 0.0012, 6.68, 0.0001, 0.01},
	})
}

// TestResidueFormula compares the residue with the root of
// s = exp(-(k+1)(1-s)), the paper's mean-field prediction.
//
// The formula does NOT hold within a tight tolerance for feedback-counter,
// and this is reported rather than hidden: measured/predicted over seeds
// 1..200 is 0.860, 0.614, 0.551, 0.493, 0.592 for k = 1..5 (residues 0.1747,
// 0.0365, 0.0109, 0.00344, 0.00149 against 0.2032, 0.0595, 0.0198, 0.00698,
// 0.00252). The paper's own Table 1 is below the formula by the same factors
// (0.87, 0.62, 0.56, 0.52, 0.48): the formula is derived for loss of interest
// by a coin, in continuous time, and synchronous cycles and counters both
// lower the residue (doc.go explains how). So for feedback-counter the test
// asserts only the direction and the order of magnitude: a ratio in
// [0.40, 0.95].
//
// For feedback-coin, the variant the formula describes, the measured ratio
// is 0.860, 0.826, 0.837, 0.841, 0.878: a nearly constant factor, the effect
// of synchronous cycles. The test asserts a ratio in [0.75, 0.95] for it.
// (The sequential reading of a cycle, with a counter that never resets,
// measures 0.997, 1.008, 1.010, 1.016, 1.045: the formula itself.)
func TestResidueFormula(t *testing.T) {
	tests := []struct {
		variant Variant
		lo, hi  float64
	}{
		{FeedbackCounter, 0.40, 0.95},
		{FeedbackCoin, 0.75, 0.95},
	}
	for _, tc := range tests {
		for k := 1; k <= 5; k++ {
			got := measure(t, pushConfig(tc.variant, k)).mean["residue"]
			want := PredictedResidue(k)
			ratio := got / want
			t.Logf("push %v k=%d: residue %.4g, formula %.4g, ratio %.3f", tc.variant, k, got, want, ratio)
			if ratio < tc.lo || ratio > tc.hi {
				t.Errorf("push %v k=%d: residue %.4g / formula %.4g = %.3f, want in [%.2f, %.2f]", tc.variant, k, got, want, ratio, tc.lo, tc.hi)
			}
		}
	}
}

// TestBlindVsFeedback checks the paper's orderings at equal k: blind-coin
// leaves a higher residue than feedback-counter ("k will have to be at least
// one larger to achieve performance equivalent to a feedback mechanism"), and
// a coin a higher one than a counter ("the counter improves ... the
// percentage removed"; equal at k = 1, where both lose interest at the first
// unnecessary contact). It also compares blind-coin with the paper's Table 2
// (push, blind, coin): residue 0.960, 0.205, 0.060, 0.021, 0.008 and traffic
// 0.04, 1.59, 2.82, 3.91, 4.95; measured 0.9618, 0.2037, 0.0600, 0.0203,
// 0.0070 and 0.038, 1.590, 2.816, 3.899, 4.971.
func TestBlindVsFeedback(t *testing.T) {
	for k := 1; k <= 5; k++ {
		blind := measure(t, pushConfig(BlindCoin, k)).mean["residue"]
		counter := measure(t, pushConfig(FeedbackCounter, k)).mean["residue"]
		coin := measure(t, pushConfig(FeedbackCoin, k)).mean["residue"]
		if !(blind > counter) {
			t.Errorf("k=%d: residue blind-coin %.4g, feedback-counter %.4g; want blind-coin higher", k, blind, counter)
		}
		if k > 1 && !(coin > counter) {
			t.Errorf("k=%d: residue feedback-coin %.4g, feedback-counter %.4g; want the coin higher", k, coin, counter)
		}
	}
	checkTable(t, "push blind-coin", pushConfig(BlindCoin, 1), []paperRow{
		{1, 0.960, 0.04, 0.001, 0.01},
		{2, 0.205, 1.59, 0.001, 0.01},
		{3, 0.060, 2.82, 0.001, 0.01},
		{4, 0.021, 3.91, 0.001, 0.01},
		{5, 0.008, 4.95, 0.001, 0.01},
	})
}

// TestPullLowerResidue checks that pull and push-pull leave a lower residue
// than push at equal k (feedback-counter), and compares pull with the
// paper's Table 3 (pull, feedback, counter): residue 3.1e-2, 5.8e-4, 4.0e-6
// and traffic 2.70, 4.49, 6.09 for k = 1..3; measured 0.0315, 0.00057,
// 0.000005 and 2.703, 4.493, 6.090.
func TestPullLowerResidue(t *testing.T) {
	for k := 1; k <= 3; k++ {
		push := measure(t, pushConfig(FeedbackCounter, k)).mean["residue"]
		for _, mode := range []Mode{Pull, PushPull} {
			c := pushConfig(FeedbackCounter, k)
			c.Mode = mode
			n := reps()
			if mode == PushPull {
				n = 50 // the ordering is plain at 50 runs; the table needs no push-pull runs
			}
			got := measureN(t, c, n).mean["residue"]
			t.Logf("k=%d: residue push %.4g, %v %.4g", k, push, mode, got)
			if !(got < push) {
				t.Errorf("k=%d: residue %v %.4g, push %.4g; want %v lower", k, mode, got, push, mode)
			}
		}
	}
	c := pushConfig(FeedbackCounter, 1)
	c.Mode = Pull
	checkTable(t, "pull feedback-counter", c, []paperRow{
		{1, 3.1e-2, 2.70, 0.1e-2, 0.01},
		{2, 5.8e-4, 4.49, 0.1e-4, 0.01},
		{3, 4.0e-6, 6.09, 0.1e-6, 0.01},
	})
}

// TestPredictedResidue checks the root solver: the root satisfies the
// equation, lies in (0, 1) and falls with k.
func TestPredictedResidue(t *testing.T) {
	tests := []struct {
		k    int
		want float64 // to 4 significant figures
	}{
		{1, 0.2032}, {2, 0.05952}, {3, 0.01983}, {4, 0.006977}, {5, 0.002516},
	}
	for _, tc := range tests {
		s := PredictedResidue(tc.k)
		if resid := s - math.Exp(-float64(tc.k+1)*(1-s)); math.Abs(resid) > 1e-12 {
			t.Errorf("k=%d: s = %v leaves residual %g", tc.k, s, resid)
		}
		if math.Abs(s-tc.want)/tc.want > 5e-4 {
			t.Errorf("PredictedResidue(%d) = %.6g, want %.4g", tc.k, s, tc.want)
		}
	}
	if got := PredictedResidue(0); !math.IsNaN(got) {
		t.Errorf("PredictedResidue(0) = %v, want NaN", got)
	}
}

// TestDeterminism runs the same (parameters, Common, seed) twice, with loss,
// corruption, anti-entropy and a time series, and requires identical
// results; a different seed must give a different run.
func TestDeterminism(t *testing.T) {
	cm := testCommon(400)
	cm.Network.Loss = 0.05
	cm.Corruption.Probability = 0.01
	cm.SampleInterval = sim.Second
	tests := []Config{
		{Variant: FeedbackCounter, K: 2, Mode: Push, AntiEntropy: AntiEntropyPushPull, AntiEntropyEvery: 2, Cycle: sim.Second},
		{Variant: BlindCoin, K: 3, Mode: Pull, AntiEntropy: AntiEntropyNone, AntiEntropyEvery: 1, Cycle: 100 * sim.Millisecond},
		{Variant: FeedbackCoin, K: 2, Mode: PushPull, AntiEntropy: AntiEntropyPushPull, AntiEntropyEvery: 1, Cycle: sim.Second},
	}
	for _, c := range tests {
		t.Run(c.Mode.String()+"/"+c.Variant.String(), func(t *testing.T) {
			a, err := c.Run(context.Background(), cm, 42)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := c.Clone().Run(context.Background(), cm, 42)
			if !sameResult(a, b) {
				t.Fatalf("two runs with seed 42 differ:\n%+v\n%+v", a, b)
			}
			d, _ := c.Run(context.Background(), cm, 43)
			if sameResult(a, d) {
				t.Errorf("seeds 42 and 43 gave identical results")
			}
		})
	}
}

// sameResult compares results exactly, NaN equal to NaN.
func sameResult(a, b protocol.Result) bool {
	if len(a.Fields) != len(b.Fields) || a.Counters != b.Counters || a.Events != b.Events || len(a.Samples) != len(b.Samples) {
		return false
	}
	for i := range a.Fields {
		if a.Fields[i].Name != b.Fields[i].Name || math.Float64bits(a.Fields[i].Value) != math.Float64bits(b.Fields[i].Value) {
			return false
		}
	}
	for i := range a.Samples {
		if !a.Samples[i].Equal(b.Samples[i]) {
			return false
		}
	}
	return true
}

// TestAntiEntropy checks the backup: with the same seed the rumor phase is
// unchanged (same residue, traffic and death cycle), and afterwards
// anti-entropy reaches every site.
func TestAntiEntropy(t *testing.T) {
	cm := testCommon(1000)
	cm.SampleInterval = sim.Second
	for _, every := range []int{1, 3} {
		off := pushConfig(FeedbackCounter, 1)
		on := off
		on.AntiEntropy, on.AntiEntropyEvery = AntiEntropyPushPull, every
		for seed := uint64(1); seed <= 5; seed++ {
			a, err := off.Run(context.Background(), cm, seed)
			if err != nil {
				t.Fatal(err)
			}
			b, err := on.Run(context.Background(), cm, seed)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"residue", "traffic", "cycles"} {
				if got, want := value(t, b, name), value(t, a, name); got != want {
					t.Errorf("every=%d seed %d: %s with anti-entropy %v, without %v; want equal", every, seed, name, got, want)
				}
			}
			if got := b.Samples[len(b.Samples)-1].WrongViewFraction; got != 0 {
				t.Errorf("every=%d seed %d: unreached fraction at the end = %v, want 0", every, seed, got)
			}
			if value(t, a, "residue") > 0 && !(value(t, b, "t_last") > value(t, b, "cycles")) {
				t.Errorf("every=%d seed %d: t_last %v, cycles %v; want anti-entropy to reach sites after the rumor died", every, seed, value(t, b, "t_last"), value(t, b, "cycles"))
			}
		}
	}
}

func value(t testing.TB, res protocol.Result, name string) float64 {
	t.Helper()
	for _, f := range res.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	t.Fatalf("no field %q", name)
	return 0
}

// TestCorruption checks the accounting: every corrupted message is counted
// once by its fate; without a checksum some are accepted, with CRC-32C and
// one flipped bit none is.
func TestCorruption(t *testing.T) {
	tests := []struct {
		checksum     wire.Checksum
		wantAccepted bool
	}{
		{wire.ChecksumNone, true},
		{wire.ChecksumCRC32C, false},
	}
	for _, tc := range tests {
		t.Run(tc.checksum.String(), func(t *testing.T) {
			cm := testCommon(1000)
			cm.Checksum = tc.checksum
			cm.Corruption.Probability = 0.02
			c := pushConfig(FeedbackCounter, 2)
			c.Mode = PushPull
			res, err := c.Run(context.Background(), cm, 5)
			if err != nil {
				t.Fatal(err)
			}
			k := res.Counters
			fates := k.CorruptionsRejected + k.CorruptionsUndecodable + k.CorruptionsAccepted + k.CorruptionsLost
			if k.CorruptionsInjected == 0 || fates != k.CorruptionsInjected {
				t.Errorf("injected %d, rejected+undecodable+accepted+lost %d; want equal and > 0", k.CorruptionsInjected, fates)
			}
			if got := k.CorruptionsAccepted > 0; got != tc.wantAccepted {
				t.Errorf("accepted %d corrupted messages; want some: %v", k.CorruptionsAccepted, tc.wantAccepted)
			}
			// Every exchange ends within its cycle, so nothing is in flight
			// when the rumor dies, except after the rare corruption that
			// turns an answer into a call (one more hop).
			if got, want := k.MessagesProcessed, k.MessagesSent-k.MessagesLost; got > want || got < want-5 {
				t.Errorf("processed %d, delivered %d; want (nearly) equal", got, want)
			}
		})
	}
}

// TestLossAndHorizon checks that losses are counted and that a run cut
// short by the horizon reports NaN for the quantities defined at the
// rumor's death.
func TestLossAndHorizon(t *testing.T) {
	cm := testCommon(1000)
	cm.Network.Loss = 0.2
	res, err := New().Run(context.Background(), cm, 1)
	if err != nil {
		t.Fatal(err)
	}
	k := res.Counters
	if got := float64(k.MessagesLost) / float64(k.MessagesSent); math.Abs(got-0.2) > 0.03 {
		t.Errorf("lost fraction %.3f, want 0.2 ± 0.03", got)
	}
	cm = testCommon(1000)
	cm.Duration = 5 * sim.Second
	res, err = New().Run(context.Background(), cm, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"residue", "cycles"} {
		if got := value(t, res, name); !math.IsNaN(got) {
			t.Errorf("after 5 cycles: %s = %v, want NaN (the rumor is still alive)", name, got)
		}
	}
	if got := value(t, res, "t_last"); got != 5 {
		t.Errorf("after 5 cycles: t_last = %v, want 5", got)
	}
}

// TestValidate checks the errors name the key, the value and what is allowed.
func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		set     map[string]string
		edit    func(*protocol.Common)
		wantErr string // substring; "" means valid
	}{
		{"defaults", nil, nil, ""},
		{"k 0", map[string]string{"k": "0"}, nil, `k: "0" is not an integer in [1, 1048576]`},
		{"k text", map[string]string{"k": "two"}, nil, `k: "two" is not an integer`},
		{"coin k 1", map[string]string{"variant": "blind-coin", "k": "1"}, nil, ""},
		{"unknown variant", map[string]string{"variant": "feedback"}, nil, `variant: "feedback" is not one of feedback-counter, feedback-coin, blind-counter, blind-coin`},
		{"unknown mode", map[string]string{"mode": "shout"}, nil, `mode: "shout" is not one of push, pull, push-pull`},
		{"unknown anti-entropy", map[string]string{"anti-entropy": "push"}, nil, `anti-entropy: "push" is not one of none, push-pull`},
		{"anti-entropy-every 0", map[string]string{"anti-entropy-every": "0"}, nil, `anti-entropy-every: "0" is not an integer in [1, 1048576]`},
		{"bad cycle", map[string]string{"cycle": "0s"}, nil, `cycle: "0s" is not a positive duration`},
		{"latency = cycle/2", map[string]string{"cycle": "10ms"}, func(c *protocol.Common) {
			c.Network.Latency = network.Latency{Kind: network.LatencyConstant, A: 5 * sim.Millisecond}
		}, "latency: const:5ms reaches 5ms (its maximum; for lognormal and exp its 1-in-10^9 quantile), not below cycle/2 = 5ms"},
		{"latency below cycle/2", map[string]string{"cycle": "10ms"}, func(c *protocol.Common) {
			c.Network.Latency = network.Latency{Kind: network.LatencyConstant, A: 5*sim.Millisecond - 1}
		}, ""},
		{"exp tail", nil, func(c *protocol.Common) {
			c.Network.Latency = network.Latency{Kind: network.LatencyExponential, A: 30 * sim.Millisecond}
		}, "latency: exp:30ms reaches 630ms"},
		{"one site", nil, func(c *protocol.Common) { c.Nodes = 1 }, "nodes: 1 is outside [2, "},
		{"no horizon", nil, func(c *protocol.Common) { c.Duration = 0 }, "duration: 0s must be positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New()
			cm := testCommon(100)
			if tc.edit != nil {
				tc.edit(&cm)
			}
			var err error
			for k, v := range tc.set {
				if err = setParam(m, k, v); err != nil {
					break
				}
			}
			if err == nil {
				err = m.Validate(cm)
				if _, runErr := m.Run(context.Background(), cm, 1); (runErr == nil) != (err == nil) {
					t.Errorf("Validate: %v, but Run: %v", err, runErr)
				}
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("got error %q, want none", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
	// Values set directly on the struct are checked too.
	bad := DefaultConfig()
	bad.K = 0
	if err := bad.Validate(testCommon(10)); err == nil || !strings.Contains(err.Error(), "k: 0 is outside [1, ") {
		t.Errorf("Validate with K = 0: %v, want a k error", err)
	}
}

// TestParams checks Set and Get round-trip, that defaults agree with Params,
// that Clone is independent and that Run returns FieldNames in order.
func TestParams(t *testing.T) {
	m := New()
	// Every value reads back as the text that sets it.
	for _, p := range New().Params() {
		before := p.String()
		if err := p.Set(before); err != nil || p.String() != before {
			t.Errorf("%s: Set(%q) = %v, then reads %q", p.Name, before, err, p.String())
		}
	}
	tests := []struct{ key, value, want string }{
		{"variant", "blind-coin", "blind-coin"},
		{"variant", "feedback-coin", "feedback-coin"},
		{"k", "4", "4"},
		{"mode", "pull", "pull"},
		{"anti-entropy", "push-pull", "push-pull"},
		{"anti-entropy-every", "5", "5"},
		{"cycle", "200ms", "200ms"},
	}
	for _, tc := range tests {
		if err := setParam(m, tc.key, tc.value); err != nil {
			t.Fatalf("Set(%q, %q): %v", tc.key, tc.value, err)
		}
		if got := getParam(m, tc.key); got != tc.want {
			t.Errorf("after Set(%q, %q): Get = %q, want %q", tc.key, tc.value, got, tc.want)
		}
	}
	c := m.Clone()
	_ = setParam(c, "k", "2")
	if got, want := getParam(m, "k"), "4"; got != want {
		t.Errorf("Clone shares state: original k = %s, want %s", got, want)
	}
	if got, want := strings.Join(m.FieldNames(), ","), "residue,traffic,t_ave,t_last,cycles"; got != want {
		t.Errorf("FieldNames = %s, want %s", got, want)
	}
	res, err := m.Run(context.Background(), testCommon(50), 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range m.FieldNames() {
		if res.Fields[i].Name != name {
			t.Errorf("Fields[%d] = %s, want %s", i, res.Fields[i].Name, name)
		}
	}
}

// TestCancel checks that a cancelled context stops Run with its error.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New().Run(ctx, testCommon(100), 1); err != context.Canceled {
		t.Errorf("Run with a cancelled context: err = %v, want context.Canceled", err)
	}
}

// setParam sets one parameter of m by name.
func setParam(m protocol.Model, key, value string) error {
	return param.SetByName(m.Params(), key, value)
}

// getParam reads one parameter of m by name ("" for an unknown key).
func getParam(m protocol.Model, key string) string { return param.GetByName(m.Params(), key) }
