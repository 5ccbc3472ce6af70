package experiments

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"

	"go.yaml.in/yaml/v3"

	"github.com/gossipsim/gossipsim/models/faults"
)

// A scenario file is YAML: every `run` parameter by its flag name at the top
// level, the protocol's `--set` parameters under `set`, and optionally a
// `sweep` section (experiment name, sweep seed, replicates, paired axes, the
// grid). PrintScenario writes the fully defaulted form, which loads back to
// the same scenario:
//
//	name: s3-2008
//	model: s3
//	seed: 2
//	nodes: 1000
//	...
//	set:                      # only for a classic protocol
//	  mode: push
//	sweep:                    # only for gossipsim sweep
//	  experiment: corruption
//	  seed: 1
//	  replicates: 10
//	  grid:
//	    corrupt-prob: {values: "1e-06,1e-05", log: true}
//	    checksum: none,crc32c
//
// Keys are applied in file order, except that `model` is applied first, so a
// `mitigation` preset early in the file is overridden by the individual
// parameters after it (as on the command line).

// SweepSpec is the `sweep` section of a scenario file.
type SweepSpec struct {
	// Present reports that the file had a sweep section.
	Present bool
	// Experiment names the sweep (and selects a named experiment's figures).
	Experiment string
	// Seed is the sweep seed; SeedSet reports that the file gave one.
	Seed    uint64
	SeedSet bool
	// Replicates is the number of runs per point (0: not given).
	Replicates int
	// Axes is the grid, in file order.
	Axes []Axis
	// Paired names axes left out of the seed key.
	Paired []string
	// KeepTimeSeries keeps every run's time series.
	KeepTimeSeries bool
}

// fileError is an error located in a scenario file.
func fileError(file string, n *yaml.Node, key string, format string, args ...any) error {
	err := fmt.Errorf(format, args...) // keeps a %w operand's kind (errors.Is)
	// A parameter's error names its key already.
	if key != "" && !strings.HasPrefix(err.Error(), key+": ") {
		err = fmt.Errorf("%s: %w", key, err)
	}
	return badInputf("%s:%d: %w", file, n.Line, err)
}

// LoadScenarioFile reads a scenario file into sc (which holds the defaults or
// a named experiment's base) and returns its sweep section. Unknown keys,
// values of the wrong type and values out of range are errors naming the
// file, the line and the key.
func LoadScenarioFile(path string, sc *Scenario) (SweepSpec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EISDIR) {
			return SweepSpec{}, badInputf("scenario: %v", err) // the file named is not there or not readable
		}
		return SweepSpec{}, fmt.Errorf("scenario: %w", err)
	}
	return ParseScenario(path, data, sc)
}

// ParseScenario is LoadScenarioFile on bytes; file names them in errors.
func ParseScenario(file string, data []byte, sc *Scenario) (SweepSpec, error) {
	var spec SweepSpec
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return spec, badInputf("%s: %s", file, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	if len(doc.Content) == 0 {
		return spec, badInputf("%s: the file is empty; %w", file, ErrNotScenario)
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return spec, badInputf("%s:%d: %w", file, top.Line, ErrNotScenario)
	}
	pairs, err := mappingPairs(file, top, "")
	if err != nil {
		return spec, err
	}
	// The model first: `set` keys and shared parameters depend on it.
	for _, kv := range pairs {
		if kv.key == "model" {
			name, err := scalar(file, kv.val, "model")
			if err != nil {
				return spec, err
			}
			if err := sc.SetModel(name); err != nil {
				return spec, fileError(file, kv.val, "", "%v", err)
			}
		}
	}
	lines := map[string]int{}
	for _, kv := range pairs {
		lines[kv.key] = kv.val.Line
		switch kv.key {
		case "model":
		case "name":
			if sc.Name, err = scalar(file, kv.val, "name"); err != nil {
				return spec, err
			}
		case "set":
			if err := loadSet(file, kv.val, sc); err != nil {
				return spec, err
			}
		case "sweep":
			if spec, err = loadSweep(file, kv.val, *sc); err != nil {
				return spec, err
			}
		case "faults":
			if kv.val.Kind != yaml.SequenceNode {
				s, err := scalar(file, kv.val, kv.key)
				if err != nil {
					return spec, err
				}
				p, _ := sc.Param("faults")
				if err := p.Set(s); err != nil {
					return spec, fileError(file, kv.val, kv.key, "%v", err)
				}
				continue
			}
			from, err := faults.FromYAML(file, kv.val)
			if err != nil {
				return spec, badInputf("%v", err)
			}
			sc.Fleet.Faults = sc.Fleet.Faults.WithEntries(from)
		default:
			p, ok := sc.Param(kv.key)
			if !ok {
				return spec, refusef(ErrUnknownParam, "%s:%d: unknown key %q; the keys are the run parameters, model, name, set and sweep", file, kv.keyNode.Line, kv.key)
			}
			s, err := scalar(file, kv.val, kv.key)
			if err != nil {
				return spec, err
			}
			if err := p.Set(s); err != nil {
				return spec, fileError(file, kv.val, kv.key, "%v", err)
			}
		}
	}
	if err := sc.Validate(); err != nil {
		// Point at the line of the key the error names, if the file set it.
		key, _, _ := strings.Cut(err.Error(), ":")
		if line, ok := lines[key]; ok {
			return spec, badInputf("%s:%d: %v", file, line, err)
		}
		if strings.HasPrefix(err.Error(), file+":") {
			return spec, badInputf("%v", err) // located already (a faults entry)
		}
		return spec, badInputf("%s: %v", file, err)
	}
	return spec, nil
}

type yamlPair struct {
	key          string
	keyNode, val *yaml.Node
}

// mappingPairs lists a mapping's pairs, refusing duplicate and non-scalar keys.
func mappingPairs(file string, m *yaml.Node, section string) ([]yamlPair, error) {
	var out []yamlPair
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, fileError(file, k, section, "keys must be plain names")
		}
		name := k.Value
		if section != "" {
			name = section + "." + k.Value
		}
		if line, dup := seen[k.Value]; dup {
			return nil, fileError(file, k, name, "given twice (first on line %d)", line)
		}
		seen[k.Value] = k.Line
		out = append(out, yamlPair{k.Value, k, v})
	}
	return out, nil
}

// scalar returns a scalar node's text, or an error naming the key.
func scalar(file string, n *yaml.Node, key string) (string, error) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode {
		return "", fileError(file, n, key, "wants a single value, not a %s", kindName(n.Kind))
	}
	return n.Value, nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

func loadSet(file string, n *yaml.Node, sc *Scenario) error {
	if n.Kind != yaml.MappingNode {
		return fileError(file, n, "set", "wants a mapping of protocol parameters (KEY: VALUE)")
	}
	if ParamsAreFlags(sc.Model) && len(n.Content) > 0 {
		return fileError(file, n, "set", "the s3 model takes its parameters at the top level; set is for model %s", setModels())
	}
	pairs, err := mappingPairs(file, n, "set")
	if err != nil {
		return err
	}
	for _, kv := range pairs {
		s, err := scalar(file, kv.val, "set."+kv.key)
		if err != nil {
			return err
		}
		if err := setModelParam(sc.Model, kv.key, s); err != nil {
			return fileError(file, kv.val, "", "set: %v", err)
		}
	}
	return nil
}

func loadSweep(file string, n *yaml.Node, base Scenario) (SweepSpec, error) {
	spec := SweepSpec{Present: true}
	if n.Kind != yaml.MappingNode {
		return spec, fileError(file, n, "sweep", "wants a mapping (experiment, seed, replicates, paired, keep-time-series, grid)")
	}
	pairs, err := mappingPairs(file, n, "sweep")
	if err != nil {
		return spec, err
	}
	for _, kv := range pairs {
		key := "sweep." + kv.key
		switch kv.key {
		case "experiment":
			if spec.Experiment, err = scalar(file, kv.val, key); err != nil {
				return spec, err
			}
		case "seed", "replicates":
			s, err := scalar(file, kv.val, key)
			if err != nil {
				return spec, err
			}
			v, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				return spec, fileError(file, kv.val, key, "%q is not a whole number", s)
			}
			if kv.key == "seed" {
				spec.Seed, spec.SeedSet = v, true
			} else {
				if v < 1 || v > MaxRuns {
					return spec, fileError(file, kv.val, key, "%d is outside [1, %d]", v, MaxRuns)
				}
				spec.Replicates = int(v)
			}
		case "keep-time-series":
			s, err := scalar(file, kv.val, key)
			if err != nil {
				return spec, err
			}
			if spec.KeepTimeSeries, err = strconv.ParseBool(s); err != nil {
				return spec, fileError(file, kv.val, key, "%q is not true or false", s)
			}
		case "paired":
			if kv.val.Kind != yaml.SequenceNode {
				return spec, fileError(file, kv.val, key, "wants a list of grid parameter names, such as [mitigation]")
			}
			for _, item := range kv.val.Content {
				s, err := scalar(file, item, key)
				if err != nil {
					return spec, err
				}
				spec.Paired = append(spec.Paired, s)
			}
		case "grid":
			if spec.Axes, err = loadGrid(file, kv.val, base); err != nil {
				return spec, err
			}
		default:
			return spec, fileError(file, kv.keyNode, "", "unknown key %q; sweep takes experiment, seed, replicates, paired, keep-time-series and grid", key)
		}
	}
	for _, p := range spec.Paired {
		found := false
		for _, ax := range spec.Axes {
			found = found || ax.Name == p
		}
		if !found {
			return spec, fileError(file, n, "sweep.paired", "%q is not a grid parameter of this sweep", p)
		}
	}
	return spec, nil
}

// loadGrid reads the grid: each key a run parameter, each value a --grid
// spec ("500,1000" or "1e-5:1e-1:log:5") or a mapping {values: "v1,v2",
// log: true}. In the mapping, values may be a list instead, one value an
// item (a value holding commas, such as an inline fault schedule, needs
// it), and labels (a list, or comma-separated, one per value) and title
// name the values and the axis in figures (Axis.Labels, Axis.Title).
func loadGrid(file string, n *yaml.Node, base Scenario) ([]Axis, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fileError(file, n, "sweep.grid", "wants a mapping of parameter: values")
	}
	pairs, err := mappingPairs(file, n, "sweep.grid")
	if err != nil {
		return nil, err
	}
	var axes []Axis
	for _, kv := range pairs {
		key := "sweep.grid." + kv.key
		values, logAxis := "", false
		var list, labels []string
		var title string
		var labelsNode *yaml.Node
		switch kv.val.Kind {
		case yaml.MappingNode:
			inner, err := mappingPairs(file, kv.val, key)
			if err != nil {
				return nil, err
			}
			for _, f := range inner {
				if f.val.Kind == yaml.SequenceNode && (f.key == "values" || f.key == "labels") {
					items, err := scalarList(file, f.val, key+"."+f.key)
					if err != nil {
						return nil, err
					}
					if f.key == "values" {
						list = items
					} else {
						labels, labelsNode = items, f.val
					}
					continue
				}
				s, err := scalar(file, f.val, key+"."+f.key)
				if err != nil {
					return nil, err
				}
				switch f.key {
				case "values":
					values = s
				case "log":
					if logAxis, err = strconv.ParseBool(s); err != nil {
						return nil, fileError(file, f.val, key+".log", "%q is not true or false", s)
					}
				case "title":
					title = s
				case "labels":
					labels, labelsNode = strings.Split(s, ","), f.val
				default:
					return nil, fileError(file, f.keyNode, "", "unknown key %q; a grid entry takes values, log, labels and title", key+"."+f.key)
				}
			}
		default:
			if values, err = scalar(file, kv.val, key); err != nil {
				return nil, err
			}
		}
		var ax Axis
		if list != nil {
			ax, err = AxisOf(kv.key, list, base)
		} else {
			ax, err = ParseAxisFor(kv.key+"="+values, base)
		}
		if err != nil {
			return nil, fileError(file, kv.val, "", "sweep.grid: %w", err)
		}
		if labels != nil && len(labels) != len(ax.Values) {
			return nil, fileError(file, labelsNode, key+".labels", "%d labels for %d values", len(labels), len(ax.Values))
		}
		ax.Log = ax.Log || logAxis
		ax.Labels, ax.Title = labels, title
		axes = append(axes, ax)
	}
	return axes, nil
}

// scalarList reads a list of single values.
func scalarList(file string, n *yaml.Node, key string) ([]string, error) {
	out := make([]string, 0, len(n.Content))
	for _, item := range n.Content {
		s, err := scalar(file, item, key)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// ApplySweepSpec puts a scenario file's sweep section into sw.
func ApplySweepSpec(sw *Sweep, spec SweepSpec) {
	if !spec.Present {
		return
	}
	if spec.Experiment != "" {
		sw.Experiment = spec.Experiment
	}
	if spec.SeedSet {
		sw.Seed = spec.Seed
	}
	if spec.Replicates > 0 {
		sw.Replicates = spec.Replicates
	}
	if spec.Axes != nil {
		sw.Axes = spec.Axes
	}
	if spec.Paired != nil {
		sw.Paired = spec.Paired
	}
	sw.KeepTimeSeries = sw.KeepTimeSeries || spec.KeepTimeSeries
}

// PrintScenario writes the fully defaulted scenario, and the sweep if sw is
// not nil, as a scenario file that loads back to the same thing.
func PrintScenario(sc Scenario, sw *Sweep) []byte {
	var b bytes.Buffer
	b.WriteString("# gossipsim scenario: every run parameter, fully defaulted (gossipsim help run lists them).\n")
	b.WriteString("# Run it with --scenario FILE; flags on the command line override the file.\n")
	fmt.Fprintf(&b, "name: %s\n", yamlScalar(sc.Name))
	fmt.Fprintf(&b, "model: %s\n", sc.ModelName())
	// The preset first: loading applies keys in order, so the individual
	// parameters after it keep their values.
	mitigation, _ := LookupParam("mitigation")
	fmt.Fprintf(&b, "mitigation: %s\n", yamlScalar(mitigation.Get(&sc)))
	shadowed := map[string]bool{"mitigation": true}
	set := setParams(sc.Model)
	for _, p := range set {
		shadowed[p.Name] = true // a protocol's own parameter, under set
	}
	for _, p := range scenarioParams {
		v := p.Get(&sc)
		switch {
		case shadowed[p.Name] || (v == "" && optionalRow(p.Name)):
			// a protocol's own, or a topology or fault row not set
		case p.Name == "faults":
			b.WriteString("faults:\n")
			b.WriteString(sc.Fleet.Faults.YAML("  "))
		default:
			fmt.Fprintf(&b, "%s: %s\n", p.Name, yamlScalar(v))
		}
	}
	if !ParamsAreFlags(sc.Model) {
		b.WriteString("set:\n")
		for _, v := range set {
			fmt.Fprintf(&b, "  %s: %s\n", v.Name, yamlScalar(v.String()))
		}
	}
	if sw != nil {
		b.WriteString("sweep:\n")
		fmt.Fprintf(&b, "  experiment: %s\n", yamlScalar(sw.Experiment))
		fmt.Fprintf(&b, "  seed: %d\n", sw.Seed)
		fmt.Fprintf(&b, "  replicates: %d\n", sw.Replicates)
		if sw.KeepTimeSeries {
			b.WriteString("  keep-time-series: true\n")
		}
		if len(sw.Paired) > 0 {
			quoted := make([]string, len(sw.Paired))
			for i, p := range sw.Paired {
				quoted[i] = yamlScalar(p)
			}
			fmt.Fprintf(&b, "  paired: [%s]\n", strings.Join(quoted, ", "))
		}
		if len(sw.Axes) > 0 {
			b.WriteString("  grid:\n")
			for _, ax := range sw.Axes {
				if axisNeedsList(ax) {
					printAxisList(&b, ax)
					continue
				}
				vals := yamlScalar(strings.Join(ax.Values, ","))
				if ax.Log {
					fmt.Fprintf(&b, "    %s: {values: %s, log: true}\n", ax.Name, vals)
				} else {
					fmt.Fprintf(&b, "    %s: %s\n", ax.Name, vals)
				}
			}
		}
	}
	return b.Bytes()
}

// axisNeedsList reports whether an axis is printed in the grid's long
// form: a value holds a comma (the one-line form would split it), or the
// axis has labels or a title.
func axisNeedsList(ax Axis) bool {
	if ax.Labels != nil || ax.Title != "" {
		return true
	}
	for _, v := range ax.Values {
		if strings.Contains(v, ",") {
			return true
		}
	}
	return false
}

// printAxisList writes an axis in the grid's long form: values (and
// labels) as YAML lists, then log and title.
func printAxisList(b *bytes.Buffer, ax Axis) {
	fmt.Fprintf(b, "    %s:\n      values: %s\n", ax.Name, yamlList(ax.Values))
	if ax.Log {
		b.WriteString("      log: true\n")
	}
	if ax.Labels != nil {
		fmt.Fprintf(b, "      labels: %s\n", yamlList(ax.Labels))
	}
	if ax.Title != "" {
		fmt.Fprintf(b, "      title: %s\n", yamlScalar(ax.Title))
	}
}

// yamlList writes vs as a YAML flow list.
func yamlList(vs []string) string {
	quoted := make([]string, len(vs))
	for i, v := range vs {
		quoted[i] = yamlScalar(v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// optionalRow reports whether a row is left out of printed scenarios and
// sweep.json when empty: the topology and fault rows, which a scenario
// without them never had.
func optionalRow(name string) bool {
	switch name {
	case "topology", "latency-matrix", "faults", "churn":
		return true
	}
	return strings.HasPrefix(name, "latency-same-") || strings.HasPrefix(name, "latency-cross-") ||
		strings.HasPrefix(name, "loss-same-") || strings.HasPrefix(name, "loss-cross-")
}

// yamlScalar quotes s when YAML would otherwise read it as something else.
func yamlScalar(s string) string {
	var n yaml.Node
	if s != "" && yaml.Unmarshal([]byte(s), &n) == nil && len(n.Content) == 1 &&
		n.Content[0].Kind == yaml.ScalarNode && n.Content[0].Value == s && !strings.ContainsAny(s, "#:{}[],&*!|>'\"%@`") {
		return s
	}
	return strconv.Quote(s)
}

// ScenarioHash is the SHA-256 of the fully defaulted scenario file (without
// any sweep section), in hex: two runs with the same hash ran the same
// scenario.
func ScenarioHash(sc Scenario) string {
	sum := sha256.Sum256(PrintScenario(sc, nil))
	return hex.EncodeToString(sum[:])
}
