package plots

import (
	"image/color"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gossipsim/gossipsim/models/mitigation"
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

// Colours of the series kinds that several figures show, so that a kind
// has one colour in every figure: gossip volume (the fleet's total
// messages or bytes) is blue, failure notices and wrong views vermillion,
// the busiest node green, mean utilization blue, the busiest node's
// utilization orange, queue drops purple.
var (
	colFleetTotal  = colBlue
	colFailure     = colVermillion
	colBusiest     = colGreen
	colWrongViews  = colVermillion
	colMeanUtil    = colBlue
	colBusiestUtil = colOrange
	colDrops       = colPurple
)

// zoneColours are the colours of the per-zone wrong-view lines: the
// line colours without the fleet's (colWrongViews), so a fleet of more
// zones than these draws no zone lines.
var zoneColours = []color.RGBA{colBlue, colGreen, colOrange, colPurple, colSky, colBlack, colYellow}

// zoneDashes is zone z's dash pattern: dashes of a length of its own and
// gaps as long, so that the lines of zones that agree interleave.
func zoneDashes(z int) []vg.Length {
	on := vg.Points(2 + 2*float64(z))
	return []vg.Length{on, on}
}

// MitigationColour returns the colour that every figure gives the
// mitigation preset name: the registry's (models/mitigation), one of the
// colour-blind-safe Okabe-Ito colours, a different one for each preset.
// For any other name it returns nil.
func MitigationColour(name string) color.Color {
	if c, ok := mitigation.Colour(name); ok {
		return c
	}
	return nil
}

// runColours returns one colour per label: the mitigation colour for a
// mitigation name, else the first colour of lineColours that no other
// label has (cycling if all are taken).
func runColours(labels []string) []color.RGBA {
	out := make([]color.RGBA, len(labels))
	used := map[color.RGBA]bool{}
	for i, l := range labels {
		if c, ok := mitigation.Colour(l); ok {
			out[i] = c
			used[c] = true
		}
	}
	next := 0
	for i, l := range labels {
		if _, ok := mitigation.Colour(l); ok {
			continue
		}
		for next < len(lineColours) && used[lineColours[next]] {
			next++
		}
		if next < len(lineColours) {
			out[i] = lineColours[next]
			used[out[i]] = true
		} else {
			out[i] = lineColours[i%len(lineColours)]
		}
	}
	return out
}

// Sizes of text and lines, in points. They are chosen for the default
// figure width of 6.5 inches, the width of a text column on a US letter or
// A4 page with 1-inch margins: placed at its natural width in a report, a
// figure shows its tick labels and legends at 9 pt, its axis labels at
// 10 pt, like the report's own captions and footnotes, and data lines at
// 1.5 pt.
const (
	titleSize     = 11
	axisLabelSize = 10
	tickLabelSize = 9
	legendSize    = 9
	lineWidth     = 1.5
	markerWidth   = 1.2
)

// Figure geometry.
const (
	// DefaultWidthInches and DefaultHeightInches are the figure size when
	// Options leaves it at 0: one report column wide. A figure of stacked
	// panels is DefaultPanelInches taller for each panel after the first.
	DefaultWidthInches  = 6.5
	DefaultHeightInches = 4.5
	DefaultPanelInches  = 1.0
	// DefaultDPI is the PNG resolution when Options.DPI is 0.
	DefaultDPI = 150
	// minWidthInches and minHeightInches are the smallest figure drawn.
	minWidthInches  = 2.0
	minHeightInches = 1.5
	// maxPixels bounds the image size so that a mistyped size cannot
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
