package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// niceStep returns a step of the form {1, 2, 2.5, 5}×10^k that divides span
// into at most about target intervals.
func niceStep(span float64, target int) float64 {
	if !(span > 0) || math.IsInf(span, 0) || target < 1 {
		return 1
	}
	raw := span / float64(target)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw*(1-1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// decimalsFor returns the number of decimals needed to print multiples of
// step exactly.
func decimalsFor(step float64) int {
	for d := 0; d < 12; d++ {
		x := step * math.Pow(10, float64(d))
		if math.Abs(x-math.Round(x)) < 1e-6*math.Max(1, math.Abs(x)) {
			return d
		}
	}
	return 12
}

// siScale picks a suffix for tick labels on an axis whose largest absolute
// value is maxAbs: values below 10 000 are printed in full, larger ones as
// thousands (k), millions (M) or billions (G).
func siScale(maxAbs float64) (scale float64, suffix string) {
	switch {
	case maxAbs >= 1e10:
		return 1e9, "G"
	case maxAbs >= 1e7:
		return 1e6, "M"
	case maxAbs >= 1e4:
		return 1e3, "k"
	}
	return 1, ""
}

// formatTick prints v, a multiple of step, with the decimals step needs,
// divided by scale and followed by suffix.
func formatTick(v, step, scale float64, suffix string) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v/scale, 'f', decimalsFor(step/scale), 64) + suffix
}

// linearTicker returns evenly spaced major ticks at nice values. If
// hideLabels is true the ticks carry no labels (for panels whose x axis
// is shared with the panel below). If useSI is true large values are
// abbreviated with k/M/G suffixes.
func linearTicker(target int, hideLabels, useSI bool) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		step := niceStep(max-min, target)
		scale, suffix := 1.0, ""
		if useSI {
			scale, suffix = siScale(math.Max(math.Abs(min), math.Abs(max)))
		}
		first := math.Ceil(min/step - 1e-9)
		var ticks []plot.Tick
		for i := 0; i <= 4*target+4; i++ {
			v := (first + float64(i)) * step
			if v > max+step*1e-9 {
				break
			}
			if math.Abs(v) < step*1e-9 {
				v = 0
			}
			// plot.Tick treats an empty label as a minor tick (no grid
			// line), so hidden labels are a single blank.
			t := plot.Tick{Value: v, Label: " "}
			if !hideLabels {
				t.Label = formatTick(v, step, scale, suffix)
			}
			ticks = append(ticks, t)
		}
		return ticks
	})
}

// logTicker returns ticks for an axis that carries log10 of the data (see
// gossipVolumePanels: gonum's own LogScale misplaces the axis label): a
// labelled major at every decade (and at 2 and 5 times each decade when the
// axis spans fewer than three decades), unlabelled minors in between. min and
// max are exponents.
func logTicker(hideLabels bool) plot.Ticker {
	return logTickerFormat(hideLabels, func(v float64, _ bool) string { return formatLogTick(v) })
}

// logTickerFormat is logTicker with the labels printed by format, which is
// told whether the axis reaches outside [0.001, 100000] (so that all labels
// of an axis can share one notation).
func logTickerFormat(hideLabels bool, format func(v float64, wide bool) string) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		if !(max > min) {
			return nil
		}
		lo := int(math.Floor(min + 1e-9))
		hi := int(math.Ceil(max - 1e-9))
		dense := hi-lo < 3
		wide := min < -3-1e-9 || max > 5+1e-9
		var ticks []plot.Tick
		for e := lo; e <= hi; e++ {
			for m := 1; m <= 9; m++ {
				pos := float64(e) + math.Log10(float64(m))
				if pos < min-1e-9 || pos > max+1e-9 {
					continue
				}
				major := m == 1 || (dense && (m == 2 || m == 5))
				t := plot.Tick{Value: pos}
				if major {
					t.Label = " " // major, but unlabelled
					if !hideLabels {
						t.Label = format(float64(m)*math.Pow(10, float64(e)), wide)
					}
				}
				ticks = append(ticks, t)
			}
		}
		return ticks
	})
}

// formatLogTick prints a value of the form m×10^e compactly: 0.05, 2, 500,
// 10k, 2M.
func formatLogTick(v float64) string {
	scale, suffix := siScale(v)
	x := v / scale
	return strconv.FormatFloat(x, 'f', decimalsFor(x), 64) + suffix
}
