package plots

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Infection is one bad value's holders over time, for InfectionCurves.
type Infection struct {
	// Label names the value in the legend.
	Label string
	// Reach is how many nodes ever held it; the values of most reach are
	// drawn in colour.
	Reach int
	// Times (simulated seconds) and Shares (0 to 1) are a step function:
	// from Times[k] on, a share Shares[k] of the live nodes holds it.
	Times, Shares []float64
}

// maxLabelledValues is how many values InfectionCurves draws in colour
// and names; the others are thin grey lines.
const maxLabelledValues = 8

// zoomShare is the largest share of the run the values' rises may take
// for InfectionCurves to add a panel zoomed onto them.
const zoomShare = 0.3

// InfectionCurves writes to path the infection curves of a run's bad
// values: the share of live nodes holding each value over time, in
// percent, one step line per value, over the whole run (to end, simulated
// seconds, the run's horizon; a curve stops where its last holder let the
// value go). The maxLabelledValues (8) values that reached the most nodes
// are drawn in colour and named in the legend; the others are thin grey
// lines, counted in one legend entry. The trigger, if given, is a dotted
// vertical line. When every value rose to its highest share within
// zoomShare (30%) of the run, a second panel zooms onto the rises (from
// the trigger to the last value's peak), where they would otherwise be one
// vertical line.
func InfectionCurves(path string, values []Infection, end float64, trigger *Marker, opt Options) error {
	order := make([]int, len(values))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(values[b].Reach, values[a].Reach) })
	rank := map[int]int{}
	for r, k := range order {
		rank[k] = r
	}
	xmin, xmax := 0.0, end
	first, peak := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if len(v.Times) == 0 {
			continue
		}
		first = math.Min(first, v.Times[0])
		xmax = math.Max(xmax, v.Times[len(v.Times)-1])
		top, at := -1.0, 0.0
		for k, y := range v.Shares {
			if y > top {
				top, at = y, v.Times[k]
			}
		}
		peak = math.Max(peak, at)
	}
	if trigger != nil {
		first = math.Min(first, trigger.Time)
		xmin = math.Min(xmin, trigger.Time)
	}
	if xmax <= xmin {
		xmax = xmin + 1
	}
	whole, lg, err := infectionPanel(values, rank, end, trigger, xmin, xmax)
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	panels := []panel{{plot: whole, legend: lg}}
	if span := peak - first; span > 0 && span < zoomShare*(xmax-xmin) {
		pad := span * 0.05
		zoom, _, err := infectionPanel(values, rank, end, trigger, first-pad, peak+pad)
		if err != nil {
			return fmt.Errorf("plots: drawing %s: %w", path, err)
		}
		zoomNote := newLegend()
		zoomNote.Add(fmt.Sprintf("zoomed: %.1f s to %.1f s, where the values spread", first-pad, peak+pad))
		panels = append(panels, panel{plot: zoom, legend: zoomNote})
		opt.HeightInches = cmp.Or(opt.HeightInches, DefaultHeightInches+DefaultPanelInches*1.5)
	}
	return renderAndWrite(path, opt.Title, panels, opt)
}

// infectionPanel is one panel of InfectionCurves over [xmin, xmax], with
// its legend.
func infectionPanel(values []Infection, rank map[int]int, end float64, trigger *Marker, xmin, xmax float64) (*plot.Plot, *flowLegend, error) {
	p := newPanel("holders (% of live)", true)
	lg := newLegend()
	grey := draw.LineStyle{Color: color.RGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xFF}, Width: vg.Points(0.6)}
	// Grey first, so that the coloured lines are drawn over them.
	for pass := range 2 {
		for k, v := range values {
			r := rank[k]
			named := r < maxLabelledValues
			if (pass == 0) == named || len(v.Times) == 0 {
				continue
			}
			pts := stepPoints(v.Times, v.Shares, end, xmax-xmin)
			if !named {
				p.Add(polyline{pts: pts, style: grey})
				continue
			}
			sty := seriesStyle(lineColours[r%len(lineColours)])
			if r > 0 {
				sty.Dashes = []vg.Length{vg.Points(2 + 2*float64(r)), vg.Points(2)}
			}
			p.Add(polyline{pts: pts, style: sty})
			lg.Add(v.Label, lineThumb(sty))
		}
	}
	if n := len(values) - maxLabelledValues; n > 0 {
		lg.Add(fmt.Sprintf("%d other values", n), lineThumb(grey))
	}
	if trigger != nil {
		ml := markerLine{x: trigger.Time, style: markerStyles[1]} // grey dots: not confused with a value's line
		p.Add(ml)
		lg.Add(fmt.Sprintf("%s at t = %.1f s", trigger.Label, trigger.Time), ml)
	}
	p.X.Min, p.X.Max = xmin, xmax
	p.X.Tick.Marker = linearTicker(10, false, false)
	p.Y.Min, p.Y.Max = 0, 105
	p.Y.Tick.Marker = linearTicker(5, false, false)
	return p, lg, nil
}

// stepColumns is how many columns of the time axis stepPoints resolves:
// steps closer than one column apart are drawn as one vertical step, so a
// curve of thousands of holders is a few hundred points.
const stepColumns = 2000

// stepPoints draws a step function (ys[k] from xs[k] on) as a line in
// percent, continued to end unless its last level is 0; the steps within
// one of stepColumns columns of a span of width seconds become one
// vertical run through the last level.
func stepPoints(xs, ys []float64, end, width float64) plotter.XYs {
	pts := make(plotter.XYs, 0, 2*len(xs)+1)
	col := width / stepColumns
	for k := range xs {
		if k > 0 && col > 0 && xs[k]-pts[len(pts)-1].X < col && len(pts) >= 2 {
			// Within a column of the last step: extend it vertically.
			pts[len(pts)-1].Y = 100 * ys[k]
			continue
		}
		if k > 0 {
			pts = append(pts, plotter.XY{X: xs[k], Y: 100 * ys[k-1]})
		}
		pts = append(pts, plotter.XY{X: xs[k], Y: 100 * ys[k]})
	}
	if last := xs[len(xs)-1]; end > last && ys[len(ys)-1] > 0 {
		pts = append(pts, plotter.XY{X: end, Y: 100 * ys[len(ys)-1]})
	}
	return pts
}

// polyline is a line through points, drawn without the glyph boxes a
// plotter.Line computes for every point (which, for curves of thousands
// of steps, cost hundreds of megabytes while the figure is laid out).
type polyline struct {
	pts   plotter.XYs
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (l polyline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	pts := make([]vg.Point, len(l.pts))
	for k, q := range l.pts {
		pts[k] = vg.Point{X: trX(q.X), Y: trY(q.Y)}
	}
	c.StrokeLines(l.style, c.ClipLinesXY(pts)...)
}

// lineThumb is a legend thumbnail of a line style.
type lineThumb draw.LineStyle

// Thumbnail implements plot.Thumbnailer.
func (l lineThumb) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(draw.LineStyle(l), c.Min.X, y, c.Max.X, y)
}

// TreePoint is a holder in a spread tree: when it got the value and its
// generation (hops from patient zero).
type TreePoint struct {
	Time       float64
	Generation int
}

// TreeEdge is one node getting the value from another.
type TreeEdge struct{ From, To TreePoint }

// Tree is a bad value's spread tree, for SpreadTree.
type Tree struct {
	// Title says which value it is (drawn as a legend note).
	Title string
	// Root is patient zero.
	Root TreePoint
	// Edges are the holders after patient zero, each from its source.
	Edges []TreeEdge
	// Nodes is the number of holders of known generation (patient zero
	// included).
	Nodes int
}

// SpreadTree writes to path the spread tree of one bad value: x is the
// simulated time (s), y the generation; each node that got the value from
// a holder is a segment from its source's point (its time, its
// generation) to its own, thin and translucent so that a thousand of them
// read as a shape; patient zero is a large dot.
func SpreadTree(path string, tr Tree, opt Options) error {
	p := newPanel("generation (hops from patient zero)", true)
	lg := newLegend()
	lg.Add(tr.Title)
	alpha := uint8(200)
	if len(tr.Edges) > 100 {
		alpha = 90
	}
	sty := draw.LineStyle{Color: color.NRGBA{R: 0x00, G: 0x72, B: 0xB2, A: alpha}, Width: vg.Points(0.6)}
	dot := draw.GlyphStyle{Color: colBlue, Radius: vg.Points(1.3), Shape: draw.CircleGlyph{}}
	segs := &treeSegments{edges: tr.Edges, line: sty, dot: dot}
	p.Add(segs)
	root := draw.GlyphStyle{Color: colVermillion, Radius: vg.Points(5), Shape: draw.CircleGlyph{}}
	sc, err := plotter.NewScatter(plotter.XYs{{X: tr.Root.Time, Y: 0}})
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	sc.GlyphStyle = root
	p.Add(sc)
	lg.Add(fmt.Sprintf("patient zero, t = %.2f s", tr.Root.Time), sc)
	lg.Add(fmt.Sprintf("a node got it from a holder (%d nodes)", len(tr.Edges)), segs)
	xmin, xmax, gmax := tr.Root.Time, tr.Root.Time, 0
	for _, e := range tr.Edges {
		xmax = math.Max(xmax, e.To.Time)
		gmax = max(gmax, e.To.Generation)
	}
	pad := math.Max((xmax-xmin)*0.03, 0.05)
	p.X.Min, p.X.Max = xmin-pad, xmax+pad
	p.X.Tick.Marker = linearTicker(10, false, false)
	p.Y.Min, p.Y.Max = -0.5, float64(gmax)+0.5
	p.Y.Tick.Marker = linearTicker(min(gmax+1, 8), false, false)
	return renderAndWrite(path, opt.Title, []panel{{plot: p, legend: lg}}, opt)
}

// treeSegments draws a spread tree's edges and their ends.
type treeSegments struct {
	edges []TreeEdge
	line  draw.LineStyle
	dot   draw.GlyphStyle
}

// Plot implements plot.Plotter.
func (t *treeSegments) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, e := range t.edges {
		c.StrokeLine2(t.line, trX(e.From.Time), trY(float64(e.From.Generation)), trX(e.To.Time), trY(float64(e.To.Generation)))
	}
	for _, e := range t.edges {
		c.DrawGlyph(t.dot, vg.Point{X: trX(e.To.Time), Y: trY(float64(e.To.Generation))})
	}
}

// Thumbnail implements plot.Thumbnailer.
func (t *treeSegments) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	sty := t.line
	sty.Color = colBlue
	c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
	c.DrawGlyph(t.dot, vg.Point{X: c.Max.X, Y: y})
}
