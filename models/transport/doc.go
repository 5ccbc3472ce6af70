// Package transport is the message path every model shares (the S3-style
// model and the classic protocols epidemic, rumor, heartbeat, swim): it
// carries encoded wire messages between nodes through the simulated network.
//
// A Transport owns the messages in flight, kept in a slab of reusable byte
// buffers with a free list, so that once warm a run sends and delivers
// without allocating. Send counts the message, draws its loss, copies the
// encoded bytes into a free slot, flips bits per the corruption config,
// draws its latency and schedules a delivery event on the engine whose Arg
// is the slot. The protocol's handler then calls Receive, which decodes
// with the configured checksum, applies the protocol's semantic check,
// classifies and counts the outcome (processed, rejected by checksum,
// undecodable, accepted corrupted) and frees the slot; or Drop, for a
// message reaching a node that is down; or Discard, for a message a node
// that is up will not read (its receive queue is full, or it restarted
// while the message waited).
//
// The corruption episode (corrupt.Config.From and Until) applies to every
// model's messages. Options for models with other needs (the S3-style model
// uses them all):
// SmallSize pools the slots in two size classes, so that a storm of small
// messages never pins large buffers; SetTag keeps a receiver's note (its epoch) with a
// queued message; Corrupted reads the ground truth for measurements; and
// Inject puts corrupted bytes on the path for fault-injection tests.
//
// The random streams are derived from the run's seed and the protocol's
// name, "<name>/latency", "<name>/loss" and "<name>/corruption", and are
// drawn in that fixed order per message (loss, corruption, latency), so a
// run is a pure function of its seed.
package transport
