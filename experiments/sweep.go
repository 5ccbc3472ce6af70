package experiments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/sim"
)

// Version is gossipsim's version, recorded in every sweep.json.
const Version = "0.2.0"

// Sweep is a parameter sweep: every point of the grid over the base
// scenario, each run Replicates times.
type Sweep struct {
	// Experiment names the named experiment, or "custom" for a --grid sweep.
	Experiment string
	// Seed is the sweep seed every run's seed is derived from.
	Seed uint64
	// Replicates is the number of runs per grid point, each with its own seed.
	Replicates int
	// Axes is the grid; none means a single point.
	Axes []Axis
	// Base is the scenario every point starts from.
	Base Scenario
	// KeepTimeSeries writes each run's time series to DIR/timeseries/run-NNNNNN.csv.
	KeepTimeSeries bool
	// Paired names axes left out of the seed key, so every value of such an
	// axis runs replicate r with the same seed (common random numbers: the
	// mitigations experiment compares each mitigation on the same trigger).
	Paired []string
}

// MaxRuns caps a sweep's size (points × replicates).
const MaxRuns = 1_000_000

// RunSpec is one run of a sweep.
type RunSpec struct {
	// Index is the run's position: Point.Index*Replicates + Replicate.
	Index int
	// Point is the grid point.
	Point Point
	// Replicate counts from 0.
	Replicate int
	// Scenario is the fully set scenario, with the run's derived seed.
	Scenario Scenario
}

// RunSeed is the documented seed rule: a run's seed is
// sim.DeriveSeed(sweep seed, point key, replicate), where the point key is
// the canonical "name=value name=value" text of its grid values ("" for a
// sweep with no grid). A point keeps its seeds when other points are added.
func RunSeed(sweepSeed uint64, pointKey string, replicate int) uint64 {
	return sim.DeriveSeed(sweepSeed, pointKey, uint64(replicate))
}

// Runs expands the sweep into its runs, setting and validating every point's
// scenario; the first bad point's error names the point.
func (s Sweep) Runs() ([]RunSpec, error) {
	if err := s.checkSize(); err != nil {
		return nil, err
	}
	pts := Points(s.Axes)
	runs := make([]RunSpec, 0, len(pts)*s.Replicates)
	for _, p := range pts {
		sc := s.Base.Clone()
		for i, ax := range s.Axes {
			v, ok := sc.Param(ax.Name)
			if !ok {
				return nil, refusef(ErrUnknownParam, "grid: %q names no parameter of model %s", ax.Name, sc.ModelName())
			}
			if err := v.Set(p.Values[i]); err != nil {
				return nil, badInputf("grid: %s=%s: %v", ax.Name, p.Values[i], err)
			}
		}
		if err := sc.Validate(); err != nil {
			if len(s.Axes) > 0 {
				return nil, badInputf("grid point %s: %w", p.Key(s.Axes), err)
			}
			return nil, err
		}
		key := s.seedKey(p)
		for r := range s.Replicates {
			sc := sc.Clone()
			sc.Seed = RunSeed(s.Seed, key, r)
			runs = append(runs, RunSpec{Index: p.Index*s.Replicates + r, Point: p, Replicate: r, Scenario: sc})
		}
	}
	return runs, nil
}

// checkSize refuses a sweep of more than MaxRuns runs, or with an axis
// given twice, from the axes' value counts alone: nothing is built, so a
// grid of 10^4 × 10^4 × 10^4 values is refused at once. Its errors are bad
// input.
func (s Sweep) checkSize() error {
	if s.Replicates < 1 || s.Replicates > MaxRuns {
		return badInputf("replicates: %d is outside [1, %d]", s.Replicates, MaxRuns)
	}
	seen := map[string]bool{}
	for _, ax := range s.Axes {
		if seen[ax.Name] {
			return badInputf("grid: %s is given twice", ax.Name)
		}
		seen[ax.Name] = true
	}
	if n := gridSize(s.Axes); n > MaxRuns || int64(n)*int64(s.Replicates) > MaxRuns {
		return badInputf("grid: %s × %d replicates is more than %d runs", gridSizeText(s.Axes), s.Replicates, MaxRuns)
	}
	return nil
}

// seedKey is the point key over the axes that are not paired.
func (s Sweep) seedKey(p Point) string {
	var axes []Axis
	var vals []string
	for i, ax := range s.Axes {
		if !slices.Contains(s.Paired, ax.Name) {
			axes = append(axes, ax)
			vals = append(vals, p.Values[i])
		}
	}
	return Point{Values: vals}.Key(axes)
}

// Shard selects the i-th of n disjoint slices of a sweep's runs: run k
// belongs to shard (k mod n) + 1. The zero Shard (or 1/1) is the whole sweep.
type Shard struct{ I, N int }

// ParseShard reads "i/n" with 1 <= i <= n.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, errI := strconv.Atoi(a)
	n, errN := strconv.Atoi(b)
	if !ok || errI != nil || errN != nil || n < 1 || i < 1 || i > n || n > MaxRuns {
		return Shard{}, badInputf("shard: %q is not i/n with 1 <= i <= n (for example 2/8)", s)
	}
	return Shard{I: i, N: n}, nil
}

// Whole reports whether the shard is the whole sweep.
func (sh Shard) Whole() bool { return sh.N <= 1 }

// Has reports whether run index k belongs to the shard.
func (sh Shard) Has(k int) bool { return sh.Whole() || k%sh.N == sh.I-1 }

// String is "i/n".
func (sh Shard) String() string {
	if sh.Whole() {
		return "1/1"
	}
	return fmt.Sprintf("%d/%d", sh.I, sh.N)
}

// sweepFile is sweep.json: everything needed to rerun, resume, merge or
// redraw the sweep.
type sweepFile struct {
	Gossipsim  string            `json:"gossipsim_version"`
	Experiment string            `json:"experiment"`
	Seed       uint64            `json:"seed"`
	SeedRule   string            `json:"seed_rule"`
	Replicates int               `json:"replicates"`
	Points     int               `json:"points"`
	Runs       int               `json:"runs"`
	Grid       []Axis            `json:"grid"`
	Scenario   map[string]string `json:"scenario"`
	TimeSeries bool              `json:"keep_time_series,omitempty"`
	Paired     []string          `json:"paired_axes,omitempty"`
	// Provenance records the build and the base scenario's hash. It is not
	// part of the sweep's identity: a resume or a merge with another build
	// of the same version is allowed (sweepIdentity leaves it out).
	Provenance *Provenance `json:"provenance,omitempty"`
}

// sweepIdentity is sweep.json without its provenance: what must agree for
// a resume or a merge.
func sweepIdentity(b []byte) string {
	var f sweepFile
	if json.Unmarshal(b, &f) != nil {
		return string(b)
	}
	f.Provenance = nil
	out, _ := json.Marshal(f)
	return string(out)
}

const seedRule = "run seed = sim.DeriveSeed(sweep seed, point key, replicate); point key = \"name=value ...\" of the grid values, leaving out paired axes"

// ScenarioParams renders every parameter of sc as the text its flag takes.
func ScenarioParams(sc Scenario) map[string]string {
	m := map[string]string{}
	for _, p := range Params() {
		if v := p.Get(&sc); v != "" || !optionalRow(p.Name) {
			m[p.Name] = v
		}
	}
	protocolParams(sc.Model, m)
	return m
}

// SweepJSON renders sweep.json.
func (s Sweep) SweepJSON() ([]byte, error) {
	pts := gridSize(s.Axes)
	axes := s.Axes
	if axes == nil {
		axes = []Axis{}
	}
	f := sweepFile{
		Gossipsim: Version, Experiment: s.Experiment, Seed: s.Seed, SeedRule: seedRule,
		Replicates: s.Replicates, Points: pts, Runs: pts * s.Replicates,
		Grid: axes, Scenario: ScenarioParams(s.Base), TimeSeries: s.KeepTimeSeries, Paired: s.Paired,
	}
	prov := ProvenanceOf(s.Base, s.Seed)
	f.Provenance = &prov
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ParseSweepJSON reads a sweep.json back into a Sweep.
func ParseSweepJSON(b []byte) (Sweep, error) {
	var f sweepFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Sweep{}, badInputf("sweep.json: %v", err)
	}
	sc := DefaultScenario()
	names := sortedKeys(f.Scenario) // the model first: its parameters follow
	// Then a preset: the recorded individual parameters then restore any override.
	if _, ok := f.Scenario["mitigation"]; ok {
		at := 0
		if _, ok := f.Scenario["model"]; ok {
			at = 1
		}
		names = slices.Insert(names, at, "mitigation")
	}
	for _, k := range names {
		val := f.Scenario[k]
		var err error
		switch {
		case k == "model":
			err = sc.SetModel(val)
		case strings.HasPrefix(k, "set."):
			err = sc.SetModelParam(strings.TrimPrefix(k, "set.") + "=" + val)
		default:
			p, ok := LookupParam(k)
			if !ok {
				return Sweep{}, badInputf("sweep.json: scenario: unknown parameter %q", k)
			}
			err = p.Set(&sc, val)
		}
		if err != nil {
			return Sweep{}, badInputf("sweep.json: scenario: %s=%q: %v", k, val, err)
		}
	}
	sw := Sweep{Experiment: f.Experiment, Seed: f.Seed, Replicates: f.Replicates, Axes: f.Grid, Base: sc, KeepTimeSeries: f.TimeSeries, Paired: f.Paired}
	if len(sw.Axes) == 0 {
		sw.Axes = nil
	}
	if _, err := sw.Runs(); err != nil {
		return Sweep{}, badInputf("sweep.json: %v", err)
	}
	return sw, nil
}

// ErrSweepExists is returned when a directory already holds a sweep and
// SweepOptions.Resume is false, or when Merge's output directory holds one.
var ErrSweepExists = errors.New("already holds a sweep")

// RunColumns is the header of runs.csv: run, point, replicate, one grid_
// column per axis, then every summary field.
func (s Sweep) RunColumns() []string {
	cols := []string{"run", "point", "replicate"}
	for _, ax := range s.Axes {
		cols = append(cols, GridColumn(ax.Name))
	}
	return append(cols, summaryColumns(s.Base.Model, s.recordsFaults())...)
}

// recordsFaults reports whether the sweep's records have the fault fields
// (record:"faults", see recordMode): its base scenario has a topology or a
// fault schedule, or one of its axes sets one (a fault parameter with a
// value that is not empty). It reads the base and the axes only, never a
// run, so every shard of the sweep has the same columns.
func (s Sweep) recordsFaults() bool {
	if hasFaults(s.Base) {
		return true
	}
	for _, ax := range s.Axes {
		if faultParams[ax.Name] && slices.ContainsFunc(ax.Values, func(v string) bool { return v != "" }) {
			return true
		}
	}
	return false
}

// GridColumn is the CSV column holding an axis's value: "grid_" and the
// parameter name with underscores.
func GridColumn(param string) string { return "grid_" + strings.ReplaceAll(param, "-", "_") }

// runRow renders one finished run as a runs.csv row.
func (s Sweep) runRow(rs RunSpec, sum Summary) []string {
	row := []string{strconv.Itoa(rs.Index), strconv.Itoa(rs.Point.Index), strconv.Itoa(rs.Replicate)}
	row = append(row, rs.Point.Values...)
	for _, f := range summaryFieldsFor(sum, recordMode{faults: s.recordsFaults()}) {
		row = append(row, f.Text)
	}
	return row
}
