package s3gossip

import (
	"slices"

	"github.com/gossipsim/gossipsim/models/spread"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// The spread of bad values (package spread): every value an accepted
// corrupted message brings that is bad, a version of a server above its
// true version (spread.KindAhead) or the failed status of a server that is
// up (spread.KindFalseFailure), and every node that holds it, when, from
// whom and until when.
//
// The tracker is created by the first accepted corrupted message; until
// then Model.sp is nil and a run pays one nil test where an entry changes
// on the slow path (refreshFlags), per message processed and per round,
// and nothing on the merges' fast paths. Those (mergeAll, mergeColumns,
// mergeView) cannot make a node acquire or lose a bad value, so they need
// no hook: they apply an entry only when the receiver's sf byte equals the
// entry's status, so its entry has no flags (it is neither ahead nor
// failed: flagAhead is set whenever its version is above the truth, and
// flagWrong whenever it is failed), and only when the new version is at
// most the peer's true version, with the same status, not failed. Before
// and after, the entry's version is at most the truth and its status is
// not failed: it holds no bad value either way.
//
// An entry (i, j) holds a value when i is up, i ≠ j, and either its
// version is above j's true version and equals the value's (an ahead
// value, whatever the status), or it is failed at the value's version
// while j is up (a false failure). recheck compares what the entry holds
// with the spell open for it, wherever an entry's value or wrongness can
// change: refreshFlags (called from setEntry and truthAdvanced), a node
// going down (takeDown: its own spells end, and the false failures about
// it stop being false), a node restarting (recover: the entries about it
// are rechecked against its new true version) and a reset (clearState:
// every spell ends).

// valueKey identifies a value: its subject, version and kind.
type valueKey struct {
	subject int32
	ver     uint64
	kind    spread.Kind
}

// pendingValue is a value the corrupted message being processed brings,
// held by nobody yet: it becomes a value when its receiver holds it after
// the merge, and is forgotten otherwise.
type pendingValue struct {
	key    valueKey
	status wire.Status
}

// holderKey is a node's spells of a value.
type holderKey struct{ value, node int32 }

// spreadTracker keeps the record and the spells open.
type spreadTracker struct {
	rec     spread.Record
	from    int32               // the sender of the message being merged; -1: the node itself
	cur     int32               // the corruption being processed (index into rec.Corruptions), or -1
	recv    int32               // its receiver
	about   []int32             // per subject: values and pending values about it
	keys    map[valueKey]int32  // value id, or -1-k for pending[k]
	pending []pendingValue      // the values the corrupted message being processed brings
	open    map[int]int32       // view index → its open spell (index into rec.Holdings)
	last    map[holderKey]int32 // a node's latest spell of a value
	scratch []int               // view indexes, for bulk rechecks
}

const noValue = int32(-1 << 31)

func newSpreadTracker(n int) *spreadTracker {
	return &spreadTracker{
		rec:   spread.Record{Nodes: n},
		from:  -1,
		cur:   -1,
		about: make([]int32, n),
		keys:  map[valueKey]int32{},
		open:  map[int]int32{},
		last:  map[holderKey]int32{},
	}
}

// begin starts a new cause of entry changes: a message from sender from
// (-1: the node's own round, a restart). Values the last corrupted message
// brought that nobody held are forgotten.
func (s *spreadTracker) begin(from int32) {
	for _, p := range s.pending {
		if id, ok := s.keys[p.key]; ok && id < 0 {
			delete(s.keys, p.key)
			s.about[p.key.subject]--
		}
	}
	s.pending = s.pending[:0]
	s.from, s.cur = from, -1
}

// noteCorruption records the corrupted message node i just accepted (msg,
// as decoded) and the bad values it brings, before i merges it.
func (m *Model) noteCorruption(i int, msg *wire.Message, now sim.Time) {
	if m.sp == nil {
		m.sp = newSpreadTracker(m.n)
	}
	s := m.sp
	c := m.tr.LastCorruption()
	sender, kind := int32(msg.Sender), msg.Kind
	if c.Known {
		sender, kind = int32(c.Sender), c.Kind
	}
	s.begin(sender)
	if len(s.rec.Corruptions) >= spread.MaxCorruptions {
		s.rec.DroppedCorruptions++
		return
	}
	s.cur, s.recv = int32(len(s.rec.Corruptions)), int32(i)
	row := spread.Corruption{
		Time: now, Receiver: int32(i), Sender: sender, MsgKind: kind,
		BitsFlipped: c.BitsFlipped, EntriesChanged: len(c.Changes),
		RejectedBySum8: c.RejectedBySum8, RejectedByCRC32C: c.RejectedByCRC32C,
	}
	s.rec.Corruptions = append(s.rec.Corruptions, row)
	for _, ch := range c.Changes {
		e := ch.Received
		j := int(e.Node)
		if j == i || j >= m.n {
			continue
		}
		key := valueKey{subject: int32(j), ver: e.Version()}
		switch {
		case key.ver > m.truth[j]:
			key.kind = spread.KindAhead
		case e.Status == wire.StatusFailed && m.nodes[j].up:
			key.kind = spread.KindFalseFailure
		default:
			continue
		}
		if _, ok := s.keys[key]; ok {
			continue // already tracked (or brought twice by this message)
		}
		s.keys[key] = -1 - int32(len(s.pending))
		s.pending = append(s.pending, pendingValue{key: key, status: e.Status})
		s.about[j]++
	}
}

// valueAt is the value entry (i, j) holds now: its id, -1-k for pending
// value k, or noValue.
func (m *Model) valueAt(i, j int) int32 {
	if i == j || !m.nodes[i].up {
		return noValue
	}
	x := i*m.n + j
	key := valueKey{subject: int32(j), ver: m.ver[x]}
	switch {
	case key.ver > m.truth[j]:
		key.kind = spread.KindAhead
	case statusOf(m.sf[x]) == wire.StatusFailed && m.nodes[j].up:
		key.kind = spread.KindFalseFailure
	default:
		return noValue
	}
	if id, ok := m.sp.keys[key]; ok {
		return id
	}
	return noValue
}

// recheck ends entry (i, j)'s spell if it no longer holds its value, and
// starts one if it holds a value it did not.
func (m *Model) recheck(i, j int, now sim.Time) {
	s := m.sp
	if s.about[j] == 0 {
		return
	}
	x := i*m.n + j
	cur := m.valueAt(i, j)
	h, isOpen := s.open[x]
	if isOpen && cur >= 0 && s.rec.Holdings[h].Value == cur {
		return
	}
	if isOpen {
		s.rec.Holdings[h].Cleared = now
		delete(s.open, x)
	}
	gen, from := int32(-1), s.from
	if cur < 0 && cur != noValue {
		cur, gen = m.commitValue(i, -1-cur, now), 0
	}
	if cur < 0 {
		return
	}
	if len(s.rec.Holdings) >= spread.MaxHoldings {
		s.rec.DroppedHoldings++
		return
	}
	if gen < 0 && from >= 0 {
		if src, ok := s.last[holderKey{cur, from}]; ok && s.rec.Holdings[src].Generation >= 0 {
			gen = s.rec.Holdings[src].Generation + 1
		}
	}
	s.open[x] = int32(len(s.rec.Holdings))
	s.last[holderKey{cur, int32(i)}] = int32(len(s.rec.Holdings))
	s.rec.Holdings = append(s.rec.Holdings, spread.Holding{
		Value: cur, Node: int32(i), Generation: gen, Acquired: now, From: from, Cleared: -1,
	})
}

// commitValue makes pending value k a value, held first by i (its
// patient zero, the receiver of the corrupted message being processed),
// and returns its id; noValue if i is not that receiver or the cap is hit.
func (m *Model) commitValue(i int, k int32, now sim.Time) int32 {
	s := m.sp
	if s.cur < 0 || int32(i) != s.recv {
		return noValue
	}
	p := s.pending[k]
	if len(s.rec.Values) >= spread.MaxValues {
		s.rec.DroppedValues++
		return noValue
	}
	id := int32(len(s.rec.Values))
	s.keys[p.key] = id
	c := &s.rec.Corruptions[s.cur]
	c.Values = append(c.Values, id)
	s.rec.Values = append(s.rec.Values, spread.Value{
		ID: id, Subject: p.key.subject, Kind: p.key.kind,
		Generation: generation(p.key.ver), Heartbeat: heartbeat(p.key.ver), Status: p.status,
		PatientZero: int32(i), Time: now, Sender: c.Sender, MsgKind: c.MsgKind, Corruption: s.cur,
	})
	return id
}

// spreadNodeDown ends the spells node x held and those of the false
// failures about it, after it went down.
func (m *Model) spreadNodeDown(x int, now sim.Time) {
	s := m.sp
	s.scratch = s.scratch[:0]
	for v := range s.open {
		if v/m.n == x || v%m.n == x {
			s.scratch = append(s.scratch, v)
		}
	}
	slices.Sort(s.scratch)
	for _, v := range s.scratch {
		m.recheck(v/m.n, v%m.n, now)
	}
}

// spreadNodeUp rechecks every entry about node x after it restarted with
// a new true version: its ahead values are no longer ahead, and the
// failures about it are false again (held as the node's own).
func (m *Model) spreadNodeUp(x int, now sim.Time) {
	s := m.sp
	s.begin(-1)
	if s.about[x] == 0 {
		return
	}
	for o := range m.n {
		m.recheck(o, x, now)
	}
}

// spreadReset ends every spell: a reset cleared every node's state.
func (m *Model) spreadReset(now sim.Time) {
	s := m.sp
	s.begin(-1)
	for _, h := range s.open {
		s.rec.Holdings[h].Cleared = now
	}
	clear(s.open)
}

// SpreadRecord returns the record of the run's accepted corrupted
// messages and bad values so far (empty before the first). It shares no
// memory with the model.
func (m *Model) SpreadRecord() *spread.Record {
	if m.sp == nil {
		return &spread.Record{Nodes: m.n}
	}
	r := m.sp.rec
	r.Corruptions = slices.Clone(r.Corruptions)
	for k := range r.Corruptions {
		r.Corruptions[k].Values = slices.Clone(r.Corruptions[k].Values)
	}
	r.Values = slices.Clone(r.Values)
	r.Holdings = slices.Clone(r.Holdings)
	return &r
}
