package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/experiments"
)

// TestHints runs the command line on each refusal that hint completes and
// checks the whole line the user sees and the exit status: the library's
// words (naming the directory, parameter or value), then the flag or
// command that fixes it.
func TestHints(t *testing.T) {
	root := t.TempDir()
	p := func(name string) string { return filepath.Join(root, name) }
	small := []string{"--nodes", "20", "--duration", "10s", "--replicates", "2", "--quiet"}
	setup := [][]string{
		{"sweep", "--grid", "nodes=20,30", "--out", p("s1")},
		{"sweep", "--grid", "nodes=20,40", "--out", p("s2")},
		{"sweep", "--grid", "nodes=20,30", "--shard", "1/2", "--out", p("sh1")},
		{"sweep", "--grid", "nodes=20,30", "--shard", "2/2", "--out", p("sh2")},
	}
	for _, args := range setup {
		if code, _, stderr := runCLI(append(args, small...)...); code != 0 {
			t.Fatalf("%s: exit %d: %s", args, code, stderr)
		}
	}
	files := map[string]string{"empty.yaml": "", "list.yaml": "- a\n", "key.yaml": "nodes: 20\nfoo: 1\n"}
	for name, text := range files {
		if err := os.WriteFile(p(name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	begun := p("begun") // an earlier validation's first check
	if err := os.MkdirAll(filepath.Join(begun, experiments.ValidationChecks()[0].Name), 0o755); err != nil {
		t.Fatal(err)
	}
	firstCheck := filepath.Join(begun, experiments.ValidationChecks()[0].Name)

	tests := []struct {
		name string
		args []string
		want string // the last line on stderr
	}{
		{"a sweep already there", append([]string{"sweep", "--grid", "nodes=20,30", "--out", p("s1")}, small...),
			`gossipsim: out: "` + p("s1") + `" already holds a sweep; use --resume to finish it, or another --out`},
		{"resume a different sweep", append([]string{"sweep", "--grid", "nodes=20,50", "--resume", "--out", p("s1")}, small...),
			`gossipsim: resume: "` + p("s1") + `" holds a different sweep (its sweep.json differs from this one's); use another --out`},
		{"merge with a shard missing", []string{"merge", p("sh1"), "--out", p("m1")},
			"gossipsim: merge: 2 of 4 runs are missing (the first is run 1); finish every shard (gossipsim sweep ... --resume) first"},
		{"plot a shard", []string{"plot", p("sh1")},
			"gossipsim: plot: " + p("sh1") + ": 2 of 4 runs recorded; finish the sweep (--resume) or merge its shards first"},
		{"merge different sweeps", []string{"merge", p("sh1"), p("s2"), "--out", p("m2")},
			"gossipsim: merge: " + p("s2") + " holds a different sweep from " + p("sh1") + " (their sweep.json differ)"},
		{"merge into a sweep", []string{"merge", p("sh1"), p("sh2"), "--out", p("s1")},
			`gossipsim: out: "` + p("s1") + `" already holds a sweep; merge into a new directory`},
		{"a seed axis", append([]string{"sweep", "--grid", "seed=1,2", "--out", p("g1")}, small...),
			`gossipsim: grid: "seed=1,2": seeds are not swept (each run's seed is derived from the sweep seed); run more replicates instead (--replicates)`},
		{"an unknown axis", append([]string{"sweep", "--grid", "foo=1,2", "--out", p("g2")}, small...),
			`gossipsim: grid: "foo" names no parameter of model s3 (see gossipsim help run)`},
		{"an unknown axis of swim", append([]string{"sweep", "--model", "swim", "--grid", "foo=1,2", "--out", p("g3")}, small...),
			`gossipsim: grid: "foo" names no parameter of model swim (see gossipsim help run)`},
		{"an empty scenario file", []string{"run", "--scenario", p("empty.yaml")},
			"gossipsim: " + p("empty.yaml") + ": the file is empty; a scenario file is a YAML mapping of run parameters (gossipsim run --print-scenario shows one)"},
		{"a list for a scenario file", []string{"run", "--scenario", p("list.yaml")},
			"gossipsim: " + p("list.yaml") + ":1: a scenario file is a YAML mapping of run parameters (gossipsim run --print-scenario shows one)"},
		{"an unknown key in a scenario file", []string{"run", "--scenario", p("key.yaml")},
			"gossipsim: " + p("key.yaml") + `:2: unknown key "foo"; the keys are the run parameters, model, name, set and sweep (see gossipsim help run)`},
		{"a model key for the s3 model", []string{"run", "--set", "fanout=2"},
			`gossipsim: set: "fanout=2": the s3 model's parameters are run parameters, set by name; model keys are for the models epidemic, rumor, heartbeat, swim; give them as flags, and --set with --model (see gossipsim help run)`},
		{"an earlier validation", []string{"validate", "--out", begun},
			`gossipsim: out: "` + begun + `" holds results of an earlier start of a validation (` + firstCheck + "); to finish it, run: gossipsim validate --out " + begun + " --resume (or give another --out)"},
		{"more memory than the limit", []string{"run", "--nodes", "3000", "--max-memory", "50MB"},
			"gossipsim: memory: this needs about 626.2 MB (S3 model, 3000 nodes: views of 13 B × nodes² = 117.0 MB, with message snapshots and queues) but --max-memory is 50.0 MB; use fewer nodes or workers, or --max-memory 782.7 MB to run anyway"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(tc.args...)
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if got := lines[len(lines)-1]; code != exitBadInput || got != tc.want {
				t.Errorf("exit %d, last line\n%s\nwant exit %d,\n%s", code, got, exitBadInput, tc.want)
			}
		})
	}
}

// hint adds nothing to an error it does not classify, nor to merge's
// refusals that say what to do in words already.
func TestHintLeavesOthersAlone(t *testing.T) {
	tests := []struct {
		name string
		err  error
		args []string
	}{
		{"an I/O error", os.ErrPermission, []string{"sweep"}},
		{"plain bad input", experiments.BadInput(os.ErrInvalid), []string{"run"}},
		{"merge into a sweep", experiments.BadInput(experiments.ErrSweepExists), []string{"merge"}},
		{"merge different sweeps", experiments.BadInput(experiments.ErrDifferentSweep), []string{"merge"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if h := hint(tc.err, tc.args); h != "" {
				t.Errorf("hint(%v, %q) = %q; want none", tc.err, tc.args, h)
			}
		})
	}
}
