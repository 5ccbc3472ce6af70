package s3gossip

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Mode is how a node gossips its view.
type Mode uint8

const (
	// ModeDigest is three-way push-pull anti-entropy (as Cassandra's gossiper
	// does it): the initiator sends a digest of versions, the peer replies with
	// the entries it holds newer plus the ids it wants, and the initiator sends
	// those. Only entries that differ carry state.
	ModeDigest Mode = iota
	// ModeFull pushes the sender's whole view (every entry with its state) to
	// each chosen peer, as van Renesse, Minsky and Hayden's gossip-style failure
	// detector does.
	ModeFull
)

// String is the mode's CLI name.
func (m Mode) String() string {
	if m == ModeFull {
		return "full"
	}
	return "digest"
}

// ParseMode reads a CLI mode name.
func ParseMode(s string) (Mode, error) {
	switch s {
	case "digest", "digest+delta", "delta":
		return ModeDigest, nil
	case "full", "full-view":
		return ModeFull, nil
	}
	return 0, fmt.Errorf("mode: %q is not one of digest, full", s)
}

// Config is the S3-style failure-gossip model's whole configuration: the
// fleet it runs on (the settings every model shares: nodes, network,
// corruption, checksum, queue) and the model's own parameters. DefaultConfig
// is the 2008-style operating point: no checksum on state messages, failure
// news repeated for as long as a server is believed failed, and a
// processing budget that ordinary gossip uses about a third of.
type Config struct {
	// Fleet is the shared settings. Defaults: 1000 nodes, the default
	// network, one message in 100,000 with one bit flipped, no checksum on
	// state messages, the calendar queue.
	protocol.Fleet
	// Params are the model's own parameters.
	Params
	// Trace receives the run's events (package trace); nil: no trace. It
	// observes the run and changes none of its results.
	Trace *trace.Tracer
}

// Params are the S3-style model's own parameters, every field with its
// unit and its default.
type Params struct {
	// GossipInterval is the time between a node's gossip rounds; the node's
	// heartbeat counter goes up by one each round. Default 1 s.
	GossipInterval sim.Time
	// Fanout is the number of random peers a node gossips with each round. Default 1.
	Fanout int
	// InZoneShare is the probability that a peer a node picks (for its
	// round's gossip and for each failure notice) is drawn from its own
	// zone rather than from the whole fleet, in [0, 1]; it needs a topology
	// with zones. Default 0: uniform peer selection.
	InZoneShare float64
	// Mode is full-view push or digest+delta push-pull. Default digest.
	Mode Mode
	// FailTimeout is how long an observer waits without seeing a peer's
	// version go up before it declares the peer failed (DetectorTimeout)
	// or suspects it (DetectorSuspect). Default 20 s.
	FailTimeout sim.Time
	// Detector is how an observer decides a peer has failed: a fixed
	// timeout, alive -> suspect -> failed, or φ-accrual (detect.go).
	// Default DetectorTimeout (the 2008 model).
	Detector Detector
	// SuspectTimeout is how long a suspicion lasts, without a newer version
	// refuting it, before the observer declares the peer failed
	// (DetectorSuspect only). Default 10 s: memberlist's suspicion timeout
	// at 1,000 members is SuspicionMult 4 × log10(1000) × a 1 s probe
	// interval, 12 s.
	SuspectTimeout sim.Time
	// PhiThreshold is the φ above which the φ-accrual detector
	// (DetectorPhi) declares a peer failed: Cassandra's
	// phi_convict_threshold. Default 8, Cassandra's default.
	PhiThreshold float64
	// PhiWindow is how many interarrival times of each peer's versions an
	// observer keeps for φ-accrual (DetectorPhi). Default 8: each sample
	// is 2 bytes per (observer, peer) pair, so Cassandra's 1,000 would
	// be 200 GB at 10,000 nodes; 8 keeps φ-accrual's state at 21 bytes a
	// pair (phi.go).
	PhiWindow int

	// FailureFanout is the number of random peers a node sends each failure
	// notice to, per round. Default 4.
	FailureFanout int
	// FailureGossipRounds bounds how many rounds a node keeps sending notices
	// about one failure after it learned of it; 0 means for as long as it
	// believes the server failed (the 2008 behaviour). Default 0.
	FailureGossipRounds int

	// PerMessageCost is the processing time a receiver spends on each message,
	// in simulated time. Default 10 ms.
	PerMessageCost sim.Time
	// PerSendCost is the processing time a sender spends on each message it
	// sends, charged when its round runs, in simulated time. It bounds what a
	// node can send: a node with thousands of notices to send swamps itself.
	// Default 5 ms.
	PerSendCost sim.Time
	// PerEntryCost is the processing time a receiver spends on each membership
	// entry a message carries, in simulated time. Default 2 µs.
	PerEntryCost sim.Time
	// QueueLimit is the number of received messages a node holds waiting for
	// processing; arrivals beyond it are dropped. Default 64.
	QueueLimit int

	// CrashRate is the rate of node crashes, per node per simulated hour. Default 0.
	CrashRate float64
	// DownTime is how long a crashed node stays down before it restarts with a
	// new generation and an empty view. Default 60 s.
	DownTime sim.Time

	// FailureRetransmitMult, when positive, bounds failure gossip as SWIM and
	// memberlist do: a node sends notices about one failure for
	// FailureRetransmitMult × ceil(log10(Nodes+1)) rounds after learning it
	// (it overrides FailureGossipRounds). Mitigation (b). Default 0 (off).
	FailureRetransmitMult int
	// FailureRateLimit caps the failure notices a node sends per round (the
	// most recently learned failures go first); 0 means no cap. Mitigation (b).
	FailureRateLimit int
	// OmitFailedAfter leaves entries a node has believed failed for longer
	// than this out of its digests, full views and notices; 0 never omits.
	// Mitigation (b).
	OmitFailedAfter sim.Time

	// Monitor is the gossip-rate alarm, mitigation (c).
	Monitor MonitorConfig
	// Reset is the state reset and restore procedure, mitigation (a).
	Reset ResetConfig
}

// DefaultParams returns the model's documented defaults.
func DefaultParams() Params { return DefaultConfig().Params }

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	c := corrupt.DefaultConfig()
	c.Probability = 1e-5
	return Config{
		Fleet: protocol.Fleet{
			Nodes:      1000,
			Checksum:   wire.ChecksumNone,
			Corruption: c,
			Network:    network.DefaultConfig(),
		},
		Params: Params{
			GossipInterval: sim.Second,
			Fanout:         1,
			Mode:           ModeDigest,
			FailTimeout:    20 * sim.Second,
			Detector:       DetectorTimeout,
			SuspectTimeout: 10 * sim.Second,
			PhiThreshold:   8,
			PhiWindow:      8,
			FailureFanout:  4,
			PerMessageCost: 40 * sim.Millisecond,
			PerSendCost:    5 * sim.Millisecond,
			PerEntryCost:   2 * sim.Microsecond,
			QueueLimit:     64,
			DownTime:       60 * sim.Second,
			Monitor:        DefaultMonitorConfig(),
			Reset:          DefaultResetConfig(),
		},
	}
}

// failureGossipRounds is the effective bound on rounds of notices about one
// failure (0 = unbounded).
func (c Config) failureGossipRounds() int {
	if c.FailureRetransmitMult > 0 {
		return c.FailureRetransmitMult * int(math.Ceil(math.Log10(float64(c.Nodes+1))))
	}
	return c.FailureGossipRounds
}

// MaxNodes is the largest fleet the model accepts.
const MaxNodes = protocol.MaxFleet

// Validate reports the first bad field as a one-line error naming the
// parameter, the value and what is allowed: the fleet size, the model's
// parameters against it, then the rest of the fleet.
func (c Config) Validate() error {
	if c.Nodes < 2 || c.Nodes > MaxNodes {
		return fmt.Errorf("nodes: %d is outside [2, %d]", c.Nodes, MaxNodes)
	}
	if err := c.Params.Validate(c.Nodes); err != nil {
		return err
	}
	if c.InZoneShare > 0 && c.Fleet.Topology.Layout == nil {
		return fmt.Errorf("in-zone-share: %g needs a topology with zones (topology zones=Z,racks-per-zone=R or file:PATH)", c.InZoneShare)
	}
	return c.Fleet.Validate()
}

// Validate reports the first bad parameter, for a fleet of nodes nodes, as
// a one-line error naming the parameter, the value and what is allowed.
func (c Params) Validate(nodes int) error {
	switch {
	case c.GossipInterval <= 0:
		return fmt.Errorf("gossip-interval: %s must be positive", c.GossipInterval)
	case c.Fanout < 1 || c.Fanout >= nodes:
		return fmt.Errorf("fanout: %d is outside [1, nodes-1 = %d]", c.Fanout, nodes-1)
	case c.Mode != ModeDigest && c.Mode != ModeFull:
		return fmt.Errorf("mode: %d is not one of digest, full", c.Mode)
	case c.FailTimeout <= 0:
		return fmt.Errorf("fail-timeout: %s must be positive", c.FailTimeout)
	case !(c.InZoneShare >= 0 && c.InZoneShare <= 1):
		return fmt.Errorf("in-zone-share: %g is outside [0, 1]", c.InZoneShare)
	case c.FailureFanout < 0 || c.FailureFanout >= nodes:
		return fmt.Errorf("failure-fanout: %d is outside [0, nodes-1 = %d]", c.FailureFanout, nodes-1)
	case c.FailureGossipRounds < 0:
		return fmt.Errorf("failure-gossip-rounds: %d is negative (0 means unlimited)", c.FailureGossipRounds)
	case c.PerMessageCost < 0:
		return fmt.Errorf("per-message-cost: %s is negative", c.PerMessageCost)
	case c.PerSendCost < 0:
		return fmt.Errorf("per-send-cost: %s is negative", c.PerSendCost)
	case c.PerEntryCost < 0:
		return fmt.Errorf("per-entry-cost: %s is negative", c.PerEntryCost)
	case c.QueueLimit < 1:
		return fmt.Errorf("queue-limit: %d must be at least 1", c.QueueLimit)
	case !(c.CrashRate >= 0 && c.CrashRate <= 3600):
		return fmt.Errorf("crash-rate: %g is outside [0, 3600] per node per hour", c.CrashRate)
	case c.DownTime <= 0:
		return fmt.Errorf("down-time: %s must be positive", c.DownTime)
	}
	switch {
	case !slices.Contains(detectors, c.Detector):
		return fmt.Errorf("detector: %d is not one of %s", c.Detector, strings.Join(detectorNames, ", "))
	case c.SuspectTimeout <= 0:
		return fmt.Errorf("suspect-timeout: %s must be positive", c.SuspectTimeout)
	case !(c.PhiThreshold > 0 && c.PhiThreshold <= MaxPhiThreshold):
		return fmt.Errorf("phi-threshold: %g is outside (0, %d]", c.PhiThreshold, MaxPhiThreshold)
	case c.PhiWindow < 1 || c.PhiWindow > MaxPhiWindow:
		return fmt.Errorf("phi-window: %d is outside [1, %d]", c.PhiWindow, MaxPhiWindow)
	case c.Detector == DetectorPhi && c.GossipInterval > MaxPhiGossipInterval:
		return fmt.Errorf("gossip-interval: %s is above %s, the most the phi detector allows (it keeps intervals up to twice the gossip interval in 16-bit milliseconds)", c.GossipInterval, MaxPhiGossipInterval)
	}
	switch {
	case c.FailureRetransmitMult < 0 || c.FailureRetransmitMult > 1000:
		return fmt.Errorf("failure-retransmit-mult: %d is outside [0, 1000] (0 = off)", c.FailureRetransmitMult)
	case c.FailureRateLimit < 0:
		return fmt.Errorf("failure-rate-limit: %d is negative (0 = no limit)", c.FailureRateLimit)
	case c.OmitFailedAfter < 0:
		return fmt.Errorf("omit-failed-after: %s is negative (0 = never)", c.OmitFailedAfter)
	}
	if err := c.Monitor.Validate(); err != nil {
		return err
	}
	return c.Reset.Validate()
}
