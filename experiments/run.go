package experiments

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/s3gossip"
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

// progressSteps is how many chunks a run is advanced in, between which
// progress is reported (cancellation is checked by the engine itself, every
// few hundred events; see runStop).
const progressSteps = 200

// Run validates sc and runs it to its horizon. It stops early with ctx's error
// if ctx is cancelled: the engine itself notices within a few hundred events
// (see sim.Engine.SetLimits), so a run returns promptly however long its
// events or its horizon are.
func Run(ctx context.Context, sc Scenario, progress Progress) (Result, error) {
	if err := sc.Validate(); err != nil {
		return Result{}, err
	}
	if sc.Model != nil {
		return runProtocol(ctx, sc)
	}
	start := time.Now()
	stop := newRunStop(ctx, sc.Timeout)
	defer stop.release()
	m, err := s3gossip.NewWithContext(ctx, sc.s3Config(), sc.Seed, sc.SampleInterval)
	if err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	m.SetLimits(sc.MaxEvents, stop.interrupt)
	step := max(sc.Duration/progressSteps, 1)
	for t := sim.Time(0); t < sc.Duration; {
		t = min(t+step, sc.Duration)
		m.Advance(t)
		if progress != nil {
			progress(t, sc.Duration)
		}
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		if m.LimitHit() != sim.NoLimit {
			break
		}
	}
	cfg := sc.s3Config()
	res := Result{
		Scenario: sc,
		Summary: Summary{
			Model:                "s3gossip",
			Scenario:             sc.Name,
			Mitigation:           mitigationName(sc.Mitigation),
			Nodes:                cfg.Nodes,
			Seed:                 sc.Seed,
			Mode:                 cfg.Mode.String(),
			Fanout:               cfg.Fanout,
			GossipIntervalSecond: cfg.GossipInterval.Seconds(),
			FailTimeoutSeconds:   cfg.FailTimeout.Seconds(),
			Checksum:             cfg.Checksum.String(),
			CorruptProbability:   cfg.Corruption.Probability,
			CorruptBits:          cfg.Corruption.Bits,
			Events:               m.Events(),
			Stopped:              stoppedBy(m.LimitHit()),
			Summary:              m.Summary(),
		},
		Samples: m.Recorder().Samples(),
		Wall:    time.Since(start),
	}
	return res, nil
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
