package plots

import (
	"errors"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Sizes used by the sweep figures, in points.
const (
	annotationSize = 8.5 // "k/n censored" notes
	cellTextMaxPt  = 10  // largest number printed in a heat-map cell
	cellTextMinPt  = 6   // below this, cell numbers are left out
	glyphRadiusPt  = 3.5 // data point markers
	hollowWidthPt  = 1.5 // outline of hollow (censored) markers
	topStripPt     = 7   // gap between a top-edge censored marker and the edge
)

// ErrNoData is returned (wrapped) when a sweep figure is asked for with no
// series, a series without points, no groups or an empty grid.
var ErrNoData = errors.New("no data to plot")

// title returns the figure title: SweepOptions.Title, or the embedded
// Options.Title if that is empty.
func (opt SweepOptions) title() string {
	if opt.Title != "" {
		return opt.Title
	}
	return opt.Options.Title
}

// newSweepPanel returns a panel styled like the time-series panels, with
// the axis labels of opt, each saying "log scale" when its axis is
// logarithmic (logX, logY: what the figure does with opt's LogX and LogY).
func newSweepPanel(opt SweepOptions, logX, logY bool) panel {
	p := newPanel(logScaleLabel(opt.YLabel, logY), true)
	p.X.Label.Text = logScaleLabel(opt.XLabel, logX)
	return panel{plot: p, legend: newLegend()}
}

// logScaleLabel is an axis label that says its axis is logarithmic, when
// it is: "recovery time (s)" becomes "recovery time (s, log scale)", a
// label without a unit gets " (log scale)".
func logScaleLabel(label string, log bool) string {
	switch {
	case !log || label == "":
		return label
	case strings.HasSuffix(label, ")"):
		return strings.TrimSuffix(label, ")") + ", log scale)"
	}
	return label + " (log scale)"
}

// markShape is the shape of a data point marker; successive series get
// successive shapes so that they can be told apart without colour.
type markShape int

const (
	shapeCircle markShape = iota
	shapeSquare
	shapeDiamond
	shapeTriangle
	shapeTriangleDown
	numShapes
)

// pointGlyph draws a marker: filled (a measured value, with a thin white
// rim so that overlapping markers stay distinct) or hollow (a censored
// value: white inside, a thick outline in the series colour).
type pointGlyph struct {
	shape  markShape
	hollow bool
}

// DrawGlyph implements draw.GlyphDrawer.
func (g pointGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	path := g.shape.path(pt, sty.Radius)
	if g.hollow {
		c.SetColor(colWhite)
		c.Fill(path)
		c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(hollowWidthPt)})
		c.Stroke(path)
		return
	}
	c.SetColor(sty.Color)
	c.Fill(path)
	c.SetLineStyle(draw.LineStyle{Color: colWhite, Width: vg.Points(0.6)})
	c.Stroke(path)
}

// path returns the outline of the shape centred at pt with radius r; the
// shapes are sized to look about equally large.
func (s markShape) path(pt vg.Point, r vg.Length) vg.Path {
	var p vg.Path
	poly := func(pts ...vg.Point) {
		p.Move(pts[0])
		for _, q := range pts[1:] {
			p.Line(q)
		}
		p.Close()
	}
	switch s {
	case shapeSquare:
		h := r * 0.88
		poly(vg.Point{X: pt.X - h, Y: pt.Y - h}, vg.Point{X: pt.X + h, Y: pt.Y - h},
			vg.Point{X: pt.X + h, Y: pt.Y + h}, vg.Point{X: pt.X - h, Y: pt.Y + h})
	case shapeDiamond:
		h := r * 1.2
		poly(vg.Point{X: pt.X, Y: pt.Y - h}, vg.Point{X: pt.X + h, Y: pt.Y},
			vg.Point{X: pt.X, Y: pt.Y + h}, vg.Point{X: pt.X - h, Y: pt.Y})
	case shapeTriangle, shapeTriangleDown:
		h := r * 1.25
		sgn := vg.Length(1)
		if s == shapeTriangleDown {
			sgn = -1
		}
		cy := pt.Y - sgn*h*0.15 // centre the triangle's area on pt
		poly(vg.Point{X: pt.X, Y: cy + sgn*h},
			vg.Point{X: pt.X - h*0.866, Y: cy - sgn*h*0.5},
			vg.Point{X: pt.X + h*0.866, Y: cy - sgn*h*0.5})
	default:
		p.Move(vg.Point{X: pt.X + r, Y: pt.Y})
		p.Arc(pt, r, 0, 2*math.Pi)
		p.Close()
	}
	return p
}

// glyphStyle returns the style of a data point marker.
func glyphStyle(c color.Color, shape markShape, hollow bool) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(glyphRadiusPt), Shape: pointGlyph{shape: shape, hollow: hollow}}
}

// thumb is a legend thumbnail drawn by a function.
type thumb func(c *draw.Canvas)

// Thumbnail implements plot.Thumbnailer.
func (t thumb) Thumbnail(c *draw.Canvas) { t(c) }

// glyphThumb returns a legend thumbnail showing one marker, optionally on
// a line.
func glyphThumb(sty draw.GlyphStyle, line *draw.LineStyle) thumb {
	return func(c *draw.Canvas) {
		mid := c.Center()
		if line != nil {
			c.StrokeLine2(*line, c.Min.X, mid.Y, c.Max.X, mid.Y)
		}
		c.DrawGlyphNoClip(sty, mid)
	}
}

// darken mixes c with black, for text in a series colour that must stay
// readable on white.
func darken(c color.RGBA, keep float64) color.RGBA {
	f := func(v uint8) uint8 { return uint8(math.Round(float64(v) * keep)) }
	return color.RGBA{R: f(c.R), G: f(c.G), B: f(c.B), A: 0xFF}
}

// opaque converts c to an opaque color.RGBA of the same hue.
func opaque(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	if a == 0 {
		return colGrey
	}
	f := func(v uint32) uint8 { return uint8(v * 0xFFFF / a >> 8) }
	return color.RGBA{R: f(r), G: f(g), B: f(b), A: 0xFF}
}

// withAlpha returns c at the given opacity (premultiplied, as color.RGBA
// requires).
func withAlpha(c color.RGBA, a float64) color.RGBA {
	f := func(v uint8) uint8 { return uint8(math.Round(float64(v) * a)) }
	return color.RGBA{R: f(c.R), G: f(c.G), B: f(c.B), A: f(0xFF)}
}

// textStyle returns a plain text style of the given size and colour.
func textStyle(size float64, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(regularFont, vg.Length(size)),
		XAlign:  draw.XLeft,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
}

// labelPlacer places short text labels near anchor points inside a
// rectangle so that they overlap neither each other nor registered
// obstacles (markers, line segments).
type labelPlacer struct {
	area  vg.Rectangle
	taken []vg.Rectangle
}

// block registers an obstacle.
func (lp *labelPlacer) block(r vg.Rectangle) { lp.taken = append(lp.taken, r) }

// blockPoint registers a square obstacle of half-size h around pt.
func (lp *labelPlacer) blockPoint(pt vg.Point, h vg.Length) {
	lp.block(vg.Rectangle{Min: vg.Point{X: pt.X - h, Y: pt.Y - h}, Max: vg.Point{X: pt.X + h, Y: pt.Y + h}})
}

// blockSegment registers a line segment as a chain of small obstacles.
func (lp *labelPlacer) blockSegment(a, b vg.Point, h vg.Length) {
	d := math.Hypot(float64(b.X-a.X), float64(b.Y-a.Y))
	n := int(d/float64(vg.Points(3))) + 1
	if n > 2000 {
		n = 2000
	}
	for i := 0; i <= n; i++ {
		f := vg.Length(float64(i) / float64(n))
		lp.blockPoint(vg.Point{X: a.X + (b.X-a.X)*f, Y: a.Y + (b.Y-a.Y)*f}, h)
	}
}

// intersects reports whether two rectangles overlap.
func intersects(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

// overlaps reports whether r overlaps one of the rectangles in taken.
func overlaps(r vg.Rectangle, taken []vg.Rectangle) bool {
	for _, t := range taken {
		if intersects(r, t) {
			return true
		}
	}
	return false
}

// inside reports whether r lies inside the placer's area.
func (lp *labelPlacer) inside(r vg.Rectangle) bool {
	return r.Min.X >= lp.area.Min.X && r.Max.X <= lp.area.Max.X && r.Min.Y >= lp.area.Min.Y && r.Max.Y <= lp.area.Max.Y
}

// place returns the rectangle of a w×h label as close to anchor as it can
// be without covering another label or an obstacle (the anchor's own
// marker among them), searching a window around the anchor; if no place
// in the window is free, the label goes just right of the anchor (or left,
// at the right edge), inside the area. The rectangle is registered as
// taken. Among equally close places, right beats left, above beats below,
// and then the label most nearly centred on the anchor wins.
func (lp *labelPlacer) place(anchor vg.Point, w, h vg.Length) vg.Rectangle {
	step := vg.Points(2)
	reach := vg.Points(60)
	type cand struct {
		r      vg.Rectangle
		dist   float64
		pref   int
		centre float64 // distance from the anchor to the label's centre
	}
	var cands []cand
	for dy := -(h + reach); dy <= reach; dy += step {
		for dx := -(w + reach); dx <= reach; dx += step {
			r := vg.Rectangle{
				Min: vg.Point{X: anchor.X + dx, Y: anchor.Y + dy},
				Max: vg.Point{X: anchor.X + dx + w, Y: anchor.Y + dy + h},
			}
			if !lp.inside(r) {
				continue
			}
			// Distance from the anchor to the nearest point of r.
			ex := math.Max(0, math.Max(float64(r.Min.X-anchor.X), float64(anchor.X-r.Max.X)))
			ey := math.Max(0, math.Max(float64(r.Min.Y-anchor.Y), float64(anchor.Y-r.Max.Y)))
			pref := 0
			if r.Max.X <= anchor.X {
				pref += 2 // left
			}
			if r.Max.Y <= anchor.Y {
				pref++ // below
			}
			cx, cy := float64((r.Min.X+r.Max.X)/2-anchor.X), float64((r.Min.Y+r.Max.Y)/2-anchor.Y)
			cands = append(cands, cand{r: r, dist: math.Round(math.Hypot(ex, ey)), pref: pref, centre: math.Hypot(cx, cy)})
		}
	}
	// Only obstacles near the anchor matter.
	window := vg.Rectangle{
		Min: vg.Point{X: anchor.X - w - reach, Y: anchor.Y - h - reach},
		Max: vg.Point{X: anchor.X + w + reach, Y: anchor.Y + h + reach},
	}
	var near []vg.Rectangle
	for _, t := range lp.taken {
		if intersects(t, window) {
			near = append(near, t)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		if cands[i].pref != cands[j].pref {
			return cands[i].pref < cands[j].pref
		}
		return cands[i].centre < cands[j].centre
	})
	for _, c := range cands {
		if !overlaps(c.r, near) {
			lp.block(c.r)
			return c.r
		}
	}
	// Nothing free: beside the anchor, moved inside the area.
	d := vg.Points(glyphRadiusPt + 3)
	r := vg.Rectangle{Min: vg.Point{X: anchor.X + d, Y: anchor.Y - h/2}, Max: vg.Point{X: anchor.X + d + w, Y: anchor.Y + h/2}}
	if r.Max.X > lp.area.Max.X {
		r.Min.X, r.Max.X = anchor.X-d-w, anchor.X-d
	}
	dx, dy := vg.Length(0), vg.Length(0)
	if r.Min.X < lp.area.Min.X {
		dx = lp.area.Min.X - r.Min.X
	}
	if r.Min.Y < lp.area.Min.Y {
		dy = lp.area.Min.Y - r.Min.Y
	} else if r.Max.Y > lp.area.Max.Y {
		dy = lp.area.Max.Y - r.Max.Y
	}
	r.Min.X, r.Max.X, r.Min.Y, r.Max.Y = r.Min.X+dx, r.Max.X+dx, r.Min.Y+dy, r.Max.Y+dy
	lp.block(r)
	return r
}

// leader draws a thin line from a marker of radius rad at anchor towards
// the label rectangle r, if the label is not right beside the marker.
func leader(c *draw.Canvas, col color.Color, anchor vg.Point, rad vg.Length, r vg.Rectangle) {
	nx := math.Max(float64(r.Min.X), math.Min(float64(anchor.X), float64(r.Max.X)))
	ny := math.Max(float64(r.Min.Y), math.Min(float64(anchor.Y), float64(r.Max.Y)))
	dx, dy := nx-float64(anchor.X), ny-float64(anchor.Y)
	d := math.Hypot(dx, dy)
	if d < float64(rad+vg.Points(7)) {
		return
	}
	start := vg.Point{X: anchor.X + vg.Length(dx/d)*(rad+vg.Points(1)), Y: anchor.Y + vg.Length(dy/d)*(rad+vg.Points(1))}
	c.StrokeLine2(draw.LineStyle{Color: col, Width: vg.Points(0.6)}, start.X, start.Y, vg.Length(nx), vg.Length(ny))
}

// drawLabel draws txt centred in the rectangle r returned by place, on a
// translucent white background so that it stays readable over bands and
// grid lines.
func drawLabel(c *draw.Canvas, sty text.Style, r vg.Rectangle, txt string) {
	c.SetColor(withAlpha(colWhite, 0.6))
	c.Fill(r.Path())
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	c.FillText(sty, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}, txt)
}

// labelSize returns the size of the background rectangle of a label.
func labelSize(sty text.Style, txt string, pad vg.Length) (w, h vg.Length) {
	r := sty.Rectangle(txt)
	return r.Size().X + 2*pad, r.Size().Y + 2*pad
}

// roundSig rounds v to n significant digits.
func roundSig(v float64, n int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	s, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', n, 64), 64)
	if err != nil {
		return v
	}
	return s
}

// formatE prints v in compact scientific notation, to three significant
// digits: 1e-6, 2.5e-4, -3.1e7.
func formatE(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return formatValue(v)
	}
	v = roundSig(v, 3)
	e := int(math.Floor(math.Log10(math.Abs(v)) + 1e-12))
	m := roundSig(v/math.Pow(10, float64(e)), 3)
	if math.Abs(m) >= 10 {
		m /= 10
		e++
	}
	return strconv.FormatFloat(m, 'f', -1, 64) + "e" + strconv.Itoa(e)
}

// formatParam prints a parameter value as given when that is short (0.2,
// 1, 2.5, 12345), else to four significant digits, and in 1e-6 or 2e6
// style when very small or large.
func formatParam(v float64) string {
	switch {
	case v == 0:
		return "0"
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	a := math.Abs(v)
	if a < 1e-3 || a >= 1e6 {
		return formatE(v)
	}
	if s := strconv.FormatFloat(v, 'f', -1, 64); len(s) <= 7 {
		return s
	}
	return strconv.FormatFloat(roundSig(v, 4), 'f', -1, 64)
}

// formatValue prints a measured value to three significant digits (whole
// numbers below 10000 in full), without trailing zeros or an exponent where
// possible: 0.0123, 1.5, 123, 1234, 12.3k, 4.5M; values below 0.001 in
// scientific notation. NaN and infinities print as "n/a".
func formatValue(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	if v == 0 {
		return "0"
	}
	a := math.Abs(v)
	switch {
	case a < 1e-3:
		return formatE(v)
	case a >= 99.95 && a < 9999.5:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	scale, suffix := 1.0, ""
	switch {
	case a >= 999.5e6:
		scale, suffix = 1e9, "G"
	case a >= 999.5e3:
		scale, suffix = 1e6, "M"
	case a >= 9999.5:
		scale, suffix = 1e3, "k"
	}
	return strconv.FormatFloat(roundSig(v/scale, 3), 'f', -1, 64) + suffix
}

// sweepLogTick prints a log-axis tick: like the time-series figures (0.05,
// 10k) unless the axis reaches beyond 0.001 or 100000, when every label is
// in scientific notation (1e-6).
func sweepLogTick(v float64, wide bool) string {
	if wide {
		return formatE(v)
	}
	return formatLogTick(v)
}

// sweepLogTicker returns the ticks of a log axis of a sweep figure (which
// carries log10 of the data): logTicker's, in sweepLogTick's notation, with
// 2 and 5 times each decade labelled too when fewer than three decades
// would be.
func sweepLogTicker() plot.Ticker {
	base := logTickerFormat(false, sweepLogTick)
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		ticks := base.Ticks(min, max)
		labelled := 0
		for _, t := range ticks {
			if !t.IsMinor() {
				labelled++
			}
		}
		if labelled >= 3 {
			return ticks
		}
		wide := min < -3-1e-9 || max > 5+1e-9
		for i, t := range ticks {
			e := math.Floor(t.Value + 1e-9)
			m := math.Round(math.Pow(10, t.Value-e))
			if t.IsMinor() && (m == 2 || m == 5) {
				ticks[i].Label = sweepLogTick(m*math.Pow(10, e), wide)
			}
		}
		return ticks
	})
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// plural returns n and the noun, with an s if n != 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
