// Package s3gossip is the S3-style failure-gossip model: the mechanism behind
// Amazon S3's availability event of 20 July 2008, built from real bytes.
//
// Each of N nodes keeps a view of every peer: a version (generation, heartbeat
// counter) and a status (alive, suspect, failed). Every gossip round a node
// raises its own heartbeat, runs its failure detector (by default: declares
// failed any peer whose version has not gone up for FailTimeout), gossips its view to Fanout random peers (whole view, or
// digest+delta push-pull), and sends a failure notice about every server it
// believes failed to FailureFanout random peers. Receivers merge by keeping the
// higher version (and, at equal versions, the more severe status), as real
// membership protocols do.
//
// Messages are wire messages and travel through package transport, the
// message path every model shares: it draws their loss, draws their
// corruption per package corrupt (within the corruption episode,
// corrupt.Config.From and Until, which every model has) and encodes the
// messages it corrupts with the run's checksum before flipping their bits,
// draws their latency and delivers them. The receiver's queue
// (transport.Processor) holds them in their transport slots, and at the end
// of their processing time the transport verifies a corrupted message's
// checksum if one is configured, drops bytes that no longer decode, and
// otherwise the receiver accepts what it reads. An intact message is read
// as it was sent, which is what decoding its bytes would give. Nothing about the
// outcome is scripted: a flipped high bit of a heartbeat or generation decodes
// to a version the true owner can never overtake, max-merge spreads it to
// every node, every node then sees that server's version stand still and
// declares it failed, and failure gossip about it goes on for as long as the
// belief lasts.
//
// Each node has finite processing capacity: a message costs PerMessageCost plus
// PerEntryCost per entry it carries, waits in a FIFO queue of QueueLimit
// messages, and a node's own gossip round waits behind the queue, so a busy node
// heartbeats late. That is the feedback loop of a gossip storm: more failure
// gossip, more load, late heartbeats, more false failure declarations, more
// failure gossip.
//
// The model reaches time, randomness and the network only through the sim
// engine it owns (driven by protocol.DriveProgress, as every model is) and
// the random streams derived from the run's seed; the same (Config, seed)
// always produces the same events in the same order.
//
// # Failure detectors
//
// Params.Detector selects how an observer decides that a peer has failed
// (detect.go). All three read the same evidence, the time its view of the
// peer last got a newer version, draw no random numbers, and feed the same
// measurements: a declaration by an observer's own detector counts in
// FailureDeclarations (and FalseFailures when the peer is up), and the
// first and the last live observer to believe a crashed node failed give
// its detection times.
//
//   - DetectorTimeout (the default, the 2008 model): failed after
//     FailTimeout without a newer version.
//   - DetectorSuspect (suspicion.go), as SWIM and memberlist: suspect
//     after FailTimeout, failed after a further SuspectTimeout unless a
//     newer version refutes it. The suspicion travels in the views
//     (wire.StatusSuspect; at equal versions the more severe status wins),
//     so observers holding the same version start their own suspicion
//     timers, and any newer version, the peer's next heartbeat, ends it.
//     No state beyond the views.
//   - DetectorPhi (phi.go): φ-accrual (Hayashibara et al. 2004) as
//     Cassandra computes it, φ = Δ / (μ ln 10) from the exponential
//     distribution, over a window of PhiWindow interarrival times per
//     pair; failed when φ > PhiThreshold (Cassandra's
//     phi_convict_threshold, 8). 2 × PhiWindow + 5 bytes a pair beside
//     the views' 13.
//
// # The spread of bad values
//
// Every value an accepted corrupted message brings that is bad (a version
// of a server above its true version, or the failed status of a server
// that is up) and that its receiver then holds is tracked (spread.go):
// patient zero, every node that later holds it, from whom, and until when.
// SpreadRecord returns the record (package spread); tracking changes no
// state and draws nothing, and costs nothing until the first corrupted
// message is accepted.
//
// # Cost
//
// Every digest, reply, delta and full view carries O(N) entries, so a round
// of the fleet is O(N²) work, and the views are N² beliefs. The views are
// three parallel arrays (13 bytes a pair, view.go); a digest is compared
// with a view in one loop without branches on the outcome
// (compareDigest); a merge that changes nothing but a version and its time
// (the common case) takes a fast path; a failure-detection scan is skipped
// until its deadline passes the oldest time it saw. Messages are built in
// place in the transport (transport.Compose), which carries them without
// encoding them unless corruption selects them.
package s3gossip
