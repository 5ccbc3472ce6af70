package experiments

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// faultsFile writes a schedule file into a test directory and returns its path.
func faultsFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// scenarioWith is the named model on a small 2-zone fleet with the given
// settings (flag name, value), without corruption.
func scenarioWith(t *testing.T, model string, kv ...string) Scenario {
	t.Helper()
	sc := DefaultScenario()
	if err := sc.SetModel(model); err != nil {
		t.Fatal(err)
	}
	kv = append([]string{"nodes", "40", "corrupt-prob", "0", "topology", "zones=2"}, kv...)
	for i := 0; i+1 < len(kv); i += 2 {
		if err := sc.Set(kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return sc
}

func field(t *testing.T, res Result, name string) float64 {
	t.Helper()
	for _, f := range res.Summary.Protocol {
		if f.Name == name {
			return f.Value
		}
	}
	t.Fatalf("no field %s", name)
	return 0
}

// TestPartitionHealsPerModel: a partition between two zones that heals
// lets every model reconverge; the same partition left in place does not.
// Each model is judged by its own measure of agreement: the epidemic by the
// fraction informed, rumor mongering (with its anti-entropy backup) by
// whether every site learned the rumor, heartbeat, SWIM and the S3 model by
// the wrong-view fraction at the horizon. SWIM's partition is shorter than
// its suspicion timeout: SWIM (as modelled, without memberlist's push-pull
// sync and rejoin) never contacts a member again once it is declared dead,
// so a longer partition splits it for good, healed or not.
func TestPartitionHealsPerModel(t *testing.T) {
	heal := func(at, until string) string {
		return "- at: " + at + "\n  until: " + until + "\n  partition: {from: \"zone:0\", to: \"zone:1\"}\n"
	}
	forever := func(at string) string {
		return "- at: " + at + "\n  partition: {from: \"zone:0\", to: \"zone:1\"}\n"
	}
	finalWrong := func(res Result) float64 { return res.Samples[len(res.Samples)-1].WrongViewFraction }
	peakWrong := func(res Result) float64 {
		p := 0.0
		for _, s := range res.Samples {
			p = math.Max(p, s.WrongViewFraction)
		}
		return p
	}
	tests := []struct {
		model       string
		set         []string
		healed      string
		left        string
		converged   func(res Result) bool
		description string
	}{
		{"epidemic", []string{"duration", "2m"}, heal("0s", "30s"), forever("0s"),
			func(res Result) bool { return field(t, res, "informed_fraction") == 1 }, "informed_fraction 1"},
		{"rumor", []string{"duration", "2m", "anti-entropy", "push-pull"}, heal("0s", "30s"), forever("0s"),
			// The run stops at the cycle every site knows the rumor.
			func(res Result) bool { return len(res.Samples) < 120 && field(t, res, "t_last") > 30 }, "every site informed, after the heal"},
		{"heartbeat", []string{"duration", "2m", "crashes", "0"}, heal("5s", "40s"), forever("5s"),
			func(res Result) bool { return peakWrong(res) > 0.4 && finalWrong(res) == 0 }, "wrong views back to 0"},
		{"swim", []string{"duration", "1m", "crashes", "0"}, heal("5s", "9s"), forever("5s"),
			func(res Result) bool { return peakWrong(res) > 0 && finalWrong(res) == 0 }, "wrong views back to 0"},
		{"s3", []string{"duration", "2m", "mitigation", "b"}, heal("5s", "40s"), forever("5s"),
			func(res Result) bool { return peakWrong(res) > 0.4 && finalWrong(res) == 0 }, "wrong views back to 0"},
	}
	for _, tc := range tests {
		t.Run(tc.model, func(t *testing.T) {
			for _, run := range []struct {
				schedule string
				want     bool
			}{{tc.healed, true}, {tc.left, false}} {
				kv := append([]string{"faults", faultsFile(t, "faults.yaml", run.schedule)}, tc.set...)
				sc := scenarioWith(t, tc.model, kv...)
				res, err := Run(context.Background(), sc, nil)
				if err != nil {
					t.Fatal(err)
				}
				if res.Summary.MessagesPartitioned == 0 {
					t.Fatal("the partition blocked no message")
				}
				if got := tc.converged(res); got != run.want {
					t.Errorf("healed partition %v: converged (%s) = %v, want %v", run.want, tc.description, got, run.want)
				}
			}
		})
	}
}

// TestScheduleRoundTripsThroughPrintScenario: a scenario file with a
// topology, a matrix, per-class settings and a faults section prints as a
// file that loads back to the same scenario, and runs to the same bytes.
func TestScheduleRoundTripsThroughPrintScenario(t *testing.T) {
	dir := t.TempDir()
	churn := filepath.Join(dir, "churn.csv")
	os.WriteFile(churn, []byte("node,down_at,up_at\n5,3,8\n"), 0o644)
	text := `model: heartbeat
nodes: 30
duration: 20s
topology: zones=3,racks-per-zone=2
latency-matrix: MATRIX
latency-same-zone: const:2ms
loss-cross-zone: 0.01
churn: ` + churn + `
faults:
  - at: 2s
    until: 6s
    partition: {from: "zone:0", to: "zone:1,zone:2", oneway: true}
  - at: 1s
    crash: {zone: 2, count: 2}
  - at: 9s
    restart: {zone: 2}
  - at: 4s
    corrupt: {nodes: 3, direction: out, prob: 0.2}
  - at: 0s
    skew: {rack: 1/1, rate: 1.1}
set:
  crashes: 0
`
	path := filepath.Join(dir, "s.yaml")
	os.WriteFile(path, []byte(strings.ReplaceAll(text, "MATRIX", mustAbs(t, "scenarios/zones3-latency.csv"))), 0o644)
	sc := DefaultScenario()
	if _, err := LoadScenarioFile(path, &sc); err != nil {
		t.Fatal(err)
	}
	printed := PrintScenario(sc, nil)
	for _, want := range []string{"topology: \"zones=3,racks-per-zone=2\"", "latency-same-zone: \"const:2ms\"", "loss-cross-zone: 0.01", "churn: ", "faults:\n  - at: 2s\n    until: 6s\n    partition: {from: \"zone:0\", to: \"zone:1,zone:2\", oneway: true}\n"} {
		if !strings.Contains(string(printed), want) {
			t.Errorf("printed scenario lacks %q:\n%s", want, printed)
		}
	}
	again := filepath.Join(dir, "again.yaml")
	os.WriteFile(again, printed, 0o644)
	sc2 := DefaultScenario()
	if _, err := LoadScenarioFile(again, &sc2); err != nil {
		t.Fatal(err)
	}
	if p2 := PrintScenario(sc2, nil); string(p2) != string(printed) {
		t.Fatalf("printed twice differs:\n%s\n---\n%s", printed, p2)
	}
	a, err := Run(context.Background(), sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), sc2, nil)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := summaryJSON(a.Summary)
	jb, _ := summaryJSON(b.Summary)
	if string(ja) != string(jb) || a.Summary.MessagesPartitioned == 0 || a.Summary.MessagesToDownNodes == 0 || a.Summary.CorruptionsInjected == 0 {
		t.Errorf("runs differ, or the schedule did nothing:\n%s\n%s", ja, jb)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestNoTopologyPrintsAsBefore: without a topology or a schedule, the new
// rows are left out of printed scenarios and sweep.json.
func TestNoTopologyPrintsAsBefore(t *testing.T) {
	sc := DefaultScenario()
	printed := string(PrintScenario(sc, nil))
	params := ScenarioParams(sc)
	for _, name := range []string{"topology", "latency-matrix", "latency-same-rack", "loss-cross-zone", "faults", "churn"} {
		if strings.Contains(printed, "\n"+name+":") {
			t.Errorf("printed scenario has %s", name)
		}
		if _, ok := params[name]; ok {
			t.Errorf("sweep.json parameters have %s", name)
		}
	}
}

// TestScheduleErrorsInScenarioFiles: bad schedules in a scenario file give
// one line naming the file, the line and the field.
func TestScheduleErrorsInScenarioFiles(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"unknown group", "faults:\n  - at: 1s\n    until: 2s\n    partition: {from: \"zone:0\", to: \"zone:3\"}\n",
			`s.yaml:6: partition.to: group "zone:3" does not exist (zones 0-2)`},
		{"end before start", "faults:\n  - at: 5s\n    until: 1s\n    crash: {nodes: 1}\n",
			"s.yaml:5: until: 1s is not after at = 5s"},
		{"restart never crashed", "faults:\n  - at: 5s\n    restart: {nodes: 4}\n",
			"s.yaml:5: restart.nodes: node 4 is not down at 5s: it never crashed before"},
		{"probability", "faults:\n  - at: 5s\n    corrupt: {nodes: 4, prob: -0.1}\n",
			`s.yaml:5: corrupt.prob: "-0.1" is not a probability in [0, 1]`},
		{"schedule file", "faults: " + faultsFile(t, "f.yaml", "- at: 1s\n  oops: {}\n") + "\n",
			"f.yaml:2: oops: unknown action"},
		{"class without topology", "latency-cross-zone: 5ms\n",
			"s.yaml:2: latency-cross-zone: const:5ms is set, but the fleet has no topology with zones and racks"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.yaml")
			header := "nodes: 30\ntopology: zones=3\n"
			if !strings.Contains(tc.body, "faults") {
				header = "nodes: 30\n"
			}
			os.WriteFile(path, []byte(header+tc.body), 0o644)
			sc := DefaultScenario()
			_, err := LoadScenarioFile(path, &sc)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v\nwant one line containing %q", err, tc.want)
			}
			if !errors.Is(err, ErrBadInput) {
				t.Errorf("%v is not bad input", err)
			}
		})
	}
}

// TestOneWayPartitionDiffersFromSymmetric: in a 2-zone heartbeat run, a
// symmetric partition leaves every cross-zone pair wrong (both zones
// believe the other failed: 2·20·20 of 40·39 pairs, 51%, less the few
// still refreshed through relays), a one-way partition zone 0 -> zone 1
// only about half of them (zone 1 no longer hears zone 0; zone 0 still
// hears zone 1); both heal.
func TestOneWayPartitionDiffersFromSymmetric(t *testing.T) {
	peak := func(oneway bool) (peakWrong, final float64) {
		text := "- at: 5s\n  until: 40s\n  partition: {from: \"zone:0\", to: \"zone:1\", oneway: " + map[bool]string{true: "true", false: "false"}[oneway] + "}\n"
		sc := scenarioWith(t, "heartbeat", "duration", "60s", "crashes", "0", "faults", faultsFile(t, "f.yaml", text))
		res, err := Run(context.Background(), sc, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range res.Samples {
			peakWrong = math.Max(peakWrong, s.WrongViewFraction)
		}
		return peakWrong, res.Samples[len(res.Samples)-1].WrongViewFraction
	}
	sym, symFinal := peak(false)
	one, oneFinal := peak(true)
	if sym < 0.45 || one < 0.2 || one > 0.4 || symFinal != 0 || oneFinal != 0 {
		t.Errorf("peak wrong views: symmetric %.3f, one-way %.3f (want above 0.45, and 0.2-0.4); at the end %g and %g (want 0)", sym, one, symFinal, oneFinal)
	}
}
