package plots

import (
	"image/color"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Okabe-Ito colour-blind-safe palette.
var (
	colBlue       = color.RGBA{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF}
	colVermillion = color.RGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF}
	colGreen      = color.RGBA{R: 0x00, G: 0x9E, B: 0x73, A: 0xFF}
	colOrange     = color.RGBA{R: 0xE6, G: 0x9F, B: 0x00, A: 0xFF}
	colPurple     = color.RGBA{R: 0xCC, G: 0x79, B: 0xA7, A: 0xFF}
	colSky        = color.RGBA{R: 0x56, G: 0xB4, B: 0xE9, A: 0xFF}
	colYellow     = color.RGBA{R: 0xF0, G: 0xE4, B: 0x42, A: 0xFF}
	colBlack      = color.RGBA{A: 0xFF}
	colGrey       = color.RGBA{R: 0x66, G: 0x66, B: 0x66, A: 0xFF}
	colGrid       = color.RGBA{R: 0xDD, G: 0xDD, B: 0xDD, A: 0xFF}
	colWhite      = color.RGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xFF}
)

// lineColours are the Okabe-Ito colours given, in order, to the lines of a
// figure with several series (the same order as the time-series figures;
// yellow, the least visible on white, comes last).
var lineColours = []color.RGBA{colBlue, colVermillion, colGreen, colOrange, colPurple, colSky, colBlack, colYellow}

// Sizes of text and lines, in points.
const (
	titleSize     = 12
	axisLabelSize = 10
	tickLabelSize = 9
	legendSize    = 9.5
	lineWidth     = 1.5
	markerWidth   = 1.2
)

// Figure geometry.
const (
	defaultWidthInches  = 10.0
	defaultHeightInches = 7.0
	defaultDPI          = 150
	// maxPixels bounds the image size so that a mistyped DPI cannot
	// exhaust memory.
	maxPixels = 100_000_000
)

var (
	regularFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	boldFont    = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

// markerStyles are cycled through for successive markers, so that several
// markers on one figure can be told apart in black and white.
var markerStyles = []draw.LineStyle{
	{Color: colBlack, Width: vg.Points(markerWidth), Dashes: []vg.Length{vg.Points(6), vg.Points(3)}},
	{Color: colGrey, Width: vg.Points(markerWidth), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}},
	{Color: colBlack, Width: vg.Points(markerWidth), Dashes: []vg.Length{vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}},
	{Color: colGrey, Width: vg.Points(markerWidth), Dashes: []vg.Length{vg.Points(10), vg.Points(4)}},
}

// seriesStyle returns the line style for a data series of the given colour.
func seriesStyle(c color.Color) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(lineWidth)}
}

// newPanel returns a plot styled for one panel of a figure, with the given
// y-axis label. The x axis is labelled only if showX is true; otherwise its
// tick labels are hidden too, since panels share the time axis.
func newPanel(yLabel string, showX bool) *plot.Plot {
	p := plot.New()
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(regularFont, axisLabelSize)
		ax.Tick.Label.Font = font.From(regularFont, tickLabelSize)
		ax.Tick.Length = vg.Points(4)
		ax.Padding = 0
	}
	p.Y.Label.Text = yLabel
	if showX {
		p.X.Label.Text = "simulated time (s)"
	}
	grid := plotter.NewGrid()
	grid.Vertical = draw.LineStyle{Color: colGrid, Width: vg.Points(0.5)}
	grid.Horizontal = draw.LineStyle{Color: colGrid, Width: vg.Points(0.5)}
	p.Add(grid)
	return p
}

// newLegend returns an empty legend styled for the column to the right of
// the panels.
func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font = font.From(regularFont, legendSize)
	l.Top = true
	l.Left = true
	l.ThumbnailWidth = vg.Points(24)
	l.Padding = vg.Points(3)
	l.YPosition = draw.PosCenter
	return l
}
