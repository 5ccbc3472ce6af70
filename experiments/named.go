package experiments

import (
	"fmt"

	"github.com/gossipsim/gossipsim/models/faults"
	"github.com/gossipsim/gossipsim/models/mitigation"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Experiment is a named, ready-made sweep with its figures.
type Experiment struct {
	// Name is what `gossipsim sweep --experiment` takes.
	Name string
	// Description is one line for `gossipsim experiments`.
	Description string
	// Sweep builds the sweep with its default grid and replicates.
	Sweep func() Sweep
	// Figures are drawn from its results.
	Figures []Figure
	// Quick, when set, builds the small sweep that `gossipsim report
	// --quick` runs; nil: Sweep with at most 3 replicates and 100 nodes.
	// An experiment whose grid depends on the fleet size (faulty-host's
	// fleet-wide rate is the host's divided by the nodes) sets it.
	Quick func() Sweep
}

func mustAxis(spec string) Axis {
	ax, err := ParseAxis(spec)
	if err != nil {
		panic("experiments: bad built-in grid " + spec + ": " + err.Error())
	}
	return ax
}

// sweepBase is the scenario the named experiments start from: 1,000 nodes,
// the size at which the default scenario tips into a storm, for 300
// simulated seconds. A quiet run of it takes about 10 s of one core, a
// storming one 20-40 s.
func sweepBase() Scenario {
	sc := DefaultScenario()
	sc.Duration = 300 * sim.Second
	return sc
}

// Experiments lists the named experiments.
func Experiments() []Experiment {
	return []Experiment{
		{
			Name:        "s3-2008",
			Description: "the 2008-style event on the default scenario: one representative run's time series and the spread over replicates",
			Sweep: func() Sweep {
				return Sweep{Experiment: "s3-2008", Seed: 1, Replicates: 20, Base: DefaultScenario(), KeepTimeSeries: true}
			},
			Figures: []Figure{
				{Metric: "peak_wrong_view_fraction", Label: peakWrongLabel, Kind: "box", Percent: true},
				{Metric: "recovery_time_s", Label: "recovery time (s)", Kind: "box"},
				{Metric: "peak_messages_per_second", Label: "peak gossip volume (messages/s)", Kind: "box", LogY: true},
				{Metric: "corruptions_accepted", Label: "corruptions accepted (messages)", Kind: "box"},
			},
		},
		{
			Name:        "corruption",
			Description: "recovery time and accepted corruptions against corruption probability, one line per checksum kind (1,000 nodes, 300 s; 4 probabilities and 5 replicates keep it to minutes)",
			Sweep: func() Sweep {
				return Sweep{Experiment: "corruption", Seed: 1, Replicates: 5, Base: sweepBase(), Axes: []Axis{
					mustAxis("corrupt-prob=1e-6:1e-3:log:4"),
					mustAxis("checksum=none,sum8,crc32c,md5"),
				}}
			},
			Figures: []Figure{
				{Metric: CensoredFraction, Label: "runs still wrong at the horizon (censored, %, Wilson 95% CI)", Percent: true},
				{Metric: "recovery_time_s", Label: "recovery time of recovered runs (s)"},
				{Metric: "corruptions_accepted", Label: "corruptions accepted (messages)"},
				{Metric: "peak_wrong_view_fraction", Label: peakWrongLabel, Percent: true},
				{Metric: "messages_per_node_per_second", Label: "gossip volume (messages/s per node)"},
			},
		},
		{
			Name:        "mitigations",
			Description: "the 2008-style event (1,000 nodes, a corruption episode from 60 s to 180 s) under no mitigation, each of (a)-(d) alone, and all together (6 paired replicates: a storming run takes 30-45 s)",
			Sweep: func() Sweep {
				sc := DefaultScenario()
				sc.Duration = 540 * sim.Second
				sc.Fleet.Corruption.Probability = 1e-4
				// A quiet first minute gives the monitor (c) its steady-state baseline.
				sc.Fleet.Corruption.From = 60 * sim.Second
				sc.Fleet.Corruption.Until = 180 * sim.Second
				sc.S3Params().Reset.At = 240 * sim.Second
				return Sweep{Experiment: "mitigations", Seed: 1, Replicates: 6, Base: sc, KeepTimeSeries: true, Paired: []string{"mitigation"}, Axes: []Axis{
					mitigationAxis(),
				}}
			},
			Figures: []Figure{
				{Metric: "recovery_time_s", Label: "recovery time (s)", Kind: "box"},
				// A storm gossips 100-300 times what a damped or quiet fleet does: log axes.
				{Metric: "peak_messages_per_second", Label: "peak gossip volume (messages/s)", Kind: "box", LogY: true},
				{Metric: "messages_per_node_per_second", Label: "gossip volume (messages/s per node, whole run)", Kind: "box", LogY: true},
				{Metric: "peak_wrong_view_fraction", Label: peakWrongLabel, Kind: "box", Percent: true},
				{Metric: "time_to_alarm_s", Label: "time from trigger to alarm (s)", Kind: "box"},
			},
		},
		{
			Name:        "mitigations-detection",
			Description: "what mitigation (b) costs in detection time of real crashes: 1,000 nodes, no corruption, random crashes, none vs b",
			Sweep: func() Sweep {
				sc := sweepBase()
				sc.Fleet.Corruption.Probability = 0
				sc.S3Params().CrashRate = 2
				sc.S3Params().DownTime = 60 * sim.Second
				return Sweep{Experiment: "mitigations-detection", Seed: 1, Replicates: 10, Base: sc, Paired: []string{"mitigation"}, Axes: []Axis{
					mitigationAxis(mitigation.None, "b"),
				}}
			},
			Figures: []Figure{
				{Metric: "detection_time_mean_s", Label: "crash detection time, first observer (s)", Kind: "box"},
				{Metric: "full_detection_time_mean_s", Label: "crash detection time, every observer (s)", Kind: "box"},
				{Metric: "messages_per_node_per_second", Label: "gossip volume (messages/s per node)", Kind: "box"},
				// At 1,000 nodes the crashes' failure gossip alone can tip the
				// fleet into a storm, in which a crash is "detected" early
				// because its observers already believed every peer failed.
				{Metric: "peak_wrong_view_fraction", Label: peakWrongLabel, Kind: "box", Percent: true},
			},
		},
		{
			Name:        "scale",
			Description: "detection time, gossip volume per node and recovery time against fleet size, 100 to 20,000 nodes (30 s and 2 replicates: one 20,000-node run takes about 3 minutes and 9 GB)",
			Sweep: func() Sweep {
				sc := DefaultScenario()
				sc.Duration = 30 * sim.Second
				sc.S3Params().CrashRate = 6
				sc.S3Params().DownTime = 30 * sim.Second
				sc.Fleet.Corruption.Probability = 1e-5
				return Sweep{Experiment: "scale", Seed: 1, Replicates: 2, Base: sc, Axes: []Axis{
					mustAxis("nodes=100:20000:log:5"),
				}}
			},
			Figures: []Figure{
				{Metric: "detection_time_mean_s", Label: "crash detection time, first observer (s)"},
				{Metric: "full_detection_time_mean_s", Label: "crash detection time, every observer (s)"},
				{Metric: "messages_per_node_per_second", Label: "gossip volume (messages/s per node)"},
				{Metric: "bytes_sent", Label: "bytes sent over the run (B)", LogY: true},
				{Metric: "recovery_time_s", Label: "recovery time (s)"},
			},
		},
		{
			Name:        "fanout-interval",
			Description: "gossip volume and crash detection time over fanout × gossip interval, as heat maps (1,000 nodes; 120 s and 3 replicates, since fanout 4 every 250 ms gossips 16 times as much as the default)",
			Sweep: func() Sweep {
				sc := sweepBase()
				sc.Duration = 120 * sim.Second
				sc.Fleet.Corruption.Probability = 0
				sc.Fleet.Checksum = wire.ChecksumCRC32C
				sc.S3Params().CrashRate = 2
				sc.S3Params().DownTime = 60 * sim.Second
				return Sweep{Experiment: "fanout-interval", Seed: 1, Replicates: 3, Base: sc, Axes: []Axis{
					mustAxis("fanout=1,2,3,4"),
					mustAxis("gossip-interval=250ms,500ms,1s,2s"),
				}}
			},
			Figures: []Figure{
				{Metric: "messages_per_node_per_second", Label: "gossip volume (messages/s per node)", Kind: "heatmap"},
				{Metric: "detection_time_mean_s", Label: "crash detection time (s)", Kind: "heatmap"},
				{Metric: "full_detection_time_mean_s", Label: "crash detection time, every observer (s)", Kind: "heatmap"},
				// At 1,000 nodes the crashes' failure gossip storms in most cells.
				{Metric: "peak_wrong_view_fraction", Label: peakWrongLabel, Kind: "heatmap", Percent: true},
			},
		},
		{
			Name:        "partition-heal",
			Description: "how long views take to be right again after zone 0 is cut off from the other zones, against the partition's length and the number of zones, without mitigation and with (b) (1,000 nodes, 300 s, partition from 60 s; 2 paired replicates)",
			Sweep: func() Sweep {
				sc := sweepBase()
				sc.Fleet.Corruption.Probability = 0
				return Sweep{Experiment: "partition-heal", Seed: 1, Replicates: 2, Base: sc, Paired: []string{"faults", "topology", "mitigation"}, Axes: partitionHealAxes(sc)}
			},
			Figures: []Figure{
				{Metric: "convergence_after_heal_s", Label: "time from the heal until every view is right (s)"},
				{Metric: "peak_wrong_view_fraction", Label: peakWrongLabel, Percent: true},
				{Metric: "final_wrong_view_fraction", Label: "wrong views at the horizon (% of live pairs)", Percent: true},
				{Metric: "false_failures_same_zone", Label: "false failure declarations within a zone"},
				{Metric: "false_failures", Label: "false failure declarations"},
				{Metric: "messages_per_node_per_second", Label: "gossip volume (messages/s per node)", LogY: true},
			},
		},
		{
			Name:        "detectors",
			Description: "false failures and crash detection time of the timeout, suspect and φ-accrual detectors, without corruption and with corruption that storms, at 500 and 1,000 nodes (300 s, random crashes; 5 paired replicates: about 5.5 minutes on 2 cores)",
			Sweep: func() Sweep {
				sc := sweepBase()
				sc.Fleet.Checksum = wire.ChecksumNone
				// About 20 (500 nodes) or 40 (1,000) crashes in 300 s:
				// enough to measure detection, few enough that the
				// timeout detector's failure gossip does not always storm
				// on its own (at 2 an hour it does at 1,000 nodes). 500
				// nodes is where the detector decides whether corruption
				// storms; at 1,000 it storms with each.
				sc.S3Params().CrashRate = 0.5
				sc.S3Params().DownTime = 60 * sim.Second
				return Sweep{Experiment: "detectors", Seed: 1, Replicates: 5, Base: sc, Paired: []string{"detector"}, Axes: []Axis{
					mustAxis("nodes=500,1000"),
					mustAxis("corrupt-prob=0,1e-4"),
					mustAxis("detector=timeout,suspect,phi"),
				}}
			},
			Figures: []Figure{
				{Metric: "false_failures", Label: "false failure declarations", Kind: "box"},
				{Metric: "detection_time_mean_s", Label: "crash detection time, first observer (s)", Kind: "box"},
				{Metric: "full_detection_time_mean_s", Label: "crash detection time, every observer (s)", Kind: "box"},
				{Metric: "peak_wrong_view_fraction", Label: peakWrongLabel, Kind: "box", Percent: true},
				{Metric: "messages_per_node_per_second", Label: "gossip volume (messages/s per node)", Kind: "box", LogY: true},
			},
		},
		{
			Name:        "faulty-host",
			Description: "one node's NIC corrupting its outgoing messages at 1e-2 against every node's at 1e-5 (the same expected share of corrupted messages in a quiet fleet: a node sends about 1/1,000 of them), 2-bit flips, with checksum none, sum8 and crc32c (1,000 nodes, 300 s, 8 paired replicates: 48 runs in 2.5-5 minutes on 2 cores)",
			Sweep:       func() Sweep { return faultyHostSweep(sweepBase(), 8) },
			Quick: func() Sweep {
				sc := sweepBase()
				sc.Fleet.Nodes = 100
				return faultyHostSweep(sc, 3)
			},
			// Neither axis is numeric, so every figure is a box per cell.
			Figures: []Figure{
				{Metric: "corruptions_injected", Label: "corruptions injected (messages)", Kind: "box"},
				{Metric: "corruptions_accepted", Label: "corruptions accepted (messages)", Kind: "box"},
				{Metric: "peak_wrong_view_fraction", Label: peakWrongLabel, Kind: "box", Percent: true},
				{Metric: "false_failures", Label: "false failure declarations", Kind: "box"},
				{Metric: "messages_per_node_per_second", Label: "gossip volume (messages/s per node)", Kind: "box"},
			},
		},
	}
}

// partitionHealAxes are the partition-heal experiment's fault schedules,
// zone 0 cut off from every other zone from 60 s for each length, and its
// layouts, labelled for figures by what varies.
func partitionHealAxes(base Scenario) []Axis {
	var flows, lengths []string
	for _, l := range []int{10, 30, 60, 120} {
		text := fmt.Sprintf(`[{at: 60s, until: %ds, partition: {from: "zone:0", to: all}}]`, 60+l)
		s, err := faults.Parse("partition-heal", []byte(text))
		if err != nil {
			panic("experiments: bad built-in schedule " + text + ": " + err.Error())
		}
		flows, lengths = append(flows, s.Flow()), append(lengths, fmt.Sprint(l))
	}
	var layouts, zones []string
	for _, z := range []int{2, 3, 5} {
		layouts, zones = append(layouts, fmt.Sprintf("zones=%d;racks-per-zone=4", z)), append(zones, fmt.Sprint(z))
	}
	fa, err := AxisOf("faults", flows, base)
	if err != nil {
		panic("experiments: " + err.Error())
	}
	fa.Labels, fa.Title = lengths, "partition length (s)"
	ta, err := AxisOf("topology", layouts, base)
	if err != nil {
		panic("experiments: " + err.Error())
	}
	ta.Labels, ta.Title = zones, "zones"
	return []Axis{fa, ta, mitigationAxis(mitigation.None, "b")}
}

// Faulty-host's corruption: one node's NIC (FaultyHostNode's outgoing
// messages) at FaultyHostProb per message, against every node's outgoing
// messages at FaultyHostProb / nodes. A node sends about 1/nodes of a quiet
// fleet's messages, so both corrupt the same expected number; two bits
// flip, so that sum8 (which catches every single-bit flip) differs from
// CRC-32C.
const (
	FaultyHostNode = 7
	FaultyHostProb = 1e-2
	faultyHostBits = 2
)

// faultyHostSweep is the faulty-host sweep over base: the corruption
// source (fleet-wide or one host, as fault schedules) × checksum, both
// paired, so replicate r of every cell runs on one seed.
func faultyHostSweep(base Scenario, replicates int) Sweep {
	base.Fleet.Corruption.Probability = 0 // the schedule's sources are the only corruption
	return Sweep{Experiment: "faulty-host", Seed: 1, Replicates: replicates, Base: base,
		Paired: []string{"faults", "checksum"}, Axes: []Axis{
			faultyHostAxis(base.Fleet.Nodes),
			mustAxis("checksum=none,sum8,crc32c"),
		}}
}

// faultyHostAxis is the corruption-source axis for a fleet of n nodes: the
// schedules in their canonical one-line form, labelled by source.
func faultyHostAxis(n int) Axis {
	source := func(nodes string, prob float64) string {
		text := fmt.Sprintf("[{at: 0s, corrupt: {nodes: %q, direction: out, prob: %g, bits: %d}}]", nodes, prob, faultyHostBits)
		s, err := faults.Parse("faulty-host", []byte(text))
		if err != nil {
			panic("experiments: bad built-in schedule " + text + ": " + err.Error())
		}
		return s.Flow()
	}
	return Axis{Name: "faults", Title: "source",
		Values: []string{source("all", FaultyHostProb/float64(n)), source(fmt.Sprint(FaultyHostNode), FaultyHostProb)},
		Labels: []string{"fleet-wide", "one host"}}
}

// LookupExperiment finds a named experiment.
func LookupExperiment(name string) (Experiment, bool) {
	for _, e := range Experiments() {
		if e.Name == name {
			return e, true
		}
	}
	return Experiment{}, false
}

// ExperimentNames lists the names, for error messages.
func ExperimentNames() []string {
	var out []string
	for _, e := range Experiments() {
		out = append(out, e.Name)
	}
	return out
}
