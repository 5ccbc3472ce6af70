package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// NoSamplesText is written across the data area of a run figure drawn from
// no samples (a run stopped, e.g. by its event limit, before its first
// sample): the figure still exists and says why it is empty.
const NoSamplesText = "no samples yet"

// noSamples draws NoSamplesText in the middle of a panel's data area.
type noSamples struct{}

// Plot implements plot.Plotter.
func (noSamples) Plot(c draw.Canvas, _ *plot.Plot) {
	sty := textStyle(axisLabelSize+2, colGrey)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}, NoSamplesText)
}

// emptyPanels are the panels of a run figure without samples: one per y
// label, with the usual axes over a unit time range, and NoSamplesText in
// each data area. Markers are listed in the first panel's legend as off
// chart.
func emptyPanels(markers []Marker, yLabels ...string) []panel {
	panels := make([]panel, len(yLabels))
	for i, l := range yLabels {
		panels[i] = panel{plot: newPanel(l, i == len(yLabels)-1), legend: newLegend()}
		panels[i].plot.Add(noSamples{})
		setLinearY(panels[i].plot, 0, 1)
	}
	sr := &series{xmin: 0, xmax: 1}
	setX(panels, sr)
	addMarkers(panels, markers, sr)
	return panels
}
