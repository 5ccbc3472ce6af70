package experiments

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/plots"
)

// anatomyFigures are the figures a stormed run adds.
var anatomyFigures = []string{"saturation.png", "declarations.png"}

// TestRunAnatomyFiles: a small run that storms writes anatomy.csv (one
// row per sample under the documented header, declarations adding up to
// the summary's, saturated counts agreeing with utilization.csv's
// matrix), utilization.csv (read back as the run's matrix) and both
// figures.
func TestRunAnatomyFiles(t *testing.T) {
	dir := t.TempDir()
	res := mustRun(t, small())
	if !RunStorm(res).Stormed {
		t.Fatal("the small run did not storm; the test needs one that does")
	}
	if _, err := WriteRun(dir, res); err != nil {
		t.Fatal(err)
	}
	for _, name := range append([]string{AnatomyFileName, UtilizationFileName}, anatomyFigures...) {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s not written: %v", name, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, AnatomyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if head, _, _ := strings.Cut(string(b), "\n"); head != "time_s,declarations_true,declarations_false,saturated_nodes,first_saturations" {
		t.Errorf("anatomy.csv header %q", head)
	}
	if rows := bytes.Count(b, []byte("\n")) - 1; rows != len(res.Samples) {
		t.Errorf("anatomy.csv has %d rows, want one per sample (%d)", rows, len(res.Samples))
	}
	a, err := ReadAnatomy(dir)
	if err != nil {
		t.Fatal(err)
	}
	tr, fa := a.Declarations()
	if tr+fa != res.Summary.FailureDeclarations || fa != res.Summary.FalseFailures {
		t.Errorf("anatomy.csv: %d true + %d false; summary: failure_declarations %d, false_failures %d",
			tr, fa, res.Summary.FailureDeclarations, res.Summary.FalseFailures)
	}
	for k := range a.Times {
		if a.Times[k] != res.Samples[k].Time {
			t.Errorf("row %d: time_s %g, timeseries.csv's %g", k+1, a.Times[k], res.Samples[k].Time)
		}
		n := int32(0)
		for i := range a.Nodes {
			if a.Utilization(i, k) >= metrics.SaturationThreshold {
				n++
			}
		}
		if n != a.SaturatedNodes[k] {
			t.Errorf("row %d: saturated_nodes %d, utilization.csv has %d nodes at >= %g", k+1, a.SaturatedNodes[k], n, metrics.SaturationThreshold)
		}
	}
	want := res.Anatomy
	if a.Nodes != want.Nodes || !slices.Equal(a.Levels, want.Levels) || !slices.Equal(a.FirstSaturation, want.FirstSaturation) ||
		!slices.Equal(a.Times, want.Times) || !slices.Equal(a.ColumnTimes, want.ColumnTimes) || !slices.Equal(a.FirstSaturations, want.FirstSaturations) {
		t.Errorf("the anatomy read back from the files differs from the run's")
	}

	// Redrawn from the files alone.
	for _, f := range anatomyFigures {
		os.Remove(filepath.Join(dir, f))
	}
	files, _, err := Redraw(dir, plots.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range anatomyFigures {
		if !slices.Contains(files, filepath.Join(dir, f)) {
			t.Errorf("redraw wrote %v, not %s", files, f)
		}
	}
}

// TestQuietRunNoAnatomyFigures: a run that does not storm writes
// anatomy.csv (and its small matrix) but no anatomy figure, and removes
// those of an earlier storm written into the same directory.
func TestQuietRunNoAnatomyFigures(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteRun(dir, mustRun(t, small())); err != nil {
		t.Fatal(err)
	}
	sc := small()
	sc.Fleet.Checksum = wire.ChecksumCRC32C
	res := mustRun(t, sc)
	if st := RunStorm(res); st.Stormed {
		t.Fatalf("the checksummed run stormed at %g s; the test needs a quiet one", st.Start)
	}
	paths, err := WriteRun(dir, res)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range anatomyFigures {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("a quiet run left %s", f)
		}
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	if want := []string{"summary.json", "timeseries.csv", "gossip_volume.png", "wrong_view.png", AnatomyFileName, UtilizationFileName, CorruptionsFileName, SpreadFileName}; !slices.Equal(names, want) {
		t.Errorf("a quiet run wrote %v, want %v", names, want)
	}
}
