package s3gossip

import "github.com/gossipsim/gossipsim/models/metrics"

// The anatomy of a storm (metrics.Anatomy) is recorded at every sample:
// sample hands each node's utilization to the recorder as the processors
// report it, and ends the sample with the recorder's declaration counters
// (FailureDeclarations and FalseFailures, which declareFailed counts), so
// the per-sample true and false declarations are the counters' growth. It
// draws no random numbers and changes no other measurement: a byte a node
// per sample, bounded by metrics.MaxUtilizationColumns.

// Anatomy returns the run's anatomy so far: per-node utilization over time,
// first saturations, and true and false failure declarations per sample.
func (m *Model) Anatomy() *metrics.Anatomy { return m.anat.Anatomy() }

// endAnatomySample ends the anatomy's sample at now.
func (m *Model) endAnatomySample() {
	m.anat.EndSample(m.eng.Now().Seconds(), m.rec.FailureDeclarations, m.rec.FalseFailures)
}
