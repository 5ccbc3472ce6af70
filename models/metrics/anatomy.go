package metrics

import (
	"cmp"
	"math"
	"slices"
)

// SaturationThreshold is the processor utilization from which a node
// counts as saturated in a sample: busy for at least 99% of the interval.
const SaturationThreshold = 0.99

// UtilizationLevels is the resolution of a recorded utilization: it is
// kept as a level from 0 to UtilizationLevels (one byte), the utilization
// being level / UtilizationLevels, in steps of 0.004. Levels are snapped
// at the saturation threshold, so that a level stands for a saturated
// node (level / UtilizationLevels >= SaturationThreshold) exactly when the
// node's utilization was at or above SaturationThreshold: a saturated
// node reads at least 0.992, an unsaturated one at most 0.988.
const UtilizationLevels = 250

// MaxUtilizationColumns bounds the columns (sample times) of the
// utilization matrix. A run with more samples keeps coarser columns: when
// the matrix is full, neighbouring columns are merged pairwise (their
// mean), and each column from then on spans twice as many samples
// (Anatomy.Span). The matrix then holds at most nodes ×
// MaxUtilizationColumns bytes: 10 MB at 10,000 nodes, whatever the
// horizon. The per-sample series (declarations, saturated nodes) are never
// coarsened.
const MaxUtilizationColumns = 1024

// saturatedLevel is the lowest level that counts as saturated:
// ceil(SaturationThreshold × UtilizationLevels).
var saturatedLevel = uint8(math.Ceil(SaturationThreshold * UtilizationLevels))

// UtilizationLevel is the level recorded for a utilization u in [0, 1]
// (see UtilizationLevels).
func UtilizationLevel(u float64) uint8 {
	if !(u > 0) {
		return 0 // and NaN
	}
	l := uint8(int(min(u, 1)*UtilizationLevels + 0.5))
	if u >= SaturationThreshold {
		return max(l, saturatedLevel)
	}
	return min(l, saturatedLevel-1)
}

// LevelUtilization is the utilization a level stands for, in [0, 1].
func LevelUtilization(l uint8) float64 { return float64(l) / UtilizationLevels }

// Anatomy is how a storm built up, node by node: each node's processor
// utilization over time, when each node first saturated, and the failure
// declarations of every sample split into true and false. It is plain data
// for result files and figures, recorded once per sample (AnatomyRecorder).
type Anatomy struct {
	// Nodes is the fleet size.
	Nodes int
	// Times are the sample times, simulated seconds (as Sample.Time).
	Times []float64
	// DeclarationsTrue and DeclarationsFalse are, per sample, the failure
	// declarations made in its interval by observers' own detectors about
	// peers that were down (true) and up (false). Summed over the samples
	// they are the run's FailureDeclarations less FalseFailures, and
	// FalseFailures, up to the last sample.
	DeclarationsTrue, DeclarationsFalse []int64
	// SaturatedNodes is, per sample, the nodes whose utilization in its
	// interval was at least SaturationThreshold.
	SaturatedNodes []int32
	// FirstSaturations is, per sample, the nodes saturated in it for the
	// first time in the run.
	FirstSaturations []int32
	// FirstSaturation is, per node, the index in Times of the sample in
	// which it first saturated, or -1 if it never did.
	FirstSaturation []int32
	// Span is how many samples each column of the utilization matrix
	// covers: 1 unless the run had more than MaxUtilizationColumns samples.
	// The last column may cover fewer.
	Span int
	// ColumnTimes is the end of each column of the matrix: the time of the
	// last sample it covers, simulated seconds.
	ColumnTimes []float64
	// Levels is the utilization matrix, column by column: Levels[c×Nodes+i]
	// is node i's utilization level (UtilizationLevels) in column c, the
	// mean of its samples' levels when a column spans several.
	Levels []uint8
}

// Utilization is node's utilization in column col of the matrix, in [0, 1].
func (a *Anatomy) Utilization(node, col int) float64 {
	return LevelUtilization(a.Levels[col*a.Nodes+node])
}

// SaturationOrder returns the nodes ordered by the sample in which they
// first saturated, earliest first, those that never did last; ties by
// node id.
func (a *Anatomy) SaturationOrder() []int {
	order := make([]int, a.Nodes)
	for i := range order {
		order[i] = i
	}
	key := func(i int) int64 {
		if f := a.FirstSaturation[i]; f >= 0 {
			return int64(f)
		}
		return math.MaxInt64
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(key(x), key(y)) })
	return order
}

// FirstSaturationTime is the time of the sample in which the first node
// saturated, simulated seconds; ok is false if none did.
func (a *Anatomy) FirstSaturationTime() (t float64, ok bool) {
	for k, n := range a.FirstSaturations {
		if n > 0 {
			return a.Times[k], true
		}
	}
	return 0, false
}

// SaturatedAt is the number of nodes saturated in the last sample at or
// before t (simulated seconds), 0 before the first sample.
func (a *Anatomy) SaturatedAt(t float64) int {
	k, found := slices.BinarySearch(a.Times, t)
	if !found {
		k--
	}
	if k < 0 {
		return 0
	}
	return int(a.SaturatedNodes[k])
}

// Declarations returns the true and false declarations summed over the
// samples.
func (a *Anatomy) Declarations() (trueDecl, falseDecl int64) {
	for k := range a.DeclarationsTrue {
		trueDecl += a.DeclarationsTrue[k]
		falseDecl += a.DeclarationsFalse[k]
	}
	return trueDecl, falseDecl
}

// AnatomyRecorder records a run's Anatomy, once per sample: the model
// reports every node's utilization of the sample (Node) and then ends the
// sample with its time and the run's declaration counters (EndSample). It
// costs a byte a node per sample and allocates only when the matrix grows.
type AnatomyRecorder struct {
	a        Anatomy
	cur      []uint8  // the sample being taken, one level a node
	pending  []uint32 // with Span > 1: the level sums of the column being filled
	pendingN int      // samples in pending
	satNow   int32    // nodes saturated in the sample being taken
	firstNow int32    // of which for the first time
	lastDecl int64    // FailureDeclarations at the previous sample
	lastFals int64    // FalseFailures at the previous sample
}

// NewAnatomyRecorder returns a recorder for a fleet of n nodes.
func NewAnatomyRecorder(n int) *AnatomyRecorder {
	r := &AnatomyRecorder{cur: make([]uint8, n)}
	r.a = Anatomy{Nodes: n, Span: 1, FirstSaturation: make([]int32, n)}
	for i := range r.a.FirstSaturation {
		r.a.FirstSaturation[i] = -1
	}
	return r
}

// Node records node i's utilization u in the sample being taken.
func (r *AnatomyRecorder) Node(i int, u float64) {
	l := UtilizationLevel(u)
	r.cur[i] = l
	if l >= saturatedLevel {
		r.satNow++
		if r.a.FirstSaturation[i] < 0 {
			r.a.FirstSaturation[i] = int32(len(r.a.Times))
			r.firstNow++
		}
	}
}

// EndSample ends the sample taken at t (simulated seconds), given the
// run's cumulative FailureDeclarations and FalseFailures at t.
func (r *AnatomyRecorder) EndSample(t float64, declarations, falseFailures int64) {
	a := &r.a
	fals := falseFailures - r.lastFals
	a.Times = append(a.Times, t)
	a.DeclarationsTrue = append(a.DeclarationsTrue, declarations-r.lastDecl-fals)
	a.DeclarationsFalse = append(a.DeclarationsFalse, fals)
	a.SaturatedNodes = append(a.SaturatedNodes, r.satNow)
	a.FirstSaturations = append(a.FirstSaturations, r.firstNow)
	r.lastDecl, r.lastFals, r.satNow, r.firstNow = declarations, falseFailures, 0, 0
	if a.Span == 1 {
		r.push(r.cur, t)
		return
	}
	for i, l := range r.cur {
		r.pending[i] += uint32(l)
	}
	if r.pendingN++; r.pendingN == a.Span {
		r.push(r.meanPending(), t)
	}
}

// meanPending returns the pending column's mean levels (in cur, which
// the next sample overwrites) and empties it.
func (r *AnatomyRecorder) meanPending() []uint8 {
	n := uint32(r.pendingN)
	for i, s := range r.pending {
		r.cur[i] = uint8((s + n/2) / n)
		r.pending[i] = 0
	}
	r.pendingN = 0
	return r.cur
}

// push appends a full column of Span samples ending at t, first merging
// the columns pairwise if the matrix is full.
func (r *AnatomyRecorder) push(col []uint8, t float64) {
	a := &r.a
	if len(a.ColumnTimes) == MaxUtilizationColumns {
		r.halve()
		// col is half of a column of the new span: it waits for the other
		// half in pending.
		if r.pending == nil {
			r.pending = make([]uint32, a.Nodes)
		}
		for i, l := range col {
			r.pending[i] = uint32(l) * uint32(a.Span/2)
		}
		r.pendingN = a.Span / 2
		return
	}
	a.Levels = append(a.Levels, col...)
	a.ColumnTimes = append(a.ColumnTimes, t)
}

// halve merges the matrix's columns pairwise (their mean level, rounded)
// and doubles Span.
func (r *AnatomyRecorder) halve() {
	a := &r.a
	n := a.Nodes
	half := len(a.ColumnTimes) / 2
	for c := range half {
		x, y, dst := a.Levels[2*c*n:(2*c+1)*n], a.Levels[(2*c+1)*n:(2*c+2)*n], a.Levels[c*n:(c+1)*n]
		for i := range dst {
			dst[i] = uint8((uint16(x[i]) + uint16(y[i]) + 1) / 2)
		}
		a.ColumnTimes[c] = a.ColumnTimes[2*c+1]
	}
	a.Levels = a.Levels[:half*n]
	a.ColumnTimes = a.ColumnTimes[:half]
	a.Span *= 2
}

// Anatomy returns what was recorded so far; a column still being filled
// (Span > 1) is included as a last, shorter column. The recorder may go
// on recording: the result does not change.
func (r *AnatomyRecorder) Anatomy() *Anatomy {
	a := r.a
	a.Times = slices.Clip(a.Times)
	a.DeclarationsTrue, a.DeclarationsFalse = slices.Clip(a.DeclarationsTrue), slices.Clip(a.DeclarationsFalse)
	a.SaturatedNodes, a.FirstSaturations = slices.Clip(a.SaturatedNodes), slices.Clip(a.FirstSaturations)
	a.FirstSaturation = slices.Clone(a.FirstSaturation)
	a.ColumnTimes, a.Levels = slices.Clone(a.ColumnTimes), slices.Clone(a.Levels) // halve rewrites them in place
	if r.pendingN > 0 {
		n := uint32(r.pendingN)
		col := make([]uint8, a.Nodes)
		for i, s := range r.pending {
			col[i] = uint8((s + n/2) / n)
		}
		a.Levels = append(a.Levels, col...)
		a.ColumnTimes = append(a.ColumnTimes, a.Times[len(a.Times)-1])
	}
	return &a
}
