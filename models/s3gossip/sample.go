package s3gossip

import "github.com/gossipsim/gossipsim/models/metrics"

// sample records one time-series row: rates from the recorder's counters,
// node load from the processors (mean utilisation over the nodes up, the
// highest utilisation and the busiest node's messages over every node) and,
// on a fleet of zones, each zone's wrong-view fraction (wrongByZone).
func (m *Model) sample() {
	now := m.eng.Now()
	var load metrics.Load
	var utilSum float64
	for i := range m.nodes {
		util, received := m.proc.Sample(i, now, m.sampleInterval)
		m.anat.Node(i, util)
		if m.nodes[i].up {
			utilSum += util
		}
		load.MaxUtilization = max(load.MaxUtilization, util)
		load.BusiestNodeMessages = max(load.BusiestNodeMessages, int64(received))
	}
	if m.live > 0 {
		load.MeanUtilization = utilSum / float64(m.live)
	}
	m.rec.SampleZones(now, load, m.wrongByZone())
	m.endAnatomySample()
	m.eng.After(m.sampleInterval, evSample, 0, 0)
}
