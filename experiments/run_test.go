package experiments

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

func small() Scenario {
	sc := DefaultScenario()
	sc.Fleet.Nodes = 60
	sc.Duration = 120 * sim.Second
	sc.Fleet.Corruption.Probability = 1e-3
	sc.S3Params().CrashRate = 20
	return sc
}

func mustRun(t *testing.T, sc Scenario) Result {
	t.Helper()
	res, err := Run(context.Background(), sc, nil)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// TestDeterministic: same scenario and seed, same bytes out; another seed, other bytes.
func TestDeterministic(t *testing.T) {
	sc := small()
	a, b := mustRun(t, sc), mustRun(t, sc)
	ja, _ := summaryJSON(a.Summary)
	jb, _ := summaryJSON(b.Summary)
	if !bytes.Equal(ja, jb) {
		t.Fatalf("summary.json differs between two identical runs:\n%s\n%s", ja, jb)
	}
	if !bytes.Equal(timeSeriesCSV(a.Samples), timeSeriesCSV(b.Samples)) {
		t.Fatalf("timeseries.csv differs between two identical runs")
	}
	sc.Seed++
	c := mustRun(t, sc)
	jc, _ := summaryJSON(c.Summary)
	if bytes.Equal(ja, jc) {
		t.Fatalf("seeds %d and %d gave identical summaries", sc.Seed-1, sc.Seed)
	}
}

// TestDefaultScenarioCorruptionSpreads is the foundation's acceptance check on
// the embedded default scenario (shortened to 120 s): without a checksum an
// accepted corruption puts wrong state in many observers' views; with CRC-32C
// the same seed accepts none and rejects every corrupted message that arrives.
func TestDefaultScenarioCorruptionSpreads(t *testing.T) {
	if testing.Short() {
		t.Skip("1000-node run")
	}
	sc := DefaultScenario()
	sc.Duration = 120 * sim.Second
	none := mustRun(t, sc).Summary
	if none.CorruptionsAccepted == 0 {
		t.Fatalf("no corruption accepted at defaults: %+v", none)
	}
	// Spread: more wrong pairs than the one observer that accepted the message.
	pairs := float64(sc.Fleet.Nodes * (sc.Fleet.Nodes - 1))
	if got := none.PeakWrongViewFraction * pairs; got < float64(sc.Fleet.Nodes)/2 {
		t.Fatalf("peak wrong pairs = %.0f, want at least %d (spread to half the fleet)", got, sc.Fleet.Nodes/2)
	}
	sc.Fleet.Checksum = wire.ChecksumCRC32C
	crc := mustRun(t, sc).Summary
	if crc.CorruptionsAccepted != 0 || crc.CorruptionsUndecodable != 0 {
		t.Fatalf("crc32c: accepted %d, undecodable %d; want 0, 0", crc.CorruptionsAccepted, crc.CorruptionsUndecodable)
	}
	if crc.CorruptionsRejected == 0 || crc.CorruptionsRejected != crc.CorruptionsInjected-crc.CorruptionsLost {
		t.Fatalf("crc32c: rejected %d of %d injected (%d lost); want every delivered one", crc.CorruptionsRejected, crc.CorruptionsInjected, crc.CorruptionsLost)
	}
	if crc.PeakWrongViewFraction != 0 {
		t.Fatalf("crc32c: peak wrong-view fraction %g, want 0", crc.PeakWrongViewFraction)
	}
}

func TestWriteRunFiles(t *testing.T) {
	dir := t.TempDir()
	res := mustRun(t, small())
	paths, err := WriteRun(dir, res)
	if err != nil {
		t.Fatal(err)
	}
	// The small run storms: its anatomy's files and figures too.
	names := []string{"summary.json", "timeseries.csv", "gossip_volume.png", "wrong_view.png", "anatomy.csv", "utilization.csv", "saturation.png", "declarations.png"}
	for _, name := range names {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s not written: %v", name, err)
		}
	}
	if want := len(names) + spreadFiles(res); len(paths) != want {
		t.Errorf("WriteRun returned %d paths, want %d", len(paths), want)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	csvLines := bytes.Count(timeSeriesCSV(res.Samples), []byte("\n"))
	if want := 1 + int(res.Scenario.Duration/res.Scenario.SampleInterval); csvLines != want {
		t.Errorf("timeseries.csv has %d lines, want %d (header + one per sample)", csvLines, want)
	}
}

func TestValidateScenario(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Scenario)
		want string
	}{
		{"duration", func(s *Scenario) { s.Duration = 0 }, "duration: 0s"},
		{"sample-interval", func(s *Scenario) { s.SampleInterval = 2 * s.Duration }, "sample-interval: 20m0s"},
		{"model", func(s *Scenario) { s.Fleet.Nodes = -5 }, "nodes: -5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := DefaultScenario()
			tc.edit(&sc)
			err := sc.Validate()
			if err == nil || !bytes.HasPrefix([]byte(err.Error()), []byte(tc.want)) {
				t.Fatalf("Validate() = %v, want prefix %q", err, tc.want)
			}
		})
	}
}

// ExampleRun runs a small fleet with a high corruption rate, once without a
// checksum and once with CRC-32C.
func ExampleRun() {
	sc := DefaultScenario()
	sc.Fleet.Nodes = 100
	sc.Duration = 120 * sim.Second
	sc.Fleet.Corruption.Probability = 1e-3
	for _, ck := range []wire.Checksum{wire.ChecksumNone, wire.ChecksumCRC32C} {
		sc.Fleet.Checksum = ck
		res, err := Run(context.Background(), sc, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		s := res.Summary
		fmt.Printf("%s: accepted %d, rejected %d, recovered %v\n", ck, s.CorruptionsAccepted, s.CorruptionsRejected, s.Recovered)
	}
	// Output:
	// none: accepted 44, rejected 0, recovered false
	// crc32c: accepted 0, rejected 23, recovered false
}
