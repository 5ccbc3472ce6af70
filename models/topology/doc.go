// Package topology groups a fleet's nodes into zones and racks, gives each
// pair of nodes its link class (same rack, same zone, cross zone), and reads
// latency matrices. The message path (package transport) asks it, per
// message, which class and which latency a pair has; fault schedules
// (package faults) name its groups.
//
// # Layouts
//
// A layout is written as a spec:
//
//	zones=3,racks-per-zone=10   3 zones of 10 racks each; nodes fill the 30
//	                            racks in contiguous blocks: node i is in rack
//	                            floor(i·30/n) (counting racks zone by zone), so
//	                            rack sizes differ by at most one node
//	zones=3                     3 zones of one rack each
//	zones=3;racks-per-zone=10   the same as with a comma (for grid axes,
//	                            whose values are comma-separated)
//	file:PATH                   a CSV file of node,zone,rack lines (a header
//	                            line "node,zone,rack" is allowed, # starts a
//	                            comment); every node 0..n-1 once, zones and
//	                            racks numbered from 0 (a rack number is
//	                            within its zone)
//
// ParseLayout reads a spec (and the file it names) without the fleet size;
// Config.Build resolves it for n nodes. Nothing here draws random numbers:
// the layout is a pure function of the spec and n.
//
// # Groups
//
// A group is a comma-separated list of selectors, each one of
//
//	zone:Z        every node of zone Z
//	rack:Z/R      every node of rack R of zone Z
//	N or N-M      node N, or nodes N to M inclusive
//	all           every node
//
// ParseGroup reads one; Topology.Members lists its nodes, or says which
// selector names a group that does not exist.
//
// # Link classes
//
// Class(a, b) is network.SameRack, network.SameZone or network.CrossZone. A
// fleet's network.Config gives each class its own latency and loss
// (Classes); a class not set uses the fleet's latency and loss, so a layout
// alone changes no result.
//
// # Latency matrix
//
// A latency matrix is a CSV file of one-way latencies in milliseconds,
// row = sender's group, column = receiver's group:
//
//	from\to,zone:0,zone:1,zone:2
//	zone:0,0.25,8,40
//	zone:1,8,0.25,35
//	zone:2,40,35,0.25
//
// The labels are all zones (zone:Z), all racks (rack:Z/R) or all nodes
// (plain node ids, every node of the fleet); the rows list the same labels
// in the same order as the header. A value is the center of the pair's
// latency distribution (network.Latency.WithCenter: the constant, the
// lognormal median, the exponential mean, the uniform mean); the shape
// (sigma, width) is that of the pair's class, or the fleet's latency. Each
// message still makes one latency draw, from the same stream as without a
// matrix.
//
// # Use
//
//	lay, _ := topology.ParseLayout("zones=3,racks-per-zone=10")
//	topo, _ := topology.Config{Layout: lay}.Build(300)
//	topo.ZoneOf(17), topo.RackOf(17) // 0, 1 (rack 1 of zone 0)
//	topo.Class(0, 150)              // network.CrossZone
package topology
