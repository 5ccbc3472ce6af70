package corrupt

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// TestSamplersUniformOverSubsets checks the joint distribution, not only the
// marginals: choosing k of the 8 bits of one byte, every one of the C(8, k)
// subsets must come up equally often (tolerance 5 standard deviations).
func TestSamplersUniformOverSubsets(t *testing.T) {
	samplers := []struct {
		name string
		f    func(b []byte, n, k int, r *rand.Rand)
	}{
		{"rejection", flipRejection},
		{"sequential", flipSequential},
		{"distinct", flipDistinct},
	}
	const trials = 70000
	for _, s := range samplers {
		for _, k := range []int{1, 2, 3, 4, 6, 7} {
			if s.name == "rejection" && 2*k > 8 {
				continue // flipRejection expects k <= n/2
			}
			r := rand.New(rand.NewPCG(uint64(k), 11))
			var counts [256]int
			for range trials {
				b := []byte{0}
				s.f(b, 8, k, r)
				if got := bits.OnesCount8(b[0]); got != k {
					t.Fatalf("%s k=%d: %d bits flipped, want %d", s.name, k, got, k)
				}
				counts[b[0]]++
			}
			subsets := 0
			for v := range 256 {
				if bits.OnesCount8(uint8(v)) == k {
					subsets++
				}
			}
			q := 1 / float64(subsets)
			want, tol := trials*q, 5*math.Sqrt(trials*q*(1-q))
			for v, got := range counts {
				if bits.OnesCount8(uint8(v)) != k {
					continue
				}
				if math.Abs(float64(got)-want) > tol {
					t.Errorf("%s k=%d: subset %08b drawn %d times, want %.0f ± %.0f", s.name, k, v, got, want, tol)
				}
			}
		}
	}
}
