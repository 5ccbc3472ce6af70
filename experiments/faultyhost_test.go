package experiments

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// TestFaultyHostSweep: faulty-host builds 2 sources × 3 checksums ×
// replicates runs; the only corruption is the schedule's (fleet-wide
// corrupt-prob 0); the fleet-wide source corrupts every node's outgoing
// messages at the host's probability divided by the fleet size, so both
// corrupt the same expected share of a quiet fleet's messages, in the full
// sweep and in the quick one (100 nodes); and every cell of replicate r
// runs on one seed (paired).
func TestFaultyHostSweep(t *testing.T) {
	e := mustExperiment(t, "faulty-host")
	for _, tc := range []struct {
		name              string
		sw                Sweep
		nodes, replicates int
	}{
		{"full", e.Sweep(), 1000, 8},
		{"quick", e.Quick(), 100, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs, err := tc.sw.Runs()
			if err != nil {
				t.Fatal(err)
			}
			if want := 2 * 3 * tc.replicates; len(runs) != want {
				t.Fatalf("%d runs, want %d", len(runs), want)
			}
			if ax := tc.sw.Axes[0]; ax.Name != "faults" || len(ax.Labels) != 2 || ax.Title == "" {
				t.Fatalf("first axis %+v, want the labelled faults axis", ax)
			}
			seeds := map[int]uint64{}
			for _, r := range runs {
				sc := r.Scenario
				if sc.Fleet.Nodes != tc.nodes || sc.Fleet.Corruption.Probability != 0 {
					t.Fatalf("run %d: %d nodes, corrupt-prob %g; want %d and 0", r.Index, sc.Fleet.Nodes, sc.Fleet.Corruption.Probability, tc.nodes)
				}
				if len(sc.Fleet.Faults.Entries) != 1 {
					t.Fatalf("run %d: %d schedule entries, want 1", r.Index, len(sc.Fleet.Faults.Entries))
				}
				en := sc.Fleet.Faults.Entries[0]
				want := FaultyHostProb
				if en.Nodes.Text == "all" {
					want /= float64(tc.nodes)
				} else if en.Nodes.Text != fmt.Sprint(FaultyHostNode) {
					t.Fatalf("run %d: source on %q", r.Index, en.Nodes.Text)
				}
				if p := en.Corruption.Probability; math.Abs(p-want) > 1e-12*want || en.Corruption.Bits != 2 {
					t.Errorf("run %d (%s): prob %g bits %d, want %g and 2", r.Index, en.Nodes.Text, p, en.Corruption.Bits, want)
				}
				if s, ok := seeds[r.Replicate]; ok && s != sc.Seed {
					t.Errorf("run %d: replicate %d has seed %d, another cell %d (want paired)", r.Index, r.Replicate, sc.Seed, s)
				}
				seeds[r.Replicate] = sc.Seed
			}
		})
	}
}

// TestFaultyHostCorruptsOnlyItsOwnMessages runs the S3 model on 20 nodes
// for 30 s with the faulty host's source at probability 1 (every message
// node 7 sends is corrupted) and CRC-32C (every corrupted message
// rejected). Alive, node 7's messages are at least its share of all sent;
// crashed by the schedule for the whole run, it sends nothing, and the
// source injects nothing although the fleet sends thousands of messages,
// while the same source on every node still injects: the host's
// corruptions come from node 7 and from no other node.
func TestFaultyHostCorruptsOnlyItsOwnMessages(t *testing.T) {
	const n = 20
	run := func(faults string) Summary {
		t.Helper()
		sc := sweepBase()
		sc.Fleet.Nodes = n
		sc.Duration = 30 * sim.Second
		sc.Fleet.Corruption.Probability = 0
		for _, kv := range [][2]string{{"checksum", "crc32c"}, {"faults", faults}} {
			if err := sc.Set(kv[0], kv[1]); err != nil {
				t.Fatalf("%s=%s: %v", kv[0], kv[1], err)
			}
		}
		res, err := Run(context.Background(), sc, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.Summary
	}
	const host = "{at: 0s, corrupt: {nodes: 7, direction: out, prob: 1, bits: 2}}"
	const fleet = "{at: 0s, corrupt: {nodes: all, direction: out, prob: 1, bits: 2}}"
	const down = "{at: 0s, crash: {nodes: 7}}"

	alive := run("[" + host + "]")
	share := float64(alive.CorruptionsInjected) / float64(alive.MessagesSent)
	if alive.CorruptionsInjected == 0 || alive.CorruptionsRejected != alive.CorruptionsInjected || alive.CorruptionsAccepted != 0 {
		t.Errorf("node 7 alive: injected %d rejected %d accepted %d; want some, all rejected", alive.CorruptionsInjected, alive.CorruptionsRejected, alive.CorruptionsAccepted)
	}
	// At least its share, and here a quarter of all messages: digest gossip
	// pulls with the node's own messages, so with all of them rejected node
	// 7 learns no newer versions, declares its peers failed and sends
	// failure notices about each of them.
	if share < 1.0/n {
		t.Errorf("node 7 alive: %d of %d messages corrupted (%.3f), want at least its share 1/%d", alive.CorruptionsInjected, alive.MessagesSent, share, n)
	}

	silent := run("[" + host + ", " + down + "]")
	if silent.MessagesSent < 1000 || silent.CorruptionsInjected != 0 {
		t.Errorf("node 7 down: %d messages sent, %d corrupted; want thousands sent and none corrupted", silent.MessagesSent, silent.CorruptionsInjected)
	}

	everyone := run("[" + fleet + ", " + down + "]")
	if everyone.CorruptionsInjected != everyone.MessagesSent-everyone.MessagesLost {
		t.Errorf("every node's NIC, node 7 down: %d of %d messages (%d lost) corrupted, want every one sent", everyone.CorruptionsInjected, everyone.MessagesSent, everyone.MessagesLost)
	}
}

// TestFaultyHostStormFile: the storm variant's scenario file loads as
// faulty-host's sweep at ten times the rates (the fleet-wide source still
// the host's divided by the fleet size), without a checksum, 8 runs.
func TestFaultyHostStormFile(t *testing.T) {
	sc := DefaultScenario()
	spec, err := LoadScenarioFile("scenarios/faulty-host-storm.yaml", &sc)
	if err != nil {
		t.Fatal(err)
	}
	sw, err := BuildSweep(SweepInput{File: &sc, Spec: spec})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := sw.Runs()
	if err != nil {
		t.Fatal(err)
	}
	if sw.Experiment != "faulty-host" || len(runs) != 8 || sw.Axes[0].Labels[1] != "one host" {
		t.Fatalf("experiment %q, %d runs, axes %+v", sw.Experiment, len(runs), sw.Axes)
	}
	for _, r := range runs {
		sc := r.Scenario
		en := sc.Fleet.Faults.Entries[0]
		want := 10 * FaultyHostProb
		if en.Nodes.Text == "all" {
			want /= float64(sc.Fleet.Nodes)
		}
		if sc.Duration != 300*sim.Second || sc.Fleet.Corruption.Probability != 0 || sc.Fleet.Checksum.String() != "none" ||
			math.Abs(en.Corruption.Probability-want) > 1e-12*want {
			t.Errorf("run %d: %v, corrupt-prob %g, checksum %v, source %s at %g (want %g)", r.Index, sc.Duration, sc.Fleet.Corruption.Probability, sc.Fleet.Checksum, en.Nodes.Text, en.Corruption.Probability, want)
		}
	}
}
