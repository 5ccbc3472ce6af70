package experiments

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A sweep directory whose sweep.json differs only in its provenance (another
// build, another Go version) resumes; one that describes another sweep does not.
func TestResumeIgnoresProvenance(t *testing.T) {
	sw := tinySweep()
	sw.Axes = sw.Axes[:1]
	dir := filepath.Join(t.TempDir(), "s")
	runSweep(t, sw, dir, SweepOptions{Workers: 2})
	path := filepath.Join(dir, SweepFileName)
	rewrite := func(edit func(m map[string]any)) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		b, _ = json.MarshalIndent(m, "", "  ")
		os.WriteFile(path, b, 0o644)
	}
	rewrite(func(m map[string]any) {
		prov := m["provenance"].(map[string]any)
		if prov["scenario_sha256"] != ScenarioHash(sw.Base) {
			t.Errorf("sweep.json provenance hash %v, want %s", prov["scenario_sha256"], ScenarioHash(sw.Base))
		}
		prov["go_version"] = "go1.0"
		prov["vcs_revision"] = "0123abc"
	})
	if _, err := RunSweep(context.Background(), sw, dir, SweepOptions{Workers: 2, Resume: true}); err != nil {
		t.Fatalf("resume with another build's provenance: %v", err)
	}
	rewrite(func(m map[string]any) { m["replicates"] = 7.0 })
	_, err := RunSweep(context.Background(), sw, dir, SweepOptions{Workers: 2, Resume: true})
	if err == nil || !strings.Contains(err.Error(), "different sweep") {
		t.Fatalf("resume of another sweep: %v, want a different-sweep error", err)
	}
}

// Every run's summary.json names its scenario by hash: the same scenario
// gives the same hash, any parameter change another.
func TestScenarioHash(t *testing.T) {
	a, b := DefaultScenario(), DefaultScenario()
	if ScenarioHash(a) != ScenarioHash(b) {
		t.Fatal("equal scenarios hash differently")
	}
	b.Model.Fanout = 2
	if ScenarioHash(a) == ScenarioHash(b) {
		t.Fatal("fanout 1 and 2 hash the same")
	}
	res := Result{Scenario: a, Summary: Summary{Seed: a.Seed}}
	js, err := SummaryFileJSON(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(js, &m); err != nil {
		t.Fatalf("summary.json is not JSON: %v\n%s", err, js)
	}
	prov, _ := m["provenance"].(map[string]any)
	if prov["scenario_sha256"] != ScenarioHash(a) || prov["gossipsim_version"] != Version || prov["go_version"] == "" {
		t.Errorf("provenance %v", prov)
	}
}
