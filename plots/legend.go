package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Geometry of a legend, in points.
const (
	legendThumbPt    = 20 // width of an entry's thumbnail
	legendThumbGapPt = 4  // between a thumbnail and its text
	legendEntryGapPt = 12 // between two entries on a row
	legendRowGapPt   = 2  // between two rows
	legendBelowPt    = 6  // between the legend and what it sits on
)

// legendEntry is one item of a legend: thumbnails drawn on top of each
// other, then the text. An entry without thumbnails is a plain note.
type legendEntry struct {
	text   string
	thumbs []plot.Thumbnailer
}

// flowLegend is a legend laid out in rows across the width of a panel,
// above it, as wide figures in a report want: entries go left to right and
// wrap to a new row when the next would not fit; an entry wider than the
// whole row has its text wrapped onto several lines.
type flowLegend struct {
	entries []legendEntry
}

// newLegend returns an empty legend.
func newLegend() *flowLegend { return &flowLegend{} }

// Add adds an entry, as plot.Legend.Add does.
func (l *flowLegend) Add(name string, thumbs ...plot.Thumbnailer) {
	l.entries = append(l.entries, legendEntry{text: name, thumbs: thumbs})
}

// style is the text style of legend entries.
func (l *flowLegend) style() text.Style {
	sty := textStyle(legendSize, colBlack)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
	return sty
}

// placedEntry is an entry laid out: its text (wrapped if need be) and its
// rectangle relative to the legend's top-left corner (Y grows downwards).
type placedEntry struct {
	legendEntry
	x, y, w, h vg.Length
}

// layout places the entries in rows no wider than width and returns them
// with the legend's total height (0 for an empty legend).
func (l *flowLegend) layout(width vg.Length) ([]placedEntry, vg.Length) {
	if l == nil || len(l.entries) == 0 {
		return nil, 0
	}
	sty := l.style()
	var out []placedEntry
	x, y, rowH := vg.Length(0), vg.Length(0), vg.Length(0)
	for _, e := range l.entries {
		thumbW := vg.Length(0)
		if len(e.thumbs) > 0 {
			thumbW = vg.Points(legendThumbPt + legendThumbGapPt)
		}
		txt := e.text
		if thumbW+sty.Width(txt) > width {
			txt = wrapText(sty, txt, width-thumbW)
		}
		w := thumbW + sty.Width(txt)
		h := sty.Height(txt)
		if x > 0 && x+w > width {
			x, y, rowH = 0, y+rowH+vg.Points(legendRowGapPt), 0
		}
		e.text = txt
		out = append(out, placedEntry{legendEntry: e, x: x, y: y, w: w, h: h})
		x += w + vg.Points(legendEntryGapPt)
		if h > rowH {
			rowH = h
		}
	}
	return out, y + rowH
}

// height returns the height of the legend laid out in width.
func (l *flowLegend) height(width vg.Length) vg.Length {
	_, h := l.layout(width)
	return h
}

// draw draws the legend with its top-left corner at (x0, top), in rows no
// wider than width.
func (l *flowLegend) draw(c draw.Canvas, x0, top, width vg.Length) {
	placed, _ := l.layout(width)
	sty := l.style()
	lineH := sty.Height("M")
	for _, p := range placed {
		tx := x0 + p.x
		if len(p.thumbs) > 0 {
			// The thumbnail sits beside the first line of text.
			icon := &draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: tx, Y: top - p.y - lineH + vg.Points(1)},
				Max: vg.Point{X: tx + vg.Points(legendThumbPt), Y: top - p.y - vg.Points(1)},
			}}
			for _, t := range p.thumbs {
				t.Thumbnail(icon)
			}
			tx += vg.Points(legendThumbPt + legendThumbGapPt)
		}
		ts := sty
		if len(p.thumbs) == 0 {
			ts.Color = colGrey
		}
		c.FillText(ts, vg.Point{X: tx, Y: top - p.y}, p.text)
	}
}
