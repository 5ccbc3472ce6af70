package memlimit

import (
	"os"
	"path/filepath"
	"testing"
)

// fakeRoot lays out files (path relative to the root -> content) in a
// temporary directory and returns it.
func fakeRoot(t *testing.T, files map[string]string) string {
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
	return root
}

const meminfo8G = "MemTotal:        8000000 kB\nMemFree:         1000000 kB\nMemAvailable:    6000000 kB\nSwapTotal:       1000000 kB\n"

func TestAvailable(t *testing.T) {
	const gb = int64(1_000_000_000)
	tests := []struct {
		name       string
		files      map[string]string
		wantOK     bool
		wantBytes  int64
		wantTotal  int64
		wantSource string
	}{
		{
			name:       "no cgroup: the host's MemAvailable",
			files:      map[string]string{"proc/meminfo": meminfo8G},
			wantOK:     true,
			wantBytes:  6_000_000 * 1024,
			wantTotal:  8_000_000 * 1024,
			wantSource: "the memory available",
		},
		{
			name: "cgroup v2 limit minus current usage",
			files: map[string]string{
				"proc/meminfo":                          meminfo8G,
				"proc/self/cgroup":                      "0::/job/step\n",
				"sys/fs/cgroup/job/step/memory.max":     "2000000000\n",
				"sys/fs/cgroup/job/step/memory.current": "500000000\n",
				"sys/fs/cgroup/job/memory.max":          "max\n",
			},
			wantOK:     true,
			wantBytes:  2*gb - gb/2,
			wantTotal:  2 * gb,
			wantSource: "the cgroup memory limit (memory.max)",
		},
		{
			name: "cgroup v2: a parent's limit is tighter",
			files: map[string]string{
				"proc/meminfo":                          meminfo8G,
				"proc/self/cgroup":                      "0::/job/step\n",
				"sys/fs/cgroup/job/step/memory.max":     "max\n",
				"sys/fs/cgroup/job/step/memory.current": "100\n",
				"sys/fs/cgroup/job/memory.max":          "1000000000\n",
				"sys/fs/cgroup/job/memory.current":      "0\n",
			},
			wantOK:     true,
			wantBytes:  gb,
			wantTotal:  gb,
			wantSource: "the cgroup memory limit (memory.max)",
		},
		{
			name: "cgroup v2 max: no limit, the host's",
			files: map[string]string{
				"proc/meminfo":                        meminfo8G,
				"proc/self/cgroup":                    "0::/user.slice\n",
				"sys/fs/cgroup/user.slice/memory.max": "max\n",
			},
			wantOK:     true,
			wantBytes:  6_000_000 * 1024,
			wantTotal:  8_000_000 * 1024,
			wantSource: "the memory available",
		},
		{
			name: "cgroup v2 limit above MemAvailable: the host's",
			files: map[string]string{
				"proc/meminfo":                     meminfo8G,
				"proc/self/cgroup":                 "0::/big\n",
				"sys/fs/cgroup/big/memory.max":     "100000000000\n",
				"sys/fs/cgroup/big/memory.current": "0\n",
			},
			wantOK:     true,
			wantBytes:  6_000_000 * 1024,
			wantTotal:  8_000_000 * 1024,
			wantSource: "the memory available",
		},
		{
			name: "cgroup v2 in a container: own path not visible, the mount's top",
			files: map[string]string{
				"proc/meminfo":                 meminfo8G,
				"proc/self/cgroup":             "0::/kubepods/pod1/abc\n",
				"sys/fs/cgroup/memory.max":     "3000000000\n",
				"sys/fs/cgroup/memory.current": "1000000000\n",
			},
			wantOK:     true,
			wantBytes:  2 * gb,
			wantTotal:  3 * gb,
			wantSource: "the cgroup memory limit (memory.max)",
		},
		{
			name: "cgroup v1 limit_in_bytes",
			files: map[string]string{
				"proc/meminfo":     meminfo8G,
				"proc/self/cgroup": "5:cpu,cpuacct:/slurm\n4:memory:/slurm/uid_1/job_7\n0::/\n",
				"sys/fs/cgroup/memory/slurm/uid_1/job_7/memory.limit_in_bytes": "1073741824\n",
				"sys/fs/cgroup/memory/slurm/uid_1/job_7/memory.usage_in_bytes": "73741824\n",
				"sys/fs/cgroup/memory/memory.limit_in_bytes":                   "9223372036854771712\n",
			},
			wantOK:     true,
			wantBytes:  gb,
			wantTotal:  1073741824,
			wantSource: "the cgroup memory limit (memory.limit_in_bytes)",
		},
		{
			name: "cgroup v1 huge value: no limit",
			files: map[string]string{
				"proc/meminfo":     meminfo8G,
				"proc/self/cgroup": "4:memory:/docker/abc\n",
				"sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": "9223372036854771712\n",
				"sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes": "1000\n",
			},
			wantOK:     true,
			wantBytes:  6_000_000 * 1024,
			wantTotal:  8_000_000 * 1024,
			wantSource: "the memory available",
		},
		{
			name: "cgroup v1 usage above the limit: nothing left",
			files: map[string]string{
				"proc/self/cgroup": "4:memory:/a\n",
				"sys/fs/cgroup/memory/a/memory.limit_in_bytes": "1000\n",
				"sys/fs/cgroup/memory/a/memory.usage_in_bytes": "5000\n",
			},
			wantOK:     true,
			wantBytes:  0,
			wantTotal:  1000,
			wantSource: "the cgroup memory limit (memory.limit_in_bytes)",
		},
		{
			name:   "nothing readable",
			files:  map[string]string{"proc/meminfo": "garbage\n"},
			wantOK: false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Available(fakeRoot(t, tc.files))
			if ok != tc.wantOK {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tc.wantOK, got)
			}
			if !ok {
				return
			}
			if got.Bytes != tc.wantBytes || got.Total != tc.wantTotal || got.Source != tc.wantSource {
				t.Errorf("got %d of %d from %q, want %d of %d from %q", got.Bytes, got.Total, got.Source, tc.wantBytes, tc.wantTotal, tc.wantSource)
			}
		})
	}
}

func TestCeiling(t *testing.T) {
	tests := []struct {
		name       string
		files      map[string]string
		want       int64
		wantCgroup bool
	}{
		{"host memory and swap", map[string]string{"proc/meminfo": meminfo8G}, 9_000_000 * 1024, false},
		{"cgroup limit plus swap", map[string]string{
			"proc/meminfo":                 meminfo8G,
			"proc/self/cgroup":             "0::/\n",
			"sys/fs/cgroup/memory.max":     "2000000000",
			"sys/fs/cgroup/memory.current": "1999999999",
		}, 2_000_000_000 + 1_000_000*1024, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Ceiling(fakeRoot(t, tc.files))
			if !ok || got.Bytes != tc.want || got.Cgroup != tc.wantCgroup {
				t.Errorf("got %+v, %v; want %d (cgroup %v)", got, ok, tc.want, tc.wantCgroup)
			}
		})
	}
}

// The machine running the tests answers without error (whatever it has).
func TestRealSystem(t *testing.T) {
	if lim, ok := Available("/"); ok && (lim.Bytes < 0 || lim.Source == "") {
		t.Errorf("Available(/) = %+v", lim)
	}
}

func TestSlurm(t *testing.T) {
	const mb = 1 << 20
	for _, tc := range []struct {
		env  map[string]string
		want int64 // 0: no limit
		src  string
	}{
		{map[string]string{}, 0, ""},
		{map[string]string{"SLURM_MEM_PER_NODE": "2000"}, 2000 * mb, "SLURM_MEM_PER_NODE"},
		{map[string]string{"SLURM_MEM_PER_NODE": "100", "SLURM_MEM_PER_CPU": "5000", "SLURM_CPUS_ON_NODE": "4"}, 100 * mb, "SLURM_MEM_PER_NODE"},
		{map[string]string{"SLURM_MEM_PER_CPU": "500", "SLURM_CPUS_ON_NODE": "4"}, 2000 * mb, "SLURM_MEM_PER_CPU x SLURM_CPUS_ON_NODE"},
		{map[string]string{"SLURM_MEM_PER_CPU": "500"}, 0, ""},
		{map[string]string{"SLURM_MEM_PER_NODE": "0"}, 0, ""},
		{map[string]string{"SLURM_MEM_PER_NODE": "2G"}, 0, ""},
	} {
		lim, ok := Slurm(func(k string) string { return tc.env[k] })
		if ok != (tc.want > 0) || lim.Bytes != tc.want || lim.Total != tc.want || (ok && lim.Source != "the Slurm job's memory ("+tc.src+")") {
			t.Errorf("%v: got %+v, %v; want %d bytes from %s", tc.env, lim, ok, tc.want, tc.src)
		}
	}
}
