package plots

import (
	"fmt"

	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/sim"
)

// MaxSequenceArrows is the most message copies a SequenceRecorder keeps:
// about what a diagram shows legibly at MaxSequenceHeight pixels.
const MaxSequenceArrows = 2000

// SequenceRecorder is a trace.Sink that keeps what the sequence diagram
// of a window needs, for a run whose trace may be much longer than a
// diagram can show: the events of the first MaxSequenceArrows copies sent
// in the window, and the lifeline events until the next send. Once it has
// that many copies it keeps no later send, and Options ends the window
// there. Give it to a Tracer whose filter is its Filter, run, then draw
// with SequenceDiagram(r.Events, r.Options()).
type SequenceRecorder struct {
	// Events are the events kept, in the order received.
	Events []trace.Event
	opt    SequenceOptions
	kept   map[uint64]bool // the copies kept
	last   sim.Time        // the time of the last send kept
	atLast int             // how many sends kept were at last
	cut    bool            // a send was left out
	cutAt  sim.Time        // the time of the first send left out
	more   int             // the sends left out
}

// NewSequenceRecorder returns a recorder for the diagram opt describes.
func NewSequenceRecorder(opt SequenceOptions) *SequenceRecorder {
	return &SequenceRecorder{opt: opt, kept: map[uint64]bool{}}
}

// Filter is the filter of the Tracer to record with (opt.Filter).
func (r *SequenceRecorder) Filter() trace.Filter { return r.opt.Filter() }

// Record keeps e if the diagram needs it.
func (r *SequenceRecorder) Record(e *trace.Event) {
	switch {
	case e.Time < r.opt.From:
		return
	case e.Kind == trace.Send:
		if e.Time >= r.opt.Until {
			return
		}
		if r.cut || len(r.kept) >= MaxSequenceArrows {
			if !r.cut {
				r.cut, r.cutAt = true, e.Time
			}
			r.more++
			return
		}
		r.kept[e.Msg] = true
		if e.Time != r.last {
			r.last, r.atLast = e.Time, 0
		}
		r.atLast++
	case e.Msg != 0:
		if !r.kept[e.Msg] {
			return
		}
	case e.Kind == trace.Update && e.WasWrong == e.Wrong:
		return // not drawn
	case r.cut && e.Time >= r.cutAt:
		return
	}
	r.Events = append(r.Events, *e)
}

// Options returns the diagram's options: those the recorder was made
// with, or, if it left sends out, ending at the first one left out, with
// a note saying so.
func (r *SequenceRecorder) Options() SequenceOptions {
	opt := r.opt
	if !r.cut {
		return opt
	}
	drawn := len(r.kept)
	if r.last == r.cutAt {
		drawn -= r.atLast // sent at the cut: outside the window that ends there
	}
	opt.Until = max(r.cutAt, opt.From+1)
	opt.Note = fmt.Sprintf("window cut at %s: a diagram draws at most %d messages; %d more were sent until %s",
		seconds(opt.Until), MaxSequenceArrows, r.more+len(r.kept)-drawn, seconds(r.opt.Until))
	return opt
}
