package experiments

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// MemoryEstimator is implemented by protocols that can estimate a run's peak
// memory in bytes before it starts.
type MemoryEstimator interface {
	MemoryEstimate(nodes int) int64
}

// baseMemory is what any run costs beyond its model: the Go runtime, the
// program, buffers.
const baseMemory = 32 << 20

// EstimateMemory estimates a run's peak resident memory in bytes, and says
// what dominates it. The S3 model's views are 16 bytes per (observer, peer)
// pair, and message buffers in a storm add about 1.5 times as much again
// (measured: 136 MB at 1,000 nodes with a storm, 3.96 GB at 10,000).
func EstimateMemory(sc Scenario) (int64, string) {
	n := int64(sc.Model.Nodes)
	samples := int64(sc.Duration/sc.SampleInterval+1) * 160
	if sc.Protocol == nil {
		views := 16 * n * n
		return baseMemory + samples + views*5/2 + 80_000*n,
			fmt.Sprintf("S3 model, %d nodes: views of 16 B × nodes² = %s, with message buffers", n, FormatBytes(views))
	}
	if e, ok := sc.Protocol.(MemoryEstimator); ok {
		return baseMemory + samples + e.MemoryEstimate(int(n)), fmt.Sprintf("model %s, %d nodes", sc.Protocol.Name(), n)
	}
	return baseMemory + samples + 1000*n, fmt.Sprintf("model %s, %d nodes at about 1 KB each", sc.Protocol.Name(), n)
}

// AvailableMemory is the memory the system can give a new process without
// swapping (Linux: MemAvailable in /proc/meminfo); false where unknown.
func AvailableMemory() (int64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, false
			}
			return kb * 1024, true
		}
	}
	return 0, false
}

// CheckMemory refuses runs whose estimated peak memory, times concurrent
// runs, exceeds limit (the available memory, or --max-memory; 0: no check).
func CheckMemory(need int64, what string, concurrent int, limit int64, limitName string) error {
	if limit <= 0 {
		return nil
	}
	total := need * int64(max(concurrent, 1))
	if total <= limit {
		return nil
	}
	runs := ""
	if concurrent > 1 {
		runs = fmt.Sprintf(" × %d runs at once", concurrent)
	}
	return fmt.Errorf("memory: this needs about %s (%s%s) but %s is %s; use fewer nodes or workers, or --max-memory %s to run anyway",
		FormatBytes(total), what, runs, limitName, FormatBytes(limit), FormatBytes(total*5/4))
}

// ParseSize reads a byte size: a number with an optional unit B, KB, MB,
// GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024).
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(strings.ToUpper(t), strings.ToUpper(u.suffix)) && (len(u.suffix) == 3 || !strings.HasSuffix(strings.ToUpper(t), "IB")) {
			t, mult = strings.TrimSpace(t[:len(t)-len(u.suffix)]), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || v*mult > 1<<62 || v != v {
		return 0, fmt.Errorf("%q is not a size such as 8GB, 512MiB or 0", s)
	}
	return int64(v * mult), nil
}

// FormatBytes writes a byte count with an SI unit and one decimal: "1.6 GB".
func FormatBytes(b int64) string {
	units := []string{"B", "KB", "MB", "GB", "TB"}
	x, i := float64(b), 0
	for x >= 1000 && i < len(units)-1 {
		x /= 1000
		i++
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + " " + units[i]
}
