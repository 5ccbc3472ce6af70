package experiments

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// TestQueuesGiveIdenticalRuns runs the same scenarios on the heap and on the
// calendar queue and compares summary.json and timeseries.csv byte for byte:
// the faster queue must pop events in exactly the heap's order. The scenarios
// cover every model, the S3 storm (with crashes, resets and monitor) and both
// epidemic timings (sync rounds put heavy ties on the queue).
func TestQueuesGiveIdenticalRuns(t *testing.T) {
	cases := []struct {
		name string
		args []string // run parameters, KEY=VALUE
	}{
		{"s3 storm", []string{"nodes=300", "duration=300s", "corrupt-prob=1e-4"}},
		{"s3 full view, crashes", []string{"nodes=200", "duration=120s", "mode=full", "crash-rate=20", "corrupt-prob=1e-3"}},
		{"s3 all mitigations", []string{"nodes=300", "duration=300s", "corrupt-prob=1e-4", "mitigation=all", "checksum=none", "loss=0.01"}},
		{"s3 2008 reset", []string{"nodes=200", "duration=400s", "corrupt-prob=1e-4", "mitigation=a-2008"}},
		{"epidemic async push", []string{"model=epidemic", "nodes=20000", "set=mode=push", "set=rounds=async"}},
		{"epidemic sync push-pull", []string{"model=epidemic", "nodes=20000", "set=mode=push-pull", "corrupt-prob=1e-3"}},
		{"rumor", []string{"model=rumor", "nodes=2000"}},
		{"heartbeat", []string{"model=heartbeat", "nodes=100", "duration=120s"}},
		{"swim lifeguard", []string{"model=swim", "nodes=500", "duration=60s", "set=lifeguard=true", "set=crashes=5", "loss=0.02"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out [2][2][]byte
			for k, q := range []sim.QueueKind{sim.QueueHeap, sim.QueueCalendar} {
				sc := DefaultScenario()
				for _, a := range c.args {
					key, val, _ := strings.Cut(a, "=")
					var err error
					switch key {
					case "model":
						sc.Model, err = NewModel(val)
					case "set":
						err = sc.SetModelParam(val)
					default:
						err = sc.Set(key, val)
					}
					if err != nil {
						t.Fatalf("%s: %v", a, err)
					}
				}
				sc.Fleet.Queue = q
				res := mustRun(t, sc)
				js, err := summaryJSON(res.Summary)
				if err != nil {
					t.Fatal(err)
				}
				out[k] = [2][]byte{js, timeSeriesCSV(res.Samples)}
			}
			if !bytes.Equal(out[0][0], out[1][0]) {
				t.Errorf("summary.json differs:\nheap     %s\ncalendar %s", out[0][0], out[1][0])
			}
			if !bytes.Equal(out[0][1], out[1][1]) {
				t.Errorf("timeseries.csv differs between the heap and the calendar queue")
			}
			if !bytes.Contains(out[0][0], []byte(`"events"`)) {
				t.Errorf("summary has no events field: %s", out[0][0])
			}
		})
	}
}
