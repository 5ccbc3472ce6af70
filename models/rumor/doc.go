// Package rumor simulates rumor mongering, the "complex epidemic" of Demers,
// Greene, Hauser, Irish, Larson, Shenker, Sturgis, Swinehart and Terry,
// "Epidemic algorithms for replicated database maintenance" (PODC 1987,
// section 1.4; also Xerox PARC report CSL-89-1).
//
// # The idea
//
// Anti-entropy (every site periodically compares its whole database with a
// random other site) always converges but costs a database comparison per
// site per cycle. Rumor mongering is cheaper: a site that learns an update
// treats it as a hot rumor and passes it on for a while, then loses interest.
// In epidemiological terms a site is susceptible (has not heard the update),
// infective (holds it as a hot rumor and spreads it) or removed (knows it but
// no longer spreads it). The price of losing interest is that the rumor can
// die before it has reached everyone: the fraction of sites never reached is
// the residue, and the game is to trade residue against traffic (update
// messages per site) and delay.
//
// # The model
//
// One update is injected at site 0 at cycle 0. Time runs in synchronous
// cycles of length Cycle; cycle c is [(c-1)·Cycle, c·Cycle). In each cycle:
//
//   - push: every infective site contacts one uniformly random other site and
//     sends it the rumor;
//   - pull: every site contacts one random other site; if that site is
//     infective, it passes the rumor to the caller;
//   - push-pull: every site contacts one random other site; an infective
//     caller pushes, and an infective callee passes the rumor back.
//
// A contact is necessary if the receiving end did not know the rumor, and
// unnecessary otherwise. An infective site loses interest according to
// Variant, with parameter K:
//
//	feedback-counter  after K unnecessary contacts (the sender learns whether the recipient knew)
//	feedback-coin     after each unnecessary contact, with probability 1/K
//	blind-counter     after K contacts, whatever the recipient knew
//	blind-coin        after each contact, with probability 1/K
//
// A site that receives the rumor becomes infective from the next cycle on.
// The rumor is dead when no infective site remains; the run then ends, or,
// with AntiEntropy push-pull, every site starts an anti-entropy exchange with
// a random site every AntiEntropyEvery cycles until every site has the update
// (sites reached that way do not monger it: it is no longer hot).
//
// # Readings of the paper
//
// The paper leaves some details to its simulations. This package makes the
// following choices; together they reproduce the paper's Tables 1 (push,
// feedback, counter), 2 (push, blind, coin) and 3 (pull, feedback, counter)
// to within sampling noise (see the tests):
//
//  1. Synchronous cycles are a snapshot: within a cycle every contact sees
//     the state at the start of the cycle. Two pushes that reach the same
//     susceptible site in one cycle are both necessary, a site infected
//     during a cycle does not answer pulls until the next, and the feedback
//     to a push reports what the recipient knew when the cycle started. (The
//     other reading, where the second push already finds the site informed,
//     gives a residue 16% higher at K = 1; see below.)
//  2. Loss of interest is settled once per cycle, after its contacts: the
//     feedback counter counts consecutive cycles whose contacts were all
//     unnecessary, and a cycle with a necessary contact resets it to 0. For
//     push, with one contact per cycle, this is "K unnecessary contacts in a
//     row". It is the counter the paper's bound on traffic describes ("each
//     unnecessary message was sent by a site that, within the last k cycles,
//     sent a necessary message, or newly discovered the update"), and a
//     counter that never resets gives visibly higher residues (0.048 instead
//     of 0.037 at K = 2, 0.0022 instead of 0.0015 at K = 5, with reading 1). Feedback-coin tosses once after each cycle whose
//     contacts were all unnecessary. The blind variants count every contact:
//     the counter adds one per contact and the coin is tossed once per
//     contact.
//  3. In pull, an infective site passes the rumor on every contact, as rumor
//     mongering does (the callee sends its hot rumors; the caller's feedback
//     says whether it already had them). Those answers are update traffic.
//     Here the request already carries the caller's version, which is the
//     feedback, so no further message is needed to classify the contact.
//  4. Traffic is the paper's m: messages that carry the update, sent by rumor
//     mongering (pushes and pull answers, lost ones included), per site. Pull
//     requests, push feedback and anti-entropy exchanges are real messages
//     too (they are in the counters of messages and bytes) but not in m.
//
// # What theory predicts
//
// For push with feedback and loss of interest with probability 1/k per
// unnecessary contact, the paper's differential-equation analysis (an
// infinite population, contacts one at a time) gives a residue s that solves
//
//	s = exp(-(k+1)(1-s))
//
// (PredictedResidue): 0.203, 0.060, 0.020, 0.0070, 0.0025 for k = 1..5. The
// residue falls exponentially in k, and since every push hits a uniformly
// random site, residue and traffic are tied by s ≈ exp(-m). The paper's
// simulations, and this model, land below the formula: synchronous cycles
// credit simultaneous pushes as necessary, which keeps sites interested
// longer (about -15% at every k for feedback-coin), and counters do better
// than coins (the paper: "the counter improves both the percentage removed
// and the time to converge"). Measured means over 200 runs of 1,000 sites:
//
//	push, feedback-counter  k=1..5  residue 0.175 0.037 0.011 0.0034 0.0015  traffic 1.74 3.30 4.53 5.64 6.68
//	push, feedback-coin     k=1..5  residue 0.175 0.049 0.017 0.0059 0.0022  traffic 1.74 3.00 4.10 5.14 6.19
//	push, blind-coin        k=1..5  residue 0.962 0.204 0.060 0.020  0.0070  traffic 0.04 1.59 2.82 3.90 4.97
//	pull, feedback-counter  k=1..3  residue 0.031 0.00057 0.000005            traffic 2.70 4.49 6.09
//
// The sequential reading (a push finds its target informed as soon as an
// earlier push of the same cycle informed it) with a counter that never
// resets gives 0.2025, 0.0600, 0.0200, 0.0071, 0.0026: the formula's values
// to within 1-5%, but not the paper's tables.
//
// Pull finishes with a much lower residue than push: near the end almost
// every site is informed, so a push is almost always wasted, whereas each of
// the few remaining susceptible sites still asks someone every cycle and is
// answered if it asks an infective site. Push-pull combines both.
//
// # Messages
//
// Every message is a wire message sent through package transport with the
// fleet's checksum, possibly corrupted on the path (package corrupt: a
// corrupted message travels as its encoded bytes, which the receiver
// verifies and decodes). Each carries one entry, for node 0 (the rumor's
// originator), whose (Generation, Heartbeat) pair read as one 64-bit number
// is the version; the true update is generation 0, heartbeat 1, and 0 means
// "none":
//
//	push                  delta (wire.KindDelta): the rumor; in push-pull it also requests the callee's
//	pull request          digest (wire.KindDigest) with the caller's version and a request for node 0
//	push feedback         digest without a request: the version the recipient held when the cycle started
//	pull answer           digest-reply (wire.KindDigestReply): the rumor
//	anti-entropy call     full view (wire.KindFullView): the caller's whole (one-entry) database
//	anti-entropy answer   digest-reply: the callee's newer version
//
// A lost push or a lost feedback leaves the sender without news of that
// contact (a feedback variant counts nothing for it). A receiver adopts a
// newer version than its own; corrupted messages that still decode are acted
// on (CorruptionsAccepted), as in the S3 model: a flipped high bit can create
// a version nobody issued, which then spreads as a new hot rumor and displaces
// the true one wherever it arrives. A decoded message this protocol does not
// send (a failure notice, an entry for another node, a sender or request
// outside the fleet) is dropped as undecodable. Every exchange completes
// within its cycle: Validate requires the latency to stay below half a cycle
// (for the unbounded lognormal and exponential kinds, their 1-in-10^9
// quantile; rarer draws are capped at (Cycle-1ns)/2).
//
// # Output
//
// The summary fields, in order:
//
//	residue  fraction of sites never reached when the rumor died (no infective site left); NaN if it was still alive at the horizon
//	traffic  update messages sent by rumor mongering per site (the paper's m)
//	t_ave    mean cycle in which a site first received the update, over the sites that received it (site 0 excluded); NaN if none
//	t_last   the last such cycle; NaN if none
//	cycles   the last cycle that started with an infective site; NaN if the rumor was still alive at the horizon
//
// With anti-entropy, residue and cycles still describe the rumor at its
// death, while t_ave and t_last include the sites reached by anti-entropy.
//
// When the sample interval is positive, Run records metrics.Sample rows with
// MessagesPerSecond, BytesPerSecond (all messages), CorruptionsAccepted,
// LiveNodes (every site) and WrongViewFraction, which here is the fraction of
// sites that have not received the update (susceptible). A final row covers
// the partial interval up to the end of the run.
//
// Randomness comes from streams named "rumor/peers", "rumor/latency",
// "rumor/loss", "rumor/corruption", "rumor/coin" and "rumor/order" (the
// order in which sites act within a cycle), derived from the seed; the same
// parameters, Common and seed give the same Result.
package rumor
