package swim

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/trace"
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
	evProbeTimeout  uint32 = iota // the direct ack is overdue; Arg = probe seq
	evProbeEnd                    // the protocol period ends; Arg = probe seq
	evRelayTimeout                // a ping-req relay gives up; Arg = relay seq
	evSuspicion                   // a suspicion timer fires; Arg = slot | generation<<32
	evGossip                      // a member's gossip tick
	evDeliver                     // a message reaches member Node; Arg = slot
	evCrash                       // the chosen members crash
	evSample                      // time-series sample
	evScheduledDown               // the fault schedule crashes member Node
	evScheduledUp                 // the fault schedule restarts member Node
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

	out   wire.Message
	picks []int32
	cands []int32

	crashed     []int32    // the crashed members, in crash order
	crashTime   []sim.Time // per crashed member: when it crashed
	crashIdx    []int32
	epoch       []int64    // with a fault schedule: each member's timer generation, raised at a restart
	held        []bool     // with a fault schedule: the schedule took the member down
	firstDet    []sim.Time // per crashed member: crash to first failed probe, or -1
	fullDet     []sim.Time // crash to every live member holding it dead, or -1
	deadCount   []int      // live members holding the crashed member dead
	falsePos    int64      // live members declared dead, once per member and incarnation
	declaredInc []uint64   // per member: 1 + the incarnation it was last declared dead at, or 0
	wrong       int64      // (live, live) pairs held dead

	series metrics.Sampler

	tev trace.Event // the trace event being recorded (trace.go)
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
		Path:        cm.Path(),
		Trace:       cm.Trace,
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
	r.scheduleFaults()
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
		if r.epoch == nil || r.epoch[i] == ev.Arg>>32 {
			r.probeEnd(i, uint32(ev.Arg))
		}
	case evRelayTimeout:
		r.relayTimeout(i, uint32(ev.Arg))
	case evSuspicion:
		r.suspicionFired(i, int32(ev.Arg&0xffffffff), uint32(ev.Arg>>32))
	case evGossip:
		if r.epoch == nil || r.epoch[i] == ev.Arg {
			r.gossip(i)
		}
	case evDeliver:
		r.deliver(i, ev.Arg)
	case evCrash:
		r.crashMembers()
	case evSample:
		r.sample()
	case evScheduledDown:
		if r.up(i) {
			r.held[i] = true
			r.takeDown([]int32{int32(i)})
		}
	case evScheduledUp:
		r.restart(i)
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
