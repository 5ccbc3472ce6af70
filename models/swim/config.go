package swim

import (
	"fmt"
	"math"

	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/sim"
)

// Order is how a member chooses whom to probe each protocol period.
type Order uint8

const (
	// RoundRobin walks a random order of the other members and draws a new
	// one after each pass, so every member is probed by everyone once per
	// pass (SWIM's time-bounded completeness; memberlist does this with a
	// shuffled list, the model with a keyed permutation: see the package
	// documentation).
	RoundRobin Order = iota
	// Random picks a uniformly random member every period (the basic SWIM
	// protocol analysed by Das, Gupta and Motivala).
	Random
)

// orderNames are the parameter values of the orders, indexed by Order.
var orderNames = []string{"round-robin", "random"}

// String is the parameter value: "round-robin" or "random".
func (o Order) String() string {
	if o == Random {
		return "random"
	}
	return "round-robin"
}

// Phase is how the members' protocol periods line up.
type Phase uint8

const (
	// Aligned starts every member's protocol periods at the same instants,
	// multiples of the probe interval (until awareness stretches a period):
	// the global periods of the SWIM paper's analysis. A crash at a period
	// boundary then reproduces its expected detection time.
	Aligned Phase = iota
	// Staggered starts each member's first period at a random offset in
	// [0, probe interval), as memberlist's tickers do.
	Staggered
)

// phaseNames are the parameter values of the phases, indexed by Phase.
var phaseNames = []string{"aligned", "staggered"}

// String is the parameter value: "aligned" or "staggered".
func (p Phase) String() string {
	if p == Staggered {
		return "staggered"
	}
	return "aligned"
}

// Fixed constants of the model, from hashicorp/memberlist.
const (
	// SuspicionMaxTimeoutMult is Lifeguard's ratio of the longest to the
	// shortest suspicion timeout (memberlist's SuspicionMaxTimeoutMult, 6).
	SuspicionMaxTimeoutMult = 6
	// AwarenessMax is Lifeguard's largest probe-interval multiplier: the
	// awareness score runs from 0 to AwarenessMax-1 and scales the probe
	// interval and timeout by score+1 (memberlist's AwarenessMaxMultiplier, 8).
	AwarenessMax = 8
	// GossipToTheDead is how long a member keeps gossiping to a member it
	// believes dead, so that a member wrongly declared dead learns it and
	// refutes (memberlist's GossipToTheDeadTime, 30 s).
	GossipToTheDead = 30 * sim.Second
	// PacketSize bounds every message, piggybacked updates included
	// (memberlist's UDPBufferSize, 1400 bytes).
	PacketSize = 1400
)

// Config is SWIM with optional Lifeguard extensions as a protocol.Model. Its
// fields are the protocol's parameters; start from New (or DefaultConfig),
// whose values mirror hashicorp/memberlist's DefaultLANConfig. The zero
// Config is not valid.
type Config struct {
	// ProbeInterval is the protocol period. Parameter probe-interval,
	// default 1s (memberlist LAN).
	ProbeInterval sim.Time
	// ProbeTimeout is how long a prober waits for a direct ack before asking
	// for indirect probes; less than ProbeInterval. Parameter probe-timeout,
	// default 500ms (memberlist LAN).
	ProbeTimeout sim.Time
	// IndirectChecks is the number of members asked to probe a target that
	// missed its direct ack. Parameter indirect-checks, default 3.
	IndirectChecks int
	// SuspicionMult sets the suspicion timeout, SuspicionMult ×
	// max(1, log10 n) × ProbeInterval. Parameter suspicion-mult, default 4.
	SuspicionMult int
	// RetransmitMult sets how many times each update is sent,
	// RetransmitMult × ceil(log10(n+1)). Parameter retransmit-mult, default 4.
	RetransmitMult int
	// GossipInterval is the period of the extra gossip messages. Parameter
	// gossip-interval, default 200ms (memberlist LAN).
	GossipInterval sim.Time
	// GossipNodes is the number of random members each gossip goes to.
	// Parameter gossip-nodes, default 3.
	GossipNodes int
	// Lifeguard turns on local health awareness, dynamic suspicion timeouts
	// and the buddy system. Parameter lifeguard, default false.
	Lifeguard bool
	// ProbeOrder is round-robin (default, like memberlist) or random.
	// Parameter probe-order.
	ProbeOrder Order
	// ProbePhase is aligned (default) or staggered. Parameter probe-phase.
	ProbePhase Phase
	// Crashes is the number of members that crash and never recover.
	// Parameter crashes, default 1; in [0, nodes-1].
	Crashes int
	// CrashAt is when they crash; the members are drawn from the seed.
	// Parameter crash-at, default 10s.
	CrashAt sim.Time
}

// DefaultConfig returns the defaults, memberlist's DefaultLANConfig where it
// has the parameter: probe interval 1s, probe timeout 500ms, indirect checks
// 3, suspicion multiplier 4, retransmit multiplier 4, gossip interval 200ms,
// gossip nodes 3; then Lifeguard off, round-robin probing, aligned periods,
// one crash at 10s.
func DefaultConfig() Config {
	return Config{
		ProbeInterval:  sim.Second,
		ProbeTimeout:   500 * sim.Millisecond,
		IndirectChecks: 3,
		SuspicionMult:  4,
		RetransmitMult: 4,
		GossipInterval: 200 * sim.Millisecond,
		GossipNodes:    3,
		ProbeOrder:     RoundRobin,
		ProbePhase:     Aligned,
		Crashes:        1,
		CrashAt:        10 * sim.Second,
	}
}

// New returns a Config with the defaults, ready to register as a model.
func New() *Config {
	c := DefaultConfig()
	return &c
}

// MaxNodes is the largest fleet Run accepts. Views are sparse (only the
// views that differ from what all live members agree on are stored), so
// memory grows with nodes, not nodes²: about BytesPerNode per member (4 GB at
// MaxNodes), plus about 16 bytes per differing view while updates spread.
const MaxNodes = 5_000_000

// BytesPerNode is the heap of one member in a run without updates in flight:
// its state (256 bytes), its baseline view, its share of the event queue and
// its messages in flight (TestMemoryPerMember checks it).
const BytesPerNode = 800

// Field names, in the order Run returns them.
const (
	FieldFirstDetection = "first_detection_periods"
	FieldFullDetection  = "full_detection_s"
	FieldFalsePositives = "false_positives"
	FieldMessages       = "messages_per_member_per_period"
)

// Name is "swim".
func (c *Config) Name() string { return "swim" }

// Description is one line for help.
func (c *Config) Description() string {
	return "SWIM failure detection and dissemination (Das, Gupta, Motivala 2002), optional Lifeguard (Dadgar et al. 2018)"
}

// params are the parameters, one row each.
var params = []param.Param[Config]{
	param.Duration("probe-interval", "protocol period: each member probes one member per period (duration > 0; memberlist LAN default)", func(c *Config) *sim.Time { return &c.ProbeInterval }, false),
	param.Duration("probe-timeout", "wait for a direct ack before indirect probes (duration, less than probe-interval; memberlist LAN default)", func(c *Config) *sim.Time { return &c.ProbeTimeout }, false),
	param.Int("indirect-checks", "members asked to ping-req a target that missed its ack (integer >= 0; memberlist LAN default)", func(c *Config) *int { return &c.IndirectChecks }, 0, math.MaxInt),
	param.Int("suspicion-mult", "suspicion timeout = suspicion-mult × max(1, log10 n) × probe-interval (integer >= 1; memberlist LAN default)", func(c *Config) *int { return &c.SuspicionMult }, 1, math.MaxInt),
	param.Int("retransmit-mult", "each update is piggybacked up to retransmit-mult × ceil(log10(n+1)) times (integer >= 1; memberlist LAN default)", func(c *Config) *int { return &c.RetransmitMult }, 1, math.MaxInt),
	param.Duration("gossip-interval", "period of the extra gossip messages that carry updates (duration > 0; memberlist LAN default)", func(c *Config) *sim.Time { return &c.GossipInterval }, false),
	param.Int("gossip-nodes", "random members each gossip message goes to (integer in [1, nodes-1]; memberlist LAN default)", func(c *Config) *int { return &c.GossipNodes }, 1, math.MaxInt),
	param.Bool("lifeguard", "Lifeguard: local health awareness, dynamic suspicion timeouts, buddy system (true or false)", func(c *Config) *bool { return &c.Lifeguard }),
	param.Enum("probe-order", "probe target choice: round-robin over a shuffled list (memberlist) or random (SWIM's analysis)", func(c *Config) *Order { return &c.ProbeOrder }, orderNames, []Order{RoundRobin, Random}).
		WithAliases(map[string]string{"roundrobin": "round-robin", "rr": "round-robin"}),
	param.Enum("probe-phase", "aligned: every member's periods start together (SWIM's analysis); staggered: random start offsets (memberlist)", func(c *Config) *Phase { return &c.ProbePhase }, phaseNames, []Phase{Aligned, Staggered}),
	param.Int("crashes", "members that crash at crash-at and never recover, drawn from the seed (integer in [0, nodes-1])", func(c *Config) *int { return &c.Crashes }, 0, math.MaxInt),
	param.Duration("crash-at", "simulated time at which the members crash (duration >= 0)", func(c *Config) *sim.Time { return &c.CrashAt }, true),
}

// Params lists the parameters bound to c.
func (c *Config) Params() []param.Value { return param.Bind(params, c) }

// Validate checks the parameters against each other and the fleet: the probe
// timeout must be shorter than the probe interval, indirect-checks must not
// be negative, gossip-nodes must be in [1, nodes-1] and crashes in
// [0, nodes-1]. It also checks the shared network, corruption and checksum
// settings.
func (c *Config) Validate(cm protocol.Common) error {
	if err := param.Check(params, c); err != nil {
		return err // each parameter within its own range
	}
	switch {
	case cm.Nodes < 2 || cm.Nodes > MaxNodes:
		return fmt.Errorf("nodes: %d is outside [2, %d] for model swim (about %d bytes per member)", cm.Nodes, MaxNodes, BytesPerNode)
	case cm.Duration <= 0:
		return fmt.Errorf("duration: %s must be positive", cm.Duration)
	case c.ProbeTimeout <= 0 || c.ProbeTimeout >= c.ProbeInterval:
		return fmt.Errorf("probe-timeout: %s must be positive and less than probe-interval = %s", c.ProbeTimeout, c.ProbeInterval)
	case c.GossipNodes < 1 || c.GossipNodes >= cm.Nodes:
		return fmt.Errorf("gossip-nodes: %d is outside [1, nodes-1 = %d]", c.GossipNodes, cm.Nodes-1)
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
	return []string{FieldFirstDetection, FieldFullDetection, FieldFalsePositives, FieldMessages}
}

// Clone returns an independent copy with the same parameters.
func (c *Config) Clone() protocol.Model {
	d := *c
	return &d
}

var _ protocol.Model = (*Config)(nil)

// MemoryEstimate is the run's peak memory beyond the program, in bytes: the
// views that differ and the updates queued while news spreads come on top of
// BytesPerNode per member, and their garbage waits for the collector
// (measured at 100,000 members: 919 MB peak with the default corruption rate
// and no checksum, 224 MB without corruption).
func (c *Config) MemoryEstimate(nodes int) int64 { return 12 * BytesPerNode * int64(nodes) }
