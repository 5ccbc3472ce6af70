package heartbeat

import (
	"context"
	"testing"

	"github.com/gossipsim/gossipsim/models/faults"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/sim"
)

// scheduled runs c on n members for d with the fault schedule yaml (none if
// empty) and returns the run at the horizon.
func scheduled(t *testing.T, c Config, n int, d sim.Time, yaml string, seed uint64) *run {
	t.Helper()
	cm := common(n, d)
	if yaml != "" {
		s, err := faults.Parse("test.yaml", []byte(yaml))
		if err != nil {
			t.Fatal(err)
		}
		cm.Faults = s
	}
	if err := c.Validate(cm); err != nil {
		t.Fatal(err)
	}
	r, err := newRun(context.Background(), c, cm, seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := protocol.Drive(context.Background(), r.eng, r.w+d, 10*sim.Second); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestScheduledSkewMovesHeartbeats checks that a member whose clock the
// schedule runs twice as fast gossips, and so raises its counter, twice as
// often: over the 100 s of the run (its warm-up at the true rate) it gains
// about 200 heartbeats to the others' 100.
func TestScheduledSkewMovesHeartbeats(t *testing.T) {
	c := DefaultConfig()
	c.Crashes = 0
	r := scheduled(t, c, 20, 100*sim.Second, "- at: 0s\n  skew: {nodes: 3, rate: 2}\n", 1)
	warm := uint32(r.w / c.TGossip)
	fast, normal := r.hb[3]-warm, r.hb[4]-warm
	if fast < 198 || fast > 202 || normal < 99 || normal > 101 {
		t.Fatalf("heartbeats in 100 s: skewed member %d (want about 200), another %d (want about 100)", fast, normal)
	}
}

// TestScheduledSkewMovesTimeouts checks that an observer whose clock runs
// four times fast counts t-fail (10 s) in 2.5 s of real time, and so
// considers live members failed that true clocks keep live.
func TestScheduledSkewMovesTimeouts(t *testing.T) {
	c := DefaultConfig()
	c.Crashes = 0
	plain := scheduled(t, c, 30, 100*sim.Second, "", 2).rec.FalseFailures
	fast := scheduled(t, c, 30, 100*sim.Second, "- at: 0s\n  skew: {nodes: 3, rate: 4}\n", 2).rec.FalseFailures
	if fast < 10*max(plain, 10) {
		t.Fatalf("false failures: %d with true clocks, %d with one clock at rate 4 (want at least 10 times as many, and 100)", plain, fast)
	}
}

// TestScheduledCrashIsReal checks that the schedule's crash takes the member
// down in the model: every live observer detects a crash (none considers it
// a false failure), and its restart brings it back with a new generation
// that every list holds live at the horizon.
func TestScheduledCrashIsReal(t *testing.T) {
	c := DefaultConfig()
	c.Crashes = 0
	c.TFail, c.TCleanup = 15*sim.Second, 30*sim.Second
	const n, j = 30, 5
	r := scheduled(t, c, n, 120*sim.Second, "- at: 10s\n  until: 60s\n  crash: {nodes: 5}\n", 3)
	if r.rec.Crashes != 1 || r.rec.Recoveries != 1 || r.rec.FalseFailures != 0 {
		t.Fatalf("crashes %d, recoveries %d, false failures %d; want 1, 1, 0", r.rec.Crashes, r.rec.Recoveries, r.rec.FalseFailures)
	}
	if r.detectN != n-1 || r.detectSum/float64(r.detectN) < (c.TFail-c.TGossip).Seconds() {
		t.Fatalf("%d observers detected the crash, mean %.1f s; want %d, at least t-fail - t-gossip", r.detectN, r.detectSum/float64(r.detectN), n-1)
	}
	if !r.up[j] || r.live != n || r.wrong != 0 {
		t.Fatalf("at the horizon: member up %v, live %d, wrong pairs %d; want true, %d, 0", r.up[j], r.live, r.wrong, n)
	}
	for i := range n {
		if e := r.lists[i*n+j]; i != j && (e.state != stateLive || e.gen != 1) {
			t.Fatalf("observer %d holds member %d in state %d at generation %d, want live at 1", i, j, e.state, e.gen)
		}
	}
}

// TestScheduledCrashWithoutRestart checks a crash the schedule never ends,
// next to the configured crash: both are crashes, detected by every live
// observer, and the false-failure rate is over the pairs that were live.
func TestScheduledCrashWithoutRestart(t *testing.T) {
	c := DefaultConfig()
	c.TFail, c.TCleanup, c.Crashes, c.CrashAt = 15*sim.Second, 30*sim.Second, 1, 30*sim.Second
	const n = 30
	r := scheduled(t, c, n, 90*sim.Second, "- at: 10s\n  crash: {nodes: 5}\n", 4)
	if r.rec.Crashes != 2 || r.live != n-2 || r.rec.FalseFailures != 0 {
		t.Fatalf("crashes %d, live %d, false failures %d; want 2, %d, 0", r.rec.Crashes, r.live, r.rec.FalseFailures, n-2)
	}
	if r.detectN != (n-1)+(n-2) {
		t.Fatalf("%d (observer, crash) pairs detected, want %d", r.detectN, (n-1)+(n-2))
	}
	// Live pair-seconds: n(n-1) for 10 s, (n-1)(n-2) for 20 s, (n-2)(n-3) for 60 s.
	want := float64(n*(n-1)*10 + (n-1)*(n-2)*20 + (n-2)*(n-3)*60)
	r.countPairs(r.w + 90*sim.Second)
	if got := r.pairSeconds; got < want-1e-6 || got > want+1e-6 {
		t.Fatalf("live pair-seconds %g, want %g", got, want)
	}
}
