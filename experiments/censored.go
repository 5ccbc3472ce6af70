package experiments

import (
	"fmt"
	"math"
)

// The metrics whose null is a censored run, not a missing one: the figures
// count those runs beside the values they draw.
//
//   - recovery_time_s: a triggered run neither recovered nor harmless by
//     the horizon (PointStats.Censored);
//   - convergence_after_heal_s: a run whose schedule healed before the
//     horizon (heal_time_s not null) but whose views were not all right
//     for good by then.

// censoredRuns is the number of point p's runs censored for metric m (0
// for a metric without censoring).
func censoredRuns(t PointTable, p PointStats, m int) int {
	switch t.Metrics[m] {
	case "recovery_time_s":
		return p.Censored
	case "convergence_after_heal_s":
		heal := t.Metric("heal_time_s")
		if heal < 0 {
			return 0
		}
		n := 0
		for k, v := range p.Values[m] {
			if math.IsNaN(v) && !math.IsNaN(p.Values[heal][k]) {
				n++
			}
		}
		return n
	}
	return 0
}

// anyCensoredFor reports whether some point has a run censored for metric m.
func anyCensoredFor(t PointTable, m int) bool {
	for _, p := range t.Points {
		if censoredRuns(t, p, m) > 0 {
			return true
		}
	}
	return false
}

// noHealNote says how many of a point's runs had no heal to converge
// after (no partition or crash window, one that never ends, or a heal
// after the horizon), e.g. " (4 without a heal)", or "".
func noHealNote(t PointTable, p PointStats) string {
	heal := t.Metric("heal_time_s")
	if heal < 0 {
		return ""
	}
	n := 0
	for _, v := range p.Values[heal] {
		if math.IsNaN(v) {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d without a heal)", n)
}
