package swim

import (
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// benchmarkPeriod measures one protocol period of an n-member fleet in steady
// state: it builds the run, simulates warm periods, then b.N more periods
// (b.N × n probes, gossip ticks and their messages).
func benchmarkPeriod(b *testing.B, n int, edit func(*Config)) {
	c := DefaultConfig()
	c.Crashes = 0
	if edit != nil {
		edit(&c)
	}
	cm := common(n, sim.Hour)
	cm.SampleInterval = 0
	r := newRun(c, cm, 1)
	const warm = 3
	r.eng.RunUntil(warm * c.ProbeInterval)
	b.ReportAllocs()
	b.ResetTimer()
	for k := range b.N {
		r.eng.RunUntil(sim.Time(warm+k+1) * c.ProbeInterval)
	}
	b.ReportMetric(float64(r.rec.MessagesSent)/float64(warm+b.N)/float64(n), "msgs/member/period")
}

// BenchmarkSWIMPeriod is one protocol period of 10,000 members, defaults
// (round-robin, aligned, no Lifeguard), no crash.
func BenchmarkSWIMPeriod(b *testing.B) { benchmarkPeriod(b, 10000, nil) }

// BenchmarkSWIMPeriodRandomLifeguard is the same with random probe targets,
// staggered periods and Lifeguard.
func BenchmarkSWIMPeriodRandomLifeguard(b *testing.B) {
	benchmarkPeriod(b, 10000, func(c *Config) {
		c.ProbeOrder, c.ProbePhase, c.Lifeguard = Random, Staggered, true
	})
}

// BenchmarkSWIMNew builds a 10,000-member run (the model's set-up cost).
func BenchmarkSWIMNew(b *testing.B) {
	cm := common(10000, sim.Minute)
	c := DefaultConfig()
	b.ReportAllocs()
	for range b.N {
		newRun(c, cm, 1)
	}
}
