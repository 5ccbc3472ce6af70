// Package protocol is the contract between the models (the S3-style
// failure gossip, and the classic protocols epidemic, rumor, heartbeat and
// swim) and the layers that run them. A scenario is the shared Fleet
// settings plus one Model. A model
// declares its parameters (set with `--set key=value`) as rows of package
// param, validates them,
// and runs on the shared machinery (the sim engine, and package transport
// for the network and the wire format with corruption and checksums),
// returning its summary fields in a fixed order.
package protocol

import (
	"context"
	"fmt"
	"math"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/faults"
	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/spread"
	"github.com/gossipsim/gossipsim/models/topology"
	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/transport"
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
// the same for every model: the fleet size, the network, the topology and
// the fault schedule, the corruption on the path and the checksum every
// message carries, and the engine's event queue.
type Fleet struct {
	// Nodes is the fleet size.
	Nodes int
	// Network is latency and loss between nodes (per link class when
	// Topology has a layout).
	Network network.Config
	// Topology groups the nodes into zones and racks and may give a latency
	// matrix (package topology); the zero value is the flat fleet.
	Topology topology.Config
	// Faults is the timed fault schedule (package faults): crashes,
	// partitions, link changes, corruption sources, clock skew; nil: none.
	Faults *faults.Schedule
	// Corruption flips bits of encoded messages on the path.
	Corruption corrupt.Config
	// Checksum is the trailer every message carries and receivers verify.
	Checksum wire.Checksum
	// Queue is the engine's event queue. Both kinds dispatch events in the
	// same order, so results do not depend on it; the zero value is the
	// calendar queue.
	Queue sim.QueueKind
}

// MaxFleet is the largest fleet any model accepts (a model may accept fewer).
const MaxFleet = 1 << 24

// Validate reports the first bad field as a one-line error naming the
// parameter, the value and what is allowed.
func (f Fleet) Validate() error {
	switch {
	case f.Nodes < 2 || f.Nodes > MaxFleet:
		return fmt.Errorf("nodes: %d is outside [2, %d]", f.Nodes, MaxFleet)
	case !f.Checksum.Valid():
		return fmt.Errorf("checksum: %d is unknown", f.Checksum)
	}
	if err := f.Corruption.Validate(); err != nil {
		return err
	}
	if err := f.Network.Validate(); err != nil {
		return err
	}
	if f.Network.HasClasses() && f.Topology.Layout == nil {
		for k, o := range f.Network.Classes {
			if o.HasLatency {
				return fmt.Errorf("latency-%s: %s is set, but the fleet has no topology with zones and racks", network.Class(k), o.Latency)
			}
			if o.HasLoss {
				return fmt.Errorf("loss-%s: %g is set, but the fleet has no topology with zones and racks", network.Class(k), o.Loss)
			}
		}
	}
	if f.Topology.Enabled() || !f.Faults.Empty() {
		if _, _, err := f.Path().Resolve(0); err != nil {
			return err
		}
	}
	return nil
}

// LatencyBound is the largest latency any message can be given a draw
// from, by network.Latency.Bound: the fleet's latency, each link class's,
// each of those centred on the latency matrix's largest value, and each link
// fault's. A model with synchronous rounds checks it against its round
// (rather than Network.Latency.Bound alone) when it caps latency draws.
func (f Fleet) LatencyBound() sim.Time {
	lats := []network.Latency{f.Network.Latency}
	for k := range network.NumClasses {
		lat, _ := f.Network.For(network.Class(k))
		lats = append(lats, lat)
	}
	if m := f.Topology.Matrix; m != nil {
		for _, l := range lats[:len(lats):len(lats)] {
			lats = append(lats, l.WithCenter(m.MaxCenter()))
		}
	}
	lats = append(lats, f.Faults.LinkLatencies()...)
	var top sim.Time
	for _, l := range lats {
		top = max(top, l.Bound())
	}
	return top
}

// Path is the fleet's topology and fault schedule for transport.Config:
// every model passes it, so every model has them.
func (f Fleet) Path() transport.Path {
	return transport.Path{Nodes: f.Nodes, Topology: f.Topology, Faults: f.Faults}
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
	// Progress, if not nil, is told how far the run has got, in simulated
	// time (a model may never call it).
	Progress func(done, total sim.Time)
	// Trace, if not nil, receives the run's events (package trace). It is
	// an output, not part of the scenario: a run traced or not gives the
	// same results.
	Trace *trace.Tracer
}

// NewEngine returns an engine with the run's queue and limits. Protocols
// build their engine with it.
func (c Common) NewEngine() *sim.Engine {
	e := sim.NewEngineWithQueue(c.Queue)
	e.SetLimits(c.MaxEvents, c.Interrupt)
	return e
}

// Result is one finished run of a model.
type Result struct {
	// Fields are the model's own summary fields, the same names in the same
	// order in every run of that model (FieldNames); none for a model whose
	// summary is the shared one.
	Fields []Field
	// Counters are the shared message and corruption counts.
	Counters metrics.Counters
	// Samples is the time series, if the model records one.
	Samples []metrics.Sample
	// Events is the number of engine events processed.
	Events uint64
	// Summary is the shared summary, when the model measures it itself
	// (recovery, wrong views, the storm's trigger, ...); nil for a model
	// that measures only Counters and Samples, from which SharedSummary
	// derives it.
	Summary *metrics.Summary
	// Setup is what a record says about the model's gossip beyond its name.
	Setup Setup
	// Anatomy is how a storm built up node by node (per-node utilization,
	// first saturations, true and false declarations per sample), for a
	// model that records it (the S3 model); nil otherwise.
	Anatomy *metrics.Anatomy
	// Spread is the run's accepted corrupted messages and the spread of
	// the bad values they brought, for a model that tracks them (the S3
	// model); nil for one that does not, or when no corrupted message was
	// accepted.
	Spread *spread.Record
}

// Setup is the gossip a run's record describes in its shared columns
// mode, fanout, gossip_interval_s and fail_timeout_s. The zero value
// (empty columns) is for a model those columns do not describe.
type Setup struct {
	// Mode is the gossip mode's name.
	Mode string
	// Fanout is the number of peers gossiped with per round.
	Fanout int
	// GossipInterval is the time between a node's rounds.
	GossipInterval sim.Time
	// FailTimeout is how long an observer waits before declaring a peer failed.
	FailTimeout sim.Time
}

// SharedSummary is the run's shared summary: Summary when the model
// measured it, otherwise what Counters and Samples give over the horizon
// (the message and corruption counts, the peak message and byte rates).
func (r Result) SharedSummary(c Common) metrics.Summary {
	if r.Summary != nil {
		return *r.Summary
	}
	rec := metrics.NewRecorder(c.Nodes)
	rec.Counters = r.Counters
	ms := rec.Summarize(c.Duration, c.Duration)
	for _, x := range r.Samples {
		ms.PeakMessagesPerSecond = max(ms.PeakMessagesPerSecond, x.MessagesPerSecond)
		ms.PeakBytesPerSecond = max(ms.PeakBytesPerSecond, x.BytesPerSecond)
	}
	return ms
}

// Labelled is a model whose records say more than its name. It is
// optional: a model without it is recorded under Name, with mitigation
// "none".
type Labelled interface {
	// RecordName is the model column of its records.
	RecordName() string
	// TakesMitigations reports that the mitigation presets set this
	// model's parameters, so its records name the preset applied.
	TakesMitigations() bool
}

// Model is a model gossipsim can run: the S3-style model (package
// s3gossip) and the classic protocols alike.
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
