package epidemic

import (
	"context"
	"testing"
)

// BenchmarkEpidemicPush measures one complete push dissemination (fanout 1)
// on 10^5 nodes per iteration, with sync rounds and with async timers, and
// reports engine events per wall-clock second.
func BenchmarkEpidemicPush(b *testing.B) {
	for _, timing := range []Timing{Sync, Async} {
		b.Run("nodes=100000/rounds="+timing.String(), func(b *testing.B) {
			c := DefaultConfig()
			c.Rounds = timing
			cm := testCommon(100_000)
			b.ReportAllocs()
			var events uint64
			for i := 0; b.Loop(); i++ {
				res, err := c.Run(context.Background(), cm, uint64(i+1))
				if err != nil {
					b.Fatal(err)
				}
				events += res.Events
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(events), "ns/event")
		})
	}
}
