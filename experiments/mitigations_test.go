package experiments

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/mitigation"
	"github.com/gossipsim/gossipsim/models/s3gossip"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
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
	sw.Base.Fleet.Nodes = 100
	sw.Base.Fleet.Corruption.Probability = 1e-3
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

// TestMitigationPresets applies every preset of the registry to a
// scenario whose every mitigation parameter is off its default, and checks
// the whole model configuration: each preset first switches every
// mitigation off (reset and monitor back at their defaults, no failure
// gossip bounds, no checksum), then sets exactly what it stands for; the
// other parameters keep their values. The table is the presets' meaning
// before the registry, so results stay byte-identical.
func TestMitigationPresets(t *testing.T) {
	base := DefaultScenario()
	base.Fleet.Nodes, base.S3Params().Fanout = 123, 3
	dirty := []string{
		"reset=2008", "reset-on=alarm", "reset-at=10s", "reset-stop=1s", "reset-restore=2s", "reset-fast-restore=3s",
		"failure-retransmit-mult=2", "failure-rate-limit=3", "omit-failed-after=4s",
		"monitor=true", "monitor-window=5s", "monitor-baseline=50s", "monitor-threshold=3",
		"checksum=md5",
	}
	b := func(m *s3gossip.Config) {
		m.FailureRetransmitMult, m.FailureRateLimit, m.OmitFailedAfter = 4, 10, 60*sim.Second
	}
	tests := []struct {
		preset string
		want   func(m *s3gossip.Config)
	}{
		{"none", func(m *s3gossip.Config) {}},
		{"a-2008", func(m *s3gossip.Config) { m.Reset.Procedure = s3gossip.Reset2008 }},
		{"a-fast", func(m *s3gossip.Config) { m.Reset.Procedure = s3gossip.ResetFast }},
		{"b", b},
		{"c", func(m *s3gossip.Config) { m.Monitor.Enabled = true }},
		{"d", func(m *s3gossip.Config) { m.Checksum = wire.ChecksumCRC32C }},
		{"all", func(m *s3gossip.Config) {
			b(m)
			m.Monitor.Enabled = true
			m.Checksum = wire.ChecksumCRC32C
			m.Reset.Procedure, m.Reset.OnAlarm = s3gossip.ResetFast, true
		}},
	}
	if got := len(mitigation.Names()); got != len(tests) {
		t.Errorf("the registry has %d presets, this table %d: add the new one here", got, len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.preset, func(t *testing.T) {
			sc := base.Clone()
			for _, kv := range dirty {
				k, v, _ := strings.Cut(kv, "=")
				if err := sc.Set(k, v); err != nil {
					t.Fatal(err)
				}
			}
			if err := sc.Set("mitigation", tc.preset); err != nil {
				t.Fatal(err)
			}
			want := base.Clone()
			wantCfg := s3gossip.Config{Fleet: want.Fleet, Params: *want.S3Params()}
			tc.want(&wantCfg)
			if got := (s3gossip.Config{Fleet: sc.Fleet, Params: *sc.S3Params()}); !reflect.DeepEqual(got, wantCfg) {
				t.Errorf("model after %s:\n got %+v\nwant %+v", tc.preset, got, wantCfg)
			}
			if sc.Mitigation != tc.preset {
				t.Errorf("Mitigation = %q", sc.Mitigation)
			}
			if err := sc.Validate(); err != nil {
				t.Errorf("invalid after the preset: %v", err)
			}
		})
	}
}

// TestMitigationNoneIsDefault: applying none to the default scenario
// changes nothing but the recorded name (the defaults survive the trip
// through their text).
func TestMitigationNoneIsDefault(t *testing.T) {
	sc := DefaultScenario()
	if err := sc.Set("mitigation", mitigation.None); err != nil {
		t.Fatal(err)
	}
	sc.Mitigation = ""
	if want := DefaultScenario(); !reflect.DeepEqual(sc, want) {
		t.Errorf("none changed the default scenario:\n got %+v\nwant %+v", sc, want)
	}
}

func TestMitigationRefused(t *testing.T) {
	sc := DefaultScenario()
	before := sc.Clone()
	p, _ := LookupParam("mitigation")
	var ue *mitigation.UnknownError
	if err := p.Value(&sc).Set("e"); !errors.As(err, &ue) || ue.Name != "e" {
		t.Fatalf("the parameter's error %v: want a *mitigation.UnknownError", err)
	}
	err := sc.Set("mitigation", "e")
	if !errors.Is(err, ErrBadInput) {
		t.Fatalf("error %v: want bad input", err)
	}
	for _, n := range mitigation.Names() {
		if !strings.Contains(err.Error(), n) {
			t.Errorf("error %q does not name the preset %s", err, n)
		}
	}
	if !reflect.DeepEqual(sc, before) {
		t.Error("a refused preset changed the scenario")
	}
	// A later parameter overrides the preset.
	if err := sc.Set("mitigation", "b"); err != nil {
		t.Fatal(err)
	}
	if err := sc.Set("failure-rate-limit", "3"); err != nil || sc.S3Params().FailureRateLimit != 3 || sc.S3Params().FailureRetransmitMult != 4 {
		t.Errorf("override after b: %v, %+v", err, *sc.S3Params())
	}
}

// TestMitigationGridsFromRegistry: the mitigations experiment sweeps every
// preset of the registry in its order, every built-in mitigation axis
// names only presets, and the parameter's usage names each of them.
func TestMitigationGridsFromRegistry(t *testing.T) {
	e, ok := LookupExperiment("mitigations")
	if !ok {
		t.Fatal("no mitigations experiment")
	}
	if ax := e.Sweep().Axes[0]; ax.Name != "mitigation" || !slices.Equal(ax.Values, mitigation.Names()) {
		t.Errorf("mitigations sweeps %s=%v, want the registry's %v", ax.Name, ax.Values, mitigation.Names())
	}
	for _, e := range Experiments() {
		for _, ax := range e.Sweep().Axes {
			if ax.Name != "mitigation" {
				continue
			}
			for _, v := range ax.Values {
				if _, ok := mitigation.Lookup(v); !ok {
					t.Errorf("%s sweeps mitigation %q, which is no preset", e.Name, v)
				}
			}
		}
	}
	p, _ := LookupParam("mitigation")
	for _, n := range mitigation.Names() {
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(n) + `\b`).MatchString(p.Usage) {
			t.Errorf("usage %q does not name %s", p.Usage, n)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("mitigationAxis accepted an unknown preset")
		}
	}()
	mitigationAxis("none", "e")
}
