package plots

import (
	"testing"

	"github.com/gossipsim/gossipsim/models/metrics"
)

// TestWrongViewZoneLines: a series with per-zone fractions draws one legend
// entry per zone and scales the panel to the highest zone (a cut-off zone
// is wronger than the fleet); without zones, or with more zones than
// colours, it draws the fleet's line only.
func TestWrongViewZoneLines(t *testing.T) {
	series := func(zones int) []metrics.Sample {
		s := syntheticStorm()
		for i := range s {
			if zones > 0 {
				s[i].WrongViewFractionByZone = make([]float64, zones)
				s[i].WrongViewFractionByZone[0] = 2 * s[i].WrongViewFraction // peak 0.6
			}
		}
		return s
	}
	tests := []struct {
		name    string
		zones   int
		entries int
		ymax    float64
	}{
		{"no zones", 0, 1, 30 * 1.05},
		{"three zones", 3, 4, 60 * 1.05},
		{"too many zones", len(zoneColours) + 1, 1, 30 * 1.05},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			panels, err := wrongViewPanels(series(tc.zones), nil)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(panels[0].legend.entries); n != tc.entries {
				t.Errorf("%d legend entries, want %d", n, tc.entries)
			}
			if got := panels[0].plot.Y.Max; got < tc.ymax*0.999 || got > tc.ymax*1.001 {
				t.Errorf("y max %g, want %g", got, tc.ymax)
			}
		})
	}
}
