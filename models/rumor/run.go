package rumor

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
	evCycle   uint32 = iota // a cycle starts; Arg = its number (from 1)
	evDeliver               // a message reaches site Node; Arg = slot
	evSample                // time-series sample
)

// rumorID is the Node field of the rumor's wire entry: the update is "site
// 0's state", which site 0 originates.
const rumorID = 0

// Site states (Demers et al.'s terms).
const (
	susceptible uint8 = iota // has never heard the rumor
	infective                // holds a hot rumor and spreads it
	removed                  // knows the rumor but has lost interest
)

// pack turns an entry's (Generation, Heartbeat) into one comparable version.
// The true update is version 1 (generation 0, heartbeat 1); 0 means none.
func pack(e wire.Entry) uint64 { return uint64(e.Generation)<<32 | uint64(e.Heartbeat) }

// unpack is the inverse of pack, for the rumor's entry.
func unpack(v uint64) wire.Entry {
	return wire.Entry{Node: rumorID, Generation: uint32(v >> 32), Heartbeat: uint32(v), Status: wire.StatusAlive}
}

// site is one site's state.
type site struct {
	version uint64 // the version it holds; 0 = none
	state   uint8
	count   int32 // the loss-of-interest counter (counter variants)
	first   int32 // cycle in which it first received the update; 0 for the origin, -1 never

	hotSince     int32  // the cycle in which it last became infective
	changedIn    int32  // the last cycle in which version changed
	startVersion uint64 // the version it held when cycle changedIn started

	contacts  int32 // contacts this cycle whose outcome it knows (all of them, blind)
	necessary int32 // those of them that passed the rumor to a site that lacked it
}

// run is one simulation.
type run struct {
	cfg Config
	c   protocol.Common
	n   int
	eng *sim.Engine
	cnt metrics.Counters

	sites       []site
	susceptible int
	infective   int
	cycle       int32 // the current cycle, from 1
	dead        bool  // no infective site remains
	deathCycle  int32 // the last cycle that started with an infective site
	residue     int   // susceptible sites when the rumor died
	updates     int64 // rumor-mongering messages that carried the update (the paper's traffic m)

	tr *transport.Transport // messages in flight: loss, corruption, latency

	peersRand, coinRand, orderRand *rand.Rand

	out    wire.Message
	actors []int32 // scratch: the sites acting this cycle, shuffled

	series     metrics.Sampler
	sampleStep sim.Time
}

// Run simulates one rumor: site 0 holds a hot rumor at cycle 0 and the run
// ends when no infective site remains (with anti-entropy, when every site
// has the update) or at the horizon cm.Duration. It is a pure function of
// (c, cm, seed).
func (c *Config) Run(ctx context.Context, cm protocol.Common, seed uint64) (protocol.Result, error) {
	if err := c.Validate(cm); err != nil {
		return protocol.Result{}, err
	}
	r := newRun(*c, cm, seed)
	if err := protocol.Drive(ctx, r.eng, cm.Duration, c.Cycle); err != nil {
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
		cfg:         cfg,
		c:           cm,
		n:           n,
		eng:         cm.NewEngine(),
		sites:       make([]site, n),
		susceptible: n - 1,
		infective:   1,
		peersRand:   sim.NewStream(seed, "rumor/peers"),
		coinRand:    sim.NewStream(seed, "rumor/coin"),
		orderRand:   sim.NewStream(seed, "rumor/order"),
		sampleStep:  cm.SampleInterval,
	}
	r.tr = transport.New(transport.Config{
		Name:        "rumor",
		Engine:      r.eng,
		DeliverKind: evDeliver,
		Network:     cm.Network,
		Corruption:  cm.Corruption,
		Checksum:    cm.Checksum,
		Counters:    &r.cnt,
		LatencyCap:  (cfg.Cycle - 1) / 2, // a contact and its answer fit in a cycle
		Accept:      r.understood,
		Path:        cm.Path(),
		Trace:       cm.Trace,
	}, seed)
	for i := range r.sites {
		r.sites[i].first = -1
	}
	r.sites[0] = site{version: 1, state: infective}
	r.out.Entries = make([]wire.Entry, 0, 1)
	r.out.Requests = make([]uint32, 0, 1)
	r.actors = make([]int32, 0, n)
	r.eng.SetHandler(r.handle)
	r.eng.Reserve(3*n + 2)
	r.eng.Schedule(0, evCycle, 0, 1)
	if r.sampleStep > 0 {
		r.eng.Schedule(r.sampleStep, evSample, 0, 0)
	}
	return r
}

func (r *run) handle(ev sim.Event) {
	switch ev.Kind {
	case evCycle:
		r.startCycle(int32(ev.Arg))
	case evDeliver:
		r.deliver(int(ev.Node), ev.Arg)
	case evSample:
		r.sample(true)
	}
}

// startCycle runs cycle c, which occupies [(c-1)·Cycle, c·Cycle). Every
// exchange started in a cycle completes within it, so the state here is the
// state at the end of cycle c-1: first the sites' contacts of that cycle are
// settled (loss of interest), then the cycle's contacts start.
func (r *run) startCycle(c int32) {
	r.settle()
	r.cycle = c
	if !r.dead && r.infective == 0 {
		r.dead = true
		r.deathCycle = c - 1
		r.residue = r.susceptible
		if r.cfg.AntiEntropy == AntiEntropyNone {
			r.eng.Stop()
			return
		}
	}
	if r.dead {
		if r.susceptible == 0 {
			r.eng.Stop()
			return
		}
		if (c-1-r.deathCycle)%int32(r.cfg.AntiEntropyEvery) == 0 {
			r.antiEntropy()
		}
	} else {
		r.monger()
	}
	r.eng.After(r.cfg.Cycle, evCycle, 0, int64(c)+1)
}

// settle applies loss of interest for the cycle that just ended, once per
// infective site, from the contacts it had in it (its push, the pulls it
// served):
//
//	feedback-counter  a cycle with a necessary contact resets the counter; a
//	                  cycle whose known contacts were all unnecessary adds one;
//	                  the site loses interest when the counter reaches K
//	feedback-coin     after a cycle whose known contacts were all unnecessary,
//	                  the site loses interest with probability 1/K
//	blind-counter     every contact adds one; interest is lost at K
//	blind-coin        after every contact, interest is lost with probability 1/K
func (r *run) settle() {
	k := int32(r.cfg.K)
	for j := range r.sites {
		s := &r.sites[j]
		if s.contacts == 0 {
			continue
		}
		contacts, necessary := s.contacts, s.necessary
		s.contacts, s.necessary = 0, 0
		if s.state != infective {
			continue
		}
		lose := false
		switch r.cfg.Variant {
		case FeedbackCounter:
			if necessary > 0 {
				s.count = 0
			} else {
				s.count++
				lose = s.count >= k
			}
		case FeedbackCoin:
			lose = necessary == 0 && r.coin()
		case BlindCounter:
			s.count += contacts
			lose = s.count >= k
		case BlindCoin:
			for range contacts {
				if lose = r.coin(); lose {
					break
				}
			}
		}
		if lose {
			s.state = removed
			r.infective--
		}
	}
}

// coin returns true with probability 1/K.
func (r *run) coin() bool { return r.coinRand.IntN(r.cfg.K) == 0 }

// hot reports whether site s was infective when the current cycle started:
// a site infected during a cycle starts spreading in the next one.
func (r *run) hot(s *site) bool { return s.state == infective && s.hotSince < r.cycle }

// knownAtCycleStart is the version site s held when the current cycle
// started: within a cycle every contact sees the state at its start, as if
// all of them happened at once.
func (r *run) knownAtCycleStart(s *site) uint64 {
	if s.changedIn == r.cycle {
		return s.startVersion
	}
	return s.version
}

// monger makes every acting site contact one random site: in push the
// infective sites, in pull and push-pull every site. Sites act in a fresh
// random order each cycle, so that with a constant latency no site is
// systematically first to reach a common target.
func (r *run) monger() {
	r.actors = r.actors[:0]
	for i := range r.sites {
		if r.cfg.Mode != Push || r.sites[i].state == infective {
			r.actors = append(r.actors, int32(i))
		}
	}
	r.orderRand.Shuffle(len(r.actors), func(a, b int) { r.actors[a], r.actors[b] = r.actors[b], r.actors[a] })
	blind := !r.cfg.Variant.Feedback()
	for _, a := range r.actors {
		i := int(a)
		s := &r.sites[i]
		p := r.peer(i)
		switch {
		case s.state == infective && r.cfg.Mode != Pull:
			// A push; in push-pull it also asks for the peer's version.
			r.sendEntry(p, i, wire.KindDelta, s.version, r.cfg.Mode == PushPull)
			if blind {
				s.contacts++ // the sender does not wait to hear what the peer knew
			}
		default: // a pull request carrying the caller's version
			r.sendEntry(p, i, wire.KindDigest, s.version, true)
		}
	}
}

// antiEntropy makes every site send its version to one random site, which
// adopts it if newer and answers with its own if that is newer.
func (r *run) antiEntropy() {
	for i := range r.sites {
		r.sendEntry(r.peer(i), i, wire.KindFullView, r.sites[i].version, false)
	}
}

// peer returns a uniformly random site other than i.
func (r *run) peer(i int) int {
	p := r.peersRand.IntN(r.n - 1)
	if p >= i {
		p++
	}
	return p
}

// sendEntry sends from site `from` to site dst a message of the given kind
// carrying one entry with version v and, with ask, a request for the
// rumor's entry.
func (r *run) sendEntry(dst, from int, kind wire.Kind, v uint64, ask bool) {
	r.out.Kind = kind
	r.out.Sender = uint32(from)
	r.out.Entries = append(r.out.Entries[:0], unpack(v))
	r.out.Requests = r.out.Requests[:0]
	if ask {
		r.out.Requests = append(r.out.Requests, rumorID)
	}
	if kind != wire.KindDigest && v > 0 && !r.dead {
		r.updates++ // rumor mongering's update traffic; anti-entropy's is not counted
	}
	r.tr.Send(int32(dst), &r.out)
}

// deliver decodes a message at site j and acts on it.
func (r *run) deliver(j int, s int64) {
	in, ok := r.tr.Receive(s)
	if !ok {
		return
	}
	from := int(in.Sender)
	v := pack(in.Entries[0])
	ask := len(in.Requests) > 0
	switch in.Kind {
	case wire.KindDelta: // a push (in push-pull, also a pull)
		if ask {
			r.serve(j, from, v)
		}
		prior := r.knownAtCycleStart(&r.sites[j])
		r.merge(j, v)
		if r.cfg.Variant.Feedback() && from != j {
			r.sendEntry(from, j, wire.KindDigest, prior, false) // feedback: what j knew
		}
	case wire.KindDigest:
		if ask {
			r.serve(j, from, v) // a pull request
		} else {
			r.feedback(j, v)
		}
	case wire.KindDigestReply: // the answer to a pull or an anti-entropy exchange
		r.merge(j, v)
	case wire.KindFullView: // an anti-entropy exchange
		if own := r.sites[j].version; own > v && from != j {
			r.sendEntry(from, j, wire.KindDigestReply, own, false)
		}
		r.merge(j, v)
	}
}

// understood is the receiver's semantic check: a kind this protocol sends,
// from a fleet member, carrying exactly the rumor's entry and at most a
// request for it.
func (r *run) understood(m *wire.Message) bool {
	if m.Kind == wire.KindFailureNotice {
		return false
	}
	if m.Sender >= uint32(r.n) || len(m.Entries) != 1 || m.Entries[0].Node != rumorID || len(m.Requests) > 1 {
		return false
	}
	return len(m.Requests) == 0 || m.Requests[0] == rumorID
}

// serve is site j's side of a pull from the caller, who held version v when
// the cycle started. A site that was infective at the start of the cycle
// passes the rumor on every contact, as rumor mongering does; the version in
// the request is the caller's feedback, so the contact is necessary exactly
// when the caller lacked the rumor.
func (r *run) serve(j, caller int, v uint64) {
	s := &r.sites[j]
	if !r.hot(s) || caller == j {
		return
	}
	r.sendEntry(caller, j, wire.KindDigestReply, s.version, false)
	s.contacts++
	if s.version > v {
		s.necessary++
	}
}

// feedback is a push's answer reaching its sender j: the recipient held
// version prior when the cycle started, so the push was necessary if prior
// is older than j's version.
func (r *run) feedback(j int, prior uint64) {
	s := &r.sites[j]
	if s.state != infective || !r.cfg.Variant.Feedback() {
		return
	}
	s.contacts++
	if prior < s.version {
		s.necessary++
	}
}

// merge gives site j version v if it is newer than j's. While the rumor
// lives, a newer version is a hot rumor: j becomes (or stays) infective,
// from the next cycle on, with its counter reset. After the rumor died,
// anti-entropy delivers it cold: j knows it but does not monger it.
func (r *run) merge(j int, v uint64) {
	s := &r.sites[j]
	if v <= s.version {
		return
	}
	if s.state == susceptible {
		r.susceptible--
		s.first = r.cycle
	}
	if s.changedIn != r.cycle {
		s.startVersion, s.changedIn = s.version, r.cycle
	}
	s.version = v
	if r.dead {
		s.state = removed
		return
	}
	if s.state != infective {
		s.state = infective
		r.infective++
	}
	s.count = 0
	s.hotSince = r.cycle
}

// sample appends one time-series row for the interval ending now, if it
// is not empty.
func (r *run) sample(reschedule bool) {
	r.series.Take(r.eng.Now(), r.cnt, metrics.State{
		WrongViewFraction: float64(r.susceptible) / float64(r.n),
		LiveNodes:         r.n,
	})
	if reschedule {
		r.eng.After(r.sampleStep, evSample, 0, 0)
	}
}

func (r *run) result() protocol.Result {
	_, lost := r.tr.InFlight()
	r.cnt.CorruptionsLost += int64(lost) // still in flight when the run ended
	residue, cycles := protocol.Null, protocol.Null
	if r.dead {
		residue = float64(r.residue) / float64(r.n)
		cycles = float64(r.deathCycle)
	}
	tAve, tLast := protocol.Null, protocol.Null
	var sum, reached int64
	var last int32
	for i := range r.sites {
		if f := r.sites[i].first; f >= 1 {
			sum += int64(f)
			reached++
			last = max(last, f)
		}
	}
	if reached > 0 {
		tAve = float64(sum) / float64(reached)
		tLast = float64(last)
	}
	return protocol.Result{
		Fields: []protocol.Field{
			{Name: "residue", Value: residue},
			{Name: "traffic", Value: float64(r.updates) / float64(r.n)},
			{Name: "t_ave", Value: tAve},
			{Name: "t_last", Value: tLast},
			{Name: "cycles", Value: cycles},
		},
		Counters: r.cnt,
		Samples:  r.series.Samples(),
		Events:   r.eng.Processed(),
	}
}
