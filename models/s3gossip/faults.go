package s3gossip

import (
	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// scheduleCrash draws the time to the next crash in the fleet: crashes arrive
// as a Poisson process of rate CrashRate per node per hour over the nodes up.
func (m *Model) scheduleCrash() {
	if m.cfg.CrashRate <= 0 || m.live == 0 {
		return
	}
	perSecond := m.cfg.CrashRate / 3600 * float64(m.live)
	gap := sim.FromSeconds(m.crashRand.ExpFloat64() / perSecond)
	m.eng.After(max(gap, 1), evCrash, 0, 0)
}

// crash takes a random live node down. Its queue and in-flight work are lost;
// the pairs it was part of leave the wrong-view count.
func (m *Model) crash() {
	if m.live > 1 {
		x := m.crashRand.IntN(m.n)
		for !m.nodes[x].up {
			x = (x + 1) % m.n
		}
		m.takeDown(x)
		m.eng.After(m.cfg.DownTime, evRecover, int32(x), m.nodes[x].epoch)
	}
	m.scheduleCrash()
}

// scheduleFaults replays the fault schedule's crashes and restarts
// (faults.Timeline.NodeEvents) as real ones: a node taken down loses its
// queue and in-flight work like a random crash, and restarts with a new
// generation and a view that knows nothing newer than generation 0. The
// message path silences it meanwhile, for every model.
func (m *Model) scheduleFaults() {
	tl := m.tr.Faults()
	if tl == nil {
		return
	}
	tl.Replay(m.eng, 0, evScheduledDown, evScheduledUp)
}

// heldDown reports whether the fault schedule holds node x down now: a
// random crash's restart then waits for the schedule's.
func (m *Model) heldDown(x int) bool {
	tl := m.tr.Faults()
	if tl == nil {
		return false
	}
	tl.Advance(m.eng.Now())
	return tl.Down(x)
}

func (m *Model) takeDown(x int) {
	now := m.eng.Now()
	nd := &m.nodes[x]
	var wrong int64
	for j := range m.n {
		if j == x {
			continue
		}
		if statusOf(m.sf[x*m.n+j]) == wire.StatusFailed {
			m.nodes[j].believersFailed--
		}
		if !m.counted(x, j) {
			continue
		}
		if m.sf[x*m.n+j]&flagWrong != 0 {
			wrong++
		}
		if m.sf[j*m.n+x]&flagWrong != 0 {
			wrong++
		}
	}
	m.rec.AddWrong(now, -wrong)
	m.traceNode(trace.Crash, x, "")
	nd.up = false
	nd.epoch++
	m.proc.Abandon(x, now) // queued work is abandoned, not done
	nd.failedCount = 0
	nd.crashedAt = now
	nd.detected = false
	nd.fullyDetected = false
	m.live--
	m.rec.Crashes++
	m.rec.SetLive(now, m.live)
	if m.sp != nil {
		m.spreadNodeDown(x, now)
	}
	if nd.believersFailed > 0 {
		// Observers already (wrongly, until now) believed it failed: detected at once.
		m.noteDetection(x, now)
	}
}

// recover restarts node x with a new generation and a view that knows every
// peer but nothing newer than generation 0.
func (m *Model) recover(x int, epoch int64) {
	nd := &m.nodes[x]
	if nd.up || nd.epoch != epoch {
		return
	}
	now := m.eng.Now()
	m.traceNode(trace.Restart, x, "")
	nd.up = true
	nd.epoch++
	m.truth[x] = pack(generation(m.truth[x])+1, 0)
	m.live++
	m.rec.Recoveries++
	m.rec.SetLive(now, m.live)
	m.clearRow(x, now)
	// The true version jumped: recheck every observer's entry for x.
	nd.ahead = nd.ahead[:0]
	nd.aheadMin = ^uint64(0)
	var wrong int64
	for o := range m.n {
		if o == x {
			continue
		}
		v := o*m.n + x
		was := m.sf[v]
		m.sf[v] &= statusBits
		m.refreshFlagsQuiet(o, x)
		if m.trace != nil {
			m.traceUpdate(o, x, m.ver[v], was, now) // the wrongness, if it changed
		}
		if m.sf[v]&flagWrong != 0 && m.nodes[o].up {
			wrong++
		}
	}
	m.rec.AddWrong(now, wrong)
	if m.sp != nil {
		m.spreadNodeUp(x, now)
	}
	m.eng.After(m.phase(), evGossipTimer, int32(x), nd.epoch)
}

// refreshFlagsQuiet sets the flags of observer i's entry for j (cleared by
// the caller) without reporting to the recorder (the caller counts),
// keeping the ahead list.
func (m *Model) refreshFlagsQuiet(i, j int) {
	x := i*m.n + j
	pj := &m.nodes[j]
	if v := m.ver[x]; v > m.truth[j] {
		m.sf[x] |= flagAhead
		pj.ahead = append(pj.ahead, int32(i))
		pj.aheadMin = min(pj.aheadMin, v)
	}
	if m.sf[x]&flagAhead != 0 || statusOf(m.sf[x]) == wire.StatusFailed {
		m.sf[x] |= flagWrong
	}
}
