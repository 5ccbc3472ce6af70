package experiments

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/s3gossip"
	"github.com/gossipsim/gossipsim/sim"
)

// S3Model is the --model name of the S3-style failure-gossip model, the
// default. Its parameters are top-level run parameters (flags and
// scenario-file keys); every other model's are `--set` keys.
const S3Model = s3gossip.Name

// protocolModels constructs the models, the S3-style one first, in the
// order help lists them.
var protocolModels []func() protocol.Model

// ModelNames lists every --model name.
func ModelNames() []string {
	var names []string
	for _, f := range protocolModels {
		names = append(names, f().Name())
	}
	return names
}

// NewModel returns a fresh model by --model name ("" and "s3gossip" are
// the S3-style model too).
func NewModel(name string) (protocol.Model, error) {
	if name == "" || name == s3gossip.RecordName {
		name = S3Model
	}
	for _, f := range protocolModels {
		if m := f(); m.Name() == name {
			return m, nil
		}
	}
	return nil, badInputf("model: %q is not one of %s", name, strings.Join(ModelNames(), ", "))
}

// SetModel makes the model --model names the scenario's: a fresh one with
// its defaults, unless the scenario already runs that model, whose
// parameters it keeps.
func (s *Scenario) SetModel(name string) error {
	m, err := NewModel(name)
	if err != nil {
		return err
	}
	if s.Model == nil || s.Model.Name() != m.Name() {
		s.Model = m
	}
	return nil
}

// ModelName is the scenario's --model name.
func (s Scenario) ModelName() string { return s.Model.Name() }

// ParamsAreFlags reports whether a model's parameters are top-level run
// parameters (the S3-style model's: --fanout, --mode, ...) rather than
// `--set KEY=VALUE` keys (every other model's).
func ParamsAreFlags(m protocol.Model) bool { return m.Name() == S3Model }

// setParams are the model's parameters a scenario file lists under set
// and sweep.json as "set.KEY": none for the model whose parameters are
// top-level.
func setParams(m protocol.Model) []param.Value {
	if ParamsAreFlags(m) {
		return nil
	}
	return m.Params()
}

// setModels lists the models that take `--set`.
func setModels() string {
	var names []string
	for _, f := range protocolModels {
		if m := f(); !ParamsAreFlags(m) {
			names = append(names, m.Name())
		}
	}
	return strings.Join(names, ", ")
}

// SetModelParam applies one `--set key=value` to the scenario's protocol.
func (s *Scenario) SetModelParam(kv string) error {
	key, val, ok := strings.Cut(kv, "=")
	if !ok || key == "" {
		return badInputf("set: %q is not key=value", kv)
	}
	if ParamsAreFlags(s.Model) {
		return refusef(ErrRunParamsModel, "set: %q: the s3 model's parameters are run parameters, set by name; model keys are for the models %s", kv, setModels())
	}
	return BadInput(setModelParam(s.Model, key, val))
}

// setModelParam sets one parameter of a protocol by name; an unknown
// key's error lists the protocol's parameters.
func setModelParam(m protocol.Model, key, val string) error {
	v, ok := param.Lookup(m.Params(), key)
	if !ok {
		return fmt.Errorf("set: %q is not a parameter of model %s; use one of %s", key, m.Name(), param.Names(m.Params()))
	}
	return v.Set(val)
}

// common is the shared part of a model run's configuration.
func (s Scenario) common() protocol.Common {
	return protocol.Common{Fleet: s.Fleet, Duration: s.Duration, SampleInterval: s.SampleInterval, MaxEvents: s.MaxEvents, Trace: s.Trace}
}

// protocolParams renders the model's `--set` parameters for sweep.json,
// as "set.KEY", after its name (neither for the model whose parameters are
// top-level, which the file has always left out).
func protocolParams(m protocol.Model, into map[string]string) {
	if ParamsAreFlags(m) {
		return
	}
	into["model"] = m.Name()
	for _, v := range setParams(m) {
		into["set."+v.Name] = v.String()
	}
}

// MarshalJSON writes the summary in the order of summaryFieldsFor: the shared fields,
// then a classic protocol's own (which replace shared fields of the same name).
func (s Summary) MarshalJSON() ([]byte, error) {
	type plain Summary
	if len(s.Protocol) == 0 {
		return json.Marshal(plain(s))
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, f := range summaryFieldsFor(s, recordMode{faults: true, json: true}) {
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
