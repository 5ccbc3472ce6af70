package swim

import (
	"cmp"
	"slices"

	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Dissemination: each member's queue of updates, piggybacked on its messages
// and sent in periodic gossip.

// enqueue puts an update in member i's dissemination queue, replacing any
// older update about the same member.
func (r *run) enqueue(i int, e wire.Entry) {
	m := &r.members[i]
	for x := range m.queue {
		if m.queue[x].e.Node == e.Node {
			m.queue = slices.Delete(m.queue, x, x+1)
			break
		}
	}
	r.bcastID++
	m.queue = append(m.queue, bcast{e: e, id: r.bcastID})
	r.state[i] |= stQueued
}

// piggyback adds to r.out as many queued updates of member i as the packet
// holds, least transmitted (then newest) first, and retires those sent
// retransmitLimit times.
func (r *run) piggyback(i int) {
	m := &r.members[i]
	room := r.maxEntries - len(r.out.Entries)
	if room <= 0 || len(m.queue) == 0 {
		return
	}
	if len(m.queue) > room {
		slices.SortFunc(m.queue, func(a, b bcast) int {
			if c := cmp.Compare(a.transmits, b.transmits); c != 0 {
				return c
			}
			return cmp.Compare(b.id, a.id)
		})
	}
	take := min(room, len(m.queue))
	for x := range take {
		r.out.Entries = append(r.out.Entries, m.queue[x].e)
		m.queue[x].transmits++
	}
	m.queue = slices.DeleteFunc(m.queue, func(b bcast) bool { return b.transmits >= r.retransmitLimit })
	if len(m.queue) == 0 {
		r.state[i] &^= stQueued
	}
}

// gossip sends member i's pending updates to GossipNodes random members it
// holds alive or suspect, or dead for less than GossipToTheDead.
func (r *run) gossip(i int) {
	st := r.state[i]
	if st&stUp == 0 {
		return
	}
	r.eng.After(r.localSpan(i, r.cfg.GossipInterval), evGossip, int32(i), r.epochOf(i))
	if st&stQueued == 0 {
		return
	}
	// Start loading the member's queue while the targets are drawn.
	r.warm += r.members[i].queue[0].transmits
	deadline := r.nowMs() - int32(GossipToTheDead/sim.Millisecond)
	targets := r.pickWith(r.gossipRand, i, r.cfg.GossipNodes, func(j int) bool {
		if f := r.bflag[j]; f&flagHot == 0 && wire.Status(f&3) != dead {
			return true
		}
		v := r.view(i, j)
		return v.status != dead || v.since() > deadline
	})
	for _, t := range targets {
		if r.state[i]&stQueued == 0 {
			return
		}
		r.begin(kindGossip, i, 0, 0)
		r.out.Requests = r.out.Requests[:0]
		r.piggyback(i)
		r.send(int(t))
	}
}
