package faults_test

import (
	"fmt"

	"github.com/gossipsim/gossipsim/models/faults"
	"github.com/gossipsim/gossipsim/models/topology"
	"github.com/gossipsim/gossipsim/sim"
)

// Compile a schedule for a 3-zone fleet of 12 nodes and ask what is in
// force at 65 s of the run.
func ExampleSchedule_Compile() {
	s, err := faults.Parse("faults.yaml", []byte(`
- at: 60s
  until: 120s
  partition: {from: "zone:0", to: "zone:1,zone:2", oneway: true}
- at: 30s
  until: 90s
  crash: {rack: 2/0}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	layout, _ := topology.ParseLayout("zones=3,racks-per-zone=2")
	topo, _ := topology.Config{Layout: layout}.Build(12)
	tl, err := s.Compile(topo, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	tl.Advance(65 * sim.Second)
	fmt.Println("0 -> 5 blocked:", tl.Blocked(0, 5), "5 -> 0 blocked:", tl.Blocked(5, 0))
	fmt.Println("node 8 down:", tl.Down(8), "node 10 down:", tl.Down(10))
	for _, ev := range tl.NodeEvents()[:2] {
		fmt.Println(ev.At, ev.Node, ev.Up)
	}
	// Output:
	// 0 -> 5 blocked: true 5 -> 0 blocked: false
	// node 8 down: true node 10 down: false
	// 30s 8 false
	// 30s 9 false
}
