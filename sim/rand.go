package sim

import "math/rand/v2"

// Constants of the derivation rule documented on DeriveSeed.
const (
	golden     = 0x9e3779b97f4a7c15 // splitmix64 increment (2^64 / golden ratio)
	fnvOffset  = 0xcbf29ce484222325 // FNV-1a 64 offset basis
	fnvPrime   = 0x100000001b3      // FNV-1a 64 prime
	mixMulOne  = 0xbf58476d1ce4e5b9 // splitmix64 finaliser multipliers
	mixMulTwo  = 0x94d049bb133111eb
	streamLow  = 0 // DeriveSeed index giving NewStream's first PCG word
	streamHigh = 1 // DeriveSeed index giving NewStream's second PCG word
)

// mix64 is the splitmix64 finaliser, a bijection on uint64.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * mixMulOne
	z = (z ^ (z >> 27)) * mixMulTwo
	return z ^ (z >> 31)
}

// fnv1a64 is the 64-bit FNV-1a hash of the bytes of s.
func fnv1a64(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// DeriveSeed mixes seed with a stable name and an index into a new 64-bit
// seed, for per-run or per-entity seeds (DeriveSeed(seed, "run", r),
// DeriveSeed(seed, "node", i), ...). It is a pure function: the same inputs
// give the same output on every platform and in every Go release, and the
// rule below is part of the API (results may be reproduced from it).
//
// The rule, with all arithmetic modulo 2^64:
//
//	mix(z)  = splitmix64 finaliser:
//	          z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
//	          z = (z ^ z>>27) * 0x94d049bb133111eb
//	          return z ^ z>>31
//	fnv(s)  = FNV-1a 64 over the bytes of s (UTF-8 as stored in the string):
//	          h = 0xcbf29ce484222325; for each byte b: h = (h ^ b) * 0x100000001b3
//	γ       = 0x9e3779b97f4a7c15
//
//	DeriveSeed(seed, name, index) = mix((mix((mix(seed + γ) ^ fnv(name)) + γ) ^ index) + γ)
//
// Every step is a bijection of its input, so for fixed other arguments
// different seeds always give different results, and so do different indices;
// different names give different results unless their FNV-1a hashes collide
// (probability about 2^-64 for a given pair).
func DeriveSeed(seed uint64, name string, index uint64) uint64 {
	z := mix64(seed + golden)
	z = mix64((z ^ fnv1a64(name)) + golden)
	return mix64((z ^ index) + golden)
}

// NewStream returns a random stream for the part of the model called name
// (for example "latency" or "failures"), seeded only from (seed, name):
//
//	rand.New(rand.NewPCG(DeriveSeed(seed, name, 0), DeriveSeed(seed, name, 1)))
//
// Because the state depends on nothing else, adding, removing or reordering
// other streams never changes this stream's draws, and the same (seed, name)
// always yields the identical sequence. Different names (or seeds) give
// independent-looking, different streams.
//
// The returned *rand.Rand is not safe for concurrent use; give each goroutine
// its own stream.
func NewStream(seed uint64, name string) *rand.Rand {
	return rand.New(rand.NewPCG(DeriveSeed(seed, name, streamLow), DeriveSeed(seed, name, streamHigh)))
}

// Sample returns k distinct integers drawn uniformly from [0, n), in draw
// order, using r: a partial Fisher–Yates shuffle of 0..n-1 that makes
// exactly k calls r.IntN(n-i), i = 0..k-1. It allocates one slice of n
// and returns its first k elements (capacity k). It panics unless
// 0 <= k <= n.
func Sample(r *rand.Rand, n, k int) []int32 {
	if k < 0 || k > n {
		panic("sim: Sample needs 0 <= k <= n")
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	for i := 0; i < k; i++ {
		p := i + r.IntN(n-i)
		order[i], order[p] = order[p], order[i]
	}
	return order[:k:k]
}
