package experiments

import (
	"context"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// TestCorruptionWindowEveryModel: the corruption episode (corrupt-from,
// corrupt-until) is the fleet's, applied on the shared message path, so it
// holds for every model: an episode that starts after the horizon injects
// nothing, and one over the second half injects fewer corruptions than the
// whole run does (same seed, 5% of messages corrupted; epidemic and rumor runs are
// over in seconds, so from 15 s on they may see none).
func TestCorruptionWindowEveryModel(t *testing.T) {
	for _, model := range []string{"s3", "epidemic", "rumor", "heartbeat", "swim"} {
		t.Run(model, func(t *testing.T) {
			injected := func(from, until sim.Time) int64 {
				sc := protocolScenario(model, 40, 30*sim.Second)
				sc.Fleet.Corruption.Probability = 0.05
				sc.Fleet.Corruption.From, sc.Fleet.Corruption.Until = from, until
				res, err := Run(context.Background(), sc, nil)
				if err != nil {
					t.Fatal(err)
				}
				return res.Summary.CorruptionsInjected
			}
			all := injected(0, 0)
			late := injected(15*sim.Second, 0)
			never := injected(40*sim.Second, 50*sim.Second)
			if all == 0 || late >= all || never != 0 {
				t.Errorf("corruptions injected: whole run %d, from 15 s %d, from 40 s (after the horizon) %d; want from-15 s < whole, both 0 after the horizon", all, late, never)
			}
		})
	}
}
