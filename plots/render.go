package plots

import (
	"errors"
	"fmt"
	"math"

	"github.com/gossipsim/gossipsim/internal/atomicfile"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// panel is one plot of a stacked figure plus the legend drawn above it.
type panel struct {
	plot   *plot.Plot
	legend *flowLegend
	// side, if not nil, is drawn in a column to the right of the panel
	// (e.g. the colour bar of a heat map).
	side sideItem
	// strip, if not nil, is drawn between the legend and the data area,
	// across the data area's width (e.g. the milestone labels of a
	// Timeline).
	strip stripItem
}

// sideItem is something drawn in the column to the right of a panel.
type sideItem interface {
	// width returns the width the item needs.
	width() vg.Length
	// draw draws the item into c, which spans the column from the top to
	// the bottom of the panel's data area.
	draw(c draw.Canvas)
}

// stripItem is something drawn in a band above a panel's data area that
// needs the panel's x axis, such as labels of vertical lines.
type stripItem interface {
	// height returns the height of the band over the data area data of p.
	height(p *plot.Plot, data draw.Canvas) vg.Length
	// draw draws the band into c (as wide as the data area data of p).
	draw(c draw.Canvas, p *plot.Plot, data draw.Canvas)
}

// Figure margins and gaps, in points.
const (
	marginPt    = 8
	titleGapPt  = 6
	panelGapPt  = 10
	sideGapPt   = 10
	stripGapPt  = 2
	xAxisPt     = 34 // height of a labelled x axis, for wrapping y labels
	bareXAxisPt = 16 // height of an x axis without labels
)

// size returns the size and resolution that opt asks for of a figure of
// the given number of stacked panels, with defaults filled in.
func (opt Options) size(panels int) (w, h vg.Length, dpi int, err error) {
	wi, hi, d := opt.WidthInches, opt.HeightInches, opt.DPI
	if wi == 0 {
		wi = DefaultWidthInches
	}
	if hi == 0 {
		hi = DefaultHeightInches + DefaultPanelInches*float64(max(0, panels-1))
	}
	if d == 0 {
		d = DefaultDPI
	}
	if err := opt.Check(); err != nil {
		return 0, 0, 0, err
	}
	if !(wi > 0) || !(hi > 0) || math.IsInf(wi, 0) || math.IsInf(hi, 0) {
		return 0, 0, 0, fmt.Errorf("invalid figure size %gx%g in", opt.WidthInches, opt.HeightInches)
	}
	if px := wi * hi * float64(d) * float64(d); opt.format() == PNG && px > maxPixels {
		return 0, 0, 0, fmt.Errorf("figure of %gx%g in at %d dpi is %.0f pixels, more than the limit of %d", wi, hi, d, px, maxPixels)
	}
	if wi < minWidthInches || hi < minHeightInches {
		return 0, 0, 0, fmt.Errorf("figure of %gx%g in is too small to draw (need at least %gx%g in)", wi, hi, minWidthInches, minHeightInches)
	}
	return vg.Length(wi) * vg.Inch, vg.Length(hi) * vg.Inch, d, nil
}

// PixelSize returns the width and height in pixels of the PNG files that
// the figure functions write for opt: those of one panel (the sweep
// figures). With HeightInches 0, figures of stacked panels are taller:
// see PanelsPixelSize.
func (opt Options) PixelSize() (width, height int, err error) {
	return opt.PanelsPixelSize(1)
}

// PanelsPixelSize returns the width and height in pixels of a PNG figure
// of the given number of stacked panels (GossipVolume, CompareRuns and
// Timeline have 2, WrongView 2 or 3) that the figure functions write for
// opt.
func (opt Options) PanelsPixelSize(panels int) (width, height int, err error) {
	w, h, dpi, err := opt.size(panels)
	if err != nil {
		return 0, 0, fmt.Errorf("plots: %w", err)
	}
	return int(float64(w/vg.Inch)*float64(dpi) + 0.5), int(float64(h/vg.Inch)*float64(dpi) + 0.5), nil
}

// render draws the panels stacked top to bottom under title (wrapped to
// the figure's width), each with its legend above it, and returns the
// file's bytes in the format opt asks for.
func render(title string, panels []panel, opt Options) (out []byte, err error) {
	w, h, dpi, err := opt.size(len(panels))
	if err != nil {
		return nil, err
	}
	// gonum/plot reports some drawing problems by panicking; turn them
	// into errors so that a bad figure never takes the caller down.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("drawing failed: %v", r)
		}
	}()

	cv, err := newCanvas(opt, w, h, dpi)
	if err != nil {
		return nil, err
	}
	dc := draw.New(cv)
	area := draw.Crop(dc, vg.Points(marginPt), -vg.Points(marginPt), vg.Points(marginPt), -vg.Points(marginPt))

	if title != "" {
		sty := text.Style{
			Color:   colBlack,
			Font:    font.From(boldFont, titleSize),
			XAlign:  draw.XCenter,
			YAlign:  draw.YTop,
			Handler: plot.DefaultTextHandler,
		}
		title = wrapText(sty, title, area.Max.X-area.Min.X)
		area.FillText(sty, vg.Point{X: area.Center().X, Y: area.Max.Y}, title)
		th := sty.Rectangle(title).Size().Y
		area = draw.Crop(area, 0, 0, 0, -(th + vg.Points(titleGapPt)))
	}

	// The side column is as wide as the widest side item.
	sideW := vg.Length(0)
	for i := range panels {
		if panels[i].side != nil {
			sideW = vg.Length(math.Max(float64(sideW), float64(panels[i].side.width()+vg.Points(sideGapPt))))
		}
	}
	plotArea := draw.Crop(area, 0, -sideW, 0, 0)
	wrapYLabels(panels, plotArea)

	rows := make([][]*plot.Plot, len(panels))
	for i := range panels {
		rows[i] = []*plot.Plot{panels[i].plot}
	}
	tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadY: vg.Points(panelGapPt)}
	canvases := plot.Align(rows, tiles, plotArea)
	for i := range panels {
		pn, p, tile := &panels[i], panels[i].plot, canvases[i][0]
		data := p.DataCanvas(tile)
		legendW := plotArea.Max.X - data.Min.X
		top := vg.Length(0)
		if lh := pn.legend.height(legendW); lh > 0 {
			top = lh + vg.Points(legendBelowPt)
		}
		stripH := vg.Length(0)
		if pn.strip != nil {
			stripH = pn.strip.height(p, data)
		}
		cropped := draw.Crop(tile, 0, 0, 0, -(top + stripH))
		p.Draw(cropped)
		data = p.DataCanvas(cropped)
		pn.legend.draw(dc, data.Min.X, tile.Max.Y, legendW)
		if pn.strip != nil && stripH > 0 {
			band := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: data.Min.X, Y: tile.Max.Y - top - stripH},
				Max: vg.Point{X: data.Max.X, Y: tile.Max.Y - top},
			}}
			pn.strip.draw(band, p, data)
		}
		if pn.side != nil {
			pn.side.draw(draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: data.Max.X + vg.Points(sideGapPt), Y: data.Min.Y},
				Max: vg.Point{X: area.Max.X, Y: data.Max.Y},
			}})
		}
	}
	return cv.encode()
}

// wrapYLabels breaks each panel's y-axis label onto several lines where it
// would be longer than its panel is high (estimated before layout: the
// panel's share of the area, less its legend and x axis).
func wrapYLabels(panels []panel, area draw.Canvas) {
	n := vg.Length(len(panels))
	tileH := (area.Max.Y - area.Min.Y - vg.Points(panelGapPt)*(n-1)) / n
	for i := range panels {
		p := panels[i].plot
		avail := tileH - panels[i].legend.height(area.Max.X-area.Min.X-vg.Points(50))
		if p.X.Label.Text != "" {
			avail -= vg.Points(xAxisPt)
		} else {
			avail -= vg.Points(bareXAxisPt)
		}
		sty := p.Y.Label.TextStyle
		if avail > vg.Points(30) && sty.Width(p.Y.Label.Text) > avail {
			p.Y.Label.Text = wrapText(sty, p.Y.Label.Text, avail)
		}
	}
}

// writeAtomic writes data to path through a temporary file in the same
// directory, so that path either keeps its old content or gets all of the
// new content, durably (file and directory fsynced), with mode 0644 less
// the umask. On failure the temporary file is removed.
func writeAtomic(path string, data []byte) error {
	if path == "" {
		return errors.New("empty path")
	}
	return atomicfile.WriteFile(path, data)
}

// renderAndWrite renders the panels and writes the file to path, wrapping
// any error with the path.
func renderAndWrite(path, title string, panels []panel, opt Options) error {
	if err := opt.checkPath(path); err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	data, err := render(title, panels, opt)
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	if err := writeAtomic(path, data); err != nil {
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	return nil
}
