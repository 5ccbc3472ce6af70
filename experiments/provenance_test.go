package experiments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
		prov["build_sha256"] = strings.Repeat("ab", 32)
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
	b.S3Params().Fanout = 2
	if ScenarioHash(a) == ScenarioHash(b) {
		t.Fatal("fanout 1 and 2 hash the same")
	}
	res := Result{Scenario: a, Summary: Summary{Seed: a.Seed}}
	js, err := summaryFileJSON(res)
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

// The provenance names the build by the SHA-256 of the running executable
// (here the test binary): 64 hex digits, the same on every call, present in
// summary.json and in the figures' metadata text.
func TestBuildSHA256(t *testing.T) {
	p := ProvenanceOf(DefaultScenario(), 1)
	if len(p.BuildSHA) != 64 {
		t.Fatalf("build_sha256 %q is not 64 hex digits", p.BuildSHA)
	}
	if _, err := hex.DecodeString(p.BuildSHA); err != nil || strings.ToLower(p.BuildSHA) != p.BuildSHA {
		t.Fatalf("build_sha256 %q is not lower-case hex", p.BuildSHA)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("os.Executable: %v", err)
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if want := hex.EncodeToString(sum[:]); p.BuildSHA != want {
		t.Errorf("build_sha256 %s, want the executable's %s", p.BuildSHA, want)
	}
	if q := ProvenanceOf(DefaultScenario(), 2); q.BuildSHA != p.BuildSHA {
		t.Errorf("two calls in one process: %s, %s", p.BuildSHA, q.BuildSHA)
	}
	if !strings.Contains(p.Text(), `"build_sha256":"`+p.BuildSHA+`"`) {
		t.Errorf("figure metadata text lacks the build hash: %s", p.Text())
	}
	js, err := summaryFileJSON(Result{Scenario: DefaultScenario()})
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Provenance map[string]any `json:"provenance"`
	}
	if err := json.Unmarshal(js, &m); err != nil {
		t.Fatal(err)
	}
	if m.Provenance["build_sha256"] != p.BuildSHA {
		t.Errorf("summary.json provenance build_sha256 = %v, want %s", m.Provenance["build_sha256"], p.BuildSHA)
	}
}
