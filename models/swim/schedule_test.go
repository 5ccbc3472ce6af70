package swim

import (
	"testing"

	"github.com/gossipsim/gossipsim/models/faults"
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
	r := newRun(c, cm, seed)
	r.eng.RunUntil(d)
	return r
}

// TestScheduledSkewMovesPeriods checks that a member whose clock the
// schedule runs twice as fast opens a protocol period, and so pings, twice
// as often: 100 periods of 1 s are 200 of its own. Without loss no probe
// needs a relay, so a member's sequence number counts its periods.
func TestScheduledSkewMovesPeriods(t *testing.T) {
	c := DefaultConfig()
	c.Crashes = 0
	r := scheduled(t, c, 20, 100*sim.Second, "- at: 0s\n  skew: {nodes: 3, rate: 2}\n", 1)
	fast, normal := r.members[3].seq, r.members[4].seq
	if fast < 199 || fast > 201 || normal < 99 || normal > 101 {
		t.Fatalf("periods in 100 s: skewed member %d (want about 200), another %d (want about 100)", fast, normal)
	}
}

// TestScheduledSkewMovesTimeouts checks the timeouts: with every clock at
// rate 2, the periods, probe timeouts, suspicion timeouts and gossip all run
// twice as fast, so a crash is held dead by every live member in about half
// the time (full detection is about one suspicion timeout, 8 s at 100
// members, plus a period or two: see TestFullDetection).
func TestScheduledSkewMovesTimeouts(t *testing.T) {
	c := DefaultConfig()
	var plain, fast sim.Time
	for seed := uint64(1); seed <= 3; seed++ {
		plain += scheduled(t, c, 100, 40*sim.Second, "", seed).fullDet[0]
		fast += scheduled(t, c, 100, 40*sim.Second, "- at: 0s\n  skew: {nodes: all, rate: 2}\n", seed).fullDet[0]
	}
	if ratio := float64(fast) / float64(plain); ratio < 0.4 || ratio > 0.6 {
		t.Fatalf("full detection over 3 runs: %s with true clocks, %s at rate 2: ratio %.2f, want about 0.5", plain, fast, ratio)
	}
}

// TestScheduledCrashIsReal checks that the schedule's crash takes the member
// down in the model: it is probed and suspected by the others, every live
// member comes to hold it dead, and none of that is a false positive. Its
// restart brings it back at incarnation 1, which every member holds alive
// by the horizon.
func TestScheduledCrashIsReal(t *testing.T) {
	c := DefaultConfig()
	c.Crashes = 0
	const n, j = 50, 5
	r := scheduled(t, c, n, 60*sim.Second, "- at: 10s\n  until: 40s\n  crash: {nodes: 5}\n", 3)
	if r.rec.Crashes != 1 || r.rec.Recoveries != 1 || r.rec.FalseFailures != 0 || r.falsePos != 0 {
		t.Fatalf("crashes %d, recoveries %d, false failures %d, false positives %d; want 1, 1, 0, 0", r.rec.Crashes, r.rec.Recoveries, r.rec.FalseFailures, r.falsePos)
	}
	if len(r.crashed) != 1 || r.crashed[0] != j || r.firstDet[0] < 0 || r.fullDet[0] < 0 {
		t.Fatalf("crashed %v, first detection %s, full detection %s; want [%d], both measured", r.crashed, r.firstDet, r.fullDet, j)
	}
	if fd := r.fullDet[0].Seconds(); fd < 8 || fd > 15 {
		t.Fatalf("full detection %.1f s after the scheduled crash, want about a suspicion timeout (8 s) more", fd)
	}
	if !r.up(j) || r.live != n || r.wrong != 0 || r.members[j].inc != 1 {
		t.Fatalf("at the horizon: member up %v, live %d, wrong pairs %d, incarnation %d; want true, %d, 0, 1", r.up(j), r.live, r.wrong, r.members[j].inc, n)
	}
	for i := range n {
		if v := r.view(i, j); i != j && (v.status != alive || v.inc != 1) {
			t.Fatalf("member %d holds %d as status %d at incarnation %d, want alive at 1", i, j, v.status, v.inc)
		}
	}
}

// TestScheduledRestartWithinAPeriod checks a crash shorter than a protocol
// period: the restarted member runs one protocol period and one gossip
// timer, not its old ones too.
func TestScheduledRestartWithinAPeriod(t *testing.T) {
	c := DefaultConfig()
	c.Crashes = 0
	r := scheduled(t, c, 20, 100*sim.Second, "- at: 10100ms\n  until: 10300ms\n  crash: {nodes: 5}\n", 5)
	if got, other := r.members[5].seq, r.members[4].seq; got < 99 || got > 101 || other < 99 || other > 101 {
		t.Fatalf("periods in 100 s: restarted member %d, another %d; want about 100 each", got, other)
	}
}

// TestScheduledCrashBeforeConfigured checks a scheduled crash followed by
// the configured one: both are detected in full, each from its own crash
// time, and the earlier one's count of members holding it dead drops the
// member that crashes later.
func TestScheduledCrashBeforeConfigured(t *testing.T) {
	c := DefaultConfig()
	c.Crashes, c.CrashAt = 2, 20*sim.Second
	const n = 50
	r := scheduled(t, c, n, 60*sim.Second, "- at: 5s\n  crash: {nodes: 5}\n", 4)
	if len(r.crashed) < 2 || r.rec.Crashes != int64(len(r.crashed)) || r.live != n-len(r.crashed) || r.falsePos != 0 {
		t.Fatalf("crashed %v (%d counted), live %d, false positives %d", r.crashed, r.rec.Crashes, r.live, r.falsePos)
	}
	for k := range r.crashed {
		if fd := r.fullDet[k].Seconds(); fd < 8 || fd > 15 || r.deadCount[k] != r.live {
			t.Fatalf("crash %d (member %d at %s): full detection %.1f s, held dead by %d of %d live", k, r.crashed[k], r.crashTime[k], fd, r.deadCount[k], r.live)
		}
	}
}
