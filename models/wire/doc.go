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
// malformed. CRC-32C detects every single-bit flip, and indeed every error
// burst of up to 32 bits; MD5 detects them with overwhelming probability at
// four times the trailer size and a higher CPU cost.
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
//	3           1      checksum kind: 0 none, 1 crc32c, 2 md5; must equal the receiver's configured kind
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
