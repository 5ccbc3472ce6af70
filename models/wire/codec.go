package wire

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
)

// Layout constants, in bytes. See the package documentation for the table.
const (
	// Magic is byte 0 of every message: 'G'.
	Magic byte = 0x47
	// Version is byte 1 of every message: the format version.
	Version byte = 1
	// HeaderSize is the size of the fixed header (magic, version, kind,
	// checksum kind, sender, entry count): 12 bytes.
	HeaderSize = 12
	// EntrySize is the size of one encoded entry: 13 bytes.
	EntrySize = 13
	// RequestSize is the size of one encoded requested node id: 4 bytes.
	RequestSize = 4
	// MinSize is the size of a message with no entries, no requests and no
	// checksum trailer: header plus request count, 16 bytes.
	MinSize = HeaderSize + 4
)

// Offsets of the fields inside an encoded entry, in bytes from the entry's
// start (see EntryOffset). Useful to aim a bit flip at a particular field.
const (
	// EntryNodeOffset is where the 4-byte node id starts.
	EntryNodeOffset = 0
	// EntryGenerationOffset is where the 4-byte generation starts.
	EntryGenerationOffset = 4
	// EntryHeartbeatOffset is where the 4-byte heartbeat starts.
	EntryHeartbeatOffset = 8
	// EntryStatusOffset is where the 1-byte status is.
	EntryStatusOffset = 12
)

// EntryOffset returns the byte offset of entry i (counted from 0) inside an
// encoded message.
func EntryOffset(i int) int { return HeaderSize + EntrySize*i }

// castagnoli is the CRC-32C table. It is built once and never written;
// crc32 recognises it and uses the hardware instruction where available.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// EncodedSize returns the length in bytes of a message with the given numbers
// of entries and requests, including checksum c's trailer.
func EncodedSize(entries, requests int, c Checksum) int {
	return MinSize + EntrySize*entries + RequestSize*requests + c.Size()
}

// Append appends the encoding of m with checksum c to dst and returns the
// extended slice. It allocates nothing when cap(dst)-len(dst) is at least
// EncodedSize(len(m.Entries), len(m.Requests), c).
//
// Append writes m.Kind and each Status as they are, without validating them,
// so it can produce messages that Decode rejects as malformed. It panics if c
// is not a defined checksum kind or if m has more than 2^32-1 entries or
// requests.
func Append(dst []byte, m *Message, c Checksum) []byte {
	if !c.Valid() {
		panic(fmt.Sprintf("wire.Append: undefined checksum kind %d", uint8(c)))
	}
	if uint64(len(m.Entries)) > math.MaxUint32 || uint64(len(m.Requests)) > math.MaxUint32 {
		panic("wire.Append: more than 2^32-1 entries or requests")
	}
	start := len(dst)
	dst = slices.Grow(dst, EncodedSize(len(m.Entries), len(m.Requests), c))
	be := binary.BigEndian
	dst = append(dst, Magic, Version, byte(m.Kind), byte(c))
	dst = be.AppendUint32(dst, m.Sender)
	dst = be.AppendUint32(dst, uint32(len(m.Entries)))
	for _, e := range m.Entries {
		dst = be.AppendUint32(dst, e.Node)
		dst = be.AppendUint32(dst, e.Generation)
		dst = be.AppendUint32(dst, e.Heartbeat)
		dst = append(dst, byte(e.Status))
	}
	dst = be.AppendUint32(dst, uint32(len(m.Requests)))
	for _, id := range m.Requests {
		dst = be.AppendUint32(dst, id)
	}
	switch c {
	case ChecksumCRC32C:
		dst = be.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli))
	case ChecksumMD5:
		sum := md5.Sum(dst[start:])
		dst = append(dst, sum[:]...)
	case ChecksumSHA256:
		sum := sha256.Sum256(dst[start:])
		dst = append(dst, sum[:]...)
	case ChecksumSum8:
		dst = append(dst, sum8(dst[start:]))
	}
	return dst
}

// sum8 returns the sum of the bytes of b modulo 256, the ChecksumSum8 trailer.
func sum8(b []byte) byte {
	var s byte
	for _, x := range b {
		s += x
	}
	return s
}

// Decode parses b, encoded with checksum c, into m. It reuses the capacity of
// m.Entries and m.Requests and allocates nothing when they are large enough;
// otherwise it allocates slices of exactly the needed length. Decode does not
// retain b.
//
// With a checksum, Decode first verifies the trailer and returns an error
// wrapping ErrChecksum on mismatch. It then parses and returns an error
// wrapping ErrMalformed for input shorter than MinSize plus the trailer, a
// wrong magic, version, kind or checksum-kind byte, entry and request counts
// that disagree with the length, or an undefined status. Counts are checked
// against the length before anything is allocated, so a corrupted count costs
// nothing. On error m is left unchanged. Decode does not check that node ids
// are meaningful; that is the receiver's job. An undefined c also yields an
// error wrapping ErrMalformed.
func Decode(m *Message, b []byte, c Checksum) error {
	if !c.Valid() {
		return fmt.Errorf("%w: receiver configured with undefined checksum kind %d", ErrMalformed, uint8(c))
	}
	ts := c.Size()
	if len(b) < MinSize+ts {
		return fmt.Errorf("%w: %d bytes, need at least %d with checksum %v", ErrMalformed, len(b), MinSize+ts, c)
	}
	body := b[:len(b)-ts]
	be := binary.BigEndian
	switch c {
	case ChecksumCRC32C:
		want := be.Uint32(b[len(body):])
		if got := crc32.Checksum(body, castagnoli); got != want {
			return fmt.Errorf("%w: crc32c trailer %08x, computed %08x", ErrChecksum, want, got)
		}
	case ChecksumMD5:
		if got := md5.Sum(body); got != [md5.Size]byte(b[len(body):]) {
			return fmt.Errorf("%w: md5 trailer %x, computed %x", ErrChecksum, b[len(body):], got)
		}
	case ChecksumSHA256:
		if got := sha256.Sum256(body); got != [sha256.Size]byte(b[len(body):]) {
			return fmt.Errorf("%w: sha256 trailer %x, computed %x", ErrChecksum, b[len(body):], got)
		}
	case ChecksumSum8:
		if want, got := b[len(body)], sum8(body); got != want {
			return fmt.Errorf("%w: sum8 trailer %02x, computed %02x", ErrChecksum, want, got)
		}
	}

	if body[0] != Magic {
		return fmt.Errorf("%w: magic byte 0x%02x, want 0x%02x", ErrMalformed, body[0], Magic)
	}
	if body[1] != Version {
		return fmt.Errorf("%w: format version %d, want %d", ErrMalformed, body[1], Version)
	}
	kind := Kind(body[2])
	if !kind.Valid() {
		return fmt.Errorf("%w: undefined kind %d", ErrMalformed, body[2])
	}
	if Checksum(body[3]) != c {
		return fmt.Errorf("%w: checksum kind byte %d, receiver expects %d (%v)", ErrMalformed, body[3], uint8(c), c)
	}
	// Lengths in uint64: 13*(2^32-1) + 4*(2^32-1) + 16 cannot overflow.
	n := uint64(len(body))
	ne := uint64(be.Uint32(body[8:]))
	reqAt := HeaderSize + EntrySize*ne
	if reqAt+4 > n {
		return fmt.Errorf("%w: entry count %d needs at least %d bytes, have %d", ErrMalformed, ne, reqAt+4+uint64(ts), len(b))
	}
	nr := uint64(be.Uint32(body[reqAt:]))
	if want := reqAt + 4 + RequestSize*nr; want != n {
		return fmt.Errorf("%w: entry count %d and request count %d need %d bytes, have %d", ErrMalformed, ne, nr, want+uint64(ts), len(b))
	}
	// From here on every count is bounded by len(b).
	entries := body[HeaderSize:reqAt]
	for i := EntryStatusOffset; i < len(entries); i += EntrySize {
		if s := Status(entries[i]); !s.Valid() {
			return fmt.Errorf("%w: entry %d has undefined status %d", ErrMalformed, i/EntrySize, entries[i])
		}
	}

	m.Kind = kind
	m.Sender = be.Uint32(body[4:])
	es := m.Entries[:0]
	if uint64(cap(es)) < ne {
		es = make([]Entry, 0, ne)
	}
	for p := entries; len(p) >= EntrySize; p = p[EntrySize:] {
		es = append(es, Entry{
			Node:       be.Uint32(p[EntryNodeOffset:]),
			Generation: be.Uint32(p[EntryGenerationOffset:]),
			Heartbeat:  be.Uint32(p[EntryHeartbeatOffset:]),
			Status:     Status(p[EntryStatusOffset]),
		})
	}
	m.Entries = es
	rs := m.Requests[:0]
	if uint64(cap(rs)) < nr {
		rs = make([]uint32, 0, nr)
	}
	for p := body[reqAt+4:]; len(p) >= RequestSize; p = p[RequestSize:] {
		rs = append(rs, be.Uint32(p))
	}
	m.Requests = rs
	return nil
}
