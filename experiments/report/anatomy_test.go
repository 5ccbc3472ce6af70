package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/plots"
	"github.com/gossipsim/gossipsim/sim"
)

// smallStorm runs 60 servers for two simulated minutes with one message in
// a thousand corrupted and crashes: a fleet that storms, with true and
// false declarations; with a checksum, one that stays quiet.
func smallStorm(t *testing.T, checksum string) experiments.Result {
	t.Helper()
	sc := experiments.DefaultScenario()
	sc.Fleet.Nodes = 60
	sc.Duration = 120 * sim.Second
	for _, kv := range [][2]string{{"corrupt-prob", "1e-3"}, {"crash-rate", "20"}, {"checksum", checksum}} {
		if err := sc.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	res, err := experiments.Run(context.Background(), sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestReplayAnatomy: the replay section's anatomy names the figures the
// run wrote, gives the run's numbers, and the report shows both figures
// with the sentence; a run that did not storm has none.
func TestReplayAnatomy(t *testing.T) {
	dir := t.TempDir()
	res := smallStorm(t, "none")
	sub := filepath.Join(dir, "replay", "2008")
	if err := experiments.PrepareOutDir(sub); err != nil {
		t.Fatal(err)
	}
	if _, err := experiments.WriteRunSet(sub, res, plots.Options{}, "test"); err != nil {
		t.Fatal(err)
	}
	w := &writer{dir: dir}
	s := w.replayAnatomy(ReplayResult{Variant: ReplayVariant{Name: "2008"}, Result: res})
	if s == nil {
		t.Fatal("no anatomy for a run that stormed")
	}
	for _, f := range []string{s.Saturation, s.Declarations} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("figure %s: %v", f, err)
		}
	}
	st := experiments.RunStorm(res)
	first, _ := res.Anatomy.FirstSaturationTime()
	sum := res.Summary
	want := anatomySection{
		Saturation: "replay/2008/saturation.png", Declarations: "replay/2008/declarations.png",
		FirstSaturated: at(first), StormStart: at(st.Start),
		SaturatedAtStorm: grouped(res.Anatomy.SaturatedAt(st.Start)), Nodes: "60",
		TrueDeclarations:  grouped(int(sum.FailureDeclarations - sum.FalseFailures)),
		FalseDeclarations: grouped(int(sum.FalseFailures)),
	}
	if *s != want {
		t.Errorf("anatomy section\n%+v, want\n%+v", *s, want)
	}

	src := &source{Experiment: "s3-2008", Version: "v", Command: "gossipsim report", Provenance: "{}",
		Replay: &replaySection{Origin: "08:00", End: "17:30", Nodes: 60, Scale: 30, SimSeconds: 1140, CorruptProb: 0.003,
			Scenario: "nodes: 60", Timeline: "one.png", Variants: "all.png", Rows: [][]string{make([]string, 10)}, Anatomy: s}}
	d, err := src.document()
	if err != nil {
		t.Fatal(err)
	}
	md := string(d.markdown())
	for _, x := range []string{"![Figure 3. The 2008 run's processor utilization", "(replay/2008/saturation.png)",
		"![Figure 4. Failure declarations per simulated second", "(replay/2008/declarations.png)",
		"the first server saturated (its processor busy for at least 99% of a sample) at " + want.FirstSaturated,
		"When the storm began at " + want.StormStart, want.SaturatedAtStorm + " of 60 servers were saturated",
		"declared " + want.FalseDeclarations + " live servers failed (false declarations) and " + want.TrueDeclarations + " crashed ones (true)",
		"Figure 3 shows the saturation spreading"} {
		if !strings.Contains(md, x) {
			t.Errorf("report.md does not say %q", x)
		}
	}

	if q := w.replayAnatomy(ReplayResult{Variant: ReplayVariant{Name: "d"}, Result: smallStorm(t, "crc32c")}); q != nil {
		t.Errorf("a checksummed run that did not storm has an anatomy: %+v", *q)
	}
}

// at is a replay time as the anatomy section gives it.
func at(t float64) string { return fmt.Sprintf("%.0f s (%s on the clock)", t, ClockOf(ReplayClock(t))) }
