// Package wire is the gossip wire format of gossipsim: every message the
// simulated servers exchange is encoded into real bytes by Append and parsed
// back by Decode, so that corruption (package corrupt) acts on bits, exactly
// as it did in production, rather than on an abstract "message is bad" flag.
//
// # Why bytes
//
// On 20 July 2008 Amazon S3 went down for hours because a single bit flipped
// in the internal messages servers gossiped about each other's state. Those
// messages carried no checksum, and the damaged message was still perfectly
// intelligible: it simply said something false, and gossip spread the false
// state to the whole fleet faster than it could be corrected. Whether a
// flipped bit is harmless, detected, or silently believed depends on where it
// lands in the encoding and on the receiver's checksum. This package makes
// those three outcomes concrete:
//
//   - accepted: Decode succeeds, possibly with wrong content (a heartbeat
//     2^31 too high, a status changed from alive to suspect, another node id);
//   - rejected: Decode returns an error wrapping ErrChecksum (the trailer
//     does not match the bytes);
//   - undecodable: Decode returns an error wrapping ErrMalformed (the bytes
//     are not a message of this format, e.g. the magic byte changed).
//
// With ChecksumNone a flip can only be caught when it makes the message
// malformed. The other kinds differ in what they guarantee:
//
//   - sum8, a 1-byte sum of the bytes modulo 256, is deliberately weak. It
//     detects every single-bit flip (a flip changes the sum by a power of
//     two below 256), but not every 2-bit flip: the same bit position
//     flipped in two bytes in opposite directions (0->1 and 1->0) leaves the
//     sum unchanged, and so do two flips of bit 7 (128+128 = 256). Of all
//     the 2-bit flips of a message it lets through between about 1 in 64
//     (bit-7 pairs only, when every byte holds the same value at each other
//     position) and 9/128, about 1 in 14 (random-looking bytes); a
//     20-entry digest-reply, mostly zero bits, lets through 3.8%. It is
//     there to show what a weak check misses.
//   - crc32c, CRC-32C, detects every single-bit flip, every error burst of
//     up to 32 bits, and every 2-bit flip in a message shorter than 2^31
//     bits (256 MiB); other random corruption escapes it with probability
//     about 2^-32.
//   - md5 and sha256 are cryptographic digests (16 and 32 bytes): random
//     corruption of any shape escapes them only with probability about
//     2^-128 or 2^-256, at a larger trailer and a higher CPU cost. MD5 is no
//     longer collision-resistant against an adversary who crafts messages,
//     but that does not matter against random flips; SHA-256 is the choice
//     if the adversary matters.
//
// # Format
//
// All integers are big-endian. A message with E entries and R requests,
// sealed with checksum kind c, is EncodedSize(E, R, c) = 16 + 13E + 4R + T
// bytes, where T is the trailer size c.Size():
//
//	offset      size   field
//	0           1      magic 0x47 ('G')
//	1           1      format version, 1
//	2           1      kind: 1 full-view, 2 digest, 3 digest-reply, 4 delta, 5 failure-notice
//	3           1      checksum kind: 0 none, 1 crc32c, 2 md5, 3 sha256, 4 sum8; must equal the receiver's configured kind
//	4           4      sender node id
//	8           4      entry count E
//	12          13*E   entries, each:
//	                     +0  4  node id
//	                     +4  4  generation
//	                     +8  4  heartbeat
//	                     +12 1  status: 0 alive, 1 suspect, 2 failed (any other value is malformed)
//	12+13E      4      request count R
//	16+13E      4*R    requested node ids
//	16+13E+4R   T      checksum trailer over every byte before it:
//	                     none    T=0
//	                     crc32c  T=4,  CRC-32C (Castagnoli) as a big-endian uint32
//	                     md5     T=16, MD5 digest
//	                     sha256  T=32, SHA-256 digest
//	                     sum8    T=1,  sum of every byte before it modulo 256
//
// The encoding is canonical: a byte string that decodes successfully
// re-encodes to exactly the same bytes.
//
// # Decoding
//
// Decode checks in this order: the length is at least 16+T bytes (else
// malformed); the trailer matches (else ErrChecksum); magic, version, kind and
// checksum-kind bytes are valid (else ErrMalformed); the counts E and R account
// for exactly the length (else ErrMalformed, and nothing is allocated, so a
// count corrupted to 2^32-1 is harmless); every status is defined (else
// ErrMalformed). Whether node ids are in range for the fleet is not a wire
// property and is left to the receiver.
//
// Append and Decode are allocation-free when given buffers with enough
// capacity, so simulations can encode and decode millions of messages.
package wire
