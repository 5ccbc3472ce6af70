package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// colNaN is the colour of heat-map cells without a value; no colour of the
// viridis scale is grey.
var colNaN = color.RGBA{R: 0xC8, G: 0xC8, B: 0xC8, A: 0xFF}

// viridisStops are ten evenly spaced colours of the viridis scale (as
// published for matplotlib and R's viridis(10)); viridis interpolates
// between them. Viridis is perceptually uniform, readable in grey scale
// and by colour-blind readers.
var viridisStops = []color.RGBA{
	{R: 0x44, G: 0x01, B: 0x54, A: 0xFF},
	{R: 0x48, G: 0x28, B: 0x78, A: 0xFF},
	{R: 0x3E, G: 0x4A, B: 0x89, A: 0xFF},
	{R: 0x31, G: 0x68, B: 0x8E, A: 0xFF},
	{R: 0x26, G: 0x82, B: 0x8E, A: 0xFF},
	{R: 0x1F, G: 0x9E, B: 0x89, A: 0xFF},
	{R: 0x35, G: 0xB7, B: 0x79, A: 0xFF},
	{R: 0x6D, G: 0xCD, B: 0x59, A: 0xFF},
	{R: 0xB4, G: 0xDE, B: 0x2C, A: 0xFF},
	{R: 0xFD, G: 0xE7, B: 0x25, A: 0xFF},
}

// viridis returns the viridis colour at t in [0, 1] (clamped).
func viridis(t float64) color.RGBA {
	if !(t > 0) {
		return viridisStops[0]
	}
	if t >= 1 {
		return viridisStops[len(viridisStops)-1]
	}
	f := t * float64(len(viridisStops)-1)
	i := int(f)
	f -= float64(i)
	a, b := viridisStops[i], viridisStops[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*f)) }
	return color.RGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xFF}
}

// textOn returns black or white, whichever contrasts more with the
// background c (WCAG relative luminance).
func textOn(c color.RGBA) color.RGBA {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
	if (l+0.05)/0.05 > 1.05/(l+0.05) {
		return colBlack
	}
	return colWhite
}

// HeatMap writes to path a figure of z over a grid: one coloured cell per
// (x, y) pair, z[r][c] being the value at ys[r] and xs[c], with the value
// printed in the cell (three significant digits, in one font size for all
// cells; left out only when the cells are too small for 6 pt text).
// Columns run left to right and rows bottom to top in the order given; all
// cells are equally wide and high whatever the spacing of the values (so
// log-spaced values need no LogX or LogY, which HeatMap ignores), and each
// tick is labelled with the grid value itself. Colours follow the
// colour-blind-safe viridis scale from the smallest to the largest finite z,
// on a log10 scale if every value is positive and the largest is at least
// 100 times the smallest (the colour bar's label then ends in
// "(log scale)"). The colour bar, labelled zLabel, sits in the right-hand
// column. Cells whose value is NaN or infinite are grey and labelled "n/a".
// The file is replaced atomically; on error no file is left behind.
func HeatMap(path string, xs, ys []float64, z [][]float64, opt SweepOptions, zLabel string) error {
	pn, err := heatPanel(xs, ys, z, opt, zLabel)
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	return renderAndWrite(path, opt.title(), []panel{pn}, opt.Options)
}

// heatPanel builds the single panel of HeatMap.
func heatPanel(xs, ys []float64, z [][]float64, opt SweepOptions, zLabel string) (panel, error) {
	if len(xs) == 0 || len(ys) == 0 {
		return panel{}, fmt.Errorf("grid of %d x values by %d y values: %w", len(xs), len(ys), ErrNoData)
	}
	if len(z) != len(ys) {
		return panel{}, fmt.Errorf("z has %d rows, ys has %d values", len(z), len(ys))
	}
	zmin, zmax := math.Inf(1), math.Inf(-1)
	anyNaN := false
	for r, row := range z {
		if len(row) != len(xs) {
			return panel{}, fmt.Errorf("z row %d has %d values, xs has %d", r, len(row), len(xs))
		}
		for _, v := range row {
			if finite(v) {
				zmin, zmax = math.Min(zmin, v), math.Max(zmax, v)
			} else {
				anyNaN = true
			}
		}
	}
	sc := zScale{min: zmin, max: zmax}
	anyFinite := zmin <= zmax
	switch {
	case !anyFinite:
		sc.min, sc.max = 0, 1
	case zmin == zmax:
		d := math.Max(math.Abs(zmin)*0.1, 0.5)
		sc.min, sc.max = zmin-d, zmax+d
	case zmin > 0 && zmax >= logZRatio*zmin:
		sc.log = true
	}

	pn := newSweepPanel(opt, false, false)
	p := pn.plot
	p.X.Min, p.X.Max = -0.5, float64(len(xs))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(ys))-0.5
	p.X.Tick.Marker = categoryTicks(xs, 25)
	p.Y.Tick.Marker = categoryTicks(ys, 40)
	p.Add(&heatCells{z: z, scale: sc})
	if anyNaN {
		pn.legend.Add("n/a: no value", thumb(func(c *draw.Canvas) {
			mid := c.Center()
			h := (c.Max.Y - c.Min.Y) * 0.5
			r := vg.Rectangle{Min: vg.Point{X: mid.X - h*1.4, Y: mid.Y - h}, Max: vg.Point{X: mid.X + h*1.4, Y: mid.Y + h}}
			c.SetColor(colNaN)
			c.Fill(r.Path())
		}))
	}
	if sc.log {
		if zLabel == "" {
			zLabel = "log scale"
		} else {
			zLabel += " (log scale)"
		}
	}
	if anyFinite {
		pn.side = &colourBar{scale: sc, label: zLabel}
	}
	return pn, nil
}

// categoryTicks returns a tick at each index 0..len(vals)-1 labelled with
// the value there; with more than max values only every k-th is labelled.
// If some value needs scientific notation, all labels use it.
func categoryTicks(vals []float64, max int) plot.Ticker {
	format := formatParam
	for _, v := range vals {
		if a := math.Abs(v); finite(v) && v != 0 && (a < 1e-3 || a >= 1e6) {
			format = func(v float64) string {
				if v == 0 || !finite(v) {
					return formatParam(v)
				}
				return formatE(v)
			}
			break
		}
	}
	every := (len(vals) + max - 1) / max
	ticks := make([]plot.Tick, len(vals))
	for i, v := range vals {
		ticks[i] = plot.Tick{Value: float64(i)}
		if i%every == 0 {
			ticks[i].Label = format(v)
		}
	}
	return plot.ConstantTicks(ticks)
}

// logZRatio is the ratio of the largest to the smallest value (all
// positive) from which a heat map's colours follow log10 of the values.
const logZRatio = 100

// zScale maps values to positions in [0, 1] on the colour scale.
type zScale struct {
	min, max float64
	log      bool
}

// norm returns the position of v on the scale (not clamped).
func (s zScale) norm(v float64) float64 {
	if s.log {
		return (math.Log10(v) - math.Log10(s.min)) / (math.Log10(s.max) - math.Log10(s.min))
	}
	return (v - s.min) / (s.max - s.min)
}

// heatCells draws the cells of a heat map with their values.
type heatCells struct {
	z     [][]float64
	scale zScale
}

// Plot implements plot.Plotter.
func (h *heatCells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	nx := len(h.z[0])
	cw, ch := trX(1)-trX(0), trY(1)-trY(0)

	// One font size for every cell: the largest (up to 10 pt) at which
	// the widest number fits.
	size := float64(cellTextMaxPt)
	for ; size >= cellTextMinPt; size -= 0.5 {
		sty := textStyle(size, colBlack)
		fits := sty.Height("0") <= ch-vg.Points(2)
		for _, row := range h.z {
			for _, v := range row {
				if sty.Width(formatValue(v)) > cw-vg.Points(4) {
					fits = false
				}
			}
		}
		if fits {
			break
		}
	}
	show := size >= cellTextMinPt

	for r, row := range h.z {
		for col, v := range row {
			rect := vg.Rectangle{
				Min: vg.Point{X: trX(float64(col) - 0.5), Y: trY(float64(r) - 0.5)},
				Max: vg.Point{X: trX(float64(col) + 0.5), Y: trY(float64(r) + 0.5)},
			}
			fill := colNaN
			if finite(v) {
				fill = viridis(h.scale.norm(v))
			}
			c.SetColor(fill)
			c.Fill(rect.Path())
			if show {
				sty := textStyle(size, textOn(fill))
				sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
				c.FillText(sty, vg.Point{X: (rect.Min.X + rect.Max.X) / 2, Y: (rect.Min.Y + rect.Max.Y) / 2}, formatValue(v))
			}
		}
	}
	// Thin white lines between the cells, unless the cells are so small
	// that the lines would drown them.
	if cw < vg.Points(10) || ch < vg.Points(10) {
		return
	}
	sep := draw.LineStyle{Color: colWhite, Width: vg.Points(1)}
	for col := 1; col < nx; col++ {
		x := trX(float64(col) - 0.5)
		c.StrokeLine2(sep, x, c.Min.Y, x, c.Max.Y)
	}
	for r := 1; r < len(h.z); r++ {
		y := trY(float64(r) - 0.5)
		c.StrokeLine2(sep, c.Min.X, y, c.Max.X, y)
	}
}

// Sizes of the colour bar, in points.
const (
	barWidthPt  = 14
	barTickPt   = 4
	barGapPt    = 3
	barLabelGap = 8
)

// colourBar is the colour scale of a heat map, drawn in the legend column:
// a vertical viridis bar with ticks, and the z label, rotated, beside it.
type colourBar struct {
	scale zScale
	label string
}

// ticks returns the tick values and labels of the bar; an empty label
// marks a minor tick.
func (b *colourBar) ticks() ([]float64, []string) {
	var vals []float64
	var labels []string
	if b.scale.log {
		for _, t := range sweepLogTicker().Ticks(math.Log10(b.scale.min), math.Log10(b.scale.max)) {
			vals = append(vals, math.Pow(10, t.Value))
			labels = append(labels, t.Label)
		}
		return vals, labels
	}
	zmin, zmax := b.scale.min, b.scale.max
	step := niceStep(zmax-zmin, 5)
	scale, suffix := 1.0, ""
	switch m := math.Max(math.Abs(zmin), math.Abs(zmax)); {
	case m >= 1e9:
		scale, suffix = 1e9, "G"
	case m >= 1e6:
		scale, suffix = 1e6, "M"
	case m >= 1e4:
		scale, suffix = 1e3, "k"
	}
	for v := math.Ceil(zmin/step-1e-9) * step; v <= zmax+step*1e-9; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		vals = append(vals, v)
		labels = append(labels, formatTick(v, step, scale, suffix))
		if len(vals) > 50 {
			break
		}
	}
	return vals, labels
}

// width implements sideItem.
func (b *colourBar) width() vg.Length {
	sty := textStyle(tickLabelSize, colBlack)
	w := vg.Points(barWidthPt + barTickPt + barGapPt)
	_, labels := b.ticks()
	lw := vg.Length(0)
	for _, l := range labels {
		lw = vg.Length(math.Max(float64(lw), float64(sty.Width(l))))
	}
	w += lw
	if b.label != "" {
		w += vg.Points(barLabelGap) + textStyle(axisLabelSize, colBlack).Height(b.label)
	}
	return w
}

// draw implements sideItem.
func (b *colourBar) draw(c draw.Canvas) {
	if c.Max.Y-c.Min.Y < vg.Points(20) {
		return
	}
	x0, x1 := c.Min.X, c.Min.X+vg.Points(barWidthPt)
	y0, y1 := c.Min.Y, c.Max.Y
	const slices = 256
	for i := 0; i < slices; i++ {
		ya := y0 + (y1-y0)*vg.Length(i)/slices
		yb := y0 + (y1-y0)*vg.Length(i+1)/slices
		if i < slices-1 {
			yb += vg.Points(0.5) // overlap, so that no seams show
		}
		r := vg.Rectangle{Min: vg.Point{X: x0, Y: ya}, Max: vg.Point{X: x1, Y: yb}}
		c.SetColor(viridis((float64(i) + 0.5) / slices))
		c.Fill(r.Path())
	}
	outline := draw.LineStyle{Color: colBlack, Width: vg.Points(0.5)}
	c.StrokeLines(outline, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})

	sty := textStyle(tickLabelSize, colBlack)
	sty.YAlign = draw.YCenter
	vals, labels := b.ticks()
	lw := vg.Length(0)
	for i, v := range vals {
		y := y0 + (y1-y0)*vg.Length(math.Max(0, math.Min(1, b.scale.norm(v))))
		if labels[i] == "" {
			c.StrokeLine2(outline, x1, y, x1+vg.Points(barTickPt)/2, y)
			continue
		}
		c.StrokeLine2(outline, x1, y, x1+vg.Points(barTickPt), y)
		c.FillText(sty, vg.Point{X: x1 + vg.Points(barTickPt+barGapPt), Y: y}, labels[i])
		lw = vg.Length(math.Max(float64(lw), float64(sty.Width(labels[i]))))
	}
	if b.label != "" {
		ls := textStyle(axisLabelSize, colBlack)
		ls.Rotation = math.Pi / 2
		ls.XAlign, ls.YAlign = draw.XCenter, draw.YCenter
		h := ls.Height(b.label)
		x := x1 + vg.Points(barTickPt+barGapPt) + lw + vg.Points(barLabelGap) + h/2
		c.FillText(ls, vg.Point{X: x, Y: (y0 + y1) / 2}, b.label)
	}
}
