package swim

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/transport"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Member states, in run.state.
const (
	stUp     = 1 << iota // not crashed
	stQueued             // has updates in its queue
)

// up reports whether member i has not crashed.
func (r *run) up(i int) bool { return r.state[i]&stUp != 0 }

// Event kinds.
const (
	evProbeTimeout uint32 = iota // the direct ack is overdue; Arg = probe seq
	evProbeEnd                   // the protocol period ends; Arg = probe seq
	evRelayTimeout               // a ping-req relay gives up; Arg = relay seq
	evSuspicion                  // a suspicion timer fires; Arg = slot | generation<<32
	evGossip                     // a member's gossip tick
	evDeliver                    // a message reaches member Node; Arg = slot
	evCrash                      // the chosen members crash
	evSample                     // time-series sample
)

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

// Statuses, as on the wire.
const (
	alive   = wire.StatusAlive
	suspect = wire.StatusSuspect
	dead    = wire.StatusFailed
)

// bcast is an update waiting in a member's dissemination queue.
type bcast struct {
	e         wire.Entry
	transmits int32
	id        uint64 // creation order: newer updates go first among equals
}

// relay is a ping-req being served: the relay pinged target with seq on
// behalf of origin's probe originSeq.
type relay struct {
	seq, originSeq uint32
	origin, target int32
}

// suspicion is one member's timer on a suspected member.
type suspicion struct {
	start         sim.Time
	accusers      []int32 // distinct members that suspected it (the first one included)
	k             int32   // confirmations expected (Lifeguard)
	confirmations int32
	gen           uint32 // raised whenever the timer is moved or cancelled
	subject       int32
}

// member is one member's own state.
//
// A delivery goes to a random member, whose state is rarely in cache, so
// what a message reads and writes sits in this one struct (256 bytes, four
// cache lines at fixed offsets, which deliver loads together rather than one
// after the other): in particular the member's views that differ from the
// baselines (its row, views.go) are inline up to rowInline of them. Whether
// it is up and has updates queued is in run.state, which the gossip ticks,
// five per member per period, read without touching the struct.
type member struct {
	probing       bool   // a probe is open in the current period
	acked         bool   // the open probe was acked
	nrow          uint8  // overrides in rowIn, while rowOut is nil
	inc           uint32 // own incarnation
	score         int32  // Lifeguard awareness, in [0, AwarenessMax-1]
	seq           uint32 // sequence numbers for pings
	target        int32
	probeSeq      uint32
	nacks         int32
	expectedNacks int32
	next          int32  // round-robin: the position in the pass
	passKey       uint64 // round-robin: the permutation of the current pass (see perm.go)

	queue  []bcast    // updates to disseminate
	relays []relay    // ping-reqs being served
	rowOut []override // the row, when it has outgrown rowIn
	_      [8]byte
	rowIn  [rowInline]override // the row, inline: cache lines 2 and 3
}

// run is one simulation.
type run struct {
	cfg  Config
	cm   protocol.Common
	n    int
	eng  *sim.Engine
	rec  metrics.Counters
	live int

	members []member
	state   []uint8 // per member: stUp | stQueued

	// Views, sparse (see views.go): member i's view of j is its override
	// in members[i]'s row if it has a live one, else base[j].
	base     []view   // per member: the baseline view of it
	bflag    []uint8  // per member: its baseline status, | flagHot if a live override of it may exist
	top      []uint64 // per member: highest version of it held since its baseline last moved
	agree    []int32  // per member: live members other than it that hold top as an override
	expiring []expiry // dead members agreed on, waiting for GossipToTheDead
	expHead  int
	rebased  int   // baselines moved (for tests)
	fixBase  bool  // tests: never move a baseline (every difference stays an override)
	warm     int32 // sink of the loads in deliver

	perm     probePerm // round-robin: the permutations of [0, n-1)
	susp     []suspicion
	suspFree []int32
	tr       *transport.Transport // messages in flight: loss, corruption, latency
	bcastID  uint64

	minSuspicion, maxSuspicion sim.Time
	expected                   int32 // Lifeguard's k
	retransmitLimit            int32
	maxEntries                 int

	probeRand, indirectRand, gossipRand, phase, crash *rand.Rand

	out, in wire.Message
	enc     []byte
	picks   []int32
	cands   []int32

	crashed     []int32
	crashIdx    []int32
	firstDet    []sim.Time // per crashed member: crash to first failed probe, or -1
	fullDet     []sim.Time // crash to every live member holding it dead, or -1
	deadCount   []int      // live members holding the crashed member dead
	falsePos    int64      // live members declared dead, once per member and incarnation
	declaredInc []uint64   // per member: 1 + the incarnation it was last declared dead at, or 0
	wrong       int64      // (live, live) pairs held dead

	series metrics.Sampler
}

// Run simulates one run: every member starts at time 0 alive at incarnation
// 0 and knowing every other member. It is a pure function of
// (parameters, c, seed).
func (c *Config) Run(ctx context.Context, cm protocol.Common, seed uint64) (protocol.Result, error) {
	if err := c.Validate(cm); err != nil {
		return protocol.Result{}, err
	}
	r := newRun(*c, cm, seed)
	if err := protocol.Drive(ctx, r.eng, cm.Duration, 5*sim.Second); err != nil {
		return protocol.Result{}, err
	}
	return r.result(), nil
}

func newRun(cfg Config, cm protocol.Common, seed uint64) *run {
	n := cm.Nodes
	r := &run{
		cfg:          cfg,
		cm:           cm,
		n:            n,
		eng:          cm.NewEngine(),
		live:         n,
		members:      make([]member, n),
		state:        make([]uint8, n),
		base:         make([]view, n),
		bflag:        make([]uint8, n),
		top:          make([]uint64, n),
		agree:        make([]int32, n),
		perm:         newProbePerm(n - 1),
		crashIdx:     make([]int32, n),
		declaredInc:  make([]uint64, n),
		probeRand:    sim.NewStream(seed, "swim/probe"),
		indirectRand: sim.NewStream(seed, "swim/indirect"),
		gossipRand:   sim.NewStream(seed, "swim/gossip"),
		phase:        sim.NewStream(seed, "swim/phase"),
		crash:        sim.NewStream(seed, "swim/crash"),
	}
	r.tr = transport.New(transport.Config{
		Name:        "swim",
		Engine:      r.eng,
		DeliverKind: evDeliver,
		Network:     cm.Network,
		Corruption:  cm.Corruption,
		Checksum:    cm.Checksum,
		Counters:    &r.rec,
		Accept:      r.meaningful,
	}, seed)
	// Suspicion timeout and retransmit limit, memberlist's formulas with the
	// fleet size for its estimate of the member count.
	scale := max(1, math.Log10(float64(n)))
	r.minSuspicion = sim.Time(float64(cfg.SuspicionMult) * scale * float64(cfg.ProbeInterval))
	r.maxSuspicion = r.minSuspicion
	if cfg.Lifeguard {
		r.maxSuspicion = SuspicionMaxTimeoutMult * r.minSuspicion
		r.expected = int32(cfg.SuspicionMult - 2)
		if int32(n-2) < r.expected {
			r.expected = 0
		}
	}
	r.retransmitLimit = int32(cfg.RetransmitMult * int(math.Ceil(math.Log10(float64(n+1)))))
	r.maxEntries = (PacketSize - wire.EncodedSize(0, 2, cm.Checksum)) / wire.EntrySize

	r.out.Entries = make([]wire.Entry, 0, r.maxEntries)
	r.out.Requests = make([]uint32, 0, 2)
	r.eng.SetHandler(r.handle)
	r.eng.Reserve(4 * n) // a period's timers and messages in flight
	for i := range r.members {
		m := &r.members[i]
		r.state[i] = stUp
		m.target = -1
		r.crashIdx[i] = -1
		if cfg.ProbeOrder == RoundRobin {
			m.passKey = r.probeRand.Uint64()
		}
	}
	for i := range n {
		at := sim.Time(0)
		if cfg.ProbePhase == Staggered {
			at = sim.Time(r.phase.Int64N(int64(cfg.ProbeInterval)))
		}
		// The first period starts with an evProbeEnd for no open probe.
		r.eng.Schedule(at, evProbeEnd, int32(i), 0)
		r.eng.Schedule(sim.Time(r.phase.Int64N(int64(cfg.GossipInterval))), evGossip, int32(i), 0)
	}
	if cfg.Crashes > 0 {
		r.eng.Schedule(cfg.CrashAt, evCrash, 0, 0)
	}
	if cm.SampleInterval > 0 {
		r.eng.Schedule(cm.SampleInterval, evSample, 0, 0)
	}
	return r
}

func (r *run) handle(ev sim.Event) {
	if r.expHead < len(r.expiring) && r.expiring[r.expHead].due <= ev.At {
		r.expire()
	}
	i := int(ev.Node)
	switch ev.Kind {
	case evProbeTimeout:
		r.probeTimeout(i, uint32(ev.Arg))
	case evProbeEnd:
		r.probeEnd(i, uint32(ev.Arg))
	case evRelayTimeout:
		r.relayTimeout(i, uint32(ev.Arg))
	case evSuspicion:
		r.suspicionFired(i, int32(ev.Arg&0xffffffff), uint32(ev.Arg>>32))
	case evGossip:
		r.gossip(i)
	case evDeliver:
		r.deliver(i, ev.Arg)
	case evCrash:
		r.crashMembers()
	case evSample:
		r.sample()
	}
}

func (r *run) nowMs() int32 { return int32(min(r.eng.Now()/sim.Millisecond, math.MaxInt32)) }

// scale is the Lifeguard awareness multiplier of member i (1 without Lifeguard).
func (r *run) scale(i int) sim.Time {
	if !r.cfg.Lifeguard {
		return 1
	}
	return sim.Time(r.members[i].score + 1)
}

func (r *run) awareness(i int, delta int32) {
	if !r.cfg.Lifeguard || delta == 0 {
		return
	}
	m := &r.members[i]
	m.score = min(max(m.score+delta, 0), AwarenessMax-1)
}

// ---- failure detection ----

// probeEnd closes member i's protocol period (suspecting the target if no
// ack came) and opens the next one.
func (r *run) probeEnd(i int, seq uint32) {
	if !r.up(i) {
		return
	}
	m := &r.members[i]
	now := r.eng.Now()
	if m.probing && m.probeSeq == seq {
		m.probing = false
		if !m.acked {
			// Lifeguard: every expected nack that did not come counts
			// against our own health; without relays, the failed probe does.
			delta := int32(1)
			if m.expectedNacks > 0 {
				delta = m.expectedNacks - m.nacks
			}
			r.awareness(i, delta)
			t := int(m.target)
			if k := r.crashIdx[t]; k >= 0 && !r.up(t) && r.firstDet[k] < 0 {
				r.firstDet[k] = now - r.cfg.CrashAt
			}
			v := r.view(i, t)
			r.suspectUpdate(i, t, v.inc, int32(i))
		}
	}
	r.startProbe(i)
}

// startProbe opens a protocol period of member i: ping the next target.
func (r *run) startProbe(i int) {
	m := &r.members[i]
	s := r.scale(i)
	m.seq++
	seq := m.seq
	r.eng.After(s*r.cfg.ProbeInterval, evProbeEnd, int32(i), int64(seq))
	t := r.pickTarget(i)
	if t < 0 {
		return
	}
	m.probing, m.acked = true, false
	m.target, m.probeSeq = int32(t), seq
	m.nacks, m.expectedNacks = 0, 0
	r.sendPing(i, t, seq)
	r.eng.After(s*r.cfg.ProbeTimeout, evProbeTimeout, int32(i), int64(seq))
}

// pickTarget returns the member i probes this period, or -1 if it holds
// every other member dead.
func (r *run) pickTarget(i int) int {
	m := &r.members[i]
	if r.cfg.ProbeOrder == RoundRobin {
		others := int32(r.n - 1)
		for range others {
			if m.next >= others {
				// A new pass: a new order (memberlist reshuffles).
				m.passKey = r.probeRand.Uint64()
				m.next = 0
			}
			t := int(r.perm.at(m.passKey, uint64(m.next)))
			if t >= i {
				t++
			}
			m.next++
			if r.status(i, t) != dead {
				return t
			}
		}
		return -1
	}
	p := r.pick(r.probeRand, i, 1, -1, false)
	if len(p) == 0 {
		return -1
	}
	return int(p[0])
}

// pick returns up to k distinct random members other than i and not that i
// holds alive, or alive or suspect unless aliveOnly.
func (r *run) pick(rng *rand.Rand, i, k, not int, aliveOnly bool) []int32 {
	return r.pickWith(rng, i, k, func(j int) bool {
		if j == not {
			return false
		}
		st := r.status(i, j)
		return st == alive || (!aliveOnly && st == suspect)
	})
}

// pickWith returns up to k distinct random members j != i with ok(j): first by
// rejection, then, if too few were found, among an explicit candidate list.
func (r *run) pickWith(rng *rand.Rand, i, k int, ok func(j int) bool) []int32 {
	r.picks = r.picks[:0]
	if k <= 0 {
		return r.picks
	}
	for tries := 0; len(r.picks) < k && tries < 4*k+8; tries++ {
		j := rng.IntN(r.n - 1)
		if j >= i {
			j++
		}
		if ok(j) && !slices.Contains(r.picks, int32(j)) {
			r.picks = append(r.picks, int32(j))
		}
	}
	if len(r.picks) == k {
		return r.picks
	}
	r.cands = r.cands[:0]
	for j := range r.n {
		if j != i && ok(j) && !slices.Contains(r.picks, int32(j)) {
			r.cands = append(r.cands, int32(j))
		}
	}
	for len(r.picks) < k && len(r.cands) > 0 {
		x := rng.IntN(len(r.cands))
		r.picks = append(r.picks, r.cands[x])
		r.cands[x] = r.cands[len(r.cands)-1]
		r.cands = r.cands[:len(r.cands)-1]
	}
	return r.picks
}

// probeTimeout: no direct ack in time, so ask IndirectChecks members to
// probe the target.
func (r *run) probeTimeout(i int, seq uint32) {
	m := &r.members[i]
	if !r.up(i) || !m.probing || m.probeSeq != seq || m.acked {
		return
	}
	t := int(m.target)
	for _, k := range r.pick(r.indirectRand, i, r.cfg.IndirectChecks, t, true) {
		r.begin(kindPingReq, i, uint32(t), seq)
		r.piggyback(i)
		r.send(int(k))
		if r.cfg.Lifeguard {
			m.expectedNacks++
		}
	}
}

// acked records an ack for member i's probe of subject with seq.
func (r *run) acked(i, subject int, seq uint32) bool {
	m := &r.members[i]
	if !m.probing || m.acked || m.probeSeq != seq || int(m.target) != subject {
		return false
	}
	m.acked = true
	r.awareness(i, -1)
	return true
}

func (r *run) sendPing(i, t int, seq uint32) {
	r.begin(kindPing, i, uint32(t), seq)
	if v := r.view(i, t); r.cfg.Lifeguard && v.status == suspect {
		// Buddy system: tell the target it is suspected, first thing.
		r.out.Entries = append(r.out.Entries, wire.Entry{Node: uint32(t), Generation: v.inc, Heartbeat: uint32(i), Status: suspect})
	}
	r.piggyback(i)
	r.send(t)
}

// relayTimeout: the target did not ack a relayed ping in time.
func (r *run) relayTimeout(k int, seq uint32) {
	if !r.up(k) {
		return
	}
	m := &r.members[k]
	for x, rl := range m.relays {
		if rl.seq == seq {
			m.relays = slices.Delete(m.relays, x, x+1)
			if r.cfg.Lifeguard {
				r.begin(kindNack, k, uint32(rl.target), rl.originSeq)
				r.piggyback(k)
				r.send(int(rl.origin))
			}
			return
		}
	}
}

// ---- suspicion ----

// startSuspicion starts i's suspicion timer on j and returns 1 + its index,
// for view.aux.
func (r *run) startSuspicion(i, j int, from int32) int32 {
	var x int32
	if k := len(r.suspFree); k > 0 {
		x = r.suspFree[k-1]
		r.suspFree = r.suspFree[:k-1]
	} else {
		r.susp = append(r.susp, suspicion{})
		x = int32(len(r.susp) - 1)
	}
	s := &r.susp[x]
	s.start = r.eng.Now()
	s.accusers = append(s.accusers[:0], from)
	s.k, s.confirmations = r.expected, 0
	s.subject = int32(j)
	r.eng.After(r.suspicionTimeout(0, s.k), evSuspicion, int32(i), int64(x)|int64(s.gen)<<32)
	return x + 1
}

// suspicionTimeout is memberlist's (Lifeguard's) timeout after c of k
// expected confirmations: from the maximum down to the minimum as
// log(c+1)/log(k+1), in whole milliseconds; the minimum without Lifeguard.
func (r *run) suspicionTimeout(c, k int32) sim.Time {
	if k < 1 || r.maxSuspicion == r.minSuspicion {
		return r.minSuspicion
	}
	frac := math.Log(float64(c)+1) / math.Log(float64(k)+1)
	raw := float64(r.maxSuspicion) - frac*float64(r.maxSuspicion-r.minSuspicion)
	t := sim.Time(math.Floor(raw/float64(sim.Millisecond))) * sim.Millisecond
	return max(t, r.minSuspicion)
}

// clearSuspicion cancels the suspicion timer of v, a view about to change.
func (r *run) clearSuspicion(v *view) {
	if v.timer() == 0 {
		return
	}
	x := v.aux - 1
	r.susp[x].gen++
	r.suspFree = append(r.suspFree, x)
	v.aux = 0
}

// confirm counts an independent suspicion of j (Lifeguard) and shortens
// i's timer; it reports whether the confirmation was new.
func (r *run) confirm(i, j int, from int32) bool {
	v := r.view(i, j)
	if !r.cfg.Lifeguard || v.timer() == 0 {
		return false
	}
	x := v.timer() - 1
	s := &r.susp[x]
	if s.confirmations >= s.k || slices.Contains(s.accusers, from) {
		return false
	}
	s.accusers = append(s.accusers, from)
	s.confirmations++
	s.gen++
	remaining := max(0, r.suspicionTimeout(s.confirmations, s.k)-(r.eng.Now()-s.start))
	r.eng.After(remaining, evSuspicion, int32(i), int64(x)|int64(s.gen)<<32)
	return true
}

// suspicionFired declares a suspect dead when its timer runs out.
func (r *run) suspicionFired(i int, x int32, gen uint32) {
	s := &r.susp[x]
	if !r.up(i) || s.gen != gen {
		return
	}
	j := int(s.subject)
	old := r.view(i, j)
	if old.timer() != x+1 {
		return
	}
	v := old
	r.rec.FailureDeclarations++
	if r.up(j) {
		r.rec.FalseFailures++
		if r.declaredInc[j] != uint64(v.inc)+1 {
			// The first declaration of this member at this incarnation.
			r.declaredInc[j] = uint64(v.inc) + 1
			r.falsePos++
		}
	}
	r.clearSuspicion(&v)
	v.status = dead
	r.update(i, j, old, v)
	r.enqueue(i, wire.Entry{Node: uint32(j), Generation: v.inc, Heartbeat: uint32(i), Status: dead})
}

// ---- membership updates, with SWIM's precedence rules ----

// apply folds one received update into member i's view.
func (r *run) apply(i int, e *wire.Entry) {
	j := int(e.Node)
	switch e.Status {
	case alive:
		r.aliveUpdate(i, j, e.Generation)
	case suspect:
		r.suspectUpdate(i, j, e.Generation, int32(e.Heartbeat))
	case dead:
		r.deadUpdate(i, j, e.Generation, int32(e.Heartbeat))
	}
}

// aliveUpdate: alive(inc) overrides alive, suspect and dead at a lower
// incarnation.
func (r *run) aliveUpdate(i, j int, inc uint32) {
	if j == i {
		return
	}
	old := r.view(i, j)
	if inc <= old.inc {
		return
	}
	v := old
	r.clearSuspicion(&v)
	v.inc, v.status = inc, alive
	r.update(i, j, old, v)
	r.enqueue(i, wire.Entry{Node: uint32(j), Generation: inc, Status: alive})
}

// suspectUpdate: suspect(inc) overrides alive at the same or a lower
// incarnation and suspect at a lower one; at the same one it is a
// confirmation. About oneself it is refuted.
func (r *run) suspectUpdate(i, j int, inc uint32, from int32) {
	if j == i {
		if inc >= r.members[i].inc {
			r.refute(i, inc)
		}
		return
	}
	old := r.view(i, j)
	if inc < old.inc || old.status == dead {
		return
	}
	v := old
	if v.status == suspect {
		if inc == v.inc {
			if r.confirm(i, j, from) {
				r.enqueue(i, wire.Entry{Node: uint32(j), Generation: inc, Heartbeat: uint32(from), Status: suspect})
			}
			return
		}
		r.clearSuspicion(&v)
	}
	v.inc, v.status = inc, suspect
	v.aux = r.startSuspicion(i, j, from)
	r.update(i, j, old, v)
	r.enqueue(i, wire.Entry{Node: uint32(j), Generation: inc, Heartbeat: uint32(from), Status: suspect})
}

// deadUpdate: dead(inc) overrides alive and suspect at the same or a lower
// incarnation. About oneself it is refuted.
func (r *run) deadUpdate(i, j int, inc uint32, from int32) {
	if j == i {
		if inc >= r.members[i].inc {
			r.refute(i, inc)
		}
		return
	}
	old := r.view(i, j)
	if inc < old.inc || old.status == dead {
		return
	}
	v := old
	r.clearSuspicion(&v)
	v.inc, v.status = inc, dead
	r.update(i, j, old, v)
	r.enqueue(i, wire.Entry{Node: uint32(j), Generation: inc, Heartbeat: uint32(from), Status: dead})
}

// refute answers a suspicion (or death) of member i at incarnation accused:
// i moves past it and disseminates alive.
func (r *run) refute(i int, accused uint32) {
	m := &r.members[i]
	if accused < math.MaxUint32 {
		m.inc = max(m.inc, accused+1)
	}
	r.enqueue(i, wire.Entry{Node: uint32(i), Generation: m.inc, Status: alive})
	r.awareness(i, 1)
}

// update changes i's view of j from old to v (stamping the time it became
// dead), keeps the measurements current and moves j's baseline once every
// live member agrees on it.
func (r *run) update(i, j int, old, v view) {
	switch {
	case v.status == alive:
		v.aux = 0
	case v.status == dead && old.status != dead:
		v.aux = r.nowMs()
	}
	r.store(i, j, v)
	if !r.up(i) {
		return
	}
	if v.status != old.status {
		r.measure(j, old.status, v.status)
	}
	if ver := v.version(); ver != old.version() {
		r.agreeOn(j, ver)
	}
}

// measure keeps the measurements current when a live member's view of j
// changes status from was to st.
func (r *run) measure(j int, was, st wire.Status) {
	if r.up(j) {
		if was == dead {
			r.wrong--
		}
		if st == dead {
			r.wrong++
		}
		return
	}
	if k := r.crashIdx[j]; k >= 0 {
		if was == dead {
			r.deadCount[k]--
		}
		if st == dead {
			r.deadCount[k]++
			if r.deadCount[k] == r.live && r.fullDet[k] < 0 {
				r.fullDet[k] = r.eng.Now() - r.cfg.CrashAt
			}
		}
	}
}

// ---- dissemination ----

// enqueue puts an update in member i's dissemination queue, replacing any
// older update about the same member.
func (r *run) enqueue(i int, e wire.Entry) {
	m := &r.members[i]
	for x := range m.queue {
		if m.queue[x].e.Node == e.Node {
			m.queue = slices.Delete(m.queue, x, x+1)
			break
		}
	}
	r.bcastID++
	m.queue = append(m.queue, bcast{e: e, id: r.bcastID})
	r.state[i] |= stQueued
}

// piggyback adds to r.out as many queued updates of member i as the packet
// holds, least transmitted (then newest) first, and retires those sent
// retransmitLimit times.
func (r *run) piggyback(i int) {
	m := &r.members[i]
	room := r.maxEntries - len(r.out.Entries)
	if room <= 0 || len(m.queue) == 0 {
		return
	}
	if len(m.queue) > room {
		slices.SortFunc(m.queue, func(a, b bcast) int {
			if c := cmp.Compare(a.transmits, b.transmits); c != 0 {
				return c
			}
			return cmp.Compare(b.id, a.id)
		})
	}
	take := min(room, len(m.queue))
	for x := range take {
		r.out.Entries = append(r.out.Entries, m.queue[x].e)
		m.queue[x].transmits++
	}
	m.queue = slices.DeleteFunc(m.queue, func(b bcast) bool { return b.transmits >= r.retransmitLimit })
	if len(m.queue) == 0 {
		r.state[i] &^= stQueued
	}
}

// gossip sends member i's pending updates to GossipNodes random members it
// holds alive or suspect, or dead for less than GossipToTheDead.
func (r *run) gossip(i int) {
	st := r.state[i]
	if st&stUp == 0 {
		return
	}
	r.eng.After(r.cfg.GossipInterval, evGossip, int32(i), 0)
	if st&stQueued == 0 {
		return
	}
	// Start loading the member's queue while the targets are drawn.
	r.warm += r.members[i].queue[0].transmits
	deadline := r.nowMs() - int32(GossipToTheDead/sim.Millisecond)
	targets := r.pickWith(r.gossipRand, i, r.cfg.GossipNodes, func(j int) bool {
		if f := r.bflag[j]; f&flagHot == 0 && wire.Status(f&3) != dead {
			return true
		}
		v := r.view(i, j)
		return v.status != dead || v.since() > deadline
	})
	for _, t := range targets {
		if r.state[i]&stQueued == 0 {
			return
		}
		r.begin(kindGossip, i, 0, 0)
		r.out.Requests = r.out.Requests[:0]
		r.piggyback(i)
		r.send(int(t))
	}
}

// ---- messages ----

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
	r.enc = wire.Append(r.enc[:0], &r.out, r.cm.Checksum)
	if r.out.Kind == kindNack {
		r.rec.FailureMessagesSent++
	}
	r.tr.Send(int32(dst), r.enc)
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
	if !r.tr.Receive(s, &r.in) {
		return
	}
	msg := &r.in
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
			r.eng.After(r.cfg.ProbeTimeout, evRelayTimeout, int32(i), int64(m.seq))
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

// ---- crashes and measurements ----

func (r *run) crashMembers() {
	order := make([]int32, r.n)
	for i := range order {
		order[i] = int32(i)
	}
	for k := 0; k < r.cfg.Crashes; k++ {
		p := k + r.crash.IntN(r.n-k)
		order[k], order[p] = order[p], order[k]
	}
	r.crashed = order[:r.cfg.Crashes:r.cfg.Crashes]
	for k, j32 := range r.crashed {
		j := int(j32)
		for i := range r.n {
			if i == j || !r.up(i) {
				continue
			}
			if r.view(j, i).status == dead {
				r.wrong--
			}
			if r.view(i, j).status == dead {
				r.wrong--
			}
		}
		r.state[j] &^= stUp
		r.crashIdx[j] = int32(k)
		r.rec.Crashes++
	}
	r.live = r.n - len(r.crashed)
	r.firstDet = make([]sim.Time, len(r.crashed))
	r.fullDet = make([]sim.Time, len(r.crashed))
	r.deadCount = make([]int, len(r.crashed))
	for k, j := range r.crashed {
		r.firstDet[k], r.fullDet[k] = -1, -1
		for i := range r.n {
			if r.up(i) && r.view(i, int(j)).status == dead {
				r.deadCount[k]++
			}
		}
		if r.deadCount[k] == r.live {
			r.fullDet[k] = 0
		}
	}
	r.forgetCrashed()
}

// sample appends one time-series row for the interval that ends now.
func (r *run) sample() {
	frac := 0.0
	if pairs := int64(r.live) * int64(r.live-1); pairs > 0 {
		frac = float64(r.wrong) / float64(pairs)
	}
	r.series.Take(r.eng.Now(), r.rec, metrics.State{WrongViewFraction: frac, LiveNodes: r.live})
	r.eng.After(r.cm.SampleInterval, evSample, 0, 0)
}

func meanOf(ts []sim.Time, unit sim.Time) float64 {
	var sum float64
	k := 0
	for _, t := range ts {
		if t >= 0 {
			sum += float64(t) / float64(unit)
			k++
		}
	}
	if k == 0 {
		return protocol.Null
	}
	return sum / float64(k)
}

func (r *run) result() protocol.Result {
	periods := float64(r.cm.Duration) / float64(r.cfg.ProbeInterval)
	return protocol.Result{
		Fields: []protocol.Field{
			{Name: FieldFirstDetection, Value: meanOf(r.firstDet, r.cfg.ProbeInterval)},
			{Name: FieldFullDetection, Value: meanOf(r.fullDet, sim.Second)},
			{Name: FieldFalsePositives, Value: float64(r.falsePos)},
			{Name: FieldMessages, Value: float64(r.rec.MessagesSent) / float64(r.n) / periods},
		},
		Counters: r.rec,
		Samples:  r.series.Samples(),
		Events:   r.eng.Processed(),
	}
}
