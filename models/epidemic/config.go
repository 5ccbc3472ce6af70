package epidemic

import (
	"fmt"
	"math"

	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/sim"
)

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

// Timing is how the nodes' rounds are placed in time.
type Timing uint8

// The timings.
const (
	// Sync: every node acts at the start of each round, and every message
	// sent in a round arrives before the next round starts.
	Sync Timing = iota
	// Async: every node has its own timer of period Round, started at a
	// uniformly random phase in [0, Round).
	Async
)

// timingNames are the --set names of the timings, indexed by Timing.
var timingNames = []string{"sync", "async"}

// String returns "sync" or "async", and "rounds(N)" for an undefined value.
func (t Timing) String() string {
	if int(t) < len(timingNames) {
		return timingNames[t]
	}
	return fmt.Sprintf("rounds(%d)", uint8(t))
}

// MaxNodes is the largest fleet the model accepts.
const MaxNodes = 1 << 24

// Config is the epidemic model's parameters. It implements protocol.Model
// (use a *Config); the zero value is not valid, start from New or
// DefaultConfig.
type Config struct {
	// Mode is push, pull or push-pull. Key "mode", default push.
	Mode Mode
	// Rounds is sync or async. Key "rounds", default sync.
	Rounds Timing
	// Fanout is the number of distinct random peers a node contacts per
	// round, in [1, nodes-1]. Key "fanout", default 1.
	Fanout int
	// Round is the round length (sync) or each node's timer period (async),
	// in simulated time. Key "round", default 1s.
	Round sim.Time
}

// DefaultConfig returns the defaults: push, sync rounds, fanout 1, 1 s rounds.
func DefaultConfig() Config {
	return Config{Mode: Push, Rounds: Sync, Fanout: 1, Round: sim.Second}
}

// New returns a model with the default parameters.
func New() *Config {
	c := DefaultConfig()
	return &c
}

var _ protocol.Model = (*Config)(nil)

// Name is the --model name, "epidemic".
func (c *Config) Name() string { return "epidemic" }

// Description is one line for help.
func (c *Config) Description() string {
	return "dissemination of one update by push, pull or push-pull gossip (Frieze & Grimmett 1985; Pittel 1987; Karp et al. 2000)"
}

// params are the parameters, one row each.
var params = []param.Param[Config]{
	param.Enum("mode", "how the update spreads: push, pull or push-pull", func(c *Config) *Mode { return &c.Mode }, modeNames, protocol.Directions),
	param.Enum("rounds", "sync (every node acts at each round start; latency must stay below round) or async (own timer per node, random phase)", func(c *Config) *Timing { return &c.Rounds }, timingNames, []Timing{Sync, Async}),
	param.Int("fanout", "distinct random peers each node contacts per round, integer in [1, nodes-1]", func(c *Config) *int { return &c.Fanout }, 1, math.MaxInt), // Validate checks it is below nodes
	param.Duration("round", "round length (sync) or timer period (async), a positive duration such as 1s or 200ms", func(c *Config) *sim.Time { return &c.Round }, false),
}

// Params lists the parameters bound to c.
func (c *Config) Params() []param.Value { return param.Bind(params, c) }

// Validate checks the parameters against each other and against cm: the
// fleet size, the horizon and, for sync rounds, the network latency, which
// must stay below the round length (see network.Latency.Bound).
func (c *Config) Validate(cm protocol.Common) error {
	if err := param.Check(params, c); err != nil {
		return err // each parameter within its own range
	}
	switch {
	case cm.Nodes < 2 || cm.Nodes > MaxNodes:
		return fmt.Errorf("nodes: %d is outside [2, %d]", cm.Nodes, MaxNodes)
	case c.Fanout < 1 || c.Fanout >= cm.Nodes:
		return fmt.Errorf("fanout: %d is outside [1, nodes-1 = %d]", c.Fanout, cm.Nodes-1)
	case cm.Duration <= 0:
		return fmt.Errorf("duration: %s must be positive", cm.Duration)
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
	if c.Rounds == Sync {
		if b := cm.Network.Latency.Bound(); b >= c.Round {
			return fmt.Errorf("latency: %s reaches %s (its maximum; for lognormal and exp its 1-in-10^9 quantile), not below round = %s; rounds=sync needs every message to arrive within its round: use a longer round, a shorter latency or rounds=async",
				cm.Network.Latency, b, c.Round)
		}
	}
	return nil
}

// FieldNames lists the summary fields Run returns, in order.
func (c *Config) FieldNames() []string {
	return []string{"rounds_to_full", "time_to_full_s", "messages_per_node", "informed_fraction"}
}

// Clone returns an independent copy with the same parameters.
func (c *Config) Clone() protocol.Model {
	d := *c
	return &d
}

// MemoryEstimate is the run's peak memory beyond the program, in bytes:
// about 100 B per node measured at 10^6 nodes (a version code, a timer slot, a phase), with headroom.
func (c *Config) MemoryEstimate(nodes int) int64 { return 120 * int64(nodes) }
