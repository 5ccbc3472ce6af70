package experiments

import (
	"strings"
	"testing"
	"time"

	"github.com/gossipsim/gossipsim/sim"
)

// --max-events stops a run cleanly at exactly that many events, says so, and
// is reproducible; without limits a run says nothing.
func TestMaxEvents(t *testing.T) {
	for _, model := range []string{"s3", "epidemic"} {
		sc := DefaultScenario()
		sc.Fleet.Nodes = 200
		sc.Duration = 120 * sim.Second
		if model != "s3" {
			p, err := NewModel(model)
			if err != nil {
				t.Fatal(err)
			}
			sc.Model = p
			sc.Fleet.Nodes = 5000
		}
		full := mustRun(t, sc)
		if full.Summary.Stopped != "" {
			t.Fatalf("%s: an unlimited run says stopped %q", model, full.Summary.Stopped)
		}
		sc.MaxEvents = full.Summary.Events / 3
		a, b := mustRun(t, sc), mustRun(t, sc)
		if a.Summary.Stopped != "max-events" || a.Summary.Events != sc.MaxEvents {
			t.Errorf("%s: stopped %q after %d events, want max-events after %d", model, a.Summary.Stopped, a.Summary.Events, sc.MaxEvents)
		}
		ja, _ := summaryJSON(a.Summary)
		jb, _ := summaryJSON(b.Summary)
		if string(ja) != string(jb) {
			t.Errorf("%s: two runs stopped by max-events differ", model)
		}
	}
}

// --timeout stops a run cleanly and records it.
func TestTimeout(t *testing.T) {
	sc := DefaultScenario()
	sc.Fleet.Nodes = 1000
	sc.Duration = 3600 * sim.Second // far more than 200 ms of wall time
	sc.Timeout = 200 * time.Millisecond
	start := time.Now()
	res := mustRun(t, sc)
	if res.Summary.Stopped != "timeout" || res.Summary.DurationSeconds >= 3600 {
		t.Errorf("stopped %q at %g s, want timeout before the horizon", res.Summary.Stopped, res.Summary.DurationSeconds)
	}
	if wall := time.Since(start); wall > 5*time.Second {
		t.Errorf("a 200 ms timeout took %v", wall)
	}
}

func TestCheckMemory(t *testing.T) {
	sc := DefaultScenario()
	small, _ := EstimateMemory(sc)
	sc.Fleet.Nodes = 10000
	big, what := EstimateMemory(sc)
	// Measured peak RSS: 136 MB at 1,000 nodes (default run, storm), 3.96 GB
	// at 10,000 (storm). The estimate must cover them within a factor of 2.
	if small < 136e6 || small > 2*136e6 || big < 3.96e9 || big > 2*3.96e9 {
		t.Errorf("estimates %d and %d bytes, want within [1, 2] × the measured 136 MB and 3.96 GB", small, big)
	}
	if err := CheckMemory(big, what, 1, MemoryLimit{Bytes: 1e9, Name: "--max-memory"}); err == nil || !strings.Contains(err.Error(), "--max-memory") || !strings.Contains(err.Error(), "10000 nodes") {
		t.Errorf("CheckMemory: %v", err)
	}
	if err := CheckMemory(big, what, 2, MemoryLimit{Name: "x"}); err != nil {
		t.Errorf("limit 0 must not check: %v", err)
	}
}
