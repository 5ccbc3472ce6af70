package experiments

import (
	"context"
	"fmt"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// BenchmarkSweepWorkers runs the same sweep of 16 equal runs (one point, 16
// replicates of a 300-node, 120 s quiet fleet, about 0.3 s each) with 1 and 2 workers; the ratio
// of the two times is the sweep's parallel speed-up. The times include writing
// the result files and figures, which is serial (about 0.4 s here).
func BenchmarkSweepWorkers(b *testing.B) {
	sc := DefaultScenario()
	sc.Fleet.Nodes = 300
	sc.Duration = 120 * sim.Second
	sc.Fleet.Corruption.Probability = 0
	sw := Sweep{Experiment: "custom", Seed: 1, Replicates: 16, Base: sc}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			for range b.N {
				dir := b.TempDir()
				if _, err := RunSweep(context.Background(), sw, dir, SweepOptions{Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*sw.Replicates)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
