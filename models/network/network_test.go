package network

import (
	"math"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

func TestParseLatency(t *testing.T) {
	tests := []struct {
		spec string
		want Latency
		bad  bool
	}{
		{spec: "2ms", want: Latency{Kind: LatencyConstant, A: 2 * sim.Millisecond}},
		{spec: "const:1ms", want: Latency{Kind: LatencyConstant, A: sim.Millisecond}},
		{spec: "uniform:500us:2ms", want: Latency{Kind: LatencyUniform, A: 500 * sim.Microsecond, B: 2 * sim.Millisecond}},
		{spec: "lognormal:1ms:0.5", want: Latency{Kind: LatencyLogNormal, A: sim.Millisecond, Sigma: 0.5}},
		{spec: "exp:3ms", want: Latency{Kind: LatencyExponential, A: 3 * sim.Millisecond}},
		{spec: "uniform:2ms:1ms", bad: true},
		{spec: "lognormal:1ms:-1", bad: true},
		{spec: "gamma:1ms", bad: true},
		{spec: "const:-1ms", bad: true},
		{spec: "", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := ParseLatency(tc.spec)
			if tc.bad {
				if err == nil {
					t.Fatalf("ParseLatency(%q) = %v, want an error", tc.spec, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseLatency(%q) = %+v, %v; want %+v", tc.spec, got, err, tc.want)
			}
			back, err := ParseLatency(got.String())
			if err != nil || back != got {
				t.Fatalf("round trip through %q gave %+v, %v", got.String(), back, err)
			}
		})
	}
}

// TestDrawMoments checks each distribution's sample mean against its
// expectation over 100,000 draws with a fixed seed. Tolerance 2%: the standard
// error is below 0.4% of the mean for every case here.
func TestDrawMoments(t *testing.T) {
	ms := float64(sim.Millisecond)
	tests := []struct {
		name string
		l    Latency
		mean float64
	}{
		{"const", Latency{Kind: LatencyConstant, A: sim.Millisecond}, ms},
		{"uniform", Latency{Kind: LatencyUniform, A: sim.Millisecond, B: 3 * sim.Millisecond}, 2 * ms},
		{"lognormal", Latency{Kind: LatencyLogNormal, A: sim.Millisecond, Sigma: 0.5}, ms * math.Exp(0.125)},
		{"exp", Latency{Kind: LatencyExponential, A: sim.Millisecond}, ms},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := sim.NewStream(1, "latency-test")
			const n = 100_000
			var sum float64
			for range n {
				d := tc.l.Draw(r)
				if d < 0 {
					t.Fatalf("negative latency %v", d)
				}
				sum += float64(d)
			}
			if got := sum / n; math.Abs(got-tc.mean) > 0.02*tc.mean {
				t.Fatalf("mean %.0f ns, want %.0f ns ± 2%%", got, tc.mean)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("default: %v", err)
	}
	c.Loss = 1
	if err := c.Validate(); err == nil || err.Error() != "loss: 1 is outside [0, 1)" {
		t.Fatalf("loss 1: %v", err)
	}
}
