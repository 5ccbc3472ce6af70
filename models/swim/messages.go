package swim

import (
	"slices"

	"github.com/gossipsim/gossipsim/models/wire"
)

// Messages: building, sending, receiving and checking the wire messages.

// SWIM's message kinds, byte 2 of every message it sends. Every message
// carries piggybacked updates as entries; Requests hold (subject, sequence
// number) where the kind needs them.
//
// They are SWIM's own kinds, not the S3 exchange's, but they share its
// numbers: the wire decoder accepts kinds 1 to 5 only, and the values are
// part of a run's bytes (where a flipped bit lands, whether a corrupted kind
// still decodes as another), so renumbering them would change every SWIM
// result and golden file. For the same reason the per-kind rejection
// counters (corruptions_rejected_digest, ...) report a SWIM message under
// the wire kind of the same number, noted on each line.
const (
	kindGossip  wire.Kind = 1 // periodic gossip: updates only (the number of wire.KindFullView)
	kindPing    wire.Kind = 2 // direct probe: Requests = [target, seq] (wire.KindDigest)
	kindPingReq wire.Kind = 3 // indirect probe request: Requests = [target, seq] (wire.KindDigestReply)
	kindAck     wire.Kind = 4 // ack, direct or relayed: Requests = [target, seq] (wire.KindDelta)
	kindNack    wire.Kind = 5 // Lifeguard nack from a relay: Requests = [target, seq] (wire.KindFailureNotice)
)

// begin starts r.out as a message of kind from i with Requests = [subject, seq].
func (r *run) begin(kind wire.Kind, i int, subject, seq uint32) {
	r.out.Kind = kind
	r.out.Sender = uint32(i)
	r.out.Entries = r.out.Entries[:0]
	r.out.Requests = append(r.out.Requests[:0], subject, seq)
}

// send encodes r.out and puts it on the path to dst (package transport:
// loss, corruption, latency).
func (r *run) send(dst int) {
	if r.out.Kind == kindNack {
		r.rec.FailureMessagesSent++
	}
	r.tr.Send(int32(dst), &r.out)
}

// deliver decodes a message at member i and acts on it.
func (r *run) deliver(i int, s int64) {
	if !r.up(i) {
		r.tr.Drop(s)
		return
	}
	// Load the member's four cache lines now, together, rather than one
	// after the other as the message is handled.
	m := &r.members[i]
	r.warm += int32(m.nrow) + int32(len(m.queue)) + m.rowIn[0].member + m.rowIn[rowInline-1].member
	msg, ok := r.tr.Receive(s)
	if !ok {
		return
	}
	for k := range msg.Entries {
		r.apply(i, &msg.Entries[k])
	}
	if msg.Kind == kindGossip {
		return
	}
	from := int(msg.Sender)
	subject, seq := int(msg.Requests[0]), msg.Requests[1]
	switch msg.Kind {
	case kindPing:
		if subject == i && from != i {
			r.begin(kindAck, i, uint32(i), seq)
			r.piggyback(i)
			r.send(from)
		}
	case kindPingReq:
		if subject != i && from != i && subject != from {
			m := &r.members[i]
			m.seq++
			m.relays = append(m.relays, relay{seq: m.seq, originSeq: seq, origin: int32(from), target: int32(subject)})
			r.begin(kindPing, i, uint32(subject), m.seq)
			r.piggyback(i)
			r.send(subject)
			r.eng.After(r.localSpan(i, r.cfg.ProbeTimeout), evRelayTimeout, int32(i), int64(m.seq))
		}
	case kindAck:
		if r.acked(i, subject, seq) {
			return
		}
		m := &r.members[i]
		for x, rl := range m.relays {
			if rl.seq == seq && int(rl.target) == subject {
				m.relays = slices.Delete(m.relays, x, x+1)
				r.begin(kindAck, i, uint32(subject), rl.originSeq)
				r.piggyback(i)
				r.send(int(rl.origin))
				return
			}
		}
	case kindNack:
		m := &r.members[i]
		if m.probing && !m.acked && m.probeSeq == seq && int(m.target) == subject {
			m.nacks++
		}
	}
}

// meaningful is the receiver's semantic check of a decoded message beyond the wire format:
// node ids name members, accusers too, and probe messages carry a subject and
// a sequence number.
func (r *run) meaningful(msg *wire.Message) bool {
	n := uint32(r.n)
	if msg.Sender >= n {
		return false
	}
	for k := range msg.Entries {
		e := &msg.Entries[k]
		if e.Node >= n || (e.Status != alive && e.Heartbeat >= n) {
			return false
		}
	}
	if msg.Kind == kindGossip {
		return true
	}
	return len(msg.Requests) == 2 && msg.Requests[0] < n
}
