package experiments

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/plots"
)

// faultColumns are the record:"faults" columns of runs.csv.
var faultColumns = []string{"messages_partitioned", "heal_time_s", "convergence_after_heal_s", "false_failures_same_zone", "false_failures_cross_zone"}

// healSchedule cuts zone 0 off from zone 1 from 20 s to until.
func healSchedule(until string) string {
	return "- at: 20s\n  until: " + until + "\n  partition: {from: \"zone:0\", to: \"zone:1\"}\n"
}

// TestFaultFieldsOnlyWithFaults: a run on a flat fleet without a schedule
// writes no fault field and no zone column; a run with zones and a healing
// partition writes them all, and its time series reads back with its zone
// columns.
func TestFaultFieldsOnlyWithFaults(t *testing.T) {
	flat := scenarioWith(t, "s3", "topology", "", "duration", "60s")
	res, err := Run(context.Background(), flat, nil)
	if err != nil {
		t.Fatal(err)
	}
	js, err := summaryFileJSON(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range faultColumns {
		if strings.Contains(string(js), `"`+c+`"`) {
			t.Errorf("flat run's summary.json has %s", c)
		}
	}
	if head, _, _ := strings.Cut(string(timeSeriesCSV(res.Samples)), "\n"); head != strings.Join(TimeSeriesHeader, ",") {
		t.Errorf("flat run's time series header %q", head)
	}

	sc := scenarioWith(t, "s3", "duration", "200s", "faults", faultsFile(t, "heal.yaml", healSchedule("80s")))
	res, err = Run(context.Background(), sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	js, err = summaryFileJSON(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range faultColumns {
		if !strings.Contains(string(js), `"`+c+`"`) {
			t.Errorf("summary.json with zones and a partition has no %s:\n%s", c, js)
		}
	}
	s := res.Summary
	if s.ConvergenceAfterHealSeconds == nil || *s.ConvergenceAfterHealSeconds <= 0 || *s.HealTimeSeconds != 80 {
		t.Errorf("convergence after heal %v, heal %v; want > 0 after 80 s", s.ConvergenceAfterHealSeconds, s.HealTimeSeconds)
	}
	if *s.FalseFailuresSameZone+*s.FalseFailuresCrossZone != s.FalseFailures || *s.FalseFailuresCrossZone == 0 {
		t.Errorf("false failures %d split into %d same-zone and %d cross-zone", s.FalseFailures, *s.FalseFailuresSameZone, *s.FalseFailuresCrossZone)
	}
	// A classic protocol's summary.json (written field by field) has the
	// fault fields too, the S3 model's measures null.
	hb, err := Run(context.Background(), scenarioWith(t, "heartbeat", "duration", "100s", "faults", faultsFile(t, "hb.yaml", healSchedule("50s"))), nil)
	if err != nil {
		t.Fatal(err)
	}
	js, err = summaryFileJSON(hb)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range faultColumns {
		if !strings.Contains(string(js), `"`+c+`":`) {
			t.Errorf("heartbeat summary.json with a partition has no %s:\n%s", c, js)
		}
	}
	if hb.Summary.MessagesPartitioned == 0 || !strings.Contains(string(js), `"convergence_after_heal_s": null`) {
		t.Errorf("heartbeat: messages partitioned %d, summary.json:\n%s", hb.Summary.MessagesPartitioned, js)
	}

	path := filepath.Join(t.TempDir(), "timeseries.csv")
	if err := os.WriteFile(path, timeSeriesCSV(res.Samples), 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := ReadTimeSeriesCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	peak := 0.0
	for i, x := range back {
		want := res.Samples[i].WrongViewFractionByZone
		if len(x.WrongViewFractionByZone) != 2 || len(want) != 2 {
			t.Fatalf("row %d: %d zone columns read back, %d written; want 2", i, len(x.WrongViewFractionByZone), len(want))
		}
		for z := range want {
			if math.Abs(x.WrongViewFractionByZone[z]-want[z]) > 1e-9 {
				t.Fatalf("row %d zone %d: read %g, wrote %g", i, z, x.WrongViewFractionByZone[z], want[z])
			}
			peak = max(peak, want[z])
		}
	}
	if peak == 0 {
		t.Error("no zone's wrong-view fraction rose during a partition longer than the failure timeout")
	}
}

// TestTimeSeriesZoneHeader: the reader takes zone columns numbered from 0
// in order, and refuses others.
func TestTimeSeriesZoneHeader(t *testing.T) {
	base := strings.Join(TimeSeriesHeader, ",")
	row := "1,2,3,0,1,0.5,0.1,0.2,0,40,3,0,0"
	tests := []struct {
		name, head, row string
		zones           int
		ok              bool
	}{
		{"none", base, row, 0, true},
		{"two zones", base + ",wrong_view_fraction_zone0,wrong_view_fraction_zone1", row + ",0.25,0.75", 2, true},
		{"out of order", base + ",wrong_view_fraction_zone1,wrong_view_fraction_zone0", row + ",0.25,0.75", 0, false},
		{"another column", base + ",extra", row + ",1", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ts.csv")
			if err := os.WriteFile(path, []byte(tc.head+"\n"+tc.row+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ReadTimeSeriesCSV(path)
			if !tc.ok {
				if err == nil || !strings.Contains(err.Error(), "not a gossipsim time series") {
					t.Fatalf("err = %v, want a refusal", err)
				}
				return
			}
			if err != nil || len(got) != 1 || len(got[0].WrongViewFractionByZone) != tc.zones {
				t.Fatalf("got %+v, %v; want one row with %d zones", got, err, tc.zones)
			}
		})
	}
}

// TestSweepFaultColumns: a sweep records the fault columns when its base
// has a topology or schedule or an axis sets one, in every run (a run
// without zones writes them empty), and its shards merge to the same
// files; a sweep without either has none. points.csv aggregates
// convergence_after_heal_s over the runs that converged.
func TestSweepFaultColumns(t *testing.T) {
	flat := scenarioWith(t, "s3", "topology", "", "duration", "150s")
	if cols := (Sweep{Experiment: "custom", Replicates: 1, Base: flat, Axes: []Axis{mustAxisFor("fanout=1,2", flat)}}).RunColumns(); slices.ContainsFunc(faultColumns, func(c string) bool { return slices.Contains(cols, c) }) {
		t.Fatalf("a flat sweep has fault columns: %v", cols)
	}
	byAxis := Sweep{Experiment: "custom", Seed: 2, Replicates: 1, Base: flat, Axes: []Axis{mustAxisFor("topology=zones=1,zones=2", flat)}}
	for _, c := range faultColumns {
		if !slices.Contains(byAxis.RunColumns(), c) {
			t.Fatalf("a sweep with a topology axis has no %s column", c)
		}
	}
	axisDir := filepath.Join(t.TempDir(), "axis")
	runSweep(t, byAxis, axisDir, SweepOptions{Workers: 1})
	rows := readCSVFile(t, filepath.Join(axisDir, RunsFileName))
	same, heal := slices.Index(rows[0], "false_failures_same_zone"), slices.Index(rows[0], "convergence_after_heal_s")
	if len(rows) != 3 || rows[1][same] != "" || rows[2][same] == "" || rows[1][heal] != "" || rows[2][heal] != "" {
		t.Errorf("topology axis zones=1,zones=2 without a schedule: same-zone false failures %q, %q (want empty, a count), convergence %q, %q (want empty)",
			rows[1][same], rows[2][same], rows[1][heal], rows[2][heal])
	}

	base := scenarioWith(t, "s3", "duration", "150s")
	short, long := faultsFile(t, "short.yaml", healSchedule("40s")), faultsFile(t, "long.yaml", healSchedule("90s"))
	sw := Sweep{Experiment: "custom", Seed: 4, Replicates: 2, Base: base, Axes: []Axis{mustAxisFor("faults="+short+","+long, base)}}
	root := t.TempDir()
	whole := filepath.Join(root, "whole")
	runSweep(t, sw, whole, SweepOptions{Workers: 1})
	var shards []string
	for i := 1; i <= 2; i++ {
		d := filepath.Join(root, "shard"+string(rune('0'+i)))
		runSweep(t, sw, d, SweepOptions{Workers: 1, Shard: Shard{I: i, N: 2}})
		shards = append(shards, d)
	}
	merged := filepath.Join(root, "merged")
	if _, err := Merge(shards, merged, plots.Options{}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, whole, merged, SweepFileName, RunsFileName, PointsFileName)

	runs := readCSVFile(t, filepath.Join(whole, RunsFileName))
	for _, c := range faultColumns {
		k := slices.Index(runs[0], c)
		if k < 0 {
			t.Fatalf("runs.csv has no %s column", c)
		}
		for _, r := range runs[1:] {
			if r[k] == "" {
				t.Errorf("run %s: %s is empty", r[0], c)
			}
		}
	}
	points := readCSVFile(t, filepath.Join(whole, PointsFileName))
	k := slices.Index(points[0], "convergence_after_heal_s_mean")
	if k < 0 {
		t.Fatalf("points.csv has no convergence_after_heal_s_mean: %v", points[0])
	}
	for _, p := range points[1:] {
		if p[k] == "" {
			t.Errorf("point %s: no mean convergence after heal", p[0])
		}
	}
	if !(cellNumber(points[1][k]) < cellNumber(points[2][k])) {
		t.Errorf("mean convergence after a 20-s partition (the failure timeout) %s, after a 70-s one %s; want the first smaller", points[1][k], points[2][k])
	}
}

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readCSV(t, b)
}

// TestConvergenceCensored: a run whose schedule healed but whose views
// were not right by the horizon is censored for convergence_after_heal_s
// (figures count it); a run without a heal is not; recovery_time_s keeps
// the point's trigger-based count.
func TestConvergenceCensored(t *testing.T) {
	nan := math.NaN()
	tab := PointTable{Metrics: []string{"heal_time_s", "convergence_after_heal_s", "recovery_time_s", "false_failures"}}
	p := PointStats{Censored: 3, Values: [][]float64{
		{120, 120, nan, 120},
		{5, nan, nan, nan},
		{nan, nan, nan, nan},
		{1, 2, 3, 4},
	}}
	tab.Points = []PointStats{p}
	for m, want := range []int{0, 2, 3, 0} {
		if got := censoredRuns(tab, p, m); got != want {
			t.Errorf("%s: %d censored, want %d", tab.Metrics[m], got, want)
		}
	}
	if !anyCensoredFor(tab, 1) || anyCensoredFor(tab, 3) {
		t.Error("anyCensoredFor disagrees with censoredRuns")
	}
}
