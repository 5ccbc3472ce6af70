// Package network models the path a gossip message takes between two nodes:
// a latency drawn from a distribution and an independent chance of loss. The
// corruption step (package corrupt) sits on the same path; the model applies it
// to the encoded bytes after this package decides the message is delivered.
//
// Latency specs are written the way users type them on the command line:
//
//	const:1ms             every message takes exactly 1 ms
//	uniform:0.5ms:2ms     uniform between 0.5 ms and 2 ms
//	lognormal:1ms:0.5     log-normal with median 1 ms and shape sigma 0.5
//	exp:1ms               exponential with mean 1 ms
package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/gossipsim/gossipsim/sim"
)

// LatencyKind names a latency distribution.
type LatencyKind uint8

// The latency distributions.
const (
	// LatencyConstant: every message takes A.
	LatencyConstant LatencyKind = iota
	// LatencyUniform: uniform in [A, B].
	LatencyUniform
	// LatencyLogNormal: log-normal with median A and shape Sigma.
	LatencyLogNormal
	// LatencyExponential: exponential with mean A.
	LatencyExponential
)

// Latency is a latency distribution. Its zero value is a constant zero latency.
type Latency struct {
	// Kind selects the distribution.
	Kind LatencyKind
	// A is the constant value, the uniform minimum, the log-normal median or the exponential mean, in simulated time.
	A sim.Time
	// B is the uniform maximum, in simulated time; unused by the other kinds.
	B sim.Time
	// Sigma is the log-normal shape parameter (standard deviation of the log), dimensionless.
	Sigma float64
}

// maxLatency caps a single draw (heavy log-normal tails) at one simulated minute.
const maxLatency = sim.Minute

// Draw returns one latency, using only r.
func (l Latency) Draw(r *rand.Rand) sim.Time {
	switch l.Kind {
	case LatencyUniform:
		if l.B <= l.A {
			return l.A
		}
		return l.A + sim.Time(r.Int64N(int64(l.B-l.A)+1))
	case LatencyLogNormal:
		d := sim.Time(float64(l.A) * math.Exp(l.Sigma*r.NormFloat64()))
		return min(d, maxLatency)
	case LatencyExponential:
		d := sim.Time(float64(l.A) * r.ExpFloat64())
		return min(d, maxLatency)
	default:
		return l.A
	}
}

// Bound is the latency a draw never (const, uniform) or almost never
// (lognormal, exponential: probability about 1e-9 or less) reaches:
//
//	const        A
//	uniform      max(A, B)
//	lognormal    A·exp(6σ)   P(draw ≥ bound) = P(Z ≥ 6) ≈ 1e-9
//	exp          21·A        P(draw ≥ bound) = e^-21 ≈ 8e-10
//
// all capped at the one-minute limit of a single draw. Protocols with
// synchronous rounds require it below their round and cap the rare draws
// beyond it.
func (l Latency) Bound() sim.Time {
	switch l.Kind {
	case LatencyUniform:
		return max(l.A, l.B)
	case LatencyLogNormal:
		return sim.Time(min(float64(l.A)*math.Exp(6*l.Sigma), float64(maxLatency)))
	case LatencyExponential:
		return sim.Time(min(21*float64(l.A), float64(maxLatency)))
	default:
		return l.A
	}
}

// String formats l in the spec syntax ParseLatency reads.
func (l Latency) String() string {
	switch l.Kind {
	case LatencyUniform:
		return "uniform:" + l.A.String() + ":" + l.B.String()
	case LatencyLogNormal:
		return "lognormal:" + l.A.String() + ":" + strconv.FormatFloat(l.Sigma, 'g', -1, 64)
	case LatencyExponential:
		return "exp:" + l.A.String()
	default:
		return "const:" + l.A.String()
	}
}

// latencyForms lists the accepted spec forms, for error messages.
const latencyForms = "const:D, uniform:MIN:MAX, lognormal:MEDIAN:SIGMA or exp:MEAN (durations like 1ms)"

// ParseLatency reads a latency spec such as "uniform:0.5ms:2ms". A bare
// duration ("2ms") means const.
func ParseLatency(s string) (Latency, error) {
	bad := func(why string) (Latency, error) {
		return Latency{}, fmt.Errorf("latency: %q %s; use %s", s, why, latencyForms)
	}
	parts := strings.Split(s, ":")
	dur := func(p string) (sim.Time, bool) {
		d, err := time.ParseDuration(p)
		if err != nil || d < 0 {
			return 0, false
		}
		return sim.FromDuration(d), true
	}
	if len(parts) == 1 {
		if d, ok := dur(parts[0]); ok {
			return Latency{Kind: LatencyConstant, A: d}, nil
		}
		return bad("is not a spec")
	}
	switch parts[0] {
	case "const", "constant":
		if len(parts) != 2 {
			return bad("needs one duration")
		}
		if d, ok := dur(parts[1]); ok {
			return Latency{Kind: LatencyConstant, A: d}, nil
		}
		return bad("has a bad duration")
	case "uniform":
		if len(parts) != 3 {
			return bad("needs two durations")
		}
		a, okA := dur(parts[1])
		b, okB := dur(parts[2])
		if !okA || !okB {
			return bad("has a bad duration")
		}
		if b < a {
			return bad("has its maximum below its minimum")
		}
		return Latency{Kind: LatencyUniform, A: a, B: b}, nil
	case "lognormal":
		if len(parts) != 3 {
			return bad("needs a median and a sigma")
		}
		a, ok := dur(parts[1])
		sigma, err := strconv.ParseFloat(parts[2], 64)
		if !ok || err != nil || sigma < 0 || sigma > 5 || math.IsNaN(sigma) {
			return bad("needs a duration median and a sigma in [0, 5]")
		}
		return Latency{Kind: LatencyLogNormal, A: a, Sigma: sigma}, nil
	case "exp", "exponential":
		if len(parts) != 2 {
			return bad("needs one duration")
		}
		if d, ok := dur(parts[1]); ok {
			return Latency{Kind: LatencyExponential, A: d}, nil
		}
		return bad("has a bad duration")
	}
	return bad("names an unknown distribution")
}

// Config is the network between nodes.
type Config struct {
	// Latency is the one-way delay of a message.
	Latency Latency
	// Loss is the probability that a message is lost in transit, in [0, 1).
	Loss float64
}

// DefaultConfig is a datacenter LAN: log-normal latency with median 0.5 ms
// and sigma 0.5, no loss.
func DefaultConfig() Config {
	return Config{Latency: Latency{Kind: LatencyLogNormal, A: 500 * sim.Microsecond, Sigma: 0.5}}
}

// Validate reports the first bad field, naming it as the CLI flag does.
func (c Config) Validate() error {
	if !(c.Loss >= 0 && c.Loss < 1) {
		return fmt.Errorf("loss: %g is outside [0, 1)", c.Loss)
	}
	if c.Latency.A < 0 || c.Latency.B < 0 {
		return fmt.Errorf("latency: %s has a negative duration", c.Latency)
	}
	if c.Latency.A > maxLatency || c.Latency.B > maxLatency {
		return fmt.Errorf("latency: %s exceeds the %s limit", c.Latency, maxLatency)
	}
	if !(c.Latency.Sigma >= 0 && c.Latency.Sigma <= 5) {
		return fmt.Errorf("latency: sigma %g is outside [0, 5]", c.Latency.Sigma)
	}
	return nil
}
