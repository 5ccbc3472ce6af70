package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one line of a sweep figure: a metric's summary at each value
// of the swept parameter. All slices that are given must have one entry per
// value of X.
type Series struct {
	// Label is the legend text, e.g. "checksum = crc32c"; "" for a single
	// unlabelled line (it then gets no legend entry).
	Label string
	// X holds the parameter values, finite and ascending.
	X []float64
	// Mean is the metric's summary at each X; NaN (or an infinity) where
	// no run gave a value, e.g. because every run was censored.
	Mean []float64
	// Lo and Hi are the ends of the 95% confidence band or error bar at
	// each X; NaN where undefined. Either may be nil (no bars).
	Lo, Hi []float64
	// Censored counts, at each X, the runs whose value is censored (the
	// fleet never recovered before the horizon). May be nil.
	Censored []int
	// Runs counts the runs at each X. May be nil; if given, a point's
	// censored count must not exceed it.
	Runs []int
}

// SweepOptions control the look of a sweep figure (MetricVsParam, HeatMap,
// Box). The zero value is usable.
type SweepOptions struct {
	// Title is the figure title; if empty, Options.Title is used.
	Title string
	// XLabel and YLabel are the axis labels, with units, e.g.
	// "corruption probability per message" and "recovery time (s)".
	XLabel, YLabel string
	// NonNegative says the metric cannot be below 0 (a time, a count, a
	// fraction): a confidence interval reaching below 0, as a t interval
	// from a few replicates of a value near 0 does, is drawn cut at 0 and
	// the legend says so. The interval's values are not changed.
	NonNegative bool
	// LogX and LogY ask for log10 axes. Values <= 0 cannot be drawn on a
	// log axis: they are left out and counted in the legend. Axes with
	// categories (both HeatMap axes, the Box x axis) ignore them.
	LogX, LogY bool
	// Options gives the figure size and resolution.
	Options
}

// cutNote is what the legend adds to the confidence interval's key when
// an interval was drawn cut at 0.
func cutNote(cut bool) string {
	if cut {
		return " (cut at 0)"
	}
	return ""
}

// bandThreshold is the number of points above which a series' confidence
// interval is drawn as a shaded band rather than as error bars.
const bandThreshold = 12

// MetricVsParam writes to path a figure of a metric against a swept
// parameter: one line per series (Okabe-Ito colours and distinct marker
// shapes in order), a marker at each point, and the Lo..Hi interval as
// error bars, or as a shaded band for a series of more than 12 points.
// Error bars of different series at the same x are drawn slightly apart.
//
// Censored runs are never passed off as measurements: a point with some
// censored runs gets a hollow marker and a note "k/n censored" beside it
// (or "k censored" when Runs is nil). A point whose runs are all censored,
// or whose Mean is undefined while some runs are censored, gets no mean:
// only a hollow marker at the top edge of the plot with its note. Lines
// break at points without a mean.
//
// On a log axis, points with x <= 0 and means <= 0 are left out and
// counted in the legend; a lower interval end <= 0 is drawn to the bottom
// edge. The file is replaced atomically; on error no file is left behind.
func MetricVsParam(path string, series []Series, opt SweepOptions) error {
	pn, err := metricPanel(series, opt)
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	return renderAndWrite(path, opt.title(), []panel{pn}, opt.Options)
}

// validate checks that a series' slices agree with X and hold sensible
// values.
func (s *Series) validate(i int) error {
	name := fmt.Sprintf("series %d", i)
	if s.Label != "" {
		name += fmt.Sprintf(" (%q)", s.Label)
	}
	n := len(s.X)
	if n == 0 {
		return fmt.Errorf("%s has no points: %w", name, ErrNoData)
	}
	for _, f := range []struct {
		field string
		n     int
		need  bool
	}{
		{"Mean", len(s.Mean), true},
		{"Lo", len(s.Lo), s.Lo != nil},
		{"Hi", len(s.Hi), s.Hi != nil},
		{"Censored", len(s.Censored), s.Censored != nil},
		{"Runs", len(s.Runs), s.Runs != nil},
	} {
		if f.need && f.n != n {
			return fmt.Errorf("%s: %s has %d values, X has %d", name, f.field, f.n, n)
		}
	}
	for j, x := range s.X {
		if !finite(x) {
			return fmt.Errorf("%s: X[%d] is %v", name, j, x)
		}
		if j > 0 && x < s.X[j-1] {
			return fmt.Errorf("%s: X is not ascending (X[%d] = %g after %g)", name, j, x, s.X[j-1])
		}
		if s.Censored != nil && s.Censored[j] < 0 {
			return fmt.Errorf("%s: Censored[%d] is %d", name, j, s.Censored[j])
		}
		if s.Runs != nil && s.Runs[j] < 0 {
			return fmt.Errorf("%s: Runs[%d] is %d", name, j, s.Runs[j])
		}
		if s.Censored != nil && s.Runs != nil && s.Censored[j] > s.Runs[j] {
			return fmt.Errorf("%s: at X[%d] = %g, %d runs censored out of %d", name, j, x, s.Censored[j], s.Runs[j])
		}
	}
	return nil
}

// sweepPoint is one point of a series in axis coordinates (log10 of the
// data on a log axis).
type sweepPoint struct {
	x        float64
	mean     float64 // NaN: no mean drawn
	lo, hi   float64 // NaN: undefined; lo -Inf: down to the bottom edge
	censored int
	runs     int  // 0: unknown
	top      bool // no mean, some runs censored: a marker at the top edge
}

// hasBar reports whether the point has an interval to draw.
func (p sweepPoint) hasBar() bool {
	return !math.IsNaN(p.mean) && !math.IsNaN(p.lo) && !math.IsNaN(p.hi)
}

// note is the censoring annotation of the point; at the top edge, where
// the notes of neighbouring points compete for room, on two lines.
func (p sweepPoint) note() string {
	sep := " "
	if p.top {
		sep = "\n"
	}
	if p.runs > 0 {
		return fmt.Sprintf("%d/%d%scensored", p.censored, p.runs, sep)
	}
	return fmt.Sprintf("%d%scensored", p.censored, sep)
}

// sweepLine is a series ready to draw.
type sweepLine struct {
	label string
	col   color.RGBA
	shape markShape
	band  bool
	bars  bool      // some point has an interval
	dodge vg.Length // horizontal offset of the error bars and markers
	pts   []sweepPoint
}

// axisValue maps a data value to axis coordinates: itself, or its log10 on
// a log axis. Values that cannot be drawn become NaN, except that
// nonPositive is returned for values <= 0 on a log axis.
func axisValue(v float64, log bool, nonPositive float64) float64 {
	if !finite(v) {
		return math.NaN()
	}
	if log {
		if v <= 0 {
			return nonPositive
		}
		return math.Log10(v)
	}
	return v
}

// metricPanel builds the single panel of MetricVsParam.
func metricPanel(series []Series, opt SweepOptions) (panel, error) {
	if len(series) == 0 {
		return panel{}, ErrNoData
	}
	for i := range series {
		if err := series[i].validate(i); err != nil {
			return panel{}, err
		}
	}
	var (
		lines              []sweepLine
		skippedX, skippedY int
		anyPartial, anyTop bool
		cutAtZero          bool // an interval drawn cut at 0 (NonNegative)
		anyBars, anyBand   bool
		barLines           int
	)
	for i, s := range series {
		ln := sweepLine{
			label: s.Label,
			col:   lineColours[i%len(lineColours)],
			shape: markShape(i % int(numShapes)),
			band:  len(s.X) > bandThreshold,
		}
		for j := range s.X {
			x := axisValue(s.X[j], opt.LogX, math.NaN())
			if math.IsNaN(x) {
				skippedX++
				continue
			}
			pt := sweepPoint{x: x, mean: axisValue(s.Mean[j], opt.LogY, math.NaN()), lo: math.NaN(), hi: math.NaN()}
			if opt.LogY && finite(s.Mean[j]) && s.Mean[j] <= 0 {
				skippedY++
			}
			if s.Lo != nil && s.Hi != nil {
				lo := math.Min(s.Lo[j], s.Hi[j])
				if opt.NonNegative && !opt.LogY && lo < 0 {
					lo, cutAtZero = 0, true
				}
				pt.lo = axisValue(lo, opt.LogY, math.Inf(-1))
				pt.hi = axisValue(math.Max(s.Lo[j], s.Hi[j]), opt.LogY, math.NaN())
			}
			if s.Censored != nil {
				pt.censored = s.Censored[j]
			}
			if s.Runs != nil {
				pt.runs = s.Runs[j]
			}
			if pt.censored > 0 && (math.IsNaN(pt.mean) || (pt.runs > 0 && pt.censored >= pt.runs)) {
				pt.top = true
				pt.mean, pt.lo, pt.hi = math.NaN(), math.NaN(), math.NaN()
			}
			anyTop = anyTop || pt.top
			anyPartial = anyPartial || (pt.censored > 0 && !pt.top)
			if pt.hasBar() {
				ln.bars = true
				if ln.band {
					anyBand = true
				} else {
					anyBars = true
				}
			}
			ln.pts = append(ln.pts, pt)
		}
		lines = append(lines, ln)
	}
	// Error bars of several series at the same x are drawn side by side,
	// 4.5 points apart, or closer if there are more than six such series.
	for i := range lines {
		if lines[i].bars && !lines[i].band {
			barLines++
		}
	}
	gap := vg.Points(4.5)
	if barLines > 6 {
		gap = vg.Points(22.5) / vg.Length(barLines-1)
	}
	k := 0
	for i := range lines {
		if lines[i].bars && !lines[i].band {
			lines[i].dodge = gap * vg.Length(float64(k)-float64(barLines-1)/2)
			k++
		}
	}

	pn := newSweepPanel(opt, opt.LogX, opt.LogY)
	p := pn.plot
	setSweepX(p, lines, opt.LogX)
	setSweepY(p, lines, opt.LogY, anyTop)
	p.Add(&sweepPlotter{lines: lines})

	// Legend: the series, then a key to the symbols, then what was left out.
	for _, ln := range lines {
		if ln.label == "" {
			continue
		}
		pn.legend.Add(ln.label, seriesThumb(ln))
	}
	grey := colGrey
	if anyBars {
		pn.legend.Add("bars: 95% CI"+cutNote(cutAtZero), thumb(func(c *draw.Canvas) {
			mid := c.Center()
			h := (c.Max.Y - c.Min.Y) * 0.45
			drawErrorBar(c, grey, mid.X, mid.Y-h, mid.Y+h)
			c.DrawGlyphNoClip(glyphStyle(grey, shapeCircle, false), mid)
		}))
	}
	if anyBand {
		pn.legend.Add("band: 95% CI"+cutNote(cutAtZero), thumb(func(c *draw.Canvas) {
			h := (c.Max.Y - c.Min.Y) * 0.4
			mid := c.Center()
			r := vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: mid.Y - h}, Max: vg.Point{X: c.Max.X, Y: mid.Y + h}}
			c.SetColor(withAlpha(grey, 0.25))
			c.Fill(r.Path())
		}))
	}
	if anyPartial {
		pn.legend.Add("hollow: some runs censored", glyphThumb(glyphStyle(grey, shapeCircle, true), nil))
	}
	if anyTop {
		pn.legend.Add("at top: all runs censored", thumb(func(c *draw.Canvas) {
			sty := glyphStyle(grey, shapeCircle, true)
			top := c.Max.Y + vg.Points(1)
			c.StrokeLine2(draw.LineStyle{Color: colGrey, Width: vg.Points(0.8)}, c.Min.X, top, c.Max.X, top)
			c.DrawGlyphNoClip(sty, vg.Point{X: c.Center().X, Y: top - sty.Radius - vg.Points(1.5)})
		}))
	}
	drawn := false
	for _, ln := range lines {
		for _, pt := range ln.pts {
			drawn = drawn || pt.top || !math.IsNaN(pt.mean)
		}
	}
	if !drawn {
		pn.legend.Add("no values to draw")
	}
	if skippedX > 0 {
		pn.legend.Add(plural(skippedX, "point") + " with x ≤ 0 not drawn (log x)")
	}
	if skippedY > 0 {
		pn.legend.Add(plural(skippedY, "value") + " ≤ 0 not drawn (log y)")
	}
	return pn, nil
}

// seriesThumb is the legend thumbnail of a series: its line and marker,
// over a band or error bar as the series is drawn.
func seriesThumb(ln sweepLine) thumb {
	return func(c *draw.Canvas) {
		mid := c.Center()
		h := (c.Max.Y - c.Min.Y) * 0.45
		if ln.bars && ln.band {
			r := vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: mid.Y - h*0.9}, Max: vg.Point{X: c.Max.X, Y: mid.Y + h*0.9}}
			c.SetColor(withAlpha(ln.col, 0.2))
			c.Fill(r.Path())
		}
		c.StrokeLine2(seriesStyle(ln.col), c.Min.X, mid.Y, c.Max.X, mid.Y)
		if ln.bars && !ln.band {
			drawErrorBar(c, ln.col, mid.X, mid.Y-h, mid.Y+h)
		}
		c.DrawGlyphNoClip(glyphStyle(ln.col, ln.shape, false), mid)
	}
}

// drawErrorBar draws a vertical bar with caps.
func drawErrorBar(c *draw.Canvas, col color.Color, x, y0, y1 vg.Length) {
	sty := draw.LineStyle{Color: col, Width: vg.Points(markerWidth)}
	cw := vg.Points(3)
	c.StrokeLine2(sty, x, y0, x, y1)
	c.StrokeLine2(sty, x-cw, y0, x+cw, y0)
	c.StrokeLine2(sty, x-cw, y1, x+cw, y1)
}

// setSweepX sets the x range (the points' range, padded by 4%) and ticks.
func setSweepX(p *plot.Plot, lines []sweepLine, log bool) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, ln := range lines {
		for _, pt := range ln.pts {
			lo, hi = math.Min(lo, pt.x), math.Max(hi, pt.x)
		}
	}
	p.X.Min, p.X.Max = paddedRange(lo, hi, log)
	if log {
		p.X.Tick.Marker = sweepLogTicker()
	} else {
		p.X.Tick.Marker = linearTicker(8, false, true)
	}
}

// paddedRange pads [lo, hi] by 4% on each side; an empty or single-value
// range gets a sensible width (at least a decade on a log axis, where lo
// and hi are exponents).
func paddedRange(lo, hi float64, log bool) (float64, float64) {
	if lo > hi { // nothing drawable
		return 0, 1
	}
	span := hi - lo
	if span == 0 {
		span = math.Max(1, math.Abs(lo)*0.2)
		if log {
			span = 1
		}
		return lo - span/2, hi + span/2
	}
	lo, hi = lo-0.04*span, hi+0.04*span
	if log && hi-lo < 1 {
		c := (lo + hi) / 2
		lo, hi = c-0.5, c+0.5
	}
	return lo, hi
}

// setSweepY sets the y range and ticks: from 0 (or below, for negative
// data) on a linear axis, around the data on a log axis, with room at the
// top for the markers of all-censored points.
func setSweepY(p *plot.Plot, lines []sweepLine, log, top bool) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, ln := range lines {
		for _, pt := range ln.pts {
			for _, v := range []float64{pt.mean, pt.lo, pt.hi} {
				if finite(v) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	setValueAxis(&p.Y, lo, hi, log, top)
}

// setValueAxis sets the range and ticks of a value axis whose data run
// from lo to hi (lo > hi: no data): from 0 (or below, for negative data) to
// 5% above hi on a linear axis, around the data on a log axis (lo and hi
// are exponents), with 12% more at the top when top is set, for markers of
// censored runs.
func setValueAxis(ax *plot.Axis, lo, hi float64, log, top bool) {
	if log {
		ax.Min, ax.Max = paddedRange(lo, hi, true)
		ax.Tick.Marker = sweepLogTicker()
	} else {
		if lo > hi {
			lo, hi = 0, 1
		}
		lo = math.Min(0, lo)
		if hi <= lo {
			hi = lo + 1
		}
		ax.Min, ax.Max = lo, lo+(hi-lo)*1.05
		ax.Tick.Marker = linearTicker(6, false, true)
	}
	if top {
		ax.Max += (ax.Max - ax.Min) * 0.12
	}
}

// sweepPlotter draws the series of MetricVsParam.
type sweepPlotter struct {
	lines []sweepLine
}

// Plot implements plot.Plotter: bands, error bars, lines, markers, then
// the censoring notes, placed clear of everything drawn before them.
func (sp *sweepPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	rad := vg.Points(glyphRadiusPt)
	yTop := c.Max.Y - vg.Points(topStripPt) - rad
	cy := func(v float64) vg.Length {
		if math.IsInf(v, -1) || v < p.Y.Min {
			return trY(p.Y.Min)
		}
		return trY(v)
	}
	lp := &labelPlacer{area: c.Rectangle}

	// Bands, behind everything else.
	for _, ln := range sp.lines {
		if !ln.band {
			continue
		}
		for _, run := range runs(ln.pts, sweepPoint.hasBar) {
			if len(run) < 2 {
				continue
			}
			poly := make([]vg.Point, 0, 2*len(run))
			for _, pt := range run {
				poly = append(poly, vg.Point{X: trX(pt.x), Y: cy(pt.hi)})
			}
			for j := len(run) - 1; j >= 0; j-- {
				poly = append(poly, vg.Point{X: trX(run[j].x), Y: cy(run[j].lo)})
			}
			c.FillPolygon(withAlpha(ln.col, 0.2), c.ClipPolygonXY(poly))
		}
	}
	// Error bars (and lone band points, which have no band to show).
	for _, ln := range sp.lines {
		for _, run := range runs(ln.pts, sweepPoint.hasBar) {
			if ln.band && len(run) > 1 {
				continue
			}
			for _, pt := range run {
				x := trX(pt.x) + ln.dodge
				y0, y1 := cy(pt.lo), cy(pt.hi)
				y0, y1 = clampY(c, y0), clampY(c, y1)
				drawErrorBar(&c, ln.col, x, y0, y1)
				lp.blockSegment(vg.Point{X: x, Y: y0}, vg.Point{X: x, Y: y1}, vg.Points(3))
			}
		}
	}
	// Lines through the means, broken where there is none.
	for _, ln := range sp.lines {
		for _, run := range runs(ln.pts, func(pt sweepPoint) bool { return !math.IsNaN(pt.mean) }) {
			if len(run) < 2 {
				continue
			}
			seg := make([]vg.Point, len(run))
			for j, pt := range run {
				seg[j] = vg.Point{X: trX(pt.x) + ln.dodge, Y: cy(pt.mean)}
			}
			c.StrokeLines(seriesStyle(ln.col), c.ClipLinesXY(seg)...)
			for j := 1; j < len(seg); j++ {
				lp.blockSegment(seg[j-1], seg[j], vg.Points(1.5))
			}
		}
	}
	// Markers: filled for measured means, hollow for censored points.
	type note struct {
		at  vg.Point
		col color.RGBA
		txt string
	}
	var notes []note
	for _, ln := range sp.lines {
		for _, pt := range ln.pts {
			x := trX(pt.x) + ln.dodge
			var at vg.Point
			switch {
			case pt.top:
				at = vg.Point{X: x, Y: yTop}
			case !math.IsNaN(pt.mean):
				at = vg.Point{X: x, Y: cy(pt.mean)}
			default:
				continue
			}
			c.DrawGlyph(glyphStyle(ln.col, ln.shape, pt.censored > 0), at)
			lp.blockPoint(at, rad+vg.Points(1))
			if pt.censored > 0 {
				notes = append(notes, note{at: at, col: ln.col, txt: pt.note()})
			}
		}
	}
	for _, n := range notes {
		sty := textStyle(annotationSize, darken(n.col, 0.7))
		w, h := labelSize(sty, n.txt, vg.Points(1.5))
		r := lp.place(n.at, w, h)
		leader(&c, sty.Color, n.at, rad, r)
		drawLabel(&c, sty, r, n.txt)
	}
}

// clampY keeps y within the canvas, so that error bars running off the
// axis end at its edge.
func clampY(c draw.Canvas, y vg.Length) vg.Length {
	return vg.Length(math.Max(float64(c.Min.Y), math.Min(float64(c.Max.Y), float64(y))))
}

// runs splits pts into maximal runs of consecutive points satisfying ok.
func runs(pts []sweepPoint, ok func(sweepPoint) bool) [][]sweepPoint {
	var out [][]sweepPoint
	start := -1
	for j := 0; j <= len(pts); j++ {
		if j < len(pts) && ok(pts[j]) {
			if start < 0 {
				start = j
			}
			continue
		}
		if start >= 0 {
			out = append(out, pts[start:j])
			start = -1
		}
	}
	return out
}
