// Package epidemic simulates the dissemination of one update through a fleet
// by randomized gossip: the "rumor spreading" or "telephone" problem, in its
// push, pull and push-pull forms.
//
// # The process
//
// At time 0 node 0 holds an update; everyone else is uninformed. In each
// round every node contacts Fanout distinct peers chosen uniformly at random
// among the other nodes:
//
//   - push: an informed node sends the update to each peer it contacts;
//     uninformed nodes stay silent.
//   - pull: every node, informed or not, asks its peers; a peer that holds a
//     newer version than the asker answers with the update.
//   - push-pull: every node calls its peers; an informed caller pushes the
//     update, an uninformed one asks for it, so a call informs both ends as
//     soon as either end was informed (the "push&pull" exchange of Karp et
//     al.). The informed caller's push also asks for the peer's version, and
//     a peer holding a newer one answers; with one update this only matters
//     when corruption has invented a version.
//
// The run ends when every node is informed, or at the horizon.
//
// # What theory predicts
//
// Push with Fanout 1 in synchronous rounds takes log2 n + ln n + O(1) rounds
// to inform everyone, with high probability (Frieze and Grimmett, "The
// shortest-path problem for graphs with random arc-lengths", Discrete Applied
// Mathematics 10, 1985; Pittel, "On spreading a rumor", SIAM Journal on
// Applied Mathematics 47(1), 1987). The two terms are two phases. While few
// nodes know, almost every push reaches a new node, so the informed set
// doubles each round: log2 n rounds. Once most nodes know, an uninformed node
// escapes all of the roughly n pushes of a round with probability
// (1-1/(n-1))^n ≈ 1/e, so the uninformed fraction shrinks by a factor e per
// round: ln n more rounds. The O(1) term is not negligible at practical
// sizes: this simulator measures a mean of 18.0 rounds at n = 1000, where
// log2 n + ln n = 16.9 (see the tests), about +1.1 (between +0.88 and +1.23 for
// n from 100 to 100,000; it wobbles with the fractional part of log2 n).
//
// Pull is slow at first (an informed node is found with probability about
// the informed fraction) but fast at the end: an uninformed node stays
// uninformed only if the one peer it asks is also uninformed, so the
// uninformed fraction s becomes about s² per round. Push-pull combines the
// fast start of push with the fast finish of pull; Karp, Schindelhauer,
// Shenker and Vöcking ("Randomized rumor spreading", FOCS 2000) show it
// informs everyone in log3 n + O(log log n) rounds, and that with a suitable
// termination rule only O(n log log n) messages are needed, against the
// Θ(n log n) of push. At n = 1000 this simulator measures about 7.9 rounds
// for push-pull, 12.8 for pull and 18.0 for push (sync, Fanout 1).
//
// # Timing
//
// With rounds=sync, every node acts at the start of each round (times 0,
// Round, 2·Round, ...), and every message sent in a round arrives before the
// next round starts: Validate rejects a latency distribution whose maximum
// reaches Round (for the unbounded lognormal and exponential kinds, the
// 1-in-10^9 quantile; the rare draws beyond it are capped at Round-1ns). A
// node informed during round k therefore acts on it from round k+1, and
// rounds_to_full is the integer k of the round in which the last node was
// informed. With rounds=async, each node has its own timer of period Round
// started at a uniformly random phase in [0, Round), messages arrive whenever
// the latency says, and rounds_to_full is time_to_full / Round, a real number.
// Asynchronous runs finish in fewer rounds because a node informed early in a
// round can pass the update on within the same round.
//
// # Messages
//
// Every message is a wire message sent through package transport with the
// fleet's checksum, possibly corrupted on the path (package corrupt: a
// corrupted message travels as its encoded bytes, which the receiver
// verifies and decodes):
//
//   - a push, or the answer to a request, is a delta (wire.KindDelta);
//   - a request is a digest (wire.KindDigest) carrying the asker's version
//     (0 = none) and requesting node 0's entry;
//   - push-pull pushes are deltas that also request node 0's entry.
//
// Each carries one entry, for node 0 (the update's originator). The update's
// version is the entry's (Generation, Heartbeat) pair read as one 64-bit
// number; the true update is generation 0, heartbeat 1, and 0 means "none". A
// receiver adopts a delta whose version is higher than its own. Corrupted
// messages that still decode are acted on, as in the S3 model: a flipped
// high bit can give a node a version the originator never issued. Such a node
// counts as informed (any version above 0 does) and spreads the wrong
// version, which then displaces the true one wherever it arrives; the
// message counts under CorruptionsAccepted. A decoded message that is not one
// this protocol sends (another kind, an entry for another node, a sender or
// request outside the fleet) is dropped and counted as undecodable. Messages
// still in flight when the last node is informed are never decoded; corrupted
// ones among them count under CorruptionsLost, so that CorruptionsInjected is
// exactly the sum of the rejected, undecodable, accepted and lost counts.
// Losses are decided before corruption, so a lost message is never counted as
// corrupted.
//
// # Output
//
// The summary fields, in order:
//
//	rounds_to_full     sync: rounds until every node was informed; async: time_to_full_s / Round; NaN if never
//	time_to_full_s     simulated seconds until every node was informed; NaN if never
//	messages_per_node  messages sent (pushes, requests and answers, including lost ones) / nodes
//	informed_fraction  fraction of nodes informed at the end
//
// When the sample interval is positive, Run also records a time series of
// metrics.Sample rows with MessagesPerSecond, BytesPerSecond,
// CorruptionsAccepted, LiveNodes (always every node) and WrongViewFraction,
// which here means the fraction of nodes NOT yet informed (1 - informed
// fraction), so that the same column falls to 0 as the fleet converges. A
// final row covers the partial interval up to the end of the run.
//
// Randomness comes from streams named "epidemic/peers", "epidemic/latency",
// "epidemic/loss", "epidemic/corruption" and "epidemic/phase", derived from
// the seed; the same parameters, Common and seed give the same Result.
package epidemic
