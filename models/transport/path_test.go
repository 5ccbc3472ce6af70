package transport

import (
	"testing"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/faults"
	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/topology"
	"github.com/gossipsim/gossipsim/models/trace"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// pathHarness is a transport over a path with a topology and a schedule,
// counting deliveries per (sender, receiver) pair.
type pathHarness struct {
	eng       *sim.Engine
	cnt       metrics.Counters
	tr        *Transport
	delivered map[[2]int]int
	arrivals  map[[2]int]sim.Time // last delivery time per pair
	corrupted map[[2]int]int      // corrupted deliveries per pair (ground truth)
}

func newPathHarness(t *testing.T, n int, nw network.Config, layout, schedule string, seed uint64) *pathHarness {
	t.Helper()
	return newTracedPathHarness(t, n, nw, layout, schedule, seed, nil)
}

// newTracedPathHarness is newPathHarness with the transport's events going
// to tracer.
func newTracedPathHarness(t *testing.T, n int, nw network.Config, layout, schedule string, seed uint64, tracer *trace.Tracer) *pathHarness {
	t.Helper()
	p := Path{Nodes: n}
	if layout != "" {
		l, err := topology.ParseLayout(layout)
		if err != nil {
			t.Fatal(err)
		}
		p.Topology.Layout = l
	}
	if schedule != "" {
		s, err := faults.Parse("faults.yaml", []byte(schedule))
		if err != nil {
			t.Fatal(err)
		}
		p.Faults = s
	}
	h := &pathHarness{eng: sim.NewEngine(), delivered: map[[2]int]int{}, arrivals: map[[2]int]sim.Time{}, corrupted: map[[2]int]int{}}
	h.tr = New(Config{Name: "test", Engine: h.eng, DeliverKind: evDeliver, Network: nw,
		Corruption: corrupt.DefaultConfig(), Checksum: wire.ChecksumNone, Counters: &h.cnt, Path: p, Trace: tracer}, seed)
	h.eng.SetHandler(func(ev sim.Event) {
		switch ev.Kind {
		case evDeliver:
			wasCorrupted := h.tr.Corrupted(ev.Arg)
			in, ok := h.tr.Receive(ev.Arg)
			if !ok {
				return
			}
			pair := [2]int{int(in.Sender), int(ev.Node)}
			if wasCorrupted {
				h.corrupted[pair]++
				return
			}
			h.delivered[pair]++
			h.arrivals[pair] = h.eng.Now()
		case evSend: // Node sends to Arg
			h.tr.Send(int32(ev.Arg), message(uint32(ev.Node)))
		}
	})
	return h
}

const evSend = 8

// everyPair schedules one message from every node to every other at each
// of the given times.
func (h *pathHarness) everyPair(n int, times ...sim.Time) {
	for _, at := range times {
		for a := range n {
			for b := range n {
				if a != b {
					h.eng.Schedule(at, evSend, int32(a), int64(b))
				}
			}
		}
	}
}

func TestTopologyDefaultsChangeNothing(t *testing.T) {
	nw := network.Config{Latency: network.Latency{Kind: network.LatencyLogNormal, A: sim.Millisecond, Sigma: 0.5}, Loss: 0.1}
	flat := newPathHarness(t, 12, nw, "", "", 3)
	zoned := newPathHarness(t, 12, nw, "zones=3,racks-per-zone=2", "", 3)
	if zoned.tr.Topology() == nil || zoned.tr.Topology().ZoneOf(11) != 2 {
		t.Fatal("the zoned transport has no topology, or node 11 is not in zone 2")
	}
	for _, h := range []*pathHarness{flat, zoned} {
		h.everyPair(12, 0, sim.Second)
		h.eng.RunUntil(10 * sim.Second)
	}
	if flat.cnt != zoned.cnt || len(flat.arrivals) != len(zoned.arrivals) {
		t.Fatalf("counters differ: flat %+v, zoned %+v", flat.cnt, zoned.cnt)
	}
	for pair, at := range flat.arrivals {
		if zoned.arrivals[pair] != at {
			t.Fatalf("pair %v arrived at %s flat, %s zoned", pair, at, zoned.arrivals[pair])
		}
	}
}

func TestClassLatencyAndLoss(t *testing.T) {
	nw := constLatency(sim.Millisecond)
	nw.Classes[network.SameZone] = network.ClassOverride{Latency: network.Latency{A: 5 * sim.Millisecond}, HasLatency: true}
	nw.Classes[network.CrossZone] = network.ClassOverride{Latency: network.Latency{A: 40 * sim.Millisecond}, HasLatency: true, Loss: 0.999999, HasLoss: true}
	// 2 zones x 2 racks on 8 nodes: racks {0,1} {2,3} | {4,5} {6,7}.
	h := newPathHarness(t, 8, nw, "zones=2,racks-per-zone=2", "", 1)
	h.everyPair(8, 0)
	h.eng.RunUntil(sim.Second)
	for _, tc := range []struct {
		a, b int
		want sim.Time
	}{{0, 1, sim.Millisecond}, {0, 2, 5 * sim.Millisecond}, {6, 4, 5 * sim.Millisecond}} {
		if got := h.arrivals[[2]int{tc.a, tc.b}]; got != tc.want {
			t.Errorf("%d to %d arrived at %s, want %s", tc.a, tc.b, got, tc.want)
		}
	}
	for a := range 4 {
		for b := 4; b < 8; b++ {
			if h.delivered[[2]int{a, b}]+h.delivered[[2]int{b, a}] > 0 {
				t.Fatalf("cross-zone %d-%d delivered with loss 0.999999", a, b)
			}
		}
	}
	if want := int64(2 * 4 * 4); h.cnt.MessagesLost != want {
		t.Errorf("lost %d, want the %d cross-zone messages", h.cnt.MessagesLost, want)
	}
}

func TestLatencyMatrix(t *testing.T) {
	m, err := topology.ParseMatrix("m.csv", []byte("from\\to,zone:0,zone:1\nzone:0,0.5,10\nzone:1,20,0.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	l, _ := topology.ParseLayout("zones=2")
	eng := sim.NewEngine()
	var cnt metrics.Counters
	arrivals := map[[2]int]sim.Time{}
	tr := New(Config{Name: "test", Engine: eng, DeliverKind: evDeliver, Network: constLatency(sim.Millisecond),
		Counters: &cnt, Path: Path{Nodes: 4, Topology: topology.Config{Layout: l, Matrix: m}}}, 1)
	eng.SetHandler(func(ev sim.Event) {
		in, _ := tr.Receive(ev.Arg)
		arrivals[[2]int{int(in.Sender), int(ev.Node)}] = eng.Now()
	})
	for a := range 4 {
		for b := range 4 {
			if a != b {
				tr.Send(int32(b), message(uint32(a)))
			}
		}
	}
	eng.RunUntil(sim.Second)
	for _, tc := range []struct {
		a, b int
		want sim.Time
	}{{0, 1, 500 * sim.Microsecond}, {1, 2, 10 * sim.Millisecond}, {3, 0, 20 * sim.Millisecond}, {2, 3, 500 * sim.Microsecond}} {
		if got := arrivals[[2]int{tc.a, tc.b}]; got != tc.want {
			t.Errorf("%d to %d arrived at %s, want %s (the matrix: row = sender's zone)", tc.a, tc.b, got, tc.want)
		}
	}
}

// delivered0to1 counts deliveries from zone 0 to zone 1 and back.
func (h *pathHarness) directions(n int) (there, back int) {
	for a := range n / 2 {
		for b := n / 2; b < n; b++ {
			there += h.delivered[[2]int{a, b}]
			back += h.delivered[[2]int{b, a}]
		}
	}
	return there, back
}

func TestPartitionSymmetricAndOneWay(t *testing.T) {
	const n = 6
	sym := newPathHarness(t, n, constLatency(sim.Millisecond), "zones=2", `
- at: 10s
  until: 20s
  partition: {from: "zone:0", to: "zone:1"}
`, 1)
	oneway := newPathHarness(t, n, constLatency(sim.Millisecond), "zones=2", `
- at: 10s
  until: 20s
  partition: {from: "zone:0", to: "zone:1", oneway: true}
`, 1)
	for _, h := range []*pathHarness{sym, oneway} {
		h.everyPair(n, 15*sim.Second)
		h.eng.RunUntil(22 * sim.Second)
	}
	if there, back := sym.directions(n); there != 0 || back != 0 {
		t.Errorf("symmetric partition delivered %d zone 0 -> 1 and %d back; want 0 and 0", there, back)
	}
	if there, back := oneway.directions(n); there != 0 || back != 9 {
		t.Errorf("one-way partition delivered %d zone 0 -> 1 and %d back; want 0 and 9", there, back)
	}
	if sym.cnt.MessagesPartitioned != 18 || oneway.cnt.MessagesPartitioned != 9 {
		t.Errorf("partitioned %d and %d, want 18 and 9", sym.cnt.MessagesPartitioned, oneway.cnt.MessagesPartitioned)
	}
	// After the heal, everything crosses.
	for _, h := range []*pathHarness{sym, oneway} {
		h.everyPair(n, 25*sim.Second)
		h.eng.RunUntil(40 * sim.Second)
	}
	if there, back := sym.directions(n); there != 9 || back != 9 {
		t.Errorf("after the heal: %d zone 0 -> 1 and %d back; want 9 and 9", there, back)
	}
}

func TestDownNodesNeitherSendNorReceive(t *testing.T) {
	h := newPathHarness(t, 4, constLatency(10*sim.Millisecond), "", `
- at: 1s
  until: 2s
  crash: {nodes: 1}
`, 1)
	h.eng.Schedule(sim.Second+sim.Millisecond, evSend, 1, 0)     // down: sends nothing
	h.eng.Schedule(sim.Second+sim.Millisecond, evSend, 0, 1)     // arrives while down
	h.eng.Schedule(2*sim.Second-5*sim.Millisecond, evSend, 0, 1) // arrives after the restart
	h.eng.Schedule(3*sim.Second, evSend, 1, 0)
	h.eng.RunUntil(4 * sim.Second)
	if h.cnt.MessagesSent != 3 || h.cnt.MessagesToDownNodes != 1 {
		t.Errorf("sent %d, to down nodes %d; want 3 and 1", h.cnt.MessagesSent, h.cnt.MessagesToDownNodes)
	}
	if h.delivered[[2]int{0, 1}] != 1 || h.delivered[[2]int{1, 0}] != 1 {
		t.Errorf("delivered %v; want one each way", h.delivered)
	}
	ev := h.tr.Faults().NodeEvents()
	if len(ev) != 2 || ev[0] != (faults.NodeEvent{At: sim.Second, Node: 1}) || ev[1] != (faults.NodeEvent{At: 2 * sim.Second, Node: 1, Up: true}) {
		t.Errorf("node events %v", ev)
	}
}

func TestCorruptionSourceConfinedToOneNodesOutgoing(t *testing.T) {
	const n = 5
	h := newPathHarness(t, n, constLatency(sim.Millisecond), "", `
- at: 0s
  corrupt: {nodes: 2, direction: out, prob: 1}
`, 1)
	// Node a sends to every other node at a seconds, so that the time of a
	// delivery names its true sender even when corruption flipped the
	// sender field.
	bySecond := map[int]int64{}
	h.eng.SetHandler(func(ev sim.Event) {
		switch ev.Kind {
		case evDeliver:
			corrupted := h.tr.Corrupted(ev.Arg)
			if corrupted {
				bySecond[int(h.eng.Now()/sim.Second)]++
			}
			if in, ok := h.tr.Receive(ev.Arg); ok && !corrupted {
				h.delivered[[2]int{int(in.Sender), int(ev.Node)}]++
			}
		case evSend:
			h.tr.Send(int32(ev.Arg), message(uint32(ev.Node)))
		}
	})
	for a := range n {
		for b := range n {
			if a != b {
				h.eng.Schedule(sim.Time(a)*sim.Second, evSend, int32(a), int64(b))
			}
		}
	}
	h.eng.RunUntil(10 * sim.Second)
	if len(bySecond) != 1 || bySecond[2] != n-1 {
		t.Errorf("corrupted deliveries by sender %v; want only node 2's %d", bySecond, n-1)
	}
	if h.cnt.CorruptionsInjected != n-1 {
		t.Errorf("injected %d, want %d (every message node 2 sent)", h.cnt.CorruptionsInjected, n-1)
	}
	if got := h.cnt.CorruptionsAccepted + h.cnt.CorruptionsUndecodable; got != n-1 {
		t.Errorf("accepted %d + undecodable %d, want %d: no checksum, so each corrupted message is one or the other", h.cnt.CorruptionsAccepted, h.cnt.CorruptionsUndecodable, n-1)
	}
	for b := range n {
		if b != 2 && h.delivered[[2]int{b, 2}] != 1 {
			t.Errorf("node %d to node 2 delivered %d intact, want 1 (incoming is not corrupted)", b, h.delivered[[2]int{b, 2}])
		}
	}
}
