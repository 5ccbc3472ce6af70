package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = realMain(args, &out, &errb)
	return code, out.String(), errb.String()
}

// fast are flags that make a run take a fraction of a second.
var fast = []string{"--nodes", "50", "--duration", "60s", "--corrupt-prob", "1e-3", "--quiet"}

// checkBadInput asserts how the CLI refuses bad input: exit status 2 and
// a one-line error on stderr mentioning each of want.
func checkBadInput(t *testing.T, code int, stderr string, want []string) {
	t.Helper()
	if code != exitBadInput {
		t.Fatalf("exit status %d, want %d (stderr %q)", code, exitBadInput, stderr)
	}
	if n := strings.Count(strings.TrimSpace(stderr), "\n"); n != 0 {
		t.Errorf("error is %d lines, want one: %q", n+1, stderr)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("error %q does not mention %q", stderr, w)
		}
	}
}

func TestBadInputExitsTwoAndWritesNothing(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string // substrings of the one-line error
	}{
		{"zero nodes", []string{"--nodes", "0"}, []string{"nodes", "0", "[2,"}},
		{"negative nodes", []string{"--nodes", "-3"}, []string{"nodes", "-3"}},
		{"probability above 1", []string{"--corrupt-prob", "1.5"}, []string{"corrupt-prob", "1.5", "[0, 1]"}},
		{"negative loss", []string{"--loss", "-0.2"}, []string{"loss", "-0.2"}},
		{"unknown checksum", []string{"--checksum", "sha1"}, []string{"checksum", "sha1", "crc32c"}},
		{"unknown mode", []string{"--mode", "gossipy"}, []string{"mode", "gossipy", "digest"}},
		{"fanout too large", []string{"--nodes", "10", "--fanout", "10"}, []string{"fanout", "10", "nodes-1"}},
		{"bad duration", []string{"--duration", "ten"}, []string{"duration", "ten"}},
		{"unknown flag", []string{"--nodez", "5"}, []string{"nodez"}},
		{"stray argument", []string{"extra"}, []string{"extra"}},
		{"unwritable out", []string{"--out", filepath.Join(blocker, "sub")}, []string{"out", "not writable"}},
		{"bad format", []string{"--format", "yaml"}, []string{"format", "yaml", "json"}},
		{"unknown mitigation", []string{"--mitigation", "e"}, []string{"mitigation", `"e"`, "a-2008"}},
		{"unknown reset", []string{"--reset", "slow"}, []string{"reset", "slow", "2008"}},
		{"negative reset stop", []string{"--reset-stop", "-5s"}, []string{"reset-stop", "-5s"}},
		{"threshold at most 1", []string{"--monitor-threshold", "0.5"}, []string{"monitor-threshold", "0.5", "above 1"}},
		{"negative rate limit", []string{"--failure-rate-limit", "-2"}, []string{"failure-rate-limit", "-2"}},
		{"unknown checksum kind", []string{"--checksum", "crc64"}, []string{"checksum", "crc64", "sum8"}},
		{"rumor k below 1", []string{"--model", "rumor", "--set", "k=0"}, []string{"k", "0"}},
		{"epidemic fanout 0", []string{"--model", "epidemic", "--set", "fanout=0"}, []string{"fanout", "0"}},
		{"swim probe timeout too long", []string{"--model", "swim", "--set", "probe-timeout=2s"}, []string{"probe-timeout", "2s"}},
		{"unknown model parameter", []string{"--model", "swim", "--set", "k=2"}, []string{"k"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"run"}, tc.args...)
			if !strings.Contains(strings.Join(tc.args, " "), "--out") {
				args = append(args, "--out", out)
			}
			code, _, stderr := runCLI(args...)
			checkBadInput(t, code, stderr, tc.want)
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("--out directory was created for bad input")
			}
		})
	}
}

func TestRunWritesResults(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	code, stdout, stderr := runCLI(append([]string{"run", "--out", dir}, fast...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "events/s") {
		t.Errorf("text summary does not print events/s:\n%s", stdout)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	for _, k := range []string{"nodes", "seed", "events", "messages_sent", "bytes_sent", "corruptions_injected",
		"corruptions_rejected", "corruptions_undecodable", "corruptions_accepted", "false_failures",
		"peak_wrong_view_fraction", "recovered", "recovery_time_s"} {
		if _, ok := s[k]; !ok {
			t.Errorf("summary.json lacks %q", k)
		}
	}
	if _, ok := s["events_per_second"]; ok {
		t.Errorf("summary.json holds wall-clock speed; it must stay byte-identical across reruns")
	}
	// A rerun into another directory gives the same bytes.
	dir2 := filepath.Join(t.TempDir(), "again")
	if code, _, stderr := runCLI(append([]string{"run", "--out", dir2}, fast...)...); code != 0 {
		t.Fatalf("rerun exit %d: %s", code, stderr)
	}
	for _, f := range []string{"summary.json", "timeseries.csv"} {
		a, _ := os.ReadFile(filepath.Join(dir, f))
		b, _ := os.ReadFile(filepath.Join(dir2, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same flags", f)
		}
	}
}

func TestFormatJSON(t *testing.T) {
	code, stdout, stderr := runCLI(append([]string{"run", "--format", "json"}, fast...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Count(strings.TrimSpace(stdout), "\n") != 0 {
		t.Fatalf("--format json printed more than one line:\n%s", stdout)
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("stdout is not one JSON object: %v", err)
	}
	if eps, ok := s["events_per_second"].(float64); !ok || eps <= 0 {
		t.Errorf("events_per_second = %v, want a positive number", s["events_per_second"])
	}
	if s["nodes"].(float64) != 50 {
		t.Errorf("nodes = %v, want 50", s["nodes"])
	}
}

func TestHelp(t *testing.T) {
	code, stdout, _ := runCLI("run", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, w := range []string{"--nodes", "--checksum", "--corrupt-prob", "--out", "(default 1000)", "none, crc32c, md5, sha256 or sum8"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("run --help lacks %q", w)
		}
	}
	if code, _, _ := runCLI(); code != 2 {
		t.Errorf("no command: exit %d, want 2", code)
	}
}
