package wire_test

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/gossipsim/gossipsim/models/wire"
)

var kinds = []wire.Kind{wire.KindFullView, wire.KindDigest, wire.KindDigestReply, wire.KindDelta, wire.KindFailureNotice}

// makeMessage builds a deterministic message with ne entries and nr requests.
func makeMessage(k wire.Kind, ne, nr int) *wire.Message {
	m := &wire.Message{Kind: k, Sender: 0xA1B2C3D4}
	for i := range ne {
		m.Entries = append(m.Entries, wire.Entry{
			Node:       uint32(i*7 + 1),
			Generation: uint32(i % 5),
			Heartbeat:  uint32(1000 + i*31),
			Status:     wire.Status(i % 3),
		})
	}
	for i := range nr {
		m.Requests = append(m.Requests, uint32(i*13+2))
	}
	return m
}

func equalMessages(a, b *wire.Message) bool {
	if a.Kind != b.Kind || a.Sender != b.Sender || len(a.Entries) != len(b.Entries) || len(a.Requests) != len(b.Requests) {
		return false
	}
	for i := range a.Entries {
		if a.Entries[i] != b.Entries[i] {
			return false
		}
	}
	for i := range a.Requests {
		if a.Requests[i] != b.Requests[i] {
			return false
		}
	}
	return true
}

// seal appends the trailer of checksum c to b, computed independently of the
// package under test.
func seal(b []byte, c wire.Checksum) []byte {
	switch c {
	case wire.ChecksumCRC32C:
		return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
	case wire.ChecksumMD5:
		s := md5.Sum(b)
		return append(b, s[:]...)
	case wire.ChecksumSHA256:
		s := sha256.Sum256(b)
		return append(b, s[:]...)
	case wire.ChecksumSum8:
		var s int
		for _, x := range b {
			s += int(x)
		}
		return append(b, byte(s%256))
	}
	return b
}

func flip(b []byte, bit int) []byte {
	out := bytes.Clone(b)
	out[bit/8] ^= 0x80 >> (bit % 8)
	return out
}

func TestStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{wire.KindFullView.String(), "full-view"},
		{wire.KindDigest.String(), "digest"},
		{wire.KindDigestReply.String(), "digest-reply"},
		{wire.KindDelta.String(), "delta"},
		{wire.KindFailureNotice.String(), "failure-notice"},
		{wire.Kind(9).String(), "kind(9)"},
		{wire.StatusAlive.String(), "alive"},
		{wire.StatusSuspect.String(), "suspect"},
		{wire.StatusFailed.String(), "failed"},
		{wire.Status(3).String(), "status(3)"},
		{wire.ChecksumNone.String(), "none"},
		{wire.ChecksumCRC32C.String(), "crc32c"},
		{wire.ChecksumMD5.String(), "md5"},
		{wire.ChecksumSHA256.String(), "sha256"},
		{wire.ChecksumSum8.String(), "sum8"},
		{wire.Checksum(5).String(), "checksum(5)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("String() = %q, want %q", tt.got, tt.want)
		}
	}
}

func TestParseChecksum(t *testing.T) {
	for _, c := range wire.Checksums() {
		got, err := wire.ParseChecksum(c.String())
		if err != nil || got != c {
			t.Errorf("ParseChecksum(%q) = %v, %v; want %v, nil", c.String(), got, err, c)
		}
	}
	_, err := wire.ParseChecksum("sha1")
	if want := `checksum: "sha1" is not one of none, crc32c, md5, sha256, sum8`; err == nil || err.Error() != want {
		t.Errorf("ParseChecksum(sha1) error = %v, want %q", err, want)
	}
}

func TestChecksumSizes(t *testing.T) {
	want := map[wire.Checksum]int{
		wire.ChecksumNone: 0, wire.ChecksumCRC32C: 4, wire.ChecksumMD5: 16,
		wire.ChecksumSHA256: 32, wire.ChecksumSum8: 1, wire.Checksum(5): 0,
	}
	order := []wire.Checksum{wire.ChecksumNone, wire.ChecksumCRC32C, wire.ChecksumMD5, wire.ChecksumSHA256, wire.ChecksumSum8}
	if got := wire.Checksums(); !slices.Equal(got, order) {
		t.Fatalf("Checksums() = %v, want %v", got, order)
	}
	for i, c := range order {
		if uint8(c) != uint8(i) || !c.Valid() {
			t.Errorf("%v = %d, Valid %v; want %d, true", c, uint8(c), c.Valid(), i)
		}
	}
	if wire.Checksum(5).Valid() || wire.Checksum(255).Valid() {
		t.Errorf("Checksum(5) or Checksum(255) is Valid")
	}
	for c, w := range want {
		if got := c.Size(); got != w {
			t.Errorf("%v.Size() = %d, want %d", c, got, w)
		}
	}
}

func TestNewer(t *testing.T) {
	tests := []struct {
		a, b wire.Entry
		want bool
	}{
		{wire.Entry{Generation: 1, Heartbeat: 5}, wire.Entry{Generation: 1, Heartbeat: 4}, true},
		{wire.Entry{Generation: 1, Heartbeat: 4}, wire.Entry{Generation: 1, Heartbeat: 4}, false},
		{wire.Entry{Generation: 1, Heartbeat: 3}, wire.Entry{Generation: 1, Heartbeat: 4}, false},
		{wire.Entry{Generation: 2, Heartbeat: 0}, wire.Entry{Generation: 1, Heartbeat: 1 << 31}, true},
		{wire.Entry{Generation: 1, Heartbeat: 1 << 31}, wire.Entry{Generation: 2, Heartbeat: 0}, false},
		{wire.Entry{Generation: 1, Heartbeat: 4, Status: wire.StatusFailed}, wire.Entry{Generation: 1, Heartbeat: 4}, false},
	}
	for _, tt := range tests {
		if got := tt.a.Newer(tt.b); got != tt.want {
			t.Errorf("%+v.Newer(%+v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	sizes := []int{0, 1, 257}
	for _, c := range wire.Checksums() {
		for _, k := range kinds {
			for _, ne := range sizes {
				for _, nr := range sizes {
					name := fmt.Sprintf("%v/%v/E=%d/R=%d", c, k, ne, nr)
					t.Run(name, func(t *testing.T) {
						in := makeMessage(k, ne, nr)
						prefix := []byte("prefix")
						b := wire.Append(bytes.Clone(prefix), in, c)
						if !bytes.HasPrefix(b, prefix) {
							t.Fatalf("Append clobbered dst prefix: %q", b[:len(prefix)])
						}
						b = b[len(prefix):]
						if got, want := len(b), wire.EncodedSize(ne, nr, c); got != want {
							t.Fatalf("len = %d, want EncodedSize %d", got, want)
						}
						if b[0] != 0x47 || b[1] != 1 || b[2] != byte(k) || b[3] != byte(c) {
							t.Fatalf("header = % x, want 47 01 %02x %02x", b[:4], byte(k), byte(c))
						}
						var out wire.Message
						if err := wire.Decode(&out, b, c); err != nil {
							t.Fatalf("Decode: %v", err)
						}
						if !equalMessages(in, &out) {
							t.Fatalf("Decode(Append(m)) = %+v, want %+v", out, *in)
						}
						// Decoding into a message with leftover content replaces it.
						reused := makeMessage(wire.KindDelta, 300, 300)
						if err := wire.Decode(reused, b, c); err != nil || !equalMessages(in, reused) {
							t.Fatalf("Decode into used message = %+v, %v; want %+v", *reused, err, *in)
						}
					})
				}
			}
		}
	}
}

// TestKnownEncoding pins the byte layout documented in doc.go.
func TestKnownEncoding(t *testing.T) {
	m := &wire.Message{
		Kind:     wire.KindDigestReply,
		Sender:   0x01020304,
		Entries:  []wire.Entry{{Node: 5, Generation: 6, Heartbeat: 0x0708090A, Status: wire.StatusFailed}},
		Requests: []uint32{0xDEADBEEF},
	}
	want := []byte{
		0x47, 0x01, 0x03, 0x00, // magic, version, kind, checksum
		0x01, 0x02, 0x03, 0x04, // sender
		0x00, 0x00, 0x00, 0x01, // E
		0, 0, 0, 5, 0, 0, 0, 6, 0x07, 0x08, 0x09, 0x0A, 0x02, // entry
		0x00, 0x00, 0x00, 0x01, // R
		0xDE, 0xAD, 0xBE, 0xEF, // request
	}
	if got := wire.Append(nil, m, wire.ChecksumNone); !bytes.Equal(got, want) {
		t.Errorf("Append(none) =\n% x\nwant\n% x", got, want)
	}
	for _, c := range wire.Checksums()[1:] {
		w := bytes.Clone(want)
		w[3] = byte(c)
		w = seal(w, c)
		if got := wire.Append(nil, m, c); !bytes.Equal(got, w) {
			t.Errorf("Append(%v) =\n% x\nwant\n% x", c, got, w)
		}
	}
	// The sum8 trailer worked out by hand: with checksum byte 4 the bytes
	// above sum to 962 (0x3c2), and 962 mod 256 = 0xc2.
	if got := wire.Append(nil, m, wire.ChecksumSum8); got[len(got)-1] != 0xc2 {
		t.Errorf("Append(sum8) trailer = %#02x, want 0xc2", got[len(got)-1])
	}
	if got, want := wire.EntryOffset(1), 25; got != want {
		t.Errorf("EntryOffset(1) = %d, want %d", got, want)
	}
}

// TestChecksumDetectsEverySingleBitFlip flips each bit of several messages in
// turn, trailer included, and requires the receiver to reject every one.
func TestChecksumDetectsEverySingleBitFlip(t *testing.T) {
	msgs := []*wire.Message{
		makeMessage(wire.KindFullView, 0, 0),
		makeMessage(wire.KindDigest, 1, 0),
		makeMessage(wire.KindDigestReply, 3, 2),
		makeMessage(wire.KindFailureNotice, 40, 7),
	}
	for _, c := range wire.Checksums()[1:] {
		for mi, m := range msgs {
			b := wire.Append(nil, m, c)
			var out wire.Message
			for bit := range 8 * len(b) {
				err := wire.Decode(&out, flip(b, bit), c)
				if !errors.Is(err, wire.ErrChecksum) {
					t.Errorf("%v, message %d, bit %d flipped: Decode error = %v, want ErrChecksum", c, mi, bit, err)
				}
			}
		}
	}
}

// TestTwoBitFlips flips fixed-seed random pairs of distinct bits of a
// 20-entry message, trailer included: crc32c, md5 and sha256 must reject every
// pair, while sum8 lets some through.
//
// What sum8 misses, exactly: flipping the bit worth w = 2^k of a byte changes
// the body's sum by +w (0->1) or -w (1->0) modulo 256, and a flip in the
// trailer itself moves the trailer instead, which counts with the opposite
// sign. Two changes ±2^a ±2^b cancel modulo 256 only when a = b and the signs
// differ, or a = b = 7 (128+128 = 256). So sum8 misses exactly the pairs of
// flips at the same bit position in two different bytes that go in opposite
// directions, plus every pair of bit-7 flips. Same-position pairs are
// (N-1)/(8N-1), about 1/8, of all pairs of an N-byte message; bit 7 alone
// gives about 1/64, and for position k < 7 the share that cancels is u_k*d_k
// over C(N,2), where u_k and d_k count the bytes whose flip raises or lowers
// the sum. For random bytes that is about 1/2, so the miss fraction would be
// about (1/8)(1/8 + 7/8*1/2) = 9/128, 7%; this message is mostly zero bits
// (the high bytes of small ids and counters), u_k*d_k is small, and the
// fraction is about 3.8% (103,994 of all 2,745,996 pairs, measured once
// exhaustively, which takes seconds per kind). The test computes the exact
// fraction over all pairs from the bytes, without Decode, and requires the
// sample's fraction to be within 0.006 (over 6 standard deviations of a
// 50,000-pair binomial sample) of it, and each sampled pair's outcome to be
// the predicted one.
func TestTwoBitFlips(t *testing.T) {
	const samples = 50000
	m := makeMessage(wire.KindDigestReply, 20, 4)
	for _, c := range wire.Checksums()[1:] {
		b := wire.Append(nil, m, c)
		nbits := 8 * len(b)

		// delta[p] is what flipping bit p adds to sum(body)-trailer mod 256.
		delta := make([]int, nbits)
		var perResidue [256]int
		for p := range delta {
			w := 0x80 >> (p % 8)
			d := w
			if b[p/8]&byte(w) != 0 { // 1->0
				d = -w
			}
			if p/8 == len(b)-1 { // the trailer byte
				d = -d
			}
			delta[p] = (d + 256) % 256
			perResidue[delta[p]]++
		}
		var cancelling int // pairs p < q with delta[p]+delta[q] = 0 mod 256
		for r := 1; r < 128; r++ {
			cancelling += perResidue[r] * perResidue[256-r]
		}
		cancelling += perResidue[128] * (perResidue[128] - 1) / 2
		allPairs := nbits * (nbits - 1) / 2
		exact := float64(cancelling) / float64(allPairs)

		rng := rand.New(rand.NewPCG(2008, 7))
		seen := make(map[[2]int]bool, samples)
		var out wire.Message
		var missed, decoded int
		for len(seen) < samples {
			p, q := rng.IntN(nbits), rng.IntN(nbits)
			if p > q {
				p, q = q, p
			}
			if p == q || seen[[2]int{p, q}] {
				continue
			}
			seen[[2]int{p, q}] = true
			bad := flip(flip(b, p), q)
			err := wire.Decode(&out, bad, c)
			caught := errors.Is(err, wire.ErrChecksum)
			if !caught {
				missed++
				if err == nil {
					decoded++
					if equalMessages(m, &out) {
						t.Errorf("%v: bits %d and %d flipped: decoded message equals the original", c, p, q)
					}
				} else if !errors.Is(err, wire.ErrMalformed) {
					t.Errorf("%v: bits %d and %d flipped: error %v is neither ErrChecksum nor ErrMalformed", c, p, q, err)
				}
			}
			if c != wire.ChecksumSum8 {
				if !caught {
					t.Errorf("%v: bits %d and %d flipped: Decode error = %v, want ErrChecksum", c, p, q, err)
				}
				continue
			}
			if cancels := (delta[p]+delta[q])%256 == 0; caught == cancels {
				t.Errorf("sum8: bits %d and %d flipped (deltas %d, %d): caught = %v, want %v", p, q, delta[p], delta[q], caught, !cancels)
			}
		}
		if c != wire.ChecksumSum8 {
			continue
		}
		frac := float64(missed) / samples
		t.Logf("sum8, %d bytes: %d of %d sampled 2-bit flips missed (%.4f: %d decoded, %d malformed); exact over all %d pairs: %d (%.4f)",
			len(b), missed, samples, frac, decoded, missed-decoded, allPairs, cancelling, exact)
		if missed == 0 || frac >= 0.5 {
			t.Errorf("sum8 missed %d of %d 2-bit flips, want some but fewer than half", missed, samples)
		}
		if math.Abs(frac-exact) > 0.006 {
			t.Errorf("sum8 missed fraction %.4f, want %.4f ± 0.006", frac, exact)
		}
	}
}

// TestNoChecksumAcceptsWrongState is the S3 2008 failure mode: without a
// checksum many single-bit flips still decode, to a different message.
func TestNoChecksumAcceptsWrongState(t *testing.T) {
	m := makeMessage(wire.KindFullView, 4, 2)
	b := wire.Append(nil, m, wire.ChecksumNone)
	var accepted, malformed int
	for bit := range 8 * len(b) {
		var out wire.Message
		err := wire.Decode(&out, flip(b, bit), wire.ChecksumNone)
		switch {
		case err == nil:
			if equalMessages(m, &out) {
				t.Errorf("bit %d flipped: decoded message equals the original", bit)
			}
			accepted++
		case errors.Is(err, wire.ErrMalformed):
			malformed++
		default:
			t.Errorf("bit %d flipped: error %v is neither nil nor ErrMalformed", bit, err)
		}
	}
	if accepted == 0 {
		t.Errorf("no single-bit flip decoded to a valid message; want some")
	}
	if malformed == 0 {
		t.Errorf("no single-bit flip was malformed; want some")
	}
	t.Logf("%d bits: %d flips accepted with wrong content, %d malformed", 8*len(b), accepted, malformed)

	// Each bit of the most significant heartbeat byte of entry 2 (heartbeat
	// 1062 < 2^24, so the flip sets a bit) raises the heartbeat by >= 2^24.
	hbByte := wire.EntryOffset(2) + wire.EntryHeartbeatOffset
	for i := range 8 {
		var out wire.Message
		if err := wire.Decode(&out, flip(b, 8*hbByte+i), wire.ChecksumNone); err != nil {
			t.Fatalf("heartbeat bit %d flipped: Decode error %v, want accepted", i, err)
		}
		old, got := m.Entries[2].Heartbeat, out.Entries[2].Heartbeat
		if got < old || got-old < 1<<24 {
			t.Errorf("heartbeat bit %d flipped: heartbeat %d -> %d, want an increase >= 2^24", i, old, got)
		}
		if !out.Entries[2].Newer(m.Entries[2]) {
			t.Errorf("heartbeat bit %d flipped: corrupted entry is not Newer than the true one", i)
		}
	}

	tests := []struct {
		name string
		bit  int
		want error
	}{
		{"magic", 7, wire.ErrMalformed},
		{"version", 8 + 6, wire.ErrMalformed},
		{"kind 1->129", 16, wire.ErrMalformed},
		{"checksum byte", 31, wire.ErrMalformed},
		{"entry count high bit", 64, wire.ErrMalformed},
		{"status failed->6", 8*(wire.EntryOffset(2)+wire.EntryStatusOffset) + 5, wire.ErrMalformed},
		{"status alive->suspect", 8*(wire.EntryOffset(0)+wire.EntryStatusOffset) + 7, nil},
		{"sender", 33, nil},
		{"node id", 8*wire.EntryOffset(1) + 31, nil},
	}
	for _, tt := range tests {
		var out wire.Message
		err := wire.Decode(&out, flip(b, tt.bit), wire.ChecksumNone)
		if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%s (bit %d) flipped: Decode error = %v, want %v", tt.name, tt.bit, err, tt.want)
		}
	}
	var out wire.Message
	if err := wire.Decode(&out, flip(b, 8*(wire.EntryOffset(0)+wire.EntryStatusOffset)+7), wire.ChecksumNone); err != nil || out.Entries[0].Status != wire.StatusSuspect {
		t.Errorf("status bit flipped: entry 0 = %+v, %v; want status suspect", out.Entries[0], err)
	}
}

func TestDecodeErrors(t *testing.T) {
	good := wire.Append(nil, makeMessage(wire.KindDelta, 2, 1), wire.ChecksumNone)
	withStatus := func(s byte) []byte {
		b := bytes.Clone(good)
		b[wire.EntryOffset(1)+wire.EntryStatusOffset] = s
		return b
	}
	withUint32 := func(off int, v uint32) []byte {
		b := bytes.Clone(good)
		binary.BigEndian.PutUint32(b[off:], v)
		return b
	}
	reqCountAt := wire.EntryOffset(2)
	tests := []struct {
		name string
		b    []byte
	}{
		{"nil", nil},
		{"empty", []byte{}},
		{"one byte", []byte{0x47}},
		{"header only", good[:wire.HeaderSize]},
		{"15 bytes", good[:15]},
		{"bad version", append([]byte{0x47, 2}, good[2:]...)},
		{"kind 0", append([]byte{0x47, 1, 0}, good[3:]...)},
		{"kind 6", append([]byte{0x47, 1, 6}, good[3:]...)},
		{"checksum byte 2", append([]byte{0x47, 1, 4, 2}, good[4:]...)},
		{"status 3", withStatus(3)},
		{"status 255", withStatus(255)},
		{"entry count max", withUint32(8, 0xFFFFFFFF)},
		{"entry count wraps 13E mod 2^32", withUint32(8, 0x13B13B14)},
		{"entry count one more", withUint32(8, 3)},
		{"entry count one less", withUint32(8, 1)},
		{"request count max", withUint32(reqCountAt, 0xFFFFFFFF)},
		{"request count wraps 4R mod 2^32", withUint32(reqCountAt, 0x40000001)},
		{"request count zero", withUint32(reqCountAt, 0)},
		{"trailing byte", append(bytes.Clone(good), 0)},
		{"minimal with counts max", []byte{0x47, 1, 1, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}},
	}
	for _, c := range wire.Checksums() {
		for _, tt := range tests {
			b := bytes.Clone(tt.b)
			if c != wire.ChecksumNone && len(b) >= 4 {
				b[3] = byte(c)
			}
			if tt.name == "checksum byte 2" {
				b[3] = byte(c+1) % byte(len(wire.Checksums())) // another defined kind
			}
			b = seal(b, c) // a valid trailer, so the parser itself must object
			var m wire.Message
			err := wire.Decode(&m, b, c)
			if !errors.Is(err, wire.ErrMalformed) {
				t.Errorf("%v/%s: Decode error = %v, want ErrMalformed", c, tt.name, err)
			}
			if m.Entries != nil || m.Requests != nil || m.Kind != 0 {
				t.Errorf("%v/%s: Decode changed m on error: %+v", c, tt.name, m)
			}
		}
		var m wire.Message
		if err := wire.Decode(&m, nil, c); !errors.Is(err, wire.ErrMalformed) {
			t.Errorf("%v: Decode(nil) error = %v, want ErrMalformed", c, err)
		}
	}
	var m wire.Message
	if err := wire.Decode(&m, good, wire.Checksum(7)); err == nil {
		t.Errorf("Decode with undefined checksum kind 7: no error")
	}
}

func TestTruncated(t *testing.T) {
	for _, c := range wire.Checksums() {
		b := wire.Append(nil, makeMessage(wire.KindDigest, 5, 3), c)
		for n := range len(b) {
			var m wire.Message
			err := wire.Decode(&m, b[:n], c)
			switch {
			case n < 16+c.Size() || c == wire.ChecksumNone:
				if !errors.Is(err, wire.ErrMalformed) {
					t.Errorf("%v: %d of %d bytes: Decode error = %v, want ErrMalformed", c, n, len(b), err)
				}
			case c == wire.ChecksumSum8 && bytes.Equal(seal(bytes.Clone(b[:n-1]), c), b[:n]):
				// The prefix's last byte happens to equal the sum of the
				// bytes before it (1 chance in 256): the trailer matches
				// and the length does not.
				if !errors.Is(err, wire.ErrMalformed) {
					t.Errorf("%v: %d of %d bytes with a matching trailer: Decode error = %v, want ErrMalformed", c, n, len(b), err)
				}
			default: // the last bytes are taken as the trailer and do not match
				if !errors.Is(err, wire.ErrChecksum) {
					t.Errorf("%v: %d of %d bytes: Decode error = %v, want ErrChecksum", c, n, len(b), err)
				}
			}
		}
	}
}

// TestHugeCountsDoNotAllocate checks that a count corrupted to 2^32-1 is
// rejected before anything proportional to it is allocated.
func TestHugeCountsDoNotAllocate(t *testing.T) {
	b := []byte{0x47, 1, 1, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 100 {
		var m wire.Message
		if err := wire.Decode(&m, b, wire.ChecksumNone); !errors.Is(err, wire.ErrMalformed) {
			t.Fatalf("Decode error = %v, want ErrMalformed", err)
		}
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("100 decodes of a message claiming 2^32-1 entries allocated %d bytes, want < 1 MiB", got)
	}
}

func TestAllocs(t *testing.T) {
	for _, c := range wire.Checksums() {
		m := makeMessage(wire.KindFullView, 100, 10)
		buf := make([]byte, 0, wire.EncodedSize(100, 10, c))
		if got := testing.AllocsPerRun(100, func() { buf = wire.Append(buf[:0], m, c) }); got != 0 {
			t.Errorf("%v: Append with capacity: %v allocs, want 0", c, got)
		}
		out := &wire.Message{Entries: make([]wire.Entry, 0, 100), Requests: make([]uint32, 0, 10)}
		var err error
		if got := testing.AllocsPerRun(100, func() { err = wire.Decode(out, buf, c) }); got != 0 || err != nil {
			t.Errorf("%v: Decode with capacity: %v allocs, err %v; want 0, nil", c, got, err)
		}
	}
}

func benchMessage() *wire.Message { return makeMessage(wire.KindFullView, 1000, 0) }

func BenchmarkAppend(b *testing.B) {
	m := benchMessage()
	for _, c := range wire.Checksums() {
		b.Run(c.String(), func(b *testing.B) {
			buf := make([]byte, 0, wire.EncodedSize(len(m.Entries), len(m.Requests), c))
			b.SetBytes(int64(cap(buf)))
			b.ReportAllocs()
			for b.Loop() {
				buf = wire.Append(buf[:0], m, c)
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	m := benchMessage()
	for _, c := range wire.Checksums() {
		b.Run(c.String(), func(b *testing.B) {
			enc := wire.Append(nil, m, c)
			out := &wire.Message{Entries: make([]wire.Entry, 0, len(m.Entries))}
			b.SetBytes(int64(len(enc)))
			b.ReportAllocs()
			for b.Loop() {
				if err := wire.Decode(out, enc, c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
