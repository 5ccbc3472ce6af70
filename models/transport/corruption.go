package transport

import (
	"hash/crc32"
	"math/bits"
	"slices"

	"github.com/gossipsim/gossipsim/models/wire"
)

// Corruption is what bit flips did to one accepted corrupted message: the
// message as it was sent, the entries whose decoded (node, version, status)
// differ from what was sent, how many bits were flipped, and whether the
// weak and the strong checksum would have rejected the same flips.
//
// It is exact: the transport keeps the bytes of a message it corrupts as
// they were before the flips (only for corrupted messages, which are rare),
// and compares them with what the receiver decoded. It draws nothing.
type Corruption struct {
	// Known is false for bytes put on the path by Inject, whose message as
	// sent is unknown; every other field is then zero.
	Known bool
	// Sender and Kind are the message's sender and kind as sent (a flip may
	// have changed what the receiver decoded).
	Sender uint32
	Kind   wire.Kind
	// BitsFlipped is the number of bits of the encoding that differ from
	// the bytes sent.
	BitsFlipped int
	// Changes are the entries whose decoded node, version or status differ
	// from the entry sent at the same position, in order.
	Changes []EntryChange
	// RejectedBySum8 and RejectedByCRC32C report whether a receiver
	// checking that checksum would have rejected the message: the same
	// flips of the message's body (every byte before the run's checksum
	// trailer, at the same bit positions) with that checksum's trailer
	// over it. The checksum-kind byte (3) is never among the flips of an
	// accepted message, and a trailer's own bytes are left out (only a run
	// with a checksum has one to flip). With no checksum (none) every such
	// message would have been accepted.
	RejectedBySum8, RejectedByCRC32C bool
}

// EntryChange is one entry a corruption changed: the entry at position
// Index as sent and as the receiver decoded it.
type EntryChange struct {
	Index    int
	Sent     wire.Entry
	Received wire.Entry
}

// corruptionLog keeps, per slot, the bytes of the corrupted message it
// carries as they were before the flips, and the account of the last
// accepted corrupted message (LastCorruption).
type corruptionLog struct {
	sent    [][]byte // by slot; nil: unknown (Inject) or never corrupted
	last    Corruption
	sentMsg wire.Message // scratch: the message as sent, decoded
}

// keepSent keeps the bytes of slot s's message before its bits are flipped.
func (t *Transport) keepSent(s int32) {
	c := &t.corr
	if len(c.sent) <= int(s) {
		c.sent = slices.Grow(c.sent, len(t.slots)-len(c.sent))[:len(t.slots)]
	}
	c.sent[s] = append(c.sent[s][:0], t.bufs[s]...)
}

// forgetSent marks slot s's bytes as of unknown origin (Inject).
func (t *Transport) forgetSent(s int32) {
	if int(s) < len(t.corr.sent) {
		t.corr.sent[s] = t.corr.sent[s][:0]
	}
}

// noteAccepted records what the flips did to slot s's message, accepted
// and decoded into t.in.
func (t *Transport) noteAccepted(s int32) {
	c := &t.corr
	var sent []byte
	if int(s) < len(c.sent) {
		sent = c.sent[s]
	}
	got := t.bufs[s]
	changes := c.last.Changes[:0]
	c.last = Corruption{}
	if len(sent) == 0 || len(sent) != len(got) || wire.Decode(&c.sentMsg, sent, t.cfg.Checksum) != nil {
		c.last.Changes = changes
		return
	}
	c.last = compareBytes(sent, got, t.cfg.Checksum, &c.sentMsg, &t.in, changes)
}

// compareBytes is the Corruption of a message sent as sent (decoded: was)
// and received as got (decoded: is), both encoded with checksum cs;
// changes is reused for its Changes.
func compareBytes(sent, got []byte, cs wire.Checksum, was, is *wire.Message, changes []EntryChange) Corruption {
	c := Corruption{Known: true, Sender: was.Sender, Kind: was.Kind}
	for k := range sent {
		c.BitsFlipped += bits.OnesCount8(sent[k] ^ got[k])
	}
	body := len(sent) - cs.Size()
	var sumSent, sumGot byte
	for k := range body {
		sumSent += sent[k]
		sumGot += got[k]
	}
	// Both are affine in the bytes: whether the same body flips change
	// them does not depend on the checksum-kind byte the encodings differ in.
	c.RejectedBySum8 = sumSent != sumGot
	c.RejectedByCRC32C = crc32.Checksum(sent[:body], castagnoli) != crc32.Checksum(got[:body], castagnoli)
	n := max(len(was.Entries), len(is.Entries))
	for k := range n {
		var a, b wire.Entry
		if k < len(was.Entries) {
			a = was.Entries[k]
		}
		if k < len(is.Entries) {
			b = is.Entries[k]
		}
		if a != b {
			changes = append(changes, EntryChange{Index: k, Sent: a, Received: b})
		}
	}
	c.Changes = changes
	return c
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// LastCorruption is what the flips did to the last corrupted message
// Receive or ReceiveColumns accepted: valid until the next one is
// accepted. A receiver reads it right after receiving a message for which
// Corrupted was true.
func (t *Transport) LastCorruption() *Corruption { return &t.corr.last }
