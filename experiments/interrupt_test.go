package experiments

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gossipsim/gossipsim/sim"
)

// heavyScenarios are runs of the slowest realistic kinds, each far longer
// than a test: the s3 model gossiping its whole view every millisecond, and a
// classic protocol (heartbeat, whole-list push) with a millisecond period.
func heavyScenarios(t *testing.T) map[string]Scenario {
	t.Helper()
	s3 := DefaultScenario()
	s3.Fleet.Nodes = 1000
	s3.Duration = 100 * sim.Hour
	for k, v := range map[string]string{"gossip-interval": "1ms", "mode": "full"} {
		if err := s3.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	hb := DefaultScenario()
	hb.Fleet.Nodes = 2000
	hb.Duration = 100 * sim.Hour
	p, err := NewModel("heartbeat")
	if err != nil {
		t.Fatal(err)
	}
	hb.Model = p
	for _, kv := range []string{"t-gossip=1ms", "t-fail=10ms", "t-cleanup=20ms"} {
		if err := hb.SetModelParam(kv); err != nil {
			t.Fatal(err)
		}
	}
	return map[string]Scenario{"s3 full view every 1ms": s3, "heartbeat every 1ms": hb}
}

// A run cancelled in the middle returns ctx's error within a second of the
// cancellation, however heavy its events and long its horizon (before the
// engine polled the context, such runs took minutes). The bound is generous
// (2 s): this is a behaviour test, not a speed test.
func TestRunStopsPromptlyWhenCancelled(t *testing.T) {
	for name, sc := range heavyScenarios(t) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var cancelled time.Time
			timer := time.AfterFunc(300*time.Millisecond, func() { // mid-run
				cancelled = time.Now()
				cancel()
			})
			defer timer.Stop()
			_, err := Run(ctx, sc, nil)
			returned := time.Now()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Run = %v, want context.Canceled", err)
			}
			lag := returned.Sub(cancelled)
			t.Logf("returned %v after the cancellation", lag)
			if lag > 2*time.Second {
				t.Errorf("returned %v after the cancellation, want within 1 s (bound 2 s)", lag)
			}
		})
	}
}

// --timeout stops the heavy runs the same way, and they say so.
func TestTimeoutStopsHeavyRunsPromptly(t *testing.T) {
	for name, sc := range heavyScenarios(t) {
		t.Run(name, func(t *testing.T) {
			sc.Timeout = 300 * time.Millisecond
			start := time.Now()
			res, err := Run(context.Background(), sc, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Summary.Stopped != "timeout" {
				t.Errorf("stopped %q, want timeout", res.Summary.Stopped)
			}
			if wall := time.Since(start); wall > sc.Timeout+2*time.Second {
				t.Errorf("a %v timeout took %v", sc.Timeout, wall)
			}
		})
	}
}
