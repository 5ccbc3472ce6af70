package transport

import (
	"testing"

	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/sim"
)

// TestTraceMessageLives: on a path with loss, a partition and a node held
// down, every copy is numbered in send order and ends in exactly one of
// process or drop with the reason the counters count it under; a down
// sender's messages are dropped unnumbered; and the counters are those of
// the same path untraced.
func TestTraceMessageLives(t *testing.T) {
	const n = 6
	nw := constLatency(10 * sim.Millisecond)
	nw.Loss = 0.2
	schedule := `
- at: 1s
  until: 2s
  crash: {nodes: 1}
- at: 5s
  until: 6s
  partition: {from: "zone:0", to: "zone:1"}
`
	rec := &trace.Recorder{}
	tracer, err := trace.New(trace.Filter{}, n, rec)
	if err != nil {
		t.Fatal(err)
	}
	traced := newTracedPathHarness(t, n, nw, "zones=2", schedule, 1, tracer)
	plain := newPathHarness(t, n, nw, "zones=2", schedule, 1)
	for _, h := range []*pathHarness{traced, plain} {
		h.everyPair(n, 500*sim.Millisecond, 1500*sim.Millisecond, 5500*sim.Millisecond, 7*sim.Second)
		h.eng.RunUntil(8 * sim.Second)
	}
	if traced.cnt != plain.cnt {
		t.Fatalf("counters traced %+v, untraced %+v", traced.cnt, plain.cnt)
	}
	count := map[string]int64{}
	ends := map[uint64]int{}
	var last sim.Time
	for _, e := range rec.Events {
		if e.Time < last {
			t.Fatalf("%+v before the previous event at %v", e, last)
		}
		last = e.Time
		key := e.Kind.String() + "/" + e.Reason
		count[key]++
		switch {
		case e.Kind == trace.Send:
			if e.Msg != uint64(count["send/"]) {
				t.Fatalf("send numbered %d, want %d", e.Msg, count["send/"])
			}
		case e.Kind == trace.Process || e.Kind == trace.Drop && e.Reason != "sender-down":
			ends[e.Msg]++
		case e.Kind == trace.Drop:
			if e.Msg != 0 {
				t.Errorf("a down sender's message numbered %d", e.Msg)
			}
		}
	}
	for no := uint64(1); no <= uint64(count["send/"]); no++ {
		if ends[no] != 1 {
			t.Errorf("message %d ends %d times, want once", no, ends[no])
		}
	}
	c := traced.cnt
	for _, ck := range []struct {
		key  string
		want int64
	}{
		{"send/", c.MessagesSent},
		{"drop/loss", c.MessagesLost},
		{"drop/partition", c.MessagesPartitioned},
		{"drop/node-down", c.MessagesToDownNodes},
		{"drop/sender-down", n - 1}, // node 1's sends at 1.5 s
		{"process/", c.MessagesProcessed},
		{"deliver/", c.MessagesProcessed},
	} {
		if count[ck.key] != ck.want || ck.want == 0 {
			t.Errorf("%s events = %d, want %d (> 0)", ck.key, count[ck.key], ck.want)
		}
	}
}
