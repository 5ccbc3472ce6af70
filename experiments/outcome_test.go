package experiments

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// TestRunOutcomes runs real scenarios whose trigger ends each way: a
// corruption accepted that never makes a view wrong (harmless), one whose
// wrong state spreads and is cleared by mitigation (a)'s reset (recovered),
// one whose wrong state sticks (censored), and a harmless corruption
// followed by a reset, which is an outage until the restore (recovered, not
// harmless). The seeds were found by trying seeds 1-12 of each scenario.
func TestRunOutcomes(t *testing.T) {
	// base is the default scenario on 40 nodes at corrupt-prob 1e-4; with a
	// mitigation, corrupted messages only from 60 s to 180 s (as in the
	// mitigations experiment), so that a reset at 240 s ends them.
	base := func(mitigation string, duration sim.Time, seed uint64) Scenario {
		sc := DefaultScenario()
		sc.Fleet.Nodes = 40
		sc.Duration = duration
		sc.Fleet.Corruption.Probability = 1e-4
		sc.Seed = seed
		set := [][2]string{{"mitigation", mitigation}}
		if mitigation != "none" {
			set = append(set, [2]string{"corrupt-from", "60s"}, [2]string{"corrupt-until", "180s"})
		}
		for _, kv := range set {
			if err := sc.Set(kv[0], kv[1]); err != nil {
				t.Fatal(err)
			}
		}
		return sc
	}
	tests := []struct {
		name      string
		sc        Scenario
		want      outcome
		wantPeak0 bool // the peak wrong-view fraction is 0
	}{
		{"accepted but nothing wrong is harmless", base("none", 200*sim.Second, 3), outcomeHarmless, true},
		{"spreads and sticks is censored", base("none", 200*sim.Second, 1), outcomeCensored, false},
		{"spreads and is cleared by a reset is recovered", base("a-fast", 400*sim.Second, 4), outcomeRecovered, false},
		{"harmless then reset is recovered at the restore", base("a-fast", 400*sim.Second, 8), outcomeRecovered, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := mustRun(t, tc.sc)
			s := res.Summary.Summary
			if s.TriggerTimeSeconds == nil {
				t.Fatalf("seed %d: no trigger", tc.sc.Seed)
			}
			if got := s.PeakWrongViewFraction == 0; got != tc.wantPeak0 {
				t.Fatalf("peak wrong-view fraction %g; want zero: %v", s.PeakWrongViewFraction, tc.wantPeak0)
			}
			js, err := summaryJSON(res.Summary)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(js, &m); err != nil {
				t.Fatal(err)
			}
			harmless, ok := m["harmless"].(bool)
			if !ok {
				t.Fatalf("summary.json has no boolean harmless: %s", js)
			}
			recovered := m["recovered"].(bool)
			_, hasTime := m["recovery_time_s"].(float64)
			var got outcome
			switch {
			case recovered && !harmless:
				got = outcomeRecovered
			case harmless && !recovered:
				got = outcomeHarmless
			case !harmless && !recovered:
				got = outcomeCensored
			default:
				t.Fatalf("both recovered and harmless: %s", js)
			}
			if got != tc.want {
				t.Fatalf("outcome %d, want %d (recovered %v, harmless %v)", got, tc.want, recovered, harmless)
			}
			if hasTime != (got == outcomeRecovered) {
				t.Fatalf("recovery_time_s = %v for outcome %d; only a recovered run has one", m["recovery_time_s"], got)
			}
			if tc.want == outcomeRecovered && tc.wantPeak0 && *s.RecoveryTimeSeconds <= 0 {
				t.Fatalf("a reset after a harmless trigger recovered after %g s; want the reset's outage", *s.RecoveryTimeSeconds)
			}
		})
	}
}

// TestOutcomeCounts checks points.csv and mitigations.csv count each outcome
// once, and that recovery time is averaged over recovered runs only (never
// as 0 for a harmless run).
func TestOutcomeCounts(t *testing.T) {
	sw := Sweep{Experiment: "custom", Replicates: 5, Base: DefaultScenario(), Axes: []Axis{mustAxis("mitigation=none,b")}}
	cols := sw.RunColumns()
	col := map[string]int{}
	for i, c := range cols {
		col[c] = i
	}
	row := func(run int, trigger, recovered, harmless, recovery string) []string {
		r := make([]string, len(cols))
		for i := range r {
			r[i] = "0"
		}
		point := run / sw.Replicates
		r[0], r[1], r[2], r[3] = itoa(run), itoa(point), itoa(run%sw.Replicates), sw.Axes[0].Values[point]
		r[col["trigger_time_s"]], r[col["recovered"]], r[col["harmless"]], r[col["recovery_time_s"]] = trigger, recovered, harmless, recovery
		return r
	}
	rows := [][]string{
		row(0, "", "false", "false", ""),    // untriggered
		row(1, "70", "false", "true", ""),   // harmless
		row(2, "70", "false", "true", ""),   // harmless
		row(3, "70", "true", "false", "30"), // recovered
		row(4, "70", "false", "false", ""),  // censored
		row(5, "70", "false", "true", ""),   // harmless
		row(6, "70", "false", "true", ""),   // harmless
		row(7, "70", "false", "true", ""),   // harmless
		row(8, "70", "false", "false", ""),  // censored
		row(9, "", "false", "false", ""),    // untriggered
	}
	pt := Aggregate(sw, cols, rows)
	type counts struct{ runs, censored, harmless, untriggered int }
	want := []counts{{5, 1, 2, 1}, {5, 1, 3, 1}}
	for i, p := range pt.Points {
		if got := (counts{p.Runs, p.Censored, p.Harmless, p.Untriggered}); got != want[i] {
			t.Errorf("point %d: %+v, want %+v", i, got, want[i])
		}
	}
	rec := pt.Metric("recovery_time_s")
	if st := pt.Points[0].Stats[rec]; st.N != 1 || st.Mean != 30 {
		t.Errorf("none: recovery time n = %d, mean %g; want 1 run, 30 s", st.N, st.Mean)
	}
	if st := pt.Points[1].Stats[rec]; st.N != 0 {
		t.Errorf("b: recovery time over %d runs (mean %g); no run recovered", st.N, st.Mean)
	}

	points := readCSV(t, pt.CSV())
	wantPoints := map[string][]string{"runs": {"5", "5"}, "censored": {"1", "1"}, "harmless": {"2", "3"}, "untriggered": {"1", "1"}}
	for name, vals := range wantPoints {
		for i, v := range vals {
			if got := points[i+1][indexOf(points[0], name)]; got != v {
				t.Errorf("points.csv point %d %s = %q, want %q", i, name, got, v)
			}
		}
	}
	mit := readCSV(t, MitigationsCSV(pt))
	wantMit := [][]string{{"none", "5", "4", "1", "2", "1", "30"}, {"b", "5", "4", "0", "3", "1", ""}}
	for _, name := range []string{"mitigation", "runs", "triggered", "recovered", "harmless", "censored", "recovery_time_s_mean"} {
		if indexOf(mit[0], name) < 0 {
			t.Fatalf("mitigations.csv has no column %s: %v", name, mit[0])
		}
	}
	for i, w := range wantMit {
		for j, name := range []string{"mitigation", "runs", "triggered", "recovered", "harmless", "censored", "recovery_time_s_mean"} {
			if got := mit[i+1][indexOf(mit[0], name)]; got != w[j] {
				t.Errorf("mitigations.csv %s %s = %q, want %q", w[0], name, got, w[j])
			}
		}
	}
	if g := boxGroups(sw, pt, rec, 1); !strings.Contains(g[1].Label, "3 harmless") || len(g[1].Values) != 0 || g[1].Censored != 1 {
		t.Errorf("recovery-time box of b: label %q, %d values, %d censored; want 3 harmless named, none drawn, 1 censored", g[1].Label, len(g[1].Values), g[1].Censored)
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// The classic protocols track no wrong views: a run that accepts corrupted
// messages has no trigger, and is never harmless.
func TestProtocolRunsAreNeverHarmless(t *testing.T) {
	for _, name := range ModelNames()[1:] {
		t.Run(name, func(t *testing.T) {
			sc := DefaultScenario()
			sc.Duration = 30 * sim.Second
			sc.Fleet.Nodes = 50
			sc.Fleet.Corruption.Probability = 1e-2
			p, err := NewModel(name)
			if err != nil {
				t.Fatal(err)
			}
			sc.Model = p
			s := mustRun(t, sc).Summary.Summary
			t.Logf("%s: %d corrupted messages accepted", name, s.CorruptionsAccepted)
			if s.Harmless || s.Recovered || s.TriggerTimeSeconds != nil {
				t.Errorf("harmless %v, recovered %v, trigger %v (accepted %d); want false, false, none",
					s.Harmless, s.Recovered, s.TriggerTimeSeconds, s.CorruptionsAccepted)
			}
		})
	}
}
