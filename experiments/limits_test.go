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
	// Measured with gossipsim run on the S3 model: the live heap (GODEBUG=gctrace=1,
	// the most a collection left) and the peak RSS in a storm (which under
	// GOGC alone holds up to as much garbage again). The estimate covers
	// every live heap within a factor of 2.5, and every storm's RSS at least
	// halfway.
	measured := []struct {
		nodes     int
		live, rss float64 // bytes; 0 where not measured
	}{
		{1000, 0, 129e6},   // the default run, storm from 510 s
		{10000, 0, 3.67e9}, // --duration 300s: a storm from the first seconds
	}
	for _, m := range measured {
		sc := DefaultScenario()
		sc.Fleet.Nodes = m.nodes
		est, _ := EstimateMemory(sc)
		if m.live > 0 && (float64(est) < m.live || float64(est) > 2.5*m.live) {
			t.Errorf("%d nodes: estimate %d bytes, want within [1, 2.5] × the live %g", m.nodes, est, m.live)
		}
		if m.rss > 0 && (float64(est) < m.rss/2 || float64(est) > m.rss*1.5) {
			t.Errorf("%d nodes: estimate %d bytes, want within [0.5, 1.5] × the storm's RSS %g", m.nodes, est, m.rss)
		}
	}
	sc := DefaultScenario()
	sc.Fleet.Nodes = 10000
	big, what := EstimateMemory(sc)
	if err := CheckMemory(big, what, 1, MemoryLimit{Bytes: 1e9, Name: "--max-memory"}); err == nil || !strings.Contains(err.Error(), "--max-memory") || !strings.Contains(err.Error(), "10000 nodes") {
		t.Errorf("CheckMemory: %v", err)
	}
	if err := CheckMemory(big, what, 2, MemoryLimit{Name: "x"}); err != nil {
		t.Errorf("limit 0 must not check: %v", err)
	}
}
