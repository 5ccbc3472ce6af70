package heartbeat

import (
	"fmt"
	"math"

	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/sim"
)

// Config is the gossip-style failure detector of van Renesse, Minsky and
// Hayden as a protocol.Model. Its fields are the protocol's parameters; start
// from New (or DefaultConfig), whose values are the documented defaults. The
// zero Config is not valid.
type Config struct {
	// TGossip is the gossip period: every TGossip each member raises its own
	// heartbeat counter and sends its list. Parameter t-gossip, default 1s.
	TGossip sim.Time
	// TFail is how long a counter may stay unchanged before its member is
	// considered failed. Parameter t-fail, default 10s; must exceed TGossip.
	TFail sim.Time
	// TCleanup is how long after its counter last increased a member's entry
	// is removed from a list. Parameter t-cleanup, default 20s; at least TFail.
	TCleanup sim.Time
	// Fanout is the number of random members each member sends its list to
	// every TGossip. Parameter fanout, default 1; in [1, nodes-1].
	Fanout int
	// Crashes is the number of members that crash (and never recover).
	// Parameter crashes, default 1; in [0, nodes-1].
	Crashes int
	// CrashAt is when they crash; the members are drawn from the seed.
	// Parameter crash-at, default 30s.
	CrashAt sim.Time
}

// DefaultConfig returns the defaults: t-gossip 1s, t-fail 10s, t-cleanup 20s,
// fanout 1, crashes 1, crash-at 30s.
func DefaultConfig() Config {
	return Config{
		TGossip:  sim.Second,
		TFail:    10 * sim.Second,
		TCleanup: 20 * sim.Second,
		Fanout:   1,
		Crashes:  1,
		CrashAt:  30 * sim.Second,
	}
}

// New returns a Config with the defaults, ready to register as a model.
func New() *Config {
	c := DefaultConfig()
	return &c
}

// MaxNodes is the largest fleet Run accepts: every member keeps an entry for
// every other member, so memory grows as nodes².
const MaxNodes = 20000

// Field names, in the order Run returns them.
const (
	FieldDetectionTime    = "detection_time_s"
	FieldDetectionTimeMax = "detection_time_max_s"
	FieldFalseFailures    = "false_failures"
	FieldFalseFailureRate = "false_failure_rate"
	FieldMessages         = "messages_per_member_per_second"
)

// Name is "heartbeat".
func (c *Config) Name() string { return "heartbeat" }

// Description is one line for help.
func (c *Config) Description() string {
	return "gossip-style failure detection with heartbeat counters (van Renesse, Minsky, Hayden 1998)"
}

// params are the parameters, one row each.
var params = []param.Param[Config]{
	param.Duration("t-gossip", "gossip period: each member raises its heartbeat and sends its list every t-gossip (duration > 0)", func(c *Config) *sim.Time { return &c.TGossip }, false),
	param.Duration("t-fail", "a member whose counter has not increased for t-fail is considered failed (duration > t-gossip)", func(c *Config) *sim.Time { return &c.TFail }, false),
	param.Duration("t-cleanup", "a member's entry is removed t-cleanup after its counter last increased (duration >= t-fail)", func(c *Config) *sim.Time { return &c.TCleanup }, false),
	param.Int("fanout", "members each member sends its list to per gossip period (integer in [1, nodes-1])", func(c *Config) *int { return &c.Fanout }, 1, math.MaxInt),
	param.Int("crashes", "members that crash at crash-at and never recover, drawn from the seed (integer in [0, nodes-1])", func(c *Config) *int { return &c.Crashes }, 0, math.MaxInt),
	param.Duration("crash-at", "simulated time at which the members crash (duration >= 0)", func(c *Config) *sim.Time { return &c.CrashAt }, true),
}

// Params lists the parameters bound to c.
func (c *Config) Params() []param.Value { return param.Bind(params, c) }

// Validate checks the parameters against each other and the fleet: t-fail
// must exceed t-gossip (a member could not even hear one heartbeat per
// period otherwise), t-cleanup must be at least t-fail, fanout must be in
// [1, nodes-1] and crashes in [0, nodes-1]. It also checks the shared
// network, corruption and checksum settings.
func (c *Config) Validate(cm protocol.Common) error {
	if err := param.Check(params, c); err != nil {
		return err // each parameter within its own range
	}
	switch {
	case cm.Nodes < 2 || cm.Nodes > MaxNodes:
		return fmt.Errorf("nodes: %d is outside [2, %d] for model heartbeat (memory grows as nodes²)", cm.Nodes, MaxNodes)
	case cm.Duration <= 0:
		return fmt.Errorf("duration: %s must be positive", cm.Duration)
	case c.TFail <= c.TGossip:
		return fmt.Errorf("t-fail: %s must be longer than t-gossip = %s", c.TFail, c.TGossip)
	case c.TCleanup < c.TFail:
		return fmt.Errorf("t-cleanup: %s must be at least t-fail = %s", c.TCleanup, c.TFail)
	case c.Fanout < 1 || c.Fanout >= cm.Nodes:
		return fmt.Errorf("fanout: %d is outside [1, nodes-1 = %d]", c.Fanout, cm.Nodes-1)
	case c.Crashes < 0 || c.Crashes >= cm.Nodes:
		return fmt.Errorf("crashes: %d is outside [0, nodes-1 = %d]", c.Crashes, cm.Nodes-1)
	case !cm.Checksum.Valid():
		return fmt.Errorf("checksum: %d is unknown", cm.Checksum)
	}
	if err := cm.Corruption.Validate(); err != nil {
		return err
	}
	return cm.Network.Validate()
}

// FieldNames lists the summary fields Run returns, in order.
func (c *Config) FieldNames() []string {
	return []string{FieldDetectionTime, FieldDetectionTimeMax, FieldFalseFailures, FieldFalseFailureRate, FieldMessages}
}

// Clone returns an independent copy with the same parameters.
func (c *Config) Clone() protocol.Model {
	d := *c
	return &d
}

var _ protocol.Model = (*Config)(nil)

// MemoryEstimate is the run's peak memory beyond the program, in bytes:
// a view entry per peer (about 24 B per pair measured at 4,000 nodes).
func (c *Config) MemoryEstimate(nodes int) int64 { return 30 * int64(nodes) * int64(nodes) }
