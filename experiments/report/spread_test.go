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
