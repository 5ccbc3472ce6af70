package experiments

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/plots"
)

// A sweep draws its figures in the format SweepOptions.Plot asks for and
// lists them; Redraw draws them again in another format, same stems.
func TestSweepFigureFormats(t *testing.T) {
	sw := tinySweep()
	sw.Axes = sw.Axes[:1]
	sw.Replicates = 2
	dir := filepath.Join(t.TempDir(), "s")
	rep := runSweep(t, sw, dir, SweepOptions{Workers: 2, Plot: plots.Options{Format: plots.SVG}})
	var stems []string
	for _, f := range rep.Files {
		switch filepath.Ext(f) {
		case ".svg":
			stems = append(stems, strings.TrimSuffix(filepath.Base(f), ".svg"))
			if _, err := os.Stat(f); err != nil {
				t.Errorf("listed %s: %v", f, err)
			}
		case ".png", ".pdf":
			t.Errorf("an SVG sweep wrote %s", f)
		}
	}
	if len(stems) == 0 || stems[0] != "recovery_time_s" {
		t.Fatalf("figures %v, want recovery_time_s.svg first", stems)
	}
	files, _, err := Redraw(dir, plots.Options{Format: plots.PDF})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(stems) {
		t.Fatalf("Redraw wrote %v, want %d PDFs", files, len(stems))
	}
	for i, f := range files {
		if want := filepath.Join(dir, stems[i]+".pdf"); f != want {
			t.Errorf("Redraw wrote %s, want %s", f, want)
		}
	}
}

// Fractions are drawn in percent, and a sweep over mitigations gives each
// box its mitigation's colour.
func TestFigureUnitsAndColours(t *testing.T) {
	for _, figs := range [][]Figure{defaultFigures, mustExperiment(t, "corruption").Sweep().Figures(), mustExperiment(t, "mitigations").Sweep().Figures()} {
		for _, f := range figs {
			fraction := f.Metric == CensoredFraction || strings.HasSuffix(f.Metric, "_fraction")
			if fraction != f.Percent || fraction && !strings.Contains(f.Label, "%") {
				t.Errorf("figure %s: Percent %v, label %q; fractions are drawn in %%", f.Metric, f.Percent, f.Label)
			}
		}
	}
	if got := sweepTitle(Sweep{Experiment: "x", Replicates: 3}, PointTable{}, Figure{Label: "peak gossip volume (messages/s)"}, -1); got != "x: peak gossip volume (3 replicates per point)" {
		t.Errorf("title %q", got)
	}

	sw := Sweep{Experiment: "mitigations", Replicates: 2, Axes: []Axis{mustAxis("mitigation=none,d")}}
	tab := PointTable{Sweep: sw, Metrics: []string{"peak_wrong_view_fraction"}, Points: []PointStats{
		{Point: Point{Index: 0, Values: []string{"none"}}, Runs: 2, Values: [][]float64{{0.5, 0.25}}},
		{Point: Point{Index: 1, Values: []string{"d"}}, Runs: 2, Values: [][]float64{{0, 0}}},
	}}
	gs := boxGroups(sw, tab, 0, 100)
	if gs[0].Colour != plots.MitigationColour("none") || gs[1].Colour != plots.MitigationColour("d") {
		t.Errorf("box colours %v, %v", gs[0].Colour, gs[1].Colour)
	}
	if gs[0].Values[0] != 50 || gs[0].Values[1] != 25 {
		t.Errorf("values %v, want percent", gs[0].Values)
	}
}

func mustExperiment(t *testing.T, name string) Experiment {
	t.Helper()
	e, ok := LookupExperiment(name)
	if !ok {
		t.Fatalf("no experiment %s", name)
	}
	return e
}

// TestAxisLabels checks that an axis whose values are labelled (a fault
// schedule labelled by its partition length) is numeric in figures by its
// labels, titled by its Title, and shown by label in legends and boxes.
func TestAxisLabels(t *testing.T) {
	ax := Axis{Name: "faults", Values: []string{"[{at: 1s}]", "[{at: 2s}]"}, Labels: []string{"10s", "30s"}, Title: "partition length (s)"}
	if !isNumericAxis(ax) {
		t.Fatal("labelled axis not numeric")
	}
	if isNumericAxis(Axis{Name: "faults", Values: ax.Values}) {
		t.Fatal("unlabelled schedule axis numeric")
	}
	if got := axisNumber(ax.Shown(ax.Values[1])); got != 30 {
		t.Fatalf("x of the second value = %g, want 30", got)
	}
	if ax.Shown("other") != "other" || axisLabel(ax) != "partition length (s)" {
		t.Fatalf("Shown(other) = %q, axisLabel = %q", ax.Shown("other"), axisLabel(ax))
	}
	sw := Sweep{Axes: []Axis{ax, {Name: "nodes", Values: []string{"10"}}}}
	if got := boxAxesLabel(sw); got != "partition length (s) / nodes (top to bottom)" {
		t.Fatalf("boxAxesLabel = %q", got)
	}
}
