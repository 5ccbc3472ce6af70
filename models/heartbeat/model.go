package heartbeat

import (
	"context"
	"math/rand/v2"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/transport"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Event kinds.
const (
	evGossip  uint32 = iota // member Node's gossip period starts
	evDeliver               // a message reaches member Node; Arg = slot
	evCrash                 // the chosen members crash
	evSample                // time-series sample
	evStart                 // the warm-up ends: measurement starts

	evScheduledDown // the fault schedule crashes member Node
	evScheduledUp   // the fault schedule restarts member Node
)

// Entry states in a member's list.
const (
	stateAbsent uint8 = iota // not in the list (never heard of, or cleaned up)
	stateLive                // in the list and gossiped
	stateFailed              // considered failed: kept, but no longer gossiped
)

// entry is one row of a member's membership list.
type entry struct {
	gen, hb uint32   // the highest version (generation, heartbeat) heard of
	last    sim.Time // local time the version last increased
	state   uint8
}

// run is the state of one simulation.
type run struct {
	cfg Config
	cm  protocol.Common
	n   int
	eng *sim.Engine
	rec metrics.Counters
	w   sim.Time // warm-up: engine time W is time 0 of the measured run

	wrong  int64           // (live observer, live member) pairs whose entry is not live
	series metrics.Sampler // the time series, timed from the end of the warm-up

	up    []bool
	live  int
	hb    []uint32 // each member's own counter
	lists []entry  // n×n, row-major by observer

	crashed   []int32    // the crashed members, in crash order (a member restarted and crashed again twice)
	crashTime []sim.Time // per crash: when, in engine time
	crashIdx  []int32    // member -> index in crashed of its current crash, or -1
	detected  []bool     // len(crashed)×n: observer has considered the crashed member failed
	detectSum float64    // seconds, over detected pairs
	detectMax float64
	detectN   int

	tr *transport.Transport // messages in flight: loss, corruption, latency

	// With a fault schedule only (faults.go); nil without one.
	gen         []uint32 // each member's generation, raised at a scheduled restart
	epoch       []int64  // each member's gossip timer generation (evGossip's Arg)
	held        []bool   // the schedule holds the member down
	pairSeconds float64  // live pair-seconds of the measured run up to pairsAt
	pairsAt     sim.Time

	peers, phase, crash *rand.Rand

	out     wire.Message
	targets []int32

	tev trace.Event // the trace event being recorded (trace.go)
}

// Run simulates one run: every member starts at time 0 knowing every other
// member, with its first gossip period at a random phase in [0, t-gossip).
// It is a pure function of (parameters, c, seed).
func (c *Config) Run(ctx context.Context, cm protocol.Common, seed uint64) (protocol.Result, error) {
	if err := c.Validate(cm); err != nil {
		return protocol.Result{}, err
	}
	r, err := newRun(ctx, *c, cm, seed)
	if err != nil {
		return protocol.Result{}, err
	}
	if err := protocol.Drive(ctx, r.eng, r.w+cm.Duration, 10*sim.Second); err != nil {
		return protocol.Result{}, err
	}
	return r.result(), nil
}

// newRun builds a run at time zero; it returns ctx's error if ctx is done
// before it is built (see fillLists).
func newRun(ctx context.Context, cfg Config, cm protocol.Common, seed uint64) (*run, error) {
	n := cm.Nodes
	r := &run{
		cfg:      cfg,
		cm:       cm,
		n:        n,
		eng:      cm.NewEngine(),
		w:        cfg.TCleanup + cfg.TFail,
		series:   metrics.NewSampler(cfg.TCleanup + cfg.TFail),
		up:       make([]bool, n),
		hb:       make([]uint32, n),
		lists:    make([]entry, n*n),
		crashIdx: make([]int32, n),
		peers:    sim.NewStream(seed, "heartbeat/peers"),
		phase:    sim.NewStream(seed, "heartbeat/phase"),
		crash:    sim.NewStream(seed, "heartbeat/crash"),
	}
	r.tr = transport.New(transport.Config{
		Name:        "heartbeat",
		Engine:      r.eng,
		DeliverKind: evDeliver,
		Network:     cm.Network,
		Corruption:  cm.Corruption,
		Origin:      r.w, // the warm-up: the run's time 0 is engine time w
		Checksum:    cm.Checksum,
		Counters:    &r.rec,
		Accept:      func(m *wire.Message) bool { return transport.InFleet(m, n) },
		Path:        cm.Path(),
		Trace:       cm.Trace,
	}, seed)
	r.out.Entries = make([]wire.Entry, 0, n)
	r.eng.SetHandler(r.handle)
	r.eng.Reserve(2 * n * (1 + cfg.Fanout))
	r.live = n
	for i := range n {
		r.up[i] = true
		r.crashIdx[i] = -1
	}
	if err := r.fillLists(ctx); err != nil {
		return nil, err
	}
	for i := range n {
		r.eng.Schedule(sim.Time(r.phase.Int64N(int64(cfg.TGossip))), evGossip, int32(i), 0)
	}
	r.eng.Schedule(r.w, evStart, 0, 0)
	if cfg.Crashes > 0 {
		r.eng.Schedule(r.w+cfg.CrashAt, evCrash, 0, 0)
	}
	if cm.SampleInterval > 0 {
		r.eng.Schedule(r.w+cm.SampleInterval, evSample, 0, 0)
	}
	r.scheduleFaults()
	return r, nil
}

// fillLists sets every member's list to every member live: n² entries,
// seconds at 10,000 members, so ctx is checked every 64 members' lists (its
// error is returned).
func (r *run) fillLists(ctx context.Context) error {
	n := r.n
	for i := range n {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row := r.lists[i*n : (i+1)*n]
		for j := range row {
			row[j] = entry{state: stateLive}
		}
	}
	return nil
}

func (r *run) handle(ev sim.Event) {
	switch ev.Kind {
	case evGossip:
		if r.epoch == nil || r.epoch[ev.Node] == ev.Arg {
			r.gossip(int(ev.Node))
		}
	case evDeliver:
		r.deliver(int(ev.Node), ev.Arg)
	case evCrash:
		r.crashMembers()
	case evStart:
		r.rec = metrics.Counters{} // the warm-up is not measured
	case evSample:
		r.sample()
	case evScheduledDown:
		r.scheduledDown(int(ev.Node))
	case evScheduledUp:
		r.scheduledUp(int(ev.Node))
	}
}

func (r *run) row(i int) []entry { return r.lists[i*r.n : (i+1)*r.n] }

// gossip is one gossip period of member i: raise its own counter, review its
// list (fail and clean up silent members), send the live part of the list.
func (r *run) gossip(i int) {
	if !r.up[i] {
		return
	}
	now := r.eng.Now()
	r.hb[i]++
	row := r.row(i)
	var gen uint32
	if r.gen != nil {
		gen = r.gen[i]
	}
	row[i] = entry{gen: gen, hb: r.hb[i], last: now, state: stateLive}
	r.review(i, now)

	r.out.Kind = wire.KindFullView
	r.out.Sender = uint32(i)
	r.out.Entries = r.out.Entries[:0]
	for j := range row {
		if row[j].state == stateLive {
			r.out.Entries = append(r.out.Entries, wire.Entry{Node: uint32(j), Generation: row[j].gen, Heartbeat: row[j].hb, Status: wire.StatusAlive})
		}
	}
	r.tr.SendAll(r.pickTargets(i), &r.out)
	var epoch int64
	if r.epoch != nil {
		epoch = r.epoch[i]
	}
	r.eng.After(r.localSpan(i, now, r.cfg.TGossip), evGossip, int32(i), epoch)
}

// review applies the two timeouts, counted by member i's clock, to its list.
func (r *run) review(i int, now sim.Time) {
	row := r.row(i)
	tFail, tCleanup := r.localSpan(i, now, r.cfg.TFail), r.localSpan(i, now, r.cfg.TCleanup)
	for j := range row {
		e := &row[j]
		if j == i || e.state == stateAbsent {
			continue
		}
		silent := now - e.last
		if e.state == stateLive && silent >= tFail {
			e.state = stateFailed
			r.declared(i, j, now)
		}
		if e.state == stateFailed && silent >= tCleanup {
			e.state = stateAbsent
		}
	}
}

// declared records that observer i has just considered member j failed.
func (r *run) declared(i, j int, now sim.Time) {
	r.rec.FailureDeclarations++
	if r.cm.Trace != nil {
		r.traceNode(trace.DeclareFailed, i, j, r.up[j])
	}
	if r.up[j] {
		r.rec.FalseFailures++
		r.wrong++
		return
	}
	if k := r.crashIdx[j]; k >= 0 && !r.detected[int(k)*r.n+i] {
		r.detected[int(k)*r.n+i] = true
		r.addDetection((now - r.crashTime[k]).Seconds())
	}
}

func (r *run) addDetection(s float64) {
	r.detectSum += s
	r.detectMax = max(r.detectMax, s)
	r.detectN++
}

// pickTargets chooses up to Fanout distinct random members other than i that
// i's list holds live (the members it would gossip to).
func (r *run) pickTargets(i int) []int32 {
	row := r.row(i)
	r.targets = r.targets[:0]
	for tries := 0; len(r.targets) < r.cfg.Fanout && tries < 32*r.cfg.Fanout; tries++ {
		p := r.peers.IntN(r.n - 1)
		if p >= i {
			p++
		}
		if row[p].state == stateLive && !containsID(r.targets, int32(p)) {
			r.targets = append(r.targets, int32(p))
		}
	}
	if len(r.targets) == r.cfg.Fanout {
		return r.targets
	}
	// Most of the list is not live: choose among the live ones explicitly.
	var cand []int32
	for j := range row {
		if j != i && row[j].state == stateLive && !containsID(r.targets, int32(j)) {
			cand = append(cand, int32(j))
		}
	}
	for len(r.targets) < r.cfg.Fanout && len(cand) > 0 {
		k := r.peers.IntN(len(cand))
		r.targets = append(r.targets, cand[k])
		cand[k] = cand[len(cand)-1]
		cand = cand[:len(cand)-1]
	}
	return r.targets
}

func containsID(s []int32, x int32) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// deliver decodes a message at member i and merges it into i's list.
func (r *run) deliver(i int, s int64) {
	if !r.up[i] {
		r.tr.Drop(s)
		return
	}
	msg, ok := r.tr.Receive(s)
	if !ok {
		return
	}
	r.merge(i, msg.Entries, r.eng.Now())
}

// merge folds received entries into member i's list: a higher version raises
// the entry and restarts its T_fail clock; an unknown member is added.
func (r *run) merge(i int, entries []wire.Entry, now sim.Time) {
	row := r.row(i)
	for k := range entries {
		in := &entries[k]
		j := int(in.Node)
		if j == i {
			continue // a member knows its own counter
		}
		e := &row[j]
		version := wire.Entry{Generation: e.gen, Heartbeat: e.hb}
		switch {
		case e.state == stateAbsent:
			// A member not (or no longer) in the list joins it. A failed
			// entry is kept until t-cleanup precisely so that an old
			// heartbeat cannot take this path and resurrect it.
			*e = entry{gen: in.Generation, hb: in.Heartbeat, last: now, state: stateLive}
			r.revived(j)
		case in.Newer(version):
			e.gen, e.hb, e.last = in.Generation, in.Heartbeat, now
			if e.state == stateFailed {
				e.state = stateLive
				r.revived(j)
			}
		}
	}
}

// revived records that observer i holds member j live again.
func (r *run) revived(j int) {
	if r.up[j] {
		r.wrong--
	}
}

// crashMembers crashes Crashes distinct members drawn from the crash stream
// (those the fault schedule already holds down stay as they are).
func (r *run) crashMembers() {
	now := r.eng.Now()
	r.countPairs(now)
	first := len(r.crashed)
	for _, j := range sim.Sample(r.crash, r.n, r.cfg.Crashes) {
		if r.up[j] {
			r.crashed = append(r.crashed, j)
			r.crashTime = append(r.crashTime, now)
		}
	}
	r.detected = append(r.detected, make([]bool, (len(r.crashed)-first)*r.n)...)
	for k := first; k < len(r.crashed); k++ {
		r.takeDown(int(r.crashed[k]), k)
	}
	for k := first; k < len(r.crashed); k++ {
		r.detectedAtCrash(k)
	}
}

// takeDown crashes member j, its crash number k: pairs that involve j
// leave the live-pair bookkeeping.
func (r *run) takeDown(j, k int) {
	r.countPairs(r.eng.Now())
	var wrong int64
	for i := range r.n {
		if i == j || !r.up[i] {
			continue
		}
		if r.lists[j*r.n+i].state != stateLive {
			wrong++
		}
		if r.lists[i*r.n+j].state != stateLive {
			wrong++
		}
	}
	r.wrong -= wrong
	r.up[j] = false
	r.live--
	r.crashIdx[j] = int32(k)
	if r.cm.Trace != nil {
		r.traceNode(trace.Crash, j, -1, false)
	}
	r.rec.Crashes++
}

// detectedAtCrash: an observer that already holds crashed member k failed
// (a false failure that happened to come true) considers it failed from the
// crash on.
func (r *run) detectedAtCrash(k int) {
	j := int(r.crashed[k])
	for i := range r.n {
		if r.up[i] && r.lists[i*r.n+j].state != stateLive {
			r.detected[k*r.n+i] = true
			r.addDetection(0)
		}
	}
}

// sample appends one time-series row for the interval that ends now.
// Heartbeat gossip carries no failure notices (a member alone decides that a
// silent member failed), so FailureMessagesSent stays 0 and so does the
// row's FailureMessagesPerSecond: by design, not an omission.
func (r *run) sample() {
	frac := 0.0
	if pairs := int64(r.live) * int64(r.live-1); pairs > 0 {
		frac = float64(r.wrong) / float64(pairs)
	}
	r.series.Take(r.eng.Now(), r.rec, metrics.State{WrongViewFraction: frac, LiveNodes: r.live})
	r.eng.After(r.cm.SampleInterval, evSample, 0, 0)
}

// result builds the summary at the horizon.
func (r *run) result() protocol.Result {
	d := r.cm.Duration
	mean, peak := protocol.Null, protocol.Null
	if r.detectN > 0 {
		mean, peak = r.detectSum/float64(r.detectN), r.detectMax
	}
	// Observer-member pair-seconds during which both were up.
	n := float64(r.n)
	pairSeconds := n * (n - 1) * d.Seconds()
	if c := float64(r.cfg.Crashes); c > 0 && r.cfg.CrashAt < d {
		after := (d - r.cfg.CrashAt).Seconds()
		pairSeconds -= (n*(n-1) - (n-c)*(n-c-1)) * after
	}
	if r.epoch != nil {
		// A fault schedule: the live count changed at the crashes and restarts.
		r.countPairs(r.w + d)
		pairSeconds = r.pairSeconds
	}
	rate := protocol.Null
	if pairSeconds > 0 {
		rate = float64(r.rec.FalseFailures) / pairSeconds
	}
	return protocol.Result{
		Fields: []protocol.Field{
			{Name: FieldDetectionTime, Value: mean},
			{Name: FieldDetectionTimeMax, Value: peak},
			{Name: FieldFalseFailures, Value: float64(r.rec.FalseFailures)},
			{Name: FieldFalseFailureRate, Value: rate},
			{Name: FieldMessages, Value: float64(r.rec.MessagesSent) / n / d.Seconds()},
		},
		Counters: r.rec,
		Samples:  r.series.Samples(),
		Events:   r.eng.Processed(),
	}
}
