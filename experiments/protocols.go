package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/sim"
)

// S3Model is the --model name of the S3-style failure-gossip model, the default.
const S3Model = "s3"

// protocolModels constructs the classic protocols, in the order help lists them.
var protocolModels []func() protocol.Model

// ModelNames lists every --model name.
func ModelNames() []string {
	names := []string{S3Model}
	for _, f := range protocolModels {
		names = append(names, f().Name())
	}
	return names
}

// NewProtocol returns a fresh protocol by --model name; nil, nil for the S3 model.
func NewProtocol(name string) (protocol.Model, error) {
	if name == S3Model || name == "" || name == "s3gossip" {
		return nil, nil
	}
	for _, f := range protocolModels {
		if m := f(); m.Name() == name {
			return m, nil
		}
	}
	return nil, badInputf("model: %q is not one of %s", name, strings.Join(ModelNames(), ", "))
}

// ModelName is the scenario's --model name.
func (s Scenario) ModelName() string {
	if s.Model == nil {
		return S3Model
	}
	return s.Model.Name()
}

// SetProtocolParam applies one `--set key=value` to the scenario's protocol.
func (s *Scenario) SetProtocolParam(kv string) error {
	key, val, ok := strings.Cut(kv, "=")
	if !ok || key == "" {
		return badInputf("set: %q is not key=value", kv)
	}
	if s.Model == nil {
		return badInputf("set: %q: the s3 model takes its parameters as flags (see gossipsim help run); --set is for --model %s", kv, strings.Join(ModelNames()[1:], ", "))
	}
	return BadInput(setProtocolParam(s.Model, key, val))
}

// setProtocolParam sets one parameter of a protocol by name; an unknown
// key's error lists the protocol's parameters.
func setProtocolParam(m protocol.Model, key, val string) error {
	v, ok := param.Lookup(m.Params(), key)
	if !ok {
		return fmt.Errorf("set: %q is not a parameter of model %s; use one of %s", key, m.Name(), param.Names(m.Params()))
	}
	return v.Set(val)
}

// common is the shared part of a protocol run's configuration.
func (s Scenario) common() protocol.Common {
	return protocol.Common{Fleet: s.Fleet, Duration: s.Duration, SampleInterval: s.SampleInterval, MaxEvents: s.MaxEvents}
}

// runProtocol runs a classic protocol scenario.
func runProtocol(ctx context.Context, sc Scenario) (Result, error) {
	start := time.Now()
	cm := sc.common()
	stop := newRunStop(ctx, sc.Timeout)
	defer stop.release()
	cm.Interrupt = stop.interrupt
	pr, err := sc.Model.Clone().Run(ctx, cm, sc.Seed)
	if err == nil {
		err = ctx.Err() // the engine stopped early for it
	}
	if err != nil {
		return Result{}, err
	}
	rec := metrics.NewRecorder(sc.Fleet.Nodes)
	rec.Counters = pr.Counters
	ms := rec.Summarize(sc.Duration, sc.Duration)
	for _, x := range pr.Samples {
		ms.PeakMessagesPerSecond = max(ms.PeakMessagesPerSecond, x.MessagesPerSecond)
		ms.PeakBytesPerSecond = max(ms.PeakBytesPerSecond, x.BytesPerSecond)
	}
	return Result{
		Scenario: sc,
		Summary: Summary{
			Model: sc.Model.Name(), Scenario: sc.Name, Mitigation: "none", Nodes: sc.Fleet.Nodes, Seed: sc.Seed,
			Checksum: sc.Fleet.Checksum.String(), CorruptProbability: sc.Fleet.Corruption.Probability,
			CorruptBits: sc.Fleet.Corruption.Bits, Events: pr.Events, Summary: ms, Protocol: pr.Fields,
			Stopped: stoppedBy(protocolLimit(sc, pr, stop)),
		},
		Samples: pr.Samples,
		Wall:    time.Since(start),
	}, nil
}

// protocolParams renders the protocol's parameters for sweep.json, as "set.KEY".
func protocolParams(m protocol.Model, into map[string]string) {
	if m == nil {
		return
	}
	into["model"] = m.Name()
	for _, v := range m.Params() {
		into["set."+v.Name] = v.String()
	}
}

// MarshalJSON writes the summary in the order of summaryFields: the shared fields,
// then a classic protocol's own (which replace shared fields of the same name).
func (s Summary) MarshalJSON() ([]byte, error) {
	type plain Summary
	if len(s.Protocol) == 0 {
		return json.Marshal(plain(s))
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, f := range summaryFields(s) {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(f.Name)
		b.Write(name)
		b.WriteByte(':')
		switch {
		case !f.Numeric:
			v, _ := json.Marshal(f.Text)
			b.Write(v)
		case f.Text == "":
			b.WriteString("null")
		default:
			b.WriteString(f.Text)
		}
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// sortedKeys returns m's keys in order, "model" first.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "model" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if _, ok := m["model"]; ok {
		keys = append([]string{"model"}, keys...)
	}
	return keys
}

// protocolLimit reports whether a protocol run used up its event budget or
// was stopped by its timeout.
func protocolLimit(sc Scenario, pr protocol.Result, stop *runStop) sim.Limit {
	switch {
	case sc.MaxEvents > 0 && pr.Events >= sc.MaxEvents:
		return sim.LimitMaxEvents
	case stop.fired:
		return sim.LimitInterrupt
	}
	return sim.NoLimit
}
