// Package faults is the timed fault schedule of a run: crashes and
// restarts of nodes, racks or zones, partitions (symmetric or one-way) that
// heal, loss and latency changes on a link class or between groups,
// corruption sources confined to nodes or links, clock skew, and churn
// traces. The message path (package transport) consults it per message, so
// every model has it without a line of its own.
//
// # Writing a schedule
//
// A schedule is a YAML list, in a file (--faults FILE) or as the faults:
// section of a scenario file. Each entry has at (its start, simulated time
// from the run's start), an optional until (its end) and one action, a
// mapping of fields:
//
//	faults:
//	  - at: 60s
//	    until: 120s
//	    partition: {from: "zone:0", to: "zone:1,zone:2"}   # oneway: true blocks from -> to only; to: all = every node outside from
//	  - at: 150s
//	    until: 195s
//	    crash: {rack: 1/3}            # or nodes: "1,5-9", zone: 0, group: G; count: N draws N of them
//	  - at: 300s
//	    restart: {nodes: 4}           # ends a crash given without until
//	  - at: 200s
//	    until: 320s
//	    link: {class: cross-zone, latency: "lognormal:20ms:0.5", loss: 0.02}   # or from/to groups
//	  - at: 240s
//	    corrupt: {nodes: 7, direction: out, prob: 0.001, bits: 1}   # a NIC; from/to groups: a router
//	  - at: 0s
//	    skew: {zone: 2, rate: 1.05}
//	  - churn: trace.csv              # node,down_at,up_at lines, replayed as crash entries
//
// Groups are package topology's (zone:Z, rack:Z/R, node ids N or N-M, all,
// comma-separated). Parse and Load read a schedule and check each entry
// alone (its fields, its times, its probabilities); Schedule.Compile
// resolves it for a fleet (groups to nodes, counts drawn) and checks the
// entries against each other (a node's crash windows must not overlap; a
// restart needs a node that is down). Every error is one line naming the
// file, the line and the field:
//
//	faults.yaml:7: partition.to: group "zone:5" does not exist (zones 0-2)
//
// Schedule.YAML and Schedule.Flow write a schedule back (a block list for a
// scenario file, one line for a parameter value); both read back to the
// same entries.
//
// # What is in force
//
// A Timeline is a schedule compiled for one run. Advance(t) brings it to
// the run's time t (cheap when nothing starts or ends); then Down(node),
// Blocked(from, to), Link(from, to, class, latency, loss) and
// Corruption(from, to, &k) say what applies to a message. Later link
// entries override earlier ones for the pairs they share; a message is
// tested against the corruption sources in file order until one hits.
//
// # What needs a model
//
// The transport silences a down node (it neither sends nor receives) for
// every model. A model that can really crash and restart a node (lose its
// state, come back with a new generation) replays NodeEvents, the crashes
// and restarts in time order; skew acts only in a model whose timers read
// ClockRate(node, t). Nothing in this package touches a model's state.
//
// # Randomness
//
// Only crash counts draw here: from the stream "faults/crash"
// (sim.NewStream(seed, "faults/crash")), entry by entry in file order,
// among the nodes of the entry's group that no other crash holds down
// during its window. A corruption source draws on the message path from
// "<model>/corruption-source". A run without a schedule draws nothing new.
package faults
