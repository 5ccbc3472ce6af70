package experiments

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/gossipsim/gossipsim/plots"
	"github.com/gossipsim/gossipsim/sim"
)

// Check compares one protocol metric with a published or analytic result,
// over a range of one parameter (usually the fleet size n).
type Check struct {
	// Name identifies the check, e.g. "epidemic-push-rounds".
	Name string
	// What says in words what is compared.
	What string
	// Source cites the reference.
	Source string
	// Model is the protocol (--model) and Sets its parameters (--set).
	Model string
	Sets  []string
	// Axis is the swept parameter ("nodes" or a protocol parameter) and Values its values.
	Axis   string
	Values []string
	// Base adjusts the scenario (fleet size, horizon) before the axis is applied.
	Base func(*Scenario)
	// Metric is the summary field compared, and Label its axis label,
	// with its unit ("" means Metric). Percent draws a fraction as a
	// percentage (the table keeps the fraction).
	Metric  string
	Label   string
	Percent bool
	// Reference gives the expected value at an axis value.
	Reference func(x float64) float64
	// Tolerance is how far the simulated mean may be from the reference:
	// absolute, or relative to the reference when Relative is set.
	Tolerance float64
	Relative  bool
	// Replicates per axis value.
	Replicates int
}

// CheckPoint is one axis value of a check's outcome.
type CheckPoint struct {
	X         float64
	Reference float64
	Stat      Stat
	Pass      bool
}

// CheckResult is a check's outcome at every axis value.
type CheckResult struct {
	Check  Check
	Points []CheckPoint
	// Provenance of the check's sweep, for its figure.
	Provenance string
}

// Pass reports whether every point is within tolerance.
func (r CheckResult) Pass() bool {
	for _, p := range r.Points {
		if !p.Pass {
			return false
		}
	}
	return len(r.Points) > 0
}

// sweep builds the check's sweep.
func (c Check) sweep(quick bool) (Sweep, error) {
	sc := DefaultScenario()
	sc.Fleet.Corruption.Probability = 0
	p, err := NewModel(c.Model)
	if err != nil {
		return Sweep{}, err
	}
	sc.Model = p
	for _, kv := range c.Sets {
		if err := sc.SetModelParam(kv); err != nil {
			return Sweep{}, fmt.Errorf("check %s: %v", c.Name, err)
		}
	}
	if c.Base != nil {
		c.Base(&sc)
	}
	values, reps := c.Values, c.Replicates
	if quick {
		values = values[:1]
		reps = max(20, reps/3)
	}
	ax, err := ParseAxisFor(c.Axis+"="+joinComma(values), sc)
	if err != nil {
		return Sweep{}, fmt.Errorf("check %s: %v", c.Name, err)
	}
	return Sweep{Experiment: "validation-" + c.Name, Seed: 1, Replicates: reps, Base: sc, Axes: []Axis{ax}}, nil
}

func joinComma(vs []string) string {
	var b bytes.Buffer
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(v)
	}
	return b.String()
}

// runValidationCheck runs one check into dir (a sweep directory of its own).
func runValidationCheck(ctx context.Context, c Check, dir string, quick bool, opt SweepOptions) (CheckResult, error) {
	sw, err := c.sweep(quick)
	if err != nil {
		return CheckResult{}, err
	}
	if _, err := RunSweep(ctx, sw, dir, opt); err != nil {
		return CheckResult{}, err
	}
	_, _, rows, err := LoadSweep(dir)
	if err != nil {
		return CheckResult{}, err
	}
	t := Aggregate(sw, sw.RunColumns(), rows)
	m := t.Metric(c.Metric)
	if m < 0 {
		return CheckResult{}, fmt.Errorf("check %s: model %s has no field %q", c.Name, c.Model, c.Metric)
	}
	res := CheckResult{Check: c, Provenance: ProvenanceOf(sw.Base, sw.Seed).Text()}
	for _, p := range t.Points {
		x := axisNumber(p.Point.Values[0])
		ref := c.Reference(x)
		st := p.Stats[m]
		tol := c.Tolerance
		if c.Relative {
			tol *= math.Abs(ref)
		}
		res.Points = append(res.Points, CheckPoint{X: x, Reference: ref, Stat: st, Pass: st.N > 0 && math.Abs(st.Mean-ref) <= tol})
	}
	sort.SliceStable(res.Points, func(a, b int) bool { return res.Points[a].X < res.Points[b].X })
	return res, nil
}

// validationCSV renders the table of check results.
func validationCSV(rs []CheckResult) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"check", "what", "source", "axis", "x", "reference", "mean", "ci95_lo", "ci95_hi", "n", "tolerance", "pass"})
	for _, r := range rs {
		tol := formatFloat(r.Check.Tolerance)
		if r.Check.Relative {
			tol += " (relative)"
		}
		for _, p := range r.Points {
			w.Write([]string{r.Check.Name, r.Check.What, r.Check.Source, r.Check.Axis, formatFloat(p.X), formatFloat(p.Reference),
				formatNullable(p.Stat.Mean), formatNullable(p.Stat.Lo), formatNullable(p.Stat.Hi), strconv.Itoa(p.Stat.N), tol, strconv.FormatBool(p.Pass)})
		}
	}
	w.Flush()
	return buf.Bytes()
}

// drawCheck draws simulated (mean and 95% CI) against the reference, in
// the file format and resolution of fig (its Format and DPI).
func drawCheck(path string, r CheckResult, fig plots.Options) error {
	sim := plots.Series{Label: "simulated, mean and 95% CI"}
	ref := plots.Series{Label: "reference: " + r.Check.Source}
	scale := 1.0
	if r.Check.Percent {
		scale = 100
	}
	for _, p := range r.Points {
		sim.X, sim.Mean = append(sim.X, p.X), append(sim.Mean, p.Stat.Mean*scale)
		sim.Lo, sim.Hi = append(sim.Lo, p.Stat.Lo*scale), append(sim.Hi, p.Stat.Hi*scale)
		ref.X, ref.Mean = append(ref.X, p.X), append(ref.Mean, p.Reference*scale)
		ref.Lo, ref.Hi = append(ref.Lo, math.NaN()), append(ref.Hi, math.NaN())
	}
	logX := r.Check.Axis == "nodes" && len(r.Points) > 1
	label := r.Check.Label
	if label == "" {
		label = r.Check.Metric
	}
	opt := plots.SweepOptions{Title: "validation: " + r.Check.What, XLabel: r.Check.Axis, YLabel: label, LogX: logX,
		Options: plots.Options{Format: fig.Format, DPI: fig.DPI, Provenance: r.Provenance}}
	return plots.MetricVsParam(path, []plots.Series{sim, ref}, opt)
}

// ValidationFileName is the table of check results in a validation directory.
const ValidationFileName = "validation.csv"

// RunValidation runs every check (a quick version: the first axis value and
// fewer replicates) into dir/CHECK/, writes dir/validation.csv and one figure
// per check (in the format of opt.Plot), and returns the results.
//
// Each check is a sweep; opt.Resume resumes them as RunSweep does (finished
// checks are read back, recorded runs skipped). Without Resume, a dir holding
// results of an earlier validation is refused (ErrUnfinished, bad input).
// Cancelled by ctx (a context from [Graceful] drains the check in progress),
// it returns an [*Unfinished] saying what is written, or ctx's error alone if
// nothing is.
//
// It holds dir's lock (LockDir) until it returns.
func RunValidation(ctx context.Context, dir string, quick bool, opt SweepOptions) ([]CheckResult, []string, error) {
	release, err := LockDir(dir)
	if err != nil {
		return nil, nil, err
	}
	defer release()
	if err := PrepareOutDir(dir); err != nil {
		return nil, nil, err
	}
	checks := ValidationChecks()
	parts := &Parts{What: "validation", Dir: dir}
	for _, c := range checks {
		parts.Names = append(parts.Names, c.Name)
	}
	if !opt.Resume {
		if err := parts.RefuseEarlierStart(ValidationFileName); err != nil {
			return nil, nil, err
		}
	}
	var rs []CheckResult
	var files []string
	for _, c := range checks {
		var r CheckResult
		err := parts.Do(ctx, c.Name, func() (err error) {
			r, err = runValidationCheck(ctx, c, filepath.Join(dir, c.Name), quick, opt)
			return err
		})
		if err != nil {
			return rs, files, err
		}
		rs = append(rs, r)
		fig := filepath.Join(dir, opt.Plot.FileName(c.Name))
		if err := drawCheck(fig, r, opt.Plot); err != nil {
			return rs, files, err
		}
		files = append(files, fig)
	}
	table := filepath.Join(dir, ValidationFileName)
	if err := WriteFileAtomic(table, validationCSV(rs)); err != nil {
		return rs, files, err
	}
	return rs, append([]string{table}, files...), nil
}

// rumorResidue solves s = exp(-(k+1)(1-s)) for its root in (0, 1) by bisection
// (Demers et al. 1987, feedback + counter push rumor mongering).
func rumorResidue(k float64) float64 {
	lo, hi := 1e-12, 1-1e-9
	f := func(s float64) float64 { return s - math.Exp(-(k+1)*(1-s)) }
	for range 200 {
		mid := (lo + hi) / 2
		if f(mid) > 0 {
			hi = mid
		} else {
			lo = mid
		}
	}
	return (lo + hi) / 2
}

// residueLabel is the axis label of the rumor-mongering residue.
const residueLabel = "residue (% of sites never told)"

// ValidationChecks lists the comparisons with the literature.
func ValidationChecks() []Check {
	horizon := func(d sim.Time) func(*Scenario) {
		return func(s *Scenario) { s.Duration = d; s.SampleInterval = d }
	}
	return []Check{
		{
			Name: "epidemic-push-rounds", What: "push epidemic, one call per informed node per round: rounds to inform all n",
			Source: "Frieze & Grimmett 1985; Pittel 1987: log2 n + ln n + O(1)",
			Model:  "epidemic", Sets: []string{"mode=push", "rounds=sync", "fanout=1"},
			Axis: "nodes", Values: []string{"1000", "100", "10000"}, Base: horizon(200 * sim.Second),
			Metric: "rounds_to_full", Label: "rounds to inform all n nodes", Reference: func(n float64) float64 { return math.Log2(n) + math.Log(n) },
			Tolerance: 1.5, Replicates: 50,
		},
		{
			// The paper's Table 1 (push, feedback, counter, 1000 sites), as
			// printed: residue 0.18, 0.037, 0.011, 0.0036, 0.0012 for k = 1..5.
			Name: "rumor-residue-table1", What: "rumor mongering, push, feedback + counter, 1000 sites: residue against k",
			Source: "Demers et al. 1987, Table 1",
			Model:  "rumor", Sets: []string{"variant=feedback-counter", "mode=push"},
			Axis: "k", Values: []string{"1", "2", "3", "4"}, Base: func(s *Scenario) { s.Fleet.Nodes = 1000; horizon(500 * sim.Second)(s) },
			Metric: "residue", Label: residueLabel, Percent: true,
			Reference: func(k float64) float64 { return []float64{0.18, 0.037, 0.011, 0.0036}[int(k)-1] },
			Tolerance: 0.15, Relative: true, Replicates: 100,
		},
		{
			Name: "rumor-traffic-table1", What: "rumor mongering, push, feedback + counter, 1000 sites: traffic (messages per site) against k",
			Source: "Demers et al. 1987, Table 1",
			Model:  "rumor", Sets: []string{"variant=feedback-counter", "mode=push"},
			Axis: "k", Values: []string{"1", "2", "3", "4"}, Base: func(s *Scenario) { s.Fleet.Nodes = 1000; horizon(500 * sim.Second)(s) },
			Metric: "traffic", Label: "traffic (messages per site)", Reference: func(k float64) float64 { return []float64{1.7, 3.3, 4.5, 5.6}[int(k)-1] },
			Tolerance: 0.1, Replicates: 100,
		},
		{
			// The paper derives s = exp(-(k+1)(1-s)) for the coin model as
			// n → ∞; at 1000 sites we measure 12-17% below it, hence the
			// stated 20% tolerance.
			Name: "rumor-residue-formula", What: "rumor mongering, push, feedback + coin: residue against k",
			Source: "Demers et al. 1987: s = exp(-(k+1)(1-s))",
			Model:  "rumor", Sets: []string{"variant=feedback-coin", "mode=push"},
			Axis: "k", Values: []string{"1", "2", "3"}, Base: func(s *Scenario) { s.Fleet.Nodes = 1000; horizon(500 * sim.Second)(s) },
			Metric: "residue", Label: residueLabel, Percent: true, Reference: rumorResidue, Tolerance: 0.20, Relative: true, Replicates: 100,
		},
		{
			Name: "swim-first-detection", What: "SWIM, random probe targets, 10 members crash together: protocol periods to first detection",
			Source: "Das, Gupta, Motivala 2002: 1/(1-exp(-q_f)), q_f = (n-10)/n (→ e/(e-1) for few failures)",
			Model:  "swim", Sets: []string{"probe-order=random", "crashes=10"},
			Axis: "nodes", Values: []string{"100", "1000"}, Base: horizon(60 * sim.Second),
			Metric: "first_detection_periods", Label: "protocol periods to first detection", Reference: func(n float64) float64 { return 1 / (1 - math.Exp(-(n-10)/n)) },
			Tolerance: 0.10, Relative: true, Replicates: 60,
		},
		{
			// An observer declares a crashed member failed T_fail after the last
			// heartbeat of it that reached the observer; with whole-list push
			// gossip to one peer a round, that last heartbeat reaches a random
			// member about ln n rounds after it was issued (our approximation
			// of the epidemic's mean infection time, not a formula of the paper).
			Name: "heartbeat-detection", What: "gossip-style failure detection, T_gossip 1 s, T_fail 10 s: mean time from a crash to detection",
			Source: "van Renesse, Minsky, Hayden 1998 (T_fail after the last heartbeat seen) + ln n rounds of epidemic delay",
			Model:  "heartbeat", Sets: []string{"t-gossip=1s", "t-fail=10s", "t-cleanup=20s"},
			Axis: "nodes", Values: []string{"50", "200"}, Base: horizon(60 * sim.Second),
			Metric: "detection_time_s", Label: "detection time (s)", Reference: func(n float64) float64 { return 10 + math.Log(n) },
			Tolerance: 1.5, Replicates: 20,
		},
	}
}
