package sim_test

import (
	"fmt"

	"github.com/gossipsim/gossipsim/sim"
)

func ExampleEngine() {
	const (
		ping uint32 = iota
		pong
	)
	kindName := []string{ping: "ping", pong: "pong"}
	e := sim.NewEngine()
	e.SetHandler(func(ev sim.Event) {
		fmt.Printf("%-6v %s node=%d seq=%d\n", e.Now(), kindName[ev.Kind], ev.Node, ev.Seq())
		if ev.Kind == ping {
			// Answer after 150ms; a zero delay would still run after
			// every event already queued for this instant.
			e.After(150*sim.Millisecond, pong, ev.Node, 0)
		}
	})
	e.Schedule(2*sim.Second, ping, 1, 0)
	e.Schedule(1*sim.Second, ping, 2, 0)
	e.Schedule(2*sim.Second, ping, 3, 0) // same time as node 1: runs after it (FIFO)
	e.Schedule(9*sim.Second, ping, 4, 0) // beyond the horizon: stays queued

	e.RunUntil(5 * sim.Second)
	fmt.Println("now:", e.Now(), "processed:", e.Processed(), "pending:", e.Pending())
	// Output:
	// 1s     ping node=2 seq=2
	// 1.15s  pong node=2 seq=5
	// 2s     ping node=1 seq=1
	// 2s     ping node=3 seq=3
	// 2.15s  pong node=1 seq=6
	// 2.15s  pong node=3 seq=7
	// now: 5s processed: 6 pending: 1
}
