package s3gossip

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// runState is everything a run leaves that a trace could change: the time
// series, the summary and every observer's view, flags included.
func runState(m *Model) string {
	var b []byte
	for _, s := range m.rec.Samples() {
		b = fmt.Appendf(b, "%+v\n", s)
	}
	js, err := json.Marshal(m.Summary())
	if err != nil {
		panic(err)
	}
	b = fmt.Appendf(b, "%s\n%v\n%v\n%v\n%v\n", js, m.ver, m.since, m.sf, m.truth)
	return string(b)
}

// tracedRun runs c for d with seed 11, traced into a Recorder (with filter
// f) when traced.
func tracedRun(t *testing.T, c Config, d sim.Time, traced bool, f trace.Filter) (*Model, *trace.Recorder) {
	t.Helper()
	rec := &trace.Recorder{}
	c.Trace = nil
	if traced {
		tr, err := trace.New(f, c.Nodes, rec)
		if err != nil {
			t.Fatal(err)
		}
		c.Trace = tr
	}
	m := newModel(t, c, 11)
	m.Advance(d)
	return m, rec
}

// TestTraceSameResults: a traced run (which merges entry by entry to trace
// every update) ends in exactly the state of the same run untraced, on the
// path of small fleets and on the packed path of large ones, with every
// event kind and with a filter leaving updates out.
func TestTraceSameResults(t *testing.T) {
	defer func(p int) { packFrom = p }(packFrom)
	for _, tc := range entryCases {
		for _, pf := range []int{0, 8} {
			t.Run(fmt.Sprintf("%s/packFrom=%d", tc.name, pf), func(t *testing.T) {
				packFrom = pf
				c := smallConfig()
				tc.edit(&c)
				plain, _ := tracedRun(t, c, 120*sim.Second, false, trace.Filter{})
				want := runState(plain)
				all, rec := tracedRun(t, c, 120*sim.Second, true, trace.Filter{})
				if got := runState(all); got != want {
					t.Fatalf("traced run differs from the untraced one")
				}
				if len(rec.Events) == 0 {
					t.Fatal("traced run recorded no event")
				}
				some, _ := tracedRun(t, c, 120*sim.Second, true, trace.Filter{Kinds: []trace.Kind{trace.Send}, From: 30 * sim.Second})
				if got := runState(some); got != want {
					t.Fatalf("run traced with a filter differs from the untraced one")
				}
			})
		}
	}
}

// TestTraceCountsMatch: the trace's events add up to the run's counters
// (sends, losses, corruptions and their outcomes, drops, declarations,
// crashes and restarts), and every copy's events follow its send.
func TestTraceCountsMatch(t *testing.T) {
	for _, tc := range entryCases {
		t.Run(tc.name, func(t *testing.T) {
			c := smallConfig()
			tc.edit(&c)
			c.Network.Loss = 0.01
			m, rec := tracedRun(t, c, 120*sim.Second, true, trace.Filter{})
			count := map[string]int64{}
			sent := map[uint64]trace.Event{}
			ends := map[uint64]int{} // process, reject, accept-corrupted or drop of each copy
			var lastRead trace.Event // the last message read
			for k, e := range rec.Events {
				switch e.Kind {
				case trace.Process, trace.AcceptCorrupted:
					lastRead = e
				case trace.Update:
					// An update from a message follows the reading of that
					// message; one from the node's own detector follows its
					// declaration.
					if e.Peer >= 0 && (lastRead.Time != e.Time || lastRead.Node != e.Node || lastRead.Peer != e.Peer) {
						t.Fatalf("%+v does not follow the reading of a message from %d (last read %+v)", e, e.Peer, lastRead)
					}
				case trace.DeclareFailed:
					next := rec.Events[k+1]
					if next.Kind != trace.Update || next.Node != e.Node || next.Subject != e.Subject || next.Peer != -1 || next.NewStatus != wire.StatusFailed {
						t.Fatalf("%+v is not followed by its update: %+v", e, next)
					}
				}
				key := e.Kind.String()
				if e.Reason != "" {
					key += "/" + e.Reason
				}
				count[key]++
				switch e.Kind {
				case trace.Send:
					if e.Msg != uint64(len(sent)+1) {
						t.Fatalf("send numbered %d, want %d", e.Msg, len(sent)+1)
					}
					sent[e.Msg] = e
				case trace.Deliver, trace.Process, trace.Reject, trace.AcceptCorrupted, trace.Drop, trace.Corrupt:
					if e.Kind != trace.Deliver && e.Kind != trace.Corrupt {
						ends[e.Msg]++
					}
					s, ok := sent[e.Msg]
					if !ok {
						t.Fatalf("%v of message %d, never sent", e.Kind, e.Msg)
					}
					from, to := e.Peer, e.Node
					if e.Kind == trace.Corrupt {
						from, to = e.Node, e.Peer
					}
					if from != s.Node || to != s.Peer || e.MsgKind != s.MsgKind || e.Size != s.Size {
						t.Fatalf("%+v does not match its send %+v", e, s)
					}
				}
			}
			inFlight, _ := m.tr.InFlight()
			open := 0
			for no := range sent {
				switch ends[no] {
				case 0:
					open++
				case 1:
				default:
					t.Fatalf("message %d ends %d times", no, ends[no])
				}
			}
			if open != inFlight {
				t.Errorf("%d messages without an end, %d in flight", open, inFlight)
			}
			r := m.rec
			s := m.Summary()
			checks := []struct {
				key  string
				want int64
			}{
				{"send", r.MessagesSent},
				{"drop/loss", r.MessagesLost},
				{"corrupt", r.CorruptionsInjected},
				{"reject/checksum", r.CorruptionsRejected},
				{"reject/undecodable", r.CorruptionsUndecodable},
				{"accept-corrupted", r.CorruptionsAccepted},
				{"drop/node-down", r.MessagesToDownNodes},
				{"drop/queue-full", r.QueueDrops},
				{"declare-failed", s.FailureDeclarations},
				{"crash", r.Crashes},
				{"restart", r.Recoveries},
			}
			for _, ck := range checks {
				if count[ck.key] != ck.want {
					t.Errorf("%s events = %d, want %d", ck.key, count[ck.key], ck.want)
				}
			}
			read := count["process"] + count["reject/checksum"] + count["reject/undecodable"] + count["accept-corrupted"]
			if read != r.MessagesProcessed {
				t.Errorf("process+reject+accept-corrupted = %d, want MessagesProcessed %d", read, r.MessagesProcessed)
			}
			if c.Reset.Procedure != ResetNone && (count["reset/decided"] != 1 || count["reset/cleared"] != 1 || count["reset/restored"] != 1) {
				t.Errorf("reset events %v, want one of each phase", count)
			}
		})
	}
}

// wrongRebuild is the wrong-view count rebuilt from a trace alone: which
// nodes are up (crash, restart) and which entries are wrong (update).
type wrongRebuild struct {
	n     int
	up    []bool
	wrong []bool
}

func newWrongRebuild(n int) *wrongRebuild {
	w := &wrongRebuild{n: n, up: make([]bool, n), wrong: make([]bool, n*n)}
	for i := range w.up {
		w.up[i] = true
	}
	return w
}

// apply applies one event, checking that an update's WasWrong is what the
// trace said before.
func (w *wrongRebuild) apply(e *trace.Event) error {
	switch e.Kind {
	case trace.Crash:
		w.up[e.Node] = false
	case trace.Restart:
		w.up[e.Node] = true
	case trace.Update:
		x := int(e.Node)*w.n + int(e.Subject)
		if w.wrong[x] != e.WasWrong {
			return fmt.Errorf("%+v: was wrong %v, but the trace left it %v", *e, e.WasWrong, w.wrong[x])
		}
		w.wrong[x] = e.Wrong
	}
	return nil
}

// fraction is the wrong-view fraction as the recorder computes it.
func (w *wrongRebuild) fraction() (float64, int) {
	live, wrong := 0, 0
	for i, up := range w.up {
		if !up {
			continue
		}
		live++
		for j, upJ := range w.up {
			if i != j && upJ && w.wrong[i*w.n+j] {
				wrong++
			}
		}
	}
	if live < 2 {
		return 0, live
	}
	return float64(wrong) / float64(live*(live-1)), live
}

// TestTraceRebuildsWrongViews: from the trace's update, crash and restart
// events alone, the wrong-view fraction is rebuilt at every sample time,
// exactly as the run's time series has it.
func TestTraceRebuildsWrongViews(t *testing.T) {
	defer func(p int) { packFrom = p }(packFrom)
	for _, tc := range entryCases {
		for _, pf := range []int{0, 8} {
			t.Run(fmt.Sprintf("%s/packFrom=%d", tc.name, pf), func(t *testing.T) {
				packFrom = pf
				c := smallConfig()
				tc.edit(&c)
				kinds := []trace.Kind{trace.Update, trace.Crash, trace.Restart}
				m, rec := tracedRun(t, c, 120*sim.Second, true, trace.Filter{Kinds: kinds})
				w := newWrongRebuild(c.Nodes)
				k, nonzero := 0, 0
				for _, s := range m.rec.Samples() {
					at := sim.FromSeconds(s.Time)
					for ; k < len(rec.Events) && rec.Events[k].Time <= at; k++ {
						if err := w.apply(&rec.Events[k]); err != nil {
							t.Fatal(err)
						}
					}
					got, live := w.fraction()
					if got != s.WrongViewFraction || live != s.LiveNodes {
						t.Fatalf("at %g s: rebuilt wrong-view fraction %g with %d live, the run's %g with %d", s.Time, got, live, s.WrongViewFraction, s.LiveNodes)
					}
					if got > 0 {
						nonzero++
					}
				}
				if nonzero == 0 && slices.ContainsFunc(rec.Events, func(e trace.Event) bool { return e.Wrong }) {
					t.Errorf("no sample with wrong views, but the trace has wrong entries")
				}
			})
		}
	}
}
