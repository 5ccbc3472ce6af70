package transport

import (
	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// The path's events for the run's trace (Config.Trace): every copy of a
// message is numbered as it is sent, from 1, and its life is
//
//	send, then at the sender: drop "loss" or "partition", or corrupt;
//	at the receiver: deliver (it reaches the node, which reads it at once or
//	queues it, see Arrived), then process (read intact), reject ("checksum"
//	or "undecodable") or accept-corrupted; or drop "node-down" (the node
//	is down, or a reset stopped communication), "queue-full" (Discard) or
//	"stale" (DiscardStale: the receiver restarted while it waited).
//
// A message a sender held down by the fault schedule composes is never sent
// (nothing is counted): each destination gets a drop "sender-down" with no
// number. Events are in the run's time (engine time less Config.Origin).
//
// Tracing draws nothing and counts nothing: the hooks only read. Without a
// tracer each hook is one pointer test, and the slots carry no number.

// traceSlot is what the trace keeps with a slot in flight, in
// Transport.tslots (allocated only when tracing).
type traceSlot struct {
	msg     uint64 // the copy's number
	sender  int32  // the true sender (a corrupted message's bytes may say otherwise), -1 when injected
	arrived bool   // Arrived was called: the deliver event is written
}

// Drop reasons (trace.Event.Reason).
const (
	reasonLoss       = "loss"
	reasonPartition  = "partition"
	reasonSenderDown = "sender-down"
	reasonNodeDown   = "node-down"
	reasonQueueFull  = "queue-full"
	reasonStale      = "stale"
	reasonChecksum   = "checksum"
	reasonDecode     = "undecodable"
)

// traceNow is the run's time now, the time of the path's events.
func (t *Transport) traceNow() sim.Time { return t.cfg.Engine.Now() - t.cfg.Origin }

// emit records one message event if the tracer wants its kind now. node is
// where it happens, peer the other end.
func (t *Transport) emit(k trace.Kind, node, peer int32, msg uint64, kind wire.Kind, size uint32, reason string, bits int) {
	now := t.traceNow()
	if !t.tt.Wants(k, now) {
		return
	}
	e := &t.ev
	*e = trace.Event{Time: now, Kind: k, Node: node, Peer: peer, Msg: msg, MsgKind: kind, Size: int32(size),
		Reason: reason, Bits: int32(bits), Subject: -1}
	t.tt.Record(e)
}

// numberSend numbers the next copy of msg, sent to dst, and records its send.
func (t *Transport) numberSend(dst int32, msg *wire.Message, size int) uint64 {
	t.msgSeq++
	t.emit(trace.Send, int32(msg.Sender), dst, t.msgSeq, msg.Kind, uint32(size), "", 0)
	return t.msgSeq
}

// noteSlot keeps copy no's number and sender with slot s.
func (t *Transport) noteSlot(s int32, no uint64, sender int32) {
	for len(t.tslots) <= int(s) {
		t.tslots = append(t.tslots, traceSlot{})
	}
	t.tslots[s] = traceSlot{msg: no, sender: sender}
}

// traceSenderDown records the copies a sender held down never sends.
func (t *Transport) traceSenderDown(dsts []int32, msg *wire.Message) {
	size := wire.EncodedSize(len(msg.Entries), len(msg.Requests), t.cfg.Checksum)
	for _, dst := range dsts {
		t.emit(trace.Drop, dst, int32(msg.Sender), 0, msg.Kind, uint32(size), reasonSenderDown, 0)
	}
}

// traceAt records an event of the message in slot s at its destination.
func (t *Transport) traceAt(k trace.Kind, s int32, reason string) {
	sl, ts := &t.slots[s], &t.tslots[s]
	t.emit(k, sl.dst, ts.sender, ts.msg, sl.kind, sl.size, reason, 0)
}

// traceDelivered records the delivery of the message in slot s, unless
// Arrived already did.
func (t *Transport) traceDelivered(s int32) {
	if !t.tslots[s].arrived {
		t.tslots[s].arrived = true
		t.traceAt(trace.Deliver, s, "")
	}
}

// Arrived tells the trace that the message in slot (a delivery event's Arg)
// has reached its destination, which is up and queues it to be read later
// (ReceiveColumns then, or Discard or DiscardStale). A model that reads a
// message as it arrives need not call it: Receive records the delivery. It
// changes nothing and costs one pointer test without a tracer.
func (t *Transport) Arrived(slot int64) {
	if t.tt != nil {
		t.traceDelivered(int32(slot))
	}
}

// DiscardStale is Discard for a message that waited in a receive queue
// while its receiver restarted or was reset, so that it will not be read:
// it counts what Discard counts, and the trace says "stale" rather than
// "queue-full".
func (t *Transport) DiscardStale(slot int64) {
	if t.tt != nil {
		t.traceAt(trace.Drop, int32(slot), reasonStale)
	}
	t.discard(int32(slot))
}

// TraceSender returns the true sender of the message the last Receive or
// ReceiveColumns returned, whatever a corrupted message's bytes say (-1 for
// one injected), so that a model's trace names the node a belief came
// from as the path's events do. It is -1 without a tracer.
func (t *Transport) TraceSender() int32 {
	if t.tt == nil {
		return -1
	}
	return t.lastSender
}
