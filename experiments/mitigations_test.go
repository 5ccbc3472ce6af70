package experiments

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gossipsim/gossipsim/models/mitigation"
)

// TestMitigationsExperimentChecks runs a small version of the mitigations
// experiment (100 nodes, 4 paired replicates) and checks what the issue asks
// it to show: without mitigation some runs never recover; with (d) CRC-32C no
// run accepts a corruption; with (a) every run recovers and the fast
// procedure beats the 2008 one in every replicate pair; (b) lowers the peak
// gossip volume; (c) raises no false alarm.
func TestMitigationsExperimentChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("28 runs")
	}
	e, _ := LookupExperiment("mitigations")
	sw := e.Sweep()
	sw.Replicates = 4
	sw.Base.Model.Nodes = 100
	sw.Base.Model.Corruption.Probability = 1e-3
	dir := t.TempDir()
	if _, err := RunSweep(context.Background(), sw, dir, SweepOptions{}); err != nil {
		t.Fatal(err)
	}
	_, _, rows, err := LoadSweep(dir)
	if err != nil {
		t.Fatal(err)
	}
	cols := sw.RunColumns()
	col := map[string]int{}
	for i, c := range cols {
		col[c] = i
	}
	type run struct {
		recovered, harmless   bool
		recovery, peakMsgs    float64
		accepted, falseAlarms int
	}
	by := map[string][]run{}
	for _, r := range rows {
		f := func(name string) float64 { x, _ := strconv.ParseFloat(r[col[name]], 64); return x }
		by[r[col["grid_mitigation"]]] = append(by[r[col["grid_mitigation"]]], run{
			recovered: r[col["recovered"]] == "true", harmless: r[col["harmless"]] == "true", recovery: f("recovery_time_s"), peakMsgs: f("peak_messages_per_second"),
			accepted: int(f("corruptions_accepted")), falseAlarms: int(f("false_alarms")),
		})
	}
	censored := 0
	for _, r := range by["none"] {
		if !r.recovered && !r.harmless {
			censored++
		}
	}
	if censored == 0 {
		t.Errorf("none: every run recovered; want some censored")
	}
	for _, r := range by["d"] {
		if r.accepted != 0 {
			t.Errorf("d: a run accepted %d corruptions", r.accepted)
		}
	}
	for i := range by["a-2008"] {
		slow, fast := by["a-2008"][i], by["a-fast"][i]
		if !slow.recovered || !fast.recovered {
			t.Errorf("replicate %d: a-2008 recovered %v, a-fast %v; want both", i, slow.recovered, fast.recovered)
			continue
		}
		if fast.recovery >= slow.recovery {
			t.Errorf("replicate %d: fast reset recovered in %.1f s, 2008 in %.1f s", i, fast.recovery, slow.recovery)
		}
	}
	mean := func(rs []run) float64 {
		s := 0.0
		for _, r := range rs {
			s += r.peakMsgs
		}
		return s / float64(len(rs))
	}
	if b, none := mean(by["b"]), mean(by["none"]); b >= none {
		t.Errorf("b: mean peak %.0f messages/s, none %.0f; want lower", b, none)
	}
	for _, r := range by["c"] {
		if r.falseAlarms != 0 {
			t.Errorf("c: %d false alarms", r.falseAlarms)
		}
	}
	// mitigations.csv: one row per mitigation, after the header.
	b, err := os.ReadFile(filepath.Join(dir, MitigationsFileName))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) != 1+len(mitigation.Names()) || recs[1][0] != "none" {
		t.Fatalf("mitigations.csv: %d rows, err %v", len(recs), err)
	}
	if _, err := os.Stat(filepath.Join(dir, "compare_time_series.png")); err != nil {
		t.Errorf("no comparison figure: %v", err)
	}
}

func TestMitigationPreset(t *testing.T) {
	p, _ := LookupParam("mitigation")
	sc := DefaultScenario()
	if err := p.Value(&sc).Set("all"); err != nil {
		t.Fatal(err)
	}
	if !sc.Model.Monitor.Enabled || !sc.Model.Reset.OnAlarm || sc.Model.FailureRateLimit != 10 || sc.Model.Checksum.String() != "crc32c" {
		t.Fatalf("preset all set %+v", sc.Model)
	}
	if err := p.Value(&sc).Set("none"); err != nil || sc.Model.Monitor.Enabled || sc.Model.Checksum.String() != "none" {
		t.Fatalf("preset none did not switch everything off: %v", err)
	}
	if err := p.Value(&sc).Set("e"); err == nil {
		t.Fatal("unknown preset accepted")
	}
}
