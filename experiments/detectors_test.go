package experiments

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// TestDetectorAxis sweeps the S3 model's detector through the experiments
// API (a small grid: 20 nodes, 120 s, frequent crashes, no corruption):
// every detector runs, runs.csv names it in grid_detector, and the
// detection times come in the order the detectors imply: the timeout
// detector waits the fail timeout (20 s), the suspect detector the suspect
// timeout (10 s) more, and φ-accrual passes 8 after 8 ln 10 ≈ 18.4 mean
// interarrival times, each under a second.
func TestDetectorAxis(t *testing.T) {
	sc := DefaultScenario()
	sc.Fleet.Nodes = 20
	sc.Duration = 120 * sim.Second
	sc.Fleet.Corruption.Probability = 0
	sc.S3Params().CrashRate = 60
	sc.S3Params().DownTime = 40 * sim.Second
	sw := Sweep{Experiment: "custom", Seed: 3, Replicates: 1, Base: sc, Paired: []string{"detector"}, Axes: []Axis{
		mustAxis("detector=timeout,suspect,phi"),
	}}
	dir := t.TempDir()
	runSweep(t, sw, dir, SweepOptions{Workers: 2})
	b, err := os.ReadFile(filepath.Join(dir, RunsFileName))
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, b)
	col := func(name string) int {
		i := slices.Index(rows[0], name)
		if i < 0 {
			t.Fatalf("runs.csv has no column %s", name)
		}
		return i
	}
	grid, det, falseF := col("grid_detector"), col("detection_time_mean_s"), col("false_failures")
	got := map[string]float64{}
	for _, r := range rows[1:] {
		d, err := strconv.ParseFloat(r[det], 64)
		if err != nil {
			t.Fatalf("detector %s: detection_time_mean_s %q: %v", r[grid], r[det], err)
		}
		got[r[grid]] = d
		if r[falseF] != "0" {
			t.Errorf("detector %s: %s false failures in a quiet 20-node fleet, want 0", r[grid], r[falseF])
		}
	}
	if len(got) != 3 {
		t.Fatalf("runs by detector %v, want timeout, suspect and phi", got)
	}
	// An observer's clock for a peer starts at the last version it saw,
	// a gossip hop or two before the crash: first detections come a little
	// under the timeouts.
	if d := got["timeout"]; d < 15 || d > 21 {
		t.Errorf("timeout: first detection %.2f s, want within [15, 21] (fail timeout 20 s)", d)
	}
	if d := got["suspect"] - got["timeout"]; d < 8 || d > 12 {
		t.Errorf("suspect: first detection %.2f s, %.2f s after timeout's, want about the suspect timeout (10 s) later", got["suspect"], d)
	}
	if got["phi"] >= got["timeout"] {
		t.Errorf("phi: first detection %.2f s, want below timeout's %.2f s", got["phi"], got["timeout"])
	}
}

// TestDetectorAxisRejectsBadValue: a grid value that is not a detector is
// a one-line error naming the parameter and the allowed values.
func TestDetectorAxisRejectsBadValue(t *testing.T) {
	_, err := ParseAxis("detector=timeout,swim")
	if err == nil || !strings.Contains(err.Error(), "detector") || !strings.Contains(err.Error(), "timeout, suspect, phi") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("ParseAxis(detector=timeout,swim) = %v, want a one-line error naming detector and its values", err)
	}
}

// TestBoxLabelsOverSeveralAxes: a box figure of a sweep over several axes
// labels each point with its values, one a line, and names the axes in
// the x-axis label; one axis keeps its value alone and no axis label.
func TestBoxLabelsOverSeveralAxes(t *testing.T) {
	sw := Sweep{Experiment: "detectors", Replicates: 1, Axes: []Axis{mustAxis("nodes=500,1000"), mustAxis("detector=timeout,phi")}}
	tab := PointTable{Sweep: sw, Metrics: []string{"false_failures"}}
	for _, p := range Points(sw.Axes) {
		tab.Points = append(tab.Points, PointStats{Point: p, Runs: 1, Values: [][]float64{{0}}})
	}
	gs := boxGroups(sw, tab, 0, 1)
	if gs[1].Label != "500\nphi" || gs[2].Label != "1000\ntimeout" {
		t.Errorf("labels %q, %q; want one value a line", gs[1].Label, gs[2].Label)
	}
	if got, want := boxAxesLabel(sw), "nodes / detector (top to bottom)"; got != want {
		t.Errorf("x label %q, want %q", got, want)
	}
	one := Sweep{Axes: []Axis{mustAxis("detector=timeout,phi")}}
	if got := boxAxesLabel(one); got != "" {
		t.Errorf("x label of one axis %q, want none", got)
	}
}
