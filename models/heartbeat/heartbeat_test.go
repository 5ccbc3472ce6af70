package heartbeat

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// common is a LAN fleet of n members observed for d, without corruption.
func common(n int, d sim.Time) protocol.Common {
	return protocol.Common{
		Fleet:          protocol.Fleet{Nodes: n, Network: network.DefaultConfig(), Corruption: corrupt.DefaultConfig(), Checksum: wire.ChecksumCRC32C},
		Duration:       d,
		SampleInterval: sim.Second,
	}
}

func runFields(t *testing.T, c Config, cm protocol.Common, seed uint64) map[string]float64 {
	t.Helper()
	res, err := c.Run(context.Background(), cm, seed)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got, want := len(res.Fields), len(c.FieldNames()); got != want {
		t.Fatalf("Run returned %d fields, FieldNames lists %d", got, want)
	}
	out := make(map[string]float64, len(res.Fields))
	for k, f := range res.Fields {
		if f.Name != c.FieldNames()[k] {
			t.Fatalf("field %d is %q, FieldNames says %q", k, f.Name, c.FieldNames()[k])
		}
		out[f.Name] = f.Value
	}
	return out
}

// TestDetectionTime checks when live observers consider a crashed member
// failed. An observer's T_fail clock starts at the last time it saw the
// member's counter rise. Every member hears from about one random member per
// period, and the crashed member's final counter values keep spreading for
// about log2(n) periods after the crash (push gossip reaches everyone in
// log2 n + ln n periods, Pittel 1987), so that last rise is almost never more
// than one period before the crash and is usually after it. Failure is then
// noticed at the observer's next period, up to one T_gossip later. Hence
//
//	T_fail - T_gossip <= mean <= T_fail + (log2 n + 1) T_gossip
//	max <= T_fail + (log2 n + ln n + 3) T_gossip   (2 periods of slack for the tail)
//
// The mean is over the (live observer, crashed member) pairs of 3 runs with 5
// crashes each.
func TestDetectionTime(t *testing.T) {
	tests := []struct {
		name         string
		n            int
		tGossip      sim.Time
		tFail        sim.Time
		wantMeanLow  float64 // seconds
		wantMeanHigh float64
		wantMaxHigh  float64
	}{
		// n = 50: log2 n = 5.64, ln n = 3.91.
		{"n50 tfail10s", 50, sim.Second, 10 * sim.Second, 9, 16.64, 22.55},
		{"n50 tfail15s", 50, sim.Second, 15 * sim.Second, 14, 21.64, 27.55},
		// n = 200: log2 n = 7.64, ln n = 5.30; t-gossip 500ms.
		{"n200 tgossip500ms tfail10s", 200, 500 * sim.Millisecond, 10 * sim.Second, 9.5, 14.32, 17.97},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			c.TGossip, c.TFail, c.TCleanup = tc.tGossip, tc.tFail, 2*tc.tFail
			c.Crashes = 5
			var sum, peak float64
			const seeds = 3
			for seed := uint64(1); seed <= seeds; seed++ {
				f := runFields(t, c, common(tc.n, 70*sim.Second), seed)
				sum += f[FieldDetectionTime]
				peak = max(peak, f[FieldDetectionTimeMax])
			}
			mean := sum / seeds
			if mean < tc.wantMeanLow || mean > tc.wantMeanHigh {
				t.Errorf("mean detection time = %.2fs, want in [%.2f, %.2f]", mean, tc.wantMeanLow, tc.wantMeanHigh)
			}
			if peak > tc.wantMaxHigh || peak < mean {
				t.Errorf("max detection time = %.2fs, want in [mean %.2f, %.2f]", peak, mean, tc.wantMaxHigh)
			}
			t.Logf("mean %.2fs, max %.2fs", mean, peak)
		})
	}
}

// TestFalseFailuresFallWithTFail reproduces the paper's point that the
// probability of a mistaken failure falls quickly as T_fail grows relative to
// T_gossip: at n = 50, fanout 1, summed over 3 runs of 120 s (6,000 member
// periods each). Measured: 91,490 at 3×, 19,059 at 5×, 122 at 10×, 0 at
// 15×. A false failure at 10× needs an observer to hear nothing newer
// about a member for 10 periods, which happens mostly when it receives no
// message at all for that long (probability about e^-10 per observer and
// period, since each member receives Poisson(1) messages per period).
func TestFalseFailuresFallWithTFail(t *testing.T) {
	mults := []int{3, 5, 10, 15}
	got := make([]float64, len(mults))
	for k, m := range mults {
		c := DefaultConfig()
		c.TFail = sim.Time(m) * c.TGossip
		c.TCleanup = 2 * c.TFail
		for seed := uint64(1); seed <= 3; seed++ {
			got[k] += runFields(t, c, common(50, 120*sim.Second), seed)[FieldFalseFailures]
		}
	}
	t.Logf("false failures at t-fail = %v × t-gossip: %v", mults, got)
	for k := 1; k < len(got); k++ {
		if !(got[k] < got[k-1]) && got[k-1] > 0 {
			t.Errorf("false failures at %d× = %v, not below %v at %d×", mults[k], got[k], got[k-1], mults[k-1])
		}
	}
	if got[0] == 0 {
		t.Errorf("no false failures at 3×; the test exercises nothing")
	}
	if got[2] > got[0]/100 {
		t.Errorf("false failures at 10× = %v, want below 1%% of the %v at 3×", got[2], got[0])
	}
	if got[3] != 0 {
		t.Errorf("false failures at 15× = %v, want 0", got[3])
	}
}

// TestNoResurrection drives one member's list by hand: a failed entry ignores
// an older heartbeat until t-cleanup removes it, and only then does the same
// old heartbeat add it back as a new member.
func TestNoResurrection(t *testing.T) {
	c := DefaultConfig()
	cm := common(3, 100*sim.Second)
	r, err := newRun(context.Background(), c, cm, 1)
	if err != nil {
		t.Fatal(err)
	}
	const observer, member = 0, 2
	e := &r.lists[observer*r.n+member]
	*e = entry{hb: 7, last: 0, state: stateLive}
	r.up[member] = false // crashed: its counter stays at 7

	old := []wire.Entry{{Node: member, Heartbeat: 6}}
	tests := []struct {
		name      string
		at        sim.Time
		deliver   bool // the observer receives heartbeat 6 (older than its 7) at this time
		wantState uint8
		wantHB    uint32
	}{
		{"live before t-fail", 5 * sim.Second, false, stateLive, 7},
		{"failed at t-fail", c.TFail, false, stateFailed, 7},
		{"failed: old heartbeat ignored", c.TFail + sim.Second, true, stateFailed, 7},
		{"removed at t-cleanup", c.TCleanup, false, stateAbsent, 7},
		{"old heartbeat re-adds it after removal", c.TCleanup + sim.Second, true, stateLive, 6},
	}
	for _, tc := range tests {
		r.review(observer, tc.at)
		if tc.deliver {
			r.merge(observer, old, tc.at)
		}
		if e.state != tc.wantState || e.hb != tc.wantHB {
			t.Errorf("%s: got state %d heartbeat %d, want state %d heartbeat %d", tc.name, e.state, e.hb, tc.wantState, tc.wantHB)
		}
	}
}

// TestDeterminism: the same parameters, Common and seed give the same Result;
// another seed gives another.
func TestDeterminism(t *testing.T) {
	c := DefaultConfig()
	c.TFail, c.TCleanup, c.Crashes = 4*sim.Second, 8*sim.Second, 3
	cm := common(40, 60*sim.Second)
	cm.Network.Loss = 0.05
	cm.Corruption.Probability = 1e-3
	cm.Checksum = wire.ChecksumSum8
	a, err := c.Run(context.Background(), cm, 42)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Clone().Run(context.Background(), cm, 42)
	other, _ := c.Run(context.Background(), cm, 43)
	if !sameResult(a, b) {
		t.Errorf("two runs with seed 42 differ:\n%+v\n%+v", a.Fields, b.Fields)
	}
	if sameResult(a, other) {
		t.Errorf("seeds 42 and 43 gave identical results")
	}
	if a.Counters.CorruptionsInjected == 0 || a.Counters.MessagesLost == 0 {
		t.Errorf("counters %+v: the run exercised no corruption or loss", a.Counters)
	}
}

func sameResult(a, b protocol.Result) bool {
	if len(a.Fields) != len(b.Fields) || a.Counters != b.Counters || a.Events != b.Events || len(a.Samples) != len(b.Samples) {
		return false
	}
	for k := range a.Fields {
		if a.Fields[k].Name != b.Fields[k].Name || math.Float64bits(a.Fields[k].Value) != math.Float64bits(b.Fields[k].Value) {
			return false
		}
	}
	for k := range a.Samples {
		if !a.Samples[k].Equal(b.Samples[k]) {
			return false
		}
	}
	return true
}

// TestCorruptionOutcomes: with a checksum every corrupted message that reaches
// a live member is rejected; without one some are accepted.
func TestCorruptionOutcomes(t *testing.T) {
	tests := []struct {
		checksum     wire.Checksum
		wantAccepted bool
	}{
		{wire.ChecksumCRC32C, false},
		{wire.ChecksumNone, true},
	}
	for _, tc := range tests {
		c := DefaultConfig()
		cm := common(20, 40*sim.Second)
		cm.Checksum = tc.checksum
		cm.Corruption.Probability = 0.01
		res, err := c.Run(context.Background(), cm, 5)
		if err != nil {
			t.Fatal(err)
		}
		k := res.Counters
		if got := k.CorruptionsAccepted > 0; got != tc.wantAccepted {
			t.Errorf("%v: accepted %d corrupted messages, want accepted > 0 = %v", tc.checksum, k.CorruptionsAccepted, tc.wantAccepted)
		}
		if k.CorruptionsInjected != k.CorruptionsAccepted+k.CorruptionsRejected+k.CorruptionsUndecodable+k.CorruptionsLost {
			t.Errorf("%v: corruption outcomes %+v do not add up", tc.checksum, k)
		}
	}
}

// TestNoCrashNoDetection: without crashes the detection fields are null.
func TestNoCrashNoDetection(t *testing.T) {
	c := DefaultConfig()
	c.Crashes = 0
	f := runFields(t, c, common(20, 30*sim.Second), 1)
	if got := f[FieldDetectionTime]; !math.IsNaN(got) {
		t.Errorf("detection_time_s = %v, want NaN", got)
	}
	if got, want := f[FieldMessages], 1.0; got != want {
		t.Errorf("messages per member per second = %v, want %v (fanout 1)", got, want)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Config)
		nodes   int
		wantErr string // "" for valid
	}{
		{"defaults", func(*Config) {}, 50, ""},
		{"t-fail equal to t-gossip", func(c *Config) { c.TFail = c.TGossip }, 50, "t-fail"},
		{"t-fail below t-gossip", func(c *Config) { c.TFail = c.TGossip / 2 }, 50, "t-fail"},
		{"t-cleanup below t-fail", func(c *Config) { c.TCleanup = c.TFail - 1 }, 50, "t-cleanup"},
		{"t-cleanup equal to t-fail", func(c *Config) { c.TCleanup = c.TFail }, 50, ""},
		{"fanout 0", func(c *Config) { c.Fanout = 0 }, 50, "fanout"},
		{"fanout nodes", func(c *Config) { c.Fanout = 50 }, 50, "fanout"},
		{"fanout nodes-1", func(c *Config) { c.Fanout = 49 }, 50, ""},
		{"crashes nodes", func(c *Config) { c.Crashes = 50 }, 50, "crashes"},
		{"one node", func(*Config) {}, 1, "nodes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.edit(&c)
			err := c.Validate(common(tc.nodes, sim.Minute))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("got error %v, want none", err)
			case tc.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.wantErr)):
				t.Errorf("got error %v, want one starting with %q", err, tc.wantErr)
			}
		})
	}
}

func TestParams(t *testing.T) {
	tests := []struct {
		key, value, want string
		wantErr          bool
	}{
		{"t-gossip", "250ms", "250ms", false},
		{"t-fail", "8s", "8s", false},
		{"t-cleanup", "1m", "1m0s", false},
		{"fanout", "3", "3", false},
		{"crashes", "0", "0", false},
		{"crash-at", "0s", "0s", false},
		{"t-gossip", "0s", "", true},
		{"t-fail", "-1s", "", true},
		{"fanout", "0", "", true},
		{"fanout", "x", "", true},
		{"crashes", "-1", "", true},
		{"nope", "1", "", true},
	}
	for _, tc := range tests {
		c := New()
		err := setParam(c, tc.key, tc.value)
		if (err != nil) != tc.wantErr {
			t.Errorf("Set(%q, %q) error = %v, want error %v", tc.key, tc.value, err, tc.wantErr)
			continue
		}
		if err == nil {
			if got := getParam(c, tc.key); got != tc.want {
				t.Errorf("after Set(%q, %q), Get = %q, want %q", tc.key, tc.value, got, tc.want)
			}
		} else if !strings.Contains(err.Error(), tc.key) {
			t.Errorf("Set(%q, %q) error %q does not name the key", tc.key, tc.value, err)
		}
	}
	// Every value reads back as the text that sets it.
	for _, p := range New().Params() {
		before := p.String()
		if err := p.Set(before); err != nil || p.String() != before {
			t.Errorf("%s: Set(%q) = %v, then reads %q", p.Name, before, err, p.String())
		}
	}
}

// TestCanceled: a canceled context stops the run with the context's error.
func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New().Run(ctx, common(20, sim.Minute), 1); err != context.Canceled {
		t.Errorf("Run with a canceled context: error %v, want %v", err, context.Canceled)
	}
}

// A run whose context is done while its members' lists are filled (n²
// entries, seconds at 10,000 members) returns the context's error at once.
func TestRunCancelledWhileBuilding(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := DefaultConfig()
	if _, err := c.Run(ctx, common(3000, 100*sim.Second), 1); err != context.Canceled {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
}

// setParam sets one parameter of m by name.
func setParam(m protocol.Model, key, value string) error {
	return param.SetByName(m.Params(), key, value)
}

// getParam reads one parameter of m by name ("" for an unknown key).
func getParam(m protocol.Model, key string) string { return param.GetByName(m.Params(), key) }
