package trace

import (
	"bufio"
	"io"
	"strconv"

	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Writer is a Sink that writes each event as one JSON object on a line of
// its own (JSON lines), readable by jq and by pandas
// (pd.read_json(f, lines=True)). Keys are snake_case; an event has only the
// keys its kind uses:
//
//	t           every kind     simulated seconds since the run's start (exact to the nanosecond)
//	kind        every kind     the Kind's name ("send", "accept-corrupted", ...)
//	node        all but reset  where the event happens
//	peer        message kinds  the other end (send, corrupt: the destination;
//	            and update     otherwise the sender); update: the sender of the
//	                           message merged, -1 for the node's own detector,
//	                           a restart or a reset
//	msg         message kinds  the copy's number (from 1, per destination; left
//	                           out for a drop "sender-down", never sent)
//	msg_kind    message kinds  the message's kind as sent ("digest", ...)
//	size        message kinds  its encoded length, bytes
//	reason      drop, reject,  why, or the reset's phase
//	            reset
//	bits        corrupt        bits flipped
//	subject     update,        the peer the entry is about
//	            declare-failed
//	old_gen, old_hb, old_status,
//	new_gen, new_hb, new_status
//	            update         the entry before and after: generation,
//	                           heartbeat, status ("alive", "suspect", "failed")
//	was_wrong, wrong
//	            update         whether the entry was a wrong belief before, after
//	false       declare-failed the subject was up: a false failure
//
// Message kinds are send, deliver, process, drop, corrupt, reject and
// accept-corrupted.
//
// A Writer buffers its output and writes at most its cap in bytes of
// events: once the next line would pass it, it writes no more events and
// counts those left out, and Close ends the file with one line saying so:
//
//	{"truncated":true,"max_bytes":1000000000,"events_written":N,"events_left_out":M}
//
// Write errors are kept: the Writer stops writing at the first and Close
// returns it.
type Writer struct {
	w        *bufio.Writer
	max      int64 // the cap, bytes; 0: none
	bytes    int64 // bytes of events written
	events   int64 // events written
	leftOut  int64 // events left out at the cap
	err      error
	line     []byte // the line being built
	kindName [256]string
}

// NewWriter returns a Writer to w that writes at most maxBytes bytes of
// events (0: no cap).
func NewWriter(w io.Writer, maxBytes int64) *Writer {
	wr := &Writer{w: bufio.NewWriterSize(w, 1<<16), max: max(maxBytes, 0)}
	for k := range wr.kindName {
		wr.kindName[k] = wire.Kind(k).String()
	}
	return wr
}

// Record writes e as one line, or counts it as left out past the cap.
func (w *Writer) Record(e *Event) {
	if w.err != nil {
		return
	}
	if w.leftOut > 0 {
		w.leftOut++
		return
	}
	b := w.appendEvent(w.line[:0], e)
	w.line = b
	if w.max > 0 && w.bytes+int64(len(b)) > w.max {
		w.leftOut++
		return
	}
	if _, err := w.w.Write(b); err != nil {
		w.err = err
		return
	}
	w.bytes += int64(len(b))
	w.events++
}

// Events returns the number of events written.
func (w *Writer) Events() int64 { return w.events }

// LeftOut returns the number of events left out at the cap.
func (w *Writer) LeftOut() int64 { return w.leftOut }

// Close writes the line stating the cap when events were left out and
// flushes the buffer; it returns the first write error. It does not close
// the underlying writer.
func (w *Writer) Close() error {
	if w.err == nil && w.leftOut > 0 {
		b := append(w.line[:0], `{"truncated":true,"max_bytes":`...)
		b = strconv.AppendInt(b, w.max, 10)
		b = append(b, `,"events_written":`...)
		b = strconv.AppendInt(b, w.events, 10)
		b = append(b, `,"events_left_out":`...)
		b = strconv.AppendInt(b, w.leftOut, 10)
		b = append(b, "}\n"...)
		_, w.err = w.w.Write(b)
	}
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}

// appendEvent appends e's JSON line to b.
func (w *Writer) appendEvent(b []byte, e *Event) []byte {
	b = append(b, `{"t":`...)
	b = appendSeconds(b, e.Time)
	b = append(b, `,"kind":"`...)
	b = append(b, e.Kind.String()...)
	b = append(b, '"')
	if e.Node >= 0 {
		b = appendInt(b, `,"node":`, int64(e.Node))
	}
	switch e.Kind {
	case Send, Deliver, Process, Drop, Corrupt, Reject, AcceptCorrupted:
		b = appendInt(b, `,"peer":`, int64(e.Peer))
		if e.Msg > 0 {
			b = append(b, `,"msg":`...)
			b = strconv.AppendUint(b, e.Msg, 10)
		}
		b = append(b, `,"msg_kind":"`...)
		b = append(b, w.kindName[e.MsgKind]...)
		b = append(b, '"')
		b = appendInt(b, `,"size":`, int64(e.Size))
		if e.Kind == Corrupt {
			b = appendInt(b, `,"bits":`, int64(e.Bits))
		}
	case Update:
		b = appendInt(b, `,"peer":`, int64(e.Peer))
		b = appendInt(b, `,"subject":`, int64(e.Subject))
		b = appendVersion(b, `,"old_gen":`, `,"old_hb":`, `,"old_status":"`, e.OldVersion, e.OldStatus)
		b = appendVersion(b, `,"new_gen":`, `,"new_hb":`, `,"new_status":"`, e.NewVersion, e.NewStatus)
		b = append(b, `,"was_wrong":`...)
		b = strconv.AppendBool(b, e.WasWrong)
		b = append(b, `,"wrong":`...)
		b = strconv.AppendBool(b, e.Wrong)
	case DeclareFailed:
		b = appendInt(b, `,"subject":`, int64(e.Subject))
		b = append(b, `,"false":`...)
		b = strconv.AppendBool(b, e.False)
	}
	if e.Reason != "" {
		b = append(b, `,"reason":"`...)
		b = append(b, e.Reason...) // the hooks' reasons need no escaping
		b = append(b, '"')
	}
	return append(b, "}\n"...)
}

// appendInt appends key (with its comma and colon) and v.
func appendInt(b []byte, key string, v int64) []byte {
	return strconv.AppendInt(append(b, key...), v, 10)
}

// appendVersion appends a version's generation, heartbeat and status.
func appendVersion(b []byte, gen, hb, status string, v uint64, s wire.Status) []byte {
	b = strconv.AppendUint(append(b, gen...), v>>32, 10)
	b = strconv.AppendUint(append(b, hb...), uint64(uint32(v)), 10)
	b = append(b, status...)
	b = append(b, s.String()...)
	return append(b, '"')
}

// appendSeconds appends t in seconds, exactly: the whole seconds and up to
// nine decimals, without trailing zeros ("12", "0.25", "3.000000001").
func appendSeconds(b []byte, t sim.Time) []byte {
	ns := int64(t)
	if ns < 0 {
		b = append(b, '-')
		ns = -ns // a run's time is never near math.MinInt64
	}
	b = strconv.AppendInt(b, ns/1e9, 10)
	frac := ns % 1e9
	if frac == 0 {
		return b
	}
	var d [10]byte
	d[0] = '.'
	for i := 9; i >= 1; i-- {
		d[i] = byte('0' + frac%10)
		frac /= 10
	}
	end := 10
	for d[end-1] == '0' {
		end--
	}
	return append(b, d[:end]...)
}
