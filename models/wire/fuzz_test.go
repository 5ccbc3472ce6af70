package wire_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gossipsim/gossipsim/models/wire"
)

// fuzzSeeds are the messages whose encodings seed FuzzDecode. The same
// encodings are stored in testdata/fuzz/FuzzDecode, where go test also runs
// them (with anything the fuzzer found) as regression cases.
func fuzzSeeds() [][]byte {
	var seeds [][]byte
	msgs := []*wire.Message{
		makeMessage(wire.KindFullView, 0, 0),
		makeMessage(wire.KindDigestReply, 2, 1),
		makeMessage(wire.KindFailureNotice, 3, 0),
	}
	for _, c := range wire.Checksums() {
		for _, m := range msgs {
			seeds = append(seeds, wire.Append(nil, m, c))
		}
	}
	return seeds
}

// corpusFile is seed's encoding in go test's corpus format.
func corpusFile(seed []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", seed)
}

// TestFuzzCorpusSeeds checks that testdata/fuzz/FuzzDecode/seed-NN holds the
// encoding of fuzzSeeds()[NN], so the stored corpus covers every checksum
// kind and follows the code that builds it.
func TestFuzzCorpusSeeds(t *testing.T) {
	seeds := fuzzSeeds()
	var kinds []wire.Checksum
	for i, s := range seeds {
		if c := wire.Checksum(s[3]); !slices.Contains(kinds, c) {
			kinds = append(kinds, c)
		}
		name := filepath.Join("testdata", "fuzz", "FuzzDecode", fmt.Sprintf("seed-%02d", i))
		got, err := os.ReadFile(name)
		if err != nil {
			t.Error(err)
			continue
		}
		if want := corpusFile(s); !bytes.Equal(got, want) {
			t.Errorf("%s =\n%s\nwant\n%s", name, got, want)
		}
	}
	if !slices.Equal(kinds, wire.Checksums()) {
		t.Errorf("fuzz seeds cover checksum kinds %v, want %v", kinds, wire.Checksums())
	}
}

// FuzzDecode checks that Decode never panics on arbitrary bytes under each
// of the five checksum kinds (none, crc32c, md5, sha256, sum8), fails only
// with ErrChecksum or ErrMalformed, and that whatever it accepts re-encodes
// to exactly the input (the format is canonical). Because random bytes
// almost never carry a valid trailer (sum8's matches 1 time in 256), each
// input is also tried with a correct trailer appended, which drives the
// parser behind every checksum kind.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range wire.Checksums() {
			check := func(b []byte, sealed bool) {
				var m wire.Message
				err := wire.Decode(&m, b, c)
				if err != nil {
					if !errors.Is(err, wire.ErrMalformed) && !errors.Is(err, wire.ErrChecksum) {
						t.Fatalf("%v: error %v wraps neither ErrMalformed nor ErrChecksum", c, err)
					}
					if sealed && errors.Is(err, wire.ErrChecksum) {
						t.Fatalf("%v: correct trailer rejected: %v", c, err)
					}
					return
				}
				if got := wire.Append(nil, &m, c); !bytes.Equal(got, b) {
					t.Fatalf("%v: re-encoding differs\ninput % x\ngot   % x", c, b, got)
				}
			}
			check(data, false)
			if c != wire.ChecksumNone {
				check(seal(bytes.Clone(data), c), true)
			}
		}
	})
}
