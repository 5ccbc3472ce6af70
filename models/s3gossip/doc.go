// Package s3gossip is the S3-style failure-gossip model: the mechanism behind
// Amazon S3's availability event of 20 July 2008, built from real bytes.
//
// Each of N nodes keeps a view of every peer: a version (generation, heartbeat
// counter) and a status (alive, suspect, failed). Every gossip round a node
// raises its own heartbeat, declares failed any peer whose version has not gone
// up for FailTimeout, gossips its view to Fanout random peers (whole view, or
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
