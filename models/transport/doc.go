// Package transport is the message path every model shares (the S3-style
// model and the classic protocols epidemic, rumor, heartbeat, swim): it
// carries wire messages between nodes through the simulated network.
//
// A message goes on the path as a wire.Message, and travels as bytes only
// when it must. Send and SendAll count the message and its encoded size,
// draw its loss, then draw the corruption first (corrupt.Draw, the same
// draws corrupt.Apply makes). A message the draw selects is encoded with the
// run's checksum and its bits are flipped (corrupt.Hit.Apply); the receiver
// verifies and decodes those bytes, as a real receiver would. Every other
// message travels as a snapshot of the message as sent, shared by all the
// destinations of one SendAll: a message nobody corrupted passes any
// checksum and decodes to what was encoded, so the receiver is handed the
// snapshot. What receivers see, every counter and every random draw are
// exactly those of encoding every message (TestSnapshotsMatchBytes), at a
// fraction of the cost: no encoding, checksum or decoding on the common path.
//
// Send draws the latency and schedules a delivery event on the engine whose
// Arg is the message's slot; slots and snapshots are pooled (small and large
// classes), so that once warm a run sends and delivers without allocating.
// The protocol's handler then calls Receive, which returns the message
// (read-only, valid until the next Receive), classifies and counts the
// outcome (processed, rejected by checksum, undecodable, accepted
// corrupted) and frees the slot; or Drop, for a message reaching a node
// that is down; or Discard, for a message a node that is up will not read
// because its receive queue is full, or DiscardStale, because it restarted
// while the message waited. Size gives a message's encoded length, on which
// a receiver's processing cost may depend.
//
// Config.Trace, when set, receives the path's events (trace.go): each copy
// of a message numbered as it is sent, its send, its drop and why, its
// corruption, its delivery (Arrived, for a model that queues messages) and
// how it was read. The hooks draw and count nothing.
//
// The corruption episode (corrupt.Config.From and Until) applies to every
// model's messages. SetTag keeps a receiver's note (its epoch) with a queued
// message; Corrupted reads the ground truth for measurements; and Inject
// puts corrupted bytes on the path for fault-injection tests.
// LastCorruption says what the flips did to the last corrupted message
// accepted (the entries they changed, the bits flipped, and whether sum8
// and CRC-32C would have rejected them): the transport keeps the bytes of
// each message it corrupts as they were sent, and nothing for the others.
//
// The random streams are derived from the run's seed and the protocol's
// name, "<name>/latency", "<name>/loss" and "<name>/corruption", and are
// drawn in that fixed order per message (loss, corruption, latency), so a
// run is a pure function of its seed.
//
// Config.Path brings the fleet's topology (package topology) and fault
// schedule (package faults). With neither, the path is exactly the one
// above. With them, SendAll gives each pair its link class's latency and
// loss, centred on the latency matrix, changed by link faults in force; a
// partition in force blocks the message (MessagesPartitioned); a
// corruption source covering the pair draws from "<name>/corruption-source"
// when the fleet-wide draw left the message intact; a sender the schedule
// holds down sends nothing; and Receive drops a message reaching a node the
// schedule holds down (MessagesToDownNodes). A pair's loss and latency are
// still one draw each from "<name>/loss" and "<name>/latency", so a
// topology whose classes keep the fleet's network changes no result.
// Topology and Faults hand a model the resolved topology and timeline.
package transport
