package swim

import (
	"context"
	"runtime"
	"slices"
	"testing"

	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// sparseCases are runs that move baselines often: loss and corruption
// (refutations, hence alive updates that reach everyone), crashes (dead
// updates that reach everyone and expire), Lifeguard, both probe orders.
func sparseCases() []struct {
	name string
	c    Config
	cm   protocol.Common
} {
	type tc = struct {
		name string
		c    Config
		cm   protocol.Common
	}
	var out []tc
	add := func(name string, n int, d sim.Time, loss, corrupt float64, edit func(*Config)) {
		c := DefaultConfig()
		edit(&c)
		cm := common(n, d)
		cm.Network.Loss = loss
		cm.Corruption.Probability = corrupt
		if corrupt > 0 {
			cm.Checksum = wire.ChecksumNone // corrupted updates get through
		}
		out = append(out, tc{name, c, cm})
	}
	add("loss", 80, 90*sim.Second, 0.2, 0, func(c *Config) { c.Crashes = 3; c.ProbeOrder = Random })
	add("lifeguard-rr", 60, 90*sim.Second, 0.15, 0, func(c *Config) { c.Crashes = 2; c.Lifeguard = true; c.ProbePhase = Staggered })
	add("corrupt", 100, 60*sim.Second, 0.02, 2e-3, func(c *Config) { c.Crashes = 5 })
	add("many-crashes", 40, 80*sim.Second, 0.05, 0, func(c *Config) { c.Crashes = 20; c.CrashAt = 5 * sim.Second })
	return out
}

// checkViews checks the sparse views' invariants at the current time.
func checkViews(t *testing.T, r *run) {
	t.Helper()
	for i := range r.n {
		m := &r.members[i]
		row := m.row()
		if !r.up(i) {
			if len(row) != 0 {
				t.Fatalf("crashed member %d keeps %d overrides", i, len(row))
			}
			continue
		}
		if !slices.IsSortedFunc(row, func(a, b override) int { return int(a.member - b.member) }) {
			t.Fatalf("row of %d not sorted: %v", i, row)
		}
		for k := 1; k < len(row); k++ {
			if row[k].member == row[k-1].member {
				t.Fatalf("row of %d holds member %d twice", i, row[k].member)
			}
		}
		if got, want := r.state[i]&stQueued != 0, len(m.queue) > 0; got != want {
			t.Fatalf("member %d: queued flag %v with %d queued", i, got, len(m.queue))
		}
	}
	wrong := int64(0)
	for j := range r.n {
		b := r.base[j]
		if hot := r.bflag[j]&flagHot != 0; hot != (r.top[j] > b.version()) || wire.Status(r.bflag[j]&3) != b.status {
			t.Fatalf("member %d: flags %#x, top %d, base %+v", j, r.bflag[j], r.top[j], b)
		}
		agree := int32(0)
		for i := range r.n {
			if i == j || !r.up(i) {
				continue
			}
			v := r.view(i, j)
			if v.version() > r.top[j] || v.version() < b.version() {
				t.Fatalf("view of %d by %d at version %d outside [base %d, top %d]", j, i, v.version(), b.version(), r.top[j])
			}
			if (v.status == suspect) != (v.timer() != 0) {
				t.Fatalf("view of %d by %d: %+v", j, i, v)
			}
			if v.version() == r.top[j] && r.top[j] > b.version() {
				agree++
			}
			if v.status == dead && r.up(j) {
				wrong++
			}
		}
		if agree != r.agree[j] {
			t.Fatalf("member %d: %d live members hold top %d, agree says %d", j, agree, r.top[j], r.agree[j])
		}
	}
	if wrong != r.wrong {
		t.Fatalf("%d live pairs held dead, counter says %d", wrong, r.wrong)
	}
	for k, j := range r.crashed {
		holders := 0
		for i := range r.n {
			if r.up(i) && r.view(i, int(j)).status == dead {
				holders++
			}
		}
		if holders != r.deadCount[k] {
			t.Fatalf("crashed %d: %d live members hold it dead, counter says %d", j, holders, r.deadCount[k])
		}
	}
}

// sameView reports whether a and b mean the same at time now: status,
// incarnation and suspicion timer, and for dead whether gossip to it is
// still due (the only use of the time it became dead).
func sameView(a, b view, nowMs int32) bool {
	if a.status != b.status || a.inc != b.inc || a.timer() != b.timer() {
		return false
	}
	if a.status == dead {
		deadline := nowMs - int32(GossipToTheDead/sim.Millisecond)
		return (a.since() > deadline) == (b.since() > deadline)
	}
	return true
}

// TestSparseMatchesFixedBaseline runs each case twice: as the model does,
// moving baselines once every live member agrees (which drops overrides),
// and as a reference that never moves them, so that every difference from
// the start stays an explicit override (the dense view, stored sparsely).
// Every live member's view of every other member must mean the same at every
// second, the invariants of the sparse store must hold, and the Results
// must be identical. The cases must move baselines.
func TestSparseMatchesFixedBaseline(t *testing.T) {
	for _, tc := range sparseCases() {
		t.Run(tc.name, func(t *testing.T) {
			a := newRun(tc.c, tc.cm, 7)
			ref := newRun(tc.c, tc.cm, 7)
			ref.fixBase = true
			for at := sim.Second; at <= tc.cm.Duration; at += sim.Second {
				a.eng.RunUntil(at)
				ref.eng.RunUntil(at)
				checkViews(t, a)
				now := a.nowMs()
				for i := range a.n {
					if !a.up(i) {
						continue
					}
					for j := range a.n {
						if j == i {
							continue // never read: a member's view of itself
						}
						if va, vr := a.view(i, j), ref.view(i, j); !sameView(va, vr, now) {
							t.Fatalf("at %v: view of %d by %d is %+v, reference %+v", at, j, i, va, vr)
						}
					}
				}
			}
			if !sameResult(a.result(), ref.result()) {
				t.Errorf("results differ:\n%+v\n%+v", a.result(), ref.result())
			}
			if a.rebased == 0 {
				t.Errorf("no baseline moved: the case does not exercise them")
			}
			overrides := func(r *run) (k int) {
				for i := range r.members {
					for _, o := range r.members[i].row() {
						if o.v.version() > r.base[o.member].version() {
							k++
						}
					}
				}
				return k
			}
			t.Logf("%d baselines moved; live overrides at the end: %d, reference %d", a.rebased, overrides(a), overrides(ref))
		})
	}
}

// TestDeterminismSparse: a run with baselines moving is a pure function of
// the seed (the same Result twice).
func TestDeterminismSparse(t *testing.T) {
	tc := sparseCases()[2]
	x, err := tc.c.Run(context.Background(), tc.cm, 3)
	if err != nil {
		t.Fatal(err)
	}
	y, _ := tc.c.Run(context.Background(), tc.cm, 3)
	if !sameResult(x, y) {
		t.Errorf("two runs differ")
	}
}

// maxBytesPerMember bounds the heap of a run, per member, once it is built
// and has run a few protocol periods without updates to spread: the member
// state (256 bytes), the baselines and counters, the event queue and the
// messages in flight. It is BytesPerNode with some slack.
const maxBytesPerMember = 900

// TestMemoryPerMember builds a 200,000-member run (40 billion views if they
// were dense) and checks its heap per member.
func TestMemoryPerMember(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates about 200 MB")
	}
	const n = 200000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := DefaultConfig()
	c.CrashAt = sim.Hour
	r := newRun(c, common(n, sim.Hour), 1)
	r.eng.RunUntil(3 * sim.Second)
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("%.0f bytes per member (BytesPerNode = %d)", per, BytesPerNode)
	if per > maxBytesPerMember {
		t.Errorf("%.0f bytes per member, want at most %d", per, maxBytesPerMember)
	}
	runtime.KeepAlive(r)
}

// TestProbePermutation: a pass is a permutation of the other members, for
// small and awkward sizes, and where a given member falls in a pass is close
// to uniform over keys (chi-square over 20,000 keys).
func TestProbePermutation(t *testing.T) {
	for _, size := range []int{1, 2, 3, 5, 9, 16, 17, 100, 1023, 1025} {
		p := newProbePerm(size)
		for key := uint64(0); key < 20; key++ {
			seen := make([]bool, size)
			for x := range size {
				y := p.at(key*0x9e3779b97f4a7c15, uint64(x))
				if y >= uint64(size) || seen[y] {
					t.Fatalf("size %d key %d: %d -> %d is not a permutation", size, key, x, y)
				}
				seen[y] = true
			}
		}
	}
	for _, size := range []int{9, 99} {
		p := newProbePerm(size)
		counts := make([]float64, size)
		const keys = 20000
		for key := uint64(1); key <= keys; key++ {
			for x := range size {
				if p.at(mix64(key), uint64(x)) == 0 {
					counts[x]++ // member 0 is at position x
					break
				}
			}
		}
		chi2 := 0.0
		want := float64(keys) / float64(size)
		for _, c := range counts {
			chi2 += (c - want) * (c - want) / want
		}
		// The 99.9% quantile of chi-square with size-1 degrees of freedom
		// is below 27.9 for 8 and 148 for 98.
		limit := map[int]float64{9: 27.9, 99: 148}[size]
		if chi2 > limit {
			t.Errorf("size %d: position of a member over keys: chi-square %.1f > %.1f", size, chi2, limit)
		}
	}
}

// TestRoundRobinPass: in round-robin order a member probes every other live
// member exactly once in each pass of n-1 periods.
func TestRoundRobinPass(t *testing.T) {
	const n = 40
	c := DefaultConfig()
	c.Crashes = 0
	r := newRun(c, common(n, sim.Hour), 5)
	for pass := 0; pass < 3; pass++ {
		for i := range n {
			got := map[int]bool{}
			for range n - 1 {
				t := r.pickTarget(i)
				got[t] = true
			}
			if len(got) != n-1 || got[i] {
				t.Fatalf("pass %d of member %d probes %d distinct members (self %v), want %d", pass, i, len(got), got[i], n-1)
			}
		}
	}
}
