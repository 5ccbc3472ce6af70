package report

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/plots"
)

// source is what report.md.tmpl writes the report from: the numbers, tables
// and figures of each section that ran (nil if it did not).
type source struct {
	Experiment, Version string
	Quick               bool
	Replay              *replaySection
	Mitigations         *mitigationsSection
	Sweep               *sweepSection
	Validation          *validationSection
	Command, Provenance string
}

// replaySection is the 2008 replay and its mitigation variants.
type replaySection struct {
	Origin string
	Nodes  int
	// End is the clock time the replay runs to.
	End string
	// Scale is ReplayTimeScale: seconds of the day per simulated second.
	Scale int
	// SimSeconds is the replay's horizon in simulated seconds.
	SimSeconds float64
	// CorruptProb is the probability a message is corrupted while corrupted
	// messages appear.
	CorruptProb float64
	Scenario    string // the scenario file, fully defaulted
	// Timeline and Variants are the figures: the replay alone, and every
	// variant on the same clock.
	Timeline, Variants string
	Rows               [][]string
	// Anatomy is the 2008 run's storm, node by node; nil if it did not
	// storm (metrics.FindStorm).
	Anatomy *anatomySection
	// Spread is the 2008 run's spread of bad values (spread.go); nil if
	// no bad value was held.
	Spread *spreadFigures
}

// anatomySection is the anatomy of the replay's storm: its figures
// (written with the run, experiments.WriteRunSet) and the numbers the
// text gives.
type anatomySection struct {
	// Saturation and Declarations are the figures, relative to the report
	// directory.
	Saturation, Declarations string
	// FirstSaturated and StormStart are when the first server saturated
	// and when the storm began: simulated seconds and the clock, "110 s
	// (08:55 on the clock)"; FirstSaturated is "never" if none did.
	FirstSaturated, StormStart string
	// SaturatedAtStorm is how many servers were saturated in the sample
	// in which the storm began, of Nodes.
	SaturatedAtStorm, Nodes string
	// TrueDeclarations and FalseDeclarations are the run's failure
	// declarations about servers down and up.
	TrueDeclarations, FalseDeclarations string
}

// mitigationsSection is the replicated mitigations experiment.
type mitigationsSection struct {
	Nodes, Replicates int
	Seconds           float64
	Rows              [][]string
	Figures           []figureFile
}

// figureFile is a figure of a sweep.
type figureFile struct {
	// Metric is what it draws: its file name without the extension.
	Metric string
	// Path is relative to the report directory.
	Path string
	// Label names the metric, with its unit; Censored marks the share of
	// censored runs.
	Label    string
	Censored bool
}

// sweepSection is any other sweep.
type sweepSection struct {
	Experiment         string
	Points, Replicates int
	Seed               uint64
	Scenario           string
	Metrics            []string // the metric columns of Rows after the counts
	Rows               [][]string
	Axes               []string
	Figures            []figureFile
}

// validationSection is the classic protocols against the literature.
type validationSection struct {
	Pass int
	Rows [][]string
}

// writer runs a report's sections into its directory.
type writer struct {
	dir      string
	opt      Options
	imageExt string
	files    []string
	// resume finishes the sub-sweeps of an earlier report of dir that
	// failed (it left dir marked incomplete) instead of refusing them.
	resume bool
}

// rel is path relative to the report directory, with slashes.
func (w *writer) rel(path string) string {
	rel, err := filepath.Rel(w.dir, path)
	if err != nil {
		rel = path
	}
	return filepath.ToSlash(rel)
}

// replay runs the 2008 replay and its mitigation variants on the published
// clock, compressed ReplayTimeScale times.
func (w *writer) replay(ctx context.Context) (*replaySection, error) {
	nodes := 1000
	if w.opt.Quick {
		nodes = 40
	}
	base := ReplayScenario(nodes, 1)
	res, err := RunReplay(ctx, base, filepath.Join(w.dir, "replay"), w.opt.Workers, w.opt.Plot)
	if err != nil {
		return nil, err
	}
	origin := mustClock(ReplayOrigin)
	var ms []plots.Milestone
	for _, m := range Milestones2008 {
		ms = append(ms, plots.Milestone{At: mustClock(m.Clock) - origin, Label: m.Clock + " " + m.Label})
	}
	o := w.opt.Plot
	o.Provenance = experiments.ProvenanceOf(base, base.Seed).Text()
	o.Title = fmt.Sprintf("The 2008 event replayed: %s servers on the published clock (US Pacific time, compressed %d×)", grouped(nodes), ReplayTimeScale)
	one := filepath.Join(w.dir, "replay_2008"+w.imageExt)
	if err := plots.Timeline(one, []plots.Run{onClock(res[0])}, ms, origin, o); err != nil {
		return nil, fmt.Errorf("figure %s: %w", filepath.Base(one), err)
	}
	o.Title = "The same trigger under each mitigation, on the same clock"
	var all []plots.Run
	for _, x := range res {
		all = append(all, onClock(x))
	}
	every := filepath.Join(w.dir, "replay_mitigations"+w.imageExt)
	if err := plots.Timeline(every, all, ms, origin, o); err != nil {
		return nil, fmt.Errorf("figure %s: %w", filepath.Base(every), err)
	}
	w.files = append(w.files, one, every)

	quietUntil := base.Fleet.Corruption.From.Seconds()
	s := &replaySection{Origin: ReplayOrigin, End: ReplayEnd, Nodes: nodes, Scale: ReplayTimeScale, SimSeconds: base.Duration.Seconds(), Timeline: w.rel(one), Variants: w.rel(every),
		CorruptProb: base.Fleet.Corruption.Probability,
		Scenario:    strings.TrimRight(string(experiments.PrintScenario(base, nil)), "\n")}
	s.Anatomy = w.replayAnatomy(res[0])
	s.Spread = w.replaySpread(res[0], filepath.Join(w.dir, "replay", res[0].Variant.Name))
	out08, _, rec08 := res[0].Outage()
	for _, x := range res {
		sum := x.Result.Summary.Summary
		at := func(p *float64) string {
			if p == nil {
				return "—"
			}
			return ClockOf(ReplayClock(*p))
		}
		out, trig, rec := x.Outage()
		outage, saved, right := "none (nothing accepted)", "all of it", "—"
		switch {
		case trig && rec:
			outage = hoursMinutes(out * ReplayTimeScale)
			v := *sum.TriggerTimeSeconds + out
			right = at(&v)
			saved = "—"
			if x.Variant.Name != "2008" && rec08 {
				saved = hoursMinutes((out08 - out) * ReplayTimeScale)
			}
		case trig && sum.Harmless:
			outage = "none (accepted, no view ever wrong)"
		case trig:
			outage, saved = "not over by "+ReplayEnd, "none"
		}
		peak := grouped(int(math.Round(sum.PeakMessagesPerSecond)))
		if q := quietRate(x.Result.Samples, quietUntil); q > 0 {
			peak += fmt.Sprintf(" (%.0f×)", sum.PeakMessagesPerSecond/q)
		}
		s.Rows = append(s.Rows, []string{x.Variant.Name, x.Variant.What, at(sum.TriggerTimeSeconds), at(sum.AlarmTimeSeconds), at(sum.ResetStartedSeconds), right, outage, saved,
			percent(sum.PeakWrongViewFraction), peak})
	}
	return s, nil
}

// replayAnatomy is the anatomy of a replay run's storm, nil if it did not
// storm. Its figures are those experiments.WriteRunSet wrote beside the
// run's files (replay/NAME).
func (w *writer) replayAnatomy(x ReplayResult) *anatomySection {
	a := x.Result.Anatomy
	st := experiments.RunStorm(x.Result)
	if a == nil || !st.Stormed {
		return nil
	}
	at := func(t float64) string { return fmt.Sprintf("%.0f s (%s on the clock)", t, ClockOf(ReplayClock(t))) }
	dir := filepath.Join(w.dir, "replay", x.Variant.Name)
	tr, fa := a.Declarations()
	s := &anatomySection{
		Saturation:        w.rel(filepath.Join(dir, w.opt.Plot.FileName(plots.SaturationStem))),
		Declarations:      w.rel(filepath.Join(dir, w.opt.Plot.FileName(plots.DeclarationsStem))),
		FirstSaturated:    "never",
		StormStart:        at(st.Start),
		SaturatedAtStorm:  grouped(a.SaturatedAt(st.Start)),
		Nodes:             grouped(a.Nodes),
		TrueDeclarations:  grouped(int(tr)),
		FalseDeclarations: grouped(int(fa)),
	}
	if t, ok := a.FirstSaturationTime(); ok {
		s.FirstSaturated = at(t)
	}
	return s
}

// onClock is a replay run for plots.Timeline: its samples and markers at
// their times on the replay's clock, in seconds since ReplayOrigin (rates
// stay per simulated second).
func onClock(x ReplayResult) plots.Run {
	samples := append([]metrics.Sample(nil), x.Result.Samples...)
	for i := range samples {
		samples[i].Time *= ReplayTimeScale
	}
	markers := experiments.Markers(x.Result.Summary)
	for i := range markers {
		markers[i].Time *= ReplayTimeScale
	}
	return plots.Run{Label: x.Variant.Name, Samples: samples, Markers: markers}
}

// grouped formats n with thousands separators: "1,000".
func grouped(n int) string {
	if n < 0 {
		return "-" + grouped(-n)
	}
	if n < 1000 {
		return fmt.Sprintf("%d", n)
	}
	return grouped(n/1000) + fmt.Sprintf(",%03d", n%1000)
}

// percent formats a fraction in percent, to one decimal below 10%: "3.3%",
// "100%".
func percent(f float64) string {
	if p := 100 * f; p < 9.95 {
		return fmt.Sprintf("%.1f%%", p)
	}
	return fmt.Sprintf("%.0f%%", 100*f)
}

// quietRate is a run's mean gossip rate, messages per simulated second,
// over its samples up to until (simulated seconds): the quiet fleet before
// any message is corrupted. It is 0 if no sample is that early.
func quietRate(samples []metrics.Sample, until float64) float64 {
	sum, n := 0.0, 0
	for _, x := range samples {
		if x.Time <= until {
			sum += x.MessagesPerSecond
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// mitigations runs the replicated mitigations experiment and tables
// recovery time and gossip volume with their 95% confidence intervals.
func (w *writer) mitigations(ctx context.Context) (*mitigationsSection, error) {
	e, _ := experiments.LookupExperiment("mitigations")
	sw := e.Sweep()
	if w.opt.Quick {
		sw.Replicates = 3
		sw.Base.Fleet.Nodes = 60
	}
	t, figs, err := w.runSweep(ctx, sw, "mitigations")
	if err != nil {
		return nil, err
	}
	s := &mitigationsSection{Nodes: sw.Base.Fleet.Nodes, Seconds: sw.Base.Duration.Seconds(), Replicates: sw.Replicates, Figures: figs}
	rec, peak, perNode := t.Metric("recovery_time_s"), t.Metric("peak_messages_per_second"), t.Metric("messages_per_node_per_second")
	for _, p := range t.Points {
		triggered := p.Runs - p.Untriggered
		recovered := triggered - p.Harmless - p.Censored
		s.Rows = append(s.Rows, []string{p.Point.Values[0], fmt.Sprintf("%d", p.Runs), fmt.Sprintf("%d", triggered),
			fmt.Sprintf("%d", recovered), fmt.Sprintf("%d", p.Harmless), fmt.Sprintf("%d", p.Censored),
			recoveryText(p.Stats[rec]), ciText(p.Stats[peak], "%.0f"), ciText(p.Stats[perNode], "%.2f")})
	}
	return s, nil
}

// runSweep runs sw into dir/name and returns its aggregate and figures.
func (w *writer) runSweep(ctx context.Context, sw experiments.Sweep, name string) (experiments.PointTable, []figureFile, error) {
	sub := filepath.Join(w.dir, name)
	rep, err := experiments.RunSweep(ctx, sw, sub, experiments.SweepOptions{Workers: w.opt.Workers, Plot: w.opt.Plot, Resume: w.resume})
	if err != nil {
		return experiments.PointTable{}, nil, err
	}
	_, _, rows, err := experiments.LoadSweep(sub)
	if err != nil {
		return experiments.PointTable{}, nil, err
	}
	var figs []figureFile
	for _, f := range rep.Files {
		if strings.HasSuffix(f, w.imageExt) {
			figs = append(figs, figureFile{Metric: strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)), Path: w.rel(f)})
		}
	}
	w.files = append(w.files, rep.Files...)
	return experiments.Aggregate(sw, sw.RunColumns(), rows), figs, nil
}

// sweep reports any other sweep: its scenario, figures and the main
// metrics per point.
func (w *writer) sweep(ctx context.Context, sw experiments.Sweep) (*sweepSection, error) {
	t, figs, err := w.runSweep(ctx, sw, "sweep")
	if err != nil {
		return nil, err
	}
	s := &sweepSection{Experiment: sw.Experiment, Points: len(t.Points), Replicates: sw.Replicates, Seed: sw.Seed,
		Scenario: strings.TrimRight(string(experiments.PrintScenario(sw.Base, &sw)), "\n")}
	var idx []int
	for _, m := range []string{"recovery_time_s", "peak_wrong_view_fraction", "peak_messages_per_second", "messages_per_node_per_second"} {
		if i := t.Metric(m); i >= 0 {
			s.Metrics, idx = append(s.Metrics, m), append(idx, i)
		}
	}
	for _, p := range t.Points {
		row := []string{p.Point.ShownKey(sw.Axes), fmt.Sprintf("%d", p.Runs), fmt.Sprintf("%d", p.Harmless), fmt.Sprintf("%d", p.Censored)}
		if row[0] == "" {
			row[0] = "(single point)"
		}
		for _, i := range idx {
			row = append(row, ciText(p.Stats[i], "%.4g"))
		}
		s.Rows = append(s.Rows, row)
	}
	labels := map[string]string{}
	for _, fig := range sw.Figures() {
		if _, ok := labels[fig.Metric]; !ok {
			labels[fig.Metric] = fig.Label
		}
	}
	for _, ax := range sw.Axes {
		name := ax.Name
		if ax.Title != "" {
			name = ax.Title
		}
		s.Axes = append(s.Axes, name)
	}
	for _, f := range figs {
		f.Censored = f.Metric == experiments.CensoredFraction
		if f.Label = labels[f.Metric]; f.Label == "" {
			f.Label = strings.ReplaceAll(f.Metric, "_", " ")
		}
		s.Figures = append(s.Figures, f)
	}
	return s, nil
}

// validation runs the classic protocols against the literature.
func (w *writer) validation(ctx context.Context) (*validationSection, error) {
	rs, files, err := experiments.RunValidation(ctx, filepath.Join(w.dir, "validation"), w.opt.Quick,
		experiments.SweepOptions{Workers: w.opt.Workers, Plot: w.opt.Plot, Resume: w.resume})
	if err != nil {
		return nil, err
	}
	w.files = append(w.files, files...)
	s := &validationSection{}
	for _, c := range rs {
		for _, p := range c.Points {
			ok := "FAIL"
			if p.Pass {
				ok, s.Pass = "pass", s.Pass+1
			}
			tol := fmt.Sprintf("±%g", c.Check.Tolerance)
			if c.Check.Relative {
				tol = fmt.Sprintf("±%g%%", 100*c.Check.Tolerance)
			}
			s.Rows = append(s.Rows, []string{c.Check.What, c.Check.Source, fmt.Sprintf("%s = %g", c.Check.Axis, p.X),
				fmt.Sprintf("%.4g", p.Reference), ciText(p.Stat, "%.4g"), tol, ok})
		}
	}
	return s, nil
}

// hoursMinutes formats seconds as "5 h 40 min".
func hoursMinutes(sec float64) string {
	m := int(math.Round(sec / 60))
	if m < 0 {
		return "−" + hoursMinutes(-sec)
	}
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

// recoveryText is ciText for a recovery time, with the number of recovered
// runs it is over: "312 s (250 s – 374 s), n = 5"; "—" when none recovered.
func recoveryText(s experiments.Stat) string {
	t := ciText(s, "%.0f s")
	if s.N < 2 || math.IsNaN(s.Lo) {
		return t // ciText says n already, or there is no value
	}
	return fmt.Sprintf("%s, n = %d", t, s.N)
}

// ciText formats a mean with its 95% CI.
func ciText(s experiments.Stat, format string) string {
	if s.N == 0 || math.IsNaN(s.Mean) {
		return "—"
	}
	m := fmt.Sprintf(format, s.Mean)
	if s.N < 2 || math.IsNaN(s.Lo) {
		return m + fmt.Sprintf(" (n=%d)", s.N)
	}
	return fmt.Sprintf("%s (%s – %s)", m, fmt.Sprintf(format, s.Lo), fmt.Sprintf(format, s.Hi))
}
