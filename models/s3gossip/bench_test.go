package s3gossip

import (
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// BenchmarkSimulatedSecond measures the cost of one simulated second of a
// quiet 1,000-node fleet in each gossip mode (every node gossips once).
func BenchmarkSimulatedSecond(b *testing.B) {
	for _, mode := range []Mode{ModeDigest, ModeFull} {
		b.Run("nodes=1000/mode="+mode.String(), func(b *testing.B) {
			c := DefaultConfig()
			c.Mode = mode
			c.Corruption.Probability = 0
			m, err := New(c, 1, sim.Second)
			if err != nil {
				b.Fatal(err)
			}
			m.Advance(30 * sim.Second) // past start-up, into steady state
			b.ReportAllocs()
			b.ResetTimer()
			start := m.Events()
			for i := range b.N {
				m.Advance(m.Now() + sim.Second)
				_ = i
			}
			b.StopTimer()
			ev := float64(m.Events() - start)
			b.ReportMetric(ev/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(b.Elapsed().Seconds()*1e9/ev, "ns/event")
		})
	}
}
