package experiments

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// TestRunQueue: which runs a sweep starts, and when, for run estimates, a
// worker count and a memory budget. The trace lists "+i" when run i starts
// and "-i" when it finishes; the pool finishes the oldest run in flight
// first.
func TestRunQueue(t *testing.T) {
	tests := []struct {
		name    string
		needs   []int64
		workers int
		budget  int64
		want    string
	}{
		{"no budget: index order, as many as workers", []int64{5, 1, 9}, 2, 0,
			"+0 +1 -0 +2 -1 -2"},
		{"largest first, a small run fills in beside a large one, the next large one waits for room",
			[]int64{3, 8, 8, 2}, 2, 10,
			"+1 +3 -1 +2 -3 -2 +0 -0"},
		{"a run larger than the budget runs alone", []int64{1, 9, 1}, 3, 5,
			"+1 -1 +0 +2 -0 -2"},
		{"equal estimates keep index order", []int64{4, 4, 4, 4}, 2, 8,
			"+0 +1 -0 +2 -1 +3 -2 -3"},
		{"memory does not bind: index order, only the workers limit", []int64{1, 2, 3}, 2, 6,
			"+0 +1 -0 +2 -1 -2"},
		{"memory binds by one byte: largest first", []int64{1, 2, 3}, 2, 5,
			"+2 +1 -2 +0 -1 -0"},
		{"the sum in flight stays within the budget", []int64{6, 5, 4, 3, 2, 1}, 3, 10,
			"+0 +2 -0 +1 +5 -2 +3 -1 +4 -5 -3 -4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			specs := make([]RunSpec, len(tc.needs))
			for i := range specs {
				specs[i] = RunSpec{Index: i}
			}
			q := newRunQueue(specs, tc.needs, tc.workers, tc.budget)
			var trace []string
			var inFlight []RunSpec
			var sum int64
			for {
				for {
					rs, need, ok := q.start()
					if !ok {
						break
					}
					inFlight = append(inFlight, rs)
					sum += need
					trace = append(trace, "+"+strconv.Itoa(rs.Index))
					if tc.budget > 0 && len(inFlight) > 1 && sum > tc.budget {
						t.Errorf("%d runs in flight need %d, over the budget %d", len(inFlight), sum, tc.budget)
					}
					if len(inFlight) > tc.workers {
						t.Errorf("%d runs in flight on %d workers", len(inFlight), tc.workers)
					}
				}
				if len(inFlight) == 0 {
					break
				}
				done := inFlight[0]
				inFlight = inFlight[1:]
				q.finish(tc.needs[done.Index])
				sum -= tc.needs[done.Index]
				trace = append(trace, "-"+strconv.Itoa(done.Index))
			}
			if got := strings.Join(trace, " "); got != tc.want {
				t.Errorf("trace %q, want %q", got, tc.want)
			}
		})
	}
}

// TestMemoryBudgetSameFiles: a sweep over fleet sizes writes the same
// runs.csv and points.csv with a memory budget (runs reordered largest
// first, one at a time or a small one beside a large one) as without.
func TestMemoryBudgetSameFiles(t *testing.T) {
	sc := DefaultScenario()
	sc.Duration = 20 * sim.Second
	sc.Fleet.Corruption.Probability = 2e-3
	sw := Sweep{Experiment: "custom", Seed: 3, Replicates: 2, Base: sc, Axes: []Axis{mustAxis("nodes=10,20,40")}}
	specs, err := sw.Runs()
	if err != nil {
		t.Fatal(err)
	}
	needs := sweepNeeds(specs)
	if needs[0] >= needs[len(needs)-1] {
		t.Fatalf("estimates %v do not grow with the fleet", needs)
	}
	root := t.TempDir()
	plain := filepath.Join(root, "plain")
	runSweep(t, sw, plain, SweepOptions{Workers: 1})
	files := []string{SweepFileName, RunsFileName, PointsFileName}
	for _, budget := range []int64{1, needs[0] + needs[len(needs)-1]} {
		d := filepath.Join(root, strconv.FormatInt(budget, 10))
		runSweep(t, sw, d, SweepOptions{Workers: 2, MemoryBudget: budget})
		sameFiles(t, plain, d, files...)
	}
}
