package s3gossip

import "github.com/gossipsim/gossipsim/models/metrics"

// sample records one time-series row: rates from the recorder's counters and
// node load computed here (busy time is work committed minus work still queued).
func (m *Model) sample() {
	now := m.eng.Now()
	interval := float64(m.sampleInterval)
	var load metrics.Load
	var utilSum float64
	for i := range m.nodes {
		nd := &m.nodes[i]
		backlog := max(0, nd.busyUntil-now)
		done := nd.work - backlog
		util := min(1, max(0, float64(done-nd.doneAtSample)/interval))
		nd.doneAtSample = done
		if nd.up {
			utilSum += util
		}
		load.MaxUtilization = max(load.MaxUtilization, util)
		load.BusiestNodeMessages = max(load.BusiestNodeMessages, int64(nd.received))
		nd.received = 0
	}
	if m.live > 0 {
		load.MeanUtilization = utilSum / float64(m.live)
	}
	m.rec.Sample(now, load)
	m.eng.After(m.sampleInterval, evSample, 0, 0)
}
