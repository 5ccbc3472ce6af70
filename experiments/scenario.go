package experiments

import (
	"fmt"
	"time"

	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/trace"

	"github.com/gossipsim/gossipsim/models/s3gossip"
	"github.com/gossipsim/gossipsim/sim"
)

// Scenario is everything a run depends on: a run is a pure function of it.
type Scenario struct {
	// Name labels the scenario in titles and records.
	Name string
	// Seed selects every random stream of the run.
	Seed uint64
	// Duration is the simulated horizon. Default 600 s.
	Duration sim.Time
	// SampleInterval is the time-series step, in simulated time. Default 1 s.
	SampleInterval sim.Time
	// Mitigation names the last mitigation preset applied ("" = none), for records.
	Mitigation string
	// Fleet is the settings every model shares: nodes, network, corruption,
	// checksum and the engine's queue.
	Fleet protocol.Fleet
	// Model is the model --model names, with its own parameters (never
	// nil; DefaultScenario's is the S3-style model). Copies of a scenario
	// must Clone it before changing it.
	Model protocol.Model
	// MaxEvents stops a run cleanly after this many engine events (0: no
	// limit); the summary then says "stopped": "max-events".
	MaxEvents uint64
	// Timeout stops a run cleanly after this much wall-clock time (0: no
	// limit); the summary then says "stopped": "timeout". Such a run is not
	// reproducible: where it stopped depends on the machine.
	Timeout time.Duration
	// Trace, if not nil, receives the run's events (package trace). Like
	// Timeout it is not part of what the scenario describes: files and
	// scenario_sha256 leave it out, and it changes no result.
	Trace *trace.Tracer
}

// DefaultScenario is the embedded default: the 2008-style event on 1,000
// nodes for ten simulated minutes. State messages carry no checksum, one in
// 100,000 messages has one bit flipped on the path, failure news is gossiped
// for as long as a server is believed failed. Seed 2 is one of the seeds in
// which the failure gossip about the sticky corrupted entries tips the fleet
// into a storm before the horizon (seeds 2, 3 and 4 of 1-4 do; seed 1 shows
// the slow build-up without the tip).
func DefaultScenario() Scenario {
	return Scenario{
		Name:           "s3-2008",
		Seed:           2,
		Duration:       600 * sim.Second,
		SampleInterval: sim.Second,
		Fleet:          s3gossip.DefaultConfig().Fleet,
		Model:          s3gossip.NewProtocol(),
	}
}

// Validate reports the first bad field as a one-line error naming the flag,
// the value and what is allowed. The error is bad input (ErrBadInput).
func (s Scenario) Validate() error { return BadInput(s.validate()) }

func (s Scenario) validate() error {
	if s.Duration <= 0 || s.Duration > s3gossip.MaxDuration {
		return fmt.Errorf("duration: %s is outside (0, %s]", s.Duration, s3gossip.MaxDuration)
	}
	if s.SampleInterval <= 0 || s.SampleInterval > s.Duration {
		return fmt.Errorf("sample-interval: %s is outside (0, duration = %s]", s.SampleInterval, s.Duration)
	}
	if s.Timeout < 0 {
		return fmt.Errorf("timeout: %s is negative; give a wall-clock duration such as 10m, or 0 for none", s.Timeout)
	}
	if s.Duration/s.SampleInterval > 10_000_000 {
		return fmt.Errorf("sample-interval: %s gives more than 10,000,000 samples over %s", s.SampleInterval, s.Duration)
	}
	if err := s.Fleet.Validate(); err != nil {
		return err
	}
	if err := s.Model.Validate(s.common()); err != nil {
		return err
	}
	return checkAddressable(s)
}

// S3Params are the S3-style model's parameters, which are top-level run
// parameters (--fanout, --crash-rate, ...): the scenario model's own when
// it is that model. For another model they mean nothing, and S3Params is a
// fresh copy of the defaults each call: setting one is accepted (so files
// written for any model load) and has no effect.
func (s *Scenario) S3Params() *s3gossip.Params {
	if m, ok := s.Model.(*s3gossip.Protocol); ok {
		return &m.Parameters
	}
	p := s3gossip.DefaultParams()
	return &p
}

// Clone returns a copy that shares no mutable state with s.
func (s Scenario) Clone() Scenario {
	s.Model = s.Model.Clone()
	return s
}

// Set sets one parameter of the scenario by name (a protocol's own first,
// then a run flag), as the flag or scenario-file value would.
func (s *Scenario) Set(name, value string) error {
	p, ok := s.Param(name)
	if !ok {
		return badInputf("%s: %w of model %s", name, ErrUnknownParam, s.ModelName())
	}
	if err := p.Set(value); err != nil {
		return badInputf("%s: %v", name, err)
	}
	return nil
}

// Param finds a parameter of this scenario by name, bound to s: a parameter
// of its model first (a protocol's "mode" is not the s3 model's), then a
// run flag.
func (s *Scenario) Param(name string) (param.Value, bool) {
	if v, ok := param.Lookup(s.Model.Params(), name); ok {
		return v, true
	}
	if p, ok := LookupParam(name); ok {
		return p.Value(s), true
	}
	return param.Value{}, false
}
