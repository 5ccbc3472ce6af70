package faults

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/topology"
	"github.com/gossipsim/gossipsim/sim"
)

// zones3 is a 3-zone, 2-racks-per-zone topology of n nodes.
func zones3(t *testing.T, n int) *topology.Topology {
	t.Helper()
	l, err := topology.ParseLayout("zones=3,racks-per-zone=2")
	if err != nil {
		t.Fatal(err)
	}
	topo, err := topology.Config{Layout: l}.Build(n)
	if err != nil {
		t.Fatal(err)
	}
	return topo
}

func compile(t *testing.T, text string, n int) (*Timeline, error) {
	t.Helper()
	s, err := Parse("faults.yaml", []byte(text))
	if err != nil {
		return nil, err
	}
	return s.Compile(zones3(t, n), 1)
}

// TestBadInput: each bad schedule gets one line naming the file, the line
// and the field.
func TestBadInput(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"end before start", "- at: 10s\n  until: 5s\n  crash: {nodes: 3}\n",
			"faults.yaml:2: until: 5s is not after at = 10s"},
		{"unknown group", "- at: 1s\n  until: 9s\n  partition: {from: \"zone:0\", to: \"zone:5\"}\n",
			`faults.yaml:3: partition.to: group "zone:5" does not exist (zones 0-2)`},
		{"restart of a node that never crashed", "- at: 1s\n  crash: {nodes: 3}\n- at: 5s\n  restart: {nodes: \"3,4\"}\n",
			"faults.yaml:4: restart.nodes: node 4 is not down at 5s: it never crashed before"},
		{"restart after the crash ended", "- at: 1s\n  until: 2s\n  crash: {nodes: 3}\n- at: 5s\n  restart: {nodes: 3}\n",
			"faults.yaml:5: restart.nodes: node 3 is not down at 5s: its crash at 1s (faults.yaml:1) ends at 2s"},
		{"overlapping crashes", "- at: 10s\n  until: 30s\n  crash: {nodes: 3}\n- at: 20s\n  crash: {rack: 0/1}\n",
			"faults.yaml:5: crash.rack: node 3 is already down from 10s until 30s (faults.yaml:1): crash windows of one node overlap"},
		{"probability above 1", "- at: 0s\n  corrupt: {nodes: 1,\n    prob: 1.5}\n",
			`faults.yaml:3: corrupt.prob: "1.5" is not a probability in [0, 1]`},
		{"loss of 1", "- at: 0s\n  link: {class: cross-zone, loss: 1}\n",
			`faults.yaml:2: link.loss: "1" is not a probability in [0, 1)`},
		{"unknown action", "- at: 0s\n  explode: {nodes: 1}\n",
			"faults.yaml:2: explode: unknown action; an entry takes at, until and one of crash, restart, partition, link, corrupt, skew or churn"},
		{"two actions", "- at: 0s\n  crash: {nodes: 1}\n  skew: {nodes: 1, rate: 2}\n",
			`faults.yaml:3: skew: an entry has one action; "crash" is already given`},
		{"unknown field", "- at: 0s\n  crash: {nodes: 1, rate: 2}\n",
			"faults.yaml:2: crash.rate: unknown field; crash takes nodes, zone, rack or group, and count"},
		{"no at", "- crash: {nodes: 1}\n", "faults.yaml:1: at: missing"},
		{"bad class", "- at: 0s\n  link: {class: cross-rack, loss: 0.1}\n",
			`faults.yaml:2: link.class: "cross-rack" is not a link class; use same-rack, same-zone or cross-zone`},
		{"count too large", "- at: 0s\n  crash: {zone: 0, count: 5}\n",
			"faults.yaml:2: crash.count: 5 nodes to crash, but only 4 of the group are not down by another crash during the window"},
		{"no rate", "- at: 0s\n  skew: {zone: 1}\n", "faults.yaml:2: skew.rate: missing"},
		{"bad time", "- at: soon\n  crash: {nodes: 1}\n", "faults.yaml:1: at:"},
		{"not a list", "at: 0s\n", "faults.yaml:1: faults: want a list of entries"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := compile(t, tc.text, 12)
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			if !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got  %q\nwant %q (one line)", err, tc.want)
			}
		})
	}
}

func TestNodeEventsAndDown(t *testing.T) {
	tl, err := compile(t, `
- at: 10s
  until: 20s
  crash: {rack: 1/1}     # nodes 8, 9 of 12 (racks of 2)
- at: 5s
  crash: {nodes: 0}
- at: 30s
  restart: {nodes: 0}
- at: 40s
  crash: {zone: 0, count: 2}
`, 12)
	if err != nil {
		t.Fatal(err)
	}
	ev := tl.NodeEvents()
	want := []NodeEvent{{5 * sim.Second, 0, false}, {10 * sim.Second, 6, false}, {10 * sim.Second, 7, false},
		{20 * sim.Second, 6, true}, {20 * sim.Second, 7, true}, {30 * sim.Second, 0, true}}
	if len(ev) != len(want)+2 || !reflect.DeepEqual(ev[:len(want)], want) {
		t.Fatalf("events %v\nwant %v and two crashes at 40s", ev, want)
	}
	for _, e := range ev[len(want):] {
		if e.At != 40*sim.Second || e.Up || e.Node > 3 {
			t.Fatalf("count crash event %v: want a zone-0 node (0-3) down at 40s", e)
		}
	}
	tl.Advance(15 * sim.Second)
	if !tl.Down(0) || !tl.Down(6) || tl.Down(8) {
		t.Errorf("at 15s: down 0 %v, 6 %v, 8 %v; want true true false", tl.Down(0), tl.Down(6), tl.Down(8))
	}
	tl.Advance(35 * sim.Second)
	if tl.Down(0) || tl.Down(6) {
		t.Error("at 35s nodes 0 and 6 should be up")
	}
	// The count draw is a pure function of the seed.
	s, _ := Parse("f", []byte("- at: 0s\n  crash: {count: 3}\n"))
	a, _ := s.Compile(zones3(t, 12), 9)
	b, _ := s.Compile(zones3(t, 12), 9)
	if !reflect.DeepEqual(a.NodeEvents(), b.NodeEvents()) {
		t.Error("the same seed picked different nodes")
	}
}

func TestLinkAndSkew(t *testing.T) {
	tl, err := compile(t, `
- at: 0s
  until: 10s
  link: {class: cross-zone, latency: "const:30ms"}
- at: 5s
  until: 10s
  link: {from: "0", to: "8", oneway: true, loss: 0.5}
- at: 0s
  skew: {zone: 2, rate: 1.05}
`, 12)
	if err != nil {
		t.Fatal(err)
	}
	base := network.Latency{A: sim.Millisecond}
	tl.Advance(6 * sim.Second)
	lat, loss := tl.Link(0, 8, network.CrossZone, base, 0)
	if lat.A != 30*sim.Millisecond || loss != 0.5 {
		t.Errorf("0 to 8 at 6s: %v %g, want 30ms and 0.5", lat, loss)
	}
	if _, loss := tl.Link(8, 0, network.CrossZone, base, 0); loss != 0 {
		t.Errorf("8 to 0 (one-way entry): loss %g, want 0", loss)
	}
	if lat, _ := tl.Link(0, 1, network.SameRack, base, 0); lat != base {
		t.Errorf("same rack: %v, want the base", lat)
	}
	tl.Advance(11 * sim.Second)
	if tl.HasLinks() {
		t.Error("link entries in force after their end")
	}
	if tl.ClockRate(9, 0) != 1.05 || tl.ClockRate(0, 0) != 1 {
		t.Errorf("clock rates %g %g, want 1.05 and 1", tl.ClockRate(9, 0), tl.ClockRate(0, 0))
	}
}

// TestYAMLRoundTrip: a schedule written by YAML and by Flow reads back to
// the same entries.
func TestYAMLRoundTrip(t *testing.T) {
	dir := t.TempDir()
	churn := filepath.Join(dir, "churn.csv")
	os.WriteFile(churn, []byte("node,down_at,up_at\n3,10,20\n4,15.5,\n"), 0o644)
	text := `
- at: 60s
  until: 2m
  partition: {from: "zone:0", to: [zone:1, zone:2], oneway: true}
- at: 1s
  crash: {zone: [0, 1], count: 2}
- at: 0s
  until: 30s
  link: {class: same-zone, latency: "uniform:1ms:3ms", loss: 0.01}
- at: 5s
  corrupt: {nodes: "1,7-8", direction: in, bit-error-rate: 1e-6}
- at: 5s
  corrupt: {from: "zone:0", to: "zone:2", prob: 0.5, bits: 3, pattern: burst}
- at: 0s
  skew: {rack: 2/1, rate: 0.9}
- churn: ` + churn + "\n"
	s, err := Parse("in.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Entries) != 8 {
		t.Fatalf("%d entries, want 8 (6 and the churn's 2)", len(s.Entries))
	}
	for name, again := range map[string]string{"YAML": s.YAML(""), "Flow": s.Flow()} {
		s2, err := Parse("out.yaml", []byte(again))
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, again)
		}
		if got, want := s2.YAML(""), s.YAML(""); got != want {
			t.Errorf("%s round trip:\n%s\nwant\n%s", name, got, want)
		}
		for i := range s.Entries {
			a, b := s.Entries[i], s2.Entries[i]
			a.File, a.Line, a.lines, b.File, b.Line, b.lines = "", 0, nil, "", 0, nil
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%s: entry %d\n got %+v\nwant %+v", name, i, b, a)
			}
		}
	}
}

func TestChurnTrace(t *testing.T) {
	es, err := ParseChurn("trace.csv", []byte("# a trace\n2,1.5,3\n5,4s,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].At != 1500*sim.Millisecond || es[0].Until != 3*sim.Second || es[1].HasUntil || es[1].At != 4*sim.Second {
		t.Fatalf("entries %+v", es)
	}
	for _, tc := range []struct{ data, err string }{
		{"2,5,3\n", "trace.csv:1: up_at: 3s is not after down_at = 5s"},
		{"x,1,2\n", `trace.csv:1: node: "x" is not a node id`},
		{"1\n", "trace.csv:1: want node,down_at,up_at"},
	} {
		if _, err := ParseChurn("trace.csv", []byte(tc.data)); err == nil || !strings.HasPrefix(err.Error(), tc.err) {
			t.Errorf("%q: got %v, want %q", tc.data, err, tc.err)
		}
	}
	// Overlapping lines of one node are caught when compiled, with the line.
	s := &Schedule{}
	s.ChurnEntries, _ = ParseChurn("trace.csv", []byte("2,1,10\n2,5,20\n"))
	if _, err := s.Compile(zones3(t, 12), 1); err == nil || !strings.HasPrefix(err.Error(), "trace.csv:2: crash.nodes: node 2 is already down from 1s until 10s (trace.csv:1)") {
		t.Errorf("overlapping churn: %v", err)
	}
}

func TestExampleScheduleLoads(t *testing.T) {
	s, err := Load("../../experiments/scenarios/zones3-faults.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l, _ := topology.ParseLayout("zones=3,racks-per-zone=5")
	topo, _ := topology.Config{Layout: l}.Build(300)
	if _, err := s.Compile(topo, 1); err != nil {
		t.Fatal(err)
	}
}

// TestPartitionFromRest: `to: all` cuts the from group off from every other
// node, both ways, while traffic inside either side flows.
func TestPartitionFromRest(t *testing.T) {
	tl, err := compile(t, `
- at: 0s
  until: 10s
  partition: {from: "zone:0", to: all}
`, 12) // zones of 4 nodes: 0-3, 4-7, 8-11
	if err != nil {
		t.Fatal(err)
	}
	tl.Advance(sim.Second)
	for _, c := range []struct {
		a, b    int
		blocked bool
	}{{0, 1, false}, {0, 5, true}, {5, 0, true}, {9, 3, true}, {5, 9, false}, {4, 5, false}} {
		if got := tl.Blocked(c.a, c.b); got != c.blocked {
			t.Errorf("Blocked(%d, %d) = %v, want %v", c.a, c.b, got, c.blocked)
		}
	}
	tl.Advance(10 * sim.Second)
	if tl.Blocked(0, 5) {
		t.Error("still blocked after the heal")
	}
}
