package metrics

import (
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// TestConvergenceAfterHeal drives the recorder's wrong-pair count by hand
// and checks convergence_after_heal_s: the time from the heal until the
// count's last return to 0, if it stays 0 for the settle time before the
// horizon; 0 when nothing was wrong at the heal; null otherwise.
func TestConvergenceAfterHeal(t *testing.T) {
	s := sim.Second
	type step struct {
		at    sim.Time
		delta int64
	}
	tests := []struct {
		name   string
		heal   sim.Time
		watch  bool
		steps  []step
		end    sim.Time
		want   float64 // -1: null
		healed bool    // heal_time_s set
	}{
		{name: "not watched", steps: []step{{10 * s, 5}, {20 * s, -5}}, end: 100 * s, want: -1},
		{name: "converges after the heal", watch: true, heal: 30 * s, steps: []step{{10 * s, 5}, {35 * s, -3}, {42 * s, -2}}, end: 100 * s, want: 12, healed: true},
		{name: "right before the heal", watch: true, heal: 30 * s, steps: []step{{10 * s, 5}, {20 * s, -5}}, end: 100 * s, want: 0, healed: true},
		{name: "wrong again later", watch: true, heal: 30 * s, steps: []step{{10 * s, 5}, {35 * s, -5}, {50 * s, 1}, {60 * s, -1}}, end: 100 * s, want: 30, healed: true},
		{name: "still wrong at the horizon", watch: true, heal: 30 * s, steps: []step{{10 * s, 5}, {35 * s, -4}}, end: 100 * s, want: -1, healed: true},
		{name: "not settled", watch: true, heal: 30 * s, steps: []step{{10 * s, 5}, {95 * s, -5}}, end: 100 * s, want: -1, healed: true},
		{name: "heal after the horizon", watch: true, heal: 300 * s, end: 100 * s, want: -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRecorder(10)
			if tc.watch {
				r.WatchHeal(tc.heal)
			}
			for _, st := range tc.steps {
				r.AddWrong(st.at, st.delta)
			}
			fs := r.Summarize(tc.end, 20*s).FaultSummary
			got := -1.0
			if fs.ConvergenceAfterHealSeconds != nil {
				got = *fs.ConvergenceAfterHealSeconds
			}
			if got != tc.want {
				t.Errorf("convergence after heal = %g, want %g (-1: null)", got, tc.want)
			}
			if (fs.HealTimeSeconds != nil) != tc.healed {
				t.Errorf("heal_time_s = %v, want set: %v", fs.HealTimeSeconds, tc.healed)
			}
		})
	}
}

// TestConvergenceWaitsForReset: a reset in progress is not convergence,
// whatever the views say; its restore is.
func TestConvergenceWaitsForReset(t *testing.T) {
	r := NewRecorder(10)
	r.WatchHeal(30 * sim.Second)
	r.AddWrong(10*sim.Second, 4)
	r.SetResetting(40*sim.Second, true)
	r.AddWrong(41*sim.Second, -4)
	r.SetResetting(50*sim.Second, false)
	fs := r.Summarize(100*sim.Second, 20*sim.Second).FaultSummary
	if fs.ConvergenceAfterHealSeconds == nil || *fs.ConvergenceAfterHealSeconds != 20 {
		t.Fatalf("convergence = %v, want 20 (the restore at 50 s)", fs.ConvergenceAfterHealSeconds)
	}
}

// TestFalseFailureSplit: the split is null until SplitByZone, then counts
// each FalseFailure by zone class.
func TestFalseFailureSplit(t *testing.T) {
	r := NewRecorder(10)
	if fs := r.Summarize(sim.Second, sim.Second).FaultSummary; fs.FalseFailuresSameZone != nil || fs.FalseFailuresCrossZone != nil {
		t.Fatal("split set without zones")
	}
	r.SplitByZone(1)
	if fs := r.Summarize(sim.Second, sim.Second).FaultSummary; fs.FalseFailuresSameZone != nil {
		t.Fatal("split set for one zone")
	}
	r.SplitByZone(3)
	r.FalseFailure(true)
	r.FalseFailure(false)
	r.FalseFailure(false)
	fs := r.Summarize(sim.Second, sim.Second).FaultSummary
	if *fs.FalseFailuresSameZone != 1 || *fs.FalseFailuresCrossZone != 2 {
		t.Fatalf("same %d, cross %d; want 1, 2", *fs.FalseFailuresSameZone, *fs.FalseFailuresCrossZone)
	}
}
