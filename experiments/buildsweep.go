package experiments

import (
	"slices"
	"strings"
)

// Setting is one parameter given by name, with its value as text.
type Setting struct {
	// Name is the parameter's name, e.g. "fanout".
	Name string
	// Value is the text its row parses, e.g. "3".
	Value string
}

// SweepInput is everything a sweep is assembled from, as plain data: what
// the command line and a scenario file said. BuildSweep reads it.
type SweepInput struct {
	// Experiment names a named experiment ("" for none). When it is empty
	// and Spec names a named experiment, that one is used.
	Experiment string
	// File is the scenario a scenario file loaded over the defaults (nil:
	// no file). It replaces the named experiment's base scenario.
	File *Scenario
	// Spec is the scenario file's sweep section.
	Spec SweepSpec
	// Params are run parameters (Params) given by name, in the order
	// given, repeats included. They override the base scenario, and later
	// ones override earlier ones (parameters after a mitigation preset keep
	// their values). A "seed" among them is also the sweep seed.
	Params []Setting
	// Model names the model ("" when not given: the file's or the named
	// experiment's model, else s3).
	Model string
	// Sets are the model's own parameters as KEY=VALUE, applied in order
	// after Model.
	Sets []string
	// Grid are axis specs (ParseAxis); each replaces the axis of the same
	// name, or adds an axis.
	Grid []string
	// Replicates, when not nil, is the runs per grid point, overriding the
	// experiment's and the file's.
	Replicates *int
}

// BuildSweep assembles a sweep, with these precedence rules:
//
//   - The starting point is the named experiment's sweep, or else a custom
//     sweep of one point, 10 replicates, over the default scenario.
//   - A scenario file's scenario replaces the base; then Model, Params and
//     Sets apply over it in that order (the model first: the S3-style
//     model's parameters are among Params, and belong to the model named).
//   - The sweep seed is the named experiment's own, unless a "seed" is
//     among Params; a custom sweep's seed is its base's seed. The file's
//     sweep section (seed, replicates, grid, paired axes, time series)
//     overrides the experiment's, and a "seed" in Params overrides the file.
//   - Each Grid spec replaces the axis of the same name or adds one, parsed
//     over the final base (so a model's own parameters can be swept).
//   - Replicates, when given, overrides all.
//
// Its errors are bad input (ErrBadInput) and name the parameter and value.
func BuildSweep(in SweepInput) (Sweep, error) {
	name := in.Experiment
	if name == "" && in.Spec.Experiment != "" {
		if _, ok := LookupExperiment(in.Spec.Experiment); ok {
			name = in.Spec.Experiment // the file's sweep is a named experiment's (its figures)
		}
	}
	var sw Sweep
	if name != "" {
		e, ok := LookupExperiment(name)
		if !ok {
			return Sweep{}, badInputf("experiment: %q is not one of %s, validation", name, strings.Join(ExperimentNames(), ", "))
		}
		sw = e.Sweep()
	} else {
		sw = Sweep{Experiment: "custom", Replicates: 10, Base: DefaultScenario()}
	}
	if in.File != nil {
		sw.Base = in.File.Clone()
	}
	if in.Model != "" {
		if err := sw.Base.SetModel(in.Model); err != nil {
			return Sweep{}, err
		}
	}
	seedGiven := false
	for _, s := range in.Params {
		p, ok := LookupParam(s.Name)
		if !ok {
			return Sweep{}, badInputf("%s: no such run parameter", s.Name)
		}
		if err := p.Set(&sw.Base, s.Value); err != nil {
			return Sweep{}, badInputf("%s: %v", s.Name, err)
		}
		seedGiven = seedGiven || s.Name == "seed"
	}
	for _, kv := range in.Sets {
		if err := sw.Base.SetModelParam(kv); err != nil {
			return Sweep{}, err
		}
	}
	if name == "" {
		sw.Seed = sw.Base.Seed // a named experiment keeps its own
	}
	ApplySweepSpec(&sw, in.Spec)
	if seedGiven {
		sw.Seed = sw.Base.Seed
	}
	sw.Axes = slices.Clone(sw.Axes) // replaced in place below: not the experiment's or the file's
	for _, g := range in.Grid {
		ax, err := ParseAxisFor(g, sw.Base)
		if err != nil {
			return Sweep{}, err
		}
		replaced := false
		for i := range sw.Axes {
			if sw.Axes[i].Name == ax.Name {
				sw.Axes[i], replaced = ax, true
			}
		}
		if !replaced {
			sw.Axes = append(sw.Axes, ax)
		}
	}
	if in.Replicates != nil {
		sw.Replicates = *in.Replicates
	}
	return sw, nil
}
