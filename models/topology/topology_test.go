package topology

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/sim"
)

func TestParseLayout(t *testing.T) {
	tests := []struct {
		spec        string
		zones, racs int
		err         string
	}{
		{spec: "zones=3,racks-per-zone=10", zones: 3, racs: 10},
		{spec: "zones=3", zones: 3, racs: 1},
		{spec: "racks-per-zone=2, zones=4", zones: 4, racs: 2},
		{spec: "zones=2;racks-per-zone=3", zones: 2, racs: 3},
		{spec: "zones=0", err: "zones=0 is not a whole number in [1, 65536]"},
		{spec: "zones=3,racks=2", err: "is not a layout"},
		{spec: "racks-per-zone=2", err: "needs zones=Z"},
		{spec: "zones=2,zones=3", err: "zones given twice"},
		{spec: "file:/nonexistent/x.csv", err: "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			l, err := ParseLayout(tc.spec)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want an error containing %q", err, tc.err)
				}
				return
			}
			if err != nil || l.Zones != tc.zones || l.RacksPerZone != tc.racs || l.Spec != tc.spec {
				t.Fatalf("got %+v, %v", l, err)
			}
		})
	}
}

func TestContiguousBlocksAndClasses(t *testing.T) {
	l, _ := ParseLayout("zones=3,racks-per-zone=2")
	topo, err := Config{Layout: l}.Build(13) // 6 racks of 2 or 3 nodes
	if err != nil {
		t.Fatal(err)
	}
	var zones, racks []int
	for i := range 13 {
		zones = append(zones, topo.ZoneOf(i))
		racks = append(racks, topo.RackOf(i))
	}
	// rack of node i = floor(i*6/13): 0 0 0 1 1 2 2 3 3 4 4 5 5 (the global rack)
	wantZones := []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}
	wantRacks := []int{0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1}
	for i := range 13 {
		if zones[i] != wantZones[i] || racks[i] != wantRacks[i] {
			t.Fatalf("zones %v racks %v; want %v %v", zones, racks, wantZones, wantRacks)
		}
	}
	for _, tc := range []struct {
		a, b int
		want network.Class
	}{{0, 2, network.SameRack}, {0, 3, network.SameZone}, {4, 5, network.CrossZone}, {7, 7, network.SameRack}, {12, 9, network.SameZone}} {
		if got := topo.Class(tc.a, tc.b); got != tc.want {
			t.Errorf("Class(%d, %d) = %s, want %s", tc.a, tc.b, got, tc.want)
		}
	}
	if _, err := (Config{Layout: l}).Build(5); err == nil || !strings.Contains(err.Error(), "6 racks for 5 nodes") {
		t.Errorf("6 racks on 5 nodes: %v", err)
	}
}

func TestLayoutFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "racks.csv")
	os.WriteFile(path, []byte("node,zone,rack\n# four nodes\n0,1,0\n1,0,0\n2,1,1\n3,0,0\n"), 0o644)
	l, err := ParseLayout("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	topo, err := Config{Layout: l}.Build(4)
	if err != nil {
		t.Fatal(err)
	}
	if topo.Zones() != 2 || topo.Racks(1) != 2 || topo.ZoneOf(0) != 1 || topo.RackOf(2) != 1 {
		t.Errorf("zones %d, racks of zone 1 %d, node 0 zone %d, node 2 rack %d", topo.Zones(), topo.Racks(1), topo.ZoneOf(0), topo.RackOf(2))
	}
	if topo.Class(1, 3) != network.SameRack || topo.Class(0, 2) != network.SameZone || topo.Class(0, 1) != network.CrossZone {
		t.Error("classes of the file layout are wrong")
	}
	if _, err := (Config{Layout: l}).Build(5); err == nil || !strings.Contains(err.Error(), "lists 4 nodes; the fleet has 5") {
		t.Errorf("a 4-node file on 5 nodes: %v", err)
	}
	for _, tc := range []struct{ data, err string }{
		{"0,0,0\n0,1,0\n", "racks.csv:2: node: 0 is listed twice"},
		{"0,0,0\n2,0,0\n", "node 1 is missing"},
		{"0,0\n", "racks.csv:1: want node,zone,rack; got 2 fields"},
		{"0,x,0\n", `racks.csv:1: zone: "x" is not a whole number`},
	} {
		if _, err := ParseLayoutFile("racks.csv", []byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: got %v, want %q", tc.data, err, tc.err)
		}
	}
}

func TestGroups(t *testing.T) {
	l, _ := ParseLayout("zones=3,racks-per-zone=2")
	topo, _ := Config{Layout: l}.Build(12)
	for _, tc := range []struct {
		group string
		want  []int32
		err   string
	}{
		{group: "zone:1", want: []int32{4, 5, 6, 7}},
		{group: "rack:2/1,0", want: []int32{0, 10, 11}},
		{group: "3-5, 9", want: []int32{3, 4, 5, 9}},
		{group: "zone:5", err: `group "zone:5" does not exist (zones 0-2)`},
		{group: "rack:0/2", err: `group "rack:0/2" does not exist (zone 0 has racks 0-1)`},
		{group: "12", err: `group "12" does not exist (nodes 0-11)`},
	} {
		g, err := ParseGroup(tc.group)
		if err != nil {
			t.Fatalf("%s: %v", tc.group, err)
		}
		list, err := topo.Members(g)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%s: got %v, want %q", tc.group, err, tc.err)
			}
			continue
		}
		if err != nil || len(list) != len(tc.want) {
			t.Fatalf("%s: got %v, %v; want %v", tc.group, list, err, tc.want)
		}
		for i := range list {
			if list[i] != tc.want[i] {
				t.Fatalf("%s: got %v, want %v", tc.group, list, tc.want)
			}
		}
	}
	for _, bad := range []string{"", "zone:x", "rack:1", "5-2", "zone"} {
		if _, err := ParseGroup(bad); err == nil {
			t.Errorf("ParseGroup(%q) accepted", bad)
		}
	}
}

func TestMatrix(t *testing.T) {
	const csv = "from\\to,zone:0,zone:1\nzone:0,0.5,10\nzone:1,20,0.25\n"
	m, err := ParseMatrix("m.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	l, _ := ParseLayout("zones=2")
	topo, err := Config{Layout: l, Matrix: m}.Build(4)
	if err != nil {
		t.Fatal(err)
	}
	base := network.Latency{Kind: network.LatencyLogNormal, A: sim.Millisecond, Sigma: 0.5}
	got := topo.Latency(0, 3, base)
	if want := (network.Latency{Kind: network.LatencyLogNormal, A: 10 * sim.Millisecond, Sigma: 0.5}); got != want {
		t.Errorf("zone 0 to zone 1: %v, want %v (the median moved, sigma kept)", got, want)
	}
	if got := topo.Latency(3, 0, base).A; got != 20*sim.Millisecond {
		t.Errorf("zone 1 to zone 0: %s, want 20ms (row = sender)", got)
	}
	uni := network.Latency{Kind: network.LatencyUniform, A: 0, B: 2 * sim.Millisecond}
	if got := topo.Latency(2, 3, uni); got.A != 0 || got.B != 1250*sim.Microsecond {
		t.Errorf("uniform centred on 0.25ms: %v (width kept, clamped at 0)", got)
	}
	// A node matrix.
	nm, err := ParseMatrix("n.csv", []byte(",0,1,2\n0,0,1,2\n1,3,0,4\n2,5,6,0\n"))
	if err != nil {
		t.Fatal(err)
	}
	topo, err = Config{Matrix: nm}.Build(3)
	if err != nil {
		t.Fatal(err)
	}
	if got := topo.Latency(2, 1, base).A; got != 6*sim.Millisecond {
		t.Errorf("node 2 to 1: %s, want 6ms", got)
	}
	// Rows in another order than the nodes': the labels say which is which.
	shuffled, err := ParseMatrix("s.csv", []byte(",2,0,1\n2,0,5,6\n0,2,0,1\n1,4,3,0\n"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := Config{Matrix: shuffled}.Build(3)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range [][3]int{{2, 1, 6}, {0, 2, 2}, {1, 0, 3}} {
		if got := st.Latency(tc[0], tc[1], base).A; got != sim.Time(tc[2])*sim.Millisecond {
			t.Errorf("shuffled: node %d to %d: %s, want %dms", tc[0], tc[1], got, tc[2])
		}
	}
	if _, err := (Config{Matrix: nm}).Build(4); err == nil || !strings.Contains(err.Error(), "has 3 nodes; the fleet has 4") {
		t.Errorf("3-node matrix on 4 nodes: %v", err)
	}
	if _, err := (Config{Matrix: m}).Build(4); err == nil || !strings.Contains(err.Error(), `label "zone:1" is not a group of the fleet`) {
		t.Errorf("zone matrix on a flat fleet: %v", err)
	}
	for _, tc := range []struct{ data, err string }{
		{",zone:0,1\n", "m.csv:1: column 3: \"1\" mixes group kinds"},
		{",zone:0\nzone:1,1\n", `m.csv:2: row label "zone:1"; want "zone:0"`},
		{",zone:0\nzone:0,-1\n", `m.csv:2: column 2 (zone:0 to zone:0): "-1" is not a latency in ms`},
		{",zone:0,zone:1\nzone:0,1,2\n", "m.csv: 1 rows; the header (line 1) has 2 columns"},
		{",zone:0\nzone:0,1,2\n", "m.csv:2: 2 values; the header has 1 columns"},
	} {
		if _, err := ParseMatrix("m.csv", []byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: got %v, want %q", tc.data, err, tc.err)
		}
	}
}

func TestExampleMatrixLoads(t *testing.T) {
	m, err := LoadMatrix("../../experiments/scenarios/zones3-latency.csv")
	if err != nil {
		t.Fatal(err)
	}
	l, _ := ParseLayout("zones=3,racks-per-zone=5")
	if _, err := (Config{Layout: l, Matrix: m}).Build(300); err != nil {
		t.Fatal(err)
	}
}
