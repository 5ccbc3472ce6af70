package s3gossip

import (
	"testing"

	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// stickyRun injects a heartbeat high-bit flip about node 5 at 30 s into a
// small fleet configured by edit, and runs it to the horizon.
func stickyRun(t *testing.T, edit func(*Config), horizon sim.Time) *Model {
	return stickyRunAt(t, edit, 30*sim.Second, horizon)
}

func stickyRunAt(t *testing.T, edit func(*Config), at, horizon sim.Time) *Model {
	t.Helper()
	c := smallConfig()
	edit(&c)
	m := newModel(t, c, 3)
	m.Advance(at)
	inject(m, 0, corruptedEntryMessage(m, 1, 5, 1))
	m.Advance(horizon)
	return m
}

// TestResetRecovers: (a) clears a sticky corrupted version; recovery time runs
// from the trigger to the end of the restore, and the fast procedure is
// sooner than the 2008 one by the difference of their restore steps.
func TestResetRecovers(t *testing.T) {
	recovery := map[ResetProcedure]float64{}
	for _, proc := range []ResetProcedure{Reset2008, ResetFast} {
		m := stickyRun(t, func(c *Config) {
			c.Reset.Procedure = proc
			c.Reset.At = 100 * sim.Second
		}, 500*sim.Second)
		s := m.Summary()
		if !s.Recovered || s.RecoveryTimeSeconds == nil {
			t.Fatalf("%v: not recovered after a reset: %+v", proc, s)
		}
		if m.rec.WrongPairs() != 0 || s.Resets != 1 {
			t.Fatalf("%v: wrong pairs %d, resets %d after the reset", proc, m.rec.WrongPairs(), s.Resets)
		}
		restore := c2s(DefaultResetConfig().Restore)
		if proc == ResetFast {
			restore = c2s(DefaultResetConfig().FastRestore)
		}
		want := 100 + c2s(DefaultResetConfig().Stop) + restore - *s.TriggerTimeSeconds
		if got := *s.RecoveryTimeSeconds; got < want || got > want+1 {
			t.Errorf("%v: recovery time %.2f s, want the restore end %.2f s (+ at most 1 s to reconverge)", proc, got, want)
		}
		recovery[proc] = *s.RecoveryTimeSeconds
	}
	if recovery[ResetFast] >= recovery[Reset2008] {
		t.Fatalf("fast reset recovered in %.1f s, 2008 in %.1f s; want fast sooner", recovery[ResetFast], recovery[Reset2008])
	}
}

func c2s(t sim.Time) float64 { return t.Seconds() }

// TestMonitorQuietWithoutCorruption: over a long run with no corruption the
// alarm stays quiet at its defaults.
func TestMonitorQuietWithoutCorruption(t *testing.T) {
	c := smallConfig()
	c.Nodes = 100
	c.Monitor.Enabled = true
	m := newModel(t, c, 9)
	m.Advance(3600 * sim.Second)
	if s := m.Summary(); s.Alarms != 0 || s.FalseAlarms != 0 {
		t.Fatalf("alarms %d (false %d) in an hour without corruption, want 0", s.Alarms, s.FalseAlarms)
	}
}

// TestMonitorAlarmsAndStartsReset: a sticky corruption's failure gossip
// raises the alarm, which starts the reset when so configured.
func TestMonitorAlarmsAndStartsReset(t *testing.T) {
	// Inject after the monitor's 60 s baseline.
	m := stickyRunAt(t, func(c *Config) {
		c.Monitor.Enabled = true
		c.Reset.Procedure, c.Reset.OnAlarm = ResetFast, true
	}, 90*sim.Second, 400*sim.Second)
	s := m.Summary()
	if s.Alarms < 1 || s.FalseAlarms != 0 || s.TimeToAlarmSeconds == nil {
		t.Fatalf("alarms %d, false %d, time to alarm %v; want an alarm after the trigger", s.Alarms, s.FalseAlarms, s.TimeToAlarmSeconds)
	}
	// The alarm needs the failure timeout to pass and a window to fill.
	if d := *s.TimeToAlarmSeconds; d < c2s(DefaultConfig().FailTimeout) || d > 60 {
		t.Errorf("time to alarm %.1f s, want between the fail timeout and 60 s", d)
	}
	if s.Resets != 1 || !s.Recovered {
		t.Fatalf("resets %d, recovered %v; want the alarm to start one reset that recovers", s.Resets, s.Recovered)
	}
}

// TestFailureGossipBounded: (b) stops notices about a failure after
// FailureRetransmitMult × ceil(log10(n+1)) rounds, and caps them per round.
func TestFailureGossipBounded(t *testing.T) {
	unbounded := stickyRun(t, func(c *Config) {}, 200*sim.Second)
	bounded := stickyRun(t, func(c *Config) { c.FailureRetransmitMult = 2 }, 200*sim.Second)
	// 40 nodes: 2 × ceil(log10 41) = 4 rounds per observer, 4 notices each (fanout 4).
	if got, max := bounded.rec.FailureMessagesSent, int64(40*4*4); got > max || got == 0 {
		t.Fatalf("bounded failure gossip sent %d notices, want 1..%d", got, max)
	}
	if unbounded.rec.FailureMessagesSent < 10*bounded.rec.FailureMessagesSent {
		t.Fatalf("unbounded %d notices vs bounded %d: the bound saves too little", unbounded.rec.FailureMessagesSent, bounded.rec.FailureMessagesSent)
	}
	limited := stickyRun(t, func(c *Config) { c.FailureRateLimit = 1; c.CrashRate = 120; c.DownTime = 100 * sim.Second }, 200*sim.Second)
	rounds := int64(40 * 200) // at most one round a second per node
	if got := limited.rec.FailureMessagesSent; got > rounds*int64(limited.cfg.FailureFanout) {
		t.Fatalf("rate-limited nodes sent %d notices, more than one per round", got)
	}
}

// TestRejectionsByKind: every checksum rejection is counted under the kind
// the sender sent.
func TestRejectionsByKind(t *testing.T) {
	c := smallConfig()
	c.Checksum = wire.ChecksumCRC32C
	c.Corruption.Probability = 5e-3
	c.CrashRate = 30
	m := newModel(t, c, 4)
	m.Advance(300 * sim.Second)
	var sum int64
	for _, n := range m.rec.RejectedByKind {
		sum += n
	}
	if sum != m.rec.CorruptionsRejected || m.rec.RejectedByKind[wire.KindDigest] == 0 {
		t.Fatalf("rejections by kind %v sum to %d, want %d with digests among them", m.rec.RejectedByKind, sum, m.rec.CorruptionsRejected)
	}
}

func TestMitigationValidation(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"reset-stop", func(c *Config) { c.Reset.Stop = -sim.Second }, "reset-stop: -1s"},
		{"reset-restore", func(c *Config) { c.Reset.Restore = -sim.Second }, "reset-restore: -1s"},
		{"monitor-threshold", func(c *Config) { c.Monitor.Threshold = 0.5 }, "monitor-threshold: 0.5"},
		{"monitor-window", func(c *Config) { c.Monitor.Window = 0 }, "monitor-window: 0s"},
		{"failure-rate-limit", func(c *Config) { c.FailureRateLimit = -1 }, "failure-rate-limit: -1"},
		{"omit-failed-after", func(c *Config) { c.OmitFailedAfter = -sim.Second }, "omit-failed-after: -1s"},
		{"corrupt-until", func(c *Config) { c.Corruption.From, c.Corruption.Until = 10*sim.Second, 5*sim.Second }, "corrupt-until: 5s"},
		{"reset", func(c *Config) { c.Reset.Procedure = 7 }, "reset: 7"},
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
	if _, err := ParseResetProcedure("slow"); err == nil {
		t.Fatal("ParseResetProcedure accepted an unknown name")
	}
}
