package main

// Interruption tests on real subprocesses: the test binary re-executes itself
// as the gossipsim command when GOSSIPSIM_TEST_MAIN=1 (see TestMain), and the
// tests send it SIGKILL, SIGINT or SIGTERM.

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/gossipsim/gossipsim/internal/testfs"
	"time"

	"github.com/gossipsim/gossipsim/experiments"
)

func TestMain(m *testing.M) {
	if os.Getenv("GOSSIPSIM_TEST_MAIN") == "1" {
		os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
	}
	code := m.Run()
	if refRoot != "" {
		os.RemoveAll(refRoot)
	}
	os.Exit(code)
}

// lockedBuffer collects a subprocess's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cli is gossipsim running as a subprocess.
type cli struct {
	cmd            *exec.Cmd
	stdout, stderr lockedBuffer
	exited         chan struct{}
	code           int // after exited: the exit status, -1 if killed by a signal
}

func startCLI(t *testing.T, args ...string) *cli {
	t.Helper()
	return startCLIIn(t, "", args...)
}

// startCLIIn is startCLI in the working directory dir ("": the test's).
func startCLIIn(t *testing.T, dir string, args ...string) *cli {
	t.Helper()
	c := &cli{cmd: exec.Command(os.Args[0], args...), exited: make(chan struct{})}
	c.cmd.Dir = dir
	c.cmd.Env = append(os.Environ(), "GOSSIPSIM_TEST_MAIN=1")
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		c.cmd.Wait()
		c.code = c.cmd.ProcessState.ExitCode()
		close(c.exited)
	}()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.exited
	})
	return c
}

func (c *cli) done() bool {
	select {
	case <-c.exited:
		return true
	default:
		return false
	}
}

// wait waits for the subprocess to exit and returns its exit status.
func (c *cli) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-c.exited:
		return c.code
	case <-time.After(2 * time.Minute):
		t.Fatalf("gossipsim %v did not exit; stderr %q", c.cmd.Args[1:], c.stderr.String())
		return 0
	}
}

func (c *cli) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := c.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %v: %v", sig, err)
	}
}

// runToEnd runs gossipsim to its end and fails unless it exits 0.
func runToEnd(t *testing.T, args ...string) (stdout string) {
	t.Helper()
	c := startCLI(t, args...)
	if code := c.wait(t); code != 0 {
		t.Fatalf("gossipsim %v: exit %d, stderr %q", args, code, c.stderr.String())
	}
	return c.stdout.String()
}

// pollUntil checks cond every few milliseconds until it holds; it fails if
// the subprocess exits first or after a generous deadline.
func pollUntil(t *testing.T, c *cli, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if c.done() {
			if cond() {
				return
			}
			t.Fatalf("gossipsim exited (status %d) before %s; stderr %q", c.code, what, c.stderr.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// journalRecords returns the number of records in dir's journal (0 if there
// is none yet), and whether each of them is whole: newline-terminated, with
// the header's number of fields.
func journalRecords(dir string) (n int, whole bool) {
	b, err := os.ReadFile(filepath.Join(dir, "runs.partial.csv"))
	if err != nil || len(b) == 0 {
		return 0, err == nil || os.IsNotExist(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || b[len(b)-1] != '\n' {
		return max(0, bytes.Count(b, []byte("\n"))-1), false
	}
	for _, r := range recs[1:] {
		if len(r) != len(recs[0]) {
			return len(recs) - 1, false
		}
	}
	return len(recs) - 1, true
}

func wholeJournal(t *testing.T, dir string) int {
	t.Helper()
	n, whole := journalRecords(dir)
	if !whole {
		b, _ := os.ReadFile(filepath.Join(dir, "runs.partial.csv"))
		t.Fatalf("the journal holds a torn record:\n%s", b)
	}
	return n
}

// sameDir checks that dir holds exactly the files of want, byte for byte
// (figures included: they are deterministic too).
func sameDir(t *testing.T, want, dir string) {
	t.Helper()
	wn, gn := testfs.Names(t, want), testfs.Names(t, dir)
	if !slices.Equal(wn, gn) {
		t.Fatalf("%s holds %v, the uninterrupted sweep %v", dir, gn, wn)
	}
	for _, n := range wn {
		a, err1 := os.ReadFile(filepath.Join(want, n))
		b, err2 := os.ReadFile(filepath.Join(dir, n))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", n, err1, err2)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs from the uninterrupted sweep's", n)
		}
	}
}

// shortSweep is 16 runs of 100 and 150 nodes, 120 s, on 2 workers: a second
// or two in all (smaller runs under the race detector, about 10 times slower).
func shortSweep(out string) []string {
	nodes, duration := "nodes=100,150", "120s"
	if raceDetector() {
		nodes, duration = "nodes=40,60", "60s"
	}
	return []string{"sweep", "--grid", nodes, "--grid", "corrupt-prob=1e-4,1e-3", "--replicates", "4",
		"--duration", duration, "--workers", "2", "--quiet", "--out", out}
}

// raceDetector says whether the test binary was built with -race.
func raceDetector() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

const shortSweepRuns = 16

var (
	refOnce sync.Once
	refRoot string
	refErr  string
)

// reference is the directory of shortSweep run without interruption, shared by the tests.
func reference(t *testing.T) string {
	t.Helper()
	refOnce.Do(func() {
		var err error
		if refRoot, err = os.MkdirTemp("", "gossipsim-ref-"); err != nil {
			refErr = err.Error()
			return
		}
		c := startCLI(t, shortSweep(filepath.Join(refRoot, "s"))...)
		if code := c.wait(t); code != 0 {
			refErr = fmt.Sprintf("uninterrupted sweep: exit %d, stderr %q", code, c.stderr.String())
		}
	})
	if refErr != "" {
		t.Fatal(refErr)
	}
	return filepath.Join(refRoot, "s")
}

// TestKillThenResumeMatchesUninterrupted: a sweep killed with SIGKILL leaves
// a journal of whole records; with a torn half-record appended to it (what a
// crash in the middle of a write leaves), --resume drops that record, runs
// the rest and writes exactly the files of an uninterrupted sweep.
func TestKillThenResumeMatchesUninterrupted(t *testing.T) {
	ref := reference(t)
	dir := filepath.Join(t.TempDir(), "s")
	args := shortSweep(dir)
	c := startCLI(t, args...)
	pollUntil(t, c, "a third of the runs are journalled", func() bool {
		n, _ := journalRecords(dir)
		return n >= shortSweepRuns/3
	})
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	c.wait(t)
	n := wholeJournal(t, dir)
	if n >= shortSweepRuns {
		t.Fatalf("every run was done before the kill")
	}
	// A killed sweep cannot remove its lock file; the kernel has released
	// the lock, and the resume below takes the file over and removes it.
	if names := testfs.Names(t, dir); !slices.Equal(names, []string{experiments.LockFileName, "runs.partial.csv", "sweep.json"}) {
		t.Errorf("killed sweep left %v, want its lock file, the journal and sweep.json", names)
	}

	// Tear: the first half of a run's record that the journal does not hold.
	journal, _ := os.ReadFile(filepath.Join(dir, "runs.partial.csv"))
	recs, _ := csv.NewReader(bytes.NewReader(journal)).ReadAll()
	have := map[string]bool{}
	for _, r := range recs[1:] {
		have[r[0]] = true
	}
	runs, _ := os.ReadFile(filepath.Join(ref, "runs.csv"))
	var torn string
	for _, line := range strings.Split(string(runs), "\n")[1:] {
		if run, _, _ := strings.Cut(line, ","); line != "" && !have[run] {
			torn = line[:len(line)/2]
			break
		}
	}
	f, err := os.OpenFile(filepath.Join(dir, "runs.partial.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(torn)
	f.Close()

	out := runToEnd(t, append(args, "--resume")...)
	if want := fmt.Sprintf("(%d ran now, %d already done)", shortSweepRuns-n, n); !strings.Contains(out, want) {
		t.Errorf("resume said %q, want %q (the torn record %q dropped)", out, want, torn)
	}
	sameDir(t, ref, dir)
	t.Logf("killed after %d of %d runs", n, shortSweepRuns)
}

// TestInterruptOnceDrains: one SIGINT lets the runs in flight finish and be
// journalled, starts no new one, exits 130 with a one-line message naming
// the resume command, and the resumed sweep is the uninterrupted one.
func TestInterruptOnceDrains(t *testing.T) {
	ref := reference(t)
	dir := filepath.Join(t.TempDir(), "s")
	args := shortSweep(dir)
	c := startCLI(t, args...)
	var before int
	pollUntil(t, c, "a run is journalled", func() bool {
		before, _ = journalRecords(dir)
		return before >= 1
	})
	c.signal(t, syscall.SIGINT)
	pollUntil(t, c, "the interrupt is acknowledged", func() bool {
		return strings.Contains(c.stderr.String(), "finishing the runs in flight")
	})
	atDrain, _ := journalRecords(dir)
	if code := c.wait(t); code != 130 {
		t.Fatalf("exit %d after SIGINT, want 130; stderr %q", code, c.stderr.String())
	}
	n := wholeJournal(t, dir)
	// At most one run in flight and one finished, not yet journalled, per worker.
	if n < before || n > atDrain+2*2 || n >= shortSweepRuns {
		t.Errorf("journal holds %d runs; %d before the signal, %d when it was acknowledged", n, before, atDrain)
	}
	lines := strings.Split(strings.TrimSpace(c.stderr.String()), "\n")
	last := lines[len(lines)-1]
	wantMsg := fmt.Sprintf("%d of %d runs are recorded in %s", n, shortSweepRuns, filepath.Join(dir, "runs.partial.csv"))
	wantCmd := "gossipsim " + strings.Join(args, " ") + " --resume"
	if len(lines) != 2 || !strings.Contains(last, wantMsg) || !strings.HasSuffix(last, wantCmd) {
		t.Errorf("stderr %q, want the acknowledgement then one line with %q and %q", c.stderr.String(), wantMsg, wantCmd)
	}
	if names := testfs.Names(t, dir); !slices.Equal(names, []string{"runs.partial.csv", "sweep.json"}) {
		t.Errorf("interrupted sweep left %v, want the journal and sweep.json", names)
	}
	out := runToEnd(t, append(args, "--resume")...)
	if want := fmt.Sprintf("%d already done", n); !strings.Contains(out, want) {
		t.Errorf("resume said %q, want %q", out, want)
	}
	sameDir(t, ref, dir)
	t.Logf("%d runs journalled before SIGINT, %d when acknowledged, %d at exit", before, atDrain, n)
}

// TestInterruptTwiceAbandons: a second SIGINT abandons the runs in flight at
// once: exit 130 promptly, the journal as it was, and in --out nothing but it
// and sweep.json (written when the sweep starts, so that --resume can check
// that it resumes the same sweep). Runs 0 and 1 are short (30 nodes); 2 and
// 3 (300 nodes, 600 s) take seconds and are in flight once 0 and 1 are journalled.
func TestInterruptTwiceAbandons(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	args := []string{"sweep", "--grid", "nodes=30,300", "--replicates", "2", "--duration", "600s",
		"--workers", "2", "--quiet", "--out", dir}
	c := startCLI(t, args...)
	pollUntil(t, c, "the two short runs are journalled", func() bool {
		n, _ := journalRecords(dir)
		return n >= 2
	})
	start := time.Now()
	c.signal(t, syscall.SIGINT)
	pollUntil(t, c, "the interrupt is acknowledged", func() bool {
		return strings.Contains(c.stderr.String(), "interrupt again")
	})
	c.signal(t, syscall.SIGINT)
	code := c.wait(t)
	elapsed := time.Since(start)
	if code != 130 {
		t.Fatalf("exit %d after two SIGINTs, want 130; stderr %q", code, c.stderr.String())
	}
	if n := wholeJournal(t, dir); n != 2 {
		t.Errorf("journal holds %d runs, want the 2 short ones: the long runs in flight were not abandoned", n)
	}
	// The journal proves the runs were abandoned; this only catches a hang (a
	// run takes seconds of CPU; stopping, milliseconds, but the machine may be busy).
	if elapsed > 5*time.Second {
		t.Errorf("exit took %v after the first SIGINT; abandoning the runs should take milliseconds", elapsed)
	}
	if names := testfs.Names(t, dir); !slices.Equal(names, []string{"runs.partial.csv", "sweep.json"}) {
		t.Errorf("abandoned sweep left %v, want the journal and sweep.json", names)
	}
	if !strings.Contains(c.stderr.String(), "2 of 4 runs are recorded") || !strings.Contains(c.stderr.String(), "--resume") {
		t.Errorf("stderr %q does not say 2 of 4 runs are recorded and how to resume", c.stderr.String())
	}
	t.Logf("exit 130 %v after the first SIGINT", elapsed)
}

// TestSIGTERMAbandonsSweep: one SIGTERM (what a scheduler sends before its
// SIGKILL) abandons a sweep's runs in flight at once, without the drain a
// first Ctrl-C gets: exit 130, the journal of the runs finished before it,
// and the line naming the resume command. Runs 0 and 1 are short (30
// nodes); 2 and 3 (300 nodes, 600 s) take seconds and are in flight.
func TestSIGTERMAbandonsSweep(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	args := []string{"sweep", "--grid", "nodes=30,300", "--replicates", "2", "--duration", "600s",
		"--workers", "2", "--quiet", "--out", dir}
	c := startCLI(t, args...)
	pollUntil(t, c, "the two short runs are journalled", func() bool {
		n, _ := journalRecords(dir)
		return n >= 2
	})
	start := time.Now()
	c.signal(t, syscall.SIGTERM)
	code := c.wait(t)
	elapsed := time.Since(start)
	if code != 130 {
		t.Fatalf("exit %d after SIGTERM, want 130; stderr %q", code, c.stderr.String())
	}
	if strings.Contains(c.stderr.String(), "finishing the runs in flight") {
		t.Errorf("SIGTERM drained the sweep: stderr %q", c.stderr.String())
	}
	if n := wholeJournal(t, dir); n != 2 {
		t.Errorf("journal holds %d runs, want the 2 short ones: the long runs in flight were not abandoned", n)
	}
	if !strings.Contains(c.stderr.String(), "2 of 4 runs are recorded") || !strings.Contains(c.stderr.String(), "--resume") {
		t.Errorf("stderr %q does not say 2 of 4 runs are recorded and how to resume", c.stderr.String())
	}
	if elapsed > 2*time.Second {
		t.Errorf("exit took %v after SIGTERM, want within 1 s (bound 2 s on a busy machine)", elapsed)
	}
	t.Logf("exit 130 %v after SIGTERM", elapsed)
}

// TestSignalStopsRun: SIGTERM stops a single run at once and writes nothing.
func TestSignalStopsRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "r")
	c := startCLI(t, "run", "--nodes", "300", "--duration", "600s", "--quiet", "--out", dir)
	pollUntil(t, c, "the output directory exists", func() bool {
		_, err := os.Stat(dir)
		return err == nil
	})
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
	if elapsed > 5*time.Second {
		t.Errorf("exit took %v after SIGTERM", elapsed)
	}
}

func TestInterruptResumeCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "--grid", "nodes=10,20", "--out", "r/x"}, "gossipsim sweep --grid nodes=10,20 --out r/x --resume"},
		{[]string{"sweep", "--out", "my dir", "--resume"}, "gossipsim sweep --out 'my dir' --resume"},
		{[]string{"sweep", "--out", "it's", "--grid", ""}, `gossipsim sweep --out 'it'\''s' --grid '' --resume`},
	} {
		if got := resumeCommand(tc.args); got != tc.want {
			t.Errorf("resumeCommand(%q) = %s, want %s", tc.args, got, tc.want)
		}
	}
	for args, want := range map[string]bool{
		"sweep --out x": true, "run --out x": false, "sweep --experiment validation --out x": true,
		"sweep --experiment=validation": true, "sweep --experiment corruption": true, "validate --out x": true,
		"report --out x": true, "merge a --out x": false,
	} {
		if got := resumableSweep(strings.Fields(args)); got != want {
			t.Errorf("resumableSweep(%s) = %v", args, got)
		}
	}
}
