package plots

import (
	"fmt"
	"image"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gossipsim/gossipsim/models/metrics"
)

// Stems of the file names written by WriteAnatomyFiles; the extension is
// the format's (Options.FileName).
const (
	SaturationStem   = "saturation"
	DeclarationsStem = "declarations"
)

// Saturation writes to path a heat map of the anatomy's per-node processor
// utilization over time: one row per node, the nodes sorted by the sample
// in which they first saturated (earliest at the bottom, those that never
// saturated on top, above a dashed vermillion line), simulated time across,
// the colour the utilization in percent of capacity on the viridis scale
// (its colour bar on the right; yellow is saturated). A solid vermillion
// line traces each node's first saturation: the front, which a storm
// drives up the figure. When the fleet has more nodes than the
// data area has pixel rows (or the matrix more columns than it has pixel
// columns), each pixel is the mean of the nodes (and columns) it covers.
// Each marker is a dashed vertical line with a white halo. The file is
// replaced atomically; on error no file is left behind.
func Saturation(path string, a *metrics.Anatomy, markers []Marker, opt Options) error {
	panels, err := saturationPanels(a, markers)
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	return renderAndWrite(path, opt.Title, panels, opt)
}

// Declarations writes to path a figure of the anatomy's failure
// declarations per simulated second, made by observers' own detectors:
// about peers that were down (true, blue) and up (false, vermillion), each
// labelled with its total. A run of more than declarationPoints samples
// is drawn in bins of several samples (the mean rate over each, said in
// the legend). The y axis is logarithmic (and so labelled)
// when the positive rates span more than two decades; zeros are then drawn
// on the bottom edge. Each marker is a dashed vertical line. The file is
// replaced atomically; on error no file is left behind.
func Declarations(path string, a *metrics.Anatomy, markers []Marker, opt Options) error {
	panels, err := declarationPanels(a, markers)
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	return renderAndWrite(path, opt.Title, panels, opt)
}

// WriteAnatomyFiles writes Saturation and Declarations into dir, creating
// it if needed, as saturation and declarations with the extension of opt's
// format, and returns their paths in that order. Both are drawn before
// either is written.
func WriteAnatomyFiles(dir string, a *metrics.Anatomy, markers []Marker, opt Options) ([]string, error) {
	return writeFigures(dir, opt, []figure{
		{SaturationStem, func() ([]panel, error) { return saturationPanels(a, markers) }},
		{DeclarationsStem, func() ([]panel, error) { return declarationPanels(a, markers) }},
	})
}

// anatomyStart is where the anatomy's time axis starts: the start of the
// first sample's interval, taken as long as the second's.
func anatomyStart(a *metrics.Anatomy) float64 {
	switch {
	case len(a.Times) > 1:
		return a.Times[0] - (a.Times[1] - a.Times[0])
	case a.Times[0] > 0:
		return 0
	}
	return a.Times[0] - 1
}

// checkAnatomy returns an error if a cannot be drawn.
func checkAnatomy(a *metrics.Anatomy, matrix bool) error {
	if a == nil || len(a.Times) == 0 {
		return ErrNoSamples
	}
	k := len(a.Times)
	if len(a.DeclarationsTrue) != k || len(a.DeclarationsFalse) != k || len(a.SaturatedNodes) != k {
		return fmt.Errorf("anatomy: %d sample times but %d, %d and %d per-sample values", k, len(a.DeclarationsTrue), len(a.DeclarationsFalse), len(a.SaturatedNodes))
	}
	for i, t := range a.Times {
		if !finite(t) || i > 0 && t <= a.Times[i-1] {
			return fmt.Errorf("anatomy: sample time %d is %v, not finite and after the previous", i, t)
		}
	}
	if !matrix {
		return nil
	}
	if a.Nodes <= 0 || len(a.ColumnTimes) == 0 || len(a.Levels) != a.Nodes*len(a.ColumnTimes) || len(a.FirstSaturation) != a.Nodes {
		return fmt.Errorf("anatomy: a matrix of %d levels for %d nodes × %d columns (%d first saturations)", len(a.Levels), a.Nodes, len(a.ColumnTimes), len(a.FirstSaturation))
	}
	if !slices.IsSorted(a.ColumnTimes) {
		return fmt.Errorf("anatomy: column times are not sorted")
	}
	return nil
}

// anatomyMarkerStyles are the markers' styles in the anatomy figures:
// markerStyles and two more, so that the six markers a run may have (the
// trigger, first saturation, storm, alarm, reset and restore) differ.
var anatomyMarkerStyles = append(slices.Clip(markerStyles),
	draw.LineStyle{Color: colBlack, Width: vg.Points(markerWidth), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}},
	draw.LineStyle{Color: colGrey, Width: vg.Points(markerWidth), Dashes: []vg.Length{vg.Points(6), vg.Points(2), vg.Points(1), vg.Points(2), vg.Points(1), vg.Points(2)}},
)

// anatomyMarkers draws the markers on the panel, over a white halo (so
// that they show on dark cells) if halo is set, and lists them in its
// legend.
func anatomyMarkers(pn *panel, markers []Marker, sr *series, halo bool) {
	for i, m := range markers {
		ml := markerLine{x: m.Time, style: anatomyMarkerStyles[i%len(anatomyMarkerStyles)]}
		var pl interface {
			plot.Plotter
			plot.Thumbnailer
		} = ml
		if halo {
			pl = haloMarker{ml}
		}
		pn.plot.Add(pl)
		pn.legend.Add(markerName(m, sr), pl)
	}
}

// haloMarker is a markerLine drawn over a wider white line.
type haloMarker struct{ markerLine }

// Plot implements plot.Plotter.
func (m haloMarker) Plot(c draw.Canvas, p *plot.Plot) {
	halo := markerLine{x: m.x, style: draw.LineStyle{Color: colWhite, Width: m.style.Width + vg.Points(2)}}
	halo.Plot(c, p)
	m.markerLine.Plot(c, p)
}

// saturationPanels builds the single panel of Saturation.
func saturationPanels(a *metrics.Anatomy, markers []Marker) ([]panel, error) {
	if err := checkAnatomy(a, true); err != nil {
		return nil, err
	}
	order := a.SaturationOrder()
	saturated := 0
	for _, i := range order {
		if a.FirstSaturation[i] >= 0 {
			saturated++
		}
	}
	sr := &series{xmin: anatomyStart(a), xmax: a.ColumnTimes[len(a.ColumnTimes)-1]}
	pn := panel{plot: newPanel("nodes, by first saturation", true), legend: newLegend()}
	p := pn.plot
	p.X.Min, p.X.Max = sr.xmin, sr.xmax
	p.X.Tick.Marker = linearTicker(10, false, false)
	p.Y.Min, p.Y.Max = 0, float64(a.Nodes)
	p.Y.Tick.Marker = linearTicker(5, false, true)
	p.Add(&utilizationRaster{a: a, order: order})
	line := draw.LineStyle{Color: colVermillion, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(2)}}
	if saturated > 0 {
		// The front: each node's first saturation, at the middle of the
		// sample's interval, against its row.
		front := make(plotter.XYs, saturated)
		for r, i := range order[:saturated] {
			f := a.FirstSaturation[i]
			start := sr.xmin
			if f > 0 {
				start = a.Times[f-1]
			}
			front[r] = plotter.XY{X: (start + a.Times[f]) / 2, Y: float64(r) + 0.5}
		}
		if err := addLine(&pn, front, draw.LineStyle{Color: colVermillion, Width: vg.Points(1.2)}, "each node's first saturation (the front; earliest at the bottom)"); err != nil {
			return nil, err
		}
	}
	anatomyMarkers(&pn, markers, sr, true)
	switch {
	case saturated == 0:
		pn.legend.Add(fmt.Sprintf("no node saturated (utilization ≥ %g%%)", 100*metrics.SaturationThreshold))
	case saturated < a.Nodes:
		p.Add(hLine{y: float64(saturated), style: line})
		pn.legend.Add(fmt.Sprintf("above: %s of %s nodes never saturated (≥ %g%%)", groupedInt(a.Nodes-saturated), groupedInt(a.Nodes), 100*metrics.SaturationThreshold), hLine{style: line})
	default:
		pn.legend.Add(fmt.Sprintf("every node saturated (≥ %g%%) at some time", 100*metrics.SaturationThreshold))
	}
	if a.Span > 1 {
		pn.legend.Add(fmt.Sprintf("each column: the mean of %d samples", a.Span))
	}
	pn.side = &colourBar{scale: zScale{min: 0, max: 100}, label: "utilization (% of capacity)"}
	return []panel{pn}, nil
}

// groupedInt formats n with thousands separators: "10,000".
func groupedInt(n int) string {
	if n < 0 {
		return "-" + groupedInt(-n)
	}
	if n < 1000 {
		return fmt.Sprint(n)
	}
	return groupedInt(n/1000) + fmt.Sprintf(",%03d", n%1000)
}

// hLine is a horizontal line across the data area at y.
type hLine struct {
	y     float64
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (h hLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(h.y)
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

// Thumbnail implements plot.Thumbnailer.
func (h hLine) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

// utilizationRaster draws the utilization matrix as an image with one
// pixel per device pixel of the data area: nodes in order from the bottom,
// columns at their times on the x axis.
type utilizationRaster struct {
	a     *metrics.Anatomy
	order []int
}

// rasterDPI is the resolution the raster is built at for vector formats,
// which have no pixels of their own.
const rasterDPI = DefaultDPI

// Plot implements plot.Plotter.
func (u *utilizationRaster) Plot(c draw.Canvas, p *plot.Plot) {
	dpi := float64(rasterDPI)
	if d, ok := c.Canvas.(interface{ DPI() float64 }); ok && d.DPI() > 0 {
		dpi = math.Max(d.DPI(), rasterDPI)
	}
	w := max(1, int(math.Round((c.Max.X - c.Min.X).Dots(dpi))))
	h := max(1, int(math.Round((c.Max.Y - c.Min.Y).Dots(dpi))))
	c.DrawImage(c.Rectangle, u.image(w, h, p))
}

// span returns the range [lo, hi) of k items that pixel i of n covers:
// every item whose share of the axis starts in the pixel, or the one
// under its centre when items are wider than pixels.
func span(i, n, k int) (lo, hi int) {
	lo = int(int64(i) * int64(k) / int64(n))
	hi = int(int64(i+1) * int64(k) / int64(n))
	return lo, max(hi, lo+1)
}

// image builds the w×h raster: pixel row y (from the bottom) is the mean
// of the nodes in ranks span(y, h, nodes); pixel column x the mean of the
// columns whose time falls in its share of the x range (or the column
// under it).
func (u *utilizationRaster) image(w, h int, p *plot.Plot) image.Image {
	a := u.a
	cols := len(a.ColumnTimes)
	// Each column's range of pixel columns, from its start time to its end.
	colOf := make([]int, w) // the column under each pixel's centre
	x0, x1 := p.X.Min, p.X.Max
	for x := range w {
		t := x0 + (float64(x)+0.5)*(x1-x0)/float64(w)
		c, _ := slices.BinarySearch(a.ColumnTimes, t)
		colOf[x] = min(c, cols-1)
	}
	// rows[y*cols+c]: the mean level of pixel row y's nodes in column c.
	rows := make([]float64, h*cols)
	for y := range h {
		lo, hi := span(y, h, a.Nodes)
		row := rows[y*cols : (y+1)*cols]
		for _, node := range u.order[lo:hi] {
			for c := range cols {
				row[c] += float64(a.Levels[c*a.Nodes+node])
			}
		}
		for c := range row {
			row[c] /= float64(hi-lo) * metrics.UtilizationLevels
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		// The columns of this pixel: from the one under its left neighbour's
		// centre (exclusive) to its own, so that none is skipped.
		lo := colOf[x]
		if x > 0 {
			lo = min(colOf[x-1]+1, colOf[x])
		}
		hi := colOf[x] + 1
		for y := range h {
			row := rows[y*cols : (y+1)*cols]
			sum := 0.0
			for c := lo; c < hi; c++ {
				sum += row[c]
			}
			img.SetRGBA(x, h-1-y, viridis(sum/float64(hi-lo)))
		}
	}
	return img
}

// declarationPoints is about how many points Declarations draws per
// series at most: a storm's declarations come in bursts a few samples
// apart (saturated observers all scan at once), so per-sample rates would
// jump between 0 and their peak; binned, the line shows the level.
const declarationPoints = 120

// declarationBin is how many samples Declarations sums per point.
func declarationBin(samples int) int {
	return max(1, (samples+declarationPoints-1)/declarationPoints)
}

// anatomyRates returns the true and false declarations per simulated
// second over bins of k samples (the last bin may be shorter), each at
// its bin's end.
func anatomyRates(a *metrics.Anatomy, k int) (trueRate, falseRate plotter.XYs) {
	prev := anatomyStart(a)
	for lo := 0; lo < len(a.Times); lo += k {
		hi := min(lo+k, len(a.Times))
		var tr, fa int64
		for j := lo; j < hi; j++ {
			tr += a.DeclarationsTrue[j]
			fa += a.DeclarationsFalse[j]
		}
		t := a.Times[hi-1]
		dt := t - prev
		trueRate = append(trueRate, plotter.XY{X: t, Y: float64(tr) / dt})
		falseRate = append(falseRate, plotter.XY{X: t, Y: float64(fa) / dt})
		prev = t
	}
	return trueRate, falseRate
}

// declarationPanels builds the single panel of Declarations.
func declarationPanels(a *metrics.Anatomy, markers []Marker) ([]panel, error) {
	if err := checkAnatomy(a, false); err != nil {
		return nil, err
	}
	sr := &series{xmin: anatomyStart(a), xmax: a.Times[len(a.Times)-1]}
	bin := declarationBin(len(a.Times))
	trueRate, falseRate := anatomyRates(a, bin)
	peak, minPos := 0.0, math.Inf(1)
	for _, pts := range []plotter.XYs{trueRate, falseRate} {
		for _, pt := range pts {
			peak = math.Max(peak, pt.Y)
			if pt.Y > 0 {
				minPos = math.Min(minPos, pt.Y)
			}
		}
	}
	logY := peak > 0 && peak >= logZRatio*minPos
	label := "failure declarations/s"
	if logY {
		label += " (log scale)"
	}
	pn := panel{plot: newPanel(label, true), legend: newLegend()}
	panels := []panel{pn}
	setX(panels, sr)
	anatomyMarkers(&panels[0], markers, sr, false)
	var loExp, hiExp float64
	if logY {
		loExp, hiExp = logLimits(peak, minPos)
		floor := math.Pow(10, loExp)
		for _, pts := range []plotter.XYs{trueRate, falseRate} {
			for i := range pts {
				pts[i].Y = math.Log10(math.Max(floor, pts[i].Y))
			}
		}
	}
	trueTotal, falseTotal := a.Declarations()
	lines := []struct {
		pts  plotter.XYs
		col  draw.LineStyle
		name string
	}{
		{falseRate, seriesStyle(colVermillion), fmt.Sprintf("false: the peer was up (%s in all)", groupedInt64(falseTotal))},
		{trueRate, seriesStyle(colBlue), fmt.Sprintf("true: the peer was down (%s in all)", groupedInt64(trueTotal))},
	}
	for _, l := range lines {
		if err := addLine(&panels[0], l.pts, l.col, l.name); err != nil {
			return nil, err
		}
	}
	if bin > 1 {
		pn.legend.Add(fmt.Sprintf("each point: the mean rate over %d samples (%s s)", bin, formatValue(trueRate[0].X-sr.xmin)))
	}
	if logY {
		pn.plot.Y.Min, pn.plot.Y.Max = loExp, hiExp
		pn.plot.Y.Tick.Marker = logTicker(false)
	} else {
		setLinearY(pn.plot, 0, peak)
	}
	return panels, nil
}

// groupedInt64 is groupedInt for an int64.
func groupedInt64(n int64) string { return groupedInt(int(n)) }
