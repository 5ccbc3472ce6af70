package sim

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"testing"
)

func draws(r *rand.Rand, n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = r.Uint64()
	}
	return out
}

func equalDraws(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNewStream(t *testing.T) {
	base := draws(NewStream(1, "latency"), 100)
	tests := []struct {
		name     string
		seed     uint64
		stream   string
		wantSame bool
	}{
		{"same-seed-same-name", 1, "latency", true},
		{"other-name", 1, "failures", false},
		{"name-prefix", 1, "latenc", false},
		{"empty-name", 1, "", false},
		{"other-seed", 2, "latency", false},
		{"seed-zero", 0, "latency", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := draws(NewStream(tt.seed, tt.stream), 100)
			if same := equalDraws(got, base); same != tt.wantSame {
				t.Errorf("NewStream(%d, %q) equal to NewStream(1, \"latency\") over 100 draws = %v, want %v", tt.seed, tt.stream, same, tt.wantSame)
			}
		})
	}
}

// TestNewStreamIndependent checks that creating and drawing from other streams
// does not change a stream's draws.
func TestNewStreamIndependent(t *testing.T) {
	want := draws(NewStream(5, "a"), 100)
	a := NewStream(5, "a")
	b := NewStream(5, "b")
	got := make([]uint64, 0, 100)
	for range 100 {
		b.Uint64()
		got = append(got, a.Uint64())
		NewStream(5, "c").Uint64()
	}
	if !equalDraws(got, want) {
		t.Errorf("stream a's draws changed when interleaved with other streams")
	}
}

// TestNewStreamRule checks NewStream against its documented construction.
func TestNewStreamRule(t *testing.T) {
	want := draws(rand.New(rand.NewPCG(DeriveSeed(11, "x", 0), DeriveSeed(11, "x", 1))), 10)
	if got := draws(NewStream(11, "x"), 10); !equalDraws(got, want) {
		t.Errorf("NewStream(11, \"x\") draws = %x, want %x", got, want)
	}
}

// refDeriveSeed re-implements the rule documented on DeriveSeed, using
// hash/fnv for the name hash.
func refDeriveSeed(seed uint64, name string, index uint64) uint64 {
	mix := func(z uint64) uint64 {
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	const g = 0x9e3779b97f4a7c15
	return mix((mix((mix(seed+g)^h.Sum64())+g) ^ index) + g)
}

func TestDeriveSeed(t *testing.T) {
	// Known answers for the building blocks.
	if got, want := mix64(golden), uint64(0xe220a8397b1dcdaf); got != want {
		t.Errorf("mix64(γ) = %#x, want %#x (first splitmix64 output for seed 0)", got, want)
	}
	for _, s := range []string{"", "a", "node", "héllo wörld"} {
		h := fnv.New64a()
		h.Write([]byte(s))
		if got, want := fnv1a64(s), h.Sum64(); got != want {
			t.Errorf("fnv1a64(%q) = %#x, want %#x", s, got, want)
		}
	}

	type in struct {
		seed  uint64
		name  string
		index uint64
	}
	inputs := []in{
		{0, "", 0}, {1, "", 0}, {0, "a", 0}, {0, "", 1},
		{42, "run", 0}, {42, "run", 1}, {43, "run", 0}, {42, "node", 0},
		{^uint64(0), "node", ^uint64(0)},
	}
	seen := map[uint64]in{}
	for _, x := range inputs {
		got := DeriveSeed(x.seed, x.name, x.index)
		if want := refDeriveSeed(x.seed, x.name, x.index); got != want {
			t.Errorf("DeriveSeed(%d, %q, %d) = %#x, want %#x (documented rule)", x.seed, x.name, x.index, got, want)
		}
		if again := DeriveSeed(x.seed, x.name, x.index); again != got {
			t.Errorf("DeriveSeed(%d, %q, %d) not pure: %#x then %#x", x.seed, x.name, x.index, got, again)
		}
		if prev, dup := seen[got]; dup {
			t.Errorf("DeriveSeed(%v) = DeriveSeed(%v) = %#x, want different", x, prev, got)
		}
		seen[got] = x
	}

	// Pinned values: changing these breaks reproducibility of published runs.
	pinned := []struct {
		in   in
		want uint64
	}{
		{in{0, "", 0}, 0xa6bbc8dcbe30928c},
		{in{42, "run", 7}, 0xb9b269c86c29ab23},
	}
	for _, p := range pinned {
		if got := DeriveSeed(p.in.seed, p.in.name, p.in.index); got != p.want {
			t.Errorf("DeriveSeed(%d, %q, %d) = %#x, want %#x (pinned)", p.in.seed, p.in.name, p.in.index, got, p.want)
		}
	}

	// Sensitivity: flipping any single input bit changes the output.
	for bit := range 64 {
		b := uint64(1) << bit
		base := DeriveSeed(42, "run", 7)
		if DeriveSeed(42^b, "run", 7) == base {
			t.Errorf("DeriveSeed insensitive to seed bit %d", bit)
		}
		if DeriveSeed(42, "run", 7^b) == base {
			t.Errorf("DeriveSeed insensitive to index bit %d", bit)
		}
	}
	if DeriveSeed(42, "run", 7) == DeriveSeed(42, "Run", 7) {
		t.Errorf("DeriveSeed insensitive to name case")
	}
}

// TestSample: k distinct values in [0, n), the same for the same stream, and
// exactly the draws of a partial Fisher–Yates shuffle (the order the models'
// crash choices have always used, so their results do not move).
func TestSample(t *testing.T) {
	tests := []struct {
		name string
		n, k int
	}{
		{"none", 5, 0},
		{"one", 5, 1},
		{"some", 100, 7},
		{"all", 9, 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Sample(NewStream(3, "crash"), tc.n, tc.k)
			if len(got) != tc.k || cap(got) != tc.k {
				t.Fatalf("len %d cap %d, want %d", len(got), cap(got), tc.k)
			}
			seen := map[int32]bool{}
			for _, v := range got {
				if v < 0 || int(v) >= tc.n || seen[v] {
					t.Fatalf("%v: %d out of range or repeated", got, v)
				}
				seen[v] = true
			}
			r := NewStream(3, "crash")
			order := make([]int32, tc.n)
			for i := range order {
				order[i] = int32(i)
			}
			for i := 0; i < tc.k; i++ {
				p := i + r.IntN(tc.n-i)
				order[i], order[p] = order[p], order[i]
			}
			if !slices.Equal(got, order[:tc.k]) {
				t.Errorf("Sample = %v, want the shuffle's %v", got, order[:tc.k])
			}
		})
	}
}
