package corrupt

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gossipsim/gossipsim/sim"
)

// Pattern is how the bits of a corrupted message are chosen.
type Pattern uint8

// The patterns.
const (
	// PatternRandom flips k distinct bit positions chosen uniformly among all
	// k-subsets of the message's bits: independent single-bit upsets, as a
	// bad memory cell or bus line produces.
	PatternRandom Pattern = 0
	// PatternBurst flips k consecutive bits starting at a uniform position
	// among those where a k-bit burst fits: a line or DMA glitch.
	PatternBurst Pattern = 1
)

// String returns "random" or "burst", and "pattern(N)" for an undefined value.
func (p Pattern) String() string {
	switch p {
	case PatternRandom:
		return "random"
	case PatternBurst:
		return "burst"
	}
	return fmt.Sprintf("pattern(%d)", uint8(p))
}

// ParsePattern returns the pattern named s ("random" or "burst").
func ParsePattern(s string) (Pattern, error) {
	switch s {
	case "random":
		return PatternRandom, nil
	case "burst":
		return PatternBurst, nil
	}
	return 0, fmt.Errorf("corrupt-pattern: %q is not one of random, burst", s)
}

// Config describes how messages are corrupted in transit. The zero value is
// not valid (Bits is 0); start from DefaultConfig.
//
// There are two models. The per-message model (used when BitErrorRate is 0)
// corrupts each message with probability Probability and then flips exactly
// Bits bits chosen by Pattern. The per-bit model (BitErrorRate > 0) flips every
// bit independently with probability BitErrorRate, so longer messages are hit
// more often, and ignores Probability, Bits and Pattern.
type Config struct {
	// Probability is the chance that a message is corrupted, per message,
	// in [0, 1]. Flag corrupt-prob. Default 0 (no corruption).
	Probability float64
	// Bits is the number of bits flipped in a corrupted message, at least 1.
	// Flag corrupt-bits. Default 1, the S3 2008 case.
	Bits int
	// Pattern chooses which Bits bits are flipped. Flag corrupt-pattern.
	// Default PatternRandom.
	Pattern Pattern
	// BitErrorRate is the probability that each bit flips, independently,
	// per bit, in [0, 1). When > 0 it replaces Probability, Bits and
	// Pattern. Flag bit-error-rate. Default 0 (off).
	BitErrorRate float64
	// From and Until bound the corruption episode: only messages sent at
	// simulated times in [From, Until) can be corrupted; Until 0 means no
	// end. Both 0 (the default): corruption all run. Flags corrupt-from and
	// corrupt-until. The path that sends (package transport) applies it.
	From, Until sim.Time
}

// Active reports whether a message sent at now, in the run's time, can be
// corrupted: c is enabled and now is inside the episode [From, Until). From
// 0 has no lower bound, so a model's warm-up before the run's time 0 is
// corrupted too unless an episode is set.
func (c Config) Active(now sim.Time) bool {
	return c.Enabled() && (c.From == 0 || now >= c.From) && (c.Until == 0 || now < c.Until)
}

// DefaultConfig returns the defaults: Probability 0, Bits 1, Pattern random,
// BitErrorRate 0. Corruption is disabled until Probability or BitErrorRate is
// raised.
func DefaultConfig() Config {
	return Config{Probability: 0, Bits: 1, Pattern: PatternRandom, BitErrorRate: 0}
}

// Validate returns a one-line error naming the first field (by its flag
// name) whose value is out of range, or nil.
func (c Config) Validate() error {
	if !(c.Probability >= 0 && c.Probability <= 1) { // also rejects NaN
		return fmt.Errorf("corrupt-prob: %v is outside [0, 1]", c.Probability)
	}
	if c.Bits < 1 {
		return fmt.Errorf("corrupt-bits: %d must be at least 1", c.Bits)
	}
	if c.Pattern != PatternRandom && c.Pattern != PatternBurst {
		return fmt.Errorf("corrupt-pattern: %d is not one of random (0), burst (1)", uint8(c.Pattern))
	}
	if !(c.BitErrorRate >= 0 && c.BitErrorRate < 1) {
		return fmt.Errorf("bit-error-rate: %v is outside [0, 1)", c.BitErrorRate)
	}
	switch {
	case c.From < 0:
		return fmt.Errorf("corrupt-from: %s is negative", c.From)
	case c.Until < 0 || (c.Until > 0 && c.Until <= c.From):
		return fmt.Errorf("corrupt-until: %s must be 0 (no end) or after corrupt-from = %s", c.Until, c.From)
	}
	return nil
}

// Enabled reports whether c can corrupt anything: Probability or
// BitErrorRate is positive.
func (c Config) Enabled() bool { return c.Probability > 0 || c.BitErrorRate > 0 }

// smallK is the largest number of positions Apply chooses by rejecting
// duplicates over a fixed array; more use sequential sampling.
const smallK = 64

// Apply decides, with draws from r only, whether to corrupt b; flips the
// chosen bits in place; and returns how many bits it flipped (0 means b is
// untouched). The same r state and inputs give the same result. Apply
// allocates nothing. It is Draw followed by Hit.Apply.
//
// With a disabled config (see Enabled) or an empty b, Apply draws nothing.
// In the per-message model it draws one float64 to decide and, when the
// message is corrupted, draws the positions: one for burst; for random,
// m = min(k, n-k) positions for n bits (when more than half the bits flip it
// flips all and restores a random n-k of them), a few more draws when repeats
// are rejected. If Bits is at least n, every bit is flipped once and no
// position is drawn. Up to 64 positions are found by rejecting repeats over
// a fixed array (O(m^2) comparisons); more are chosen by sequential sampling,
// still m draws but time proportional to n (about 0.2 ms for a 13 kB
// message). In the per-bit model it draws one gap per flipped bit plus one
// (geometric skipping), not one draw per bit.
//
// Apply expects a config that passes Validate; otherwise Probability above 1
// acts as 1, Bits below 1 flips nothing, an undefined Pattern acts as random
// and BitErrorRate of 1 or more flips every bit.
func Apply(b []byte, r *rand.Rand, c Config) int {
	h, ok := Draw(len(b), r, c)
	if !ok {
		return 0
	}
	return h.Apply(b, r)
}

// Hit is a decision, drawn by Draw, to corrupt one message of a known
// length. Its Apply draws the rest (the positions) and flips the bits.
type Hit struct {
	c        Config
	n        int     // bits in the message
	firstGap float64 // per-bit model: the gap before the first flip, already drawn
}

// Draw makes the first draws of Apply for a message of size bytes, without
// the message: it reports whether the message is corrupted, and if so a Hit
// whose Apply, called next with the same r and the message's bytes, makes
// exactly the draws and flips Apply would have. A sender that keeps a message
// as a structure can so build its bytes only for the messages corruption
// selects. ok is false (and nothing more is drawn) when the message is left
// intact.
func Draw(size int, r *rand.Rand, c Config) (h Hit, ok bool) {
	n := 8 * size
	if n == 0 {
		return Hit{}, false
	}
	if c.BitErrorRate > 0 {
		if c.BitErrorRate >= 1 {
			return Hit{c: c, n: n}, true
		}
		gap := math.Log(1-r.Float64()) / math.Log1p(-c.BitErrorRate)
		if gap >= float64(n) { // also catches +Inf
			return Hit{}, false
		}
		return Hit{c: c, n: n, firstGap: gap}, true
	}
	if !(c.Probability > 0) || c.Bits < 1 {
		return Hit{}, false
	}
	if r.Float64() >= c.Probability {
		return Hit{}, false
	}
	return Hit{c: c, n: n}, true
}

// Apply flips the bits of b that h's decision and r's further draws choose,
// and returns how many it flipped (at least 1). b must be the message Draw
// was given the size of; Apply panics if its length differs.
func (h Hit) Apply(b []byte, r *rand.Rand) int {
	n := h.n
	if 8*len(b) != n {
		panic("corrupt: Hit.Apply on a message of another length than Draw saw")
	}
	c := h.c
	if c.BitErrorRate > 0 {
		if c.BitErrorRate >= 1 {
			flipAll(b)
			return n
		}
		return applyBER(b, r, c.BitErrorRate, h.firstGap)
	}
	k := c.Bits
	if k >= n {
		flipAll(b)
		return n
	}
	if c.Pattern == PatternBurst {
		start := r.IntN(n - k + 1)
		for i := start; i < start+k; i++ {
			FlipBit(b, i)
		}
		return k
	}
	flipDistinct(b, n, k, r)
	return k
}

// FlipBit inverts bit number bit of b, counting from 0 = the most significant
// bit of b[0] (network bit order). It panics if bit is outside [0, 8*len(b)).
func FlipBit(b []byte, bit int) {
	b[bit>>3] ^= 0x80 >> (bit & 7)
}

func flipAll(b []byte) {
	for i := range b {
		b[i] ^= 0xFF
	}
}

// flipDistinct flips k distinct bits of the n = 8*len(b) bits of b, the set
// chosen uniformly among all k-subsets; 1 <= k < n. When k > n/2 it flips all
// bits and then flips back a uniform (n-k)-subset, which is the same
// distribution with fewer draws.
func flipDistinct(b []byte, n, k int, r *rand.Rand) {
	if 2*k > n {
		flipAll(b)
		k = n - k
	}
	if k <= smallK {
		flipRejection(b, n, k, r)
	} else {
		flipSequential(b, n, k, r)
	}
}

// flipRejection draws uniform positions, rejecting repeats, until k distinct
// ones are found (k <= smallK, k <= n/2 so a draw is new with probability at
// least 1/2).
func flipRejection(b []byte, n, k int, r *rand.Rand) {
	var chosen [smallK]int
	for i := 0; i < k; {
		p := r.IntN(n)
		dup := false
		for _, q := range chosen[:i] {
			if q == p {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		chosen[i] = p
		FlipBit(b, p)
		i++
	}
}

// flipSequential selects k of n bits in increasing order with Vitter's
// sequential sampling method A: one uniform draw per selected bit gives the
// number of bits to skip before it, whose distribution is
// P(skip >= s) = prod_{j<s} (remaining-k-j)/(remaining-j). Time O(n), draws k,
// no memory.
func flipSequential(b []byte, n, k int, r *rand.Rand) {
	pos, remaining := 0, n // the next candidate bit, and how many are left
	for ; k >= 2; k-- {
		top, total := float64(remaining-k), float64(remaining)
		v := r.Float64()
		skip := 0
		for quot := top / total; quot > v; quot *= top / total {
			skip++
			top--
			total--
		}
		pos += skip
		FlipBit(b, pos)
		pos++
		remaining -= skip + 1
	}
	if k == 1 {
		FlipBit(b, pos+r.IntN(remaining))
	}
}

// applyBER flips each bit of b independently with probability p < 1 by
// drawing geometric gaps: the number of unflipped bits before the next flip is
// floor(ln U / ln(1-p)) for U uniform in (0, 1], since P(gap >= g) = (1-p)^g.
// first is the gap before the first flip, drawn by Draw and below 8*len(b).
func applyBER(b []byte, r *rand.Rand, p, first float64) int {
	n := 8 * len(b)
	lq := math.Log1p(-p) // ln(1-p) < 0, accurate for tiny p
	flips := 0
	gap := first
	for pos := 0; ; pos++ {
		if gap >= float64(n-pos) { // also catches +Inf
			return flips
		}
		pos += int(gap)
		FlipBit(b, pos)
		flips++
		gap = math.Log(1-r.Float64()) / lq
	}
}
