package corrupt_test

import (
	"bytes"
	"math"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/corrupt"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

func message(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*37 + 11)
	}
	return b
}

// diff returns the positions of the bits that differ between a and b.
func diff(a, b []byte) []int {
	var pos []int
	for i := range a {
		x := a[i] ^ b[i]
		for j := range 8 {
			if x&(0x80>>j) != 0 {
				pos = append(pos, 8*i+j)
			}
		}
	}
	return pos
}

func popcountXor(a, b []byte) int {
	n := 0
	for i := range a {
		n += bits.OnesCount8(a[i] ^ b[i])
	}
	return n
}

func TestPatternStrings(t *testing.T) {
	for _, p := range []corrupt.Pattern{corrupt.PatternRandom, corrupt.PatternBurst} {
		got, err := corrupt.ParsePattern(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePattern(%q) = %v, %v; want %v, nil", p.String(), got, err, p)
		}
	}
	if got := corrupt.PatternRandom.String() + "," + corrupt.PatternBurst.String(); got != "random,burst" {
		t.Errorf("names = %q, want random,burst", got)
	}
	_, err := corrupt.ParsePattern("gaussian")
	if want := `corrupt-pattern: "gaussian" is not one of random, burst`; err == nil || err.Error() != want {
		t.Errorf("ParsePattern(gaussian) error = %v, want %q", err, want)
	}
}

func TestDefaultConfig(t *testing.T) {
	c := corrupt.DefaultConfig()
	want := corrupt.Config{Probability: 0, Bits: 1, Pattern: corrupt.PatternRandom, BitErrorRate: 0}
	if c != want {
		t.Errorf("DefaultConfig() = %+v, want %+v", c, want)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("DefaultConfig().Validate() = %v, want nil", err)
	}
	if c.Enabled() {
		t.Errorf("DefaultConfig().Enabled() = true, want false")
	}
}

func TestValidate(t *testing.T) {
	base := corrupt.DefaultConfig()
	with := func(f func(*corrupt.Config)) corrupt.Config { c := base; f(&c); return c }
	tests := []struct {
		name string
		c    corrupt.Config
		want string // "" means valid
	}{
		{"default", base, ""},
		{"prob 1", with(func(c *corrupt.Config) { c.Probability = 1 }), ""},
		{"prob 1.5", with(func(c *corrupt.Config) { c.Probability = 1.5 }), "corrupt-prob: 1.5 is outside [0, 1]"},
		{"prob -0.1", with(func(c *corrupt.Config) { c.Probability = -0.1 }), "corrupt-prob: -0.1 is outside [0, 1]"},
		{"prob NaN", with(func(c *corrupt.Config) { c.Probability = math.NaN() }), "corrupt-prob: NaN is outside [0, 1]"},
		{"bits 0", with(func(c *corrupt.Config) { c.Bits = 0 }), "corrupt-bits: 0 must be at least 1"},
		{"bits -3", with(func(c *corrupt.Config) { c.Bits = -3 }), "corrupt-bits: -3 must be at least 1"},
		{"bits 1000", with(func(c *corrupt.Config) { c.Bits = 1000 }), ""},
		{"pattern burst", with(func(c *corrupt.Config) { c.Pattern = corrupt.PatternBurst }), ""},
		{"pattern 7", with(func(c *corrupt.Config) { c.Pattern = 7 }), "corrupt-pattern: 7 is not one of random (0), burst (1)"},
		{"ber 1e-6", with(func(c *corrupt.Config) { c.BitErrorRate = 1e-6 }), ""},
		{"ber 1", with(func(c *corrupt.Config) { c.BitErrorRate = 1 }), "bit-error-rate: 1 is outside [0, 1)"},
		{"ber -1e-9", with(func(c *corrupt.Config) { c.BitErrorRate = -1e-9 }), "bit-error-rate: -1e-09 is outside [0, 1)"},
		{"ber NaN", with(func(c *corrupt.Config) { c.BitErrorRate = math.NaN() }), "bit-error-rate: NaN is outside [0, 1)"},
	}
	for _, tt := range tests {
		err := tt.c.Validate()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%s: Validate() = %q, want %q", tt.name, got, tt.want)
		}
		if strings.Contains(got, "\n") {
			t.Errorf("%s: Validate() error spans lines: %q", tt.name, got)
		}
	}
}

func TestEnabled(t *testing.T) {
	tests := []struct {
		c    corrupt.Config
		want bool
	}{
		{corrupt.Config{Bits: 1}, false},
		{corrupt.Config{Bits: 1, Probability: 0.01}, true},
		{corrupt.Config{Bits: 1, BitErrorRate: 1e-9}, true},
	}
	for _, tt := range tests {
		if got := tt.c.Enabled(); got != tt.want {
			t.Errorf("%+v.Enabled() = %v, want %v", tt.c, got, tt.want)
		}
	}
}

func TestFlipBit(t *testing.T) {
	tests := []struct {
		bit  int
		want []byte
	}{
		{0, []byte{0x80, 0, 0}},
		{7, []byte{0x01, 0, 0}},
		{8, []byte{0, 0x80, 0}},
		{23, []byte{0, 0, 0x01}},
	}
	for _, tt := range tests {
		b := make([]byte, 3)
		corrupt.FlipBit(b, tt.bit)
		if !bytes.Equal(b, tt.want) {
			t.Errorf("FlipBit(%d) = % x, want % x", tt.bit, b, tt.want)
		}
		corrupt.FlipBit(b, tt.bit)
		if !bytes.Equal(b, make([]byte, 3)) {
			t.Errorf("FlipBit(%d) twice = % x, want zeros", tt.bit, b)
		}
	}
}

// TestApplyExactBits: with Probability 1 and Bits k, exactly min(k, 8*len)
// distinct bits flip, in both patterns, and burst flips are consecutive.
func TestApplyExactBits(t *testing.T) {
	r := newRand(1)
	for _, p := range []corrupt.Pattern{corrupt.PatternRandom, corrupt.PatternBurst} {
		for _, size := range []int{1, 2, 9, 100, 1300} {
			n := 8 * size
			for _, k := range []int{1, 2, 3, 8, 31, 64, 65, 100, 700, n / 2, n/2 + 1, n - 1, n, n + 5} {
				if k < 1 {
					continue
				}
				c := corrupt.Config{Probability: 1, Bits: k, Pattern: p}
				for trial := range 5 {
					orig := message(size)
					b := bytes.Clone(orig)
					got := corrupt.Apply(b, r, c)
					want := min(k, n)
					if got != want {
						t.Fatalf("%v size %d k %d trial %d: Apply returned %d, want %d", p, size, k, trial, got, want)
					}
					if pc := popcountXor(orig, b); pc != want {
						t.Fatalf("%v size %d k %d trial %d: popcount(xor) = %d, want %d", p, size, k, trial, pc, want)
					}
					if p == corrupt.PatternBurst {
						d := diff(orig, b)
						if span := d[len(d)-1] - d[0] + 1; span != want {
							t.Fatalf("burst size %d k %d: flipped bits %d..%d span %d, want %d consecutive", size, k, d[0], d[len(d)-1], span, want)
						}
					}
				}
			}
		}
	}
}

func TestApplyNever(t *testing.T) {
	r := newRand(2)
	for _, c := range []corrupt.Config{
		{Probability: 0, Bits: 5},
		corrupt.DefaultConfig(),
		{Probability: 1, Bits: 0}, // invalid, flips nothing
	} {
		for range 1000 {
			orig := message(50)
			b := bytes.Clone(orig)
			if got := corrupt.Apply(b, r, c); got != 0 || !bytes.Equal(b, orig) {
				t.Fatalf("%+v: Apply returned %d and changed bytes %v: want 0, untouched", c, got, !bytes.Equal(b, orig))
			}
		}
	}
	// A disabled config consumes no draws.
	r1, r2 := newRand(3), newRand(3)
	corrupt.Apply(message(10), r1, corrupt.DefaultConfig())
	if a, b := r1.Uint64(), r2.Uint64(); a != b {
		t.Errorf("disabled Apply consumed random draws")
	}
	// Empty input is never touched.
	if got := corrupt.Apply(nil, r, corrupt.Config{Probability: 1, Bits: 3}); got != 0 {
		t.Errorf("Apply(nil) = %d, want 0", got)
	}
	if got := corrupt.Apply(nil, r, corrupt.Config{BitErrorRate: 0.5, Bits: 1}); got != 0 {
		t.Errorf("Apply(nil) BER = %d, want 0", got)
	}
}

func TestApplyDeterministic(t *testing.T) {
	for _, c := range []corrupt.Config{
		{Probability: 0.5, Bits: 3},
		{Probability: 0.5, Bits: 100},
		{Probability: 0.5, Bits: 4, Pattern: corrupt.PatternBurst},
		{BitErrorRate: 0.01, Bits: 1},
	} {
		r1, r2 := newRand(4), newRand(4)
		for i := range 200 {
			a, b := message(64), message(64)
			na, nb := corrupt.Apply(a, r1, c), corrupt.Apply(b, r2, c)
			if na != nb || !bytes.Equal(a, b) {
				t.Fatalf("%+v: message %d differs between runs with the same seed", c, i)
			}
		}
	}
}

// TestApplyProbability: the corrupted fraction of 20,000 messages with
// Probability 0.1. Its standard deviation is sqrt(0.1*0.9/20000) = 0.00212,
// so the tolerance 0.01 is about 4.7 standard deviations (a correct
// implementation fails with probability ~3e-6; the seed is fixed anyway).
func TestApplyProbability(t *testing.T) {
	const n, p, tol = 20000, 0.1, 0.01
	r := newRand(5)
	c := corrupt.Config{Probability: p, Bits: 1}
	hit := 0
	for range n {
		if corrupt.Apply(message(40), r, c) > 0 {
			hit++
		}
	}
	if got := float64(hit) / n; math.Abs(got-p) > tol {
		t.Errorf("corrupted fraction = %.4f, want %.2f ± %.2f", got, p, tol)
	}
}

// TestApplyBitErrorRate: flips per message follow Binomial(8*size, ber).
// With 8000 bits and ber 0.001 the mean is 8 and the variance 7.992 per
// message; over 2000 messages the mean's standard deviation is
// sqrt(7.992/2000) = 0.063, so the tolerance 0.3 is about 4.7 standard
// deviations. The variance is checked too (loosely, ±15%) to catch a
// generator that gets the mean right with the wrong spread.
func TestApplyBitErrorRate(t *testing.T) {
	const msgs, size, ber = 2000, 1000, 0.001
	r := newRand(6)
	c := corrupt.Config{BitErrorRate: ber, Bits: 1, Probability: 0} // Probability ignored
	var sum, sumSq float64
	for range msgs {
		orig := message(size)
		b := bytes.Clone(orig)
		k := corrupt.Apply(b, r, c)
		if pc := popcountXor(orig, b); pc != k {
			t.Fatalf("Apply returned %d but %d bits differ", k, pc)
		}
		sum += float64(k)
		sumSq += float64(k) * float64(k)
	}
	mean := sum / msgs
	variance := sumSq/msgs - mean*mean
	wantMean := 8 * size * ber
	wantVar := wantMean * (1 - ber)
	if math.Abs(mean-wantMean) > 0.3 {
		t.Errorf("mean flips per message = %.3f, want %.1f ± 0.3", mean, wantMean)
	}
	if math.Abs(variance-wantVar) > 0.15*wantVar {
		t.Errorf("variance of flips per message = %.3f, want %.2f ± 15%%", variance, wantVar)
	}
}

// TestApplyPositionsUniform: every bit is equally likely to be flipped, for
// the rejection path (k small), the complement path (k > n/2), the
// sequential path (k > 64) and the per-bit model. Each bit's count is
// Binomial(trials, q); the tolerance is 5 standard deviations.
func TestApplyPositionsUniform(t *testing.T) {
	tests := []struct {
		name string
		size int
		c    corrupt.Config
		q    float64 // probability that a given bit flips
	}{
		{"random k=1", 4, corrupt.Config{Probability: 1, Bits: 1}, 1.0 / 32},
		{"random k=5", 4, corrupt.Config{Probability: 1, Bits: 5}, 5.0 / 32},
		{"random k=27 (complement)", 4, corrupt.Config{Probability: 1, Bits: 27}, 27.0 / 32},
		{"random k=80 (sequential)", 40, corrupt.Config{Probability: 1, Bits: 80}, 80.0 / 320},
		{"random k=200 (complement+sequential)", 30, corrupt.Config{Probability: 1, Bits: 200}, 200.0 / 240},
		{"ber 0.05", 4, corrupt.Config{BitErrorRate: 0.05, Bits: 1}, 0.05},
	}
	const trials = 20000
	for _, tt := range tests {
		r := newRand(7)
		n := 8 * tt.size
		counts := make([]int, n)
		for range trials {
			orig := message(tt.size)
			b := bytes.Clone(orig)
			corrupt.Apply(b, r, tt.c)
			for _, p := range diff(orig, b) {
				counts[p]++
			}
		}
		want := trials * tt.q
		tol := 5 * math.Sqrt(trials*tt.q*(1-tt.q))
		for bit, got := range counts {
			if math.Abs(float64(got)-want) > tol {
				t.Errorf("%s: bit %d flipped %d times in %d trials, want %.0f ± %.0f", tt.name, bit, got, trials, want, tol)
			}
		}
	}
}

// TestBurstStartUniform: a burst of k bits starts at each of the n-k+1
// possible positions equally often.
func TestBurstStartUniform(t *testing.T) {
	const size, k, trials = 2, 6, 22000
	n := 8 * size
	r := newRand(8)
	counts := make([]int, n-k+1)
	c := corrupt.Config{Probability: 1, Bits: k, Pattern: corrupt.PatternBurst}
	for range trials {
		orig := message(size)
		b := bytes.Clone(orig)
		corrupt.Apply(b, r, c)
		counts[diff(orig, b)[0]]++
	}
	q := 1.0 / float64(n-k+1)
	want, tol := trials*q, 5*math.Sqrt(trials*q*(1-q))
	for s, got := range counts {
		if math.Abs(float64(got)-want) > tol {
			t.Errorf("burst started at bit %d %d times, want %.0f ± %.0f", s, got, want, tol)
		}
	}
}

func TestApplyAllocs(t *testing.T) {
	r := newRand(9)
	b := message(2000)
	for _, c := range []corrupt.Config{
		{Probability: 1, Bits: 1},
		{Probability: 1, Bits: 64},
		{Probability: 1, Bits: 500},
		{Probability: 1, Bits: 16, Pattern: corrupt.PatternBurst},
		{BitErrorRate: 0.001, Bits: 1},
	} {
		if got := testing.AllocsPerRun(100, func() { corrupt.Apply(b, r, c) }); got != 0 {
			t.Errorf("%+v: Apply allocated %v times per call, want 0", c, got)
		}
	}
}

func BenchmarkApply(b *testing.B) {
	msg := message(13016) // a 1,000-entry full view
	for _, tc := range []struct {
		name string
		c    corrupt.Config
	}{
		{"random-1", corrupt.Config{Probability: 1, Bits: 1}},
		{"random-64", corrupt.Config{Probability: 1, Bits: 64}},
		{"random-1000", corrupt.Config{Probability: 1, Bits: 1000}},
		{"burst-32", corrupt.Config{Probability: 1, Bits: 32, Pattern: corrupt.PatternBurst}},
		{"ber-1e-4", corrupt.Config{BitErrorRate: 1e-4, Bits: 1}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r := newRand(10)
			b.ReportAllocs()
			for b.Loop() {
				corrupt.Apply(msg, r, tc.c)
			}
		})
	}
}
