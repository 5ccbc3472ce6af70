package experiments

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/spread"
	"github.com/gossipsim/gossipsim/sim"
)

// spreadRun runs a small fleet with corruption (corrupt-prob prob) and
// writes its files into a temporary directory.
func spreadRun(t *testing.T, prob string) (Result, string) {
	t.Helper()
	sc := DefaultScenario()
	sc.Fleet.Nodes = 80
	sc.Duration = 120 * sim.Second
	if err := sc.Set("corrupt-prob", prob); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := WriteRun(dir, res); err != nil {
		t.Fatal(err)
	}
	return res, dir
}

// TestSpreadFilesRoundTrip: a run with bad values writes corruptions.csv,
// spread.csv and both figures, and reading the CSVs back gives the run's
// record; the first corruption is the trigger.
func TestSpreadFilesRoundTrip(t *testing.T) {
	res, dir := spreadRun(t, "2e-3")
	r := res.Spread
	if r == nil || len(r.Values) == 0 || len(r.Holdings) <= len(r.Values) {
		t.Fatalf("record %+v: the test exercises nothing", r)
	}
	if trig := res.Summary.TriggerTimeSeconds; trig == nil || r.Corruptions[0].Time.Seconds() != *trig {
		t.Fatalf("first corruption at %v, trigger %v", r.Corruptions[0].Time, trig)
	}
	for _, f := range []string{InfectionStem + ".png", SpreadTreeStem + ".png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	got, err := ReadSpreadFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	near := func(a, b sim.Time) bool { return math.Abs(float64(a-b)) <= 1 } // 1 ns of decimal rounding
	if len(got.Corruptions) != len(r.Corruptions) || len(got.Values) != len(r.Values) || len(got.Holdings) != len(r.Holdings) {
		t.Fatalf("read %d, %d, %d rows; want %d, %d, %d", len(got.Corruptions), len(got.Values), len(got.Holdings), len(r.Corruptions), len(r.Values), len(r.Holdings))
	}
	for k, c := range r.Corruptions {
		g := got.Corruptions[k]
		if !near(g.Time, c.Time) || g.Receiver != c.Receiver || g.Sender != c.Sender || g.MsgKind != c.MsgKind || g.BitsFlipped != c.BitsFlipped ||
			g.EntriesChanged != c.EntriesChanged || len(g.Values) != len(c.Values) || g.RejectedBySum8 != c.RejectedBySum8 || g.RejectedByCRC32C != c.RejectedByCRC32C {
			t.Fatalf("corruption %d: read %+v, want %+v", k, g, c)
		}
	}
	for k, v := range r.Values {
		g := got.Values[k]
		g.Time = v.Time // compared with near below
		if g != v || !near(got.Values[k].Time, v.Time) {
			t.Fatalf("value %d: read %+v, want %+v", k, got.Values[k], v)
		}
	}
	for k, h := range r.Holdings {
		g := got.Holdings[k]
		if g.Value != h.Value || g.Node != h.Node || g.Generation != h.Generation || g.From != h.From || !near(g.Acquired, h.Acquired) ||
			(h.Cleared < 0) != (g.Cleared < 0) || h.Cleared >= 0 && !near(g.Cleared, h.Cleared) {
			t.Fatalf("holding %d: read %+v, want %+v", k, g, h)
		}
	}
}

// TestExplainNamesTheTrigger: explain on a run directory tells the
// trigger at summary.json's time, its receiver as patient zero, and the
// checksum verdict; every value's reach is at most the fleet.
func TestExplainNamesTheTrigger(t *testing.T) {
	res, dir := spreadRun(t, "2e-3")
	st, err := Explain(dir)
	if err != nil {
		t.Fatal(err)
	}
	text := st.Text()
	trig := *res.Summary.TriggerTimeSeconds
	c := res.Spread.Corruptions[0]
	want := "Trigger: at t = " + strconv.FormatFloat(trig, 'f', 3, 64) + " s (trigger_time_s " + strconv.FormatFloat(trig, 'f', -1, 64) + ") node " + strconv.Itoa(int(c.Receiver)) + " (patient zero)"
	if !strings.Contains(text, want) {
		t.Fatalf("explain says\n%s\nwant a line starting %q", text, want)
	}
	for _, s := range []string{"Bad values: ", "What would have stopped it: a CRC-32C checksum", "At the end (t = 120.000 s)"} {
		if !strings.Contains(text, s) {
			t.Errorf("explain says\n%s\nwithout %q", text, s)
		}
	}
	for _, cv := range st.Curves {
		if cv.Reach > res.Summary.Nodes || cv.Reach < 1 {
			t.Errorf("value %d reached %d of %d nodes", cv.Value.ID, cv.Reach, res.Summary.Nodes)
		}
	}
}

// TestExplainWithoutCorruption: a run with no accepted corruption says so
// and writes header-only CSVs and no spread figure.
func TestExplainWithoutCorruption(t *testing.T) {
	_, dir := spreadRun(t, "0")
	for _, f := range []string{CorruptionsFileName, SpreadFileName} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || strings.Count(string(b), "\n") != 1 {
			t.Errorf("%s: %q, %v; want the header only", f, b, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, InfectionStem+".png")); err == nil {
		t.Error("an infection figure without a bad value")
	}
	st, err := Explain(dir)
	if err != nil {
		t.Fatal(err)
	}
	if text := st.Text(); !strings.Contains(text, "No corrupted message was accepted") || strings.Contains(text, "Trigger:") {
		t.Fatalf("explain says\n%s", text)
	}
}

// TestExplainBadInput: a missing directory, one that is not a run's and a
// malformed file are bad input naming the file.
func TestExplainBadInput(t *testing.T) {
	_, dir := spreadRun(t, "2e-3")
	broken := t.TempDir()
	for _, f := range []string{SummaryFileName, RunTimeSeriesFileName, CorruptionsFileName, SpreadFileName} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == SpreadFileName {
			b = append(b, "0,1,ahead,x,2,alive,3,,4,,\n"...)
		}
		if err := os.WriteFile(filepath.Join(broken, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A run of a classic protocol: explain tells the S3 model's story only.
	epidemic := filepath.Join(t.TempDir(), "epidemic")
	sc := DefaultScenario()
	if err := sc.SetModel("epidemic"); err != nil {
		t.Fatal(err)
	}
	sc.Fleet.Nodes, sc.Duration = 50, 20*sim.Second
	if err := PrepareOutDir(epidemic); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteRun(epidemic, mustRun(t, sc)); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, dir, want string }{
		{"another model", epidemic, "a run of model epidemic; explain tells the story of runs of the S3 model"},
		{"missing", filepath.Join(dir, "nope"), "no such directory"},
		{"not a run", t.TempDir(), "not a run directory"},
		{"malformed", broken, filepath.Join(broken, SpreadFileName) + ": line "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Explain(tc.dir)
			if err == nil || !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v, want one line of bad input with %q", err, tc.want)
			}
		})
	}
}

// TestInfectionCurvesCount: the curves count the spells open at each
// instant.
func TestInfectionCurvesCount(t *testing.T) {
	r := &spread.Record{Nodes: 4, Values: []spread.Value{{ID: 0}}, Holdings: []spread.Holding{
		{Node: 1, Acquired: 1 * sim.Second, Cleared: 5 * sim.Second, From: 0},
		{Node: 2, Acquired: 2 * sim.Second, Cleared: -1, From: 1},
		{Node: 3, Acquired: 5 * sim.Second, Cleared: -1, From: 2},
	}}
	c := InfectionCurves(r, nil)[0]
	if c.Reach != 3 {
		t.Fatalf("reach %d", c.Reach)
	}
	wantT, wantN := []float64{1, 2, 5}, []int{1, 2, 2}
	for k := range wantT {
		if c.Times[k] != wantT[k] || c.Holders[k] != wantN[k] || c.Shares[k] != float64(wantN[k])/4 {
			t.Fatalf("curve %v %v %v, want %v %v", c.Times, c.Holders, c.Shares, wantT, wantN)
		}
	}
	if c.Cleared != nil {
		t.Fatalf("cleared at %v, still held", *c.Cleared)
	}
}

// TestExplainReadsAnatomy: when a run directory has anatomy.csv, explain
// tells when the first node saturated from its first row with a saturated
// node; a malformed one is bad input naming it.
func TestExplainReadsAnatomy(t *testing.T) {
	_, dir := spreadRun(t, "2e-3")
	path := filepath.Join(dir, AnatomyFileName)
	head := strings.Join(AnatomyHeader, ",") + "\n"
	if err := os.WriteFile(path, []byte(head+"1,0,0,0,0\n2,3,1,0,0\n3,4,9,2,2\n4,5,9,7,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := Explain(dir)
	if err != nil {
		t.Fatal(err)
	}
	if text := st.Text(); !strings.Contains(text, "The first node saturated at t = 3.000 s (anatomy.csv).") {
		t.Fatalf("explain says\n%s", text)
	}
	if err := os.WriteFile(path, []byte(head+"1,0,0,x,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Explain(dir); err == nil || !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), path+": line 2") {
		t.Fatalf("error %v, want bad input naming %s line 2", err, path)
	}
}

// spreadFiles is how many files about the spread of bad values WriteRun
// writes for res: the two CSVs for a model that tracks them, and the two
// figures when a bad value was held.
func spreadFiles(res Result) int {
	switch {
	case res.Spread == nil:
		return 0
	case len(res.Spread.Values) == 0:
		return 2
	}
	return 4
}
