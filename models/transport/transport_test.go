package transport

import (
	"testing"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

const evDeliver = 7

// harness wires a Transport to an engine whose deliveries it records.
type harness struct {
	eng *sim.Engine
	cnt metrics.Counters
	tr  *Transport
	in  wire.Message
	got []wire.Message // accepted messages, in delivery order
	dst []int32
}

func newHarness(t *testing.T, nw network.Config, cc corrupt.Config, ck wire.Checksum, seed uint64) *harness {
	t.Helper()
	h := &harness{eng: sim.NewEngine()}
	h.tr = New(Config{
		Name:        "test",
		Engine:      h.eng,
		DeliverKind: evDeliver,
		Network:     nw,
		Corruption:  cc,
		Checksum:    ck,
		Counters:    &h.cnt,
		Accept:      func(m *wire.Message) bool { return InFleet(m, 100) },
	}, seed)
	h.eng.SetHandler(func(ev sim.Event) {
		if ev.Kind != evDeliver {
			t.Fatalf("event kind %d, want %d", ev.Kind, evDeliver)
		}
		if h.tr.Receive(ev.Arg, &h.in) {
			m := h.in
			m.Entries = append([]wire.Entry(nil), h.in.Entries...)
			m.Requests = append([]uint32(nil), h.in.Requests...)
			h.got = append(h.got, m)
			h.dst = append(h.dst, ev.Node)
		}
	})
	return h
}

func encode(sender uint32, ck wire.Checksum) []byte {
	m := wire.Message{
		Kind:     wire.KindDelta,
		Sender:   sender,
		Entries:  []wire.Entry{{Node: sender, Generation: 1, Heartbeat: 42, Status: wire.StatusAlive}},
		Requests: []uint32{3},
	}
	return wire.Append(nil, &m, ck)
}

func constLatency(d sim.Time) network.Config {
	return network.Config{Latency: network.Latency{Kind: network.LatencyConstant, A: d}}
}

func TestRoundTrip(t *testing.T) {
	h := newHarness(t, constLatency(sim.Millisecond), corrupt.DefaultConfig(), wire.ChecksumCRC32C, 1)
	msg := encode(5, wire.ChecksumCRC32C)
	h.tr.Send(9, msg)
	msg[0] = 0 // the caller's buffer may be reused at once
	h.eng.RunUntil(sim.Second)
	if len(h.got) != 1 || h.dst[0] != 9 {
		t.Fatalf("got %d messages to %v, want 1 to node 9", len(h.got), h.dst)
	}
	m := h.got[0]
	if m.Kind != wire.KindDelta || m.Sender != 5 || len(m.Entries) != 1 || m.Entries[0].Heartbeat != 42 || len(m.Requests) != 1 || m.Requests[0] != 3 {
		t.Fatalf("got %+v", m)
	}
	if h.cnt.MessagesSent != 1 || h.cnt.BytesSent != int64(len(msg)) || h.cnt.MessagesProcessed != 1 {
		t.Fatalf("counters %+v", h.cnt)
	}
	if n, c := h.tr.InFlight(); n != 0 || c != 0 {
		t.Fatalf("in flight %d (%d corrupted), want none", n, c)
	}
}

func TestLatencyCap(t *testing.T) {
	h := newHarness(t, constLatency(10*sim.Millisecond), corrupt.DefaultConfig(), wire.ChecksumNone, 1)
	h.tr.cfg.LatencyCap = sim.Millisecond
	h.tr.Send(1, encode(2, wire.ChecksumNone))
	h.eng.RunUntil(sim.Millisecond)
	if len(h.got) != 1 {
		t.Fatalf("capped message not delivered by 1ms")
	}
}

func TestLossCounted(t *testing.T) {
	nw := constLatency(sim.Millisecond)
	nw.Loss = 0.5
	h := newHarness(t, nw, corrupt.DefaultConfig(), wire.ChecksumNone, 2)
	msg := encode(1, wire.ChecksumNone)
	const n = 4000
	for range n {
		h.tr.Send(2, msg)
	}
	h.eng.RunUntil(sim.Second)
	lost := h.cnt.MessagesLost
	if lost < n/2-200 || lost > n/2+200 {
		t.Fatalf("lost %d of %d at loss 0.5", lost, n)
	}
	if h.cnt.MessagesSent != n || h.cnt.MessagesProcessed != n-lost || int64(len(h.got)) != n-lost {
		t.Fatalf("sent %d processed %d delivered %d lost %d", h.cnt.MessagesSent, h.cnt.MessagesProcessed, len(h.got), lost)
	}
}

func TestCorruptionWithChecksumRejected(t *testing.T) {
	cc := corrupt.DefaultConfig()
	cc.Probability = 1
	h := newHarness(t, constLatency(sim.Millisecond), cc, wire.ChecksumCRC32C, 3)
	msg := encode(1, wire.ChecksumCRC32C)
	const n = 500
	for range n {
		h.tr.Send(2, msg)
	}
	h.eng.RunUntil(sim.Second)
	c := h.cnt
	if c.CorruptionsInjected != n || c.CorruptionsRejected != n || c.RejectedByKind[wire.KindDelta] != n {
		t.Fatalf("injected %d rejected %d (delta %d), want all %d", c.CorruptionsInjected, c.CorruptionsRejected, c.RejectedByKind[wire.KindDelta], n)
	}
	if c.CorruptionsAccepted != 0 || c.CorruptionsUndecodable != 0 || len(h.got) != 0 {
		t.Fatalf("accepted %d undecodable %d delivered %d, want none", c.CorruptionsAccepted, c.CorruptionsUndecodable, len(h.got))
	}
}

func TestCorruptionWithoutChecksum(t *testing.T) {
	cc := corrupt.DefaultConfig()
	cc.Probability = 1
	h := newHarness(t, constLatency(sim.Millisecond), cc, wire.ChecksumNone, 4)
	msg := encode(1, wire.ChecksumNone)
	const n = 2000
	for range n {
		h.tr.Send(2, msg)
	}
	h.eng.RunUntil(sim.Second)
	c := h.cnt
	if c.CorruptionsInjected != n || c.CorruptionsRejected != 0 {
		t.Fatalf("injected %d rejected %d, want %d and 0", c.CorruptionsInjected, c.CorruptionsRejected, n)
	}
	if c.CorruptionsAccepted+c.CorruptionsUndecodable != n || c.CorruptionsAccepted == 0 || c.CorruptionsUndecodable == 0 {
		t.Fatalf("accepted %d + undecodable %d, want both positive summing to %d", c.CorruptionsAccepted, c.CorruptionsUndecodable, n)
	}
	if int64(len(h.got)) != c.CorruptionsAccepted {
		t.Fatalf("delivered %d, accepted %d", len(h.got), c.CorruptionsAccepted)
	}
}

func TestDropAndInFlight(t *testing.T) {
	cc := corrupt.DefaultConfig()
	cc.Probability = 1
	eng := sim.NewEngine()
	var cnt metrics.Counters
	tr := New(Config{Name: "test", Engine: eng, DeliverKind: evDeliver, Network: constLatency(sim.Millisecond), Corruption: cc, Checksum: wire.ChecksumCRC32C, Counters: &cnt}, 5)
	var args []int64
	eng.SetHandler(func(ev sim.Event) { args = append(args, ev.Arg) })
	msg := encode(1, wire.ChecksumCRC32C)
	tr.Send(1, msg)
	tr.Send(2, msg)
	if n, c := tr.InFlight(); n != 2 || c != 2 {
		t.Fatalf("in flight %d (%d corrupted), want 2 (2)", n, c)
	}
	eng.RunUntil(sim.Second)
	if len(tr.Bytes(args[0])) != len(msg) {
		t.Fatalf("Bytes has %d bytes, want %d", len(tr.Bytes(args[0])), len(msg))
	}
	tr.Drop(args[0])
	if cnt.MessagesToDownNodes != 1 || cnt.CorruptionsLost != 1 || cnt.MessagesProcessed != 0 {
		t.Fatalf("counters after Drop: %+v", cnt)
	}
	if n, _ := tr.InFlight(); n != 1 {
		t.Fatalf("in flight %d after Drop, want 1", n)
	}
}

func TestFreeListReuse(t *testing.T) {
	h := newHarness(t, constLatency(sim.Millisecond), corrupt.DefaultConfig(), wire.ChecksumCRC32C, 6)
	msg := encode(1, wire.ChecksumCRC32C)
	for round := range 100 {
		for range 10 {
			h.tr.Send(2, msg)
		}
		h.eng.RunUntil(sim.Time(round+1) * sim.Second)
	}
	if len(h.tr.slots) != 10 {
		t.Fatalf("%d slots after 100 rounds of 10 messages, want 10 reused", len(h.tr.slots))
	}
	if len(h.got) != 1000 {
		t.Fatalf("delivered %d, want 1000", len(h.got))
	}
}

func TestZeroAllocsWhenWarm(t *testing.T) {
	nw := constLatency(sim.Millisecond)
	nw.Loss = 0.1
	// No corruption: wire.Decode builds an error value for each corrupted
	// message it refuses, which allocates; the transport itself does not.
	cc := corrupt.DefaultConfig()
	eng := sim.NewEngine()
	var cnt metrics.Counters
	var in wire.Message
	in.Entries = make([]wire.Entry, 0, 4)
	in.Requests = make([]uint32, 0, 4)
	tr := New(Config{Name: "test", Engine: eng, DeliverKind: evDeliver, Network: nw, Corruption: cc, Checksum: wire.ChecksumCRC32C, Counters: &cnt}, 7)
	eng.SetHandler(func(ev sim.Event) { tr.Receive(ev.Arg, &in) })
	eng.Reserve(64)
	msg := encode(1, wire.ChecksumCRC32C)
	var now sim.Time
	step := func() {
		for range 8 {
			tr.Send(2, msg)
		}
		now += sim.Second
		eng.RunUntil(now)
	}
	for range 10 {
		step() // warm up
	}
	if a := testing.AllocsPerRun(100, step); a != 0 {
		t.Fatalf("%v allocations per 8 messages once warm, want 0", a)
	}
}

func TestDeterministic(t *testing.T) {
	run := func(seed uint64) metrics.Counters {
		nw := network.DefaultConfig()
		nw.Loss = 0.2
		cc := corrupt.DefaultConfig()
		cc.Probability = 0.3
		h := newHarness(t, nw, cc, wire.ChecksumSum8, seed)
		msg := encode(1, wire.ChecksumSum8)
		for range 1000 {
			h.tr.Send(2, msg)
		}
		h.eng.RunUntil(sim.Minute)
		return h.cnt
	}
	a, b, c := run(11), run(11), run(12)
	if a != b {
		t.Fatalf("same seed, different counters:\n%+v\n%+v", a, b)
	}
	if a == c {
		t.Fatalf("different seeds, identical counters %+v", a)
	}
}

func TestInFleet(t *testing.T) {
	m := wire.Message{Sender: 1, Entries: []wire.Entry{{Node: 2}}, Requests: []uint32{3}}
	if !InFleet(&m, 4) {
		t.Fatal("all ids below 4, InFleet = false")
	}
	for _, edit := range []func(*wire.Message){
		func(m *wire.Message) { m.Sender = 4 },
		func(m *wire.Message) { m.Entries[0].Node = 4 },
		func(m *wire.Message) { m.Requests[0] = 4 },
	} {
		c := m
		c.Entries = append([]wire.Entry(nil), m.Entries...)
		c.Requests = append([]uint32(nil), m.Requests...)
		edit(&c)
		if InFleet(&c, 4) {
			t.Fatalf("id 4 in %+v, InFleet(4) = true", c)
		}
	}
}

func TestArenaMode(t *testing.T) {
	for _, ck := range []wire.Checksum{wire.ChecksumNone, wire.ChecksumCRC32C} {
		msg := encode(1, ck)
		cc := corrupt.DefaultConfig()
		cc.Probability = 0.5
		eng := sim.NewEngine()
		var cnt metrics.Counters
		var in wire.Message
		tr := New(Config{Name: "test", Engine: eng, DeliverKind: evDeliver, Network: constLatency(sim.Millisecond), Corruption: cc, Checksum: ck, Counters: &cnt, MaxSize: len(msg)}, 8)
		var got int
		eng.SetHandler(func(ev sim.Event) {
			if tr.Receive(ev.Arg, &in) {
				got++
				if in.Sender != 1 && cnt.CorruptionsAccepted == 0 {
					t.Fatalf("uncorrupted message from %d, want 1", in.Sender)
				}
			}
		})
		for round := range 50 {
			for range 4 {
				tr.Send(2, msg)
			}
			eng.RunUntil(sim.Time(round+1) * sim.Second)
		}
		if len(tr.slots) != 4 || len(tr.arena) != 4*len(msg) {
			t.Fatalf("%d slots, arena %d bytes; want 4 and %d", len(tr.slots), len(tr.arena), 4*len(msg))
		}
		c := cnt
		if c.MessagesProcessed != 200 || int64(got) != 200-c.CorruptionsRejected-c.CorruptionsUndecodable || c.CorruptionsInjected != c.CorruptionsRejected+c.CorruptionsUndecodable+c.CorruptionsAccepted {
			t.Fatalf("%v: delivered %d, counters %+v", ck, got, c)
		}
		if ck != wire.ChecksumNone && c.CorruptionsAccepted != 0 {
			t.Fatalf("crc32c accepted %d corrupted messages", c.CorruptionsAccepted)
		}
	}
}

// bigMessage encodes a delta with entries entries from sender 1.
func bigMessage(entries int, ck wire.Checksum) []byte {
	m := wire.Message{Kind: wire.KindDelta, Sender: 1}
	for i := range entries {
		m.Entries = append(m.Entries, wire.Entry{Node: uint32(i % 50), Generation: 1, Heartbeat: 7})
	}
	return wire.Append(nil, &m, ck)
}

func TestSizeClasses(t *testing.T) {
	const small = 64
	tests := []struct {
		name       string
		sizes      [][]int // messages per round (entries), each round delivered before the next
		wantSlots  int
		wantLarges int // slots whose buffers exceed small
	}{
		{"small messages share small slots", [][]int{{1, 1}, {1, 1}}, 2, 0},
		{"a large message does not take a small slot", [][]int{{1}, {20}}, 2, 1},
		{"a small message does not take a large slot", [][]int{{20}, {1}}, 2, 1},
		{"large slots are reused for large messages", [][]int{{20, 30}, {30, 20}}, 2, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			eng := sim.NewEngine()
			var cnt metrics.Counters
			var in wire.Message
			tr := New(Config{Name: "test", Engine: eng, DeliverKind: evDeliver, Network: constLatency(sim.Millisecond), Checksum: wire.ChecksumCRC32C, Counters: &cnt, SmallSize: small}, 9)
			var got int
			eng.SetHandler(func(ev sim.Event) {
				if tr.Receive(ev.Arg, &in) {
					got++
				}
			})
			sent := 0
			for r, round := range tc.sizes {
				for _, e := range round {
					tr.Send(2, bigMessage(e, wire.ChecksumCRC32C))
					sent++
				}
				eng.RunUntil(sim.Time(r+1) * sim.Second)
			}
			if got != sent {
				t.Fatalf("delivered %d of %d", got, sent)
			}
			large := 0
			for s := range tr.slots {
				if cap(tr.bufs[s]) > small {
					large++
				} else if cap(tr.bufs[s]) != small {
					t.Fatalf("small slot %d holds %d bytes, want %d", s, cap(tr.bufs[s]), small)
				}
			}
			if len(tr.slots) != tc.wantSlots || large != tc.wantLarges {
				t.Fatalf("%d slots (%d large), want %d (%d large)", len(tr.slots), large, tc.wantSlots, tc.wantLarges)
			}
		})
	}
}

func TestCorruptionWindow(t *testing.T) {
	cc := corrupt.DefaultConfig()
	cc.Probability = 1
	tests := []struct {
		name        string
		from, until sim.Time
		want        int64 // of one message sent at each of 0s, 1s, ..., 9s
	}{
		{"no window", 0, 0, 10},
		{"from 3s, no end", 3 * sim.Second, 0, 7},
		{"from 3s until 5s", 3 * sim.Second, 5 * sim.Second, 2},
		{"until 1s", 0, sim.Second, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, constLatency(sim.Millisecond), cc, wire.ChecksumCRC32C, 10)
			h.tr.cfg.Corruption.From, h.tr.cfg.Corruption.Until = tc.from, tc.until
			for i := range 10 {
				h.eng.RunUntil(sim.Time(i) * sim.Second)
				h.tr.Send(2, encode(1, wire.ChecksumCRC32C))
			}
			h.eng.RunUntil(time10)
			if h.cnt.CorruptionsInjected != tc.want || h.cnt.CorruptionsRejected != tc.want || int64(len(h.got)) != 10-tc.want {
				t.Fatalf("injected %d rejected %d delivered %d, want %d, %d, %d", h.cnt.CorruptionsInjected, h.cnt.CorruptionsRejected, len(h.got), tc.want, tc.want, 10-tc.want)
			}
		})
	}
}

const time10 = 10 * sim.Second

func TestDiscardTagCorruptedInject(t *testing.T) {
	eng := sim.NewEngine()
	var cnt metrics.Counters
	tr := New(Config{Name: "test", Engine: eng, DeliverKind: evDeliver, Network: constLatency(sim.Millisecond), Checksum: wire.ChecksumCRC32C, Counters: &cnt}, 11)
	var args []int64
	eng.SetHandler(func(ev sim.Event) { args = append(args, ev.Arg) })
	msg := encode(1, wire.ChecksumCRC32C)
	tr.Send(2, msg)
	bad := append([]byte(nil), msg...)
	bad[len(bad)-1] ^= 1
	tr.Inject(3, bad)
	eng.RunUntil(sim.Second)
	if len(args) != 2 {
		t.Fatalf("%d deliveries, want 2", len(args))
	}
	sent, injected := args[1], args[0] // the injected message is delivered at once
	if tr.Corrupted(sent) || !tr.Corrupted(injected) {
		t.Fatalf("Corrupted: sent %v injected %v, want false, true", tr.Corrupted(sent), tr.Corrupted(injected))
	}
	if tr.Tag(sent) != 0 {
		t.Fatalf("a sent slot's tag is %d, want 0", tr.Tag(sent))
	}
	tr.SetTag(sent, 42)
	if tr.Tag(sent) != 42 {
		t.Fatalf("tag %d after SetTag(42)", tr.Tag(sent))
	}
	tr.Discard(sent)
	tr.Discard(injected)
	if cnt.CorruptionsInjected != 1 || cnt.MessagesSent != 1 || cnt.CorruptionsLost != 1 || cnt.MessagesToDownNodes != 0 || cnt.MessagesProcessed != 0 {
		t.Fatalf("counters after Discard: %+v", cnt)
	}
	if n, _ := tr.InFlight(); n != 0 {
		t.Fatalf("in flight %d after Discard, want 0", n)
	}
	tr.Send(2, msg) // a reused slot starts with tag 0
	eng.RunUntil(2 * sim.Second)
	if a := args[len(args)-1]; tr.Tag(a) != 0 {
		t.Fatalf("a reused slot's tag is %d, want 0", tr.Tag(a))
	}
}
