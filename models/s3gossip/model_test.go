package s3gossip

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// smallConfig is a fast fleet for tests: 40 nodes, no random corruption.
func smallConfig() Config {
	c := DefaultConfig()
	c.Nodes = 40
	c.Corruption.Probability = 0
	return c
}

func newModel(t *testing.T, c Config, seed uint64) *Model {
	t.Helper()
	m, err := New(c, seed, sim.Second)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

// wrongPairsByScan counts wrong (live observer, live peer) pairs the slow way.
func wrongPairsByScan(m *Model) int64 {
	var n int64
	for i := range m.n {
		for j := range m.n {
			if i == j || !m.nodes[i].up || !m.nodes[j].up {
				continue
			}
			x := i*m.n + j
			truth := m.truth[j]
			if statusOf(m.sf[x]) == wire.StatusFailed || m.ver[x] > truth {
				n++
			}
		}
	}
	return n
}

// TestWrongViewBookkeeping checks the incremental wrong-view count against a
// full scan at many instants of runs with crashes, restarts, corruption and
// overload.
func TestWrongViewBookkeeping(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"crashes", func(c *Config) { c.CrashRate = 60; c.DownTime = 15 * sim.Second }},
		{"corruption", func(c *Config) { c.Corruption.Probability = 2e-3 }},
		{"corruption+crashes+full", func(c *Config) {
			c.Corruption.Probability = 2e-3
			c.CrashRate = 30
			c.DownTime = 20 * sim.Second
			c.Mode = ModeFull
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := smallConfig()
			tc.edit(&c)
			m := newModel(t, c, 7)
			nonzero := false
			for step := sim.Time(1); step <= 300; step++ {
				m.Advance(step * sim.Second)
				got, want := m.rec.WrongPairs(), wrongPairsByScan(m)
				if got != want {
					t.Fatalf("at %v: incremental wrong pairs = %d, full scan = %d", m.Now(), got, want)
				}
				nonzero = nonzero || got > 0
			}
			if !nonzero {
				t.Fatalf("the run never had a wrong view; the test exercises nothing")
			}
		})
	}
}

// inject puts raw bytes on the path to dst, as if corrupted in transit.
func inject(m *Model, dst int, b []byte) {
	m.tr.Inject(int32(dst), b)
}

// corruptedEntryMessage encodes a one-entry full-view message from sender
// about peer carrying peer's true version, then flips one bit of the heartbeat
// field (bit 0 = most significant).
func corruptedEntryMessage(m *Model, sender, peer, heartbeatBit int) []byte {
	msg := wire.Message{Kind: wire.KindFullView, Sender: uint32(sender), Entries: []wire.Entry{{
		Node: uint32(peer), Generation: generation(m.truth[peer]), Heartbeat: heartbeat(m.truth[peer]),
	}}}
	b := wire.Append(nil, &msg, m.cfg.Checksum)
	off := wire.EntryOffset(0) + wire.EntryHeartbeatOffset
	b[off+heartbeatBit/8] ^= 0x80 >> (heartbeatBit % 8)
	return b
}

// TestHighBitFlipIsSticky: a single accepted flip of a heartbeat's high bit
// spreads to every observer by max-merge, every observer then declares the
// live owner failed, and nothing short of a restart clears it.
func TestHighBitFlipIsSticky(t *testing.T) {
	c := smallConfig()
	c.FailureFanout = 0 // no storm: isolate the sticky-version mechanism
	m := newModel(t, c, 3)
	m.Advance(30 * sim.Second)
	const peer = 5
	inject(m, 0, corruptedEntryMessage(m, 1, peer, 1)) // +2^30
	m.Advance(200 * sim.Second)
	for i := range m.n {
		if i == peer {
			continue
		}
		v := m.View(i, peer)
		truth := m.truth[peer]
		if pack(v.Generation, v.Heartbeat) <= truth {
			t.Errorf("observer %d holds heartbeat %d of node %d, want the corrupted one above the truth %d", i, v.Heartbeat, peer, heartbeat(m.truth[peer]))
		}
		if v.Status != wire.StatusFailed {
			t.Errorf("observer %d: status of live node %d = %v, want failed (its heartbeat can no longer be seen to rise)", i, peer, v.Status)
		}
	}
	if got, want := m.rec.WrongPairs(), int64(m.n-1); got != want {
		t.Errorf("wrong pairs = %d, want %d (every observer of node %d)", got, want, peer)
	}
	if s := m.Summary(); s.Recovered {
		t.Errorf("recovered = true with a sticky wrong version in every view")
	}
}

// TestLowBitFlipHeals: a flip of the heartbeat's lowest bit raises it by one,
// which the owner overtakes within a round: the wrong view is transient.
func TestLowBitFlipHeals(t *testing.T) {
	c := smallConfig()
	m := newModel(t, c, 3)
	m.Advance(30 * sim.Second)
	const peer = 5
	if heartbeat(m.truth[peer])%2 == 1 {
		m.Advance(m.Now() + sim.Second)
	}
	inject(m, 0, corruptedEntryMessage(m, 1, peer, 31)) // +1 when the counter is even
	m.Advance(m.Now() + 100*sim.Millisecond)
	if m.rec.CorruptionsAccepted != 1 {
		t.Fatalf("accepted = %d, want 1", m.rec.CorruptionsAccepted)
	}
	m.Advance(150 * sim.Second)
	s := m.Summary()
	if !s.Recovered || s.RecoveryTimeSeconds == nil || *s.RecoveryTimeSeconds > 5 {
		t.Fatalf("recovered = %v, recovery time = %v; want recovered within 5 s", s.Recovered, s.RecoveryTimeSeconds)
	}
}

// TestChecksumRejectsInjectedFlip: the same flipped message is rejected, not
// accepted, when state messages carry CRC-32C.
func TestChecksumRejectsInjectedFlip(t *testing.T) {
	for _, ck := range []wire.Checksum{wire.ChecksumCRC32C, wire.ChecksumMD5} {
		t.Run(ck.String(), func(t *testing.T) {
			c := smallConfig()
			c.Checksum = ck
			m := newModel(t, c, 3)
			m.Advance(30 * sim.Second)
			inject(m, 0, corruptedEntryMessage(m, 1, 5, 1))
			m.Advance(60 * sim.Second)
			if m.rec.CorruptionsRejected != 1 || m.rec.CorruptionsAccepted != 0 {
				t.Fatalf("rejected = %d, accepted = %d; want 1, 0", m.rec.CorruptionsRejected, m.rec.CorruptionsAccepted)
			}
			if m.rec.WrongPairs() != 0 {
				t.Fatalf("wrong pairs = %d, want 0", m.rec.WrongPairs())
			}
		})
	}
}

func TestMergeRules(t *testing.T) {
	tests := []struct {
		name       string
		local      wire.Entry
		incoming   wire.Entry
		wantGen    uint32
		wantHB     uint32
		wantStatus wire.Status
	}{
		{"higher heartbeat wins", wire.Entry{Generation: 1, Heartbeat: 5}, wire.Entry{Generation: 1, Heartbeat: 6}, 1, 6, wire.StatusAlive},
		{"lower heartbeat ignored", wire.Entry{Generation: 1, Heartbeat: 5}, wire.Entry{Generation: 1, Heartbeat: 4, Status: wire.StatusFailed}, 1, 5, wire.StatusAlive},
		{"higher generation beats any heartbeat", wire.Entry{Generation: 1, Heartbeat: 900}, wire.Entry{Generation: 2, Heartbeat: 0}, 2, 0, wire.StatusAlive},
		{"equal version, more severe status wins", wire.Entry{Generation: 1, Heartbeat: 5}, wire.Entry{Generation: 1, Heartbeat: 5, Status: wire.StatusFailed}, 1, 5, wire.StatusFailed},
		{"equal version, less severe status ignored", wire.Entry{Generation: 1, Heartbeat: 5, Status: wire.StatusFailed}, wire.Entry{Generation: 1, Heartbeat: 5}, 1, 5, wire.StatusFailed},
		{"newer alive clears failed", wire.Entry{Generation: 1, Heartbeat: 5, Status: wire.StatusFailed}, wire.Entry{Generation: 1, Heartbeat: 6}, 1, 6, wire.StatusAlive},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newModel(t, smallConfig(), 1)
			m.truth[2] = pack(5, 5000) // truth far ahead: nothing here is "corrupted"
			m.setEntry(0, 2, pack(tc.local.Generation, tc.local.Heartbeat), tc.local.Status, 0)
			e := tc.incoming
			e.Node = 2
			m.mergeAll(0, []wire.Entry{e}, sim.Second)
			got := m.View(0, 2)
			if got.Generation != tc.wantGen || got.Heartbeat != tc.wantHB || got.Status != tc.wantStatus {
				t.Fatalf("after merge: (%d, %d, %v), want (%d, %d, %v)", got.Generation, got.Heartbeat, got.Status, tc.wantGen, tc.wantHB, tc.wantStatus)
			}
		})
	}
	t.Run("a node ignores others about itself", func(t *testing.T) {
		m := newModel(t, smallConfig(), 1)
		e := wire.Entry{Node: 0, Generation: 9, Heartbeat: 9, Status: wire.StatusFailed}
		m.mergeAll(0, []wire.Entry{e}, sim.Second)
		if got := m.View(0, 0); got.Generation != 1 || got.Status != wire.StatusAlive {
			t.Fatalf("self entry changed to %+v", got)
		}
	})
}

// TestCrashIsDetected: a crashed node is declared failed by some observer
// after about FailTimeout and by all soon after.
func TestCrashIsDetected(t *testing.T) {
	c := smallConfig()
	m := newModel(t, c, 11)
	m.Advance(30 * sim.Second)
	m.takeDown(7)
	m.Advance(100 * sim.Second)
	s := m.Summary()
	if s.DetectionTimeMeanSeconds == nil || s.FullDetectionTimeMeanSeconds == nil {
		t.Fatalf("crash not detected: %+v", s)
	}
	ft := c.FailTimeout.Seconds()
	// The observer's clock for the peer started at the last heartbeat it saw,
	// up to about a round before the crash, and detection runs once a round.
	if d := *s.DetectionTimeMeanSeconds; d < ft-1.5 || d > ft+2 {
		t.Errorf("first detection after %.2f s, want within [%g, %g] s", d, ft-1.5, ft+2)
	}
	if d := *s.FullDetectionTimeMeanSeconds; d < *s.DetectionTimeMeanSeconds || d > ft+10 {
		t.Errorf("full detection after %.2f s, want within [first detection, %g] s", d, ft+10)
	}
	if s.FalseFailures != 0 {
		t.Errorf("false failures = %d in a quiet fleet, want 0", s.FalseFailures)
	}
}

func TestValidateNamesField(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"nodes", func(c *Config) { c.Nodes = 0 }, "nodes: 0"},
		{"fanout", func(c *Config) { c.Fanout = c.Nodes }, "fanout: 40"},
		{"fail-timeout", func(c *Config) { c.FailTimeout = -1 }, "fail-timeout:"},
		{"corrupt-prob", func(c *Config) { c.Corruption.Probability = 1.5 }, "corrupt-prob: 1.5"},
		{"loss", func(c *Config) { c.Network.Loss = -0.1 }, "loss: -0.1"},
		{"queue-limit", func(c *Config) { c.QueueLimit = 0 }, "queue-limit: 0"},
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
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
}

// entryCases are runs that exercise every way an entry changes: merges of
// every message kind (packed or not), corruption accepted and rejected,
// random crashes and restarts, each detector, mitigation (b) and a reset.
// The packed path and the traced path are each checked against them.
var entryCases = []struct {
	name string
	edit func(*Config)
}{
	{"digest, corruption", func(c *Config) { c.Corruption.Probability = 5e-3 }},
	{"digest, crc32c", func(c *Config) { c.Corruption.Probability = 5e-3; c.Checksum = wire.ChecksumCRC32C }},
	{"digest, crashes", func(c *Config) { c.CrashRate = 120; c.DownTime = 10 * sim.Second }},
	{"full, crashes, corruption", func(c *Config) {
		c.Mode = ModeFull
		c.CrashRate = 60
		c.DownTime = 10 * sim.Second
		c.Corruption.Probability = 5e-3
	}},
	{"phi, crashes, corruption", func(c *Config) {
		c.Detector = DetectorPhi
		c.CrashRate = 120
		c.DownTime = 10 * sim.Second
		c.Corruption.Probability = 5e-3
	}},
	{"suspect, full", func(c *Config) { c.Detector = DetectorSuspect; c.Mode = ModeFull; c.CrashRate = 120 }},
	{"omit failed", func(c *Config) {
		c.CrashRate = 120
		c.DownTime = 30 * sim.Second
		c.OmitFailedAfter = 5 * sim.Second
	}},
	{"reset, corruption, crashes", func(c *Config) {
		c.Corruption.Probability = 5e-3
		c.CrashRate = 60
		c.DownTime = 10 * sim.Second
		c.Reset.Procedure = ResetFast
		c.Reset.At = 60500 * sim.Millisecond
		c.Reset.Stop = 5 * sim.Second
		c.Reset.FastRestore = 5 * sim.Second
	}},
}

// TestPackedPathSameResults checks that the packed path (views written
// column by column, digests compared and replies and deltas merged from
// columns), which only fleets of thousands of nodes take by default, gives
// exactly the results of the path through wire.Entry values: the same
// summary and time series, for each form a packed message can take (a whole
// view or a list of nodes; one generation or several, after restarts), with
// corruption caught and missed, full views, and mitigation (b) leaving
// entries out.
func TestPackedPathSameResults(t *testing.T) {
	defer func(p int) { packFrom = p }(packFrom)
	for _, tc := range entryCases {
		t.Run(tc.name, func(t *testing.T) {
			c := smallConfig()
			tc.edit(&c)
			run := func(pf int) (*Model, []string) {
				packFrom = pf
				m := newModel(t, c, 11)
				m.Advance(120 * sim.Second)
				var rows []string
				for _, s := range m.rec.Samples() {
					rows = append(rows, fmt.Sprintf("%+v", s))
				}
				return m, rows
			}
			plain, plainRows := run(1 << 30) // nothing packed
			packed, packedRows := run(4)     // every message of 4 entries or more
			ps, _ := json.Marshal(plain.Summary())
			qs, _ := json.Marshal(packed.Summary())
			if string(ps) != string(qs) {
				t.Fatalf("summary differs:\n plain  %s\n packed %s", ps, qs)
			}
			if !slices.Equal(plainRows, packedRows) {
				t.Fatalf("time series differs")
			}
			if plain.Events() != packed.Events() || plain.Events() == 0 {
				t.Fatalf("events: plain %d, packed %d", plain.Events(), packed.Events())
			}
		})
	}
}
