package experiments

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/param"
)

// TestBuildSweep checks BuildSweep's precedence rules: experiment base vs
// scenario file vs parameters given, the sweep seed, the file's sweep
// section, grid axes replacing axes of the same name, replicates, and
// --model with --set.
func TestBuildSweep(t *testing.T) {
	corruption := experimentSweep(t, "corruption")
	scale := experimentSweep(t, "scale")
	fileSc := func(kv ...string) *Scenario {
		sc := DefaultScenario()
		for i := 0; i < len(kv); i += 2 {
			if kv[i] == "model" {
				var err error
				if sc.Model, err = NewModel(kv[i+1]); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := sc.Set(kv[i], kv[i+1]); err != nil {
				t.Fatal(err)
			}
		}
		return &sc
	}
	fileSweep := SweepSpec{Present: true, Seed: 11, SeedSet: true, Replicates: 3, Axes: []Axis{mustAxis("loss=0,0.1")}}
	tests := []struct {
		name string
		in   SweepInput
		// want: experiment, sweep seed, replicates, axes as "name=v1,v2 ...",
		// and parameters of the base (by name, "set.KEY" for the model's).
		experiment string
		seed       uint64
		replicates int
		axes       string
		base       map[string]string
	}{
		{
			name:       "no input: one point of the default scenario, its seed, 10 replicates",
			experiment: "custom", seed: DefaultScenario().Seed, replicates: 10, axes: "",
			base: map[string]string{"nodes": "1000", "model": ""},
		},
		{
			name:       "custom: a given seed is the sweep seed and the base's",
			in:         SweepInput{Params: []Setting{{"seed", "9"}, {"nodes", "50"}}},
			experiment: "custom", seed: 9, replicates: 10,
			base: map[string]string{"seed": "9", "nodes": "50"},
		},
		{
			name:       "named experiment keeps its own seed; parameters override its base",
			in:         SweepInput{Experiment: "corruption", Params: []Setting{{"nodes", "50"}}},
			experiment: "corruption", seed: corruption.Seed, replicates: corruption.Replicates, axes: axesText(corruption.Axes),
			base: map[string]string{"nodes": "50", "duration": corruption.Base.Duration.String()},
		},
		{
			name:       "named experiment with a seed given: that seed",
			in:         SweepInput{Experiment: "corruption", Params: []Setting{{"seed", "9"}}},
			experiment: "corruption", seed: 9, replicates: corruption.Replicates, axes: axesText(corruption.Axes),
		},
		{
			name:       "a scenario file replaces the experiment's base, not its seed or grid",
			in:         SweepInput{Experiment: "corruption", File: fileSc("nodes", "40", "seed", "5")},
			experiment: "corruption", seed: corruption.Seed, replicates: corruption.Replicates, axes: axesText(corruption.Axes),
			base: map[string]string{"nodes": "40", "duration": DefaultScenario().Duration.String()},
		},
		{
			name:       "custom over a file: the file's seed",
			in:         SweepInput{File: fileSc("nodes", "40", "seed", "5")},
			experiment: "custom", seed: 5, replicates: 10,
			base: map[string]string{"nodes": "40"},
		},
		{
			name:       "the file's sweep section sets seed, replicates and grid",
			in:         SweepInput{File: fileSc("nodes", "40"), Spec: fileSweep},
			experiment: "custom", seed: 11, replicates: 3, axes: "loss=0,0.1",
		},
		{
			name:       "parameters override the file, and a given seed the file's sweep seed",
			in:         SweepInput{File: fileSc("nodes", "40"), Spec: fileSweep, Params: []Setting{{"seed", "5"}, {"nodes", "60"}}},
			experiment: "custom", seed: 5, replicates: 3, axes: "loss=0,0.1",
			base: map[string]string{"nodes": "60", "seed": "5"},
		},
		{
			name:       "the file's sweep section naming an experiment selects it",
			in:         SweepInput{Spec: SweepSpec{Present: true, Experiment: "scale"}},
			experiment: "scale", seed: scale.Seed, replicates: scale.Replicates, axes: axesText(scale.Axes),
		},
		{
			name: "a grid axis replaces the axis of the same name in place; a new one is added",
			in:   SweepInput{Experiment: "corruption", Grid: []string{"checksum=none,md5", "fanout=1,2"}},
			axes: "corrupt-prob=" + strings.Join(corruption.Axes[0].Values, ",") + " checksum=none,md5 fanout=1,2",
			// the rest as the experiment's
			experiment: "corruption", seed: corruption.Seed, replicates: corruption.Replicates,
		},
		{
			name:       "a grid axis replaces the file's axis",
			in:         SweepInput{Spec: fileSweep, Grid: []string{"loss=0.2,0.3"}},
			experiment: "custom", seed: 11, replicates: 3, axes: "loss=0.2,0.3",
		},
		{
			name:       "replicates given override the file's",
			in:         SweepInput{Spec: fileSweep, Replicates: ptr(2)},
			experiment: "custom", seed: 11, replicates: 2, axes: "loss=0,0.1",
		},
		{
			name:       "--model with --set, and the model's parameter as a grid axis",
			in:         SweepInput{Model: "rumor", Sets: []string{"k=3", "variant=blind-coin"}, Grid: []string{"cycle=1s,2s"}},
			experiment: "custom", seed: DefaultScenario().Seed, replicates: 10, axes: "cycle=1s,2s",
			base: map[string]string{"model": "rumor", "set.k": "3", "set.variant": "blind-coin"},
		},
		{
			name:       "a named experiment with --model runs that model",
			in:         SweepInput{Experiment: "scale", Model: "swim", Sets: []string{"lifeguard=true"}},
			experiment: "scale", seed: scale.Seed, replicates: scale.Replicates, axes: axesText(scale.Axes),
			base: map[string]string{"model": "swim", "set.lifeguard": "true"},
		},
		{
			name:       "the file's model is kept when none is named, and --set applies to it",
			in:         SweepInput{File: fileSc("model", "rumor"), Sets: []string{"k=5"}},
			experiment: "custom", seed: DefaultScenario().Seed, replicates: 10,
			base: map[string]string{"model": "rumor", "set.k": "5"},
		},
		{
			name:       "a model named replaces the file's",
			in:         SweepInput{File: fileSc("model", "rumor"), Model: "s3"},
			experiment: "custom", seed: DefaultScenario().Seed, replicates: 10,
			base: map[string]string{"model": ""},
		},
		{
			name:       "parameters apply in order: after a preset they keep their values, repeats included",
			in:         SweepInput{Experiment: "mitigations", Params: []Setting{{"failure-rate-limit", "5"}, {"mitigation", "b"}, {"failure-rate-limit", "7"}}},
			experiment: "mitigations", seed: experimentSweep(t, "mitigations").Seed, replicates: experimentSweep(t, "mitigations").Replicates,
			axes: axesText(experimentSweep(t, "mitigations").Axes),
			base: map[string]string{"failure-rate-limit": "7", "failure-retransmit-mult": "4", "mitigation": "b"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			specAxes := slices.Clone(tc.in.Spec.Axes)
			sw, err := BuildSweep(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if sw.Experiment != tc.experiment || sw.Seed != tc.seed || sw.Replicates != tc.replicates {
				t.Errorf("experiment %q, seed %d, replicates %d; want %q, %d, %d", sw.Experiment, sw.Seed, sw.Replicates, tc.experiment, tc.seed, tc.replicates)
			}
			if got := axesText(sw.Axes); got != tc.axes {
				t.Errorf("axes %q, want %q", got, tc.axes)
			}
			params := ScenarioParams(sw.Base)
			for k, want := range tc.base {
				if got := params[k]; got != want {
					t.Errorf("base %s = %q, want %q", k, got, want)
				}
			}
			if !slices.EqualFunc(tc.in.Spec.Axes, specAxes, func(a, b Axis) bool { return axesText([]Axis{a}) == axesText([]Axis{b}) }) {
				t.Errorf("BuildSweep changed the caller's sweep section: %v, was %v", tc.in.Spec.Axes, specAxes)
			}
			if _, err := sw.Runs(); err != nil {
				t.Errorf("the sweep does not expand: %v", err)
			}
		})
	}
}

// TestBuildSweepErrors: every refusal is bad input naming what is wrong. A
// bad parameter value over a named experiment is refused (cmd used to drop
// that Set's error and run the experiment's own value).
func TestBuildSweepErrors(t *testing.T) {
	tests := []struct {
		name string
		in   SweepInput
		want []string
	}{
		{"unknown experiment", SweepInput{Experiment: "s3-2009"}, []string{`experiment: "s3-2009"`, "corruption", "validation"}},
		{"bad value over a named experiment", SweepInput{Experiment: "corruption", Params: []Setting{{"fanout", "x"}}}, []string{"fanout", "not an integer"}},
		{"bad value over a custom sweep", SweepInput{Params: []Setting{{"checksum", "crc33"}}}, []string{"checksum", `"crc33"`, "crc32c"}},
		{"unknown parameter", SweepInput{Params: []Setting{{"fanin", "2"}}}, []string{"fanin"}},
		{"unknown model", SweepInput{Model: "gossip9"}, []string{"model", "gossip9", "s3"}},
		{"set on the s3 model", SweepInput{Sets: []string{"k=2"}}, []string{"set", "k=2"}},
		{"set of another model's parameter", SweepInput{Model: "rumor", Sets: []string{"lifeguard=true"}}, []string{`"lifeguard" is not a parameter of model rumor`, "variant, k"}},
		{"bad model value", SweepInput{Model: "rumor", Sets: []string{"k=0"}}, []string{`k: "0" is not an integer in [1, `}},
		{"bad grid", SweepInput{Grid: []string{"nodez=1,2"}}, []string{"grid", "nodez"}},
		{"grid of another model's parameter", SweepInput{Model: "swim", Grid: []string{"k=1,2"}}, []string{"grid", `"k"`, "swim"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := BuildSweep(tc.in)
			if !errors.Is(err, ErrBadInput) {
				t.Fatalf("error %v, want bad input", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// TestParamRowsOnce: every scenario parameter and every protocol parameter
// is one row: names are unique, each has usage, and each value reads back as
// the text that sets it (so flags, --set, files and sweep.json agree).
func TestParamRowsOnce(t *testing.T) {
	for _, model := range ModelNames() {
		sc := DefaultScenario()
		var err error
		if sc.Model, err = NewModel(model); err != nil {
			t.Fatal(err)
		}
		var values []param.Value
		for _, p := range Params() {
			values = append(values, p.Value(&sc))
		}
		if !ParamsAreFlags(sc.Model) {
			values = sc.Model.Params()
		}
		seen := map[string]bool{}
		for _, v := range values {
			if seen[v.Name] || v.Usage == "" {
				t.Errorf("%s: %s given twice or without usage", model, v.Name)
			}
			seen[v.Name] = true
			before := v.String()
			if err := v.Set(before); err != nil || v.String() != before {
				t.Errorf("%s: %s: Set(%q) = %v, then reads %q", model, v.Name, before, err, v.String())
			}
			if v.Type() == param.TypeName && len(v.Names) == 0 && v.Name != "mitigation" {
				t.Errorf("%s: %s is a name parameter without its names", model, v.Name)
			}
		}
	}
}

func experimentSweep(t *testing.T, name string) Sweep {
	t.Helper()
	return mustExperiment(t, name).Sweep()
}

// axesText is "name=v1,v2 name=v1,v2".
func axesText(axes []Axis) string {
	var parts []string
	for _, ax := range axes {
		parts = append(parts, ax.Name+"="+strings.Join(ax.Values, ","))
	}
	return strings.Join(parts, " ")
}

func ptr[T any](v T) *T { return &v }
