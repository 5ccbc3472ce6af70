package transport

import (
	"cmp"
	"errors"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/faults"
	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/topology"
	"github.com/gossipsim/gossipsim/models/trace"
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
	// Accept is the receiver's semantic check of a decoded message (a kind
	// the protocol sends, node ids inside the fleet, ...); a message it
	// refuses counts as undecodable. Nil accepts every decoded message.
	Accept func(m *wire.Message) bool
	// PackFrom is the number of entries from which a message travels
	// packed (see Columns); 0 means 2,048. Results do not depend on it,
	// only speed and memory; tests lower it to cover the packed path.
	PackFrom int
	// Path is the fleet's topology and fault schedule (protocol.Fleet.Path);
	// the zero value is the flat fleet with no faults. See route for what
	// the transport does with them and which streams it draws from.
	Path Path
	// Trace receives the path's events (sends, deliveries, drops,
	// corruptions, rejections); nil: no trace. It observes and changes
	// nothing: no draw, no count.
	Trace *trace.Tracer
}

// slot is a message in flight. An intact message travels in the slot itself
// when it is tiny (inline: at most one entry and two requests, the failure
// notices, pings and acks that storms are made of), otherwise as a
// reference to a snapshot of the message as sent (snap); a corrupted one as
// its encoded bytes (Transport.bufs), flipped bits included. size is the
// encoded length in every case.
type slot struct {
	size      uint32
	snap      int32 // the snapshot carrying the message intact, or -1
	corrupted bool
	busy      bool      // in flight (not on a free list)
	inline    bool      // the message is in tiny
	kind      wire.Kind // the kind as sent, for RejectedByKind
	dst       int32     // the destination
	tag       int64     // the receiver's note (SetTag), e.g. its epoch when it queued the message
	tiny      tinyMessage
}

// tinyMessage is a message of at most one entry and two requests, kept in
// its slot.
type tinyMessage struct {
	entry    wire.Entry
	sender   uint32
	requests [2]uint32
	ne, nr   uint8
}

// isTiny reports whether msg fits in a tinyMessage.
func isTiny(msg *wire.Message) bool { return len(msg.Entries) <= 1 && len(msg.Requests) <= 2 }

// snapshot is an immutable copy of a message as sent, shared by every slot
// carrying it intact (all the destinations of one SendAll) and, once
// received, by the receiver until its next Receive.
type snapshot struct {
	msg  wire.Message // with no Entries when packed
	refs int32
	// isPacked: the entries are in p (large messages, see packFrom). A
	// snapshot is one kind or the other for life, and pooled by kind.
	isPacked bool
	p        Columns
}

// Snapshots are pooled by size class: class k holds classCap[k] entries,
// from 16 up in steps of 2^(1/4) (at most 19% unused), so that a storm of
// small messages never pins view-sized buffers and the pool holds about what
// the messages in flight need.
var classCap = func() []int {
	caps := []int{16}
	for caps[len(caps)-1] < 1<<31 {
		c := int(math.Ceil(16 * math.Pow(2, float64(len(caps))/4)))
		caps = append(caps, max(c, caps[len(caps)-1]+1))
	}
	return caps
}()

// classPool holds free snapshots by size class: a stack per class.
type classPool [][]int32

// take pops a free snapshot of class k, if there is one.
func (p *classPool) take(k int) (int32, bool) {
	if k >= len(*p) || len((*p)[k]) == 0 {
		return 0, false
	}
	free := (*p)[k]
	(*p)[k] = free[:len(free)-1]
	return free[len(free)-1], true
}

// put pushes free snapshot id onto class k.
func (p *classPool) put(k int, id int32) {
	for len(*p) <= k {
		*p = append(*p, nil)
	}
	(*p)[k] = append((*p)[k], id)
}

// classOf returns the smallest size class that holds n entries.
func classOf(n int) int {
	return sort.SearchInts(classCap, n)
}

// classHeld returns the largest size class a snapshot with room for c
// entries can serve.
func classHeld(c int) int {
	return max(sort.SearchInts(classCap, c+1)-1, 0)
}

// Transport carries the messages of one run. It is not safe for concurrent
// use; a run owns one.
type Transport struct {
	cfg                          Config
	packFrom                     int // Config.PackFrom or its default
	cnt                          *metrics.Counters
	latency, loss, corruptStream *rand.Rand
	route                        *route // nil: the flat path with no faults

	slots     []slot
	bufs      [][]byte // the encoded bytes of slot s's corrupted message; kept for reuse
	free      []int32  // free slots whose buffer is nil or small
	freeLarge []int32  // free slots with a larger buffer

	snaps      []*snapshot
	freeSnaps  classPool // free snapshots
	freePacked classPool // free packed snapshots
	held       int32     // the snapshot Receive last returned, or -1
	composed   int32     // the snapshot Compose handed out and not yet sent, or -1

	in        wire.Message // the decoding of the last corrupted message received
	tiny      wire.Message // the last tiny message received
	tinyEntry [1]wire.Entry
	tinyReqs  [2]uint32
	wide      wire.Message // the last packed message received, unpacked
	spare     []wire.Entry // a composed packed message's entries, unpacked to be encoded

	corr corruptionLog // the corrupted messages' bytes as sent (corruption.go)
	// The trace (trace.go); all empty without Config.Trace.
	tt         *trace.Tracer
	tslots     []traceSlot // per slot: its copy's number and true sender
	msgSeq     uint64      // copies numbered so far
	lastSender int32       // the true sender of the message last received (TraceSender)
	ev         trace.Event // the event being recorded
}

// New returns the transport of a run with the given seed.
func New(cfg Config, seed uint64) *Transport {
	if cfg.Engine == nil || cfg.Counters == nil {
		panic("transport: Config needs an Engine and Counters")
	}
	return &Transport{
		cfg:           cfg,
		cnt:           cfg.Counters,
		latency:       sim.NewStream(seed, cfg.Name+"/latency"),
		loss:          sim.NewStream(seed, cfg.Name+"/loss"),
		corruptStream: sim.NewStream(seed, cfg.Name+"/corruption"),
		held:          -1,
		composed:      -1,
		packFrom:      cmp.Or(cfg.PackFrom, packFrom),
		route:         newRoute(cfg, seed),
		tt:            cfg.Trace,
	}
}

// Topology returns the run's resolved topology, nil on a flat fleet with no
// faults (a model keeping gossip in-zone reads ZoneOf and Class from it).
func (t *Transport) Topology() *topology.Topology {
	if t.route == nil {
		return nil
	}
	return t.route.topo
}

// Faults returns the run's fault timeline, nil without a schedule. A model
// that can crash and restart its nodes replays its NodeEvents; one with
// timers may read ClockRate. The transport silences down nodes for every
// model either way.
func (t *Transport) Faults() *faults.Timeline {
	if t.route == nil {
		return nil
	}
	return t.route.tl
}

// Send puts msg on the path to node dst: it is SendAll with one destination.
func (t *Transport) Send(dst int32, msg *wire.Message) {
	t.SendAll([]int32{dst}, msg)
}

// SendAll puts msg on the path to every node of dsts, in order. For each
// destination it counts MessagesSent and BytesSent (the encoded size with
// the run's checksum), draws the loss (counting MessagesLost), draws the
// corruption (counting CorruptionsInjected), draws the latency and schedules
// the delivery. msg may be changed or reused as soon as SendAll returns.
//
// With a topology or a fault schedule (Config.Path), the pair's link class,
// latency matrix and link faults give its latency and loss; a partition in
// force blocks the message after it is counted sent (MessagesPartitioned);
// the schedule's corruption sources covering the pair draw after the
// fleet-wide corruption leaves it intact; and a sender the schedule holds
// down sends nothing (nothing is counted).
//
// A message travels as bytes only when the corruption draw selects it: it
// is then encoded with the run's checksum and its bits flipped, and the
// receiver verifies and decodes those bytes. Every other message travels as
// one snapshot shared by its destinations, since a message nobody corrupted
// passes any checksum and decodes to what was encoded. The draws, the counts
// and what receivers see are exactly those of encoding every message.
func (t *Transport) SendAll(dsts []int32, msg *wire.Message) {
	rt := t.route
	if rt != nil {
		rt.advance(t.cfg.Engine.Now())
		if rt.senderDown(int(msg.Sender)) {
			if t.tt != nil {
				t.traceSenderDown(dsts, msg)
			}
			return // a message composed for it is reused by the next Compose
		}
	}
	entries := len(msg.Entries)
	snap := int32(-1)
	composed := false
	var cols *Columns // the entries, when msg was composed as columns
	if c := t.composed; c >= 0 && msg == &t.snaps[c].msg && t.snaps[c].isPacked {
		cols = &t.snaps[c].p
		entries = cols.Len()
		snap, t.composed, composed = c, -1, true
	}
	size := wire.EncodedSize(entries, len(msg.Requests), t.cfg.Checksum)
	active := t.corruptionActive()
	tiny := cols == nil && isTiny(msg)
	if c := t.composed; c >= 0 && msg == &t.snaps[c].msg && len(msg.Entries) < t.packFrom && !tiny {
		snap, t.composed = c, -1 // built in place: carried without a copy
		composed = true
	} // a large composed message is packed, and its buffer composes the next
	for _, dst := range dsts {
		t.cnt.MessagesSent++
		t.cnt.BytesSent += int64(size)
		var no uint64 // the copy's number in the trace
		if t.tt != nil {
			no = t.numberSend(dst, msg, size)
		}
		lat, loss := &t.cfg.Network.Latency, t.cfg.Network.Loss
		var pairLat network.Latency
		if rt != nil {
			var blocked bool
			pairLat, loss, blocked = rt.link(int(msg.Sender), int(dst), &t.cfg.Network)
			if blocked {
				t.cnt.MessagesPartitioned++
				if t.tt != nil {
					t.emit(trace.Drop, dst, int32(msg.Sender), no, msg.Kind, uint32(size), reasonPartition, 0)
				}
				continue
			}
			lat = &pairLat
		}
		if loss > 0 && t.loss.Float64() < loss {
			t.cnt.MessagesLost++
			if t.tt != nil {
				t.emit(trace.Drop, dst, int32(msg.Sender), no, msg.Kind, uint32(size), reasonLoss, 0)
			}
			continue
		}
		var hit corrupt.Hit
		corrupted := false
		if active {
			hit, corrupted = corrupt.Draw(size, t.corruptStream, t.cfg.Corruption)
		}
		stream := t.corruptStream
		if !corrupted && rt != nil {
			if hit, corrupted = rt.sourceHit(int(msg.Sender), int(dst), size); corrupted {
				stream = rt.source
			}
		}
		s := t.alloc(corrupted && size > smallBytes)
		sl := &t.slots[s]
		sl.size, sl.snap, sl.corrupted, sl.busy, sl.inline, sl.kind, sl.tag = uint32(size), -1, corrupted, true, false, msg.Kind, 0
		sl.dst = dst
		if t.tt != nil {
			t.noteSlot(s, no, int32(msg.Sender))
		}
		switch {
		case corrupted:
			if cols != nil && len(msg.Entries) != cols.Len() {
				msg.Entries = cols.Unpack(t.spare) // to be encoded; put back below
				t.spare = msg.Entries
			}
			t.bufs[s] = wire.Append(t.bufs[s][:0], msg, t.cfg.Checksum)
			t.keepSent(s)
			bits := hit.Apply(t.bufs[s], stream)
			t.cnt.CorruptionsInjected++
			if t.tt != nil {
				t.emit(trace.Corrupt, int32(msg.Sender), dst, no, msg.Kind, uint32(size), "", bits)
			}
		case tiny:
			sl.inline = true
			tm := &sl.tiny
			tm.sender, tm.ne, tm.nr = msg.Sender, uint8(len(msg.Entries)), uint8(len(msg.Requests))
			if tm.ne > 0 {
				tm.entry = msg.Entries[0]
			}
			copy(tm.requests[:], msg.Requests)
		default:
			if snap < 0 {
				snap = t.pack(msg)
			}
			sl.snap = snap
			t.snaps[snap].refs++
		}
		d := lat.Draw(t.latency)
		if t.cfg.LatencyCap > 0 {
			d = min(d, t.cfg.LatencyCap)
		}
		t.cfg.Engine.After(d, t.cfg.DeliverKind, dst, int64(s))
	}
	if cols != nil {
		msg.Entries = nil // a packed snapshot keeps no Entries
	}
	if composed {
		t.freeUnsent(snap)
	}
}

// smallBytes is the largest encoded message whose bytes take a slot from the
// small pool.
const smallBytes = 256

// pack copies msg into a free snapshot with no references yet, packed
// when it has packFrom entries or more.
func (t *Transport) pack(msg *wire.Message) int32 {
	var id int32
	if t.Packs(len(msg.Entries)) {
		id = t.newPacked(len(msg.Entries))
		t.snaps[id].p.fill(msg.Entries)
	} else {
		id = t.newSnapshot(len(msg.Entries))
		t.snaps[id].msg.Entries = append(t.snaps[id].msg.Entries[:0], msg.Entries...)
	}
	sn := t.snaps[id]
	sn.msg.Kind, sn.msg.Sender = msg.Kind, msg.Sender
	sn.msg.Requests = append(sn.msg.Requests[:0], msg.Requests...)
	return id
}

// newPacked takes a free packed snapshot with room for entries entries
// from its size class, or makes one.
func (t *Transport) newPacked(entries int) int32 {
	k := classOf(entries)
	if id, ok := t.freePacked.take(k); ok {
		return id
	}
	c := classCap[k]
	t.snaps = append(t.snaps, &snapshot{isPacked: true, p: Columns{Heartbeats: make([]uint32, 0, c), Statuses: make([]wire.Status, 0, c)}})
	return int32(len(t.snaps) - 1)
}

// newSnapshot takes a free snapshot with room for entries entries from its
// size class, or makes one.
func (t *Transport) newSnapshot(entries int) int32 {
	k := classOf(entries)
	if id, ok := t.freeSnaps.take(k); ok {
		return id
	}
	t.snaps = append(t.snaps, &snapshot{msg: wire.Message{Entries: make([]wire.Entry, 0, classCap[k])}})
	return int32(len(t.snaps) - 1)
}

// Compose returns an empty message of the given kind from sender, with
// room for entries entries (it may grow), for the caller to fill and then pass to
// Send or SendAll, which carry it without copying it. It is the caller's
// until then, and must not be touched after. A message composed and never
// sent is reused by the next Compose. Building a message in place saves
// the copy Send otherwise makes, which for a view-sized message is a good
// share of its cost.
func (t *Transport) Compose(kind wire.Kind, sender uint32, entries int) *wire.Message {
	id := t.composed
	if id >= 0 && (t.snaps[id].isPacked || classHeld(cap(t.snaps[id].msg.Entries)) != classOf(entries)) {
		t.freeUnsent(id) // composed for another size and never sent
		id = -1
	}
	if id < 0 {
		id = t.newSnapshot(entries)
		t.composed = id
	}
	m := &t.snaps[id].msg
	m.Kind, m.Sender = kind, sender
	m.Entries, m.Requests = m.Entries[:0], m.Requests[:0]
	return m
}

// ComposeColumns is Compose for a message of n entries, n at least the
// packing threshold (t.Packs(n)), built column by column: it returns the
// message's header (fill Requests if any, and leave Entries empty) and its
// entries, n of them, of nodes 0 to n-1, for the caller to write (their
// heartbeats and generations with SetVersions, their statuses, and their
// node ids with WithNodes when they are not 0, 1, 2, ...). Send or SendAll
// the header; the message travels packed, as built.
func (t *Transport) ComposeColumns(kind wire.Kind, sender uint32, n int) (*wire.Message, *Columns) {
	if !t.Packs(n) {
		panic(t.cfg.Name + ": ComposeColumns of a message too small to pack")
	}
	id := t.composed
	if id >= 0 && (!t.snaps[id].isPacked || classHeld(cap(t.snaps[id].p.Heartbeats)) != classOf(n)) {
		t.freeUnsent(id) // composed for another size or form and never sent
		id = -1
	}
	if id < 0 {
		id = t.newPacked(n)
		t.composed = id
	}
	sn := t.snaps[id]
	sn.msg.Kind, sn.msg.Sender = kind, sender
	sn.msg.Entries, sn.msg.Requests = nil, sn.msg.Requests[:0]
	sn.p.resize(n)
	return &sn.msg, &sn.p
}

// freeUnsent frees a composed snapshot that no destination took (every
// copy was lost or corrupted).
func (t *Transport) freeUnsent(id int32) {
	if t.snaps[id].refs == 0 {
		t.snaps[id].refs = 1
		t.unref(id)
	}
}

// unref drops one reference to snapshot id, freeing it at the last.
func (t *Transport) unref(id int32) {
	sn := t.snaps[id]
	if sn.refs--; sn.refs > 0 {
		return
	}
	if sn.isPacked {
		t.freePacked.put(classHeld(cap(sn.p.Heartbeats)), id)
	} else {
		t.freeSnaps.put(classHeld(cap(sn.msg.Entries)), id)
	}
}

// corruptionActive reports whether a message sent now can be corrupted.
func (t *Transport) corruptionActive() bool {
	return t.cfg.Corruption.Active(t.cfg.Engine.Now() - t.cfg.Origin)
}

// alloc returns a free slot: one with a large buffer first when large is
// true (a corrupted message of more than smallBytes), otherwise one with no
// or a small buffer first.
func (t *Transport) alloc(large bool) int32 {
	first, second := &t.free, &t.freeLarge
	if large {
		first, second = second, first
	}
	for _, pool := range [2]*[]int32{first, second} {
		if k := len(*pool); k > 0 {
			s := (*pool)[k-1]
			*pool = (*pool)[:k-1]
			return s
		}
	}
	t.slots = append(t.slots, slot{})
	t.bufs = append(t.bufs, nil)
	return int32(len(t.slots) - 1)
}

// release frees slot s (and its reference to a snapshot).
func (t *Transport) release(s int32) {
	sl := &t.slots[s]
	if sl.snap >= 0 {
		t.unref(sl.snap)
		sl.snap = -1
	}
	sl.busy = false
	if cap(t.bufs[s]) > smallBytes {
		t.freeLarge = append(t.freeLarge, s)
		return
	}
	t.free = append(t.free, s)
}

// errNotAccepted marks a message that decoded but failed Config.Accept.
var errNotAccepted = errors.New("transport: message not accepted")

// Receive reads the message in slot (a delivery event's Arg), frees the
// slot and returns the message and whether the receiver should act on it.
// The message is read-only and valid until the next call to Receive.
//
// Receive counts MessagesProcessed and then exactly one outcome for a
// corrupted message: CorruptionsRejected (and RejectedByKind) when the
// checksum caught it, CorruptionsUndecodable when it did not decode or
// failed Accept, CorruptionsAccepted when it got through. A corrupted
// message's bytes are verified and decoded; an intact one is the snapshot
// taken when it was sent.
//
// A message reaching a node the fault schedule holds down is dropped
// instead, as Drop does (MessagesToDownNodes), and Receive returns false.
func (t *Transport) Receive(slot int64) (*wire.Message, bool) {
	msg, cols, ok := t.ReceiveColumns(slot)
	if cols != nil {
		t.wide.Kind, t.wide.Sender, t.wide.Requests = msg.Kind, msg.Sender, msg.Requests
		t.wide.Entries = cols.Unpack(t.wide.Entries)
		return &t.wide, ok
	}
	return msg, ok
}

// ReceiveColumns is Receive for a receiver that reads large messages column
// by column: a message that travelled packed (Packs) comes back as its
// header (kind, sender and requests, with no Entries) and its entries as
// cols; any other message whole, with cols nil. Both are valid until the
// next call to Receive or ReceiveColumns.
func (t *Transport) ReceiveColumns(slot int64) (msg *wire.Message, cols *Columns, ok bool) {
	s := int32(slot)
	sl := &t.slots[s]
	if t.route != nil && t.route.downAt(int(sl.dst), t.cfg.Engine.Now()) {
		t.Drop(slot)
		return nil, nil, false
	}
	if t.held >= 0 {
		t.unref(t.held)
		t.held = -1
	}
	t.cnt.MessagesProcessed++
	if t.tt != nil {
		t.traceDelivered(s)
		t.lastSender = t.tslots[s].sender
		if !sl.corrupted {
			t.traceAt(trace.Process, s, "")
		}
	}
	if sl.snap >= 0 {
		t.held, sl.snap = sl.snap, -1 // the slot's reference passes to the receiver
		t.release(s)
		sn := t.snaps[t.held]
		if sn.isPacked {
			return &sn.msg, &sn.p, true
		}
		return &sn.msg, nil, true
	}
	if sl.inline {
		tm := &sl.tiny
		t.tinyEntry[0], t.tinyReqs = tm.entry, tm.requests
		t.tiny = wire.Message{Kind: sl.kind, Sender: tm.sender, Entries: t.tinyEntry[:tm.ne], Requests: t.tinyReqs[:tm.nr]}
		t.release(s)
		return &t.tiny, nil, true
	}
	err := wire.Decode(&t.in, t.bufs[s], t.cfg.Checksum)
	if err == nil && t.cfg.Accept != nil && !t.cfg.Accept(&t.in) {
		err = errNotAccepted
	}
	corrupted, kind := sl.corrupted, sl.kind
	if err != nil {
		switch {
		case !corrupted:
			panic(t.cfg.Name + ": an uncorrupted message failed to decode: " + err.Error())
		case errors.Is(err, wire.ErrChecksum):
			t.cnt.CorruptionsRejected++
			if int(kind) < len(t.cnt.RejectedByKind) {
				t.cnt.RejectedByKind[kind]++
			}
			if t.tt != nil {
				t.traceAt(trace.Reject, s, reasonChecksum)
			}
		default:
			t.cnt.CorruptionsUndecodable++
			if t.tt != nil {
				t.traceAt(trace.Reject, s, reasonDecode)
			}
		}
		t.release(s)
		return nil, nil, false
	}
	if corrupted {
		t.cnt.CorruptionsAccepted++
		t.noteAccepted(s)
		if t.tt != nil {
			t.traceAt(trace.AcceptCorrupted, s, "")
		}
	}
	t.release(s)
	return &t.in, nil, true
}

// Drop discards the message in slot unread because its destination is
// down: it counts MessagesToDownNodes, and CorruptionsLost when the message
// was corrupted, and frees the slot.
func (t *Transport) Drop(slot int64) {
	s := int32(slot)
	if t.tt != nil {
		t.traceAt(trace.Drop, s, reasonNodeDown)
	}
	t.cnt.MessagesToDownNodes++
	if t.slots[s].corrupted {
		t.cnt.CorruptionsLost++
	}
	t.release(s)
}

// Discard frees the message in slot unread when it was delivered to a node
// that is up but will not read it because its receive queue is full (for a
// message that waited in the queue through a restart, see DiscardStale): it
// counts CorruptionsLost when the message was corrupted. The receiver counts
// why (QueueDrops, ...).
func (t *Transport) Discard(slot int64) {
	if t.tt != nil {
		t.traceAt(trace.Drop, int32(slot), reasonQueueFull)
	}
	t.discard(int32(slot))
}

// discard is Discard without the trace.
func (t *Transport) discard(s int32) {
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

// Inject puts the bytes msg on the path to dst as if it had been corrupted
// in transit, for fault-injection tests: it is marked corrupted, counted in
// CorruptionsInjected (not MessagesSent) and delivered now, with no loss or
// latency drawn.
func (t *Transport) Inject(dst int32, msg []byte) {
	s := t.alloc(len(msg) > smallBytes)
	sl := &t.slots[s]
	sl.size, sl.snap, sl.corrupted, sl.busy, sl.tag = uint32(len(msg)), -1, true, true, 0
	sl.kind, sl.dst = 0, dst
	if len(msg) > 2 {
		sl.kind = wire.Kind(msg[2])
	}
	sl.inline = false
	t.bufs[s] = append(t.bufs[s][:0], msg...)
	t.forgetSent(s)
	t.cnt.CorruptionsInjected++
	if t.tt != nil {
		t.msgSeq++
		t.noteSlot(s, t.msgSeq, -1)
	}
	t.cfg.Engine.Schedule(t.cfg.Engine.Now(), t.cfg.DeliverKind, dst, int64(s))
}

// Size returns the encoded length in bytes of the message in slot (with
// the run's checksum), whether it travels as bytes or as a snapshot. It is
// valid until the slot is received or dropped.
func (t *Transport) Size(slot int64) int { return int(t.slots[int32(slot)].size) }

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
