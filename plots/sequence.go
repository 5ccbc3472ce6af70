package plots

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// A sequence diagram draws the messages of a small fleet over a window of
// simulated time, from the events of a trace (package trace): one lifeline
// per node, time going down, one arrow per message copy from its sender at
// the time it was sent to its receiver at the time it reached the
// receiver's queue. It is written by hand as SVG (no plotting library), so
// that every arrow can carry a tooltip (<title>) and a class a test or a
// script can find:
//
//   - <g class="msg" data-msg="N" data-kind="digest" data-outcome="...">:
//     one per copy sent in the window; data-outcome is "delivered",
//     "dropped", "rejected", "accepted-corrupted" or "in-flight" (no
//     delivery or drop in the trace), and data-corrupted="true" marks a
//     copy the path corrupted;
//   - <line class="lifeline" data-node="I">: a node's lifeline (one or
//     more segments, dotted while the node is down);
//   - <g class="mark" data-kind="...">: an event on a lifeline (an entry
//     made wrong or right again, a failure declared, a crash, a restart, a
//     reset phase).
//
// The colour of an arrow is its message kind (legend at the top); a copy
// the path corrupted has a red halo; one rejected by its receiver ends in a
// red cross at the time it was rejected, one read although corrupted in a
// large red disc labelled "ACCEPTED CORRUPTED" and a thin red line across
// the diagram; a lost copy is dashed and ends in a cross labelled with the
// reason (half-way for the network's losses: loss, partition, sender-down;
// at the receiver for the others).

// MaxSequenceNodes is the largest fleet a sequence diagram draws: one
// lifeline per node, at most 32.
const MaxSequenceNodes = 32

// Sequence diagram scale: DefaultSequenceScale chooses the pixels per
// simulated second from the number of arrows (MinSequenceScale, or more so
// that arrows are SequenceArrowSpacing pixels apart on average), and the
// body of the diagram is at least MinSequenceHeight and at most
// MaxSequenceHeight pixels tall, whatever the scale asked for.
const (
	DefaultSequenceScale = 0
	MinSequenceScale     = 150.0
	SequenceArrowSpacing = 8.0
	MinSequenceHeight    = 300.0
	MaxSequenceHeight    = 20000.0
)

// SequenceGrace is how long after the end of its window a sequence diagram
// wants events (SequenceOptions.Filter): the deliveries, drops and
// rejections of the copies sent just before the window's end. A copy waits
// in a full receive queue for up to 2.6 s at the S3 model's defaults (64
// messages of 40 ms); 5 s leaves room.
const SequenceGrace = 5 * sim.Second

// SequenceOptions say what a sequence diagram draws.
type SequenceOptions struct {
	// Nodes is the fleet size: lifelines 0 to Nodes-1, at most
	// MaxSequenceNodes.
	Nodes int
	// From and Until are the window, in simulated time: the diagram draws
	// the copies sent at From <= t < Until and the lifeline events in the
	// window. Until must be after From.
	From, Until sim.Time
	// PixelsPerSecond is the vertical scale; 0 (DefaultSequenceScale)
	// chooses one from the number of arrows. The body is kept between
	// MinSequenceHeight and MaxSequenceHeight pixels tall.
	PixelsPerSecond float64
	// Title says what ran (e.g. "s3-2008: 8 nodes, ..., seed 2"); the
	// diagram adds the window and the number of messages on a second line.
	Title string
	// KindNames names the message kinds of a model whose kinds are not
	// wire's (SWIM's share wire's numbers: 2 is a ping, not a digest), in
	// the legend, the tooltips and data-kind; nil, or a kind it does not
	// name: wire.Kind.String. The colours go by number.
	KindNames map[wire.Kind]string
	// Note, if not empty, is a last line of the title (e.g. why the window
	// ends early: SequenceRecorder.Options).
	Note string
	// Provenance, if not empty, is stored in a <metadata id="gossipsim">
	// element (SVGMetadata reads it).
	Provenance string
}

// Validate reports the first bad option: the fleet size, the window or
// the scale.
func (o SequenceOptions) Validate() error {
	switch {
	case o.Nodes < 1 || o.Nodes > MaxSequenceNodes:
		return fmt.Errorf("nodes: %d is outside the [1, %d] nodes a sequence diagram draws", o.Nodes, MaxSequenceNodes)
	case o.From < 0:
		return fmt.Errorf("from: %v is negative", o.From)
	case o.Until <= o.From:
		return fmt.Errorf("until: %v is not after from (%v)", o.Until, o.From)
	case o.PixelsPerSecond < 0 || math.IsNaN(o.PixelsPerSecond) || math.IsInf(o.PixelsPerSecond, 0):
		return fmt.Errorf("pixels per second: %g is not a number >= 0", o.PixelsPerSecond)
	}
	return nil
}

// SequenceKinds lists the event kinds a sequence diagram reads.
func SequenceKinds() []trace.Kind {
	return []trace.Kind{trace.Send, trace.Deliver, trace.Process, trace.Drop, trace.Corrupt, trace.Reject,
		trace.AcceptCorrupted, trace.Update, trace.DeclareFailed, trace.Crash, trace.Restart, trace.Reset}
}

// Filter is the trace filter that records what the diagram needs: its
// kinds, from From until SequenceGrace after Until.
func (o SequenceOptions) Filter() trace.Filter {
	return trace.Filter{Kinds: SequenceKinds(), From: o.From, Until: o.Until + SequenceGrace}
}

// WriteSequence draws the sequence diagram of events (SequenceDiagram) and
// writes it to path atomically.
func WriteSequence(path string, events []trace.Event, opt SequenceOptions) error {
	data, err := SequenceDiagram(events, opt)
	if err != nil {
		return fmt.Errorf("plots: drawing %s: %w", path, err)
	}
	if err := writeAtomic(path, data); err != nil {
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	return nil
}

// SequenceDiagram returns the SVG sequence diagram of events (in the order
// they happened, as a trace.Recorder keeps them) over opt's window. The
// same events and options always give the same bytes.
func SequenceDiagram(events []trace.Event, opt SequenceOptions) ([]byte, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	d, err := collectSequence(events, opt)
	if err != nil {
		return nil, err
	}
	d.layout()
	return d.svg(), nil
}

// seqCopy is one message copy sent in the window and what became of it.
type seqCopy struct {
	msg          uint64
	from, to     int32
	kind         wire.Kind
	size         int32
	sent         sim.Time
	end          sim.Time // delivery or drop; -1: none in the trace
	processed    sim.Time // -1: not processed intact in the trace
	outcomeAt    sim.Time // the reject or accept; -1: none
	delivered    bool
	dropped      bool
	rejected     bool
	accepted     bool
	corrupted    bool
	bits         int32
	reason       string // the drop's or the rejection's
	corruptEvent bool
}

// outcome is the copy's data-outcome.
func (c *seqCopy) outcome() string {
	switch {
	case c.accepted:
		return "accepted-corrupted"
	case c.rejected:
		return "rejected"
	case c.dropped:
		return "dropped"
	case c.delivered:
		return "delivered"
	}
	return "in-flight"
}

// networkDrop reports whether the copy was lost on the path (drawn
// half-way) rather than at its receiver.
func (c *seqCopy) networkDrop() bool {
	return c.reason == "loss" || c.reason == "partition" || c.reason == "sender-down"
}

// sequence is a diagram being laid out.
type sequence struct {
	opt    SequenceOptions
	copies []*seqCopy
	marks  []trace.Event // the lifeline events drawn
	end    sim.Time      // the bottom of the time axis
	counts struct{ dropped, corrupted, rejected, accepted, inFlight int }
	kinds  []wire.Kind // the message kinds present, in kind order

	// layout, in pixels
	scale         float64 // pixels per second
	width, height float64
	left, colW    float64
	top, bodyTop  float64
	bodyBottom    float64
	legendRows    [][]legendItem
	bottomHeads   bool
	titleLines    []string
}

// collectSequence pairs the events of every copy sent in the window.
func collectSequence(events []trace.Event, opt SequenceOptions) (*sequence, error) {
	d := &sequence{opt: opt, end: opt.Until}
	byMsg := map[uint64]*seqCopy{}
	n := int32(opt.Nodes)
	for i := range events {
		e := &events[i]
		if e.Node >= n || e.Peer >= n || e.Subject >= n {
			return nil, fmt.Errorf("event %d (%s at %v): node %d, peer %d or subject %d is not in the fleet of %d nodes",
				i, e.Kind, e.Time, e.Node, e.Peer, e.Subject, opt.Nodes)
		}
		inWindow := e.Time >= opt.From && e.Time < opt.Until
		switch e.Kind {
		case trace.Send:
			if !inWindow || e.Node < 0 || e.Peer < 0 {
				continue
			}
			if _, dup := byMsg[e.Msg]; dup {
				return nil, fmt.Errorf("event %d: message %d is sent twice", i, e.Msg)
			}
			c := &seqCopy{msg: e.Msg, from: e.Node, to: e.Peer, kind: e.MsgKind, size: e.Size, sent: e.Time,
				end: -1, processed: -1, outcomeAt: -1}
			byMsg[e.Msg] = c
			d.copies = append(d.copies, c)
		case trace.Deliver, trace.Drop, trace.Process, trace.Corrupt, trace.Reject, trace.AcceptCorrupted:
			c := byMsg[e.Msg]
			if c == nil || e.Msg == 0 {
				continue // sent before the window
			}
			switch e.Kind {
			case trace.Deliver:
				c.delivered, c.end = true, e.Time
			case trace.Drop:
				c.dropped, c.end, c.reason = true, e.Time, e.Reason
			case trace.Process:
				c.processed = e.Time
			case trace.Corrupt:
				c.corrupted, c.corruptEvent, c.bits = true, true, e.Bits
			case trace.Reject:
				c.corrupted, c.rejected, c.outcomeAt, c.reason = true, true, e.Time, e.Reason
			case trace.AcceptCorrupted:
				c.corrupted, c.accepted, c.outcomeAt = true, true, e.Time
			}
		case trace.Update:
			if inWindow && e.Node >= 0 && e.WasWrong != e.Wrong {
				d.marks = append(d.marks, *e)
			}
		case trace.DeclareFailed, trace.Crash, trace.Restart, trace.Reset:
			if inWindow {
				d.marks = append(d.marks, *e)
			}
		}
	}
	var seen [256]bool
	for _, c := range d.copies {
		seen[c.kind] = true
		if c.end > d.end {
			d.end = c.end
		}
		if c.outcomeAt > d.end {
			d.end = c.outcomeAt
		}
		switch {
		case c.dropped:
			d.counts.dropped++
		case !c.delivered:
			d.counts.inFlight++
		}
		if c.corrupted {
			d.counts.corrupted++
		}
		if c.rejected {
			d.counts.rejected++
		}
		if c.accepted {
			d.counts.accepted++
		}
	}
	for k := range seen {
		if seen[k] {
			d.kinds = append(d.kinds, wire.Kind(k))
		}
	}
	return d, nil
}

// Geometry of the diagram, in pixels (SVG user units).
const (
	seqFont        = 11.0
	seqSmallFont   = 9.0
	seqTitleFont   = 14.0
	seqMargin      = 12.0
	seqAxisWidth   = 64.0
	seqHeadHeight  = 22.0
	seqLegendRow   = 18.0
	seqMaxWidth    = 1180.0
	seqMinWidth    = 640.0
	seqMinColumn   = 34.0
	seqMaxColumn   = 130.0
	seqLabelMargin = 110.0 // room right of the last lifeline for labels
)

// legendItem is an entry of the legend: a swatch drawn by draw and a label.
type legendItem struct {
	label string
	draw  func(b *svgBuilder, x, y float64)
}

// layout chooses the scale and the positions.
func (d *sequence) layout() {
	o := d.opt
	window := (o.Until - o.From).Seconds()
	d.scale = o.PixelsPerSecond
	if d.scale == 0 {
		d.scale = max(MinSequenceScale, SequenceArrowSpacing*float64(len(d.copies))/window)
	}
	span := (d.end - o.From).Seconds() // the window and the outcomes after it
	d.scale = min(max(d.scale, MinSequenceHeight/window), MaxSequenceHeight/span)
	d.colW = min(max((seqMaxWidth-seqAxisWidth-seqLabelMargin-2*seqMargin)/float64(o.Nodes), seqMinColumn), seqMaxColumn)
	d.left = seqMargin + seqAxisWidth
	d.width = d.left + d.colW*float64(o.Nodes) + seqLabelMargin + seqMargin

	if o.Title != "" {
		d.titleLines = append(d.titleLines, o.Title)
	}
	d.titleLines = append(d.titleLines, d.summaryLine())
	if o.Note != "" {
		d.titleLines = append(d.titleLines, o.Note)
	}
	for i, line := range d.titleLines { // a small fleet's diagram is as wide as its title
		size := seqTitleFont
		if i > 0 {
			size--
		}
		d.width = max(d.width, textWidth(line, size)+2*seqMargin, seqMinWidth)
	}
	d.legendRows = wrapLegend(d.legendItems(), d.width-2*seqMargin)
	d.top = seqMargin + float64(len(d.titleLines))*(seqTitleFont+6) + 4
	d.bodyTop = d.top + float64(len(d.legendRows))*seqLegendRow + 8 + seqHeadHeight + 10
	d.bodyBottom = d.bodyTop + (d.end-o.From).Seconds()*d.scale
	d.bottomHeads = d.bodyBottom-d.bodyTop > 600
	d.height = d.bodyBottom + 10 + seqMargin
	if d.bottomHeads {
		d.height += seqHeadHeight + 4
	}
}

// summaryLine is the title's second line: the window and what it shows.
func (d *sequence) summaryLine() string {
	var b strings.Builder
	noun := "messages"
	if len(d.copies) == 1 {
		noun = "message"
	}
	fmt.Fprintf(&b, "%d %s sent from %s to %s", len(d.copies), noun, seconds(d.opt.From), seconds(d.opt.Until))
	var parts []string
	if d.counts.dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d lost", d.counts.dropped))
	}
	if d.counts.corrupted > 0 {
		parts = append(parts, fmt.Sprintf("%d corrupted (%d rejected, %d accepted)", d.counts.corrupted, d.counts.rejected, d.counts.accepted))
	}
	if d.counts.inFlight > 0 {
		parts = append(parts, fmt.Sprintf("%d with no delivery in the trace", d.counts.inFlight))
	}
	if len(parts) > 0 {
		fmt.Fprintf(&b, ": %s", strings.Join(parts, ", "))
	}
	return b.String()
}

// seconds formats a simulated time in seconds, shortest form: "0 s", "2.5 s".
func seconds(t sim.Time) string {
	return strconv.FormatFloat(t.Seconds(), 'f', -1, 64) + " s"
}

// Colours of the sequence diagram: a message kind's arrows (the Okabe-Ito
// colours; failure notices vermillion as in every figure), the red of
// corruption, the grey of losses.
var (
	seqKindColour = map[wire.Kind]string{
		wire.KindDigest:        hex(colBlue),
		wire.KindDigestReply:   hex(colSky),
		wire.KindDelta:         hex(colGreen),
		wire.KindFullView:      hex(colPurple),
		wire.KindFailureNotice: hex(colVermillion),
	}
	seqOtherColour   = hex(colGrey)
	seqRed           = "#D7191C"
	seqLostColour    = "#555555"
	seqLifeline      = "#999999"
	seqWrongColour   = hex(colVermillion)
	seqRightColour   = hex(colGreen)
	seqDeclareColour = hex(colPurple)
)

// kindName is the name of message kind k (SequenceOptions.KindNames).
func (d *sequence) kindName(k wire.Kind) string {
	if name, ok := d.opt.KindNames[k]; ok {
		return name
	}
	return k.String()
}

// kindColour is the colour of a message kind's arrows.
func kindColour(k wire.Kind) string {
	if c, ok := seqKindColour[k]; ok {
		return c
	}
	return seqOtherColour
}

// hex is a colour as #RRGGBB.
func hex(c interface{ RGBA() (r, g, b, a uint32) }) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}

// legendItems lists the kinds present and every mark.
func (d *sequence) legendItems() []legendItem {
	var items []legendItem
	for _, k := range d.kinds {
		col := kindColour(k)
		id := markerID(k)
		items = append(items, legendItem{d.kindName(k), func(b *svgBuilder, x, y float64) {
			b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5" marker-end="url(#%s)"/>`,
				f1(x), f1(y), f1(x+22), f1(y), col, id)
			b.printf(`<circle cx="%s" cy="%s" r="2" fill="%s"/>`, f1(x), f1(y), col)
		}})
	}
	items = append(items,
		legendItem{"corrupted on the path", func(b *svgBuilder, x, y float64) {
			b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="7" stroke-opacity="0.35"/>`, f1(x), f1(y), f1(x+22), f1(y), seqRed)
			b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`, f1(x), f1(y), f1(x+22), f1(y), hex(colBlue))
		}},
		legendItem{"rejected by the receiver", func(b *svgBuilder, x, y float64) { cross(b, x+11, y, 4.5, seqRed, 2) }},
		legendItem{"ACCEPTED although corrupted", func(b *svgBuilder, x, y float64) { acceptedDisc(b, x+11, y) }},
		legendItem{"lost (dashed, reason)", func(b *svgBuilder, x, y float64) {
			b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.3" stroke-dasharray="4 3"/>`, f1(x), f1(y), f1(x+18), f1(y), seqLostColour)
			cross(b, x+20, y, 3.5, seqLostColour, 1.6)
		}},
		legendItem{"entry made wrong", func(b *svgBuilder, x, y float64) { wrongMark(b, x+11, y, seqWrongColour) }},
		legendItem{"entry right again", func(b *svgBuilder, x, y float64) { rightMark(b, x+11, y) }},
		legendItem{"failure declared (false: vermillion)", func(b *svgBuilder, x, y float64) { declareMark(b, x+11, y, seqDeclareColour) }},
		legendItem{"node down (crash to restart)", func(b *svgBuilder, x, y float64) {
			b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.2" stroke-dasharray="1 3"/>`, f1(x+11), f1(y-7), f1(x+11), f1(y+7), seqLifeline)
			cross(b, x+11, y-4, 3, "#000000", 1.5)
		}},
	)
	return items
}

// legendSwatch is the width of a legend item's swatch, and legendGap the
// space after its label.
const (
	legendSwatch = 28.0
	legendGap    = 16.0
)

// textWidth estimates the width of text at size px in a sans-serif font.
func textWidth(s string, size float64) float64 { return 0.56 * size * float64(len([]rune(s))) }

// wrapLegend puts the items on rows no wider than width.
func wrapLegend(items []legendItem, width float64) [][]legendItem {
	var rows [][]legendItem
	var row []legendItem
	x := 0.0
	for _, it := range items {
		w := legendSwatch + textWidth(it.label, seqFont) + legendGap
		if len(row) > 0 && x+w > width {
			rows = append(rows, row)
			row, x = nil, 0
		}
		row = append(row, it)
		x += w
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

// x is node i's lifeline.
func (d *sequence) x(i int32) float64 { return d.left + d.colW*(float64(i)+0.5) }

// y is time t.
func (d *sequence) y(t sim.Time) float64 {
	return d.bodyTop + (t-d.opt.From).Seconds()*d.scale
}

// markerID is the id of the arrowhead of a message kind's colour.
func markerID(k wire.Kind) string {
	if _, ok := seqKindColour[k]; ok {
		return "head-" + k.String()
	}
	return "head-other"
}

// svg writes the diagram.
func (d *sequence) svg() []byte {
	b := &svgBuilder{}
	b.printf(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="%s">`+"\n",
		f0(d.width), f0(d.height), f0(d.width), f0(d.height), f0(seqFont))
	if d.opt.Provenance != "" {
		b.printf(`<metadata id="gossipsim">%s</metadata>`+"\n", esc(d.opt.Provenance))
	}
	d.defs(b)
	b.printf(`<rect width="100%%" height="100%%" fill="#FFFFFF"/>` + "\n")
	d.header(b)
	d.axis(b)
	d.lifelines(b)
	d.arrows(b)
	d.drawMarks(b)
	b.printf("</svg>\n")
	return b.Bytes()
}

// defs declares the arrowheads, one per colour.
func (d *sequence) defs(b *svgBuilder) {
	b.printf("<defs>\n")
	head := func(id, col string) {
		b.printf(`<marker id="%s" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker>`+"\n", id, col)
	}
	for _, k := range []wire.Kind{wire.KindFullView, wire.KindDigest, wire.KindDigestReply, wire.KindDelta, wire.KindFailureNotice} {
		head(markerID(k), kindColour(k))
	}
	head("head-other", seqOtherColour)
	b.printf("</defs>\n")
}

// header draws the title, the legend and the column heads.
func (d *sequence) header(b *svgBuilder) {
	y := seqMargin + seqTitleFont
	for i, line := range d.titleLines {
		weight := ` font-weight="bold"`
		size := seqTitleFont
		if i > 0 {
			weight, size = "", seqTitleFont-1
		}
		b.printf(`<text class="title" x="%s" y="%s" font-size="%s"%s>%s</text>`+"\n", f1(seqMargin), f1(y), f0(size), weight, esc(line))
		y += seqTitleFont + 6
	}
	y = d.top + seqLegendRow/2
	b.printf(`<g class="legend">` + "\n")
	for _, row := range d.legendRows {
		x := seqMargin
		for _, it := range row {
			it.draw(b, x, y)
			b.printf(`<text x="%s" y="%s">%s</text>`+"\n", f1(x+legendSwatch), f1(y+4), esc(it.label))
			x += legendSwatch + textWidth(it.label, seqFont) + legendGap
		}
		y += seqLegendRow
	}
	b.printf("</g>\n")
	d.heads(b, d.bodyTop-10-seqHeadHeight)
	if d.bottomHeads {
		d.heads(b, d.bodyBottom+10)
	}
}

// heads draws the node ids in boxes whose top is at y.
func (d *sequence) heads(b *svgBuilder, y float64) {
	b.printf(`<g class="heads">` + "\n")
	w := min(d.colW-6, 44)
	for i := int32(0); i < int32(d.opt.Nodes); i++ {
		x := d.x(i)
		b.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="3" fill="#F2F2F2" stroke="#888888"/>`, f1(x-w/2), f1(y), f1(w), f1(seqHeadHeight))
		b.printf(`<text x="%s" y="%s" text-anchor="middle" font-weight="bold">%d</text>`+"\n", f1(x), f1(y+seqHeadHeight/2+4), i)
	}
	b.printf("</g>\n")
}

// axis draws the time axis on the left, with grid lines across, and the
// window's end if the axis goes past it.
func (d *sequence) axis(b *svgBuilder) {
	o := d.opt
	step := niceStep(70/d.scale, 1) // a tick every 70 pixels or more
	decimals := decimalsFor(step)
	right := d.left + d.colW*float64(o.Nodes)
	b.printf(`<g class="axis">` + "\n")
	b.printf(`<text x="%s" y="%s" text-anchor="end" font-weight="bold">time (s)</text>`+"\n", f1(d.left-8), f1(d.bodyTop-10-seqHeadHeight/2+4))
	b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#444444"/>`+"\n", f1(d.left-4), f1(d.bodyTop), f1(d.left-4), f1(d.bodyBottom))
	first := math.Ceil(o.From.Seconds()/step-1e-9) * step
	if first == 0 {
		first = 0 // not -0, printed "-0.0"
	}
	for t := first; t <= d.end.Seconds()+1e-9; t += step {
		y := d.bodyTop + (t-o.From.Seconds())*d.scale
		b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="0.6"/>`, f1(d.left), f1(y), f1(right), f1(y), hex(colGrid))
		b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#444444"/>`, f1(d.left-8), f1(y), f1(d.left-4), f1(y))
		b.printf(`<text x="%s" y="%s" text-anchor="end">%s</text>`+"\n", f1(d.left-10), f1(y+4), strconv.FormatFloat(t, 'f', decimals, 64))
	}
	if d.end > o.Until {
		y := d.y(o.Until)
		b.printf(`<line class="window-end" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#444444" stroke-dasharray="6 4"/>`, f1(d.left-8), f1(y), f1(right), f1(y))
		b.printf(`<text x="%s" y="%s" font-size="%s" fill="#444444">end of window: later sends not drawn</text>`+"\n", f1(right+4), f1(y+3), f0(seqSmallFont))
	}
	b.printf("</g>\n")
}

// lifelines draws each node's lifeline: solid while up, dotted while down
// (from a Crash to the next Restart; from the top if its first such event
// in the window is a Restart).
func (d *sequence) lifelines(b *svgBuilder) {
	b.printf(`<g class="lifelines">` + "\n")
	for i := int32(0); i < int32(d.opt.Nodes); i++ {
		x := d.x(i)
		y := d.bodyTop
		down := false
		first := true
		for _, e := range d.marks {
			if e.Node != i || (e.Kind != trace.Crash && e.Kind != trace.Restart) {
				continue
			}
			if first && e.Kind == trace.Restart {
				down = true
			}
			first = false
			if (e.Kind == trace.Crash) == down {
				continue // already in that state
			}
			d.lifeline(b, i, x, y, d.y(e.Time), down)
			y, down = d.y(e.Time), !down
		}
		d.lifeline(b, i, x, y, d.bodyBottom, down)
	}
	b.printf("</g>\n")
}

// lifeline draws one segment of node i's lifeline.
func (d *sequence) lifeline(b *svgBuilder, i int32, x, y1, y2 float64, down bool) {
	style := `stroke-width="1.2"`
	if down {
		style = `stroke-width="1.2" stroke-dasharray="1 3"`
	}
	b.printf(`<line class="lifeline" data-node="%d" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" %s/>`+"\n", i, f1(x), f1(y1), f1(x), f1(y2), seqLifeline, style)
}

// arrows draws every copy: the intact ones first, then the lost, then the
// corrupted, so that the rare marks are on top.
func (d *sequence) arrows(b *svgBuilder) {
	b.printf(`<g class="messages">` + "\n")
	for pass := 0; pass < 3; pass++ {
		for _, c := range d.copies {
			p := 0
			switch {
			case c.corrupted:
				p = 2
			case c.dropped || !c.delivered:
				p = 1
			}
			if p == pass {
				d.arrow(b, c)
			}
		}
	}
	b.printf("</g>\n")
}

// arrow draws one copy with its tooltip.
func (d *sequence) arrow(b *svgBuilder, c *seqCopy) {
	x1, y1, x2 := d.x(c.from), d.y(c.sent), d.x(c.to)
	end := c.end
	if end < 0 {
		end = d.end
	}
	y2 := d.y(end)
	col := kindColour(c.kind)
	corrupted := ""
	if c.corrupted {
		corrupted = ` data-corrupted="true"`
	}
	b.printf(`<g class="msg" data-msg="%d" data-kind="%s" data-outcome="%s"%s>`, c.msg, esc(d.kindName(c.kind)), c.outcome(), corrupted)
	b.printf(`<title>%s</title>`, esc(d.tooltip(c)))
	if c.dropped && c.networkDrop() {
		x2, y2 = (x1+x2)/2, (y1+y2)/2
	}
	if c.corrupted {
		b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="7" stroke-opacity="0.35" stroke-linecap="round"/>`, f1(x1), f1(y1), f1(x2), f1(y2), seqRed)
	}
	switch {
	case c.dropped:
		b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.3" stroke-dasharray="4 3"/>`, f1(x1), f1(y1), f1(x2), f1(y2), col)
		cross(b, x2, y2, 4, seqLostColour, 1.8)
		anchor, dx := "start", 6.0
		if x2 < x1 {
			anchor, dx = "end", -6
		}
		b.printf(`<text x="%s" y="%s" font-size="%s" fill="%s" text-anchor="%s">%s</text>`, f1(x2+dx), f1(y2-4), f0(seqSmallFont), seqLostColour, anchor, esc(c.reason))
	case !c.delivered:
		b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.3" stroke-dasharray="1 2" marker-end="url(#%s)"/>`, f1(x1), f1(y1), f1(x2), f1(y2), col, markerID(c.kind))
	default:
		b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.3" marker-end="url(#%s)"/>`, f1(x1), f1(y1), f1(x2), f1(y2), col, markerID(c.kind))
	}
	// A dot where the copy starts: with arrows along the same line, it
	// tells where each begins.
	b.printf(`<circle cx="%s" cy="%s" r="2" fill="%s"/>`, f1(x1), f1(y1), col)
	if c.rejected || c.accepted {
		at := c.outcomeAt
		yo := d.y(at)
		if yo > y2+1 {
			b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5" stroke-dasharray="2 2"/>`, f1(x2), f1(y2), f1(x2), f1(yo), seqRed)
		}
		if c.rejected {
			cross(b, x2, yo, 5, seqRed, 2.2)
			b.printf(`<text x="%s" y="%s" font-size="%s" fill="%s">%s</text>`, f1(x2+7), f1(yo+4), f0(seqSmallFont), seqRed, esc("rejected ("+c.reason+")"))
		} else {
			right := d.left + d.colW*float64(d.opt.Nodes)
			b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="0.8" stroke-opacity="0.6"/>`, f1(d.left), f1(yo), f1(right), f1(yo), seqRed)
			acceptedDisc(b, x2, yo)
			b.printf(`<text x="%s" y="%s" font-size="%s" font-weight="bold" fill="%s" stroke="#FFFFFF" stroke-width="3" paint-order="stroke">ACCEPTED CORRUPTED</text>`, f1(x2+10), f1(yo+4), f0(seqFont), seqRed)
		}
	}
	b.printf("</g>\n")
}

// tooltip says everything about a copy.
func (d *sequence) tooltip(c *seqCopy) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, node %d → node %d: message %d, %d bytes\nsent at %s", d.kindName(c.kind), c.from, c.to, c.msg, c.size, preciseSeconds(c.sent))
	if c.corrupted {
		if c.corruptEvent {
			bits := "bits"
			if c.bits == 1 {
				bits = "bit"
			}
			fmt.Fprintf(&b, "\ncorrupted on the path (%d %s flipped)", c.bits, bits)
		} else {
			b.WriteString("\ncorrupted on the path")
		}
	}
	switch {
	case c.dropped:
		fmt.Fprintf(&b, "\nlost at %s: %s", preciseSeconds(c.end), c.reason)
	case c.delivered:
		fmt.Fprintf(&b, "\ndelivered at %s (latency %s)", preciseSeconds(c.end), (c.end - c.sent).Duration())
	default:
		b.WriteString("\nno delivery in the trace (in flight at its end)")
	}
	switch {
	case c.rejected:
		fmt.Fprintf(&b, "\nrejected at %s: %s", preciseSeconds(c.outcomeAt), c.reason)
	case c.accepted:
		fmt.Fprintf(&b, "\nACCEPTED although corrupted at %s", preciseSeconds(c.outcomeAt))
	case c.processed >= 0:
		fmt.Fprintf(&b, "\nprocessed at %s", preciseSeconds(c.processed))
	}
	return b.String()
}

// preciseSeconds formats a time in seconds to the microsecond.
func preciseSeconds(t sim.Time) string {
	return strconv.FormatFloat(t.Seconds(), 'f', 6, 64) + " s"
}

// drawMarks draws the lifeline events.
func (d *sequence) drawMarks(b *svgBuilder) {
	b.printf(`<g class="marks">` + "\n")
	right := d.left + d.colW*float64(d.opt.Nodes)
	for _, e := range d.marks {
		y := d.y(e.Time)
		var x float64
		if e.Node >= 0 {
			x = d.x(e.Node)
		}
		var tip, label, col string
		switch e.Kind {
		case trace.Update:
			from := "its own detector"
			if e.Peer >= 0 {
				from = fmt.Sprintf("a message from node %d", e.Peer)
			}
			state := "wrong"
			if !e.Wrong {
				state = "right again"
			}
			tip = fmt.Sprintf("at %s node %d's entry for node %d is %s: version %d %s → %d %s, from %s",
				preciseSeconds(e.Time), e.Node, e.Subject, state, e.OldVersion, e.OldStatus, e.NewVersion, e.NewStatus, from)
		case trace.DeclareFailed:
			col = seqDeclareColour
			label = fmt.Sprintf("declares %d failed", e.Subject)
			tip = fmt.Sprintf("at %s node %d's detector declares node %d failed", preciseSeconds(e.Time), e.Node, e.Subject)
			if e.False {
				col = seqWrongColour
				label = fmt.Sprintf("falsely declares %d failed", e.Subject)
				tip += " (falsely: it is up)"
			}
		case trace.Crash:
			label, tip = "crash", fmt.Sprintf("node %d crashes at %s", e.Node, preciseSeconds(e.Time))
		case trace.Restart:
			label, tip = "restart", fmt.Sprintf("node %d restarts at %s", e.Node, preciseSeconds(e.Time))
		case trace.Reset:
			label, tip = "reset: "+e.Reason, fmt.Sprintf("reset phase %q at %s", e.Reason, preciseSeconds(e.Time))
		}
		b.printf(`<g class="mark" data-kind="%s"><title>%s</title>`, e.Kind, esc(tip))
		switch e.Kind {
		case trace.Update:
			if e.Wrong {
				wrongMark(b, x, y, seqWrongColour)
			} else {
				rightMark(b, x, y)
			}
		case trace.DeclareFailed:
			declareMark(b, x, y, col)
			b.printf(`<text x="%s" y="%s" font-size="%s" fill="%s">%s</text>`, f1(x+8), f1(y+3), f0(seqSmallFont), col, esc(label))
		case trace.Crash, trace.Restart:
			if e.Kind == trace.Crash {
				cross(b, x, y, 4.5, "#000000", 2)
			} else {
				b.printf(`<circle cx="%s" cy="%s" r="4" fill="#FFFFFF" stroke="#000000" stroke-width="1.8"/>`, f1(x), f1(y))
			}
			b.printf(`<text x="%s" y="%s" font-size="%s" font-weight="bold">%s</text>`, f1(x+7), f1(y+3), f0(seqSmallFont), esc(label))
		case trace.Reset:
			b.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000000" stroke-width="1" stroke-dasharray="8 3 2 3"/>`, f1(d.left), f1(y), f1(right), f1(y))
			b.printf(`<text x="%s" y="%s" font-size="%s">%s</text>`, f1(right+4), f1(y+3), f0(seqSmallFont), esc(label))
		}
		b.printf("</g>\n")
	}
	b.printf("</g>\n")
}

// cross draws an x of half-size r centred at (x, y).
func cross(b *svgBuilder, x, y, r float64, col string, w float64) {
	b.printf(`<path d="M%s,%s L%s,%s M%s,%s L%s,%s" stroke="%s" stroke-width="%s" stroke-linecap="round"/>`,
		f1(x-r), f1(y-r), f1(x+r), f1(y+r), f1(x-r), f1(y+r), f1(x+r), f1(y-r), col, f1(w))
}

// acceptedDisc is the mark of a corrupted message read as valid.
func acceptedDisc(b *svgBuilder, x, y float64) {
	b.printf(`<circle cx="%s" cy="%s" r="7" fill="%s" stroke="#000000" stroke-width="1"/>`, f1(x), f1(y), seqRed)
	b.printf(`<text x="%s" y="%s" text-anchor="middle" font-size="11" font-weight="bold" fill="#FFFFFF">!</text>`, f1(x), f1(y+4))
}

// wrongMark is a triangle pointing right: an entry made wrong.
func wrongMark(b *svgBuilder, x, y float64, col string) {
	b.printf(`<path d="M%s,%s L%s,%s L%s,%s z" fill="%s"/>`, f1(x-4), f1(y-5), f1(x+5), f1(y), f1(x-4), f1(y+5), col)
}

// rightMark is a hollow circle: an entry right again.
func rightMark(b *svgBuilder, x, y float64) {
	b.printf(`<circle cx="%s" cy="%s" r="3.5" fill="#FFFFFF" stroke="%s" stroke-width="1.8"/>`, f1(x), f1(y), seqRightColour)
}

// declareMark is a square: a failure declared.
func declareMark(b *svgBuilder, x, y float64, col string) {
	b.printf(`<rect x="%s" y="%s" width="8" height="8" fill="%s" transform="rotate(45 %s %s)"/>`, f1(x-4), f1(y-4), col, f1(x), f1(y))
}

// svgBuilder collects the document.
type svgBuilder struct{ bytes.Buffer }

func (b *svgBuilder) printf(format string, args ...any) { fmt.Fprintf(&b.Buffer, format, args...) }

// esc escapes s for XML text and attribute values.
func esc(s string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		panic(errors.New("plots: escaping text: " + err.Error())) // a strings.Builder never fails
	}
	return b.String()
}

// f0 and f1 format a coordinate with 0 or 1 decimals.
func f0(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
