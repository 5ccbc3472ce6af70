package transport

import (
	"errors"
	"math"
	"math/rand/v2"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Config is what a Transport needs from its run.
type Config struct {
	// Name prefixes the random streams ("<Name>/latency", "<Name>/loss",
	// "<Name>/corruption") and the panic messages; the protocol's name.
	Name string
	// Engine schedules the deliveries.
	Engine *sim.Engine
	// DeliverKind is the event kind of a delivery; its Node is the
	// destination and its Arg the slot to pass to Receive or Drop.
	DeliverKind uint32
	// Network is the latency and loss of the path.
	Network network.Config
	// Corruption flips bits of the encoded messages sent within its episode
	// (corrupt.Config.From, Until), in the run's time: engine time less Origin.
	Corruption corrupt.Config
	// Origin is the engine time at which the run's time starts (a model
	// with a warm-up before its measured horizon starts later than 0).
	Origin sim.Time
	// Checksum is the trailer receivers verify.
	Checksum wire.Checksum
	// Counters receives the message and corruption counts; required.
	Counters *metrics.Counters
	// LatencyCap, when positive, caps every latency draw (protocols with
	// synchronous rounds keep each message within its round).
	LatencyCap sim.Time
	// MaxSize, when positive (at most 65535), is the largest encoded message the protocol
	// sends (wire.EncodedSize of its largest message): the slots then share
	// one arena with that stride, the most compact layout for a protocol
	// with many small messages in flight. With 0 each slot has its own
	// buffer, grown to the largest message it has carried.
	MaxSize int
	// SmallSize, when positive (and MaxSize is 0), splits the slots into two
	// size classes: a message of at most SmallSize bytes takes a slot whose
	// buffer holds SmallSize bytes, a larger one a slot of its own size or
	// more, so a storm of small messages never pins large buffers. 0: one
	// pool of slots, each grown to the largest message it has carried.
	SmallSize int
	// Accept is the receiver's semantic check of a decoded message (a kind
	// the protocol sends, node ids inside the fleet, ...); a message it
	// refuses counts as undecodable. Nil accepts every decoded message.
	Accept func(m *wire.Message) bool
}

// slot is a message in flight: the length of its bytes, which live in the
// arena (MaxSize > 0) or in bufs, and ground truth for the counters.
type slot struct {
	size      uint16 // MaxSize > 0 only; otherwise len(bufs[s])
	corrupted bool
	busy      bool      // in flight (not on the free list)
	kind      wire.Kind // the kind as sent, for RejectedByKind
	tag       int64     // the receiver's note (SetTag), e.g. its epoch when it queued the message
}

// Transport carries the messages of one run. It is not safe for concurrent
// use; a run owns one.
type Transport struct {
	cfg                          Config
	cnt                          *metrics.Counters
	latency, loss, corruptStream *rand.Rand

	slots     []slot
	free      []int32  // free slots (with SmallSize: those of at most SmallSize bytes)
	freeLarge []int32  // SmallSize > 0: free slots with larger buffers
	arena     []byte   // MaxSize > 0: slot s's bytes start at s*MaxSize
	bufs      [][]byte // MaxSize = 0: slot s's buffer
}

// New returns the transport of a run with the given seed.
func New(cfg Config, seed uint64) *Transport {
	if cfg.Engine == nil || cfg.Counters == nil {
		panic("transport: Config needs an Engine and Counters")
	}
	if cfg.MaxSize > math.MaxUint16 {
		panic("transport: Config.MaxSize above 65535; use 0 (a buffer per slot)")
	}
	if cfg.MaxSize > 0 && cfg.SmallSize > 0 {
		panic("transport: Config.SmallSize needs MaxSize 0 (a buffer per slot)")
	}
	return &Transport{
		cfg:           cfg,
		cnt:           cfg.Counters,
		latency:       sim.NewStream(seed, cfg.Name+"/latency"),
		loss:          sim.NewStream(seed, cfg.Name+"/loss"),
		corruptStream: sim.NewStream(seed, cfg.Name+"/corruption"),
	}
}

// Send puts a copy of the encoded message msg on the path to node dst: it
// counts MessagesSent and BytesSent, draws the loss (counting MessagesLost),
// copies msg into a free slot, corrupts it (counting CorruptionsInjected),
// draws the latency and schedules the delivery. msg may be reused as soon
// as Send returns.
func (t *Transport) Send(dst int32, msg []byte) {
	t.cnt.MessagesSent++
	t.cnt.BytesSent += int64(len(msg))
	if t.cfg.Network.Loss > 0 && t.loss.Float64() < t.cfg.Network.Loss {
		t.cnt.MessagesLost++
		return
	}
	s := t.alloc(len(msg))
	sl := &t.slots[s]
	*sl = slot{size: uint16(len(msg)), busy: true}
	if len(msg) > 2 {
		sl.kind = wire.Kind(msg[2])
	}
	var buf []byte
	if m := t.cfg.MaxSize; m > 0 {
		if len(msg) > m {
			panic("transport: a message is larger than Config.MaxSize")
		}
		buf = t.arena[int(s)*m : int(s)*m+len(msg)]
		copy(buf, msg)
	} else {
		buf = append(t.bufs[s][:0], msg...)
		t.bufs[s] = buf
	}
	if t.corruptionActive() && corrupt.Apply(buf, t.corruptStream, t.cfg.Corruption) > 0 {
		sl.corrupted = true
		t.cnt.CorruptionsInjected++
	}
	d := t.cfg.Network.Latency.Draw(t.latency)
	if t.cfg.LatencyCap > 0 {
		d = min(d, t.cfg.LatencyCap)
	}
	t.cfg.Engine.After(d, t.cfg.DeliverKind, dst, int64(s))
}

// corruptionActive reports whether a message sent now can be corrupted.
func (t *Transport) corruptionActive() bool {
	return t.cfg.Corruption.Active(t.cfg.Engine.Now() - t.cfg.Origin)
}

// alloc returns a free slot for a message of size bytes.
func (t *Transport) alloc(size int) int32 {
	pool := &t.free
	if small := t.cfg.SmallSize; small > 0 && size > small {
		pool = &t.freeLarge
	}
	if k := len(*pool); k > 0 {
		s := (*pool)[k-1]
		*pool = (*pool)[:k-1]
		return s
	}
	t.slots = append(t.slots, slot{})
	switch m := t.cfg.MaxSize; {
	case m > 0:
		t.arena = append(t.arena, make([]byte, m)...)
	case t.cfg.SmallSize > 0:
		t.bufs = append(t.bufs, make([]byte, 0, max(size, t.cfg.SmallSize)))
	default:
		t.bufs = append(t.bufs, nil)
	}
	return int32(len(t.slots) - 1)
}

// bytes is slot s's message.
func (t *Transport) bytes(s int32) []byte {
	if m := t.cfg.MaxSize; m > 0 {
		at := int(s) * m
		return t.arena[at : at+int(t.slots[s].size)]
	}
	return t.bufs[s]
}

func (t *Transport) release(s int32) {
	t.slots[s].busy = false
	if small := t.cfg.SmallSize; small > 0 && cap(t.bufs[s]) > small {
		t.freeLarge = append(t.freeLarge, s)
		return
	}
	t.free = append(t.free, s)
}

// errNotAccepted marks a message that decoded but failed Config.Accept.
var errNotAccepted = errors.New("transport: message not accepted")

// Receive decodes the message in slot (a delivery event's Arg) into into,
// frees the slot and reports whether the receiver should act on it. It
// counts MessagesProcessed and then exactly one outcome for a corrupted
// message: CorruptionsRejected (and RejectedByKind) when the checksum caught
// it, CorruptionsUndecodable when it did not decode or failed Accept,
// CorruptionsAccepted when it got through. An uncorrupted message that fails
// is a bug in the protocol, and Receive panics.
func (t *Transport) Receive(slot int64, into *wire.Message) bool {
	s := int32(slot)
	sl := &t.slots[s]
	err := wire.Decode(into, t.bytes(s), t.cfg.Checksum)
	if err == nil && t.cfg.Accept != nil && !t.cfg.Accept(into) {
		err = errNotAccepted
	}
	corrupted, kind := sl.corrupted, sl.kind
	t.release(s)
	t.cnt.MessagesProcessed++
	if err != nil {
		switch {
		case !corrupted:
			panic(t.cfg.Name + ": an uncorrupted message failed to decode: " + err.Error())
		case errors.Is(err, wire.ErrChecksum):
			t.cnt.CorruptionsRejected++
			if int(kind) < len(t.cnt.RejectedByKind) {
				t.cnt.RejectedByKind[kind]++
			}
		default:
			t.cnt.CorruptionsUndecodable++
		}
		return false
	}
	if corrupted {
		t.cnt.CorruptionsAccepted++
	}
	return true
}

// Drop discards the message in slot unread because its destination is
// down: it counts MessagesToDownNodes, and CorruptionsLost when the message
// was corrupted, and frees the slot.
func (t *Transport) Drop(slot int64) {
	s := int32(slot)
	t.cnt.MessagesToDownNodes++
	if t.slots[s].corrupted {
		t.cnt.CorruptionsLost++
	}
	t.release(s)
}

// Discard frees the message in slot unread when it was delivered to a node
// that is up but will not read it (its receive queue is full, or it
// restarted while the message waited): it counts CorruptionsLost when the
// message was corrupted. The receiver counts why (QueueDrops, ...).
func (t *Transport) Discard(slot int64) {
	s := int32(slot)
	if t.slots[s].corrupted {
		t.cnt.CorruptionsLost++
	}
	t.release(s)
}

// Corrupted reports whether the message in slot was corrupted on the path
// (ground truth, which no receiver can see; for measurements). Ask before
// Receive, Drop or Discard frees the slot.
func (t *Transport) Corrupted(slot int64) bool { return t.slots[int32(slot)].corrupted }

// SetTag keeps a receiver's note with the message in slot (a model that
// queues delivered messages keeps the receiver's epoch there, to discard
// messages that waited through a restart); Tag reads it back. A slot's tag
// is 0 when it is sent.
func (t *Transport) SetTag(slot, tag int64) { t.slots[int32(slot)].tag = tag }

// Tag returns the note SetTag kept with the message in slot.
func (t *Transport) Tag(slot int64) int64 { return t.slots[int32(slot)].tag }

// Inject puts msg on the path to dst as if it had been corrupted in
// transit, for fault-injection tests: it is marked corrupted, counted in
// CorruptionsInjected (not MessagesSent) and delivered now, with no loss or
// latency drawn.
func (t *Transport) Inject(dst int32, msg []byte) {
	s := t.alloc(len(msg))
	t.slots[s] = slot{size: uint16(len(msg)), busy: true, corrupted: true}
	if len(msg) > 2 {
		t.slots[s].kind = wire.Kind(msg[2])
	}
	if m := t.cfg.MaxSize; m > 0 {
		if len(msg) > m {
			panic("transport: a message is larger than Config.MaxSize")
		}
		copy(t.arena[int(s)*m:], msg)
	} else {
		t.bufs[s] = append(t.bufs[s][:0], msg...)
	}
	t.cnt.CorruptionsInjected++
	t.cfg.Engine.Schedule(t.cfg.Engine.Now(), t.cfg.DeliverKind, dst, int64(s))
}

// Bytes returns the bytes of the message in slot as they travel (after
// corruption). They are valid until the slot is received or dropped.
func (t *Transport) Bytes(slot int64) []byte { return t.bytes(int32(slot)) }

// InFlight returns the number of messages sent and not yet received or
// dropped, and how many of them are corrupted.
func (t *Transport) InFlight() (messages, corrupted int) {
	for i := range t.slots {
		if t.slots[i].busy {
			messages++
			if t.slots[i].corrupted {
				corrupted++
			}
		}
	}
	return messages, corrupted
}

// InFleet reports whether every node id in m (sender, entries, requests) is
// below n: a check for Config.Accept.
func InFleet(m *wire.Message, n int) bool {
	u := uint32(n)
	if m.Sender >= u {
		return false
	}
	for k := range m.Entries {
		if m.Entries[k].Node >= u {
			return false
		}
	}
	for _, id := range m.Requests {
		if id >= u {
			return false
		}
	}
	return true
}
