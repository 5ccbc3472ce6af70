package metrics

import (
	"math"
	"slices"
	"testing"
)

// TestUtilizationLevel: a level reads back within half a step of the
// utilization, and counts as saturated exactly when the utilization was
// at or above SaturationThreshold.
func TestUtilizationLevel(t *testing.T) {
	for _, u := range []float64{0, 0.001, 0.002, 0.5, 0.9879, 0.988, 0.9881, 0.989, 0.98999999, 0.99, 0.9901, 0.992, 0.998, 1, -0.1, 1.2} {
		l := UtilizationLevel(u)
		got := LevelUtilization(l)
		want := min(1, max(0, u))
		if math.Abs(got-want) > 0.5/UtilizationLevels+1e-12 {
			t.Errorf("u = %g: level %d reads %g, more than half a step (%g) away", u, l, got, 0.5/UtilizationLevels)
		}
		if sat := got >= SaturationThreshold; sat != (u >= SaturationThreshold) {
			t.Errorf("u = %g: level %d reads %g, saturated %v; want %v", u, l, got, sat, u >= SaturationThreshold)
		}
	}
}

// record feeds r one sample: utils per node, the counters at t.
func record(r *AnatomyRecorder, t float64, utils []float64, decl, fals int64) {
	for i, u := range utils {
		r.Node(i, u)
	}
	r.EndSample(t, decl, fals)
}

// TestAnatomyRecorder: per-sample series, first saturations and the
// matrix of a few samples.
func TestAnatomyRecorder(t *testing.T) {
	r := NewAnatomyRecorder(3)
	record(r, 1, []float64{0.1, 0.5, 0.2}, 0, 0)
	record(r, 2, []float64{1, 0.5, 0.2}, 3, 1)
	record(r, 3, []float64{0.4, 0.995, 1}, 10, 8)
	record(r, 4, []float64{1, 1, 0.3}, 10, 8)
	a := r.Anatomy()
	if want := []float64{1, 2, 3, 4}; !slices.Equal(a.Times, want) {
		t.Errorf("times %v, want %v", a.Times, want)
	}
	if want := []int64{0, 2, 0, 0}; !slices.Equal(a.DeclarationsTrue, want) {
		t.Errorf("true declarations %v, want %v", a.DeclarationsTrue, want)
	}
	if want := []int64{0, 1, 7, 0}; !slices.Equal(a.DeclarationsFalse, want) {
		t.Errorf("false declarations %v, want %v", a.DeclarationsFalse, want)
	}
	if want := []int32{0, 1, 2, 2}; !slices.Equal(a.SaturatedNodes, want) {
		t.Errorf("saturated nodes %v, want %v", a.SaturatedNodes, want)
	}
	if want := []int32{0, 1, 2, 0}; !slices.Equal(a.FirstSaturations, want) {
		t.Errorf("first saturations %v, want %v", a.FirstSaturations, want)
	}
	if want := []int32{1, 2, 2}; !slices.Equal(a.FirstSaturation, want) {
		t.Errorf("first saturation per node %v, want %v", a.FirstSaturation, want)
	}
	if want := []int{0, 1, 2}; !slices.Equal(a.SaturationOrder(), want) {
		t.Errorf("saturation order %v, want %v", a.SaturationOrder(), want)
	}
	if ft, ok := a.FirstSaturationTime(); !ok || ft != 2 {
		t.Errorf("first saturation at %g (%v), want 2", ft, ok)
	}
	if got := a.SaturatedAt(3.5); got != 2 {
		t.Errorf("saturated at 3.5 s: %d, want 2", got)
	}
	if a.Span != 1 || len(a.ColumnTimes) != 4 || a.Utilization(1, 2) != 0.996 || a.Utilization(2, 0) != 0.2 {
		t.Errorf("span %d, %d columns, node 1 in column 2 %g (want 0.996), node 2 in column 0 %g (want 0.2)",
			a.Span, len(a.ColumnTimes), a.Utilization(1, 2), a.Utilization(2, 0))
	}
}

// TestAnatomyCoarsens: a run of more samples than MaxUtilizationColumns
// keeps at most that many columns, each the mean of Span samples, and
// every sample in the per-sample series; what Anatomy returned earlier
// does not change as the recorder goes on.
func TestAnatomyCoarsens(t *testing.T) {
	r := NewAnatomyRecorder(2)
	var early *Anatomy
	samples := 5*MaxUtilizationColumns/2 + 3
	for k := range samples {
		u := 0.2 // node 0: 0.2 in even samples, 0.6 in odd ones
		if k%2 == 1 {
			u = 0.6
		}
		record(r, float64(k+1), []float64{u, float64(k) / float64(samples)}, 0, 0)
		if k == MaxUtilizationColumns-1 {
			early = r.Anatomy()
		}
	}
	a := r.Anatomy()
	if len(a.Times) != samples || len(a.SaturatedNodes) != samples {
		t.Fatalf("%d times, %d saturated counts; want %d each", len(a.Times), len(a.SaturatedNodes), samples)
	}
	if a.Span != 4 {
		t.Errorf("span %d, want 4", a.Span)
	}
	cols := (samples + a.Span - 1) / a.Span
	if len(a.ColumnTimes) != cols || len(a.Levels) != 2*cols || cols > MaxUtilizationColumns {
		t.Fatalf("%d columns, %d levels; want %d and %d", len(a.ColumnTimes), len(a.Levels), cols, 2*cols)
	}
	for c := range cols - 1 {
		if got := a.Utilization(0, c); got != 0.4 {
			t.Errorf("column %d: node 0 %g, want 0.4 (the mean of 0.2 and 0.6)", c, got)
		}
		if want := float64(a.Span * (c + 1)); a.ColumnTimes[c] != want {
			t.Errorf("column %d ends at %g, want %g", c, a.ColumnTimes[c], want)
		}
		mid := (float64(c*a.Span) + float64(a.Span-1)/2) / float64(samples)
		if got := a.Utilization(1, c); math.Abs(got-mid) > 1.5/UtilizationLevels {
			t.Errorf("column %d: node 1 %g, want about %g", c, got, mid)
		}
	}
	if a.ColumnTimes[cols-1] != float64(samples) {
		t.Errorf("last column ends at %g, want %g", a.ColumnTimes[cols-1], float64(samples))
	}
	if early.Span != 1 || len(early.ColumnTimes) != MaxUtilizationColumns || early.Utilization(0, 1) != 0.6 {
		t.Errorf("the anatomy taken at %d samples changed: span %d, %d columns, node 0 in column 1 %g",
			MaxUtilizationColumns, early.Span, len(early.ColumnTimes), early.Utilization(0, 1))
	}
}

// BenchmarkAnatomySample is the recorder's cost per sample of a
// 10,000-node fleet (what the S3 model adds to each sample).
func BenchmarkAnatomySample(b *testing.B) {
	const n = 10_000
	r := NewAnatomyRecorder(n)
	utils := make([]float64, n)
	for i := range utils {
		utils[i] = float64(i%101) / 100
	}
	b.ReportAllocs()
	k := 0
	for b.Loop() {
		k++
		record(r, float64(k), utils, int64(k), int64(k/2))
	}
}
