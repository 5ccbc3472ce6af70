// Package swim is SWIM, the Scalable Weakly-consistent Infection-style
// process group Membership protocol of Das, Gupta and Motivala (DSN 2002),
// with the Lifeguard extensions of Dadgar, Phillips and Currey ("Lifeguard:
// Local Health Awareness for More Accurate Failure Detection", 2018), as a
// gossipsim protocol (--model swim). Its defaults are those of
// hashicorp/memberlist's DefaultLANConfig, the best-known SWIM
// implementation (Consul, Nomad, Serf).
//
// # Failure detection
//
// Time is divided into protocol periods of probe-interval at each member. In
// each period a member probes one other member: it sends a ping and expects
// an ack. If none arrives within probe-timeout it asks indirect-checks other
// members, chosen at random, to ping the target on its behalf (ping-req);
// they relay the target's ack. If no ack, direct or relayed, has arrived by
// the end of the period, the prober suspects the target. Probing through
// others separates "the target is down" from "the path between us loses
// messages".
//
// Which member to probe: the basic protocol picks uniformly at random
// (probe-order=random). SWIM's time-bounded completeness variant, used by
// memberlist, walks a randomly shuffled list of the other members and
// reshuffles it after each pass (probe-order=round-robin, the default), so
// that every member is probed by every other one within one pass; members
// held dead are skipped.
//
// A list per member would be n² ids, so here each pass of a member is a
// pseudo-random permutation of the n-1 other members computed one position
// at a time: the k-th target of the pass is perm(key, k), a keyed Feistel
// network on [0, n-1) (six rounds of the splitmix64 mixer, with "cycle
// walking" into the range), and a member keeps only its key, drawn from the
// seed when the pass starts, and its position. A permutation is a bijection,
// so each pass still names every other member exactly once: memberlist's
// guarantee that every member is probed by each live member once per n-1
// periods (two passes in the worst case) holds unchanged. What changes is
// only which orders are drawn: from a 2^64-key family of permutations
// rather than uniformly from all (n-1)! of them, independently per member and
// per pass as before (the tests check that where a member falls in a pass is
// uniform, and the measured detection times below).
//
// # Expected detection time
//
// Let q_f be the fraction of members that are not faulty. In a period, each
// of the n·q_f live members picks the crashed member with probability 1/n, so
// some live member picks it with probability 1-(1-1/n)^{n·q_f} → 1-e^{-q_f},
// and the number of periods until it is first probed is geometric with mean
// 1/(1-e^{-q_f}) → e/(e-1) ≈ 1.58 periods when few members fail, independent
// of the group size (Das et al., §3.1). The model reproduces the analysis when
// protocol periods are aligned across members (probe-phase=aligned, the
// default) and the crash falls on a period boundary (the default crash-at is
// a multiple of the default probe-interval): the first failed probe's period
// then ends a whole number of periods after the crash. The tests measure
// 1.55 periods at n = 100 and 1.63 at n = 1000 (formula 1.59 and 1.60 at
// their q_f).
//
// With staggered periods (probe-phase=staggered, what memberlist's tickers
// do), probes of the crashed member form a Poisson stream of about one per
// period: the first arrives one period after the crash on average and the
// suspicion one period after that, about 2 periods (measured 1.93 at n = 100
// over 400 runs).
// Round-robin order detects slightly sooner on average than random order,
// because a member that has not yet reached the crashed one in its pass must
// reach it before the pass ends; the gain shrinks like 1/n (measured at
// n = 10: 1.47 periods against 1.54). Its real benefit is the worst case: at
// most two passes.
//
// # Suspicion and incarnations
//
// A suspected member is not declared dead at once. The suspicion is
// disseminated, and a member that learns it is suspected refutes it by
// incrementing its incarnation number and disseminating alive. A member that
// holds another suspect for the suspicion timeout,
//
//	suspicion-mult × max(1, log10 n) × probe-interval,
//
// declares it dead (failed) and disseminates that. Updates about a member are
// ordered by its incarnation:
//
//   - alive(i) overrides suspect(j) and alive(j) iff i > j;
//   - suspect(i) overrides alive(j) iff i >= j, and suspect(j) iff i > j
//     (at i = j it is a confirmation, see Lifeguard);
//   - dead(i) overrides alive(j) and suspect(j) iff i >= j.
//
// The SWIM paper makes a death final. As in memberlist, here a member that
// learns it was declared dead refutes it like a suspicion, and alive at a
// higher incarnation overrides dead; without this rule a stale dead update
// could not be told apart from a fresh one.
//
// # Dissemination
//
// Updates (alive, suspect, dead) travel as infection-style gossip: each member
// keeps a queue of the updates it has learned, and piggybacks as many as fit
// in a 1400-byte packet (memberlist's UDP buffer) on every ping, ack, ping-req
// and nack it sends, least-sent first, newest first among equals. Every
// gossip-interval it also sends them to gossip-nodes random members it holds
// alive or suspect, or dead for less than 30 s (memberlist's
// GossipToTheDeadTime, so that a member wrongly declared dead hears of it).
// Each update is sent at most retransmit-mult × ceil(log10(n+1)) times, and a
// newer update about the same member replaces it in the queue.
//
// # Lifeguard (lifeguard=true)
//
// Lifeguard observes that most false positives come from the prober, not the
// target: a slow or lossy member misses acks and accuses healthy peers. Its
// three parts, all implemented:
//
//   - Local health awareness (LHA-probe): each member keeps an awareness
//     score in [0, 7]. A probe that gets an ack lowers it by 1; a failed probe
//     raises it by the number of nacks it missed (relays send a nack when the
//     target does not answer them within probe-timeout), or by 1 if it had no
//     relays to hear from; refuting a suspicion about itself raises it by 1.
//     The member's probe interval and probe timeout are multiplied by
//     score+1, so an unhealthy member probes, and accuses, less often.
//   - Dynamic suspicion timeouts (LHA-suspicion): a suspicion timer starts at
//     6 × the timeout above and comes down towards it as independent
//     suspicions of the same member at the same incarnation arrive,
//     max - (max-min)·log(c+1)/log(k+1) after c of k = suspicion-mult - 2
//     expected confirmations (memberlist's formula; k = 0, hence the minimum,
//     in fleets of fewer than k+2). Each new confirmation is gossiped on.
//   - Buddy system: a ping to a member the prober holds suspect carries that
//     suspicion first, so the suspect hears of it and refutes at once.
//
// Differences from memberlist: the period length is fixed when the period
// starts (memberlist's ticker skips ticks while a long probe runs), the probe
// timeout is scaled as well as the interval (as the Lifeguard paper
// describes; memberlist scales only the interval), and n is the fleet size
// rather than memberlist's estimate of the live member count. Not
// implemented: memberlist's TCP fallback ping, its periodic push-pull state
// synchronisation, joins, graceful leaves and the reaping of dead members,
// message encryption and protocol versioning. The network model has loss and
// latency but no slow (CPU-starved) members, Lifeguard's motivating case.
//
// # In gossipsim
//
// Every message is a wire message sent through package transport with the
// run's checksum, possibly lost, delayed and corrupted on the path (a
// corrupted message travels as its encoded bytes, which the receiver
// verifies and decodes with wire.Decode). SWIM has its own five kinds; they take the
// wire format's kind numbers 1 to 5 (the only ones it decodes), so a
// rejection is counted under the S3 kind of the same number:
//
//	message    kind byte (counted as)    Requests        entries
//	ping       2 (digest)                [target, seq]   piggybacked updates
//	ping-req   3 (digest-reply)          [target, seq]   piggybacked updates
//	ack        4 (delta)                 [target, seq]   piggybacked updates
//	nack       5 (failure-notice)        [target, seq]   piggybacked updates
//	gossip     1 (full-view)             none            updates
//
// An update is an entry: Node = the member it is about, Generation = its
// incarnation, Status = alive, suspect or failed (dead), and for suspect and
// dead Heartbeat = the id of the member that raised it (memberlist's From,
// needed to count independent confirmations). A decoded message that names a
// member outside the fleet counts as undecodable.
//
// # Memory
//
// Each member has a view of every other member, but a run does not store n²
// views. Nearly all agree: at the start every member holds every other alive
// at incarnation 0, and an update that has spread through the fleet ends with
// every live member holding the same thing again. So a run keeps one baseline
// view per member, and per observer a short sorted row of only the views that
// differ from the baselines. When every live member holds the same version of
// a member (incarnation and status; for dead, once GossipToTheDead has passed
// so that no member still gossips to it), that version becomes its baseline
// and the overrides become stale, dropped from each row the next time it
// grows. Memory is thus about BytesPerNode per member (the member's own state,
// 256 bytes with room for 8 overrides inline, plus its baseline, its share of
// the event queue and its messages in flight) plus about 16 bytes per view
// that differs from the baseline while an update spreads (and 32 per queued
// update); MaxNodes is 5,000,000. An update that spreads to everyone costs
// O(n) memory while it spreads and none after.
//
// The members listed by crashes, drawn from the seed, crash at crash-at and
// never recover.
//
// # Fault schedules
//
// Beyond the message path (package transport silences a down member for
// every model), a fault schedule (package faults) acts on the model itself.
// A scheduled crash is a crash like the configured ones: the member's timers
// stop, and its detection is measured from the scheduled time (a configured
// crash that draws a member already down leaves it as it is). A scheduled
// restart is a rejoin, as memberlist's: the member comes back at an
// incarnation above any the fleet holds for it and announces itself alive,
// which overrides the suspect and dead views of it wherever its pings and
// gossip reach; its own views were lost at the crash, so it starts from the
// fleet's agreed (baseline) view of every member, with an empty queue but
// that announcement, no probe, relay or suspicion open, Lifeguard's score at
// 0, and its first protocol period and gossip at once. A member the
// configured crashes took down stays down. A crash restarted before every
// live member held it dead has no full_detection_s. A skewed member (the
// schedule's skew, ClockRate) counts its protocol period, probe and relay
// timeouts, suspicion timeouts and gossip interval at its clock's rate: each
// fires after interval / rate of real time (rate read when the timer is set).
// GossipToTheDead is left on the true clock.
//
// Summary fields, in order:
//
//   - first_detection_periods: time from a crash to the first failed probe of
//     the crashed member by a live member (which suspects it), in probe
//     intervals; mean over crashed members detected by the horizon, NaN if
//     none.
//   - full_detection_s: time from a crash until every live member holds the
//     crashed member dead, in seconds; mean over crashed members for which
//     that happened by the horizon, NaN if none.
//   - false_positives: live members declared dead, counted once per member
//     and incarnation however many members declared it (Counters.FalseFailures
//     counts every member's declaration).
//   - messages_per_member_per_period: messages sent, per member (all n), per
//     probe interval of the run.
//
// Samples report message rates, the share of live pairs in which one holds
// the other dead, and cumulative false declarations.
package swim
