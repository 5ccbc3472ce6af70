package experiments

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/models/mitigation"
	"github.com/gossipsim/gossipsim/plots"
)

// mitigationUsage is the help line of the mitigation parameter, naming
// the presets of the registry (models/mitigation).
func mitigationUsage() string {
	names := mitigation.Names()
	last := len(names) - 1
	return fmt.Sprintf("preset of the four mitigations: %s or %s (gossipsim help mitigations); later flags override it",
		strings.Join(names[:last], ", "), names[last])
}

// mitigationAxis is a grid axis over the named presets, in the order
// given, or over every preset of the registry when none is named. A name
// that is no preset is a mistake in a built-in experiment: it panics.
func mitigationAxis(names ...string) Axis {
	if len(names) == 0 {
		names = mitigation.Names()
	}
	for _, n := range names {
		if _, ok := mitigation.Lookup(n); !ok {
			panic("experiments: built-in grid names unknown mitigation " + n)
		}
	}
	return mustAxis("mitigation=" + strings.Join(names, ","))
}

// mitigationValue is the mitigation parameter: Set applies a preset of the
// registry (models/mitigation) to the scenario, String names the last one
// applied.
type mitigationValue struct{ s *Scenario }

func (v mitigationValue) String() string {
	if v.s.Mitigation == "" {
		return mitigation.None
	}
	return v.s.Mitigation
}
func (v mitigationValue) Type() string { return "name" }
func (v mitigationValue) Set(name string) error {
	p, err := mitigation.Parse(name)
	if err != nil {
		return err
	}
	if err := applyMitigation(v.s, p); err != nil {
		return err
	}
	v.s.Mitigation = name
	return nil
}

// applyMitigation puts every parameter a preset owns (mitigation.Params)
// back at its default, then applies the preset's settings in order. The
// settings go to the scenario's own parameters (Params), never to a
// protocol's parameter of the same name.
func applyMitigation(sc *Scenario, p mitigation.Preset) error {
	def := DefaultScenario()
	for _, name := range mitigation.Params {
		if err := setParam(sc, name, paramText(&def, name)); err != nil {
			return fmt.Errorf("mitigation: %s: %w", p.Name, err)
		}
	}
	for _, s := range p.Applies() {
		if err := setParam(sc, s.Param, s.Value); err != nil {
			return fmt.Errorf("mitigation: %s: %w", p.Name, err)
		}
	}
	return nil
}

// paramText reads a run parameter of sc by name ("" if there is none;
// setParam then refuses the name).
func paramText(sc *Scenario, name string) string {
	if p, ok := LookupParam(name); ok {
		return p.Value(sc).String()
	}
	return ""
}

// setParam sets a run parameter of sc by name.
func setParam(sc *Scenario, name, value string) error {
	p, ok := LookupParam(name)
	if !ok {
		return fmt.Errorf("%s: no such parameter", name)
	}
	if err := p.Value(sc).Set(value); err != nil {
		return fmt.Errorf("%s: %q: %w", name, value, err)
	}
	return nil
}

// MitigationsFileName is the table a sweep over --mitigation writes beside its figures.
const MitigationsFileName = "mitigations.csv"

// CompareTimeSeriesStem is the file name, without its extension, of the
// figure of a sweep over --mitigation comparing a representative run of
// each mitigation.
const CompareTimeSeriesStem = "compare_time_series"

// mitigationColumns are the metrics of mitigations.csv, each as mean and 95% CI.
var mitigationColumns = []string{
	"recovery_time_s", "peak_messages_per_second", "messages_per_node_per_second",
	"peak_wrong_view_fraction", "corruptions_accepted", "corruptions_rejected",
	"time_to_alarm_s", "false_alarms", "detection_time_mean_s", "false_failures",
}

// isMitigationSweep reports whether the sweep's first axis is the mitigation preset.
func isMitigationSweep(sw Sweep) bool {
	return len(sw.Axes) > 0 && sw.Axes[0].Name == "mitigation"
}

// MitigationsCSV renders one row per mitigation: runs, how many were
// triggered, and of those how many recovered, were harmless and were
// censored, and each metric's mean with its 95% CI (recovery time over the
// recovered runs only).
func MitigationsCSV(t PointTable) []byte {
	head := []string{"mitigation", "runs", "triggered", "recovered", "harmless", "censored"}
	for _, m := range mitigationColumns {
		head = append(head, m+"_mean", m+"_ci95_lo", m+"_ci95_hi")
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(head)
	f := formatNullable
	rec := t.Metric("recovered")
	for _, p := range t.Points {
		label := p.Point.Key(t.Sweep.Axes)
		if len(p.Point.Values) == 1 {
			label = p.Point.Values[0]
		}
		recovered := 0
		for _, v := range p.Values[rec] {
			if v == 1 {
				recovered++
			}
		}
		row := []string{label, strconv.Itoa(p.Runs), strconv.Itoa(p.Runs - p.Untriggered), strconv.Itoa(recovered), strconv.Itoa(p.Harmless), strconv.Itoa(p.Censored)}
		for _, m := range mitigationColumns {
			i := t.Metric(m)
			if i < 0 {
				row = append(row, "", "", "")
				continue
			}
			st := p.Stats[i]
			row = append(row, f(st.Mean), f(st.Lo), f(st.Hi))
		}
		w.Write(row)
	}
	w.Flush()
	return buf.Bytes()
}

// representativeRun is the replicate of point p with the median peak
// wrong-view fraction (ties: the lower replicate), as a run index; ok is
// false when no run of p has a usable peak.
func representativeRun(sw Sweep, t PointTable, p PointStats) (run, replicate int, ok bool) {
	m := t.Metric("peak_wrong_view_fraction")
	vals := p.Values[m]
	var order []int
	for i, v := range vals {
		if !math.IsNaN(v) {
			order = append(order, i)
		}
	}
	if len(order) == 0 {
		return 0, 0, false
	}
	sort.SliceStable(order, func(a, b int) bool { return vals[order[a]] < vals[order[b]] })
	run = p.RunIndex[order[(len(order)-1)/2]]
	return run, run - p.Point.Index*sw.Replicates, true
}

// drawMitigationCompare draws the representative run of every mitigation on
// one figure (gossip volume and wrong-view fraction over time), each in its
// mitigation's colour.
func drawMitigationCompare(dir string, sw Sweep, t PointTable, out plots.Options) ([]string, error) {
	var runs []plots.Run
	for _, p := range t.Points {
		if p.Runs == 0 {
			continue
		}
		run, _, ok := representativeRun(sw, t, p)
		if !ok {
			continue
		}
		samples, err := ReadTimeSeriesCSV(filepath.Join(dir, TimeSeriesDir, fmt.Sprintf("run-%06d.csv", run)))
		if err != nil {
			return nil, err
		}
		runs = append(runs, plots.Run{Label: p.Point.Values[0], Samples: samples, Markers: TriggerMarker(samples)})
	}
	path := filepath.Join(dir, out.FileName(CompareTimeSeriesStem))
	title := fmt.Sprintf("%s: a representative run per mitigation (median peak wrong views of %s)", sw.Experiment, replicatesText(sw, t, t.Metric("peak_wrong_view_fraction")))
	opt := sweepPlotOptions(sw, out)
	opt.Title = title
	if err := plots.CompareRuns(path, runs, opt); err != nil {
		return nil, err
	}
	return []string{path}, nil
}
