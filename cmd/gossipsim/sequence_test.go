package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/plots"
)

func TestSequenceRefusesAndWritesNothing(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string // substrings of the one-line error
	}{
		{"33 nodes", []string{"--nodes", "33"}, []string{"sequence", "33 nodes", "--nodes", "at most 32"}},
		{"until before from", []string{"--sequence-from", "3s", "--sequence-until", "2s"}, []string{"sequence-until", "2s", "not after", "3s"}},
		{"until at from", []string{"--sequence-from", "3s", "--sequence-until", "3s"}, []string{"sequence-until", "3s", "not after"}},
		{"from after the run", []string{"--duration", "10s", "--sequence-from", "10s"}, []string{"sequence-from", "10s", "--duration"}},
		{"negative from", []string{"--sequence-from", "-1s"}, []string{"sequence-from", "-1s", ">= 0"}},
		{"not a duration", []string{"--sequence-until", "soon"}, []string{"sequence-until", "soon"}},
		{"negative scale", []string{"--sequence-scale", "-5"}, []string{"sequence-scale", "-5"}},
		{"not svg", []string{"--sequence", "flow.png"}, []string{"sequence", "flow.png", ".svg"}},
		{"no directory", []string{"--sequence", filepath.Join(blocker, "flow.svg")}, []string{"sequence", "does not exist"}},
		{"window without the file", []string{"--sequence", "", "--sequence-until", "2s"}, []string{"sequence-until", "without --sequence"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			svg := filepath.Join(dir, "flow.svg")
			out := filepath.Join(dir, "out")
			args := []string{"run", "--nodes", "8", "--duration", "20s", "--quiet", "--out", out, "--sequence", svg}
			code, stdout, stderr := runCLI(append(args, tc.args...)...)
			checkBadInput(t, code, stderr, tc.want)
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 0 {
				t.Errorf("wrote %d files (%s first), want none", len(entries), entries[0].Name())
			}
		})
	}
}

// svgOf parses an SVG written by --sequence: its provenance and its
// elements' class and data-* attributes.
func svgOf(t *testing.T, path string) (meta string, classes map[string]int, nodes map[string]bool) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if meta, err = plots.SVGMetadata(data); err != nil { // also checks that it is XML with an <svg> root
		t.Fatalf("%s: %v", path, err)
	}
	classes, nodes = map[string]int{}, map[string]bool{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "class":
					classes[a.Value]++
				case "data-node":
					nodes[a.Value] = true
				case "data-outcome":
					classes["outcome:"+a.Value]++
				}
			}
		}
	}
	return meta, classes, nodes
}

func TestSequenceRun(t *testing.T) {
	dir := t.TempDir()
	svg := filepath.Join(dir, "flow.svg")
	base := []string{"run", "--nodes", "8", "--duration", "20s", "--quiet"}
	code, stdout, stderr := runCLI(append(base, "--out", filepath.Join(dir, "with"), "--sequence", svg)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "wrote ") || !strings.Contains(stdout, svg) {
		t.Errorf("stdout does not say it wrote %s:\n%s", svg, stdout)
	}
	meta, classes, nodes := svgOf(t, svg)
	if !strings.Contains(meta, `"seed":2`) {
		t.Errorf("provenance %q, want the run's", meta)
	}
	if len(nodes) != 8 || classes["heads"] < 1 || classes["axis"] != 1 || classes["legend"] != 1 {
		t.Errorf("lifelines of %d nodes, classes %v; want 8 lifelines, heads, an axis and a legend", len(nodes), classes)
	}
	// The diagram only observes: the run's files are those of a run without it.
	if code, _, stderr := runCLI(append(base, "--out", filepath.Join(dir, "without"))...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"summary.json", "timeseries.csv"} {
		a, _ := os.ReadFile(filepath.Join(dir, "with", f))
		b, _ := os.ReadFile(filepath.Join(dir, "without", f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs with --sequence", f)
		}
	}

	arrows := classes["msg"]
	// The default window is the first 5 s: one arrow per message the time
	// series counts in its first five 1-s samples, every one delivered (no
	// loss; corrupt-prob 1e-5 corrupts none of these few).
	sent := sentInFirstSeconds(t, filepath.Join(dir, "with"), 5)
	if arrows == 0 || float64(arrows) != sent || classes["outcome:delivered"] != arrows {
		t.Errorf("%d arrows (%d delivered), want one per message sent in the first 5 s: %g", arrows, classes["outcome:delivered"], sent)
	}
}

// sentInFirstSeconds is the messages a run (its directory) sent in its
// first k 1-s samples, from timeseries.csv.
func sentInFirstSeconds(t *testing.T, dir string, k int) float64 {
	t.Helper()
	sent := 0.0
	for _, row := range readCSV(t, filepath.Join(dir, "timeseries.csv"))[1 : k+1] {
		v, err := strconv.ParseFloat(row[1], 64) // messages_per_s
		if err != nil {
			t.Fatal(err)
		}
		sent += v
	}
	return sent
}

// readCSV reads a CSV file.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// namedKinds is a model that names its message kinds.
type namedKinds struct{ protocol.Model }

func (namedKinds) MessageKindNames() map[wire.Kind]string {
	return map[wire.Kind]string{wire.KindDigest: "ping"}
}

func TestSequenceNamesTheModelsKinds(t *testing.T) {
	sc := experiments.DefaultScenario()
	sc.Fleet.Nodes = 8
	sc.Model = namedKinds{sc.Model}
	f := sequenceFlags{file: filepath.Join(t.TempDir(), "flow.svg"), from: "0s", fs: pflag.NewFlagSet("run", pflag.ContinueOnError)}
	opt, ok, err := f.options(sc)
	if err != nil || !ok {
		t.Fatalf("options: %v, %v", ok, err)
	}
	if opt.KindNames[wire.KindDigest] != "ping" || opt.Until != defaultSequenceWindow {
		t.Errorf("options %+v, want the model's kind names and the default window", opt)
	}
}

// TestSequenceWithTrace runs --sequence and --trace together: each output
// gets the events its own filter keeps (the run's Tracer keeps their union,
// trace.Union), so a trace of a few kinds does not fill with the diagram's
// sends and the diagram still has every arrow of its window.
func TestSequenceWithTrace(t *testing.T) {
	dir := t.TempDir()
	svg, tf := filepath.Join(dir, "flow.svg"), filepath.Join(dir, "trace.jsonl")
	code, _, stderr := runCLI("run", "--nodes", "8", "--duration", "20s", "--quiet", "--out", filepath.Join(dir, "run"),
		"--sequence", svg, "--trace", tf, "--trace-kinds", "update", "--trace-from", "10s")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, classes, _ := svgOf(t, svg)
	sent := sentInFirstSeconds(t, filepath.Join(dir, "run"), 5)
	if float64(classes["msg"]) != sent {
		t.Errorf("%d arrows beside --trace, want %g", classes["msg"], sent)
	}
	b, err := os.ReadFile(tf)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, line := range lines {
		var ev struct {
			T    float64 `json:"t"`
			Kind string  `json:"kind"`
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil || ev.Kind != "update" || ev.T < 10 {
			t.Fatalf("trace line %q (%v): want only updates from 10 s", line, err)
		}
	}
	if len(lines) < 100 {
		t.Errorf("%d updates in 10 s of 8 nodes; want hundreds", len(lines))
	}
}
