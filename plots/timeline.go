package plots

import (
	"fmt"
	"math"
	"math/bits"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Milestone is a labelled instant of a Timeline, e.g. "reset decided".
type Milestone struct {
	// At is the instant in seconds since the runs' start, on the same
	// clock as metrics.Sample.Time.
	At float64
	// Label names the instant above the figure's top panel.
	Label string
}

// Geometry of the milestone labels, in points.
const (
	milestoneTextPt  = 8.5 // label text
	milestoneLinePt  = 0.8 // the dashed vertical line
	milestonePadPt   = 3   // space kept between two labels on a row
	milestoneRowGap  = 1   // between rows of labels
	milestoneMaxRows = 8   // rows tried before labels may cross leaders
)

// milestoneStyle is the thin dashed grey line of a milestone.
var milestoneStyle = draw.LineStyle{Color: colGrey, Width: vg.Points(milestoneLinePt), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}

// Timeline writes to path a figure of runs against the time of day, for a
// report that tells what happened when: two stacked panels sharing the
// time axis,
//
//   - top: the wrong-view fraction, in percent of (live observer, live
//     peer) pairs;
//   - bottom: gossip volume, the fleet's messages sent per second, on a
//     log axis (and so labelled) when the positive values of all runs
//     span more than two decades;
//
// with one colour per run in both panels (a mitigation preset's colour,
// MitigationColour, when the run's label is a mitigation name), reset
// shading and marker ticks as in CompareRuns, of which Timeline is a
// variant.
//
// The x axis shows clock times, "08:40", at round intervals: a time t of
// the samples is the clock time origin + t, where origin is in seconds
// after midnight (so no time zone is involved; times past midnight wrap
// to 00:00). Seconds are shown ("08:40:30") when the ticks are less than
// a minute apart.
//
// Each milestone is a thin dashed grey vertical line across both panels,
// labelled above the top panel. Labels sit on rows, each label ending at
// its line (or starting there, near the left edge) and raised to a
// higher row, with its line drawn up to it, when it would collide with
// another label or another label's line; so milestones a few minutes
// apart on a day-long axis keep readable labels. Milestones outside the
// time axis are not drawn, and counted in the bottom panel's legend.
//
// Errors are as for CompareRuns; a milestone's At must be finite. The
// file is replaced atomically; on error no file is left behind.
func Timeline(path string, runs []Run, milestones []Milestone, origin float64, opt Options) error {
	panels, err := timelinePanels(runs, milestones, origin)
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	return renderAndWrite(path, opt.Title, panels, opt)
}

// timelinePanels builds the two panels of Timeline.
func timelinePanels(runs []Run, milestones []Milestone, origin float64) ([]panel, error) {
	if !finite(origin) {
		return nil, fmt.Errorf("origin is %v", origin)
	}
	for i, m := range milestones {
		if !finite(m.At) {
			return nil, fmt.Errorf("milestone %d (%q): At is %v", i+1, m.Label, m.At)
		}
	}
	lines := milestoneLines{ms: milestones}
	panels, xr, err := comparePanels(runs, compareLayout{logRatio: 100, wrongFirst: true, under: []plot.Plotter{lines}})
	if err != nil {
		return nil, err
	}
	for i := range panels {
		panels[i].plot.X.Tick.Marker = clockTicker(origin, i != len(panels)-1)
	}
	panels[len(panels)-1].plot.X.Label.Text = "time of day (hh:mm)"
	var shown []Milestone
	off := 0
	for _, m := range milestones {
		if m.At >= xr.xmin && m.At <= xr.xmax {
			shown = append(shown, m)
		} else {
			off++
		}
	}
	if len(shown) > 0 {
		panels[0].strip = &milestoneStrip{ms: shown}
	}
	if off > 0 {
		panels[len(panels)-1].legend.Add(plural(off, "milestone") + " outside the time axis (not drawn)")
	}
	return panels, nil
}

// milestoneLines is a plotter drawing each milestone within the x range as
// a dashed vertical line across the data area.
type milestoneLines struct {
	ms []Milestone
}

// Plot implements plot.Plotter.
func (m milestoneLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, ms := range m.ms {
		if ms.At >= p.X.Min && ms.At <= p.X.Max {
			x := trX(ms.At)
			c.StrokeLine2(milestoneStyle, x, c.Min.Y, x, c.Max.Y)
		}
	}
}

// milestoneStrip labels milestones in rows above a panel.
type milestoneStrip struct {
	ms []Milestone
}

// placedLabel is a milestone label laid out: the x of its line, its row
// (0 nearest the panel) and its horizontal extent.
type placedLabel struct {
	text   string
	x      vg.Length
	row    int
	x0, x1 vg.Length
}

func (s *milestoneStrip) style() text.Style {
	sty := textStyle(milestoneTextPt, colBlack)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
	return sty
}

// layout places the labels over the data area data of p, on rows (row 0
// nearest the panel) under three rules: labels on a row do not overlap;
// a label's line, drawn up to its label, crosses no label on a lower row;
// and each label sits right beside its line, ending just left of it or
// starting just right of it, inside the data area. A label whose span
// covers another's line must then sit above that label; labels are placed
// in an order that respects this, each on the lowest row the rules allow.
// Of the ways of putting labels left or right of their lines (all of
// them, for up to maxMilestoneSearch labels), layout takes the one with
// the fewest rows, then the fewest labels on the right. If none keeps the
// rules, labels with no room on the left go right, and a label that finds
// no row within milestoneMaxRows goes on a new row above all the others.
func (s *milestoneStrip) layout(p *plot.Plot, data draw.Canvas) ([]placedLabel, int) {
	trX, _ := p.Transforms(&data)
	sty := s.style()
	var items []milestoneItem
	for _, m := range s.ms {
		text := m.Label
		if text == "" {
			text = "milestone"
		}
		items = append(items, milestoneItem{text: text, x: trX(m.At), w: sty.Width(text)})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].x < items[j].x })
	var best []placedLabel
	bestRows, bestRight := 0, 0
	if len(items) <= maxMilestoneSearch {
		for mask := 0; mask < 1<<len(items); mask++ {
			labels, rows, ok := placeMilestones(items, mask, data, true)
			if !ok {
				continue
			}
			right := bits.OnesCount(uint(mask))
			if best == nil || rows < bestRows || rows == bestRows && right < bestRight {
				best, bestRows, bestRight = labels, rows, right
			}
		}
	}
	if best != nil {
		return best, bestRows
	}
	mask := 0
	for i, it := range items {
		if it.x-vg.Points(milestoneGapPt)-it.w < data.Min.X {
			mask |= 1 << i
		}
	}
	labels, rows, _ := placeMilestones(items, mask, data, false)
	return labels, rows
}

// maxMilestoneSearch is the largest number of milestone labels for which
// layout tries every way of putting them left or right of their lines.
const maxMilestoneSearch = 10

// milestoneGapPt is the gap between a milestone's line and its label.
const milestoneGapPt = 1.5

// milestoneItem is a milestone label to place: its text, the x of its
// line and its width.
type milestoneItem struct {
	text string
	x, w vg.Length
}

// placeMilestones places the labels of items (sorted by x), item i right
// of its line if bit i of right is set, else left of it. With strict, it
// fails (ok false) if a label would leave the data area, if two labels
// would each have to be above the other, or if a label finds no row
// within milestoneMaxRows; without, it places every label anyway.
func placeMilestones(items []milestoneItem, right int, data draw.Canvas, strict bool) (labels []placedLabel, rows int, ok bool) {
	pad := vg.Points(milestonePadPt)
	gap := vg.Points(milestoneGapPt)
	n := len(items)
	spans := make([][2]vg.Length, n)
	for i, it := range items {
		x0 := it.x - gap - it.w
		if right&(1<<i) != 0 {
			x0 = it.x + gap
		}
		if x0 < data.Min.X || x0+it.w > data.Max.X {
			if strict {
				return nil, 0, false
			}
			x0 = vg.Length(math.Max(float64(data.Min.X), math.Min(float64(x0), float64(data.Max.X-it.w))))
		}
		spans[i] = [2]vg.Length{x0, x0 + it.w}
	}
	// covers reports whether label i's span covers line j (another line).
	covers := func(i, j int) bool {
		return i != j && math.Abs(float64(items[i].x-items[j].x)) > 0.5 &&
			items[j].x > spans[i][0]-pad && items[j].x < spans[i][1]+pad
	}
	// Place a label only after every label whose line it covers (which
	// must be below it), and otherwise from left to right.
	done := make([]bool, n)
	placed := make([]int, n) // row of each placed label
	for len(labels) < n {
		next := -1
		for i := 0; i < n && next < 0; i++ {
			if done[i] {
				continue
			}
			ready := true
			for j := 0; j < n; j++ {
				if !done[j] && covers(i, j) {
					ready = false
				}
			}
			if ready {
				next = i
			}
		}
		if next < 0 { // two labels cover each other's lines
			if strict {
				return nil, 0, false
			}
			for i := 0; next < 0; i++ {
				if !done[i] {
					next = i
				}
			}
		}
		it, sp := items[next], spans[next]
		free := func(row int) bool {
			for j := 0; j < n; j++ {
				if !done[j] {
					continue
				}
				q := placed[j]
				switch {
				case q == row && sp[0] < spans[j][1]+pad && spans[j][0] < sp[1]+pad:
					return false
				case q > row && covers(next, j): // j's line passes through this row
					return false
				case q < row && covers(j, next): // this line passes through j's label
					return false
				}
			}
			return true
		}
		row := 0
		for row < milestoneMaxRows && !free(row) {
			row++
		}
		if row == milestoneMaxRows {
			if strict {
				return nil, 0, false
			}
			row = rows
		}
		done[next], placed[next] = true, row
		labels = append(labels, placedLabel{text: it.text, x: it.x, row: row, x0: sp[0], x1: sp[1]})
		rows = max(rows, row+1)
	}
	return labels, rows, true
}

// rowHeight is the height of a row of labels.
func (s *milestoneStrip) rowHeight() vg.Length {
	return s.style().Height("Mg") + vg.Points(milestoneRowGap)
}

// height implements stripItem.
func (s *milestoneStrip) height(p *plot.Plot, data draw.Canvas) vg.Length {
	_, rows := s.layout(p, data)
	if rows == 0 {
		return 0
	}
	return vg.Length(rows)*s.rowHeight() + vg.Points(stripGapPt)
}

// draw implements stripItem: each label on its row, with its line drawn
// from the data area up to the label's baseline.
func (s *milestoneStrip) draw(c draw.Canvas, p *plot.Plot, data draw.Canvas) {
	labels, _ := s.layout(p, data)
	sty := s.style()
	rh := s.rowHeight()
	desc := sty.FontExtents().Descent
	for _, l := range labels {
		y := c.Min.Y + vg.Points(stripGapPt) + vg.Length(l.row)*rh
		c.StrokeLine2(milestoneStyle, l.x, data.Max.Y, l.x, y+desc+rh*0.5)
		c.FillText(sty, vg.Point{X: l.x0, Y: y + desc}, l.text)
	}
}

// clockSteps are the tick intervals of a clock axis, in seconds.
var clockSteps = []float64{
	1, 2, 5, 10, 15, 30,
	60, 2 * 60, 5 * 60, 10 * 60, 15 * 60, 30 * 60,
	3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600,
}

// clockTicker returns ticks of an axis of seconds since a start that is
// origin seconds after midnight, at round clock times (every 1, 2, 5,
// 10, 15 or 30 seconds or minutes, or 1, 2, 3, 6, 12 or 24 hours; at most
// 10 intervals), labelled hh:mm, or hh:mm:ss (at most 6 intervals) for
// steps under a minute.
func clockTicker(origin float64, hideLabels bool) plot.Ticker {
	return plot.TickerFunc(func(min, max float64) []plot.Tick {
		if !(max > min) {
			return nil
		}
		step := clockSteps[len(clockSteps)-1]
		for _, st := range clockSteps {
			// hh:mm labels are narrow enough for 10 intervals on a
			// 6.5-inch figure, hh:mm:ss for 6.
			if limit := map[bool]float64{true: 6, false: 10}[st < 60]; (max-min)/st <= limit {
				step = st
				break
			}
		}
		var ticks []plot.Tick
		first := math.Ceil((origin+min)/step-1e-9) * step
		for i := 0; i < 200; i++ {
			clock := first + float64(i)*step
			v := clock - origin
			if v > max+step*1e-9 {
				break
			}
			t := plot.Tick{Value: v, Label: " "}
			if !hideLabels {
				t.Label = clockLabel(clock, step < 60)
			}
			ticks = append(ticks, t)
		}
		return ticks
	})
}

// clockLabel prints seconds after midnight as hh:mm (or hh:mm:ss), modulo
// a day.
func clockLabel(sec float64, seconds bool) string {
	s := int64(math.Round(sec))
	s %= 86400
	if s < 0 {
		s += 86400
	}
	if seconds {
		return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/3600, s/60%60)
}
