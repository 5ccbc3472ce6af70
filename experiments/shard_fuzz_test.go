package experiments

import (
	"strings"
	"testing"
)

// FuzzParseShard feeds arbitrary --shard specs to ParseShard and checks that
// it never panics, that an error is one line naming the shard and comes with
// the zero Shard, and that a parsed shard has 1 <= i <= n <= MaxRuns, prints
// back to a spec that parses to the same shard, and holds exactly the run
// indexes k with k mod n = i-1.
//
// The seed corpus is kept in testdata/fuzz/FuzzParseShard (go test runs it
// as regression cases).
func FuzzParseShard(f *testing.F) {
	f.Fuzz(func(t *testing.T, spec string) {
		sh, err := ParseShard(spec)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "shard: ") || strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("error is not one line starting \"shard: \": %q", msg)
			}
			if sh != (Shard{}) {
				t.Fatalf("ParseShard(%q) failed but returned %+v", spec, sh)
			}
			return
		}
		if sh.I < 1 || sh.I > sh.N || sh.N > MaxRuns {
			t.Fatalf("ParseShard(%q) = %+v, outside 1 <= i <= n <= %d", spec, sh, MaxRuns)
		}
		if back, err := ParseShard(sh.String()); err != nil || back != sh {
			t.Fatalf("ParseShard(%q) = %+v prints as %q, which parses to %+v, %v", spec, sh, sh.String(), back, err)
		}
		for k := range min(2*sh.N, 4096) {
			if sh.Has(k) != (k%sh.N == sh.I-1) {
				t.Fatalf("shard %s: Has(%d) = %v", sh, k, sh.Has(k))
			}
		}
	})
}
