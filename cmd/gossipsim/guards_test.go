package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/plots"
)

// fakeMemRoot points the memory guard at a fake /proc and /sys/fs/cgroup
// tree, and an environment with no Slurm job in it, for the rest of the test.
func fakeMemRoot(t *testing.T, files map[string]string) {
	t.Helper()
	root := t.TempDir()
	for p, content := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old, oldEnv := memRoot, memEnv
	memRoot, memEnv = root, func(string) string { return "" }
	t.Cleanup(func() { memRoot, memEnv = old, oldEnv })
}

// Inside a Slurm job whose cgroup the guard cannot see, the job's --mem
// (SLURM_MEM_PER_NODE, in MB) bounds the run: the estimate is refused
// against it, and so are views beyond it with the guard off.
func TestMemoryGuardReadsSlurmLimit(t *testing.T) {
	fakeMemRoot(t, map[string]string{"proc/meminfo": bigHost})
	memEnv = func(k string) string { return map[string]string{"SLURM_MEM_PER_NODE": "2000"}[k] }
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--nodes", "7000"}, "but the Slurm job's memory (SLURM_MEM_PER_NODE) is 2.1 GB"},
		{[]string{"--nodes", "20000", "--max-memory", "0"}, "more than the Slurm job's memory (SLURM_MEM_PER_NODE) (2.1 GB) could ever give"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		code, _, stderr := runCLI(append([]string{"run", "--quiet", "--out", out}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q, want exit 2 and one line with %q", tc.args, code, stderr, tc.want)
		}
	}
}

// 64 GB of memory, 60 GB of it available, no swap.
const bigHost = "MemTotal: 64000000 kB\nMemAvailable: 60000000 kB\nSwapTotal: 0 kB\n"

// The memory guard reads the cgroup limit (v2 memory.max, v1
// memory.limit_in_bytes) and names it in the refusal, even on a host with
// plenty free; with the guard off, a run whose views alone exceed the
// cgroup is still an error line.
func TestMemoryGuardReadsCgroupLimit(t *testing.T) {
	v2 := map[string]string{
		"proc/meminfo":                             bigHost,
		"proc/self/cgroup":                         "0::/slurm/job_1\n",
		"sys/fs/cgroup/slurm/job_1/memory.max":     "2000000000\n",
		"sys/fs/cgroup/slurm/job_1/memory.current": "100000000\n",
	}
	v1 := map[string]string{
		"proc/meminfo":     bigHost,
		"proc/self/cgroup": "4:memory:/docker/c1\n",
		"sys/fs/cgroup/memory/docker/c1/memory.limit_in_bytes": "2000000000\n",
		"sys/fs/cgroup/memory/docker/c1/memory.usage_in_bytes": "100000000\n",
	}
	tests := []struct {
		name  string
		files map[string]string
		args  []string
		want  string
	}{
		{"v2 estimate", v2, []string{"--nodes", "7000"},
			"gossipsim: memory: this needs about 2.3 GB (S3 model, 7000 nodes: views of 13 B × nodes² = 637.0 MB, with message snapshots and queues) but the cgroup memory limit (memory.max) is 2.0 GB, of which 1.9 GB is free; use fewer nodes or workers, or --max-memory 2.9 GB to run anyway"},
		{"v1 estimate", v1, []string{"--nodes", "7000"},
			"gossipsim: memory: this needs about 2.3 GB (S3 model, 7000 nodes: views of 13 B × nodes² = 637.0 MB, with message snapshots and queues) but the cgroup memory limit (memory.limit_in_bytes) is 2.0 GB, of which 1.9 GB is free; use fewer nodes or workers, or --max-memory 2.9 GB to run anyway"},
		{"v2 guard off, views beyond the limit", v2, []string{"--nodes", "20000", "--max-memory", "0"},
			"gossipsim: memory: 20000 nodes allocate 5.2 GB before the first event (the model's views), more than the cgroup memory limit (memory.max) with the swap of this machine (2.0 GB) could ever give; use fewer nodes"},
		{"host guard off, views beyond memory", map[string]string{"proc/meminfo": bigHost}, []string{"--nodes", "99999", "--max-memory", "0"},
			"gossipsim: memory: 99999 nodes allocate 130.0 GB before the first event (the model's views), more than the memory and swap of this machine (65.5 GB) could ever give; use fewer nodes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fakeMemRoot(t, tc.files)
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := runCLI(append([]string{"run", "--quiet", "--out", out}, tc.args...)...)
			if code != 2 || strings.TrimSpace(stderr) != tc.want {
				t.Errorf("exit %d, stderr\n%s\nwant exit 2,\n%s", code, stderr, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s exists after a refused run", out)
			}
		})
	}
	// A sweep's largest run is counted against the cgroup limit too (its
	// runs then share the memory: a run starts only when it fits).
	fakeMemRoot(t, v2)
	code, _, stderr := runCLI("sweep", "--nodes", "9000", "--replicates", "4", "--workers", "4", "--out", filepath.Join(t.TempDir(), "s"))
	if code != 2 || !strings.Contains(stderr, "9000 nodes") || !strings.Contains(stderr, "but the cgroup memory limit (memory.max) is 2.0 GB") || strings.Contains(stderr, "runs at once") {
		t.Errorf("sweep: exit %d, stderr %q", code, stderr)
	}
	// So are a report's, for a scenario file of its own.
	file := filepath.Join(t.TempDir(), "big.yaml")
	os.WriteFile(file, []byte("nodes: 4000\n"), 0o644)
	code, _, stderr = runCLI("report", "--scenario", file, "--workers", "4", "--out", filepath.Join(t.TempDir(), "r"))
	if code != 2 || !strings.Contains(stderr, "× 4 runs at once) but the cgroup memory limit (memory.max) is 2.0 GB") {
		t.Errorf("report: exit %d, stderr %q", code, stderr)
	}
}

// Exit statuses: 2 for bad input only (one line, never a panic), 1 for I/O
// and run failures.
func TestExitStatuses(t *testing.T) {
	fakeMemRoot(t, map[string]string{"proc/meminfo": bigHost})
	run := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := runCLI(append([]string{"run", "--out", run}, fast...)...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	badCells := filepath.Join(t.TempDir(), "bad")
	os.MkdirAll(badCells, 0o755)
	ts, _ := os.ReadFile(filepath.Join(run, "timeseries.csv"))
	lines := strings.Split(string(ts), "\n")
	cells := strings.Split(lines[3], ",")
	cells[5] = "0.5x"
	lines[3] = strings.Join(cells, ",")
	os.WriteFile(filepath.Join(badCells, "timeseries.csv"), []byte(strings.Join(lines, "\n")), 0o644)
	enospc := fmt.Errorf("plots: writing d/f.png: %w", &os.PathError{Op: "write", Path: "d/f.png", Err: syscall.ENOSPC})
	tests := []struct {
		name   string
		args   []string
		inject error // what the library's plot or merge returns
		code   int
		want   string // the whole stderr line, or a part of it ending in "..."
	}{
		{"duration out of range", []string{"run", "--duration", "999999999999h"}, nil, 2,
			`gossipsim: run: invalid argument "999999999999h" for "--duration" flag: out of range: a duration is at most 2562047h47m16.854775807s (about 292 years)`},
		{"20-digit node count", []string{"run", "--nodes", "12345678901234567890"}, nil, 2,
			`gossipsim: run: invalid argument "12345678901234567890" for "--nodes" flag: out of range: nodes is from 2 to at most 4653162 (s3), 16777216 (epidemic), 16777216 (rumor), 20000 (heartbeat), 5000000 (swim)`},
		{"impossible size, guard off", []string{"run", "--nodes", "16777216", "--max-memory", "0"}, nil, 2,
			"gossipsim: nodes: 16777216 needs 3.7 PB for the views alone (13 B × nodes²), more than a process can address (281.5 TB); the s3 model can hold at most 4653162 nodes"},
		{"nodes beyond the model, guard off", []string{"run", "--nodes", "2000000000", "--max-memory", "0"}, nil, 2,
			"gossipsim: nodes: 2000000000 is outside [2, 16777216]"},
		{"grid too big", []string{"sweep", "--grid", "nodes=2:10001:1000", "--grid", "fanout=1:1000:1000", "--out", t.TempDir()}, nil, 2,
			"gossipsim: grid: 1000 × 1000 = 1000000 points × 10 replicates is more than 1000000 runs"},
		{"max-memory out of range", []string{"run", "--max-memory", "1e30TB"}, nil, 2,
			`gossipsim: max-memory: "1e30TB" is out of range: a size is at most 4.6 EB (2^62 bytes)`},
		{"plot: bad cell", []string{"plot", badCells}, nil, 2,
			"gossipsim: plot: " + filepath.Join(badCells, "timeseries.csv") + `: line 4, column 6 (wrong_view_fraction): "0.5x" is not a finite number`},
		{"plot: nothing there", []string{"plot", t.TempDir()}, nil, 2, "...holds neither a sweep (sweep.json) nor a run (timeseries.csv)"},
		{"plot: disk full", []string{"plot", run}, enospc, 1, "gossipsim: plot: plots: writing d/f.png: write d/f.png: no space left on device"},
		{"merge: disk full", []string{"merge", run, "--out", t.TempDir()}, enospc, 1, "gossipsim: plots: writing d/f.png: write d/f.png: no space left on device"},
		{"merge: a refusal", []string{"merge", run, "--out", t.TempDir()}, experiments.BadInput(errors.New("merge: 3 of 4 runs are missing")), 2, "gossipsim: merge: 3 of 4 runs are missing"},
		{"merge: not a sweep", []string{"merge", run, "--out", t.TempDir()}, nil, 2, "gossipsim: merge: " + run + ": no sweep here (no such file or directory)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.inject != nil {
				redraw = func(string, plots.Options) ([]string, []string, error) { return nil, nil, tc.inject }
				merge = func([]string, string, plots.Options) ([]string, error) { return nil, tc.inject }
				t.Cleanup(func() { redraw, merge = experiments.Redraw, experiments.Merge })
			}
			code, _, stderr := runCLI(tc.args...)
			got := strings.TrimSpace(stderr)
			match := got == tc.want
			if part, ok := strings.CutPrefix(tc.want, "..."); ok {
				match = strings.HasSuffix(got, part)
			}
			if code != tc.code || !match || strings.Contains(got, "\n") {
				t.Errorf("exit %d, stderr\n%s\nwant exit %d,\n%s", code, got, tc.code, tc.want)
			}
		})
	}
}

// A real full disk during plot and merge exits 1, not 2: a 64 KiB tmpfs
// (needs root to mount; skipped otherwise).
func TestFullDiskExitsOne(t *testing.T) {
	fakeMemRoot(t, map[string]string{"proc/meminfo": bigHost})
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	// A run's files on the tmpfs, then the rest of it filled.
	run := filepath.Join(mnt, "run")
	os.MkdirAll(run, 0o755)
	src := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := runCLI(append([]string{"run", "--out", src}, fast...)...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	ts, _ := os.ReadFile(filepath.Join(src, "timeseries.csv"))
	if err := os.WriteFile(filepath.Join(run, "timeseries.csv"), ts, 0o644); err != nil {
		t.Fatal(err)
	}
	shards := []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")}
	for i, d := range shards {
		args := append([]string{"sweep", "--replicates", "2", "--shard", fmt.Sprintf("%d/2", i+1), "--out", d}, fast...)
		if code, _, stderr := runCLI(args...); code != 0 {
			t.Fatalf("sweep shard: exit %d: %s", code, stderr)
		}
	}
	fill, _ := os.Create(filepath.Join(mnt, "fill"))
	fill.Write(make([]byte, 128<<10))
	fill.Close()
	for _, args := range [][]string{{"plot", run}, {"merge", shards[0], shards[1], "--out", filepath.Join(mnt, "merged")}} {
		code, _, stderr := runCLI(args...)
		if code != 1 || !strings.Contains(stderr, "no space left on device") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%s on a full disk: exit %d, stderr %q; want exit 1 and one line", args[0], code, stderr)
		}
	}
}

// gossipsim help documents the exit statuses.
func TestHelpDocumentsExitStatus(t *testing.T) {
	_, out, _ := runCLI("help")
	for _, w := range []string{"Exit status: 0 success; 1 a run or check failed, or an I/O error", "2 bad input", "130 interrupted"} {
		if !strings.Contains(out, w) {
			t.Errorf("gossipsim help does not say %q", w)
		}
	}
}
