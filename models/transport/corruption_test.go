package transport

import (
	"errors"
	"math/bits"
	"testing"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// TestLastCorruptionAgainstWire sends many corrupted messages (2 and 3
// random bits, so that sum8 misses some) and checks each accepted one's
// Corruption against wire: the bits that differ between the encodings of
// the message as sent and as received, the entries that differ, and
// whether sum8 and crc32c reject the message sent encoded with them and
// the same bits of its body flipped.
func TestLastCorruptionAgainstWire(t *testing.T) {
	for _, nbits := range []int{1, 2, 3} {
		cc := corrupt.DefaultConfig()
		cc.Probability, cc.Bits = 1, nbits
		h := &harness{eng: sim.NewEngine()}
		h.tr = New(Config{Name: "test", Engine: h.eng, DeliverKind: evDeliver, Network: constLatency(sim.Millisecond),
			Corruption: cc, Counters: &h.cnt, Accept: func(m *wire.Message) bool { return InFleet(m, 1<<20) }}, uint64(nbits))
		var sent *wire.Message
		accepted, sum8Missed, changed := 0, 0, 0
		h.eng.SetHandler(func(ev sim.Event) {
			in, ok := h.tr.Receive(ev.Arg)
			if !ok {
				return
			}
			accepted++
			c := h.tr.LastCorruption()
			was := wire.Append(nil, sent, wire.ChecksumNone)
			is := wire.Append(nil, in, wire.ChecksumNone) // canonical: the bytes received
			flips := 0
			for k := range was {
				flips += bits.OnesCount8(was[k] ^ is[k])
			}
			if !c.Known || c.BitsFlipped != flips || c.Sender != sent.Sender || c.Kind != sent.Kind {
				t.Fatalf("%d bits: corruption %+v, want %d bits flipped of a %v from %d", nbits, c, flips, sent.Kind, sent.Sender)
			}
			var want []EntryChange
			for k := range sent.Entries {
				if sent.Entries[k] != in.Entries[k] {
					want = append(want, EntryChange{Index: k, Sent: sent.Entries[k], Received: in.Entries[k]})
				}
			}
			if len(want) != len(c.Changes) {
				t.Fatalf("changes %+v, want %+v", c.Changes, want)
			}
			for k := range want {
				if want[k] != c.Changes[k] {
					t.Fatalf("changes %+v, want %+v", c.Changes, want)
				}
			}
			changed += len(want)
			for _, ck := range []wire.Checksum{wire.ChecksumSum8, wire.ChecksumCRC32C} {
				b := wire.Append(nil, sent, ck)
				for k := range was {
					if k != 3 { // the checksum-kind byte, never flipped in an accepted message
						b[k] ^= was[k] ^ is[k]
					}
				}
				var m wire.Message
				err := wire.Decode(&m, b, ck)
				rejected := errors.Is(err, wire.ErrChecksum)
				if err != nil && !rejected {
					t.Fatalf("%v: %v", ck, err)
				}
				got := c.RejectedByCRC32C
				if ck == wire.ChecksumSum8 {
					got = c.RejectedBySum8
					if !rejected {
						sum8Missed++
					}
				}
				if got != rejected {
					t.Fatalf("%d bits: rejected by %v = %v, wire says %v", nbits, ck, got, rejected)
				}
			}
		})
		for k := range 3000 {
			sent = &wire.Message{Kind: wire.KindDigestReply, Sender: uint32(k % 7)}
			for e := range 1 + k%5 {
				sent.Entries = append(sent.Entries, wire.Entry{Node: uint32(e), Generation: 1, Heartbeat: uint32(k*e + 3), Status: wire.Status(e % 3)})
			}
			sent.Requests = []uint32{uint32(k % 11)}
			h.tr.Send(1, sent)
			h.eng.RunUntil(h.eng.Now() + sim.Second)
		}
		if accepted < 100 || changed == 0 || (nbits == 2 && sum8Missed == 0) {
			t.Fatalf("%d bits: %d accepted, %d entries changed, %d missed by sum8: the test exercises too little", nbits, accepted, changed, sum8Missed)
		}
		if nbits == 1 && sum8Missed != 0 {
			t.Fatalf("sum8 missed %d single-bit flips", sum8Missed)
		}
	}
}

// TestInjectedCorruptionUnknown: bytes put on the path by Inject have no
// message as sent.
func TestInjectedCorruptionUnknown(t *testing.T) {
	h := newHarness(t, constLatency(sim.Millisecond), corrupt.DefaultConfig(), wire.ChecksumNone, 1)
	h.tr.Inject(2, wire.Append(nil, message(5), wire.ChecksumNone))
	h.eng.RunUntil(sim.Second)
	if len(h.got) != 1 || h.tr.LastCorruption().Known {
		t.Fatalf("got %d messages, corruption %+v; want 1, unknown", len(h.got), h.tr.LastCorruption())
	}
}
