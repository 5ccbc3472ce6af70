package swim

import "math/bits"

// Round-robin probe order without a list per member.
//
// memberlist walks a shuffled list of the other members and reshuffles it
// after each pass. A list per member is n-1 ids, n² in all, so here a pass is
// instead a keyed pseudo-random permutation of [0, n-1), evaluated one
// position at a time: member i's k-th target of the pass is perm(key, k),
// shifted past i. A member keeps only its key (drawn from the probe stream at
// the start and at every new pass, in place of the reshuffle) and its
// position. Because perm is a bijection of [0, n-1), a pass still names every
// other member exactly once, which is memberlist's guarantee that each member
// is probed by everyone once per pass.

// permRounds is the number of Feistel rounds: four make a keyed family of
// random-looking permutations (Luby and Rackoff); two more make the very
// small domains of small fleets mix as well.
const permRounds = 6

// probePerm permutes [0, size).
type probePerm struct {
	size uint64
	half uint   // bits in each half of the Feistel network's block
	mask uint64 // (1 << half) - 1
}

func newProbePerm(size int) probePerm {
	b := max(bits.Len64(uint64(size-1)), 2) // 2^b >= size
	b += b & 1                              // even, split in two halves
	half := uint(b / 2)
	return probePerm{size: uint64(size), half: half, mask: 1<<half - 1}
}

// at returns the image of x, in [0, size), under the permutation chosen by
// key: a balanced Feistel network on the 2·half-bit block (a bijection of
// [0, 2^(2·half))) applied until the value falls in [0, size) ("cycle
// walking", which keeps it a bijection of [0, size)). 2^(2·half) < 4·size, so
// fewer than 4 passes are expected.
func (p probePerm) at(key, x uint64) uint64 {
	for {
		l, r := x>>p.half, x&p.mask
		for round := range uint64(permRounds) {
			l, r = r, l^(mix64((key+round*0x9e3779b97f4a7c15)^r)&p.mask)
		}
		x = l<<p.half | r
		if x < p.size {
			return x
		}
	}
}

// mix64 is the splitmix64 finaliser, a bijection of uint64 whose every
// output bit depends on every input bit.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
