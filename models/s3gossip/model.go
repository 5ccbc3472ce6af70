package s3gossip

import (
	"cmp"
	"context"
	"errors"
	"math/rand/v2"
	"slices"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/transport"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Event kinds the model schedules on its engine.
const (
	evGossipTimer   uint32 = iota // a node's round timer fired; Arg = node epoch
	evGossipRound                 // the node's processor reached the round; Arg = node epoch
	evDeliver                     // a message reached a node; Arg = transport slot
	evProcess                     // a node finished processing a queued message; Arg = transport slot
	evCrash                       // the next random crash in the fleet
	evRecover                     // a crashed node restarts; Arg = node epoch
	evSample                      // time-series sample
	evMonitor                     // the gossip-rate monitor's window ends (mitigation c)
	evResetDecide                 // an operator or an alarm decides to reset (mitigation a)
	evResetCleared                // communication is stopped and every node's state cleared
	evResetRestored               // the restore is done: gossip restarts
	evScheduledDown               // the fault schedule takes a node down
	evScheduledUp                 // the fault schedule restarts a node
)

// node is one server's own state (its beliefs about peers live in the views,
// Model.ver, since and sf; its processor in Model.proc).
type node struct {
	up    bool
	epoch int64 // raised at every crash and restart; stale events carry an old epoch

	staleFrom       int32 // ms: no entry of this node's view that is not failed is older (see detectTimeout)
	failedCount     int32 // peers this node believes failed
	believersFailed int32 // live observers that believe this node failed
	crashedAt       sim.Time
	detected        bool
	fullyDetected   bool

	ahead    []int32 // observers that may hold a version of this node above its true one
	aheadMin uint64  // the lowest such version
}

// Model is one run of the S3-style failure-gossip model. Create it with New,
// drive it with Advance, read it with Summary and Samples.
type Model struct {
	cfg  Config
	n    int
	eng  *sim.Engine
	rec  *metrics.Recorder
	live int

	nodes []node
	// The views, n×n row-major by observer (see view.go).
	ver   []uint64
	since []int32
	sf    []uint8
	// truth is each node's true version (pack of its generation, raised by
	// one at every restart, and its heartbeat counter, raised by one every
	// round), kept apart from nodes so that merging a message reads it
	// densely.
	truth []uint64

	// tr carries the messages: loss, corruption, latency, delivery, checksum
	// verification and decoding. A delivered message waits in its slot
	// through the receiver's queue, tagged with the receiver's epoch.
	tr *transport.Transport
	// proc is the nodes' processors: rounds, received messages and sends
	// queue there, each costing processing time, and the load samples read it.
	proc *transport.Processor

	peersRand, phaseRand, crashRand *rand.Rand
	localRand                       *rand.Rand // in-zone picks (InZoneShare > 0 only): "s3gossip/locality"
	zoneOf                          []int32    // each node's zone (InZoneShare > 0 only)
	zoneMembers                     [][]int32  // each zone's nodes (InZoneShare > 0 only)

	out     *wire.Message // message being built (transport.Compose)
	targets []int32

	sampleInterval sim.Time
	anat           *metrics.AnatomyRecorder // the storm's anatomy, recorded at each sample (anatomy.go)

	zm *zoneMetrics // the zones of a topology with more than one (faultmetrics.go); nil otherwise

	sp *spreadTracker // the spread of bad values (spread.go); nil until a corrupted message is accepted

	hot []int32 // scratch: peers whose failure a node is gossiping this round

	notice      [1]wire.Entry // a failure notice's entry (sendFailureNotices)
	scratchOut  []wire.Entry  // scratch: a digest reply's entries (answerDigest)
	scratchReq  []uint32      // scratch: a digest reply's requests
	unpacked    []wire.Entry  // scratch: a packed message's entries, unpacked
	scratchVers []uint64      // scratch: a packed message's versions

	// The failure detectors' state beyond the views (detect.go).
	phi             *phiWindows // φ-accrual's windows (DetectorPhi only)
	arrivalSeen     []uint32    // per peer: the message that last recorded an arrival of it (noteArrivals)
	arrivalMark     uint32      // the message being merged
	suspicions      int64       // suspicions raised by observers' own suspect detectors
	falseSuspicions int64       // of which about peers up
	refutations     int64       // suspicions ended by a newer version

	paused         bool     // a reset stopped all communication
	monitorLast    int64    // MessagesSent at the start of the monitor window
	baselineSum    float64  // messages/s summed over baseline windows
	baselineN      int      // baseline windows measured
	inAlarm        bool     // the rate is above the alarm level
	monitorHoldoff sim.Time // no alarm before this time (after a restore)

	// The trace (trace.go): nil without one.
	trace *trace.Tracer
	from  int32       // the sender of the message being merged, -1 when none (a traced run's updates)
	tev   trace.Event // the event being recorded
}

// packFrom is the transport's packing threshold (0: its default); tests
// lower it so that small fleets take the packed path that views of
// thousands of nodes take.
var packFrom = 0

// New builds the fleet at time zero: every node up, generation 1, knowing every
// peer alive, its first round at a random phase within one interval.
// sampleInterval is the time-series step.
func New(cfg Config, seed uint64, sampleInterval sim.Time) (*Model, error) {
	return NewWithContext(context.Background(), cfg, seed, sampleInterval)
}

// NewWithContext is New, returning ctx's error instead if ctx is done before
// the fleet is built: filling every node's view of every peer (nodes² entries)
// takes seconds at 10,000 nodes, and ctx is checked every 64 nodes' views.
func NewWithContext(ctx context.Context, cfg Config, seed uint64, sampleInterval sim.Time) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if sampleInterval <= 0 {
		return nil, errors.New("sample-interval: must be positive")
	}
	n := cfg.Nodes
	m := &Model{
		cfg:            cfg,
		n:              n,
		eng:            sim.NewEngineWithQueue(cfg.Queue),
		rec:            metrics.NewRecorder(n),
		live:           n,
		nodes:          make([]node, n),
		proc:           transport.NewProcessor(n, cfg.QueueLimit),
		ver:            make([]uint64, n*n),
		since:          make([]int32, n*n),
		sf:             make([]uint8, n*n),
		truth:          make([]uint64, n),
		peersRand:      sim.NewStream(seed, "s3gossip/peers"),
		phaseRand:      sim.NewStream(seed, "s3gossip/phase"),
		crashRand:      sim.NewStream(seed, "s3gossip/crash"),
		sampleInterval: sampleInterval,
		anat:           metrics.NewAnatomyRecorder(n),
		trace:          cfg.Trace,
		from:           -1,
	}
	// The transport's streams are "s3gossip/latency", "s3gossip/loss" and
	// "s3gossip/corruption", drawn per message in the order loss,
	// corruption, latency: the draws the model has always made.
	m.tr = transport.New(transport.Config{
		Name:        RecordName,
		Engine:      m.eng,
		DeliverKind: evDeliver,
		Network:     cfg.Network,
		Corruption:  cfg.Corruption,
		Checksum:    cfg.Checksum,
		Counters:    &m.rec.Counters,
		Accept:      func(msg *wire.Message) bool { return transport.InFleet(msg, n) },
		PackFrom:    packFrom,
		Path:        cfg.Fleet.Path(),
		Trace:       cfg.Trace,
	}, seed)
	m.eng.SetHandler(m.handle)
	m.eng.Reserve(4 * n)
	for i := range m.nodes {
		m.nodes[i] = node{up: true, aheadMin: ^uint64(0)}
		m.truth[i] = pack(1, 0)
	}
	for i := range n {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		// Version (1, 0), since 0, alive, no flags (the zero values).
		ver, _, _ := m.row(i)
		if i == 0 {
			for j := range ver {
				ver[j] = pack(1, 0)
			}
		} else {
			copy(ver, m.ver[:n])
		}
	}
	if cfg.Detector == DetectorPhi {
		m.phi = newPhiWindows(n, cfg.Params)
		m.arrivalSeen = make([]uint32, n)
	}
	for i := range n {
		m.eng.Schedule(m.phase(), evGossipTimer, int32(i), 0)
	}
	m.scheduleCrash()
	m.scheduleFaults()
	if topo := m.tr.Topology(); cfg.InZoneShare > 0 && topo != nil {
		m.localRand = sim.NewStream(seed, "s3gossip/locality")
		m.zoneOf = make([]int32, n)
		m.zoneMembers = make([][]int32, topo.Zones())
		for i := range n {
			z := topo.ZoneOf(i)
			m.zoneOf[i] = int32(z)
			m.zoneMembers[z] = append(m.zoneMembers[z], int32(i))
		}
	}
	m.initFaultMetrics()
	m.eng.Schedule(sampleInterval, evSample, 0, 0)
	if cfg.Monitor.Enabled {
		m.eng.Schedule(cfg.Monitor.Window, evMonitor, 0, 0)
	}
	if cfg.Reset.Procedure != ResetNone && !cfg.Reset.OnAlarm {
		m.eng.Schedule(cfg.Reset.At, evResetDecide, 0, 0)
	}
	return m, nil
}

func (m *Model) phase() sim.Time {
	return sim.Time(m.phaseRand.Int64N(int64(m.cfg.GossipInterval)))
}

// Advance runs the simulation up to simulated time t.
func (m *Model) Advance(t sim.Time) { m.eng.RunUntil(t) }

// SetLimits stops the run early (see sim.Engine.SetLimits): after maxEvents
// events in total (0: no limit), or when interrupt returns true.
func (m *Model) SetLimits(maxEvents uint64, interrupt func() bool) {
	m.eng.SetLimits(maxEvents, interrupt)
}

// LimitHit reports which limit, if any, stopped the run.
func (m *Model) LimitHit() sim.Limit { return m.eng.LimitHit() }

// Now is the current simulated time.
func (m *Model) Now() sim.Time { return m.eng.Now() }

// Events is the number of events processed so far.
func (m *Model) Events() uint64 { return m.eng.Processed() }

// Recorder gives the run's measurements.
func (m *Model) Recorder() *metrics.Recorder { return m.rec }

// Summary summarises the run at the current time. A run counts as recovered
// only if its wrong-view fraction has been 0 for at least two fail timeouts
// (with the suspect detector, two fail and suspect timeouts; with φ-accrual,
// twice the longest it waits, settleTime).
func (m *Model) Summary() metrics.Summary {
	return m.rec.Summarize(m.eng.Now(), m.cfg.settleTime())
}

// View returns observer's current entry for peer, for tests and inspection.
func (m *Model) View(observer, peer int) wire.Entry {
	x := observer*m.n + peer
	return wireEntry(peer, m.ver[x], m.sf[x])
}

// Up reports whether node i is up.
func (m *Model) Up(i int) bool { return m.nodes[i].up }

// handle dispatches one engine event.
func (m *Model) handle(ev sim.Event) {
	i := int(ev.Node)
	switch ev.Kind {
	case evGossipTimer:
		m.gossipTimer(i, ev.Arg)
	case evGossipRound:
		m.gossipRound(i, ev.Arg)
	case evDeliver:
		m.deliver(i, ev.Arg)
	case evProcess:
		m.process(i, ev.Arg)
	case evCrash:
		m.crash()
	case evRecover:
		if !m.heldDown(i) {
			m.recover(i, ev.Arg)
		}
	case evScheduledDown:
		if m.nodes[i].up {
			m.takeDown(i)
		}
	case evScheduledUp:
		m.recover(i, m.nodes[i].epoch)
	case evSample:
		m.sample()
	case evMonitor:
		m.monitorWindow()
	case evResetDecide:
		m.decideReset()
	case evResetCleared:
		m.clearState()
	case evResetRestored:
		m.restore()
	}
}

// gossipTimer queues the round behind the work already waiting at the node's
// processor: a busy node gossips, and so heartbeats, late; a swamped node (more
// than one gossip interval of work queued) skips the round altogether.
func (m *Model) gossipTimer(i int, epoch int64) {
	nd := &m.nodes[i]
	if !nd.up || nd.epoch != epoch || m.paused {
		return
	}
	now := m.eng.Now()
	if m.proc.Backlog(i, now) > m.cfg.GossipInterval {
		// Swamped: more than a round's worth of work is queued, so this round
		// is skipped and the heartbeat does not go up.
		m.rec.RoundsSkipped++
		m.eng.Schedule(now+m.roundInterval(i, now), evGossipTimer, int32(i), epoch)
		return
	}
	start := m.proc.Reserve(i, now, m.cfg.PerMessageCost)
	m.eng.Schedule(start, evGossipRound, int32(i), epoch)
}

// gossipRound is one round of node i: heartbeat, failure detection, gossip,
// failure notices, next timer.
func (m *Model) gossipRound(i int, epoch int64) {
	nd := &m.nodes[i]
	if !nd.up || nd.epoch != epoch {
		return
	}
	now := m.eng.Now()
	if m.sp != nil {
		m.sp.begin(-1) // spread.go
	}
	m.truth[i]++ // the heartbeat, in the low 32 bits
	m.ver[i*m.n+i] = m.truth[i]
	m.truthAdvanced(i, now)
	sentBefore := m.rec.MessagesSent

	m.detectFailures(i, now)
	kind := wire.KindDigest // opens a push-pull exchange
	if m.cfg.Mode == ModeFull {
		kind = wire.KindFullView // pushes the whole view
	}
	m.sendView(i, kind)
	if nd.failedCount > 0 && m.cfg.FailureFanout > 0 {
		m.sendFailureNotices(i, now)
	}
	m.chargeSends(i, m.rec.MessagesSent-sentBefore)
	m.eng.Schedule(now+m.roundInterval(i, now), evGossipTimer, int32(i), epoch)
}

// roundInterval is the real time until node i's next round timer: the
// gossip interval as i's clock counts it, so a clock the fault schedule
// runs fast (rate > 1, faults.Timeline.ClockRate) gossips, and so
// heartbeats, more often, and a slow one less.
func (m *Model) roundInterval(i int, now sim.Time) sim.Time {
	return max(1, m.localSpan(i, now, m.cfg.GossipInterval))
}

// localSpan is the real time node i's clock takes to count d: d / rate,
// where the fault schedule's skew sets the rate (1 without one). The gossip
// timer and the timeout and suspect detectors' timeouts count local time;
// φ-accrual learns the intervals it sees, skewed or not, and is left as is.
func (m *Model) localSpan(i int, now, d sim.Time) sim.Time {
	return m.tr.Faults().LocalSpan(i, now, d)
}

// pickPeers fills m.targets with k distinct random nodes other than i.
func (m *Model) pickPeers(i, k int) []int32 {
	m.targets = m.targets[:0]
	for len(m.targets) < k {
		p := m.pickPeer(i, k)
		dup := false
		for _, t := range m.targets {
			dup = dup || t == p
		}
		if !dup {
			m.targets = append(m.targets, p)
		}
	}
	return m.targets
}

// pickPeer draws one of k distinct random nodes other than i: with
// probability InZoneShare from i's own zone (when it has k other nodes, so
// that k distinct picks exist there), otherwise from the whole fleet.
// Without locality it makes exactly the draws it always has, from
// "s3gossip/peers"; the in-zone coin and pick come from "s3gossip/locality".
func (m *Model) pickPeer(i, k int) int32 {
	if m.localRand != nil {
		zone := m.zoneMembers[m.zoneOf[i]] // ascending
		if len(zone) > k && m.localRand.Float64() < m.cfg.InZoneShare {
			r := m.localRand.IntN(len(zone) - 1)
			if zone[r] >= int32(i) {
				r++ // skip i itself
			}
			return zone[r]
		}
	}
	p := int32(m.peersRand.IntN(m.n - 1))
	if int(p) >= i {
		p++
	}
	return p
}

// resetOut starts a message of the given kind from sender in m.out, built
// in place in the transport (entries is about how many it will carry).
func (m *Model) resetOut(kind wire.Kind, sender, entries int) {
	m.out = m.tr.Compose(kind, uint32(sender), entries)
}

// appendEntries appends to out the entries of a view (its versions ver and
// sf bytes) for the nodes ids, in their order.
func appendEntries(out []wire.Entry, ver []uint64, sf []uint8, ids []uint32) []wire.Entry {
	at := len(out)
	out = slices.Grow(out, len(ids))[:at+len(ids)]
	dst := out[at:]
	sf = sf[:len(ver)]
	for k, id := range ids {
		dst[k] = wireEntry(int(id), ver[id], sf[id])
	}
	return out
}

// sendView sends i's whole view, as a message of the given kind, to Fanout
// random peers: a full view (ModeFull) pushes it, a digest (ModeDigest) opens
// a push-pull exchange.
func (m *Model) sendView(i int, kind wire.Kind) {
	if m.cfg.OmitFailedAfter <= 0 && m.tr.Packs(m.n) {
		// A whole view large enough to travel packed is written straight
		// into its columns: the versions as they are, then the statuses.
		msg, c := m.tr.ComposeColumns(kind, uint32(i), m.n)
		ver, _, sf := m.row(i)
		c.SetVersions(ver)
		sts := c.Statuses[:len(sf)]
		for j, f := range sf {
			sts[j] = statusOf(f)
		}
		m.tr.SendAll(m.pickPeers(i, m.cfg.Fanout), msg)
		return
	}
	m.resetOut(kind, i, m.n)
	m.appendView(i)
	m.tr.SendAll(m.pickPeers(i, m.cfg.Fanout), m.out)
}

// sendFailureNotices sends one notice per server i believes failed (and still
// gossips about) to FailureFanout random peers. Mitigation (b) bounds the
// rounds a failure is gossiped, caps the notices per round (newest failures
// first) and drops long-failed entries.
func (m *Model) sendFailureNotices(i int, now sim.Time) {
	horizon := int32(-1 << 31)
	if r := m.cfg.failureGossipRounds(); r > 0 {
		horizon = msOf(now - sim.Time(r)*m.cfg.GossipInterval)
	}
	if m.cfg.OmitFailedAfter > 0 {
		horizon = max(horizon, msOf(now-m.cfg.OmitFailedAfter))
	}
	_, since, sf := m.row(i)
	m.hot = m.hot[:0]
	for j := range sf {
		if statusOf(sf[j]) == wire.StatusFailed && since[j] >= horizon {
			m.hot = append(m.hot, int32(j))
		}
	}
	if limit := m.cfg.FailureRateLimit; limit > 0 && len(m.hot) > limit {
		slices.SortStableFunc(m.hot, func(a, b int32) int { return cmp.Compare(since[b], since[a]) })
		m.hot = m.hot[:limit]
	}
	// A notice is one entry: it travels inside its transport slots, so it is
	// built here rather than composed in the transport.
	ver, _, sf := m.row(i)
	notice := wire.Message{Kind: wire.KindFailureNotice, Sender: uint32(i), Entries: m.notice[:1]}
	for _, j := range m.hot {
		notice.Entries[0] = wireEntry(int(j), ver[j], sf[j])
		targets := m.pickPeers(i, m.cfg.FailureFanout)
		m.rec.FailureMessagesSent += int64(len(targets))
		m.tr.SendAll(targets, &notice)
	}
}

// appendView adds i's whole view to the message being built, leaving out
// entries believed failed for longer than OmitFailedAfter (mitigation b).
func (m *Model) appendView(i int) {
	ver, since, sf := m.row(i)
	out := m.out.Entries
	if m.cfg.OmitFailedAfter <= 0 {
		out = slices.Grow(out, len(ver))[:len(out)+len(ver)]
		view := out[len(out)-len(ver):]
		sf := sf[:len(ver)]
		for j := range ver {
			view[j] = wireEntry(j, ver[j], sf[j])
		}
		m.out.Entries = out
		return
	}
	cutoff := msOf(m.eng.Now() - m.cfg.OmitFailedAfter)
	for j := range ver {
		if statusOf(sf[j]) == wire.StatusFailed && since[j] < cutoff {
			continue
		}
		out = append(out, wireEntry(j, ver[j], sf[j]))
	}
	m.out.Entries = out
}

// entriesCarried estimates from its length how many entries a message carries,
// which is what the receiver's processing cost depends on before it decodes.
func (m *Model) entriesCarried(length int) int {
	body := length - wire.EncodedSize(0, 0, m.cfg.Checksum)
	if body <= 0 {
		return 0
	}
	return body / wire.EntrySize
}

// deliver queues an arriving message at dst's processor, or drops it.
func (m *Model) deliver(dst int, s int64) {
	nd := &m.nodes[dst]
	if !nd.up || m.paused {
		m.tr.Drop(s)
		return
	}
	cost := m.cfg.PerMessageCost + sim.Time(m.entriesCarried(m.tr.Size(s)))*m.cfg.PerEntryCost
	doneAt, ok := m.proc.Enqueue(dst, m.eng.Now(), cost)
	if !ok {
		m.rec.QueueDrops++
		m.tr.Discard(s)
		return
	}
	m.tr.SetTag(s, nd.epoch)
	m.tr.Arrived(s)
	m.eng.Schedule(doneAt, evProcess, int32(dst), s)
}

// process decodes a message at the end of its processing time (the
// transport verifies, decodes and counts it) and acts on it.
func (m *Model) process(i int, s int64) {
	nd := &m.nodes[i]
	if !nd.up || m.tr.Tag(s) != nd.epoch {
		m.tr.DiscardStale(s) // the node crashed (or a reset began) while the message waited
		return
	}
	m.proc.Dequeue(i)
	corrupted := m.tr.Corrupted(s)
	msg, cols, ok := m.tr.ReceiveColumns(s)
	if !ok {
		return
	}
	now := m.eng.Now()
	if corrupted {
		m.rec.MarkTriggered(now) // counted in CorruptionsAccepted by Receive
		m.noteCorruption(i, msg, now)
	} else if m.sp != nil {
		m.sp.begin(int32(msg.Sender)) // spread.go
	}
	if m.trace != nil {
		m.processTraced(i, msg, cols, now)
		return
	}
	m.read(i, msg, cols, now)
}

// read acts on message msg (with its entries in cols when it travelled
// packed) processed by node i at now.
func (m *Model) read(i int, msg *wire.Message, cols *transport.Columns, now sim.Time) {
	entries := msg.Entries
	if cols != nil {
		if m.phi == nil {
			m.processColumns(i, msg, cols, now)
			return
		}
		m.unpacked = cols.Unpack(m.unpacked) // φ notes arrivals entry by entry
		entries = m.unpacked
	}
	if m.phi != nil && msg.Kind != wire.KindDigest {
		m.noteArrivals(i, entries, now) // before the merge raises the versions
	}
	switch msg.Kind {
	case wire.KindFullView:
		m.mergeView(i, entries, now)
	case wire.KindDelta, wire.KindFailureNotice:
		m.mergeAll(i, entries, now)
	case wire.KindDigest:
		m.answerDigest(i, msg, entries)
	case wire.KindDigestReply:
		m.mergeAll(i, entries, now)
		m.sendDelta(i, msg)
	}
}

// processColumns is process for a message that travelled packed (msg its
// header, cols its entries): the common forms, a whole view or a list of
// nodes of one generation, are read column by column, and the rest unpacked.
func (m *Model) processColumns(i int, msg *wire.Message, cols *transport.Columns, now sim.Time) {
	if cols.Gens != nil || cols.Len() > m.n {
		m.unpacked = cols.Unpack(m.unpacked)
		switch msg.Kind {
		case wire.KindFullView:
			m.mergeView(i, m.unpacked, now)
		case wire.KindDigest:
			m.answerDigest(i, msg, m.unpacked)
		case wire.KindDelta, wire.KindFailureNotice, wire.KindDigestReply:
			m.mergeAll(i, m.unpacked, now)
		}
	} else {
		switch msg.Kind {
		case wire.KindFullView:
			if cols.Nodes == nil {
				m.mergeColumns(i, cols, now)
			} else {
				m.mergeView(i, cols.Unpack(m.unpacked), now)
			}
		case wire.KindDigest:
			m.answerColumns(i, msg, cols)
		case wire.KindDelta, wire.KindFailureNotice, wire.KindDigestReply:
			m.mergeColumns(i, cols, now)
		}
	}
	if msg.Kind == wire.KindDigestReply {
		m.sendDelta(i, msg)
	}
}

// sendDelta answers a digest reply's requests with i's entries for them.
func (m *Model) sendDelta(i int, reply *wire.Message) {
	req := reply.Requests
	if len(req) == 0 || int(reply.Sender) == i {
		return
	}
	ver, _, sf := m.row(i)
	if m.tr.Packs(len(req)) {
		msg, c := m.tr.ComposeColumns(wire.KindDelta, uint32(i), len(req))
		copy(c.WithNodes(), req)
		vers := slices.Grow(m.scratchVers[:0], len(req))[:len(req)]
		sts := c.Statuses[:len(req)]
		for k, id := range req {
			vers[k], sts[k] = ver[id], statusOf(sf[id])
		}
		c.SetVersions(vers)
		m.scratchVers = vers
		m.tr.Send(int32(reply.Sender), msg)
	} else {
		m.resetOut(wire.KindDelta, i, len(req))
		m.out.Entries = appendEntries(m.out.Entries, ver, sf, req)
		m.tr.Send(int32(reply.Sender), m.out)
	}
	m.chargeSends(i, 1)
}

// answerDigest replies to a digest (msg's entries, or entries when given)
// with the entries i holds newer and the ids it wants from the sender.
func (m *Model) answerDigest(i int, msg *wire.Message, entries []wire.Entry) {
	if int(msg.Sender) == i {
		return
	}
	if entries == nil {
		entries = msg.Entries
	}
	m.growScratch(len(entries))
	ver, _, sf := m.row(i)
	no, nr := compareDigest(ver, sf, entries, m.scratchOut, m.scratchReq, i)
	m.sendReply(i, int(msg.Sender), no, nr)
}

// answerColumns is answerDigest for a packed digest of one generation whose
// node ids are given or are 0, 1, 2, ...
func (m *Model) answerColumns(i int, msg *wire.Message, cols *transport.Columns) {
	if int(msg.Sender) == i {
		return
	}
	m.growScratch(cols.Len())
	ver, _, sf := m.row(i)
	var no, nr int
	if cols.Nodes == nil {
		no, nr = compareColumns(ver, sf, cols.Gen, cols.Heartbeats, cols.Statuses, m.scratchOut, m.scratchReq, i)
	} else {
		no, nr = compareDigest(ver, sf, cols.Unpack(m.unpacked), m.scratchOut, m.scratchReq, i)
	}
	m.sendReply(i, int(msg.Sender), no, nr)
}

// growScratch makes room in the reply's scratch lists for a digest of n
// entries.
func (m *Model) growScratch(n int) {
	m.scratchOut, m.scratchReq = slices.Grow(m.scratchOut[:0], n)[:n], slices.Grow(m.scratchReq[:0], n)[:n]
}

// sendReply sends a digest's sender the reply compared into scratch: no
// entries and nr requests. The reply is copied into a message of its own
// size, so that a queued reply holds no more than it carries.
func (m *Model) sendReply(i, sender, no, nr int) {
	if no == 0 && nr == 0 {
		return
	}
	if m.tr.Packs(no) {
		msg, c := m.tr.ComposeColumns(wire.KindDigestReply, uint32(i), no)
		msg.Requests = append(msg.Requests, m.scratchReq[:nr]...)
		nodes, sts := c.WithNodes(), c.Statuses[:no]
		vers := slices.Grow(m.scratchVers[:0], no)[:no]
		for k := range vers {
			e := &m.scratchOut[k]
			nodes[k], vers[k], sts[k] = e.Node, e.Version(), e.Status
		}
		c.SetVersions(vers)
		m.scratchVers = vers
		m.tr.Send(int32(sender), msg)
	} else {
		m.resetOut(wire.KindDigestReply, i, no)
		m.out.Entries = append(m.out.Entries, m.scratchOut[:no]...)
		m.out.Requests = append(m.out.Requests, m.scratchReq[:nr]...)
		m.tr.Send(int32(sender), m.out)
	}
	m.chargeSends(i, 1)
}

// compareDigest compares a digest's entries with observer i's view (its
// versions ver and sf bytes): it writes to out the entries of the view newer
// than the digest's (or as new and more severe), to req the ids of the
// digest's entries newer than the view's (except i's own), and returns how
// many of each. out and req must have
// room for len(digest) each.
//
// It has no branch on the comparison, which goes either way at random:
// every entry is written to both lists and kept in the one it belongs to.
// It is a function of its own so that the loop keeps everything in
// registers.
func compareDigest(ver []uint64, sf []uint8, digest, out []wire.Entry, req []uint32, i int) (no, nr int) {
	out, req = out[:len(digest)], req[:len(digest)]
	sf = sf[:len(ver)]
	for k := range digest {
		e := &digest[k]
		j := int(e.Node)
		lv, ev := ver[j], e.Version()
		f := sf[j]
		ls, es := statusOf(f), e.Status
		ahead := bit(lv > ev) | bit(lv == ev)&bit(ls > es)
		behind := (bit(ev > lv) | bit(lv == ev)&bit(es > ls)) & bit(j != i)
		if no < len(out) {
			out[no] = wireEntry(j, lv, f)
		}
		if nr < len(req) {
			req[nr] = e.Node
		}
		no += ahead
		nr += behind
	}
	return no, nr
}

// compareColumns is compareDigest for a digest of nodes 0 to len(hbs)-1,
// all of generation gen, given column by column (heartbeats hbs and
// statuses sts).
func compareColumns(ver []uint64, sf []uint8, gen uint32, hbs []uint32, sts []wire.Status, out []wire.Entry, req []uint32, i int) (no, nr int) {
	n := len(hbs)
	out, req, sts = out[:n], req[:n], sts[:n]
	ver, sf = ver[:n], sf[:n]
	g := uint64(gen) << 32
	for k, hb := range hbs {
		lv, ev := ver[k], g|uint64(hb)
		f := sf[k]
		ls, es := statusOf(f), sts[k]
		ahead := bit(lv > ev) | bit(lv == ev)&bit(ls > es)
		behind := (bit(ev > lv) | bit(lv == ev)&bit(es > ls)) & bit(k != i)
		if no < len(out) {
			out[no] = wireEntry(k, lv, f)
		}
		if nr < len(req) {
			req[nr] = uint32(k)
		}
		no += ahead
		nr += behind
	}
	return no, nr
}

// bit is 1 for true and 0 for false (compiled without a branch).
func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// chargeSends adds the processing time of sent messages to node i's processor
// (messages sent, including any the network then lost).
func (m *Model) chargeSends(i int, sent int64) {
	if sent <= 0 || m.cfg.PerSendCost == 0 {
		return
	}
	m.proc.Charge(i, m.eng.Now(), sim.Time(sent)*m.cfg.PerSendCost)
}
