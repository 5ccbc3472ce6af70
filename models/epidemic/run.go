package epidemic

import (
	"context"
	"math/rand/v2"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/transport"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Event kinds of the model's engine.
const (
	evTick    uint32 = iota // node Node's round (timer) fires
	evDeliver               // a message reaches node Node; Arg = slot
	evSample                // time-series sample
)

// updateID is the Node field of the update's wire entry: the update is
// "node 0's state", which node 0 originates.
const updateID = 0

// pack turns an entry's (Generation, Heartbeat) into one comparable version.
// The true update is version 1 (generation 0, heartbeat 1); 0 means none.
func pack(e wire.Entry) uint64 { return uint64(e.Generation)<<32 | uint64(e.Heartbeat) }

// unpack is the inverse of pack, for node updateID.
func unpack(v uint64) wire.Entry {
	return wire.Entry{Node: updateID, Generation: uint32(v >> 32), Heartbeat: uint32(v), Status: wire.StatusAlive}
}

// run is one simulation.
type run struct {
	cfg Config
	c   protocol.Common
	n   int
	eng *sim.Engine
	cnt metrics.Counters

	versions versionTable // each node's version of the update; 0 = uninformed
	informed int
	full     bool
	fullAt   sim.Time

	tr *transport.Transport // messages in flight: loss, corruption, latency

	peersRand, phaseRand *rand.Rand

	// phase holds each node's timer phase when timers are lazy (push mode):
	// an uninformed node's push round does nothing, so its timer starts only
	// when it is informed, at its next round boundary. Nil otherwise.
	phase []sim.Time

	out     wire.Message
	targets []int32
	mark    []uint32 // pickPeers' duplicate check, by stamp
	stamp   uint32

	series     metrics.Sampler
	sampleStep sim.Time
}

// Run simulates one dissemination: node 0 holds the update at time 0, and
// the run ends when every node is informed or at the horizon cm.Duration.
// It is a pure function of (c, cm, seed).
func (c *Config) Run(ctx context.Context, cm protocol.Common, seed uint64) (protocol.Result, error) {
	if err := c.Validate(cm); err != nil {
		return protocol.Result{}, err
	}
	r := newRun(*c, cm, seed)
	if err := protocol.Drive(ctx, r.eng, cm.Duration, c.Round); err != nil {
		return protocol.Result{}, err
	}
	if r.sampleStep > 0 {
		r.sample(false) // the partial interval up to the end, if any
	}
	return r.result(), nil
}

func newRun(cfg Config, cm protocol.Common, seed uint64) *run {
	n := cm.Nodes
	r := &run{
		cfg:        cfg,
		c:          cm,
		n:          n,
		eng:        cm.NewEngine(),
		versions:   newVersionTable(n),
		peersRand:  sim.NewStream(seed, "epidemic/peers"),
		phaseRand:  sim.NewStream(seed, "epidemic/phase"),
		sampleStep: cm.SampleInterval,
	}
	tc := transport.Config{
		Name:        "epidemic",
		Engine:      r.eng,
		DeliverKind: evDeliver,
		Network:     cm.Network,
		Corruption:  cm.Corruption,
		Checksum:    cm.Checksum,
		Counters:    &r.cnt,
		Accept:      r.understood,
		Path:        cm.Path(),
		Trace:       cm.Trace,
	}
	if cfg.Rounds == Sync {
		tc.LatencyCap = cfg.Round - 1 // async: no cap
	}
	r.tr = transport.New(tc, seed)
	if cfg.Fanout > 1 {
		r.mark = make([]uint32, n)
	}
	r.out.Entries = make([]wire.Entry, 0, 1)
	r.out.Requests = make([]uint32, 0, 1)
	r.eng.SetHandler(r.handle)
	r.eng.Reserve(n + 1) // a hint: at most one timer per node; messages in flight come and go

	r.versions.set(0, 1)
	r.informed = 1
	if cfg.Mode == Push {
		r.phase = make([]sim.Time, n)
	}
	for i := range n {
		var at sim.Time
		if cfg.Rounds == Async {
			at = sim.Time(r.phaseRand.Int64N(int64(cfg.Round)))
		}
		if r.phase == nil {
			r.eng.Schedule(at, evTick, int32(i), 0)
		} else {
			r.phase[i] = at
		}
	}
	if r.phase != nil {
		r.eng.Schedule(r.phase[0], evTick, 0, 0)
	}
	if r.sampleStep > 0 {
		r.eng.Schedule(r.sampleStep, evSample, 0, 0)
	}
	return r
}

func (r *run) handle(ev sim.Event) {
	switch ev.Kind {
	case evTick:
		r.tick(int(ev.Node))
	case evDeliver:
		r.deliver(int(ev.Node), ev.Arg)
	case evSample:
		r.sample(true)
	}
}

// tick is one round of node i.
func (r *run) tick(i int) {
	v := r.versions.get(i)
	switch r.cfg.Mode {
	case Push:
		if v > 0 {
			r.call(i, wire.KindDelta, false)
		}
	case Pull:
		r.call(i, wire.KindDigest, true)
	case PushPull:
		if v > 0 {
			r.call(i, wire.KindDelta, true)
		} else {
			r.call(i, wire.KindDigest, true)
		}
	}
	r.eng.After(r.cfg.Round, evTick, int32(i), 0)
}

// call sends node i's version to Fanout random peers in a message of the
// given kind; with ask, the message requests the update from a peer that
// holds a newer version.
func (r *run) call(i int, kind wire.Kind, ask bool) {
	r.build(i, kind, ask)
	r.tr.SendAll(r.pickPeers(i), &r.out)
}

// build builds node i's message in r.out.
func (r *run) build(i int, kind wire.Kind, ask bool) {
	r.out.Kind = kind
	r.out.Sender = uint32(i)
	r.out.Entries = append(r.out.Entries[:0], unpack(r.versions.get(i)))
	r.out.Requests = r.out.Requests[:0]
	if ask {
		r.out.Requests = append(r.out.Requests, updateID)
	}
}

// pickPeers returns Fanout distinct uniformly random nodes other than i.
func (r *run) pickPeers(i int) []int32 {
	r.targets = r.targets[:0]
	if r.cfg.Fanout == 1 {
		p := r.peersRand.IntN(r.n - 1)
		if p >= i {
			p++
		}
		r.targets = append(r.targets, int32(p))
		return r.targets
	}
	r.stamp++
	if r.stamp == 0 {
		clear(r.mark)
		r.stamp = 1
	}
	for len(r.targets) < r.cfg.Fanout {
		p := r.peersRand.IntN(r.n - 1)
		if p >= i {
			p++
		}
		if r.mark[p] == r.stamp {
			continue
		}
		r.mark[p] = r.stamp
		r.targets = append(r.targets, int32(p))
	}
	return r.targets
}

// deliver decodes a message at node j and acts on it: a delta with a newer
// version informs j; a request is answered with a delta when j's version is
// newer than the requester's.
func (r *run) deliver(j int, s int64) {
	in, ok := r.tr.Receive(s)
	if !ok {
		return
	}
	v := pack(in.Entries[0])
	own := r.versions.get(j)
	kind := in.Kind
	if sender := int(in.Sender); len(in.Requests) > 0 && own > v && sender != j {
		r.build(j, wire.KindDelta, false)
		r.tr.Send(int32(sender), &r.out)
	}
	if kind == wire.KindDelta && v > own {
		r.adopt(j, v)
	}
}

// understood is the receiver's semantic check: a digest or delta from a
// fleet member, carrying exactly the update's entry and at most a request
// for it.
func (r *run) understood(m *wire.Message) bool {
	if m.Kind != wire.KindDigest && m.Kind != wire.KindDelta {
		return false
	}
	if m.Sender >= uint32(r.n) || len(m.Entries) != 1 || m.Entries[0].Node != updateID || len(m.Requests) > 1 {
		return false
	}
	return len(m.Requests) == 0 || m.Requests[0] == updateID
}

// adopt gives node j version v (> its own).
func (r *run) adopt(j int, v uint64) {
	if r.versions.get(j) == 0 {
		if r.phase != nil {
			r.startTimer(j)
		}
		r.informed++
		if r.informed == r.n && !r.full {
			r.full = true
			r.fullAt = r.eng.Now()
			r.eng.Stop()
		}
	}
	r.versions.set(j, v)
}

// startTimer schedules node j's first round after now on its own round
// grid (phase + k·Round), the round it would have acted in had its timer run
// all along: a timer at this very instant was scheduled a round ago, before
// the message that informed j, so it would have found j uninformed.
func (r *run) startTimer(j int) {
	now, ph, round := r.eng.Now(), r.phase[j], r.cfg.Round
	at := ph
	if now >= ph {
		at = ph + ((now-ph)/round+1)*round
	}
	r.eng.Schedule(at, evTick, int32(j), 0)
}

// sample appends one time-series row for the interval ending now, if it
// is not empty.
func (r *run) sample(reschedule bool) {
	r.series.Take(r.eng.Now(), r.cnt, metrics.State{
		WrongViewFraction: float64(r.n-r.informed) / float64(r.n),
		LiveNodes:         r.n,
	})
	if reschedule {
		r.eng.After(r.sampleStep, evSample, 0, 0)
	}
}

func (r *run) result() protocol.Result {
	_, lost := r.tr.InFlight()
	r.cnt.CorruptionsLost += int64(lost) // still in flight when the run ended
	rounds, tfull := protocol.Null, protocol.Null
	if r.full {
		tfull = r.fullAt.Seconds()
		if r.cfg.Rounds == Sync {
			// Round k (from 1) is [(k-1)·Round, k·Round); messages sent in
			// it arrive within it.
			rounds = float64(r.fullAt/r.cfg.Round + 1)
		} else {
			rounds = float64(r.fullAt) / float64(r.cfg.Round)
		}
	}
	return protocol.Result{
		Fields: []protocol.Field{
			{Name: "rounds_to_full", Value: rounds},
			{Name: "time_to_full_s", Value: tfull},
			{Name: "messages_per_node", Value: float64(r.cnt.MessagesSent) / float64(r.n)},
			{Name: "informed_fraction", Value: float64(r.informed) / float64(r.n)},
		},
		Counters: r.cnt,
		Samples:  r.series.Samples(),
		Events:   r.eng.Processed(),
	}
}
