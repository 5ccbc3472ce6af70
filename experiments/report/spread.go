package report

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/models/spread"
)

// spreadFigures is the replay's spread of bad values in the report: the
// infection curves and the first value's spread tree that the 2008 run
// wrote beside its other files, and a sentence with their numbers.
type spreadFigures struct {
	// Infection and Tree are relative to the report directory.
	Infection, Tree string
	// Sentence tells patient zero, how many servers the first value
	// reached and how fast.
	Sentence string
}

// replaySpread reads the 2008 run's spread (x, written into runDir) for
// the report; nil when no bad value was held.
func (w *writer) replaySpread(x ReplayResult, runDir string) *spreadFigures {
	r := x.Result.Spread
	if r == nil || len(r.Values) == 0 {
		return nil
	}
	f := &spreadFigures{
		Infection: filepath.Join(runDir, w.opt.Plot.FileName(experiments.InfectionStem)),
		Tree:      filepath.Join(runDir, w.opt.Plot.FileName(experiments.SpreadTreeStem)),
	}
	for _, p := range []string{f.Infection, f.Tree} {
		if _, err := os.Stat(p); err != nil {
			return nil
		}
	}
	f.Infection, f.Tree = w.rel(f.Infection), w.rel(f.Tree)
	curves := experiments.InfectionCurves(r, x.Result.Samples)
	c := curves[0]
	v := c.Value
	n := r.Nodes
	t0 := v.Time.Seconds()
	said := fmt.Sprintf("gave server %d the version (generation %d, heartbeat %d), one it never issued", v.Subject, v.Generation, v.Heartbeat)
	if v.Kind == spread.KindFalseFailure {
		said = fmt.Sprintf("said server %d, which was up, had failed (at generation %d, heartbeat %d)", v.Subject, v.Generation, v.Heartbeat)
	}
	f.Sentence = fmt.Sprintf("Patient zero was server %d: at %s (t = %.1f s) it accepted a corrupted %s from server %d that %s. That value reached %s of the %s servers",
		v.PatientZero, ClockOf(ReplayClock(t0)), t0, v.MsgKind, v.Sender, said, grouped(c.Reach), grouped(n))
	reach := func(share float64) (float64, bool) {
		need := int(math.Ceil(share * float64(n)))
		for k, h := range c.Holders {
			if h >= need {
				return c.Times[k] - t0, true
			}
		}
		return 0, false
	}
	if d50, ok := reach(0.5); ok {
		f.Sentence += fmt.Sprintf(", half of them %.1f simulated seconds after patient zero (%s of the day)", d50, minutesOfDay(d50))
		if d90, ok := reach(0.9); ok {
			f.Sentence += fmt.Sprintf(" and 90%% after %.1f s (%s)", d90, minutesOfDay(d90))
		}
	}
	f.Sentence += fmt.Sprintf(". In all %d corrupted messages were accepted and %d bad values held.", len(r.Corruptions), len(r.Values))
	return f
}

// minutesOfDay is a replay span of d simulated seconds on the day's clock.
func minutesOfDay(d float64) string {
	m := d * ReplayTimeScale / 60
	if m < 1 {
		return fmt.Sprintf("%.0f s", d*ReplayTimeScale)
	}
	return fmt.Sprintf("%.0f min", m)
}
