package experiments

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/mitigation"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/spread"
	"github.com/gossipsim/gossipsim/sim"
)

// Summary is one run's record: what was run (model, nodes, seed, the
// parameters that define the event) and every measured quantity. Every field is
// a pure function of the scenario, so summary.json is byte-identical across
// reruns.
type Summary struct {
	Model                string  `json:"model"`
	Scenario             string  `json:"scenario"`
	Mitigation           string  `json:"mitigation"`
	Nodes                int     `json:"nodes"`
	Seed                 uint64  `json:"seed"`
	Mode                 string  `json:"mode"`
	Fanout               int     `json:"fanout"`
	GossipIntervalSecond float64 `json:"gossip_interval_s"`
	FailTimeoutSeconds   float64 `json:"fail_timeout_s"`
	Checksum             string  `json:"checksum"`
	CorruptProbability   float64 `json:"corrupt_prob"`
	CorruptBits          int     `json:"corrupt_bits"`
	// Events is the number of simulation events processed.
	Events uint64 `json:"events"`
	// Stopped is why the run ended before its horizon: "max-events" or
	// "timeout" (its limits), or "" when it ran to the horizon or to its own end.
	Stopped string `json:"stopped"`
	metrics.Summary
	// Protocol holds a classic protocol's own summary fields (rounds_to_full,
	// residue, ...), written after the shared ones; empty for the s3 model.
	Protocol []protocol.Field `json:"-"`
}

func mitigationName(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Result is a finished run: its summary, its time series, and how long it
// took on this machine (the only non-deterministic part, kept out of Summary).
type Result struct {
	Scenario Scenario
	Summary  Summary
	Samples  []metrics.Sample
	// Anatomy is how a storm built up node by node, for a model that
	// records it (the S3 model; nil otherwise): written as anatomy.csv,
	// utilization.csv and, when the run stormed, saturation.png and
	// declarations.png (see WriteRunSet).
	Anatomy *metrics.Anatomy
	// Spread is the run's accepted corrupted messages and the spread of
	// their bad values, for a model that tracks them (the S3 model; nil
	// for the others). `gossipsim run` writes it as corruptions.csv and
	// spread.csv; sweeps do not keep it.
	Spread *spread.Record
	// Wall is the wall-clock time the run took.
	Wall time.Duration
}

// EventsPerSecond is the simulation speed on this machine, in events per wall-clock second.
func (r Result) EventsPerSecond() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.Summary.Events) / r.Wall.Seconds()
}

// Progress is told how far a run has got, in simulated time; it may be nil.
type Progress func(done, total sim.Time)

// Run validates sc and runs its model to the horizon. It stops early with
// ctx's error if ctx is cancelled: the engine itself notices within a few
// hundred events (see sim.Engine.SetLimits), so a run returns promptly
// however long its events or its horizon are.
func Run(ctx context.Context, sc Scenario, progress Progress) (Result, error) {
	if err := sc.Validate(); err != nil {
		return Result{}, err
	}
	start := time.Now()
	cm := sc.common()
	stop := newRunStop(ctx, sc.Timeout)
	defer stop.release()
	cm.Interrupt = stop.interrupt
	cm.Progress = progress
	pr, err := sc.Model.Clone().Run(ctx, cm, sc.Seed)
	if err == nil {
		err = ctx.Err() // the engine stopped early for it
	}
	if err != nil {
		return Result{}, err
	}
	name, mit := sc.Model.Name(), mitigation.None
	if l, ok := sc.Model.(protocol.Labelled); ok {
		name = l.RecordName()
		if l.TakesMitigations() {
			mit = mitigationName(sc.Mitigation)
		}
	}
	shared := pr.SharedSummary(cm)
	if !hasFaults(sc) {
		shared.FaultSummary = nil // no fault fields: the summary keeps its bytes
	} else if shared.FaultSummary == nil {
		shared.FaultSummary = &metrics.FaultSummary{MessagesPartitioned: pr.Counters.MessagesPartitioned}
	}
	return Result{
		Scenario: sc,
		Summary: Summary{
			Model:                name,
			Scenario:             sc.Name,
			Mitigation:           mit,
			Nodes:                sc.Fleet.Nodes,
			Seed:                 sc.Seed,
			Mode:                 pr.Setup.Mode,
			Fanout:               pr.Setup.Fanout,
			GossipIntervalSecond: pr.Setup.GossipInterval.Seconds(),
			FailTimeoutSeconds:   pr.Setup.FailTimeout.Seconds(),
			Checksum:             sc.Fleet.Checksum.String(),
			CorruptProbability:   sc.Fleet.Corruption.Probability,
			CorruptBits:          sc.Fleet.Corruption.Bits,
			Events:               pr.Events,
			Stopped:              stoppedBy(protocolLimit(sc, pr, stop)),
			Summary:              shared,
			Protocol:             pr.Fields,
		},
		Samples: pr.Samples,
		Anatomy: pr.Anatomy,
		Spread:  pr.Spread,
		Wall:    time.Since(start),
	}, nil
}

// runStop is a run's interrupt check for the engine: one atomic flag, raised
// by other goroutines when the run's context is done or its wall-clock
// timeout (Scenario.Timeout) passes. The engine polls it every few hundred
// events, so the check costs one load while the run stays prompt to stop.
type runStop struct {
	raised  atomic.Bool
	fired   bool   // interrupt returned true (read and written by the run's goroutine only)
	release func() // stops the watchers; call when the run is over
}

// newRunStop watches ctx and, if timeout > 0, the wall clock from now.
func newRunStop(ctx context.Context, timeout time.Duration) *runStop {
	s := &runStop{}
	stopWatch := context.AfterFunc(ctx, func() { s.raised.Store(true) })
	var timer *time.Timer
	if timeout > 0 {
		timer = time.AfterFunc(timeout, func() { s.raised.Store(true) })
	}
	s.release = func() {
		stopWatch()
		if timer != nil {
			timer.Stop()
		}
	}
	return s
}

// interrupt is the engine's check (sim.Engine.SetLimits).
func (s *runStop) interrupt() bool {
	if s.raised.Load() {
		s.fired = true
		return true
	}
	return false
}

// stoppedBy names the limit that ended a run early, for Summary.Stopped. The
// engine's interrupt means the timeout: a run stopped by its context returns
// the context's error instead of a result.
func stoppedBy(l sim.Limit) string {
	switch l {
	case sim.LimitInterrupt:
		return "timeout"
	case sim.LimitMaxEvents:
		return "max-events"
	}
	return ""
}
