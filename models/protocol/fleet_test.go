package protocol

import (
	"testing"

	"github.com/gossipsim/gossipsim/models/faults"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/topology"
	"github.com/gossipsim/gossipsim/sim"
)

func TestLatencyBound(t *testing.T) {
	f := Fleet{Nodes: 10, Network: network.Config{Latency: network.Latency{A: sim.Millisecond}}}
	if got := f.LatencyBound(); got != sim.Millisecond {
		t.Errorf("flat: %s, want 1ms", got)
	}
	f.Network.Classes[network.CrossZone] = network.ClassOverride{Latency: network.Latency{Kind: network.LatencyUniform, A: sim.Millisecond, B: 9 * sim.Millisecond}, HasLatency: true}
	if got := f.LatencyBound(); got != 9*sim.Millisecond {
		t.Errorf("with a cross-zone class: %s, want 9ms", got)
	}
	m, err := topology.ParseMatrix("m.csv", []byte(",0,1\n0,0,30\n1,30,0\n"))
	if err != nil {
		t.Fatal(err)
	}
	f.Topology.Matrix = m
	if got := f.LatencyBound(); got != 34*sim.Millisecond {
		t.Errorf("with a matrix up to 30ms: %s, want 34ms (the uniform class centred on 30ms)", got)
	}
	s, err := faults.Parse("f.yaml", []byte("- at: 1s\n  link: {class: same-rack, latency: const:50ms}\n"))
	if err != nil {
		t.Fatal(err)
	}
	f.Faults = s
	if got := f.LatencyBound(); got != 50*sim.Millisecond {
		t.Errorf("with a link fault: %s, want 50ms", got)
	}
}
