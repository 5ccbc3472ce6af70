package transport

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
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
		if in, ok := h.tr.Receive(ev.Arg); ok {
			m := *in
			m.Entries = append([]wire.Entry(nil), in.Entries...)
			m.Requests = append([]uint32(nil), in.Requests...)
			h.got = append(h.got, m)
			h.dst = append(h.dst, ev.Node)
		}
	})
	return h
}

// message returns a one-entry, one-request delta from sender.
func message(sender uint32) *wire.Message {
	return &wire.Message{
		Kind:     wire.KindDelta,
		Sender:   sender,
		Entries:  []wire.Entry{{Node: sender, Generation: 1, Heartbeat: 42, Status: wire.StatusAlive}},
		Requests: []uint32{3},
	}
}

func constLatency(d sim.Time) network.Config {
	return network.Config{Latency: network.Latency{Kind: network.LatencyConstant, A: d}}
}

func TestRoundTrip(t *testing.T) {
	h := newHarness(t, constLatency(sim.Millisecond), corrupt.DefaultConfig(), wire.ChecksumCRC32C, 1)
	msg := message(5)
	h.tr.Send(9, msg)
	msg.Sender, msg.Entries[0].Heartbeat = 6, 0 // the caller's message may be reused at once
	h.eng.RunUntil(sim.Second)
	if len(h.got) != 1 || h.dst[0] != 9 {
		t.Fatalf("got %d messages to %v, want 1 to node 9", len(h.got), h.dst)
	}
	m := h.got[0]
	if m.Kind != wire.KindDelta || m.Sender != 5 || len(m.Entries) != 1 || m.Entries[0].Heartbeat != 42 || len(m.Requests) != 1 || m.Requests[0] != 3 {
		t.Fatalf("got %+v", m)
	}
	if h.cnt.MessagesSent != 1 || h.cnt.BytesSent != int64(wire.EncodedSize(1, 1, wire.ChecksumCRC32C)) || h.cnt.MessagesProcessed != 1 {
		t.Fatalf("counters %+v", h.cnt)
	}
	if n, c := h.tr.InFlight(); n != 0 || c != 0 {
		t.Fatalf("in flight %d (%d corrupted), want none", n, c)
	}
}

func TestLatencyCap(t *testing.T) {
	h := newHarness(t, constLatency(10*sim.Millisecond), corrupt.DefaultConfig(), wire.ChecksumNone, 1)
	h.tr.cfg.LatencyCap = sim.Millisecond
	h.tr.Send(1, message(2))
	h.eng.RunUntil(sim.Millisecond)
	if len(h.got) != 1 {
		t.Fatalf("capped message not delivered by 1ms")
	}
}

func TestLossCounted(t *testing.T) {
	nw := constLatency(sim.Millisecond)
	nw.Loss = 0.5
	h := newHarness(t, nw, corrupt.DefaultConfig(), wire.ChecksumNone, 2)
	msg := message(1)
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
	msg := message(1)
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
	msg := message(1)
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
	msg := message(1)
	tr.Send(1, msg)
	tr.Send(2, msg)
	if n, c := tr.InFlight(); n != 2 || c != 2 {
		t.Fatalf("in flight %d (%d corrupted), want 2 (2)", n, c)
	}
	eng.RunUntil(sim.Second)
	if want := wire.EncodedSize(1, 1, wire.ChecksumCRC32C); tr.Size(args[0]) != want {
		t.Fatalf("Size is %d bytes, want %d", tr.Size(args[0]), want)
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
	msg := message(1)
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
	tr := New(Config{Name: "test", Engine: eng, DeliverKind: evDeliver, Network: nw, Corruption: cc, Checksum: wire.ChecksumCRC32C, Counters: &cnt}, 7)
	eng.SetHandler(func(ev sim.Event) { tr.Receive(ev.Arg) })
	eng.Reserve(64)
	msg := message(1)
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
		msg := message(1)
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
				h.tr.Send(2, message(1))
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
	msg := message(1)
	tr.Send(2, msg)
	bad := wire.Append(nil, msg, wire.ChecksumCRC32C)
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

// randomMessage is a message of a random kind from a random sender with up
// to maxEntries entries and as many requests, all node ids below 100.
func randomMessage(r *rand.Rand, maxEntries int) *wire.Message {
	m := &wire.Message{Kind: wire.Kind(1 + r.IntN(5)), Sender: uint32(r.IntN(100))}
	for range r.IntN(maxEntries + 1) {
		m.Entries = append(m.Entries, wire.Entry{Node: uint32(r.IntN(100)), Generation: r.Uint32(), Heartbeat: r.Uint32(), Status: wire.Status(r.IntN(3))})
	}
	for range r.IntN(maxEntries + 1) {
		m.Requests = append(m.Requests, uint32(r.IntN(100)))
	}
	return m
}

// TestSnapshotsMatchBytes checks the promise of SendAll: what receivers see
// and every counter are exactly what encoding every message, corrupting the
// bytes with corrupt.Apply and decoding them would give, for each corruption
// model and checksum, with messages of many sizes sent to several
// destinations at once.
func TestSnapshotsMatchBytes(t *testing.T) {
	perMessage := corrupt.DefaultConfig()
	perMessage.Probability = 0.3
	perMessage.Bits = 2
	burst := perMessage
	burst.Pattern = corrupt.PatternBurst
	burst.Bits = 9
	perBit := corrupt.DefaultConfig()
	perBit.BitErrorRate = 2e-3
	defer func(p int) { packFrom = p }(packFrom)
	for _, pf := range []int{packFrom, 4} {
		for _, cc := range []corrupt.Config{perMessage, burst, perBit} {
			for _, ck := range []wire.Checksum{wire.ChecksumNone, wire.ChecksumSum8, wire.ChecksumCRC32C} {
				t.Run(fmt.Sprintf("pack-from=%d/ber=%v/bits=%d/%v/%v", pf, cc.BitErrorRate, cc.Bits, cc.Pattern, ck), func(t *testing.T) {
					packFrom = pf
					const seed = 21
					h := newHarness(t, constLatency(sim.Millisecond), cc, ck, seed)
					ref := sim.NewStream(seed, "test/corruption") // the transport's corruption stream, replayed
					var want []wire.Message
					var wantCnt metrics.Counters
					gen := rand.New(rand.NewPCG(1, 2))
					for round := range 300 {
						msg := randomMessage(gen, 40)
						dsts := []int32{int32(round % 7), 3, 9}[:1+round%3]
						for range dsts {
							b := wire.Append(nil, msg, ck)
							wantCnt.MessagesSent++
							wantCnt.BytesSent += int64(len(b))
							corrupted := corrupt.Apply(b, ref, cc) > 0
							if corrupted {
								wantCnt.CorruptionsInjected++
							}
							wantCnt.MessagesProcessed++
							var got wire.Message
							err := wire.Decode(&got, b, ck)
							if err == nil && !InFleet(&got, 100) {
								err = errNotAccepted
							}
							switch {
							case err == nil:
								if corrupted {
									wantCnt.CorruptionsAccepted++
								}
								want = append(want, got)
							case errors.Is(err, wire.ErrChecksum):
								wantCnt.CorruptionsRejected++
								wantCnt.RejectedByKind[msg.Kind]++
							default:
								wantCnt.CorruptionsUndecodable++
							}
						}
						if n := len(msg.Entries); h.tr.Packs(n) && round%2 == 1 {
							// Every other large message built column by column.
							hdr, c := h.tr.ComposeColumns(msg.Kind, msg.Sender, n)
							hdr.Requests = append(hdr.Requests, msg.Requests...)
							vers := make([]uint64, n)
							nodes := c.WithNodes()
							for k, e := range msg.Entries {
								vers[k], c.Statuses[k], nodes[k] = e.Version(), e.Status, e.Node
							}
							c.SetVersions(vers)
							h.tr.SendAll(dsts, hdr)
						} else {
							h.tr.SendAll(dsts, msg)
						}
						msg.Kind, msg.Sender = 0, 999 // reused at once by the sender
						for k := range msg.Entries {
							msg.Entries[k] = wire.Entry{}
						}
						h.eng.RunUntil(sim.Time(round+1) * sim.Second)
					}
					if h.cnt != wantCnt {
						t.Fatalf("counters\n got %+v\nwant %+v", h.cnt, wantCnt)
					}
					if wantCnt.CorruptionsInjected == 0 || wantCnt.CorruptionsInjected == wantCnt.MessagesSent {
						t.Fatalf("%d of %d messages corrupted: the test needs both kinds", wantCnt.CorruptionsInjected, wantCnt.MessagesSent)
					}
					if len(h.got) != len(want) {
						t.Fatalf("received %d messages, want %d", len(h.got), len(want))
					}
					for k := range want {
						g, w := h.got[k], want[k]
						if g.Kind != w.Kind || g.Sender != w.Sender || !slices.Equal(g.Entries, w.Entries) || !slices.Equal(g.Requests, w.Requests) {
							t.Fatalf("message %d:\n got %+v\nwant %+v", k, g, w)
						}
					}
				})
			}
		}
	}
}

// TestPacked checks that packing keeps every entry, for each case the
// packed form distinguishes: a whole view (nodes 0, 1, 2, ...) or not, one
// generation or several.
func TestPacked(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct {
		name          string
		dense, sameGe bool
	}{{"view, one generation", true, true}, {"view, generations differ", true, false}, {"some nodes, one generation", false, true}, {"some nodes, generations differ", false, false}} {
		t.Run(tc.name, func(t *testing.T) {
			var p Columns
			var out []wire.Entry
			for _, n := range []int{0, 1, 300, 40} { // reused, larger then smaller
				es := make([]wire.Entry, n)
				for k := range es {
					es[k] = wire.Entry{Heartbeat: r.Uint32(), Generation: 7, Node: uint32(k), Status: wire.Status(r.IntN(3))}
					if !tc.dense {
						es[k].Node = uint32(3 * k)
					}
					if !tc.sameGe {
						es[k].Generation = r.Uint32()
					}
				}
				p.fill(es)
				if n > 1 && ((p.Nodes == nil) != tc.dense || (p.Gens == nil) != tc.sameGe) {
					t.Fatalf("n=%d: Nodes kept %v, Gens kept %v", n, p.Nodes != nil, p.Gens != nil)
				}
				out = p.Unpack(out)
				if !slices.Equal(out, es) {
					t.Fatalf("n=%d: unpacked\n%+v\nwant\n%+v", n, out, es)
				}
				for k := range es {
					if p.Entry(k) != es[k] {
						t.Fatalf("n=%d: Entry(%d) = %+v, want %+v", n, k, p.Entry(k), es[k])
					}
				}
				// The same entries written column by column.
				var q Columns
				q.resize(n)
				vers := make([]uint64, n)
				for k := range es {
					vers[k], q.Statuses[k] = es[k].Version(), es[k].Status
				}
				q.SetVersions(vers)
				if !tc.dense {
					for k, id := range q.WithNodes() {
						_ = id
						q.Nodes[k] = es[k].Node
					}
				}
				if got := q.Unpack(nil); !slices.Equal(got, es) || (n > 1 && (q.Gens == nil) != tc.sameGe) {
					t.Fatalf("n=%d: SetVersions gave\n%+v\nwant\n%+v", n, got, es)
				}
			}
		})
	}
}

// TestSnapshotSharedAndHeld checks that the destinations of one SendAll
// share one snapshot, that the receiver's message stays valid (and its
// snapshot taken) until its next Receive, and that small messages never take
// a large snapshot.
func TestSnapshotSharedAndHeld(t *testing.T) {
	eng := sim.NewEngine()
	var cnt metrics.Counters
	tr := New(Config{Name: "test", Engine: eng, DeliverKind: evDeliver, Network: constLatency(sim.Millisecond), Checksum: wire.ChecksumCRC32C, Counters: &cnt}, 12)
	var got []*wire.Message
	var senders []uint32
	eng.SetHandler(func(ev sim.Event) {
		if len(got) > 0 && got[len(got)-1].Sender != senders[len(senders)-1] {
			t.Fatal("the previous message changed before this Receive")
		}
		in, ok := tr.Receive(ev.Arg)
		if !ok {
			t.Fatal("an intact message was refused")
		}
		got, senders = append(got, in), append(senders, in.Sender)
		tr.Send(5, message(in.Sender+1)) // the receiver sends while it reads
	})
	big := randomMessage(rand.New(rand.NewPCG(3, 4)), 200)
	big.Sender = 1
	for len(big.Entries) <= 2*classCap[0] {
		big.Entries = append(big.Entries, wire.Entry{Node: 1})
	}
	tr.SendAll([]int32{1, 2, 3, 4}, big)
	if len(tr.snaps) != 1 || tr.snaps[0].refs != 4 {
		t.Fatalf("%d snapshots after one SendAll to 4 (refs %d), want 1 with 4 references", len(tr.snaps), tr.snaps[0].refs)
	}
	eng.RunUntil(sim.Millisecond) // the four deliveries, each sending a small message
	if len(got) != 4 {
		t.Fatalf("%d deliveries, want 4", len(got))
	}
	for _, m := range got {
		if m.Sender != 1 || !slices.Equal(m.Entries, big.Entries) {
			t.Fatalf("a receiver saw %+v", m)
		}
	}
	eng.RunUntil(sim.Second) // the small messages and theirs: the big snapshot is free
	if k := classOf(len(big.Entries)); k >= len(tr.freeSnaps) || len(tr.freeSnaps[k]) != 1 {
		t.Fatalf("free snapshots by class %v, want the big message's in class %d", tr.freeSnaps, k)
	}
	for k := range tr.snaps {
		if c := cap(tr.snaps[k].msg.Entries); k != 0 && c > classCap[0] {
			t.Fatalf("snapshot %d of a small message has capacity for %d entries", k, c)
		}
	}
}

// TestCompose checks that a message built in place is carried without a
// copy, that one never sent is reused by the next Compose, that one every
// copy of which was lost goes back to the pool, and that a tiny one travels
// in its slots, leaving the composed buffer for the next.
// TestSizeClasses checks the snapshot classes: each holds what it promises,
// the steps waste at most 19%, and a snapshot returns to the class it serves.
func TestSizeClasses(t *testing.T) {
	for k := 1; k < len(classCap); k++ {
		if classCap[k] <= classCap[k-1] || float64(classCap[k]) > 1.19*float64(classCap[k-1])+1 {
			t.Fatalf("class %d holds %d after %d", k, classCap[k], classCap[k-1])
		}
	}
	for _, n := range []int{0, 1, 16, 17, 100, 1000, 10000, 1 << 20} {
		k := classOf(n)
		if classCap[k] < n || (k > 0 && classCap[k-1] >= n) {
			t.Fatalf("classOf(%d) = %d holding %d", n, k, classCap[k])
		}
		if classHeld(classCap[k]) != k || classHeld(classCap[k]+1) != k {
			t.Fatalf("a snapshot of class %d (room %d) serves class %d", k, classCap[k], classHeld(classCap[k]))
		}
	}
}

func TestCompose(t *testing.T) {
	nw := constLatency(sim.Millisecond)
	h := newHarness(t, nw, corrupt.DefaultConfig(), wire.ChecksumCRC32C, 13)
	m := h.tr.Compose(wire.KindDelta, 4, 2)
	m.Entries = append(m.Entries, wire.Entry{Node: 4, Generation: 1, Heartbeat: 9}, wire.Entry{Node: 5})
	h.tr.SendAll([]int32{1, 2}, m)
	if len(h.tr.snaps) != 1 || h.tr.snaps[0].refs != 2 || h.tr.composed != -1 {
		t.Fatalf("%d snapshots (refs %d), composed %d; want the composed one carried to both", len(h.tr.snaps), h.tr.snaps[0].refs, h.tr.composed)
	}
	unsent := h.tr.Compose(wire.KindDigest, 5, 1)
	if again := h.tr.Compose(wire.KindDelta, 6, 1); again != unsent || again.Kind != wire.KindDelta || again.Sender != 6 {
		t.Fatalf("a message composed and not sent was not reused: %p vs %p, %+v", again, unsent, again)
	}
	h.eng.RunUntil(sim.Second)
	if len(h.got) != 2 || h.got[0].Sender != 4 || h.got[1].Entries[0].Heartbeat != 9 {
		t.Fatalf("delivered %+v", h.got)
	}

	tiny := h.tr.Compose(wire.KindFailureNotice, 7, 1)
	tiny.Entries = append(tiny.Entries, wire.Entry{Node: 3, Heartbeat: 5})
	h.tr.SendAll([]int32{1, 2}, tiny)
	if h.tr.composed < 0 || &h.tr.snaps[h.tr.composed].msg != tiny {
		t.Fatal("a tiny composed message was taken as a snapshot")
	}
	h.eng.RunUntil(2 * sim.Second)
	if n := len(h.got); n != 4 || h.got[3].Kind != wire.KindFailureNotice || h.got[3].Sender != 7 || h.got[3].Entries[0].Heartbeat != 5 {
		t.Fatalf("tiny message delivered as %+v", h.got[n-1])
	}

	h.tr.cfg.Network.Loss = 1
	freeSmall := func() int {
		if len(h.tr.freeSnaps) == 0 {
			return 0
		}
		return len(h.tr.freeSnaps[0])
	}
	free := freeSmall()
	lost := h.tr.Compose(wire.KindDelta, 6, 1)
	lost.Entries = append(lost.Entries, wire.Entry{Node: 1}, wire.Entry{Node: 2})
	h.tr.SendAll([]int32{1, 2, 3}, lost)
	if freeSmall() != free+1 || h.cnt.MessagesLost != 3 {
		t.Fatalf("free small snapshots %d → %d, lost %d: a composed message no one took was not freed", free, freeSmall(), h.cnt.MessagesLost)
	}
}
