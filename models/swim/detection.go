package swim

import (
	"math/rand/v2"
	"slices"

	"github.com/gossipsim/gossipsim/models/wire"
)

// Failure detection: a member's protocol period, its direct probe of one
// member, and the indirect probes (ping-req) through relays when the ack is late.

// probeEnd closes member i's protocol period (suspecting the target if no
// ack came) and opens the next one.
func (r *run) probeEnd(i int, seq uint32) {
	if !r.up(i) {
		return
	}
	m := &r.members[i]
	now := r.eng.Now()
	if m.probing && m.probeSeq == seq {
		m.probing = false
		if !m.acked {
			// Lifeguard: every expected nack that did not come counts
			// against our own health; without relays, the failed probe does.
			delta := int32(1)
			if m.expectedNacks > 0 {
				delta = m.expectedNacks - m.nacks
			}
			r.awareness(i, delta)
			t := int(m.target)
			if k := r.crashIdx[t]; k >= 0 && !r.up(t) && r.firstDet[k] < 0 {
				r.firstDet[k] = now - r.crashTime[k]
			}
			v := r.view(i, t)
			r.suspectUpdate(i, t, v.inc, int32(i))
		}
	}
	r.startProbe(i)
}

// startProbe opens a protocol period of member i: ping the next target.
func (r *run) startProbe(i int) {
	m := &r.members[i]
	s := r.scale(i)
	m.seq++
	seq := m.seq
	r.eng.After(r.localSpan(i, s*r.cfg.ProbeInterval), evProbeEnd, int32(i), int64(seq)|r.epochOf(i)<<32)
	t := r.pickTarget(i)
	if t < 0 {
		return
	}
	m.probing, m.acked = true, false
	m.target, m.probeSeq = int32(t), seq
	m.nacks, m.expectedNacks = 0, 0
	r.sendPing(i, t, seq)
	r.eng.After(r.localSpan(i, s*r.cfg.ProbeTimeout), evProbeTimeout, int32(i), int64(seq))
}

// pickTarget returns the member i probes this period, or -1 if it holds
// every other member dead.
func (r *run) pickTarget(i int) int {
	m := &r.members[i]
	if r.cfg.ProbeOrder == RoundRobin {
		others := int32(r.n - 1)
		for range others {
			if m.next >= others {
				// A new pass: a new order (memberlist reshuffles).
				m.passKey = r.probeRand.Uint64()
				m.next = 0
			}
			t := int(r.perm.at(m.passKey, uint64(m.next)))
			if t >= i {
				t++
			}
			m.next++
			if r.status(i, t) != dead {
				return t
			}
		}
		return -1
	}
	p := r.pick(r.probeRand, i, 1, -1, false)
	if len(p) == 0 {
		return -1
	}
	return int(p[0])
}

// pick returns up to k distinct random members other than i and not that i
// holds alive, or alive or suspect unless aliveOnly.
func (r *run) pick(rng *rand.Rand, i, k, not int, aliveOnly bool) []int32 {
	return r.pickWith(rng, i, k, func(j int) bool {
		if j == not {
			return false
		}
		st := r.status(i, j)
		return st == alive || (!aliveOnly && st == suspect)
	})
}

// pickWith returns up to k distinct random members j != i with ok(j): first by
// rejection, then, if too few were found, among an explicit candidate list.
func (r *run) pickWith(rng *rand.Rand, i, k int, ok func(j int) bool) []int32 {
	r.picks = r.picks[:0]
	if k <= 0 {
		return r.picks
	}
	for tries := 0; len(r.picks) < k && tries < 4*k+8; tries++ {
		j := rng.IntN(r.n - 1)
		if j >= i {
			j++
		}
		if ok(j) && !slices.Contains(r.picks, int32(j)) {
			r.picks = append(r.picks, int32(j))
		}
	}
	if len(r.picks) == k {
		return r.picks
	}
	r.cands = r.cands[:0]
	for j := range r.n {
		if j != i && ok(j) && !slices.Contains(r.picks, int32(j)) {
			r.cands = append(r.cands, int32(j))
		}
	}
	for len(r.picks) < k && len(r.cands) > 0 {
		x := rng.IntN(len(r.cands))
		r.picks = append(r.picks, r.cands[x])
		r.cands[x] = r.cands[len(r.cands)-1]
		r.cands = r.cands[:len(r.cands)-1]
	}
	return r.picks
}

// probeTimeout: no direct ack in time, so ask IndirectChecks members to
// probe the target.
func (r *run) probeTimeout(i int, seq uint32) {
	m := &r.members[i]
	if !r.up(i) || !m.probing || m.probeSeq != seq || m.acked {
		return
	}
	t := int(m.target)
	for _, k := range r.pick(r.indirectRand, i, r.cfg.IndirectChecks, t, true) {
		r.begin(kindPingReq, i, uint32(t), seq)
		r.piggyback(i)
		r.send(int(k))
		if r.cfg.Lifeguard {
			m.expectedNacks++
		}
	}
}

// acked records an ack for member i's probe of subject with seq.
func (r *run) acked(i, subject int, seq uint32) bool {
	m := &r.members[i]
	if !m.probing || m.acked || m.probeSeq != seq || int(m.target) != subject {
		return false
	}
	m.acked = true
	r.awareness(i, -1)
	return true
}

func (r *run) sendPing(i, t int, seq uint32) {
	r.begin(kindPing, i, uint32(t), seq)
	if v := r.view(i, t); r.cfg.Lifeguard && v.status == suspect {
		// Buddy system: tell the target it is suspected, first thing.
		r.out.Entries = append(r.out.Entries, wire.Entry{Node: uint32(t), Generation: v.inc, Heartbeat: uint32(i), Status: suspect})
	}
	r.piggyback(i)
	r.send(t)
}

// relayTimeout: the target did not ack a relayed ping in time.
func (r *run) relayTimeout(k int, seq uint32) {
	if !r.up(k) {
		return
	}
	m := &r.members[k]
	for x, rl := range m.relays {
		if rl.seq == seq {
			m.relays = slices.Delete(m.relays, x, x+1)
			if r.cfg.Lifeguard {
				r.begin(kindNack, k, uint32(rl.target), rl.originSeq)
				r.piggyback(k)
				r.send(int(rl.origin))
			}
			return
		}
	}
}
