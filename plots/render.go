package plots

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// panel is one plot of a stacked figure plus the legend drawn beside it.
type panel struct {
	plot   *plot.Plot
	legend plot.Legend
	// side, if not nil, is drawn in the legend column below the legend
	// (e.g. the colour bar of a heat map).
	side sideItem
}

// sideItem is something other than a legend drawn in the column to the
// right of a panel.
type sideItem interface {
	// width returns the width the item needs.
	width() vg.Length
	// draw draws the item into c, which spans the legend column from below
	// the legend to the bottom of the panel's data area.
	draw(c draw.Canvas)
}

// Figure margins and gaps, in points.
const (
	marginPt       = 10
	titleGapPt     = 6
	panelGapPt     = 8
	legendGapPt    = 12
	minLegendColPt = 60
)

// size returns the figure size and resolution that opt asks for, with
// defaults filled in.
func (opt Options) size() (w, h vg.Length, dpi int, err error) {
	wi, hi, d := opt.WidthInches, opt.HeightInches, opt.DPI
	if wi == 0 {
		wi = defaultWidthInches
	}
	if hi == 0 {
		hi = defaultHeightInches
	}
	if d == 0 {
		d = defaultDPI
	}
	if !(wi > 0) || !(hi > 0) || math.IsInf(wi, 0) || math.IsInf(hi, 0) || d < 0 {
		return 0, 0, 0, fmt.Errorf("invalid figure size %gx%g in at %d dpi", opt.WidthInches, opt.HeightInches, opt.DPI)
	}
	if px := wi * hi * float64(d) * float64(d); px > maxPixels {
		return 0, 0, 0, fmt.Errorf("figure of %gx%g in at %d dpi is %.0f pixels, more than the limit of %d", wi, hi, d, px, maxPixels)
	}
	if wi*float64(d) < 200 || hi*float64(d) < 150 {
		return 0, 0, 0, fmt.Errorf("figure of %gx%g in at %d dpi is too small to draw (need at least 200x150 pixels)", wi, hi, d)
	}
	return vg.Length(wi) * vg.Inch, vg.Length(hi) * vg.Inch, d, nil
}

// PixelSize returns the width and height in pixels of the PNG files that
// the figure functions write for opt.
func (opt Options) PixelSize() (width, height int, err error) {
	w, h, dpi, err := opt.size()
	if err != nil {
		return 0, 0, fmt.Errorf("plots: %w", err)
	}
	return int(float64(w/vg.Inch)*float64(dpi) + 0.5), int(float64(h/vg.Inch)*float64(dpi) + 0.5), nil
}

// render draws the panels stacked top to bottom under title, each with its
// legend in a column on the right, and returns the PNG encoding.
func render(title string, panels []panel, opt Options) (out []byte, err error) {
	w, h, dpi, err := opt.size()
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

	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
	dc := draw.New(img)
	area := draw.Crop(dc, vg.Points(marginPt), -vg.Points(marginPt), vg.Points(marginPt), -vg.Points(marginPt))

	if title != "" {
		sty := text.Style{
			Color:   colBlack,
			Font:    font.From(boldFont, titleSize),
			XAlign:  draw.XCenter,
			YAlign:  draw.YTop,
			Handler: plot.DefaultTextHandler,
		}
		area.FillText(sty, vg.Point{X: area.Center().X, Y: area.Max.Y}, title)
		th := sty.Rectangle(title).Size().Y
		area = draw.Crop(area, 0, 0, 0, -(th + vg.Points(titleGapPt)))
	}

	// The legend column is as wide as the widest legend.
	legendW := vg.Points(minLegendColPt)
	for i := range panels {
		if lw := panels[i].legend.Rectangle(area).Size().X; lw > legendW {
			legendW = lw
		}
		if panels[i].side != nil {
			if sw := panels[i].side.width(); sw > legendW {
				legendW = sw
			}
		}
	}
	plotArea := draw.Crop(area, 0, -(legendW + vg.Points(legendGapPt)), 0, 0)

	rows := make([][]*plot.Plot, len(panels))
	for i := range panels {
		rows[i] = []*plot.Plot{panels[i].plot}
	}
	tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadY: vg.Points(panelGapPt)}
	canvases := plot.Align(rows, tiles, plotArea)
	for i := range panels {
		p := panels[i].plot
		p.Draw(canvases[i][0])
		data := p.DataCanvas(canvases[i][0])
		legendArea := draw.Canvas{
			Canvas: dc.Canvas,
			Rectangle: vg.Rectangle{
				Min: vg.Point{X: data.Max.X + vg.Points(legendGapPt), Y: data.Min.Y},
				Max: vg.Point{X: area.Max.X, Y: data.Max.Y},
			},
		}
		panels[i].legend.Draw(legendArea)
		if panels[i].side != nil {
			if lh := panels[i].legend.Rectangle(legendArea).Size().Y; lh > 0 {
				legendArea.Max.Y -= lh + vg.Points(legendGapPt)
			}
			panels[i].side.draw(legendArea)
		}
	}

	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encoding PNG: %w", err)
	}
	if opt.Provenance != "" {
		return withTextChunk(buf.Bytes(), "gossipsim", opt.Provenance)
	}
	return buf.Bytes(), nil
}

// writeAtomic writes data to path through a temporary file in the same
// directory, so that path either keeps its old content or gets all of the
// new content. On failure the temporary file is removed.
func writeAtomic(path string, data []byte) (err error) {
	if path == "" {
		return errors.New("empty path")
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	closed := false
	defer func() {
		if err != nil {
			if !closed {
				f.Close()
			}
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	closed = true
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// renderAndWrite renders the panels and writes the PNG to path, wrapping
// any error with the path.
func renderAndWrite(path, title string, panels []panel, opt Options) error {
	data, err := render(title, panels, opt)
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	if err := writeAtomic(path, data); err != nil {
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	return nil
}
