package s3gossip

import (
	"sync/atomic"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// BenchmarkSimulatedSecond measures the cost of one simulated second of a
// quiet 1,000-node fleet in each gossip mode (every node gossips once).
//
// The interruptible variants set an interrupt check that never fires (an
// atomic flag, what experiments.Run sets for cancellation and --timeout), to
// show that polling it costs nothing measurable.
func BenchmarkSimulatedSecond(b *testing.B) {
	for _, interruptible := range []bool{false, true} {
		for _, mode := range []Mode{ModeDigest, ModeFull} {
			name := "nodes=1000/mode=" + mode.String()
			if interruptible {
				name += "/interruptible"
			}
			b.Run(name, func(b *testing.B) { benchSimulatedSecond(b, mode, interruptible) })
		}
	}
}

func benchSimulatedSecond(b *testing.B, mode Mode, interruptible bool) {
	c := DefaultConfig()
	c.Mode = mode
	c.Corruption.Probability = 0
	m, err := New(c, 1, sim.Second)
	if err != nil {
		b.Fatal(err)
	}
	if interruptible {
		var stop atomic.Bool
		m.SetLimits(0, stop.Load)
	}
	m.Advance(30 * sim.Second) // past start-up, into steady state
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu := m.Events(), cpuTime()
	for i := range b.N {
		m.Advance(m.Now() + sim.Second)
		_ = i
	}
	cpu = cpuTime() - cpu
	b.StopTimer()
	ev := float64(m.Events() - start)
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/ev, "cpu-ns/event")
	}
	b.ReportMetric(ev/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e9/ev, "ns/event")
}
