package rumor

import (
	"fmt"
	"math"
	"strconv"

	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/sim"
)

// Variant is how an infective site loses interest in the rumor: after
// feedback (only contacts where the recipient already knew count) or blind
// (every contact counts), by a counter or by a coin.
type Variant uint8

// The variants of Demers et al. (1987), section 1.4.
const (
	// FeedbackCounter: a site loses interest after K unnecessary contacts.
	FeedbackCounter Variant = iota
	// FeedbackCoin: after each unnecessary contact a site loses interest with
	// probability 1/K.
	FeedbackCoin
	// BlindCounter: a site loses interest after K contacts, whatever the
	// recipient knew.
	BlindCounter
	// BlindCoin: after every contact a site loses interest with probability 1/K.
	BlindCoin
)

// variantNames are the --set names of the variants, indexed by Variant.
var variantNames = []string{"feedback-counter", "feedback-coin", "blind-counter", "blind-coin"}

// String returns the variant's --set name, and "variant(N)" for an undefined value.
func (v Variant) String() string {
	if int(v) < len(variantNames) {
		return variantNames[v]
	}
	return fmt.Sprintf("variant(%d)", uint8(v))
}

// Feedback reports whether only unnecessary contacts count (the sender
// learns whether the recipient already knew the rumor).
func (v Variant) Feedback() bool { return v == FeedbackCounter || v == FeedbackCoin }

// Coin reports whether interest is lost by a coin toss rather than a counter.
func (v Variant) Coin() bool { return v == FeedbackCoin || v == BlindCoin }

// Mode is how the nodes exchange the update: push, pull or push-pull (shared
// with the other models through protocol.Direction).
type Mode = protocol.Direction

// The modes.
const (
	Push     = protocol.Push
	Pull     = protocol.Pull
	PushPull = protocol.PushPull
)

// modeNames are the --set names of the modes, indexed by Mode.
var modeNames = protocol.DirectionNames

// AntiEntropy is the backup that reaches the residue once the rumor has died.
type AntiEntropy uint8

// The anti-entropy settings.
const (
	// AntiEntropyNone: the run ends when the rumor dies.
	AntiEntropyNone AntiEntropy = iota
	// AntiEntropyPushPull: after the rumor dies, every site does one
	// push-pull exchange with a random site every AntiEntropyEvery cycles,
	// until every site has the update.
	AntiEntropyPushPull
)

// antiEntropyNames are the --set names, indexed by AntiEntropy.
var antiEntropyNames = []string{"none", "push-pull"}

// String returns "none" or "push-pull", and "anti-entropy(N)" for an undefined value.
func (a AntiEntropy) String() string {
	if int(a) < len(antiEntropyNames) {
		return antiEntropyNames[a]
	}
	return fmt.Sprintf("anti-entropy(%d)", uint8(a))
}

// MaxNodes is the largest fleet the model accepts.
const MaxNodes = 1 << 24

// MaxK is the largest loss-of-interest parameter k (and anti-entropy
// period) accepted.
const MaxK = 1 << 20

// Config is the rumor-mongering model's parameters. It implements
// protocol.Model (use a *Config); the zero value is not valid, start from
// New or DefaultConfig.
type Config struct {
	// Variant is how interest is lost. Key "variant", default feedback-counter.
	Variant Variant
	// K is the loss-of-interest parameter: the counter limit, or 1/K the
	// coin's probability; in [1, MaxK]. Key "k", default 1.
	K int
	// Mode is push, pull or push-pull. Key "mode", default push.
	Mode Mode
	// AntiEntropy is the backup after the rumor dies. Key "anti-entropy",
	// default none.
	AntiEntropy AntiEntropy
	// AntiEntropyEvery is the number of cycles between a site's anti-entropy
	// exchanges, in [1, MaxK]. Key "anti-entropy-every", default 1.
	AntiEntropyEvery int
	// Cycle is the length of a synchronous cycle, in simulated time. Key
	// "cycle", default 1s.
	Cycle sim.Time
}

// DefaultConfig returns the defaults: feedback-counter, k = 1, push, no
// anti-entropy (every 1 cycle when enabled), 1 s cycles.
func DefaultConfig() Config {
	return Config{Variant: FeedbackCounter, K: 1, Mode: Push, AntiEntropy: AntiEntropyNone, AntiEntropyEvery: 1, Cycle: sim.Second}
}

// New returns a model with the default parameters.
func New() *Config {
	c := DefaultConfig()
	return &c
}

var _ protocol.Model = (*Config)(nil)

// Name is the --model name, "rumor".
func (c *Config) Name() string { return "rumor" }

// Description is one line for help.
func (c *Config) Description() string {
	return "rumor mongering with loss of interest, feedback/blind and counter/coin (Demers et al., PODC 1987)"
}

// params are the parameters, one row each.
var params = []param.Param[Config]{
	param.Enum("variant", "how an infective site loses interest: feedback-counter, feedback-coin, blind-counter or blind-coin", func(c *Config) *Variant { return &c.Variant }, variantNames, []Variant{FeedbackCounter, FeedbackCoin, BlindCounter, BlindCoin}),
	param.Int("k", "loss-of-interest parameter: counter limit, or coin probability 1/k; integer in [1, "+strconv.Itoa(MaxK)+"]", func(c *Config) *int { return &c.K }, 1, MaxK),
	param.Enum("mode", "direction of the rumor on a contact: push, pull or push-pull", func(c *Config) *Mode { return &c.Mode }, modeNames, protocol.Directions),
	param.Enum("anti-entropy", "backup after the rumor dies: none or push-pull (every site exchanges with a random site until all know)", func(c *Config) *AntiEntropy { return &c.AntiEntropy }, antiEntropyNames, []AntiEntropy{AntiEntropyNone, AntiEntropyPushPull}),
	param.Int("anti-entropy-every", "cycles between a site's anti-entropy exchanges, integer in [1, "+strconv.Itoa(MaxK)+"]", func(c *Config) *int { return &c.AntiEntropyEvery }, 1, MaxK),
	param.Duration("cycle", "length of a synchronous cycle, a positive duration such as 1s; latency must stay below cycle/2", func(c *Config) *sim.Time { return &c.Cycle }, false),
}

// Params lists the parameters bound to c.
func (c *Config) Params() []param.Value { return param.Bind(params, c) }

// Validate checks the parameters and cm: the fleet size, the horizon, and
// the latency, which must stay below half a cycle so that a contact and its
// answer (a pull's reply, a push's feedback) both complete within the cycle.
func (c *Config) Validate(cm protocol.Common) error {
	if err := param.Check(params, c); err != nil {
		return err // each parameter within its own range
	}
	switch {
	case cm.Nodes < 2 || cm.Nodes > MaxNodes:
		return fmt.Errorf("nodes: %d is outside [2, %d]", cm.Nodes, MaxNodes)
	case cm.Duration <= 0:
		return fmt.Errorf("duration: %s must be positive", cm.Duration)
	case cm.Duration/c.Cycle >= math.MaxInt32:
		return fmt.Errorf("duration: %s is 2^31 or more cycles of %s; use a longer cycle or a shorter duration", cm.Duration, c.Cycle)
	case cm.SampleInterval < 0:
		return fmt.Errorf("sample-interval: %s is negative (0 records no time series)", cm.SampleInterval)
	case !cm.Checksum.Valid():
		return fmt.Errorf("checksum: %v is not a defined checksum kind", cm.Checksum)
	}
	if err := cm.Network.Validate(); err != nil {
		return err
	}
	if err := cm.Corruption.Validate(); err != nil {
		return err
	}
	if b := cm.Network.Latency.Bound(); 2*b >= c.Cycle {
		return fmt.Errorf("latency: %s reaches %s (its maximum; for lognormal and exp its 1-in-10^9 quantile), not below cycle/2 = %s; synchronous cycles need a contact and its answer to arrive within the cycle: use a longer cycle or a shorter latency",
			cm.Network.Latency, b, c.Cycle/2)
	}
	return nil
}

// FieldNames lists the summary fields Run returns, in order.
func (c *Config) FieldNames() []string {
	return []string{"residue", "traffic", "t_ave", "t_last", "cycles"}
}

// Clone returns an independent copy with the same parameters.
func (c *Config) Clone() protocol.Model {
	d := *c
	return &d
}

// PredictedResidue returns the residue s of the deterministic (mean-field)
// analysis of push rumor mongering with feedback in Demers et al. (1987),
// the root in (0, 1) of
//
//	s = exp(-(k+1)(1-s)),
//
// found by bisection. It assumes interest is lost with probability 1/k per
// unnecessary contact (feedback-coin) in continuous time on an infinite
// population; s = 1 is the other, trivial root. It returns NaN for k < 1.
func PredictedResidue(k int) float64 {
	if k < 1 {
		return math.NaN()
	}
	a := float64(k + 1)
	f := func(s float64) float64 { return s - math.Exp(-a*(1-s)) }
	// f(0) < 0; f is concave with its maximum at 1 - ln(a)/a, where it is
	// 1 - (1+ln a)/a > 0 for a > 1; the root we want lies between.
	lo, hi := 0.0, 1-math.Log(a)/a
	for range 200 {
		mid := (lo + hi) / 2
		if f(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-15 {
			break
		}
	}
	return (lo + hi) / 2
}

// MemoryEstimate is the run's peak memory beyond the program, in bytes:
// about 420 B per node measured at 10^6 nodes.
func (c *Config) MemoryEstimate(nodes int) int64 { return 450 * int64(nodes) }
