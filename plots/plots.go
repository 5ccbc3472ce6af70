package plots

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gossipsim/gossipsim/models/metrics"
)

// Marker is a labelled instant drawn as a dashed vertical line across every
// panel of a figure, e.g. the trigger (first accepted corruption). Markers
// outside the time range of the samples are not drawn but still appear in
// the legend, marked "off chart".
type Marker struct {
	// Time is the instant, in simulated seconds.
	Time float64
	// Label names the instant in the legend, e.g. "trigger".
	Label string
}

// Options control the look and file format of every figure. The zero
// value is usable: a PNG of 6.5 x 4.5 inches at 150 dpi.
type Options struct {
	// Title is the figure title, e.g. "S3-style gossip, 1000 nodes, seed 1",
	// wrapped onto several lines if it is wider than the figure. Empty
	// means no title.
	Title string
	// WidthInches and HeightInches are the figure size; 0 means the
	// default of DefaultWidthInches x DefaultHeightInches (6.5 x 4.5), one
	// column of a report. Text and line sizes are fixed in points, so a
	// larger figure has relatively smaller text.
	WidthInches, HeightInches float64
	// Format is the file format: PNG, SVG or PDF ("png", "svg", "pdf");
	// "" means PNG. A path given to a figure function whose extension
	// names another of these formats is an error.
	Format string
	// DPI is the resolution of a PNG in pixels per inch, from MinDPI to
	// MaxDPI (50 to 1200); 0 means DefaultDPI (150). SVG and PDF are
	// vector formats and ignore it.
	DPI int
	// Provenance, if not empty, is stored in the file: in a PNG as a tEXt
	// chunk with the keyword "gossipsim", in an SVG as a <metadata
	// id="gossipsim"> element; a PDF carries none (see PDF).
	Provenance string
}

// Stems of the file names written by WriteFiles; the extension is the
// format's (Options.FileName).
const (
	GossipVolumeStem = "gossip_volume"
	WrongViewStem    = "wrong_view"
)

// File names written by WriteFiles for PNG figures.
const (
	GossipVolumeFile = GossipVolumeStem + ".png"
	WrongViewFile    = WrongViewStem + ".png"
)

// ErrNoSamples is returned (wrapped) when a figure that cannot be drawn
// without samples is asked for with none. GossipVolume, WrongView and
// WriteFiles never return it: they draw their axes with NoSamplesText.
var ErrNoSamples = errors.New("no samples to plot")

// GossipVolume writes to path a figure of gossip volume over time, in two
// stacked panels sharing the time axis:
//
//   - top: messages per second: the fleet total sent, the failure-notice
//     part of it, and the messages per second received by the busiest node.
//     When the busiest node's peak is more than 20 times smaller than the
//     fleet's (as in any large fleet) the axis is logarithmic so that all
//     three lines are readable; zeros are then drawn on the bottom edge.
//   - bottom: fleet total bytes sent per second, in B/s, kB/s, MB/s or GB/s
//     (decimal SI units) chosen by magnitude.
//
// Each marker is a dashed vertical line on both panels. Samples need not be
// sorted; with none, the panels say NoSamplesText. The file is replaced atomically; on error no file is left behind.
func GossipVolume(path string, samples []metrics.Sample, markers []Marker, opt Options) error {
	panels, err := gossipVolumePanels(samples, markers)
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	return renderAndWrite(path, opt.Title, panels, opt)
}

// WrongView writes to path a figure of how wrong the fleet's views are and how
// loaded its nodes are, in stacked panels sharing the time axis:
//
//   - top: the wrong-view fraction, in percent of (live observer, live peer)
//     pairs, from 0 to 5% above the larger of its peak and 0.1%; for a
//     fleet of 2 to len(zoneColours) zones (Sample.WrongViewFractionByZone),
//     also one thin dashed line per zone (each its own colour and dash
//     length, so zones that agree stay visible): that zone's observers'
//     wrong views;
//   - middle: mean and max node utilization, in percent of capacity;
//   - bottom: receive-queue drops per second, a panel drawn only if some
//     sample has drops.
//
// Each marker is a dashed vertical line on every panel. Samples need not be
// sorted; with none, the panels say NoSamplesText. The file is replaced atomically; on error no file is left behind.
func WrongView(path string, samples []metrics.Sample, markers []Marker, opt Options) error {
	panels, err := wrongViewPanels(samples, markers)
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	return renderAndWrite(path, opt.Title, panels, opt)
}

// WriteFiles writes both figures into dir, creating it if needed, as
// gossip_volume and wrong_view with the extension of opt's format (e.g.
// gossip_volume.png from GossipVolume, wrong_view.png from WrongView), and
// returns their paths in that order. Both figures are drawn before either
// is written; if writing the second fails, the first stays written.
func WriteFiles(dir string, samples []metrics.Sample, markers []Marker, opt Options) ([]string, error) {
	return writeFigures(dir, opt, []figure{
		{GossipVolumeStem, func() ([]panel, error) { return gossipVolumePanels(samples, markers) }},
		{WrongViewStem, func() ([]panel, error) { return wrongViewPanels(samples, markers) }},
	})
}

// figure is one figure of a set written together: its file's stem and
// how to draw its panels.
type figure struct {
	stem string
	draw func() ([]panel, error)
}

// writeFigures draws figs, titled and formatted by opt, and writes them
// into dir (created if needed) as their stems with the extension of opt's
// format, returning their paths in order. Every figure is drawn before any
// is written; if writing one fails, those before it stay written.
func writeFigures(dir string, opt Options, figs []figure) ([]string, error) {
	paths := make([]string, len(figs))
	data := make([][]byte, len(figs))
	for i, f := range figs {
		paths[i] = filepath.Join(dir, opt.FileName(f.stem))
		panels, err := f.draw()
		if err == nil {
			data[i], err = render(opt.Title, panels, opt)
		}
		if err != nil {
			return nil, fmt.Errorf("plots: drawing %s: %w", paths[i], err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: writing %s: %w", dir, err)
	}
	for i, p := range paths {
		if err := writeAtomic(p, data[i]); err != nil {
			return nil, fmt.Errorf("plots: writing %s: %w", p, err)
		}
	}
	return paths, nil
}

// series is a sorted, validated copy of a run's samples.
type series struct {
	s          []metrics.Sample
	xmin, xmax float64
}

// field is one named value of a sample, for validation.
type field struct {
	name string
	v    float64
}

// allFields returns every float field of a sample.
func allFields(x metrics.Sample) []field {
	return []field{
		{"Time", x.Time},
		{"MessagesPerSecond", x.MessagesPerSecond},
		{"BytesPerSecond", x.BytesPerSecond},
		{"FailureMessagesPerSecond", x.FailureMessagesPerSecond},
		{"BusiestNodeMessagesPerSecond", x.BusiestNodeMessagesPerSecond},
		{"WrongViewFraction", x.WrongViewFraction},
		{"MeanUtilization", x.MeanUtilization},
		{"MaxUtilization", x.MaxUtilization},
		{"QueueDropsPerSecond", x.QueueDropsPerSecond},
	}
}

// prepare validates samples and returns them sorted by time.
func prepare(samples []metrics.Sample) (*series, error) {
	return prepareFields(samples, allFields)
}

// prepareFields is prepare checking only the fields that fields returns
// (which should include Time) for NaN and infinities.
func prepareFields(samples []metrics.Sample, fields func(metrics.Sample) []field) (*series, error) {
	if len(samples) == 0 {
		return nil, ErrNoSamples
	}
	s := append([]metrics.Sample(nil), samples...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].Time < s[j].Time })
	for i, x := range s {
		for _, f := range fields(x) {
			if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
				return nil, fmt.Errorf("sample %d (sorted by time): %s is %v", i, f.name, f.v)
			}
		}
	}
	sr := &series{s: s, xmin: s[0].Time, xmax: s[len(s)-1].Time}
	if len(s) > 1 && s[1].Time > s[0].Time {
		// A sample's rates cover the interval that ended at its Time, so
		// the time axis starts where the first interval began (assuming
		// it was as long as the second).
		sr.xmin = s[0].Time - (s[1].Time - s[0].Time)
	}
	if sr.xmax == sr.xmin {
		// A single instant: centre it in a window of a second or so.
		half := math.Max(0.5, math.Abs(sr.xmin)*0.01)
		sr.xmin, sr.xmax = sr.xmin-half, sr.xmax+half
	}
	return sr, nil
}

// xys extracts one column of the samples, transformed by f.
func (sr *series) xys(get func(metrics.Sample) float64) plotter.XYs {
	pts := make(plotter.XYs, len(sr.s))
	for i, x := range sr.s {
		pts[i] = plotter.XY{X: x.Time, Y: get(x)}
	}
	return pts
}

// peak returns the largest value of a column (at least 0).
func (sr *series) peak(get func(metrics.Sample) float64) float64 {
	m := 0.0
	for _, x := range sr.s {
		m = math.Max(m, get(x))
	}
	return m
}

// addLine adds a data line (with point glyphs if there is a single
// sample, which would otherwise draw nothing) to the panel and its legend.
func addLine(pn *panel, pts plotter.XYs, c draw.LineStyle, name string) error {
	thumbs, err := drawLine(pn.plot, pts, c)
	if err != nil {
		return err
	}
	pn.legend.Add(name, thumbs...)
	return nil
}

// drawLine adds a data line (with point glyphs if there is a single
// sample) to p and returns its legend thumbnails.
func drawLine(p *plot.Plot, pts plotter.XYs, c draw.LineStyle) ([]plot.Thumbnailer, error) {
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, err
	}
	l.LineStyle = c
	p.Add(l)
	if len(pts) == 1 {
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: c.Color, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		return []plot.Thumbnailer{l, sc}, nil
	}
	return []plot.Thumbnailer{l}, nil
}

// markerLine is a plotter drawing one marker as a vertical line across the
// data area, if its time is within the x range.
type markerLine struct {
	x     float64
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (m markerLine) Plot(c draw.Canvas, p *plot.Plot) {
	if !(m.x >= p.X.Min && m.x <= p.X.Max) {
		return
	}
	trX, _ := p.Transforms(&c)
	x := trX(m.x)
	c.StrokeLine2(m.style, x, c.Min.Y, x, c.Max.Y)
}

// Thumbnail implements plot.Thumbnailer for the legend.
func (m markerLine) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(m.style, c.Min.X, y, c.Max.X, y)
}

// markerName is the legend text of a marker: its label and time, flagged
// if the marker lies outside the plotted time range.
func markerName(m Marker, sr *series) string {
	label := m.Label
	if label == "" {
		label = "marker"
	}
	// Times to a tenth of a second above 10 s, three significant digits
	// below; NaN and infinities print as such.
	t := strconv.FormatFloat(m.Time, 'g', 3, 64)
	if math.Abs(m.Time) >= 10 && !math.IsInf(m.Time, 0) {
		t = strconv.FormatFloat(math.Round(m.Time*10)/10, 'f', -1, 64)
	}
	if !(m.Time >= sr.xmin && m.Time <= sr.xmax) {
		return fmt.Sprintf("%s at t = %s s (off chart)", label, t)
	}
	return fmt.Sprintf("%s at t = %s s", label, t)
}

// addMarkers draws the markers on every panel and lists them in the legend
// of the first.
func addMarkers(panels []panel, markers []Marker, sr *series) {
	for i, m := range markers {
		ml := markerLine{x: m.Time, style: markerStyles[i%len(markerStyles)]}
		for j := range panels {
			panels[j].plot.Add(ml)
		}
		panels[0].legend.Add(markerName(m, sr), ml)
	}
}

// setX gives every panel the series' time range and matching ticks; only
// the last panel shows tick labels and the axis label.
func setX(panels []panel, sr *series) {
	for i := range panels {
		p := panels[i].plot
		p.X.Min, p.X.Max = sr.xmin, sr.xmax
		p.X.Tick.Marker = linearTicker(10, i != len(panels)-1, false)
	}
}

// setLinearY sets a linear y axis from 0 (or the data minimum, if negative)
// to 5% above max, or to 1 if everything is zero.
func setLinearY(p *plot.Plot, min, max float64) {
	min = math.Min(0, min)
	if max <= min {
		max = min + 1
	}
	p.Y.Min, p.Y.Max = min, min+(max-min)*1.05
	p.Y.Scale = plot.LinearScale{}
	p.Y.Tick.Marker = linearTicker(5, false, true)
}

// gossipVolumePanels builds the two panels of the gossip-volume figure.
func gossipVolumePanels(samples []metrics.Sample, markers []Marker) ([]panel, error) {
	if len(samples) == 0 {
		return emptyPanels(markers, "messages/s", "bytes sent (B/s)"), nil
	}
	sr, err := prepare(samples)
	if err != nil {
		return nil, err
	}
	total := func(x metrics.Sample) float64 { return x.MessagesPerSecond }
	failure := func(x metrics.Sample) float64 { return x.FailureMessagesPerSecond }
	busiest := func(x metrics.Sample) float64 { return x.BusiestNodeMessagesPerSecond }
	bytesPS := func(x metrics.Sample) float64 { return x.BytesPerSecond }

	peakTotal := math.Max(sr.peak(total), sr.peak(failure))
	peakBusiest := sr.peak(busiest)
	logY := peakBusiest > 0 && peakTotal > 20*peakBusiest

	msgLabel := "messages/s"
	if logY {
		msgLabel = "messages/s (log scale)"
	}
	msgs := panel{plot: newPanel(msgLabel, false), legend: newLegend()}

	scale, unit := byteUnit(sr.peak(bytesPS))
	byteRate := panel{plot: newPanel("bytes sent ("+unit+")", true), legend: newLegend()}
	panels := []panel{msgs, byteRate}
	setX(panels, sr)
	addMarkers(panels, markers, sr)

	msgCols := []struct {
		get  func(metrics.Sample) float64
		col  draw.LineStyle
		name string
	}{
		{total, seriesStyle(colFleetTotal), "fleet total sent"},
		{failure, seriesStyle(colFailure), "failure notices sent"},
		{busiest, seriesStyle(colBusiest), "busiest node, received"},
	}
	// On a log axis the panel plots log10 of the data on a linear scale
	// with decade ticks, rather than using plot.LogScale, whose axis label
	// is placed by the arithmetic mean of the range and so pushes the panel
	// down. Values at or below the floor are drawn on the bottom edge.
	var loExp, hiExp float64
	if logY {
		loExp, hiExp = logRange(sr, total, failure, busiest)
	}
	for _, c := range msgCols {
		get := c.get
		if logY {
			floor := math.Pow(10, loExp)
			get = func(x metrics.Sample) float64 { return math.Log10(math.Max(floor, c.get(x))) }
		}
		if err := addLine(&panels[0], sr.xys(get), c.col, c.name); err != nil {
			return nil, err
		}
	}
	if logY {
		msgs.plot.Y.Min, msgs.plot.Y.Max = loExp, hiExp
		msgs.plot.Y.Tick.Marker = logTicker(false)
	} else {
		setLinearY(msgs.plot, 0, peakTotal)
	}

	if err := addLine(&panels[1], sr.xys(func(x metrics.Sample) float64 { return x.BytesPerSecond / scale }),
		seriesStyle(colFleetTotal), "fleet total sent"); err != nil {
		return nil, err
	}
	minB := 0.0
	for _, x := range sr.s {
		minB = math.Min(minB, x.BytesPerSecond/scale)
	}
	setLinearY(panels[1].plot, minB, sr.peak(bytesPS)/scale)
	return panels, nil
}

// logRange returns the limits, as powers of ten, of a log axis for the
// given columns: from the decade at or below the smallest positive value
// (but no more than about six decades below the peak) to 30% above the peak. The caller ensures
// that some value is positive.
func logRange(sr *series, cols ...func(metrics.Sample) float64) (loExp, hiExp float64) {
	peak, minPos := 0.0, math.Inf(1)
	for _, get := range cols {
		for _, x := range sr.s {
			v := get(x)
			peak = math.Max(peak, v)
			if v > 0 {
				minPos = math.Min(minPos, v)
			}
		}
	}
	return logLimits(peak, minPos)
}

// logLimits returns the limits, as powers of ten, of a log axis for data
// whose largest value is peak and smallest positive value minPos (both
// positive): see logRange.
func logLimits(peak, minPos float64) (loExp, hiExp float64) {
	hiExp = math.Log10(peak * 1.3)
	loExp = math.Max(math.Floor(math.Log10(minPos)), math.Floor(hiExp)-6)
	if hiExp-loExp < 1 {
		loExp = math.Floor(hiExp - 1)
	}
	return loExp, hiExp
}

// byteUnit picks a decimal unit for a byte rate whose peak is max.
func byteUnit(max float64) (scale float64, unit string) {
	switch {
	case max >= 1e9:
		return 1e9, "GB/s"
	case max >= 1e6:
		return 1e6, "MB/s"
	case max >= 1e3:
		return 1e3, "kB/s"
	}
	return 1, "B/s"
}

// wrongViewPanels builds the panels of the wrong-view figure.
func wrongViewPanels(samples []metrics.Sample, markers []Marker) ([]panel, error) {
	if len(samples) == 0 {
		return emptyPanels(markers, "wrong views (%)", "utilization (%)"), nil
	}
	sr, err := prepare(samples)
	if err != nil {
		return nil, err
	}
	wrong := func(x metrics.Sample) float64 { return x.WrongViewFraction * 100 }
	meanU := func(x metrics.Sample) float64 { return x.MeanUtilization * 100 }
	maxU := func(x metrics.Sample) float64 { return x.MaxUtilization * 100 }
	drops := func(x metrics.Sample) float64 { return x.QueueDropsPerSecond }

	panels := []panel{
		{plot: newPanel("wrong views (%)", false), legend: newLegend()},
		{plot: newPanel("utilization (%)", true), legend: newLegend()},
	}
	hasDrops := false
	for _, x := range sr.s {
		if x.QueueDropsPerSecond != 0 {
			hasDrops = true
			break
		}
	}
	if hasDrops {
		panels[1].plot.X.Label.Text = ""
		panels = append(panels, panel{plot: newPanel("queue drops/s", true), legend: newLegend()})
	}
	setX(panels, sr)
	addMarkers(panels, markers, sr)

	if err := addLine(&panels[0], sr.xys(wrong), seriesStyle(colWrongViews), "wrong views (% of live pairs)"); err != nil {
		return nil, err
	}
	peak := sr.peak(wrong)
	if zones := len(sr.s[0].WrongViewFractionByZone); zones > 1 && zones <= len(zoneColours) {
		for z := range zones {
			zone := func(x metrics.Sample) float64 {
				if z < len(x.WrongViewFractionByZone) {
					return x.WrongViewFractionByZone[z] * 100
				}
				return 0
			}
			st := seriesStyle(zoneColours[z])
			st.Width /= 2
			st.Dashes = zoneDashes(z) // zones whose views agree draw over each other
			if err := addLine(&panels[0], sr.xys(zone), st, fmt.Sprintf("zone %d's observers", z)); err != nil {
				return nil, err
			}
			peak = math.Max(peak, sr.peak(zone))
		}
	}
	wp := panels[0].plot
	wp.Y.Min, wp.Y.Max = 0, math.Max(1e-3*100, peak)*1.05
	wp.Y.Tick.Marker = linearTicker(5, false, false)

	if err := addLine(&panels[1], sr.xys(meanU), seriesStyle(colMeanUtil), "mean node, % of capacity"); err != nil {
		return nil, err
	}
	if err := addLine(&panels[1], sr.xys(maxU), seriesStyle(colBusiestUtil), "busiest node, % of capacity"); err != nil {
		return nil, err
	}
	up := panels[1].plot
	up.Y.Min, up.Y.Max = 0, math.Max(100, math.Max(sr.peak(meanU), sr.peak(maxU)))*1.05
	up.Y.Tick.Marker = linearTicker(5, false, false)

	if hasDrops {
		if err := addLine(&panels[2], sr.xys(drops), seriesStyle(colDrops), "queue drops (fleet)"); err != nil {
			return nil, err
		}
		minD := 0.0
		for _, x := range sr.s {
			minD = math.Min(minD, x.QueueDropsPerSecond)
		}
		setLinearY(panels[2].plot, minD, sr.peak(drops))
	}
	return panels, nil
}
