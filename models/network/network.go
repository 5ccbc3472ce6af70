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
	// Classes overrides Latency and Loss per link class (same rack, same
	// zone, cross zone) when the fleet has a topology (package topology).
	// An override not set falls back to Latency or Loss, so the zero value
	// changes nothing.
	Classes [NumClasses]ClassOverride
}

// ClassOverride is the latency and loss of one link class, each used only
// when set.
type ClassOverride struct {
	// Latency replaces Config.Latency for the class when HasLatency.
	Latency    Latency
	HasLatency bool
	// Loss replaces Config.Loss for the class when HasLoss, in [0, 1).
	Loss    float64
	HasLoss bool
}

// For returns the latency and loss of a message between a pair of nodes of
// link class k: the class's overrides where set, the fleet's otherwise.
func (c Config) For(k Class) (Latency, float64) {
	lat, loss := c.Latency, c.Loss
	if o := &c.Classes[k]; o.HasLatency || o.HasLoss {
		if o.HasLatency {
			lat = o.Latency
		}
		if o.HasLoss {
			loss = o.Loss
		}
	}
	return lat, loss
}

// HasClasses reports whether any class override is set.
func (c Config) HasClasses() bool {
	for _, o := range c.Classes {
		if o.HasLatency || o.HasLoss {
			return true
		}
	}
	return false
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
	for k, o := range c.Classes {
		name := Class(k).String()
		if o.HasLoss && !(o.Loss >= 0 && o.Loss < 1) {
			return fmt.Errorf("loss-%s: %g is outside [0, 1)", name, o.Loss)
		}
		if o.HasLatency {
			if err := (Config{Latency: o.Latency}).Validate(); err != nil {
				return fmt.Errorf("latency-%s%s", name, strings.TrimPrefix(err.Error(), "latency"))
			}
		}
	}
	return nil
}

// WithCenter returns l moved so that its location is center: the constant
// of const, the median of lognormal, the mean of exp, and for uniform the
// mean, keeping the width (clamped at zero). A latency matrix
// (package topology) gives a pair's center this way and keeps the
// distribution's shape.
func (l Latency) WithCenter(center sim.Time) Latency {
	if l.Kind == LatencyUniform {
		half := (l.B - l.A) / 2
		l.A, l.B = max(0, center-half), center+half
		return l
	}
	l.A = center
	return l
}
