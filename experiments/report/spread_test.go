package report

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/plots"
	"github.com/gossipsim/gossipsim/sim"
)

// TestReplaySpreadSentence: a replay run with bad values gives the report
// its two spread figures, relative to the report, and a sentence naming
// patient zero and the first value's reach.
func TestReplaySpreadSentence(t *testing.T) {
	sc := ReplayScenario(80, 1)
	sc.Duration = 150 * sim.Second
	if err := sc.Set("corrupt-prob", "0.02"); err != nil {
		t.Fatal(err)
	}
	res, err := experiments.Run(context.Background(), sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Spread == nil || len(res.Spread.Values) == 0 {
		t.Fatalf("no bad value: the test exercises nothing")
	}
	dir := t.TempDir()
	runDir := filepath.Join(dir, "replay", "2008")
	if err := experiments.PrepareOutDir(runDir); err != nil {
		t.Fatal(err)
	}
	if _, err := experiments.WriteRunSet(runDir, res, plots.Options{}, "test"); err != nil {
		t.Fatal(err)
	}
	w := &writer{dir: dir}
	f := w.replaySpread(ReplayResult{Variant: ReplayVariants()[0], Result: res}, runDir)
	if f == nil {
		t.Fatal("no spread section")
	}
	if f.Infection != "replay/2008/infection.png" || f.Tree != "replay/2008/spread_tree.png" {
		t.Errorf("figures %q, %q", f.Infection, f.Tree)
	}
	v := res.Spread.Values[0]
	if want := fmt.Sprintf("Patient zero was server %d: at %s", v.PatientZero, ClockOf(ReplayClock(v.Time.Seconds()))); !strings.HasPrefix(f.Sentence, want) {
		t.Errorf("sentence %q, want it to start %q", f.Sentence, want)
	}
	t.Log(f.Sentence)
}

// TestTemplateReplaySpread: with a spread section the replay shows the
// infection curves and the spread tree after the variants' figure, with
// the sentence, and the table still names the variants' figure.
func TestTemplateReplaySpread(t *testing.T) {
	src := &source{Experiment: "s3-2008", Version: "v", Command: "gossipsim report", Provenance: "{}",
		Replay: &replaySection{Origin: "08:00", End: "17:30", Nodes: 1000, Scale: 30, SimSeconds: 1140, CorruptProb: 0.003,
			Scenario: "nodes: 1000", Timeline: "one.png", Variants: "all.png", Rows: [][]string{make([]string, 10)},
			Spread: &spreadFigures{Infection: "replay/2008/infection.png", Tree: "replay/2008/spread_tree.png", Sentence: "Patient zero was server 7."}},
	}
	d, err := src.document()
	if err != nil {
		t.Fatal(err)
	}
	var figures []string
	for _, b := range d.blocks {
		if b.kind == "figure" {
			figures = append(figures, b.image+" "+b.caption[:len("Figure 1")])
		}
	}
	want := []string{"one.png Figure 1", "all.png Figure 2", "replay/2008/infection.png Figure 3", "replay/2008/spread_tree.png Figure 4"}
	if strings.Join(figures, ", ") != strings.Join(want, ", ") {
		t.Errorf("figures %v, want %v", figures, want)
	}
	md := string(d.markdown())
	for _, s := range []string{"**How the wrong state spread.** Patient zero was server 7.", "multiply by 30 for the day's seconds", "Table 1. Each run of Figure 2"} {
		if !strings.Contains(md, s) {
			t.Errorf("report.md does not say %q", s)
		}
	}
}
