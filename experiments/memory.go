package experiments

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/gossipsim/gossipsim/internal/bytesize"
	"github.com/gossipsim/gossipsim/models/s3gossip"
)

// MemoryEstimator is implemented by models that can estimate a run's peak
// memory in bytes (beyond the runtime and the time series) before it starts.
type MemoryEstimator interface {
	MemoryEstimate(nodes int) int64
}

// memoryDescriber is a model that says what dominates its MemoryEstimate.
type memoryDescriber interface {
	MemoryDescription(nodes int) string
}

// memoryFloorer is a model that allocates memory up front, before its
// first event (see MemoryFloor).
type memoryFloorer interface {
	MemoryFloor(nodes int) int64
}

// baseMemory is what any run costs beyond its model: the Go runtime, the
// program, buffers.
const baseMemory = 32 << 20

// sampleBytes is what one time-series sample costs while a run holds it:
// the sample itself (13 numbers) and its share of the recorder's buffers.
const sampleBytes = 160

// figureBytesPerSample is the peak memory of drawing a run's two time-series
// figures, per sample. Measured with plots.WriteFiles on synthetic samples
// (heap growth, runtime.MemStats.HeapSys): PNG grew the heap by 35 MB at
// 10,000 samples and 196 MB at 200,000 (about 1 KB a sample beyond a fixed
// 25 MB); SVG and PDF, drawn after it, needed no more. Drawing allocates
// about 36 KB a sample in all (TotalAlloc), most of it garbage at once, and
// takes about 0.35 ms a sample for PNG. 2 KB a sample leaves a margin.
const figureBytesPerSample = 2 << 10

// maxAddressable is the largest allocation a process can make: Go's heap
// on 64-bit Linux spans 2^48 bytes of address space; on 32-bit, the int range.
const maxAddressable = int64(min(uint64(1)<<48, uint64(math.MaxInt)))

// EstimateMemory estimates the memory a run holds live at its peak, in
// bytes, and says what dominates it: the model's own estimate
// (MemoryEstimator; the S3 model's views are 13 bytes per (observer, peer)
// pair, and message snapshots and queues in a storm or a saturated fleet
// hold up to about 1.5 times as much again), or about 1 KB a node. A process's resident memory stays near
// it when the garbage collector is held to a memory limit; under GOGC alone
// it can reach up to twice as much. The arithmetic saturates at
// math.MaxInt64 rather than wrap, whatever the scenario holds.
func EstimateMemory(sc Scenario) (int64, string) {
	n := int64(max(sc.Fleet.Nodes, 0))
	samples := satMul(sampleCount(sc), sampleBytes)
	need, what := satMul(1000, n), fmt.Sprintf("model %s, %d nodes at about 1 KB each", sc.Model.Name(), n)
	if e, ok := sc.Model.(MemoryEstimator); ok {
		need, what = max(e.MemoryEstimate(int(n)), 0), fmt.Sprintf("model %s, %d nodes", sc.Model.Name(), n)
	}
	if d, ok := sc.Model.(memoryDescriber); ok {
		what = d.MemoryDescription(int(n))
	}
	return satAdd(baseMemory, samples, need), what
}

// EstimateMemoryWithFigures is EstimateMemory for a run that also draws its
// time-series figures: drawing costs about 2 KB per sample (see
// figureMemory), which dominates a small fleet over a long horizon.
func EstimateMemoryWithFigures(sc Scenario) (int64, string) {
	need, what := EstimateMemory(sc)
	figs := figureMemory(sc)
	if figs < need/10 {
		return satAdd(need, figs), what
	}
	return satAdd(need, figs), fmt.Sprintf("%s; figures of %d samples %s", what, sampleCount(sc), bytesize.Format(figs))
}

// figureMemory is the peak memory, in bytes, of drawing a run's time-series
// figures: its sample count times the measured cost per sample.
func figureMemory(sc Scenario) int64 { return satMul(sampleCount(sc), figureBytesPerSample) }

// MemoryFloor is the memory, in bytes, a run certainly allocates and touches
// before its first event (the model's memoryFloorer: the S3 model's views,
// s3gossip.ViewPairBytes × nodes²; 0 for models that allocate as they go). Unlike
// EstimateMemory it is exact, so a floor above what the machine could ever
// give means the run cannot start.
func MemoryFloor(sc Scenario) int64 {
	if f, ok := sc.Model.(memoryFloorer); ok {
		return f.MemoryFloor(max(sc.Fleet.Nodes, 0))
	}
	return 0
}

// checkAddressable refuses a scenario whose up-front allocation is larger
// than a process can address, before any make is called.
func checkAddressable(sc Scenario) error {
	views := MemoryFloor(sc)
	if views <= maxAddressable {
		return nil
	}
	most := s3gossip.MaxViewNodes(maxAddressable)
	return fmt.Errorf("nodes: %d needs %s for the views alone (%d B × nodes²), more than a process can address (%s); the s3 model can hold at most %d nodes",
		sc.Fleet.Nodes, bytesize.Format(views), s3gossip.ViewPairBytes, bytesize.Format(maxAddressable), most)
}

// sampleCount is the number of time-series samples a run keeps (0 when the
// scenario's interval is not set).
func sampleCount(sc Scenario) int64 {
	if sc.SampleInterval <= 0 || sc.Duration < 0 {
		return 0
	}
	return int64(sc.Duration/sc.SampleInterval) + 1
}

// satMul is a × b for a, b >= 0, saturating at math.MaxInt64.
func satMul(a, b int64) int64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi != 0 || lo > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(lo)
}

// satAdd is the sum of non-negative xs, saturating at math.MaxInt64.
func satAdd(xs ...int64) int64 {
	var s int64
	for _, x := range xs {
		if x > math.MaxInt64-s {
			return math.MaxInt64
		}
		s += max(x, 0)
	}
	return s
}

// MemoryLimit is what the memory guard compares an estimate with.
type MemoryLimit struct {
	// Bytes is the memory usable now, in bytes; 0 turns the check off.
	Bytes int64
	// Total is the limit Bytes is what is left of (a cgroup's limit, with
	// the rest in use), or 0 when Bytes is the limit itself.
	Total int64
	// Name says what the limit is: "the cgroup memory limit (memory.max)",
	// "the memory available".
	Name string
}

// String is "NAME is 2.0 GB", with ", of which 1.5 GB is free" when the
// limit is partly in use.
func (l MemoryLimit) String() string {
	if l.Total > l.Bytes {
		return fmt.Sprintf("%s is %s, of which %s is free", l.Name, bytesize.Format(l.Total), bytesize.Format(l.Bytes))
	}
	return fmt.Sprintf("%s is %s", l.Name, bytesize.Format(l.Bytes))
}

// MemoryError is CheckMemory's refusal: a run (or runs at once) estimated
// to need more memory than the limit. It is bad input (errors.Is(err,
// ErrBadInput)).
type MemoryError struct {
	// Need is the total estimate, in bytes: one run's times Concurrent
	// (saturating at math.MaxInt64).
	Need int64
	// What says what dominates one run's estimate.
	What string
	// Concurrent is the number of runs at once.
	Concurrent int
	// Limit is what was exceeded.
	Limit MemoryLimit
}

func (e *MemoryError) Error() string {
	runs := ""
	if e.Concurrent > 1 {
		runs = fmt.Sprintf(" × %d runs at once", e.Concurrent)
	}
	return fmt.Sprintf("memory: this needs about %s (%s%s) but %s", bytesize.Format(e.Need), e.What, runs, e.Limit)
}

// Is makes a MemoryError bad input.
func (e *MemoryError) Is(target error) bool { return target == ErrBadInput }

// CheckMemory refuses runs whose estimated peak memory need, times
// concurrent runs, exceeds limit (limit.Bytes 0: no check) with a
// *MemoryError. The product saturates rather than overflow.
func CheckMemory(need int64, what string, concurrent int, limit MemoryLimit) error {
	if limit.Bytes <= 0 {
		return nil
	}
	total := satMul(max(need, 0), int64(max(concurrent, 1)))
	if total <= limit.Bytes {
		return nil
	}
	return &MemoryError{Need: total, What: what, Concurrent: concurrent, Limit: limit}
}
