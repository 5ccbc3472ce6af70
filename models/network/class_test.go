package network

import (
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

func TestClassOverrides(t *testing.T) {
	c := DefaultConfig()
	c.Loss = 0.01
	if c.HasClasses() {
		t.Fatal("the default config has class overrides")
	}
	c.Classes[CrossZone] = ClassOverride{Latency: Latency{A: 20 * sim.Millisecond}, HasLatency: true}
	c.Classes[SameZone] = ClassOverride{Loss: 0.2, HasLoss: true}
	for _, tc := range []struct {
		k    Class
		lat  Latency
		loss float64
	}{{SameRack, c.Latency, 0.01}, {SameZone, c.Latency, 0.2}, {CrossZone, Latency{A: 20 * sim.Millisecond}, 0.01}} {
		lat, loss := c.For(tc.k)
		if lat != tc.lat || loss != tc.loss {
			t.Errorf("%s: %v %g, want %v %g", tc.k, lat, loss, tc.lat, tc.loss)
		}
	}
	c.Classes[SameRack] = ClassOverride{Loss: 1, HasLoss: true}
	if err := c.Validate(); err == nil || err.Error() != "loss-same-rack: 1 is outside [0, 1)" {
		t.Errorf("loss 1: %v", err)
	}
	c.Classes[SameRack] = ClassOverride{Latency: Latency{A: 2 * sim.Minute}, HasLatency: true}
	if err := c.Validate(); err == nil || !strings.HasPrefix(err.Error(), "latency-same-rack: const:2m0s exceeds") {
		t.Errorf("latency of 2 minutes: %v", err)
	}
	if k, err := ParseClass("cross-zone"); err != nil || k != CrossZone {
		t.Errorf("ParseClass: %v %v", k, err)
	}
}

func TestWithCenter(t *testing.T) {
	for _, tc := range []struct{ in, want Latency }{
		{Latency{Kind: LatencyConstant, A: sim.Millisecond}, Latency{Kind: LatencyConstant, A: 5 * sim.Millisecond}},
		{Latency{Kind: LatencyLogNormal, A: sim.Millisecond, Sigma: 0.5}, Latency{Kind: LatencyLogNormal, A: 5 * sim.Millisecond, Sigma: 0.5}},
		{Latency{Kind: LatencyExponential, A: sim.Millisecond}, Latency{Kind: LatencyExponential, A: 5 * sim.Millisecond}},
		{Latency{Kind: LatencyUniform, A: 0, B: 2 * sim.Millisecond}, Latency{Kind: LatencyUniform, A: 4 * sim.Millisecond, B: 6 * sim.Millisecond}},
	} {
		if got := tc.in.WithCenter(5 * sim.Millisecond); got != tc.want {
			t.Errorf("%v centred on 5ms: %v, want %v", tc.in, got, tc.want)
		}
	}
}
