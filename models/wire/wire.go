package wire

import (
	"errors"
	"fmt"
)

// Kind says what a message is for. It occupies byte 2 of the encoding.
type Kind uint8

// The message kinds. Every kind uses the same layout; they differ only in how
// the receiver interprets the entries and requests.
const (
	// KindFullView carries the sender's whole membership view, one entry per
	// node it knows.
	KindFullView Kind = 1
	// KindDigest carries version summaries (node, generation, heartbeat,
	// status) the receiver compares against its own view.
	KindDigest Kind = 2
	// KindDigestReply answers a digest: entries the replier has newer, and in
	// Requests the node ids for which it wants the digest sender's entries.
	KindDigestReply Kind = 3
	// KindDelta carries only the entries that changed, typically the answer
	// to a digest-reply's requests.
	KindDelta Kind = 4
	// KindFailureNotice announces that the entries' nodes are suspect or
	// failed.
	KindFailureNotice Kind = 5
)

// Valid reports whether k is one of the five defined kinds.
func (k Kind) Valid() bool { return k >= KindFullView && k <= KindFailureNotice }

// String returns "full-view", "digest", "digest-reply", "delta" or
// "failure-notice", and "kind(N)" for an undefined value.
func (k Kind) String() string {
	switch k {
	case KindFullView:
		return "full-view"
	case KindDigest:
		return "digest"
	case KindDigestReply:
		return "digest-reply"
	case KindDelta:
		return "delta"
	case KindFailureNotice:
		return "failure-notice"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Status is a node's liveness as seen by the sender of an entry. It occupies
// the last byte of an encoded entry; values above StatusFailed are malformed.
type Status uint8

// The liveness states.
const (
	// StatusAlive: the sender has recent evidence the node is up.
	StatusAlive Status = 0
	// StatusSuspect: the sender has not heard from the node for a while.
	StatusSuspect Status = 1
	// StatusFailed: the sender considers the node down.
	StatusFailed Status = 2
)

// Valid reports whether s is one of the three defined states.
func (s Status) Valid() bool { return s <= StatusFailed }

// String returns "alive", "suspect" or "failed", and "status(N)" for an
// undefined value.
func (s Status) String() string {
	switch s {
	case StatusAlive:
		return "alive"
	case StatusSuspect:
		return "suspect"
	case StatusFailed:
		return "failed"
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// Entry is one node's membership state as seen by the sender. Its version is
// the pair (Generation, Heartbeat) ordered lexicographically: a node that
// restarts gets a higher Generation and its Heartbeat counts again from 0.
// Encoded, an entry is EntrySize (13) bytes, in the order Node, Generation,
// Heartbeat, Status (see the package documentation); in memory Heartbeat
// comes first, so that the version is one 64-bit word (see Version).
type Entry struct {
	// Heartbeat counts the node's heartbeat ticks within the generation.
	Heartbeat uint32
	// Generation counts the node's restarts (incarnations).
	Generation uint32
	// Node is the id of the node the entry describes.
	Node uint32
	// Status is the sender's opinion of the node's liveness.
	Status Status
}

// Version is e's version as one number ordered as the pair (Generation,
// Heartbeat) is: Generation in the high 32 bits. On a little-endian machine
// it is a single load, since Heartbeat precedes Generation in memory.
func (e *Entry) Version() uint64 { return uint64(e.Generation)<<32 | uint64(e.Heartbeat) }

// EntryOf is the entry for node with version ver (as Version returns it)
// and status s.
func EntryOf(node uint32, ver uint64, s Status) Entry {
	return Entry{Heartbeat: uint32(ver), Generation: uint32(ver >> 32), Node: node, Status: s}
}

// Newer reports whether e's version (Generation, Heartbeat) is strictly
// greater than o's. Status and Node are not compared.
func (e Entry) Newer(o Entry) bool {
	if e.Generation != o.Generation {
		return e.Generation > o.Generation
	}
	return e.Heartbeat > o.Heartbeat
}

// Message is a decoded gossip message. Its encoding is
// EncodedSize(len(Entries), len(Requests), checksum) bytes.
type Message struct {
	// Kind is what the message is for.
	Kind Kind
	// Sender is the node id of the sender.
	Sender uint32
	// Entries are membership entries, at most 2^32-1 of them.
	Entries []Entry
	// Requests are node ids whose entries the sender asks for (used by
	// digest-reply), at most 2^32-1 of them.
	Requests []uint32
}

// Checksum is the kind of integrity trailer appended to each message. Sender
// and receiver are configured with the same kind; it is also written in byte 3
// of the encoding and a receiver treats a different value as malformed.
type Checksum uint8

// The checksum kinds.
const (
	// ChecksumNone appends nothing: any corruption that still parses is
	// accepted as a valid message, which is what happened in S3 in 2008.
	ChecksumNone Checksum = 0
	// ChecksumCRC32C appends a 4-byte CRC-32C (Castagnoli polynomial),
	// which detects every burst error of up to 32 bits, hence every 1-bit flip.
	ChecksumCRC32C Checksum = 1
	// ChecksumMD5 appends the 16-byte MD5 digest of the message. MD5 is no
	// longer collision-resistant against an adversary, but random bit flips
	// get past it only with probability about 2^-128.
	ChecksumMD5 Checksum = 2
	// ChecksumSHA256 appends the 32-byte SHA-256 digest of the message.
	ChecksumSHA256 Checksum = 3
	// ChecksumSum8 appends 1 byte, the sum of every preceding byte modulo
	// 256. It is deliberately weak, to show what a weak check misses: it
	// detects every 1-bit flip, but two flips of the same bit position in
	// two different bytes cancel when they go in opposite directions (one
	// 0->1, one 1->0), and two flips of the bits worth 128 always cancel.
	ChecksumSum8 Checksum = 4
)

// Checksums returns every checksum kind in increasing order: none, crc32c,
// md5, sha256, sum8.
func Checksums() []Checksum {
	return []Checksum{ChecksumNone, ChecksumCRC32C, ChecksumMD5, ChecksumSHA256, ChecksumSum8}
}

// Valid reports whether c is one of the five defined kinds.
func (c Checksum) Valid() bool { return c <= ChecksumSum8 }

// String returns "none", "crc32c", "md5", "sha256" or "sum8", and
// "checksum(N)" for an undefined value.
func (c Checksum) String() string {
	switch c {
	case ChecksumNone:
		return "none"
	case ChecksumCRC32C:
		return "crc32c"
	case ChecksumMD5:
		return "md5"
	case ChecksumSHA256:
		return "sha256"
	case ChecksumSum8:
		return "sum8"
	}
	return fmt.Sprintf("checksum(%d)", uint8(c))
}

// Size returns the length of c's trailer in bytes: 0 for none, 4 for crc32c,
// 16 for md5, 32 for sha256, 1 for sum8 (and 0 for an undefined kind).
func (c Checksum) Size() int {
	if int(c) < len(trailerSize) {
		return int(trailerSize[c])
	}
	return 0
}

// trailerSize is Size by kind (a table: Size is on every message's path).
var trailerSize = [...]uint8{ChecksumNone: 0, ChecksumCRC32C: 4, ChecksumMD5: 16, ChecksumSHA256: 32, ChecksumSum8: 1}

// ParseChecksum returns the checksum kind named s ("none", "crc32c", "md5",
// "sha256" or "sum8", as returned by String).
func ParseChecksum(s string) (Checksum, error) {
	for _, c := range Checksums() {
		if s == c.String() {
			return c, nil
		}
	}
	return 0, fmt.Errorf("checksum: %q is not one of none, crc32c, md5, sha256, sum8", s)
}

// ErrChecksum is wrapped by Decode's error when the bytes fail verification
// against the configured checksum: the receiver detects the corruption and
// rejects the message.
var ErrChecksum = errors.New("wire: checksum mismatch")

// ErrMalformed is wrapped by Decode's error when the bytes do not decode: bad
// magic, version, kind, checksum byte or status, or a length that does not
// match the counts. The receiver drops the message as undecodable.
var ErrMalformed = errors.New("wire: malformed message")
