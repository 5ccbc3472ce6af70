package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Group is one category of a Box figure, e.g. one mitigation: the values
// of a metric across its replicate runs.
type Group struct {
	// Label names the category on the x axis, e.g. "rate limit"; it is
	// wrapped to the category's width, keeping the line breaks it has.
	Label string
	// Values holds the measured (uncensored) values, one per run. NaN and
	// infinite values are left out and counted in the legend.
	Values []float64
	// Censored counts the runs without a value because it was censored
	// (never recovered before the horizon).
	Censored int
	// Colour, if not nil, is the colour of the category's runs and box,
	// e.g. MitigationColour(name) for a mitigation; nil means blue.
	Colour color.Color
}

// boxWidth is the width of a box, in categories; jitterWidth the spread of
// the points drawn over it.
const (
	boxWidth    = 0.5
	jitterWidth = 0.36
	boxLinePt   = 1.2 // box outline and whiskers
)

// Box writes to path a figure of the distribution of a metric across
// replicates, one category per group from left to right: a box from the
// first to the third quartile with a line at the median and whiskers to
// the furthest value within 1.5 times the interquartile range, and every
// run drawn over it as a point, spread sideways by a fixed pattern (no
// randomness). A censored run has no value: it is drawn as a hollow marker
// at the top edge of the plot and counted under the category's name
// ("k/n censored"); it is not part of the box. Runs, box fill and censored
// markers are in the group's Colour, or blue. LogY draws a log10 y axis
// (values <= 0 are left out and counted in the legend); LogX is ignored.
// The file is replaced atomically; on error no file is left behind.
func Box(path string, groups []Group, opt SweepOptions) error {
	pn, err := boxPanel(groups, opt)
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	return renderAndWrite(path, opt.title(), []panel{pn}, opt.Options)
}

// boxGroup is a group ready to draw: its values in axis coordinates (in
// input order) and their summary.
type boxGroup struct {
	col                 color.RGBA
	vals                []float64
	censored            int
	q1, median, q3      float64
	whiskLo, whiskHi    float64
	hasBox              bool
	skippedNaN, skipped int
}

// quantile returns the q-quantile of sorted values, interpolating linearly
// between order statistics (R's type 7, numpy's default).
func quantile(sorted []float64, q float64) float64 {
	h := q * float64(len(sorted)-1)
	i := int(math.Floor(h))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

// newBoxGroup summarizes a group.
func newBoxGroup(g Group, logY bool) boxGroup {
	b := boxGroup{censored: g.Censored}
	for _, v := range g.Values {
		switch {
		case !finite(v):
			b.skippedNaN++
		case logY && v <= 0:
			b.skipped++
		default:
			b.vals = append(b.vals, axisValue(v, logY, math.NaN()))
		}
	}
	if len(b.vals) == 0 {
		return b
	}
	s := append([]float64(nil), b.vals...)
	sort.Float64s(s)
	b.hasBox = true
	b.q1, b.median, b.q3 = quantile(s, 0.25), quantile(s, 0.5), quantile(s, 0.75)
	fenceLo, fenceHi := b.q1-1.5*(b.q3-b.q1), b.q3+1.5*(b.q3-b.q1)
	b.whiskLo, b.whiskHi = b.q1, b.q3
	for _, v := range s {
		if v >= fenceLo {
			b.whiskLo = math.Min(v, b.q1)
			break
		}
	}
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] <= fenceHi {
			b.whiskHi = math.Max(s[i], b.q3)
			break
		}
	}
	return b
}

// jitter returns the sideways offset, in categories, of the i-th point of
// a category: a fixed low-discrepancy pattern (multiples of the golden
// ratio, modulo 1) that spreads any number of points evenly.
func jitter(i int) float64 {
	f := math.Mod(float64(i)*0.6180339887498949+0.5, 1)
	return (f - 0.5) * jitterWidth
}

// boxPanel builds the single panel of Box.
func boxPanel(groups []Group, opt SweepOptions) (panel, error) {
	if len(groups) == 0 {
		return panel{}, ErrNoData
	}
	bs := make([]boxGroup, len(groups))
	anyCensored := false
	skippedNaN, skipped := 0, 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, g := range groups {
		if g.Censored < 0 {
			return panel{}, fmt.Errorf("group %d (%q): Censored is %d", i, g.Label, g.Censored)
		}
		bs[i] = newBoxGroup(g, opt.LogY)
		bs[i].col = colBlue
		if g.Colour != nil {
			bs[i].col = opaque(g.Colour)
		}
		anyCensored = anyCensored || g.Censored > 0
		skippedNaN += bs[i].skippedNaN
		skipped += bs[i].skipped
		for _, v := range bs[i].vals {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}

	pn := newSweepPanel(opt, false, opt.LogY)
	p := pn.plot
	p.X.Min, p.X.Max = -0.5, float64(len(groups))-0.5
	setValueAxis(&p.Y, lo, hi, opt.LogY, anyCensored)
	p.Add(&boxPlotter{groups: bs})

	anyBox := false
	for _, b := range bs {
		anyBox = anyBox || b.hasBox
	}
	// The key shows the runs' colour if all groups share one, else grey.
	keyCol := bs[0].col
	for _, b := range bs {
		if b.col != keyCol {
			keyCol = colGrey
		}
	}
	if anyBox {
		pointSty := glyphStyle(withAlpha(keyCol, 0.8), shapeCircle, false)
		pn.legend.Add("run", glyphThumb(pointSty, nil))
	}
	if anyCensored {
		pn.legend.Add("censored run, at top", glyphThumb(glyphStyle(keyCol, shapeCircle, true), nil))
	}
	if anyBox {
		addBoxKey(pn.legend, keyCol)
	}
	if skippedNaN > 0 {
		pn.legend.Add(plural(skippedNaN, "NaN or infinite value") + " not drawn")
	}
	if skipped > 0 {
		pn.legend.Add(plural(skipped, "value") + " ≤ 0 not drawn (log y)")
	}

	// Category labels, wrapped to the width of a category, with the
	// number of runs (and of censored runs) beneath, in the largest font
	// from 9 down to 7 points at which every line fits.
	catW := categoryWidth(opt.Options, len(groups)) * 0.95
	var labels []string
	size := float64(tickLabelSize)
	for ; ; size -= 0.5 {
		sty := textStyle(size, colBlack)
		var fits bool
		labels, fits = categoryLabels(groups, sty, catW)
		if fits || size <= 7 {
			break
		}
	}
	p.X.Tick.Label.Font.Size = vg.Points(size)
	ticks := make([]plot.Tick, len(groups))
	for i := range groups {
		ticks[i] = plot.Tick{Value: float64(i), Label: labels[i]}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	return pn, nil
}

// categoryLabels returns the x-axis labels of a Box figure: each group's
// label wrapped to width w, and beneath it "n runs" or "k/n censored" (on
// two lines if one is too wide). fits reports whether every line fits.
func categoryLabels(groups []Group, sty text.Style, w vg.Length) (labels []string, fits bool) {
	fits = true
	for _, g := range groups {
		n := len(g.Values) + g.Censored
		count, sep := plural(n, "run"), "\n"
		if g.Censored > 0 {
			count = fmt.Sprintf("%d/%d censored", g.Censored, n)
		}
		if sty.Width(count) > w {
			count = strings.Replace(count, " ", "\n", 1)
		}
		lbl := wrapText(sty, g.Label, w)
		if lbl == "" {
			sep = ""
		}
		lbl += sep + count
		for _, line := range strings.Split(lbl, "\n") {
			if sty.Width(line) > w {
				fits = false
			}
		}
		labels = append(labels, lbl)
	}
	return labels, fits
}

// categoryWidth estimates the width of one category of a Box figure, for
// wrapping its label: the figure width less the margins and about 50
// points of y axis, shared among n categories.
func categoryWidth(opt Options, n int) vg.Length {
	w, _, _, err := opt.size(1)
	if err != nil {
		w = vg.Length(DefaultWidthInches) * vg.Inch
	}
	avail := w - 2*vg.Points(marginPt) - vg.Points(50)
	return vg.Length(math.Max(20, float64(avail))) / vg.Length(n)
}

// wrapText breaks s at spaces into lines no wider than w, where possible,
// keeping the line breaks s has.
func wrapText(sty text.Style, s string, w vg.Length) string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		if l := wrapLine(sty, para, w); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// wrapLine breaks one line s at spaces into lines no wider than w, where
// possible.
func wrapLine(sty text.Style, s string, w vg.Length) string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for _, wd := range words {
		try := wd
		if cur != "" {
			try = cur + " " + wd
		}
		if cur != "" && sty.Width(try) > w {
			lines = append(lines, cur)
			cur = wd
			continue
		}
		cur = try
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return strings.Join(lines, "\n")
}

// drawBox draws a box from y0 to y2 with its median line at y1.
func drawBox(c *draw.Canvas, col color.RGBA, x0, x1, y0, y1, y2 vg.Length) {
	fillBox(c, col, x0, x1, y0, y2)
	outlineBox(c, x0, x1, y0, y1, y2)
}

// fillBox fills the inside of a box with a light tint of col.
func fillBox(c *draw.Canvas, col color.RGBA, x0, x1, y0, y2 vg.Length) {
	r := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y2}}
	c.SetColor(withAlpha(col, 0.15))
	c.Fill(r.Path())
}

// outlineBox draws the outline of a box and its median line.
func outlineBox(c *draw.Canvas, x0, x1, y0, y1, y2 vg.Length) {
	outline := draw.LineStyle{Color: colBlack, Width: vg.Points(boxLinePt)}
	c.StrokeLines(outline, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y2}, {X: x0, Y: y2}, {X: x0, Y: y0}})
	c.StrokeLine2(draw.LineStyle{Color: colBlack, Width: vg.Points(2.2)}, x0, y1, x1, y1)
}

// boxPlotter draws the boxes, whiskers and points of Box.
type boxPlotter struct {
	groups []boxGroup
}

// Plot implements plot.Plotter: the box's fill, the points over it, then
// the box's outline, median and whiskers over them, so that crowded points
// never hide the median.
func (bp *boxPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	rad := vg.Points(glyphRadiusPt)
	yTop := c.Max.Y - vg.Points(topStripPt) - rad
	whisker := draw.LineStyle{Color: colBlack, Width: vg.Points(boxLinePt)}
	for i, g := range bp.groups {
		x := float64(i)
		x0, x1 := trX(x-boxWidth/2), trX(x+boxWidth/2)
		if g.hasBox {
			fillBox(&c, g.col, x0, x1, trY(g.q1), trY(g.q3))
		}
		pointSty := glyphStyle(withAlpha(g.col, 0.8), shapeCircle, false)
		for j, v := range g.vals {
			c.DrawGlyph(pointSty, vg.Point{X: trX(x + jitter(j)), Y: trY(v)})
		}
		if g.hasBox {
			outlineBox(&c, x0, x1, trY(g.q1), trY(g.median), trY(g.q3))
			xm, capW := trX(x), (x1-x0)/4
			for _, w := range [][2]float64{{g.q1, g.whiskLo}, {g.q3, g.whiskHi}} {
				ya, yb := trY(w[0]), trY(w[1])
				c.StrokeLine2(whisker, xm, ya, xm, yb)
				c.StrokeLine2(whisker, xm-capW, yb, xm+capW, yb)
			}
		}
		// Censored runs in an evenly spaced row, overlapping only when
		// there are too many for the width of the box.
		censSty := glyphStyle(g.col, shapeCircle, true)
		gap := 2.6 * rad
		if w := trX(x+boxWidth/2) - trX(x-boxWidth/2); g.censored > 1 && gap*vg.Length(g.censored-1) > w {
			gap = w / vg.Length(g.censored-1)
		}
		for j := 0; j < g.censored; j++ {
			off := (vg.Length(j) - vg.Length(g.censored-1)/2) * gap
			c.DrawGlyph(censSty, vg.Point{X: trX(x) + off, Y: yTop})
		}
	}
}

// addBoxKey adds the legend entries explaining a box and its whiskers.
func addBoxKey(l *flowLegend, col color.RGBA) {
	l.Add("box: quartiles, median", thumb(func(c *draw.Canvas) {
		drawBox(c, col, c.Min.X+vg.Points(3), c.Max.X-vg.Points(3), c.Min.Y+vg.Points(1), c.Center().Y, c.Max.Y-vg.Points(1))
	}))
	l.Add("whiskers: ≤ 1.5 IQR from box", thumb(func(c *draw.Canvas) {
		sty := draw.LineStyle{Color: colBlack, Width: vg.Points(boxLinePt)}
		mid := c.Center()
		w := vg.Points(4)
		c.StrokeLine2(sty, mid.X, c.Min.Y+vg.Points(1), mid.X, c.Max.Y-vg.Points(1))
		c.StrokeLine2(sty, mid.X-w, c.Max.Y-vg.Points(1), mid.X+w, c.Max.Y-vg.Points(1))
		c.StrokeLine2(sty, mid.X-w, c.Min.Y+vg.Points(1), mid.X+w, c.Min.Y+vg.Points(1))
	}))
}
