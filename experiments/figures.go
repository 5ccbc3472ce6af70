package experiments

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/plots"
)

// Figure is one sweep figure: a metric drawn against the grid.
type Figure struct {
	// Metric is a summary column, e.g. "recovery_time_s".
	Metric string
	// Label is the y (or colour) axis label, with its unit.
	Label string
	// Kind is "line" (metric against the first numeric axis, one line per
	// value of the other axes), "heatmap" (the first two axes) or "box"
	// (the spread over replicates at each point).
	Kind string
	// LogY draws the metric on a log axis.
	LogY bool
	// Percent draws a fraction (0 to 1) as a percentage, as every figure
	// draws fractions; its Label says "%".
	Percent bool
}

// scale is the factor from the metric's values to the drawn ones.
func (f Figure) scale() float64 {
	if f.Percent {
		return 100
	}
	return 1
}

// peakWrongLabel is the axis label of peak_wrong_view_fraction, drawn in
// percent like the wrong views of the time-series figures.
const peakWrongLabel = "peak wrong views (% of live pairs)"

// defaultFigures are drawn for a custom --grid sweep.
var defaultFigures = []Figure{
	{Metric: "recovery_time_s", Label: "recovery time (s)"},
	{Metric: "peak_wrong_view_fraction", Label: peakWrongLabel, Percent: true},
	{Metric: "corruptions_accepted", Label: "corruptions accepted (messages)"},
	{Metric: "messages_per_node_per_second", Label: "gossip volume (messages/s per node)"},
	{Metric: "false_failures", Label: "false failure declarations"},
	{Metric: "detection_time_mean_s", Label: "crash detection time (s)"},
	// Only in sweeps with a topology or a fault schedule (record:"faults").
	{Metric: "convergence_after_heal_s", Label: "time from the heal to every view right (s)"},
}

// Figures are the figures drawn for the sweep: its named
// experiment's, one per summary field of a classic protocol, or the
// defaults of a custom sweep.
func (sw Sweep) Figures() []Figure {
	if e, ok := LookupExperiment(sw.Experiment); ok && len(e.Figures) > 0 {
		return e.Figures
	}
	if p := sw.Base.Model; len(p.FieldNames()) > 0 {
		// A model with fields of its own: one figure per field.
		var figs []Figure
		for _, name := range p.FieldNames() {
			figs = append(figs, Figure{Metric: name, Label: p.Name() + ": " + name})
		}
		return figs
	}
	return defaultFigures
}

// drawSweep draws a sweep's figures from its aggregate into dir, in the
// file format and resolution of out (its Format and DPI; the title and
// provenance are the sweep's), and returns the files written. A figure
// whose metric has no value anywhere is skipped.
func drawSweep(dir string, sw Sweep, t PointTable, out plots.Options) ([]string, error) {
	var files []string
	for _, fig := range sw.Figures() {
		if fig.Metric == CensoredFraction {
			x := numericAxis(sw.Axes)
			if x < 0 || !anyCensored(t) && !anyTriggered(t) {
				continue
			}
			path := filepath.Join(dir, out.FileName(fig.Metric))
			opt := lineOptions(sw, x, plots.SweepOptions{Title: sweepTitle(sw, t, fig, -1), YLabel: fig.Label, NonNegative: true, Options: sweepPlotOptions(sw, out)})
			if err := plots.MetricVsParam(path, censoredSeries(sw, t, x, fig.scale()), opt); err != nil {
				return files, fmt.Errorf("figure %s: %w", filepath.Base(path), err)
			}
			files = append(files, path)
			continue
		}
		m := t.Metric(fig.Metric)
		if m < 0 || !(anyValue(t, m) || anyCensoredFor(t, m)) {
			continue
		}
		kind := fig.Kind
		numeric := numericAxis(sw.Axes)
		if kind == "" {
			kind = "line"
		}
		if kind == "line" && numeric < 0 {
			kind = "box"
		}
		if kind == "heatmap" && (len(sw.Axes) < 2 || !isNumericAxis(sw.Axes[0]) || !isNumericAxis(sw.Axes[1])) {
			kind = "line"
		}
		path := filepath.Join(dir, out.FileName(fig.Metric))
		// Every summary column is a time, a count, a rate or a fraction: none
		// is below 0, so an interval reaching below 0 is drawn cut at 0.
		opt := plots.SweepOptions{Title: sweepTitle(sw, t, fig, m), YLabel: fig.Label, LogY: fig.LogY, NonNegative: true, Options: sweepPlotOptions(sw, out)}
		var err error
		switch kind {
		case "heatmap":
			err = drawHeatMap(path, sw, t, m, fig, opt)
		case "box":
			opt.XLabel = boxAxesLabel(sw)
			err = plots.Box(path, boxGroups(sw, t, m, fig.scale()), opt)
		default:
			err = plots.MetricVsParam(path, lineSeries(sw, t, m, numeric, fig.scale()), lineOptions(sw, numeric, opt))
		}
		if err != nil {
			return files, fmt.Errorf("figure %s: %w", filepath.Base(path), err)
		}
		files = append(files, path)
	}
	rep, err := drawRepresentative(dir, sw, t, out)
	if err != nil {
		return files, err
	}
	return append(files, rep...), nil
}

// CensoredFraction is a figure of the share of each point's runs that were
// censored (triggered, neither harmless nor recovered by the horizon), with
// Wilson 95% intervals.
const CensoredFraction = "censored_fraction"

func anyTriggered(t PointTable) bool {
	for _, p := range t.Points {
		if p.Untriggered < p.Runs {
			return true
		}
	}
	return false
}

// censoredSeries is lineSeries for the censored share of runs, times scale.
func censoredSeries(sw Sweep, t PointTable, x int, scale float64) []plots.Series {
	return groupSeries(sw, t, x, func(p PointStats) (float64, float64, float64, int) {
		frac, lo, hi := wilson(p.Censored, p.Runs)
		return frac * scale, lo * scale, hi * scale, 0
	})
}

// wilson is the share k/n with its Wilson score 95% interval.
func wilson(k, n int) (p, lo, hi float64) {
	if n == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	const z = 1.959963984540054
	p = float64(k) / float64(n)
	nn := float64(n)
	den := 1 + z*z/nn
	c := (p + z*z/(2*nn)) / den
	h := z * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn)) / den
	return p, math.Max(0, c-h), math.Min(1, c+h)
}

func anyCensored(t PointTable) bool {
	for _, p := range t.Points {
		if p.Censored > 0 {
			return true
		}
	}
	return false
}

func anyValue(t PointTable, m int) bool {
	for _, p := range t.Points {
		for _, v := range p.Values[m] {
			if !math.IsNaN(v) {
				return true
			}
		}
	}
	return false
}

// sweepTitle is the title of a sweep figure: the experiment, the figure's
// label without its unit (the axis says it) and how many runs it draws from
// (see replicatesText); m is the figure's metric, -1 for the censored share.
func sweepTitle(sw Sweep, t PointTable, fig Figure, m int) string {
	name := sw.Experiment
	if name == "" {
		name = "custom"
	}
	label := fig.Label
	if i := strings.LastIndex(label, " ("); i > 0 && strings.HasSuffix(label, ")") {
		label = label[:i]
	}
	return fmt.Sprintf("%s: %s (%s)", name, label, replicatesText(sw, t, m))
}

// drawnRuns counts the runs a figure of metric m draws from (every run a
// point holds, less those whose cell for m was dropped as unusable; m < 0:
// every run) and the runs the sweep has.
func drawnRuns(sw Sweep, t PointTable, m int) (drawn, total int) {
	for _, p := range t.Points {
		drawn += p.Runs - p.dropped(m)
	}
	return drawn, len(t.Points) * sw.Replicates
}

// replicatesText is "20 replicates per point" when a figure of metric m
// draws from every run of the sweep, or "n = 17 of 20 runs" when some runs
// or cells were left out.
func replicatesText(sw Sweep, t PointTable, m int) string {
	drawn, total := drawnRuns(sw, t, m)
	if drawn >= total {
		return fmt.Sprintf("%d replicates per point", sw.Replicates)
	}
	return fmt.Sprintf("n = %d of %d runs", drawn, total)
}

func isNumericAxis(ax Axis) bool {
	for _, v := range ax.Values {
		if _, err := strconv.ParseFloat(strings.TrimRight(ax.Shown(v), "smhµun"), 64); err != nil {
			return false
		}
	}
	return true
}

// axisNumber reads an axis value as a number: durations in seconds.
func axisNumber(v string) float64 {
	if x, err := strconv.ParseFloat(v, 64); err == nil {
		return x
	}
	if d, err := parseSimTime(v); err == nil {
		return d.Seconds()
	}
	return math.NaN()
}

// numericAxis is the index of the first axis whose values are all numbers, or -1.
func numericAxis(axes []Axis) int {
	for i, ax := range axes {
		if isNumericAxis(ax) {
			return i
		}
	}
	return -1
}

func axisLabel(ax Axis) string {
	if ax.Title != "" {
		return ax.Title
	}
	if p, ok := LookupParam(ax.Name); ok && p.Type == param.TypeDuration {
		return ax.Name + " (s)"
	}
	return ax.Name
}

func lineOptions(sw Sweep, x int, opt plots.SweepOptions) plots.SweepOptions {
	opt.XLabel = axisLabel(sw.Axes[x])
	opt.LogX = sw.Axes[x].Log
	return opt
}

// lineSeries groups points into one series per combination of the other
// axes' values, plotting metric m (times scale) against axis x.
func lineSeries(sw Sweep, t PointTable, m, x int, scale float64) []plots.Series {
	return groupSeries(sw, t, x, func(p PointStats) (float64, float64, float64, int) {
		st, cens := p.Stats[m], censoredRuns(t, p, m)
		return st.Mean * scale, st.Lo * scale, st.Hi * scale, cens
	})
}

// groupSeries builds one series per combination of the axes other than x,
// in first-seen order, each point's value, CI and censored count from value.
func groupSeries(sw Sweep, t PointTable, x int, value func(PointStats) (mean, lo, hi float64, censored int)) []plots.Series {
	var order []string
	byLabel := map[string]*plots.Series{}
	for _, p := range t.Points {
		var parts []string
		for i, ax := range sw.Axes {
			if i != x {
				parts = append(parts, axisLabel(ax)+" = "+ax.Shown(p.Point.Values[i]))
			}
		}
		label := strings.Join(parts, ", ")
		s, ok := byLabel[label]
		if !ok {
			s = &plots.Series{Label: label}
			byLabel[label] = s
			order = append(order, label)
		}
		mean, lo, hi, cens := value(p)
		s.X = append(s.X, axisNumber(sw.Axes[x].Shown(p.Point.Values[x])))
		s.Mean, s.Lo, s.Hi = append(s.Mean, mean), append(s.Lo, lo), append(s.Hi, hi)
		s.Runs, s.Censored = append(s.Runs, p.Runs), append(s.Censored, cens)
	}
	out := make([]plots.Series, 0, len(order))
	for _, l := range order {
		s := byLabel[l]
		sortSeries(s)
		out = append(out, *s)
	}
	return out
}

// sortSeries orders a series by X (axis values need not be listed ascending).
func sortSeries(s *plots.Series) {
	idx := make([]int, len(s.X))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.X[idx[a]] < s.X[idx[b]] })
	pick := func(xs []float64) []float64 {
		out := make([]float64, len(xs))
		for i, k := range idx {
			out[i] = xs[k]
		}
		return out
	}
	picki := func(xs []int) []int {
		out := make([]int, len(xs))
		for i, k := range idx {
			out[i] = xs[k]
		}
		return out
	}
	s.X, s.Mean, s.Lo, s.Hi = pick(s.X), pick(s.Mean), pick(s.Lo), pick(s.Hi)
	s.Runs, s.Censored = picki(s.Runs), picki(s.Censored)
}

// boxGroups are the box-plot categories of metric m (times scale), one
// per point; in a sweep over mitigations each in its mitigation's colour.
func boxGroups(sw Sweep, t PointTable, m int, scale float64) []plots.Group {
	gs := make([]plots.Group, 0, len(t.Points))
	for _, p := range t.Points {
		// One axis: its value. More: one value a line, the axes named by
		// the x axis's label (boxAxesLabel), so that a dozen points fit.
		shown := make([]string, len(p.Point.Values))
		for k, v := range p.Point.Values {
			shown[k] = sw.Axes[k].Shown(v)
		}
		label := strings.Join(shown, "\n")
		if label == "" {
			label = sw.Experiment
		}
		switch t.Metrics[m] {
		case "recovery_time_s":
			label += noValueNote(p)
		case "convergence_after_heal_s":
			label += noHealNote(t, p)
		}
		g := plots.Group{Label: label}
		if isMitigationSweep(sw) {
			g.Colour = plots.MitigationColour(p.Point.Values[0])
		}
		for _, v := range p.Values[m] {
			if !math.IsNaN(v) {
				g.Values = append(g.Values, v*scale)
			}
		}
		g.Censored = censoredRuns(t, p, m)
		gs = append(gs, g)
	}
	return gs
}

// boxAxesLabel is the x-axis label of a box figure of a sweep over more
// than one axis: the axes' names, top to bottom as the category labels
// list their values ("nodes / corrupt-prob / detector"); empty for one
// axis or none, whose values say what they are.
func boxAxesLabel(sw Sweep) string {
	if len(sw.Axes) < 2 {
		return ""
	}
	names := make([]string, len(sw.Axes))
	for i, ax := range sw.Axes {
		names[i] = axisLabel(ax)
	}
	return strings.Join(names, " / ") + " (top to bottom)"
}

// noValueNote says which of a point's runs have no recovery time for a reason
// other than censoring, e.g. " (2 untriggered, 15 harmless)", or "".
func noValueNote(p PointStats) string {
	var parts []string
	if p.Untriggered > 0 {
		parts = append(parts, fmt.Sprintf("%d untriggered", p.Untriggered))
	}
	if p.Harmless > 0 {
		parts = append(parts, fmt.Sprintf("%d harmless", p.Harmless))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func drawHeatMap(path string, sw Sweep, t PointTable, m int, fig Figure, opt plots.SweepOptions) error {
	xs := make([]float64, len(sw.Axes[1].Values))
	for i, v := range sw.Axes[1].Values {
		xs[i] = axisNumber(sw.Axes[1].Shown(v))
	}
	ys := make([]float64, len(sw.Axes[0].Values))
	for i, v := range sw.Axes[0].Values {
		ys[i] = axisNumber(sw.Axes[0].Shown(v))
	}
	z := make([][]float64, len(ys))
	for i := range z {
		z[i] = make([]float64, len(xs))
	}
	// Points are ordered with the first axis outermost; average over any further axes.
	inner := len(t.Points) / (len(xs) * len(ys))
	for _, p := range t.Points {
		row := p.Point.Index / (len(xs) * inner)
		col := (p.Point.Index / inner) % len(xs)
		z[row][col] += p.Stats[m].Mean * fig.scale() / float64(inner)
	}
	opt.XLabel = axisLabel(sw.Axes[1])
	opt.YLabel = axisLabel(sw.Axes[0])
	return plots.HeatMap(path, xs, ys, z, opt, fig.Label)
}

// drawRepresentative draws the time series of a sweep's representative run
// (the median of the first point's replicates by peak wrong-view fraction),
// or for a sweep over mitigations one figure with every mitigation's, when
// the sweep kept time series.
func drawRepresentative(dir string, sw Sweep, t PointTable, out plots.Options) ([]string, error) {
	if !sw.KeepTimeSeries || len(t.Points) == 0 || t.Metric("peak_wrong_view_fraction") < 0 {
		return nil, nil
	}
	if isMitigationSweep(sw) {
		return drawMitigationCompare(dir, sw, t, out)
	}
	p := t.Points[0]
	if p.Runs == 0 {
		return nil, nil
	}
	run, rep, ok := representativeRun(sw, t, p)
	if !ok {
		return nil, nil
	}
	samples, err := ReadTimeSeriesCSV(filepath.Join(dir, TimeSeriesDir, fmt.Sprintf("run-%06d.csv", run)))
	if err != nil {
		return nil, err
	}
	sub := filepath.Join(dir, "representative")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		return nil, err
	}
	title := fmt.Sprintf("%s: representative run (replicate %d of %d, median peak wrong views)", sw.Experiment, rep, p.Runs-p.dropped(t.Metric("peak_wrong_view_fraction")))
	opt := sweepPlotOptions(sw, out)
	opt.Title = title
	return plots.WriteFiles(sub, samples, TriggerMarker(samples), opt)
}

// sweepPlotOptions are the figure options every figure of a sweep shares:
// its provenance, and the file format and resolution of out.
func sweepPlotOptions(sw Sweep, out plots.Options) plots.Options {
	return plots.Options{Format: out.Format, DPI: out.DPI, Provenance: ProvenanceOf(sw.Base, sw.Seed).Text()}
}
