// Package corrupt flips real bits of encoded gossip messages in transit, so
// that the simulator reproduces what happened to Amazon S3 on 20 July 2008: a
// single corrupted bit in a server-state message that carried no checksum,
// still decoded to a plausible message, and the wrong state it described
// spread through gossip to the whole fleet.
//
// The package knows nothing about the message format. It receives the bytes
// produced by package wire, flips bits in place, and the receiver's Decode
// then decides whether the damage is detected (checksum mismatch),
// undecodable (malformed), or silently accepted as different, wrong content.
//
// Two corruption models are offered through Config:
//
//   - per message (the default): each message is corrupted with probability
//     Probability, and a corrupted message gets exactly Bits flipped bits,
//     either at distinct uniformly random positions (PatternRandom) or as one
//     run of consecutive bits (PatternBurst). Bits = 1 is the S3 case.
//   - per bit: each bit flips independently with probability BitErrorRate,
//     the usual channel model, under which long messages (full views) are
//     corrupted more often than short ones (digests).
//
// All randomness comes from the *rand.Rand passed to Apply, so a run is
// reproducible from its seed, and a disabled config consumes no draws, so
// turning corruption off leaves the rest of a run's random stream unchanged.
// Apply allocates nothing and costs O(flipped bits) draws.
//
// Bits are numbered from 0 = the most significant bit of the first byte, the
// order in which they go on the wire.
package corrupt
