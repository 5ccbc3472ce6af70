package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// traceLine is one line of a --trace file, every key a kind may use.
type traceLine struct {
	T        json.Number `json:"t"`
	Kind     string      `json:"kind"`
	Node     *int        `json:"node"`
	Peer     *int        `json:"peer"`
	Msg      *uint64     `json:"msg"`
	MsgKind  string      `json:"msg_kind"`
	Subject  *int        `json:"subject"`
	Reason   string      `json:"reason"`
	WasWrong *bool       `json:"was_wrong"`
	Wrong    *bool       `json:"wrong"`
	// The cap's last line.
	Truncated     bool  `json:"truncated"`
	MaxBytes      int64 `json:"max_bytes"`
	EventsWritten int64 `json:"events_written"`
	EventsLeftOut int64 `json:"events_left_out"`
}

// time is the line's t in simulated time, read exactly from its decimals.
func (l traceLine) time(t *testing.T) sim.Time {
	whole, frac, _ := strings.Cut(string(l.T), ".")
	s, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || len(frac) > 9 {
		t.Fatalf("t %q is not seconds with at most nine decimals", l.T)
	}
	ns, _ := strconv.ParseInt((frac + "000000000")[:9], 10, 64)
	return sim.Time(s)*sim.Second + sim.Time(ns)
}

// readTrace reads a --trace file, each line one JSON object.
func readTrace(t *testing.T, path string) []traceLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []traceLine
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l traceLine
		d := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		d.UseNumber()
		if err := d.Decode(&l); err != nil {
			t.Fatalf("line %d: %v: %s", len(lines)+1, err, sc.Text())
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// readSeries reads the columns of timeseries.csv by name.
func readSeries(t *testing.T, path string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string][]string{}
	for _, r := range rows[1:] {
		for i, name := range rows[0] {
			cols[name] = append(cols[name], r[i])
		}
	}
	return cols
}

// writeChurn writes a churn trace (crashes and restarts) and returns its path.
func writeChurn(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "churn.csv")
	if err := os.WriteFile(p, []byte("3,20,45\n17,30,70\n30,50,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTraceRebuildsWrongViewSeries is the trace's key check: from the
// trace file of a small run where corrupted messages are accepted and views
// go wrong, with crashes and restarts, the wrong-view fraction rebuilt from
// the update, crash and restart events alone matches timeseries.csv at
// every sample.
func TestTraceRebuildsWrongViewSeries(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	tr := filepath.Join(out, "trace.jsonl") // in the run's directory, which the run creates
	const n = 60
	code, _, stderr := runCLI("run", "--nodes", strconv.Itoa(n), "--duration", "90s", "--corrupt-prob", "2e-3", "--seed", "3",
		"--churn", writeChurn(t), "--quiet", "--out", out, "--trace", tr, "--trace-kinds", "update,crash,restart,accept-corrupted")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := readTrace(t, tr)
	up := make([]bool, n)
	for i := range up {
		up[i] = true
	}
	wrong := make([]bool, n*n)
	series := readSeries(t, filepath.Join(out, "timeseries.csv"))
	k, accepted, wrongSamples := 0, 0, 0
	for s, ts := range series["time_s"] {
		sec, _ := strconv.ParseFloat(ts, 64)
		at := sim.FromSeconds(sec)
		for ; k < len(lines) && lines[k].time(t) <= at; k++ {
			l := lines[k]
			switch l.Kind {
			case "crash":
				up[*l.Node] = false
			case "restart":
				up[*l.Node] = true
			case "accept-corrupted":
				accepted++
			case "update":
				x := *l.Node*n + *l.Subject
				if wrong[x] != *l.WasWrong {
					t.Fatalf("line %d: was_wrong %v, but the trace left node %d's entry for %d %v", k+1, *l.WasWrong, *l.Node, *l.Subject, wrong[x])
				}
				wrong[x] = *l.Wrong
			default:
				t.Fatalf("line %d: kind %q, not one of --trace-kinds", k+1, l.Kind)
			}
		}
		live, pairs := 0, 0
		for i := range n {
			if !up[i] {
				continue
			}
			live++
			for j := range n {
				if i != j && up[j] && wrong[i*n+j] {
					pairs++
				}
			}
		}
		got := strconv.FormatFloat(float64(pairs)/float64(live*(live-1)), 'g', 10, 64)
		if want := series["wrong_view_fraction"][s]; got != want {
			t.Fatalf("at %s s: rebuilt wrong_view_fraction %s, timeseries.csv %s", ts, got, want)
		}
		if want := series["live_nodes"][s]; strconv.Itoa(live) != want {
			t.Fatalf("at %s s: rebuilt %d live nodes, timeseries.csv %s", ts, live, want)
		}
		if pairs > 0 {
			wrongSamples++
		}
	}
	if accepted == 0 || wrongSamples == 0 {
		t.Fatalf("%d corrupted messages accepted, %d samples with wrong views: the check needs both", accepted, wrongSamples)
	}
}

// TestTraceLeavesOutputsAlone: summary.json and timeseries.csv are byte for
// byte the same with and without --trace, for every model.
func TestTraceLeavesOutputsAlone(t *testing.T) {
	for _, model := range []string{"s3", "swim", "heartbeat", "epidemic", "rumor"} {
		t.Run(model, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"run", "--model", model, "--nodes", "40", "--duration", "30s", "--quiet"}
			if model == "s3" {
				args = append(args, "--duration", "90s", "--corrupt-prob", "2e-3", "--churn", writeChurn(t))
			}
			run := func(name string, extra ...string) {
				code, _, stderr := runCLI(append(append(slices.Clone(args), "--out", filepath.Join(dir, name)), extra...)...)
				if code != 0 {
					t.Fatalf("%s: exit %d: %s", name, code, stderr)
				}
			}
			tr := filepath.Join(dir, "trace.jsonl")
			run("plain")
			run("traced", "--trace", tr)
			for _, f := range []string{"summary.json", "timeseries.csv"} {
				a, _ := os.ReadFile(filepath.Join(dir, "plain", f))
				b, _ := os.ReadFile(filepath.Join(dir, "traced", f))
				if len(a) == 0 || !bytes.Equal(a, b) {
					t.Errorf("%s differs with --trace", f)
				}
			}
			kinds := map[string]int{}
			for _, l := range readTrace(t, tr) {
				kinds[l.Kind]++
			}
			want := []string{"send", "deliver", "process"}
			switch model {
			case "s3":
				want = append(want, "update", "crash", "restart", "declare-failed", "accept-corrupted")
			case "swim", "heartbeat":
				want = append(want, "crash", "declare-failed")
			}
			for _, k := range want {
				if kinds[k] == 0 {
					t.Errorf("the trace has no %s event: %v", k, kinds)
				}
			}
		})
	}
}

// TestTraceFilters: --trace-kinds, --trace-nodes, --trace-from and
// --trace-until keep only what they select, and --trace-max stops the file
// at its cap with a last line that says so.
func TestTraceFilters(t *testing.T) {
	dir := t.TempDir()
	base := []string{"run", "--nodes", "40", "--duration", "30s", "--corrupt-prob", "2e-3", "--quiet", "--churn", writeChurn(t)}
	trace := func(name string, flags ...string) (string, []traceLine, string) {
		p := filepath.Join(dir, name)
		code, _, stderr := runCLI(append(append(slices.Clone(base), "--trace", p), flags...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		return p, readTrace(t, p), stderr
	}
	_, all, _ := trace("all.jsonl")
	_, some, _ := trace("filtered.jsonl", "--trace-kinds", "send,update,crash", "--trace-nodes", "3,10-12", "--trace-from", "5s", "--trace-until", "25s")
	if len(some) == 0 || len(some) >= len(all) {
		t.Fatalf("filtered trace has %d events of %d", len(some), len(all))
	}
	keep := map[int]bool{3: true, 10: true, 11: true, 12: true}
	seen := map[string]bool{}
	for i, l := range some {
		seen[l.Kind] = true
		if l.Kind != "send" && l.Kind != "update" && l.Kind != "crash" {
			t.Fatalf("line %d: kind %q", i+1, l.Kind)
		}
		if at := l.time(t); at < 5*sim.Second || at >= 25*sim.Second {
			t.Fatalf("line %d: t %s outside [5s, 25s)", i+1, l.T)
		}
		in := func(p *int) bool { return p != nil && keep[*p] }
		if !in(l.Node) && !in(l.Peer) && !in(l.Subject) {
			t.Fatalf("line %d: none of node, peer, subject is 3 or 10-12: %+v", i+1, l)
		}
	}
	if !seen["send"] || !seen["update"] || !seen["crash"] {
		t.Errorf("filtered trace lacks a kind asked for: %v", seen)
	}

	p, capped, stderr := trace("capped.jsonl", "--trace-max", "10KB")
	last := capped[len(capped)-1]
	if !last.Truncated || last.MaxBytes != 10000 || last.EventsWritten != int64(len(capped)-1) || last.EventsWritten+last.EventsLeftOut != int64(len(all)) {
		t.Errorf("last line %+v; want truncated at 10000 bytes, %d written and %d in all", last, len(capped)-1, len(all))
	}
	b, _ := os.ReadFile(p)
	if body := bytes.LastIndexByte(b[:len(b)-1], '\n') + 1; body > 10000 || body < 9000 {
		t.Errorf("events take %d bytes, want at most the cap of 10000 (and near it)", body)
	}
	if !strings.Contains(stderr, "trace-max") || !strings.Contains(stderr, "left out") {
		t.Errorf("no warning on stderr about the cap: %q", stderr)
	}
}

// TestTraceBadFlags: a bad trace flag exits 2 with one line naming it and
// its value, and writes nothing: no run directory, no trace, no temporary
// file.
func TestTraceBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown kind", []string{"--trace-kinds", "send,sned"}, []string{"trace-kinds", "sned", "accept-corrupted"}},
		{"node outside the fleet", []string{"--trace-nodes", "3,50"}, []string{"trace-nodes", "50", "0 to 39"}},
		{"bad node range", []string{"--trace-nodes", "9-2"}, []string{"trace-nodes", "9-2", "a-b"}},
		{"bad from", []string{"--trace-from", "soon"}, []string{"trace-from", "soon", "duration"}},
		{"from past the end", []string{"--trace-from", "60s"}, []string{"trace-from", "60s", "end"}},
		{"until before from", []string{"--trace-from", "20s", "--trace-until", "10s"}, []string{"trace-until", "10s", "after"}},
		{"bad max", []string{"--trace-max", "lots"}, []string{"trace-max", "lots", "size"}},
		{"filter without a trace", []string{"--trace-kinds", "send"}, []string{"trace-kinds", "send", "without --trace"}},
		{"missing directory", []string{"--trace", "TMP/missing/t.jsonl"}, []string{"trace", "missing/t.jsonl"}},
		{"a directory", []string{"--trace", "TMP"}, []string{"trace", "is a directory"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out, tr := filepath.Join(dir, "out"), filepath.Join(dir, "t.jsonl")
			args := []string{"run", "--nodes", "40", "--duration", "30s", "--quiet", "--out", out}
			if !slices.Contains(tc.args, "--trace") && tc.name != "filter without a trace" {
				args = append(args, "--trace", tr)
			}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "TMP", dir))
			}
			code, _, stderr := runCLI(args...)
			checkBadInput(t, code, stderr, tc.want)
			if names, _ := os.ReadDir(dir); len(names) != 0 {
				t.Errorf("bad input left %v in the directory", names)
			}
		})
	}
}

// TestTraceInterruptedWritesNothing: an interrupted run leaves no trace
// file, not even its temporary one.
func TestTraceInterruptedWritesNothing(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := cmdRun(ctx, []string{"--nodes", "40", "--duration", "30s", "--quiet", "--trace", filepath.Join(dir, "t.jsonl")}, new(bytes.Buffer), new(bytes.Buffer))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want the run interrupted", err)
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("an interrupted run left %v", names)
	}
}
