// Package trace is the event trace of a run: what happened, message by
// message and belief by belief, for a user who needs to see how a run got
// where it did.
//
// A model and the message path it shares (package transport) report events
// to a Tracer: a message sent, delivered to a node's queue, processed,
// dropped (and why), corrupted on the path, rejected by its checksum or read
// although corrupted; an observer's entry for a peer changed (old and new
// version and status, wrong before and after); a failure declared by an
// observer's own detector; a node crashed or restarted; a reset phase. The
// Tracer keeps the events its Filter selects and hands them to its sinks:
// the JSON-lines file of --trace (Writer), the sequence diagram of a small
// fleet, a test's recorder.
//
// Tracing is an observer: it draws no random numbers and changes no state a
// run reads, so a run with a trace writes every other output byte for byte
// as without. With no Tracer (nil) every hook is one pointer test: a model
// checks `if t := m.trace; t != nil && t.Wants(kind, now)` before it
// builds an Event, so the hot paths pay nothing measurable.
//
// Writer writes the events as JSON lines (its doc lists the keys), with a
// cap in bytes; File is a Writer to a file that appears, renamed from a
// temporary name, only when Commit is called after the run.
//
// Messages are numbered as they are sent (Event.Msg, from 1), one number
// per destination, so a send pairs with the delivery, processing or drop of
// the same copy.
package trace
