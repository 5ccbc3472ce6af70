// Package protocol is the contract between the classic gossip protocols
// (epidemic, rumor, heartbeat, swim) and the layers that run them: a protocol
// declares its parameters (set with `--set key=value`) as rows of package
// param, validates them,
// and runs on the shared machinery (the sim engine, and package transport
// for the network and the wire format with corruption and checksums),
// returning its summary fields in a fixed order.
package protocol

import (
	"context"
	"math"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Field is one summary quantity of a run.
type Field struct {
	// Name is the snake_case column name, e.g. "residue".
	Name string
	// Value is the quantity; NaN when it does not exist in this run (null in JSON, empty in CSV).
	Value float64
}

// Null is the Value of a quantity that does not exist in a run.
var Null = math.NaN()

// Fleet is the shared settings of the machines and the path between them,
// the same for every model: the fleet size, the network, the corruption on
// the path and the checksum every message carries, and the engine's event
// queue.
type Fleet struct {
	// Nodes is the fleet size.
	Nodes int
	// Network is latency and loss between nodes.
	Network network.Config
	// Corruption flips bits of encoded messages on the path.
	Corruption corrupt.Config
	// Checksum is the trailer every message carries and receivers verify.
	Checksum wire.Checksum
	// Queue is the engine's event queue. Both kinds dispatch events in the
	// same order, so results do not depend on it; the zero value is the
	// calendar queue.
	Queue sim.QueueKind
}

// Common is what every model run shares with the rest of gossipsim: the
// fleet, the horizon and sample interval, and the engine's limits.
type Common struct {
	Fleet
	// Duration is the simulated horizon; a protocol may stop earlier when its
	// outcome is settled (for example when a rumor has died out).
	Duration sim.Time
	// SampleInterval is the time-series step.
	SampleInterval sim.Time
	// MaxEvents and Interrupt are the engine's limits (sim.Engine.SetLimits):
	// a run stops cleanly, with the result so far, when it has processed
	// MaxEvents events (0: no limit) or when Interrupt returns true (nil: never).
	MaxEvents uint64
	Interrupt func() bool
}

// NewEngine returns an engine with the run's queue and limits. Protocols
// build their engine with it.
func (c Common) NewEngine() *sim.Engine {
	e := sim.NewEngineWithQueue(c.Queue)
	e.SetLimits(c.MaxEvents, c.Interrupt)
	return e
}

// Result is one finished run of a protocol.
type Result struct {
	// Fields are the protocol's summary fields, the same names in the same
	// order in every run of that protocol.
	Fields []Field
	// Counters are the shared message and corruption counts.
	Counters metrics.Counters
	// Samples is the time series, if the protocol records one.
	Samples []metrics.Sample
	// Events is the number of engine events processed.
	Events uint64
}

// Model is a classic protocol that gossipsim can run.
type Model interface {
	// Name is the --model name.
	Name() string
	// Description is one line for help.
	Description() string
	// Params lists the parameters (the keys of `--set key=value`) bound to
	// this model: each reads its field (String) and parses and stores a new
	// value (Set, whose error names the key, the value and what is
	// allowed). A fresh model's values are the defaults.
	Params() []param.Value
	// Validate checks the parameters against each other and the fleet size.
	Validate(c Common) error
	// FieldNames lists the summary fields Run returns, in order.
	FieldNames() []string
	// Run simulates one run. It must be a pure function of (parameters, c, seed).
	Run(ctx context.Context, c Common, seed uint64) (Result, error)
	// Clone returns an independent copy with the same parameters.
	Clone() Model
}
