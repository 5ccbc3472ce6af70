package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gossipsim/gossipsim/models/metrics"
)

// Run is one labelled time series, e.g. the representative run of one
// mitigation, for CompareRuns.
type Run struct {
	// Label names the run in the legend, e.g. "a-2008"; "" gives "run i"
	// (counting from 1).
	Label string
	// Samples is the run's time series; it need not be sorted.
	Samples []metrics.Sample
	// Markers are instants of this run worth marking, e.g. its trigger;
	// they are drawn as short ticks on the run's own lines.
	Markers []Marker
}

// MaxCompareRuns is the largest number of runs CompareRuns draws: one per
// colour of the palette, so that no two runs share a colour.
const MaxCompareRuns = 8

// Geometry of the comparison figure, in points.
const (
	tickHalfPt     = 7   // half the height of a marker tick
	tickWidthPt    = 1.6 // line width of a marker tick
	tickSpreadPt   = 2.4 // distance between coincident ticks of several runs
	laneHeightPt   = 3   // height of a run's reset strip along the top edge
	laneGapPt      = 1   // gap between reset strips
	resetBandAlpha = 0.15
)

// tickDashes are the dash patterns of marker ticks, one per distinct label
// of a drawn marker in order of first appearance (cycled if there are more),
// short enough that a tick shows several dashes.
var tickDashes = [][]vg.Length{
	{vg.Points(3), vg.Points(1.5)},
	{vg.Points(1.2), vg.Points(1.2)},
	{vg.Points(5), vg.Points(1.5), vg.Points(1.2), vg.Points(1.5)},
	{vg.Points(1.5), vg.Points(3)},
}

// CompareRuns writes to path a figure comparing several runs, in two stacked
// panels sharing the time axis (from the earliest run's start to the latest
// run's end):
//
//   - top: gossip volume, the fleet's messages sent per second; when a
//     run has more than compareRatePoints samples, every run's line is the
//     mean rate over bins of the same number of samples (a storm's gossip
//     comes in bursts that would otherwise fill a band), as the legend
//     says. When the
//     positive values of all runs together span more than a factor of 20
//     the axis is logarithmic (and so labelled), as in GossipVolume; values
//     below its lower limit, zeros included, are drawn on the bottom edge,
//     and the legend says so.
//   - bottom: the wrong-view fraction, in percent of (live observer, live
//     peer) pairs, from 0 to 5% above the larger of its peak and 0.1%.
//
// Each run has one Okabe-Ito colour in both panels: a run labelled with a
// mitigation preset's name ("none", "d", ...; models/mitigation) has that
// mitigation's colour (MitigationColour), other runs the palette's colours in order,
// skipping those already taken; the legend
// of the top panel lists the runs by label. Where a run's samples have
// Resetting set (a reset of the fleet was in progress), the time around
// them, from halfway to the previous sample to halfway to the next, is
// shaded in a light band of the run's colour across both panels, and the
// run's legend entry shows the band. Each of a run's markers is a short
// dashed vertical tick in its colour, centred on the run's line at that
// time, in both panels; ticks of different marker labels have different
// dash patterns, keyed in the legend of the bottom panel, with the
// shading, and with a count of markers outside the time axis (not drawn).
//
// Samples need not be sorted. Only Time, MessagesPerSecond and
// WrongViewFraction are checked: NaN or infinite values there are errors,
// as are no runs (ErrNoData) and more than MaxCompareRuns runs. A run
// without samples (stopped before its first) is not drawn: the legend says
// NoSamplesText after its label, and if no run has samples the data areas
// say it too. The file is replaced atomically; on error
// no file is left behind.
func CompareRuns(path string, runs []Run, opt Options) error {
	panels, _, err := comparePanels(runs, compareLayout{logRatio: 20, ratePoints: compareRatePoints})
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	return renderAndWrite(path, opt.Title, panels, opt)
}

// compareFields returns the fields of a sample that CompareRuns draws.
func compareFields(x metrics.Sample) []field {
	return []field{
		{"Time", x.Time},
		{"MessagesPerSecond", x.MessagesPerSecond},
		{"WrongViewFraction", x.WrongViewFraction},
	}
}

// compareRun is a validated run ready to draw.
type compareRun struct {
	label string
	col   color.RGBA
	sr    *series
	// resets are the shaded time spans, in ascending order.
	resets [][2]float64
	// rates are the samples the gossip line draws: sr.s, or their means
	// over bins of samples (compareLayout.ratePoints).
	rates []metrics.Sample
}

// compareRatePoints is about how many points CompareRuns draws per gossip
// line at most. A storm's gossip comes in bursts a second or two apart
// (saturated nodes catch up at once), so per-second rates jump between a
// few and a million messages and a run's line fills a band; the mean rate
// over bins of a few samples shows its level.
const compareRatePoints = 120

// binRates returns s (sorted by time) with the message rate averaged over
// bins of k samples (the last bin may be shorter), each at its bin's end,
// weighted by the samples' intervals (the first taken as long as the
// second; from start, the series' own start); k <= 1 returns s.
func binRates(s []metrics.Sample, k int, start float64) []metrics.Sample {
	if k <= 1 {
		return s
	}
	out := make([]metrics.Sample, 0, (len(s)+k-1)/k)
	prev := start
	for lo := 0; lo < len(s); lo += k {
		hi := min(lo+k, len(s))
		var msgs float64
		t0 := prev
		for _, x := range s[lo:hi] {
			msgs += x.MessagesPerSecond * (x.Time - prev)
			prev = x.Time
		}
		b := s[hi-1]
		if dt := b.Time - t0; dt > 0 {
			b.MessagesPerSecond = msgs / dt
		}
		out = append(out, b)
	}
	return out
}

// runName is the legend text of run i.
func runName(r Run, i int) string {
	if r.Label == "" {
		return fmt.Sprintf("run %d", i+1)
	}
	return r.Label
}

// compareLayout says how comparePanels lays out its panels.
type compareLayout struct {
	// logRatio is the span of the positive message rates above which their
	// axis is logarithmic.
	logRatio float64
	// wrongFirst puts the wrong-view panel on top, the gossip volume below.
	wrongFirst bool
	// under are drawn on both panels under everything but the grid.
	under []plot.Plotter
	// ratePoints, if positive, is about how many points a gossip line
	// draws at most: a run with more samples draws the mean rate over
	// bins of samples (binRates), and the legend says so.
	ratePoints int
}

// comparePanels builds the two panels of CompareRuns (or of Timeline, as
// layout says) and returns them with the time range of the runs.
func comparePanels(runs []Run, layout compareLayout) ([]panel, *series, error) {
	if len(runs) == 0 {
		return nil, nil, fmt.Errorf("no runs to compare: %w", ErrNoData)
	}
	if len(runs) > MaxCompareRuns {
		return nil, nil, fmt.Errorf("%d runs to compare; at most %d can be told apart by colour", len(runs), MaxCompareRuns)
	}
	crs := make([]compareRun, len(runs))
	labels := make([]string, len(runs))
	for i, r := range runs {
		labels[i] = runName(r, i)
	}
	cols := runColours(labels)
	xr := &series{xmin: math.Inf(1), xmax: math.Inf(-1)}
	bin := 1 // samples a gossip line's point averages, the same for every run
	for i, r := range runs {
		if len(r.Samples) == 0 {
			// A run stopped before its first sample: listed, not drawn.
			crs[i] = compareRun{label: labels[i] + ": " + NoSamplesText, col: cols[i], sr: &series{}}
			continue
		}
		sr, err := prepareFields(r.Samples, compareFields)
		if err != nil {
			return nil, nil, fmt.Errorf("run %d (%q): %w", i+1, r.Label, err)
		}
		crs[i] = compareRun{label: labels[i], col: cols[i], sr: sr, resets: resetSpans(sr), rates: sr.s}
		if layout.ratePoints > 0 {
			bin = max(bin, (len(sr.s)+layout.ratePoints-1)/layout.ratePoints)
		}
		xr.xmin, xr.xmax = math.Min(xr.xmin, sr.xmin), math.Max(xr.xmax, sr.xmax)
	}
	for i := range crs {
		if len(crs[i].sr.s) > 0 {
			crs[i].rates = binRates(crs[i].sr.s, bin, crs[i].sr.xmin)
		}
	}
	noneDrawn := xr.xmin > xr.xmax
	if noneDrawn {
		xr.xmin, xr.xmax = 0, 1
	}

	msgs := func(x metrics.Sample) float64 { return x.MessagesPerSecond }
	wrong := func(x metrics.Sample) float64 { return x.WrongViewFraction * 100 }

	peak, minPos, minMsgs, peakWrong, minWrong := 0.0, math.Inf(1), 0.0, 0.0, 0.0
	for _, cr := range crs {
		for _, x := range cr.rates {
			v := msgs(x)
			peak, minMsgs = math.Max(peak, v), math.Min(minMsgs, v)
			if v > 0 {
				minPos = math.Min(minPos, v)
			}
		}
		for _, x := range cr.sr.s {
			peakWrong, minWrong = math.Max(peakWrong, wrong(x)), math.Min(minWrong, wrong(x))
		}
	}
	// The same test as GossipVolume's, applied to the runs' values: a log
	// axis when the drawn values span more than a factor of logRatio.
	// Negative values (which no run should have) keep the axis linear.
	logY := peak > 0 && peak > layout.logRatio*minPos && minMsgs >= 0

	msgLabel := "gossip (messages/s)"
	if logY {
		msgLabel = "gossip (messages/s, log scale)"
	}
	mi, wi := 0, 1 // the panels' indices
	if layout.wrongFirst {
		mi, wi = 1, 0
	}
	panels := make([]panel, 2)
	panels[mi] = panel{plot: newPanel(msgLabel, mi == 1), legend: newLegend()}
	panels[wi] = panel{plot: newPanel("wrong views (%)", wi == 1), legend: newLegend()}
	setX(panels, xr)
	for _, pl := range layout.under {
		panels[0].plot.Add(pl)
		panels[1].plot.Add(pl)
	}
	if noneDrawn {
		panels[0].plot.Add(noSamples{})
		panels[1].plot.Add(noSamples{})
	}

	// Layers, bottom to top: reset bands, lines, marker ticks.
	// Each resetting run also gets a solid strip (its lane) along the top
	// edge of the upper panel, so that overlapping bands stay apart.
	var shades []resetShade
	for _, cr := range crs {
		if len(cr.resets) > 0 {
			shades = append(shades, resetShade{spans: cr.resets, col: cr.col})
		}
	}
	anyReset := len(shades) > 0
	if anyReset {
		panels[0].plot.Add(resetBands{runs: shades, strips: true})
		panels[1].plot.Add(resetBands{runs: shades})
	}

	get := msgs
	belowFloor := false
	var floor float64
	if logY {
		var loExp, hiExp float64
		loExp, hiExp = logLimits(peak, minPos)
		floor = math.Pow(10, loExp)
		get = func(x metrics.Sample) float64 { return math.Log10(math.Max(floor, msgs(x))) }
		p := panels[mi].plot
		p.Y.Min, p.Y.Max = loExp, hiExp
		p.Y.Tick.Marker = logTicker(false)
		for _, cr := range crs {
			for _, x := range cr.rates {
				belowFloor = belowFloor || msgs(x) < floor
			}
		}
	} else {
		setLinearY(panels[mi].plot, minMsgs, peak)
	}
	wp := panels[wi].plot
	wp.Y.Min, wp.Y.Max = minWrong, minWrong+(math.Max(1e-3*100, peakWrong)-minWrong)*1.05
	wp.Y.Tick.Marker = linearTicker(5, false, false)

	// Lines, with their ticks gathered for drawing on top of all lines.
	ticks := [2]*markerTicks{{}, {}}
	var keys []string // distinct labels of drawn markers, in order of first appearance
	offChart := 0
	for i, cr := range crs {
		var thumbs []plot.Thumbnailer
		if len(cr.sr.s) == 0 {
			panels[0].legend.Add(cr.label)
			continue
		}
		if len(cr.resets) > 0 {
			thumbs = append(thumbs, bandThumb(cr.col))
		}
		var lines [2]plotter.XYs
		lines[mi], lines[wi] = (&series{s: cr.rates}).xys(get), cr.sr.xys(wrong)
		for k, pts := range lines {
			th, err := drawLine(panels[k].plot, pts, seriesStyle(cr.col))
			if err != nil {
				return nil, nil, err
			}
			if k == 0 {
				thumbs = append(thumbs, th...)
			}
		}
		panels[0].legend.Add(cr.label, thumbs...)

		for _, m := range runs[i].Markers {
			label := m.Label
			if label == "" {
				label = "marker"
			}
			if !(m.Time >= xr.xmin && m.Time <= xr.xmax) {
				offChart++
				continue
			}
			key := indexOf(keys, label)
			if key < 0 {
				key = len(keys)
				keys = append(keys, label)
			}
			sty := tickStyle(cr.col, key)
			for k, pts := range lines {
				ticks[k].ticks = append(ticks[k].ticks, markerTick{x: m.Time, y: interpolate(pts, m.Time), style: sty})
			}
		}
	}
	if len(keys) > 0 {
		panels[0].plot.Add(ticks[0])
		panels[1].plot.Add(ticks[1])
	}

	if logY && belowFloor {
		panels[mi].legend.Add("at bottom edge: ≤ "+formatLogTick(floor)+" messages/s", thumb(func(c *draw.Canvas) {
			c.StrokeLine2(seriesStyle(colGrey), c.Min.X, c.Min.Y, c.Max.X, c.Min.Y)
		}))
	}
	if bin > 1 {
		span := ""
		for _, cr := range crs {
			if len(cr.rates) > 1 {
				span = " (" + formatValue(cr.rates[1].Time-cr.rates[0].Time) + " s)"
				break
			}
		}
		panels[mi].legend.Add(fmt.Sprintf("gossip: each point the mean rate over %d samples%s", bin, span))
	}
	if anyReset {
		panels[1].legend.Add("shaded: reset in progress", bandThumb(colGrey))
	}
	for k, label := range keys {
		panels[1].legend.Add("tick: "+label, tickStyle(colGrey, k))
	}
	if offChart > 0 {
		panels[1].legend.Add(plural(offChart, "marker") + " off chart (not drawn)")
	}
	return panels, xr, nil
}

// indexOf returns the index of s in list, or -1.
func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// resetSpans returns the time spans during which the run was resetting:
// around each sample with Resetting set, from halfway to the previous
// sample to halfway to the next (at the ends, as far again as on the
// other side; a lone sample spans the whole run), merged where they touch.
func resetSpans(sr *series) [][2]float64 {
	s := sr.s
	var spans [][2]float64
	for j, x := range s {
		if !x.Resetting {
			continue
		}
		var lo, hi float64
		switch {
		case len(s) == 1:
			lo, hi = sr.xmin, sr.xmax
		case j == 0:
			hi = (s[1].Time + x.Time) / 2
			lo = x.Time - (hi - x.Time)
		case j == len(s)-1:
			lo = (s[j-1].Time + x.Time) / 2
			hi = x.Time + (x.Time - lo)
		default:
			lo, hi = (s[j-1].Time+x.Time)/2, (x.Time+s[j+1].Time)/2
		}
		if n := len(spans); n > 0 && lo <= spans[n-1][1] {
			spans[n-1][1] = math.Max(spans[n-1][1], hi)
			continue
		}
		spans = append(spans, [2]float64{lo, hi})
	}
	return spans
}

// resetShade is the reset spans of one run, in its colour.
type resetShade struct {
	spans [][2]float64
	col   color.RGBA
}

// resetBands is a plotter shading the runs' reset spans across the whole
// height of the data area and, if strips is set, marking each run's spans
// with a solid strip in its own lane along the top edge (the first run's
// at the top), drawn over all bands.
type resetBands struct {
	runs   []resetShade
	strips bool
}

// Plot implements plot.Plotter.
func (b resetBands) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	each := func(f func(lane int, col color.RGBA, x0, x1 vg.Length)) {
		for lane, r := range b.runs {
			for _, sp := range r.spans {
				lo, hi := math.Max(sp[0], p.X.Min), math.Min(sp[1], p.X.Max)
				if hi > lo {
					f(lane, r.col, trX(lo), trX(hi))
				}
			}
		}
	}
	each(func(_ int, col color.RGBA, x0, x1 vg.Length) {
		fillRect(&c, withAlpha(col, resetBandAlpha), x0, c.Min.Y, x1, c.Max.Y)
	})
	if !b.strips {
		return
	}
	each(func(lane int, col color.RGBA, x0, x1 vg.Length) {
		top := c.Max.Y - vg.Length(lane)*vg.Points(laneHeightPt+laneGapPt)
		if bottom := top - vg.Points(laneHeightPt); bottom > c.Min.Y {
			fillRect(&c, col, x0, bottom, x1, top)
		}
	})
}

// fillRect fills the rectangle from (x0, y0) to (x1, y1) with col.
func fillRect(c *draw.Canvas, col color.Color, x0, y0, x1, y1 vg.Length) {
	r := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}
	c.SetColor(col)
	c.Fill(r.Path())
}

// bandThumb is the legend thumbnail of a reset band of the given colour:
// the light band with its solid strip along the top.
func bandThumb(col color.RGBA) thumb {
	return func(c *draw.Canvas) {
		y0, y1 := c.Min.Y-vg.Points(1), c.Max.Y+vg.Points(1)
		fillRect(c, withAlpha(col, resetBandAlpha*1.6), c.Min.X, y0, c.Max.X, y1)
		fillRect(c, col, c.Min.X, y1-vg.Points(laneHeightPt), c.Max.X, y1)
	}
}

// tickStyle returns the line style of a marker tick in the given colour,
// with the dash pattern of the key-th marker label.
func tickStyle(col color.Color, key int) tickThumb {
	return tickThumb{Color: col, Width: vg.Points(tickWidthPt), Dashes: tickDashes[key%len(tickDashes)]}
}

// tickThumb is a marker tick's line style, which also draws the tick as a
// legend thumbnail.
type tickThumb draw.LineStyle

// Thumbnail implements plot.Thumbnailer: a vertical tick in the middle.
func (t tickThumb) Thumbnail(c *draw.Canvas) {
	x := c.Center().X
	c.StrokeLine2(draw.LineStyle(t), x, c.Min.Y, x, c.Max.Y)
}

// markerTick is one marker of one run: a tick at time x centred on the
// value y (in axis coordinates) of the run's line there.
type markerTick struct {
	x, y  float64
	style tickThumb
}

// markerTicks is a plotter drawing short vertical marker ticks, each kept
// inside the data area.
type markerTicks struct {
	ticks []markerTick
}

// Plot implements plot.Plotter. Ticks of several runs that would fall on
// top of each other (the same instant, lines at the same height, as for a
// trigger that the runs share) are spread sideways into a small comb
// centred on their instant, so that every run's colour shows.
func (m *markerTicks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	half := vg.Points(tickHalfPt)
	type placed struct {
		x, y0, y1 vg.Length
		style     tickThumb
		group     int // index of the first tick of its group
	}
	var ts []placed
	size := map[int]int{}
	for _, t := range m.ticks {
		if !(t.x >= p.X.Min && t.x <= p.X.Max) {
			continue
		}
		y := c.Center().Y
		if finite(t.y) {
			y = trY(math.Max(p.Y.Min, math.Min(p.Y.Max, t.y)))
		}
		y0, y1 := y-half, y+half
		if y0 < c.Min.Y {
			y0, y1 = c.Min.Y, c.Min.Y+2*half
		}
		if y1 > c.Max.Y {
			y0, y1 = c.Max.Y-2*half, c.Max.Y
		}
		pt := placed{x: trX(t.x), y0: y0, y1: y1, style: t.style, group: len(ts)}
		for j, q := range ts {
			if q.group == j && vg.Length(math.Abs(float64(q.x-pt.x))) < vg.Points(tickSpreadPt)/2 && vg.Length(math.Abs(float64(q.y0-pt.y0))) < half {
				pt.group = j
				break
			}
		}
		ts = append(ts, pt)
		size[pt.group]++
	}
	rank := map[int]int{}
	for _, t := range ts {
		n, k := size[t.group], rank[t.group]
		rank[t.group]++
		x := t.x + vg.Points(tickSpreadPt)*vg.Length(float64(k)-float64(n-1)/2)
		c.StrokeLine2(draw.LineStyle(t.style), x, t.y0, x, t.y1)
	}
}

// interpolate returns the value of the line through pts (sorted by X) at
// x: linear between points, the end value beyond either end.
func interpolate(pts plotter.XYs, x float64) float64 {
	n := len(pts)
	j := sort.Search(n, func(i int) bool { return pts[i].X >= x })
	switch {
	case j == 0:
		return pts[0].Y
	case j == n:
		return pts[n-1].Y
	}
	a, b := pts[j-1], pts[j]
	if b.X == a.X {
		return b.Y
	}
	return a.Y + (b.Y-a.Y)*(x-a.X)/(b.X-a.X)
}
