package s3gossip

import (
	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/wire"
)

// monitorWindow ends one monitor window (mitigation c): it measures the
// fleet-wide gossip message rate, learns the baseline during the first
// Baseline of the run, and afterwards raises an alarm when the rate climbs
// above Threshold × baseline.
func (m *Model) monitorWindow() {
	c := m.cfg.Monitor
	now := m.eng.Now()
	rate := float64(m.rec.MessagesSent-m.monitorLast) / c.Window.Seconds()
	m.monitorLast = m.rec.MessagesSent
	m.eng.After(c.Window, evMonitor, 0, 0)
	if now <= c.Baseline {
		m.baselineSum += rate
		m.baselineN++
		return
	}
	if m.paused || now < m.monitorHoldoff || m.baselineN == 0 {
		m.inAlarm = false
		return
	}
	above := rate > c.Threshold*m.baselineSum/float64(m.baselineN)
	if above && !m.inAlarm {
		m.rec.Alarm(now)
		if m.cfg.Reset.Procedure != ResetNone && m.cfg.Reset.OnAlarm {
			m.decideReset()
		}
	}
	m.inAlarm = above
}

// decideReset starts the reset procedure (mitigation a): all server-to-server
// communication stops at once, queued work is abandoned, and after Stop every
// node's state is cleared.
func (m *Model) decideReset() {
	if m.cfg.Reset.Procedure == ResetNone || m.paused {
		return
	}
	now := m.eng.Now()
	m.paused = true
	m.traceNode(trace.Reset, -1, "decided")
	m.rec.SetResetting(now, true)
	for i := range m.nodes {
		m.nodes[i].epoch++ // abandons queued messages and pending rounds
		m.proc.Abandon(i, now)
	}
	m.eng.After(m.cfg.Reset.Stop, evResetCleared, 0, 0)
}

// clearState wipes every node's view and gives every node a new generation,
// so no version held before the reset, corrupted or not, survives it.
func (m *Model) clearState() {
	now := m.eng.Now()
	m.traceNode(trace.Reset, -1, "cleared")
	for i := range m.nodes {
		nd := &m.nodes[i]
		m.truth[i] = pack(generation(m.truth[i])+1, 0)
		nd.failedCount = 0
		nd.believersFailed = 0
		nd.ahead = nd.ahead[:0]
		nd.aheadMin = ^uint64(0)
	}
	for i := range m.n {
		m.clearRow(i, now)
	}
	m.rec.AddWrong(now, -m.rec.WrongPairs())
	if m.sp != nil {
		m.spreadReset(now)
	}
	m.eng.After(m.cfg.Reset.restoreTime(), evResetRestored, 0, 0)
}

// restore ends the reset: every live node starts gossiping again, its
// failure-detection clocks starting now.
func (m *Model) restore() {
	now := m.eng.Now()
	m.paused = false
	m.traceNode(trace.Reset, -1, "restored")
	ms := msOf(now)
	for x, f := range m.sf {
		if statusOf(f) != wire.StatusFailed {
			m.since[x] = ms
		}
	}
	for i := range m.nodes {
		nd := &m.nodes[i]
		if !nd.up {
			continue
		}
		nd.epoch++
		m.eng.After(m.phase(), evGossipTimer, int32(i), nd.epoch)
	}
	m.monitorHoldoff = now + m.cfg.Monitor.Baseline
	m.inAlarm = false
	m.rec.SetResetting(now, false)
}
