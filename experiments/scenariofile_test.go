package experiments

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The printed scenario loads back to the same scenario: printing the loaded
// copy gives the same bytes, for the default, a classic protocol and every
// named experiment (with its sweep).
func TestPrintScenarioRoundTrip(t *testing.T) {
	scs := map[string]Scenario{"default": DefaultScenario()}
	sw := DefaultScenario()
	var err error
	if sw.Model, err = NewModel("swim"); err != nil {
		t.Fatal(err)
	}
	if err := sw.SetModelParam("lifeguard=true"); err != nil {
		t.Fatal(err)
	}
	scs["swim"] = sw
	for name, sc := range scs {
		text := PrintScenario(sc, nil)
		got := DefaultScenario()
		if _, err := ParseScenario(name+".yaml", text, &got); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, text)
		}
		if again := PrintScenario(got, nil); string(again) != string(text) {
			t.Errorf("%s: printed, loaded and printed again differs:\n%s\n---\n%s", name, text, again)
		}
	}
	for _, e := range Experiments() {
		want := e.Sweep()
		text := PrintScenario(want.Base, &want)
		base := DefaultScenario()
		spec, err := ParseScenario(e.Name+".yaml", text, &base)
		if err != nil {
			t.Fatalf("%s: %v\n%s", e.Name, err, text)
		}
		got := Sweep{Base: base}
		ApplySweepSpec(&got, spec)
		if again := PrintScenario(got.Base, &got); string(again) != string(text) {
			t.Errorf("%s: printed, loaded and printed again differs:\n%s\n---\n%s", e.Name, text, again)
		}
		wr, err1 := want.Runs()
		gr, err2 := got.Runs()
		if err1 != nil || err2 != nil || len(wr) != len(gr) {
			t.Fatalf("%s: runs %d (%v) vs %d (%v)", e.Name, len(wr), err1, len(gr), err2)
		}
		for i := range wr {
			if wr[i].Scenario.Seed != gr[i].Scenario.Seed || ScenarioHash(wr[i].Scenario) != ScenarioHash(gr[i].Scenario) {
				t.Fatalf("%s: run %d differs after the round trip", e.Name, i)
			}
		}
	}
}

// The example scenario files in experiments/scenarios are the named
// experiments, printed: they must stay in step with the code.
func TestExampleScenarioFiles(t *testing.T) {
	for _, e := range Experiments() {
		path := filepath.Join("scenarios", e.Name+".yaml")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (regenerate with: go run ./cmd/gossipsim sweep --experiment %s --print-scenario > experiments/%s)", e.Name, err, e.Name, path)
			continue
		}
		sw := e.Sweep()
		if want := PrintScenario(sw.Base, &sw); string(data) != string(want) {
			t.Errorf("%s is out of date (regenerate with: go run ./cmd/gossipsim sweep --experiment %s --print-scenario > experiments/%s)", path, e.Name, path)
		}
	}
}

// A grid entry's long form: values one a list item (commas allowed, as an
// inline fault schedule has them), labels and a title, as PrintScenario
// writes an axis that has them.
func TestScenarioGridListForm(t *testing.T) {
	text := "sweep:\n  grid:\n    faults:\n      title: corruption source\n      labels: [one, two]\n      values:\n" +
		"        - \"[{at: 0s, corrupt: {nodes: 1, direction: out, prob: 0.5}}]\"\n" +
		"        - \"[{at: 0s, corrupt: {nodes: 2, direction: in, prob: 0.5}}]\"\n"
	sc := DefaultScenario()
	spec, err := ParseScenario("f.yaml", []byte(text), &sc)
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Axes) != 1 {
		t.Fatalf("axes %+v", spec.Axes)
	}
	ax := spec.Axes[0]
	if ax.Name != "faults" || len(ax.Values) != 2 || !strings.Contains(ax.Values[1], "direction: in") ||
		ax.Title != "corruption source" || strings.Join(ax.Labels, "|") != "one|two" {
		t.Fatalf("axis %+v", ax)
	}
	sw := Sweep{Experiment: "custom", Seed: 1, Replicates: 1, Base: sc}
	ApplySweepSpec(&sw, spec)
	runs, err := sw.Runs()
	if err != nil || len(runs) != 2 || runs[1].Scenario.Fleet.Faults.Entries[0].Nodes.Text != "2" {
		t.Fatalf("runs %d, %v", len(runs), err)
	}
	printed := PrintScenario(sw.Base, &sw)
	again := DefaultScenario()
	spec2, err := ParseScenario("printed.yaml", printed, &again)
	if err != nil {
		t.Fatalf("%v\n%s", err, printed)
	}
	if fmt.Sprint(spec2.Axes) != fmt.Sprint(spec.Axes) {
		t.Errorf("printed and loaded again: %+v, want %+v", spec2.Axes, spec.Axes)
	}
}

// Bad files are refused with the file, the line and the key.
func TestScenarioFileErrors(t *testing.T) {
	cases := []struct{ text, want string }{
		{"nodes: 1000\nnodez: 5\n", `f.yaml:2: unknown key "nodez"`},
		{"nodes: lots\n", `f.yaml:1: nodes: `},
		{"seed: 1\nnodes: 1\n", `f.yaml:2: nodes: 1 is outside`},
		{"nodes: [1, 2]\n", `f.yaml:1: nodes: wants a single value, not a list`},
		{"nodes: 10\nnodes: 20\n", `f.yaml:2: nodes: given twice (first on line 1)`},
		{"model: gossip\n", `f.yaml:1: model: "gossip" is not one of`},
		{"detector: swim\n", `f.yaml:1: detector: "swim" is not one of timeout, suspect, phi`}, // the key once
		{"mode: gossip\n", `f.yaml:1: mode: "gossip" is not one of`},
		{"set:\n  mode: push\n", `f.yaml:2: set: the s3 model takes its parameters at the top level`},
		{"model: epidemic\nset:\n  fanout: 0\n", `f.yaml:3: set: fanout`},
		{"model: epidemic\nset:\n  colour: red\n", `f.yaml:3: set: `},
		{"sweep:\n  replicates: 0\n", `f.yaml:2: sweep.replicates: 0 is outside [1, 1000000]`},
		{"sweep:\n  grid:\n    nodes: 1,x\n", `f.yaml:3: sweep.grid: `},
		{"sweep:\n  grid:\n    nodes: 10,20\n  paired: [seed]\n", `f.yaml:2: sweep.paired: "seed" is not a grid parameter`},
		{"sweep:\n  colour: red\n", `f.yaml:2: unknown key "sweep.colour"`},
		{"sweep:\n  grid:\n    nodes: {values: [10, 20], labels: [a]}\n", `f.yaml:3: sweep.grid.nodes.labels: 1 labels for 2 values`},
		{"sweep:\n  grid:\n    nodes: {values: [10, 10]}\n", `f.yaml:3: sweep.grid: grid: "nodes=10,10" repeats the value 10`},
		{"sweep:\n  grid:\n    nodes: {values: [10, [20]]}\n", `f.yaml:3: sweep.grid.nodes.values: wants a single value, not a list`},
		{"sweep:\n  grid:\n    faults: {values: [\"[{at: 0s, crush: {nodes: 1}}]\"]}\n", `f.yaml:3: sweep.grid: grid: faults=`},
		{"sweep:\n  grid:\n    nodes: {values: \"10,20\", labels: a}\n", `f.yaml:3: sweep.grid.nodes.labels: 1 labels for 2 values`},
		{"- nodes\n", `f.yaml:1: a scenario file is a YAML mapping`},
		{"nodes: [\n", `f.yaml: yaml:`},
		{"", `f.yaml: the file is empty`},
	}
	for _, c := range cases {
		sc := DefaultScenario()
		_, err := ParseScenario("f.yaml", []byte(c.text), &sc)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: error %v, want prefix %q", c.text, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error is not one line: %q", c.text, err)
		}
	}
}

// Keys apply in file order: a preset first, then a parameter after it wins.
func TestScenarioFileOrder(t *testing.T) {
	sc := DefaultScenario()
	if _, err := ParseScenario("f.yaml", []byte("mitigation: d\nchecksum: md5\nnodes: 50\n"), &sc); err != nil {
		t.Fatal(err)
	}
	if got := sc.Fleet.Checksum.String(); got != "md5" || sc.Fleet.Nodes != 50 {
		t.Errorf("checksum %s nodes %d, want md5 and 50", got, sc.Fleet.Nodes)
	}
}

// FuzzParseScenario: the loader never panics, and whatever it accepts is
// valid and prints to a file that loads back to the same scenario.
func FuzzParseScenario(f *testing.F) {
	f.Add([]byte("nodes: 100\nduration: 60s\n"))
	f.Add([]byte("model: epidemic\nset:\n  mode: push\n"))
	f.Add([]byte("sweep:\n  replicates: 3\n  grid:\n    nodes: 10,20\n    corrupt-prob: {values: \"1e-5,1e-4\", log: true}\n  paired: [nodes]\n"))
	f.Add([]byte("mitigation: all\nreset-at: 100s\n"))
	f.Add([]byte("a: &x 1\nb: *x\n"))
	f.Add(PrintScenario(DefaultScenario(), nil))
	f.Add([]byte("nodes: 30\ntopology: zones=3,racks-per-zone=2\nloss-cross-zone: 0.1\nlatency-same-zone: const:2ms\n" +
		"faults:\n  - at: 5s\n    until: 9s\n    partition: {from: \"zone:0\", to: [zone:1, zone:2], oneway: true}\n" +
		"  - at: 1s\n    crash: {rack: 0/1, count: 2}\n  - at: 3s\n    restart: {zone: 0}\n" +
		"  - at: 0s\n    corrupt: {nodes: \"1-3\", direction: out, prob: 0.5}\n  - at: 0s\n    skew: {group: all, rate: 2}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Contains(data, []byte("churn")) || bytes.Contains(data, []byte("file:")) || bytes.Contains(data, []byte("matrix")) || bytes.Contains(data, []byte("faults: ")) {
			return // these name files to read (which could be /dev/stdin)
		}
		sc := DefaultScenario()
		if _, err := ParseScenario("f.yaml", data, &sc); err != nil {
			return
		}
		if err := sc.Validate(); err != nil {
			t.Fatalf("accepted an invalid scenario: %v", err)
		}
		text := PrintScenario(sc, nil)
		again := DefaultScenario()
		if _, err := ParseScenario("printed.yaml", text, &again); err != nil {
			t.Fatalf("the printed form of an accepted scenario does not load: %v\n%s", err, text)
		}
		if ScenarioHash(again) != ScenarioHash(sc) {
			t.Fatalf("the printed form loads to another scenario:\n%s", text)
		}
	})
}

// TestGridListValuesAndLabels: a grid entry's values may be a list (values
// with commas of their own), labelled and titled for figures; the printed
// form reads back to the same axis, and labels must match the values.
func TestGridListValuesAndLabels(t *testing.T) {
	text := `sweep:
  grid:
    faults:
      values: ["[{at: 1s, until: 2s, partition: {from: \"0\", to: all}}]", "[{at: 1s, until: 5s, partition: {from: \"0\", to: all}}]"]
      labels: [1, 4]
      title: partition length (s)
    loss: 0,0.1
`
	sc := DefaultScenario()
	spec, err := ParseScenario("f.yaml", []byte(text), &sc)
	if err != nil {
		t.Fatal(err)
	}
	ax := spec.Axes[0]
	if len(ax.Values) != 2 || !strings.Contains(ax.Values[1], "until: 5s") || !slices.Equal(ax.Labels, []string{"1", "4"}) || ax.Title != "partition length (s)" {
		t.Fatalf("axis %+v", ax)
	}
	sw := Sweep{Seed: 1, Replicates: 1, Base: sc, Axes: spec.Axes}
	printed := PrintScenario(sc, &sw)
	sc2 := DefaultScenario()
	spec2, err := ParseScenario("printed.yaml", printed, &sc2)
	if err != nil {
		t.Fatalf("printed form does not load: %v\n%s", err, printed)
	}
	if !reflect.DeepEqual(spec2.Axes, spec.Axes) {
		t.Fatalf("round trip: %+v, want %+v", spec2.Axes, spec.Axes)
	}
	bad := strings.Replace(text, "labels: [1, 4]", "labels: [1]", 1)
	if _, err := ParseScenario("f.yaml", []byte(bad), &sc); err == nil || !strings.Contains(err.Error(), "f.yaml:5: sweep.grid.faults.labels: 1 labels for 2 values") {
		t.Fatalf("label count mismatch: %v", err)
	}
}
