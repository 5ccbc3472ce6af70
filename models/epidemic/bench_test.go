package epidemic

import (
	"context"
	"testing"
)

// BenchmarkEpidemicPush measures one complete push dissemination (sync
// rounds, fanout 1) on 10^5 nodes per iteration, and reports engine events
// per wall-clock second.
func BenchmarkEpidemicPush(b *testing.B) {
	c := DefaultConfig()
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
}
