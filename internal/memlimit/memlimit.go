// Package memlimit reads how much memory this process may use on Linux: the
// host's available memory (MemAvailable in /proc/meminfo) and the limit of
// the process's control group, cgroup v2 (memory.max, memory.current) or v1
// (memory.limit_in_bytes, memory.usage_in_bytes). A job under Slurm --mem,
// Docker -m or a Kubernetes memory limit runs in such a cgroup: the kernel
// kills it when it goes over the limit, however much memory the host has free.
//
// Every function takes the file-system root to read under ("/" in
// production), so that tests can lay out fake /proc and /sys/fs/cgroup
// trees in a temporary directory:
//
//	lim, ok := memlimit.Available("/")
//	if ok && need > lim.Bytes {
//		return fmt.Errorf("needs %d bytes but %s", need, lim.Text())
//	}
//
// Cgroup files are looked for where systemd and container runtimes mount
// them: /sys/fs/cgroup (v2, or v1 per controller as /sys/fs/cgroup/memory)
// and /sys/fs/cgroup/unified (v2 in hybrid mode). The effective limit of a
// cgroup is the tightest of its own and its ancestors'. Where the process's
// cgroup path is not visible (a container that sees only its own cgroup
// mounted at the top), the top of the mount is read instead.
package memlimit

import (
	"bufio"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// Unlimited is returned as a limit's size when there is none; it is also the
// threshold above which a cgroup v1 limit means none (v1 writes "no limit"
// as the largest page-aligned int64, 9223372036854771712).
const Unlimited = int64(1) << 62

// Limit is a memory bound found on the system.
type Limit struct {
	// Bytes is the memory usable now, in bytes: MemAvailable for the host,
	// or a cgroup's limit minus its current usage (never negative).
	Bytes int64
	// Total is the bound itself, in bytes: MemTotal for the host, the
	// cgroup's limit for a cgroup.
	Total int64
	// Source names the bound: "the memory available" (the host) or "the
	// cgroup memory limit (memory.max)" / "(memory.limit_in_bytes)".
	Source string
	// Cgroup reports that the bound is a cgroup's.
	Cgroup bool
}

// Host reads the host's memory from /proc/meminfo under root: MemAvailable
// as Bytes, MemTotal as Total. False where the file or the fields are missing.
func Host(root string) (Limit, bool) {
	m, ok := meminfo(root)
	if !ok {
		return Limit{}, false
	}
	avail, okA := m["MemAvailable"]
	total, okT := m["MemTotal"]
	if !okA || !okT {
		return Limit{}, false
	}
	return Limit{Bytes: avail, Total: total, Source: "the memory available"}, true
}

// HostCeiling is the most memory the host could ever give one process, in
// bytes: MemTotal + SwapTotal from /proc/meminfo under root. An allocation
// larger than this cannot succeed whatever else is running.
func HostCeiling(root string) (int64, bool) {
	m, ok := meminfo(root)
	if !ok {
		return 0, false
	}
	total, ok := m["MemTotal"]
	if !ok {
		return 0, false
	}
	return satAdd(total, m["SwapTotal"]), true
}

// Cgroup reads the memory limit of the process's cgroup under root (v2 if
// the process is in a v2 memory hierarchy, else v1). False when there is no
// cgroup limit: no cgroup files, or every limit is "max" (v2) or at least
// Unlimited (v1).
func Cgroup(root string) (Limit, bool) {
	v2, v1, ok := cgroupPaths(root)
	if !ok {
		return Limit{}, false
	}
	if v2 != "" {
		for _, mount := range []string{"sys/fs/cgroup", "sys/fs/cgroup/unified"} {
			if lim, found, ok := walk(filepath.Join(root, mount), v2, "memory.max", "memory.current"); found {
				lim.Source = "the cgroup memory limit (memory.max)"
				return lim, ok
			}
		}
	}
	if v1 != "" {
		if lim, found, ok := walk(filepath.Join(root, "sys/fs/cgroup/memory"), v1, "memory.limit_in_bytes", "memory.usage_in_bytes"); found {
			lim.Source = "the cgroup memory limit (memory.limit_in_bytes)"
			return lim, ok
		}
	}
	return Limit{}, false
}

// Available is the memory this process can use now: the host's
// MemAvailable, or what is left under the cgroup limit (limit minus current
// usage) when that is less. False when neither is known.
func Available(root string) (Limit, bool) {
	host, okH := Host(root)
	cg, okC := Cgroup(root)
	switch {
	case okC && (!okH || cg.Bytes < host.Bytes):
		return cg, true
	case okH:
		return host, true
	}
	return Limit{}, false
}

// Ceiling is the most memory this process could ever use, in bytes, and
// what bounds it: the host's memory and swap (MemTotal + SwapTotal), or the
// cgroup's limit plus the host's swap when that is less. An allocation above
// it fails (or the process is killed) whatever else is running. False when
// neither is known.
func Ceiling(root string) (Limit, bool) {
	host, okH := HostCeiling(root)
	cg, okC := Cgroup(root)
	if okC {
		swap := int64(0)
		if m, ok := meminfo(root); ok {
			swap = m["SwapTotal"]
		}
		if c := satAdd(cg.Total, swap); !okH || c < host {
			return Limit{Bytes: c, Total: cg.Total, Source: cg.Source, Cgroup: true}, true
		}
	}
	if okH {
		return Limit{Bytes: host, Total: host, Source: "the memory and swap of this machine"}, true
	}
	return Limit{}, false
}

// meminfo reads /proc/meminfo under root, in bytes.
func meminfo(root string) (map[string]int64, bool) {
	f, err := os.Open(filepath.Join(root, "proc/meminfo"))
	if err != nil {
		return nil, false
	}
	defer f.Close()
	m := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			continue
		}
		v, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil || v < 0 {
			continue
		}
		if len(fields) > 1 && fields[1] == "kB" {
			v = satMul(v, 1024)
		}
		m[key] = v
	}
	return m, len(m) > 0
}

// cgroupPaths reads /proc/self/cgroup under root: the v2 path ("0::/x") and
// the v1 memory controller's path ("4:memory:/x"), either possibly "".
func cgroupPaths(root string) (v2, v1 string, ok bool) {
	b, err := os.ReadFile(filepath.Join(root, "proc/self/cgroup"))
	if err != nil {
		return "", "", false
	}
	for _, line := range strings.Split(string(b), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			v2 = parts[2]
		case containsField(parts[1], "memory"):
			v1 = parts[2]
		}
	}
	return v2, v1, v2 != "" || v1 != ""
}

func containsField(list, name string) bool {
	for _, f := range strings.Split(list, ",") {
		if f == name {
			return true
		}
	}
	return false
}

// walk reads limitFile and usageFile in the cgroup at rel under mount and in
// each of its ancestors, and returns the tightest bound: the least of
// (limit - usage) over the levels that have a limit. found reports that the
// cgroup's files exist at all; ok that some level has a limit. Where rel is
// not visible under mount (a container's own namespace), the top of the
// mount is read.
func walk(mount, rel, limitFile, usageFile string) (lim Limit, found, ok bool) {
	rel = path.Clean("/" + rel)
	if _, err := os.Stat(filepath.Join(mount, rel, limitFile)); err != nil {
		rel = "/"
	}
	for dir := rel; ; dir = path.Dir(dir) {
		limit, okL := readBytes(filepath.Join(mount, dir, limitFile))
		found = found || fileExists(filepath.Join(mount, dir, limitFile))
		if okL && limit < Unlimited {
			usage, _ := readBytes(filepath.Join(mount, dir, usageFile))
			left := max(limit-usage, 0)
			if !ok || left < lim.Bytes {
				lim, ok = Limit{Bytes: left, Total: limit, Cgroup: true}, true
			}
		}
		if dir == "/" {
			return lim, found, ok
		}
	}
}

// readBytes reads a cgroup file holding a byte count, or "max" (none).
func readBytes(p string) (int64, bool) {
	b, err := os.ReadFile(p)
	if err != nil {
		return 0, false
	}
	s := strings.TrimSpace(string(b))
	if s == "max" {
		return Unlimited, true
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		// A value beyond int64 (v1 on some kernels) is no limit.
		if u, uerr := strconv.ParseUint(s, 10, 64); uerr == nil && u > 0 {
			return Unlimited, true
		}
		return 0, false
	}
	return v, true
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func satAdd(a, b int64) int64 {
	if s := a + b; s >= a {
		return s
	}
	return Unlimited
}

func satMul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > Unlimited/b {
		return Unlimited
	}
	return a * b
}

// Slurm reads the memory a Slurm job was granted from its environment
// (getenv is os.Getenv in production): SLURM_MEM_PER_NODE, or else
// SLURM_MEM_PER_CPU times SLURM_CPUS_ON_NODE, both in megabytes (MiB) as
// Slurm sets them for --mem and --mem-per-cpu. Slurm enforces it through a
// cgroup where the cluster uses task/cgroup, which Cgroup reads; this is the
// same bound where the job's cgroup is not visible or not confined. Bytes and
// Total are both the grant (the job's own usage is not known here). False
// outside a Slurm job, or when the values are missing, not whole numbers or
// 0 (no limit).
func Slurm(getenv func(string) string) (Limit, bool) {
	mb := func(name string) (int64, bool) {
		v, err := strconv.ParseInt(strings.TrimSpace(getenv(name)), 10, 64)
		return v, err == nil && v > 0
	}
	if v, ok := mb("SLURM_MEM_PER_NODE"); ok {
		b := satMul(v, 1<<20)
		return Limit{Bytes: b, Total: b, Source: "the Slurm job's memory (SLURM_MEM_PER_NODE)", Cgroup: true}, true
	}
	per, okP := mb("SLURM_MEM_PER_CPU")
	cpus, okC := mb("SLURM_CPUS_ON_NODE")
	if okP && okC {
		b := satMul(satMul(per, cpus), 1<<20)
		return Limit{Bytes: b, Total: b, Source: "the Slurm job's memory (SLURM_MEM_PER_CPU x SLURM_CPUS_ON_NODE)", Cgroup: true}, true
	}
	return Limit{}, false
}
