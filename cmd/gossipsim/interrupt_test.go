package main

// Interruption of validate, report and heavy runs, and the flags of the
// validation experiment. The subprocess helpers are in signals_test.go.

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gossipsim/gossipsim/internal/testfs"
	"time"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/experiments/report"
)

// sweep --experiment validation refuses, in one line naming them and the
// flags it takes, every flag the validation experiment does not take (exit
// 2), and passes the ones it takes through.
func TestSweepValidationFlags(t *testing.T) {
	root := t.TempDir()
	begun := filepath.Join(root, "begun") // holds an earlier validation's first check
	if err := os.MkdirAll(filepath.Join(begun, experiments.ValidationChecks()[0].Name), 0o755); err != nil {
		t.Fatal(err)
	}
	takes := "it takes --out, --workers, --resume, --quiet, --plot-format and --dpi"
	tests := []struct {
		name string
		args []string
		want []string // substrings of the one line on stderr
	}{
		{"a grid", []string{"--grid", "nodes=10,20"}, []string{"validation does not take --grid;", takes}},
		{"a run flag", []string{"--nodes", "50"}, []string{"does not take --nodes;"}},
		{"an invalid run flag", []string{"--nodes", "-5"}, []string{"does not take --nodes;"}},
		{"several", []string{"--seed", "4", "--replicates", "3", "--quiet"}, []string{"does not take --replicates, --seed;"}},
		{"a model", []string{"--model", "rumor", "--set", "k=2"}, []string{"does not take --model, --set;"}},
		{"a shard", []string{"--shard", "1/2"}, []string{"does not take --shard;"}},
		{"workers passed through", []string{"--workers", "0"}, []string{"workers: 0 must be at least 1"}},
		{"plot format passed through", []string{"--plot-format", "gif"}, []string{"gif"}},
		{"an earlier start without --resume", []string{"--out", begun, "--quiet"},
			[]string{"holds results of an earlier start of a validation", "to finish it, run: gossipsim sweep --experiment validation --out " + begun + " --quiet --resume"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "v")
			args := append([]string{"sweep", "--experiment", "validation"}, tc.args...)
			if !strings.Contains(strings.Join(tc.args, " "), "--out") {
				args = append(args, "--out", out)
			}
			code, _, stderr := runCLI(args...)
			if code != 2 || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("exit %d, stderr %q; want 2 and one line", code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not say %q", stderr, w)
				}
			}
			if _, err := os.Stat(out); err == nil && out != begun {
				t.Errorf("a refused validation created %s", out)
			}
		})
	}

	// The flags it takes reach the validation: with --resume it goes on in
	// the directory of the earlier start (and, cancelled, says what is there).
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := cmdSweep(ctx, []string{"--experiment", "validation", "--out", begun, "--resume", "--quiet", "--workers", "1",
		"--plot-format", "svg", "--dpi", "100"}, new(bytes.Buffer), new(bytes.Buffer))
	var u *experiments.Unfinished
	if !errors.As(err, &u) || u.Dir != begun {
		t.Errorf("with the flags it takes: %v, want the validation of %s resumed (and interrupted)", err, begun)
	}
}

// lastLine is the last line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// anyJournal reports whether a sweep directory under dir (at any depth up to
// two) has journalled at least one run.
func anyJournal(dir string) bool {
	for _, pattern := range []string{"*/runs.partial.csv", "*/*/runs.partial.csv"} {
		ms, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range ms {
			if n, _ := journalRecords(filepath.Dir(m)); n >= 1 {
				return true
			}
		}
	}
	return false
}

// TestValidateInterruptThenResume: SIGINT in the middle of a validation
// drains it, exits 130 and says what is written (the finished checks and the
// runs recorded of the one in progress) and the exact command to finish it.
// The same command without --resume is refused (exit 2, naming --resume);
// with it, the validation finishes with the uninterrupted validation's table.
func TestValidateInterruptThenResume(t *testing.T) {
	if testing.Short() || raceDetector() {
		t.Skip("runs every protocol")
	}
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	runToEnd(t, "validate", "--quick", "--workers", "2", "--out", ref)
	dir := filepath.Join(root, "v")
	args := []string{"validate", "--quick", "--workers", "2", "--out", dir}
	c := startCLI(t, args...)
	pollUntil(t, c, "a check's run is journalled", func() bool { return anyJournal(dir) })
	c.signal(t, syscall.SIGINT)
	if code := c.wait(t); code != 130 {
		t.Fatalf("exit %d after SIGINT, want 130; stderr %q", code, c.stderr.String())
	}
	last := lastLine(c.stderr.String())
	wantCmd := "; to finish, run: gossipsim " + strings.Join(args, " ") + " --resume"
	if !strings.HasPrefix(last, "gossipsim: interrupted: ") || !strings.Contains(last, "checks of the validation are finished in "+dir) ||
		!strings.HasSuffix(last, wantCmd) || strings.Contains(last, "nothing was written") {
		t.Errorf("stderr ends %q, want what is finished and %q", last, wantCmd)
	}
	// Every journal it names exists and holds the runs it says.
	if i := strings.Index(last, " runs are recorded in "); i >= 0 {
		journal := strings.TrimSuffix(strings.Fields(last[i+len(" runs are recorded in "):])[0], ";")
		if _, err := os.Stat(journal); err != nil {
			t.Errorf("the message names %s: %v", journal, err)
		}
	}
	code, _, stderr := runCLI(args...)
	if code != 2 || !strings.Contains(stderr, "gossipsim "+strings.Join(args, " ")+" --resume") {
		t.Errorf("rerun without --resume: exit %d, stderr %q; want 2 and the resume command", code, stderr)
	}
	runToEnd(t, append(args, "--resume")...)
	want, _ := os.ReadFile(filepath.Join(ref, experiments.ValidationFileName))
	got, err := os.ReadFile(filepath.Join(dir, experiments.ValidationFileName))
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("resumed validation.csv (%v):\n%s\nwant the uninterrupted one:\n%s", err, got, want)
	}
	t.Logf("interrupted: %s", last)
}

// TestReportInterruptThenResume: the same for a report (--quick, a small
// experiment): the resumed report.md is byte for byte the uninterrupted one.
// Both run with the same relative --out in two working directories, so that
// the command the report quotes is the same.
func TestReportInterruptThenResume(t *testing.T) {
	if testing.Short() || raceDetector() {
		t.Skip("runs a report")
	}
	refDir, dir := t.TempDir(), t.TempDir()
	args := []string{"report", "--quick", "--experiment", "mitigations-detection", "--workers", "2", "--out", "rep"}
	ref := startCLIIn(t, refDir, args...)
	if code := ref.wait(t); code != 0 {
		t.Fatalf("uninterrupted report: exit %d, stderr %q", code, ref.stderr.String())
	}
	out := filepath.Join(dir, "rep")
	c := startCLIIn(t, dir, args...)
	pollUntil(t, c, "a run of the report's sweep is journalled", func() bool {
		n, _ := journalRecords(filepath.Join(out, "sweep"))
		return n >= 1
	})
	c.signal(t, syscall.SIGINT)
	if code := c.wait(t); code != 130 {
		t.Fatalf("exit %d after SIGINT, want 130; stderr %q", code, c.stderr.String())
	}
	last := lastLine(c.stderr.String())
	wantCmd := "; to finish, run: gossipsim " + strings.Join(args, " ") + " --resume"
	if !strings.Contains(last, "of the report are finished in rep") || !strings.HasSuffix(last, wantCmd) {
		t.Errorf("stderr ends %q, want what is finished and %q", last, wantCmd)
	}
	if _, err := os.Stat(filepath.Join(out, report.FileName)); err == nil {
		t.Errorf("an interrupted report wrote report.md")
	}
	resumed := startCLIIn(t, dir, append(args, "--resume")...)
	if code := resumed.wait(t); code != 0 {
		t.Fatalf("resumed report: exit %d, stderr %q", code, resumed.stderr.String())
	}
	want, _ := os.ReadFile(filepath.Join(refDir, "rep", report.FileName))
	got, err := os.ReadFile(filepath.Join(out, report.FileName))
	if err != nil || len(want) == 0 || !bytes.Equal(got, want) {
		t.Errorf("resumed report.md (%v) differs from the uninterrupted one", err)
	}
	t.Logf("interrupted: %s", last)
}

// TestSignalStopsHeavyRunsPromptly: SIGTERM stops runs of the slowest kinds
// (every node gossiping its whole view every millisecond; a classic protocol
// pushing whole lists every millisecond; horizons of 100 hours) within a
// second: exit 130, and nothing written. The bound asserted is 2 s (the
// machine may be busy); the measured latency is logged.
func TestSignalStopsHeavyRunsPromptly(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"s3 full view every 1ms", []string{"--nodes", "1000", "--mode", "full", "--gossip-interval", "1ms"}},
		{"heartbeat every 1ms", []string{"--model", "heartbeat", "--nodes", "2000", "--set", "t-gossip=1ms", "--set", "t-fail=10ms", "--set", "t-cleanup=20ms"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "r")
			args := append([]string{"run", "--duration", "100h", "--quiet", "--out", dir}, tc.args...)
			c := startCLI(t, args...)
			pollUntil(t, c, "the output directory exists", func() bool {
				_, err := os.Stat(dir)
				return err == nil
			})
			time.Sleep(500 * time.Millisecond) // into the simulation
			start := time.Now()
			c.signal(t, syscall.SIGTERM)
			code := c.wait(t)
			elapsed := time.Since(start)
			if code != 130 || strings.TrimSpace(c.stderr.String()) != "gossipsim: interrupted; nothing was written" {
				t.Fatalf("exit %d, stderr %q; want 130 and that nothing was written", code, c.stderr.String())
			}
			if names := testfs.Names(t, dir); len(names) != 0 {
				t.Errorf("interrupted run wrote %v", names)
			}
			if elapsed > 2*time.Second {
				t.Errorf("exit took %v after SIGTERM, want within 1 s (bound 2 s)", elapsed)
			}
			t.Logf("exit 130 %v after SIGTERM", elapsed)
		})
	}
}

// TestSignalStopsRunWithProfile: an interrupted run asked for profiles
// writes them (and nothing else), and says so instead of "nothing was written".
func TestSignalStopsRunWithProfile(t *testing.T) {
	root := t.TempDir()
	dir, cpu := filepath.Join(root, "r"), filepath.Join(root, "cpu.prof")
	c := startCLI(t, "run", "--nodes", "300", "--duration", "100h", "--quiet", "--out", dir, "--cpuprofile", cpu)
	pollUntil(t, c, "the output directory exists", func() bool {
		_, err := os.Stat(dir)
		return err == nil
	})
	c.signal(t, syscall.SIGTERM)
	code := c.wait(t)
	want := "gossipsim: interrupted; no results were written, only the profiles asked for: " + cpu
	if code != 130 || strings.TrimSpace(c.stderr.String()) != want {
		t.Fatalf("exit %d, stderr %q; want 130 and %q", code, c.stderr.String(), want)
	}
	if names := testfs.Names(t, dir); len(names) != 0 {
		t.Errorf("interrupted run wrote %v", names)
	}
	if _, err := os.Stat(cpu); err != nil {
		t.Errorf("the profile: %v", err)
	}
}
