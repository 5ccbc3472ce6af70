package main

// faultsHelp is `gossipsim help faults` (also `help topology`): the syntax
// of the topology, link-class, latency-matrix, fault-schedule and churn
// flags, which the run and sweep flag lists only name.
const faultsHelp = `Topology and faults, for every model (s3, epidemic, rumor, heartbeat, swim).

TOPOLOGY
  --topology zones=3,racks-per-zone=10
        3 zones of 10 racks. Nodes fill the 30 racks in contiguous blocks:
        node i is in rack floor(i*30/nodes), counting racks zone by zone, so
        nodes 0.. are zone 0 and rack sizes differ by at most one. In a
        sweep grid write ; for the comma:
        --grid 'topology=zones=2;racks-per-zone=4,zones=4;racks-per-zone=2'.
  --topology file:PATH
        a CSV of node,zone,rack lines (header optional, # comments); every
        node 0..nodes-1 once; zones and racks from 0 (a rack number is within
        its zone).
  A pair of nodes is same-rack, same-zone or cross-zone. Each class has its
  own latency and loss, default the fleet's --latency and --loss:
        --latency-same-rack, --latency-same-zone, --latency-cross-zone SPEC
        --loss-same-rack, --loss-same-zone, --loss-cross-zone P
  Peer selection stays uniform over the fleet unless the s3 model's
  --in-zone-share P sends each pick to the node's own zone with probability P.

LATENCY MATRIX
  --latency-matrix FILE   one-way latency centers in ms, row = sender:
        from\to,zone:0,zone:1,zone:2
        zone:0,0.25,1.5,12
        zone:1,1.5,0.25,11
        zone:2,12,11,0.25
  Labels are all zones (zone:Z), all racks (rack:Z/R) or all nodes (ids),
  rows in the header's order. The value is the center of the pair's latency
  distribution (the constant, lognormal median, exponential mean or uniform
  mean); the shape (sigma, width) is the class's. Example:
  experiments/scenarios/zones3-latency.csv.

FAULT SCHEDULE
  --faults FILE, or a faults: list in a scenario file. Each entry has at
  (start), an optional until (end), and one action:
    crash:     {nodes: "1,5-9"} | {zone: 0} | {rack: 0/3} | {group: G}, or
               {count: 5} (drawn from the seed; with a group, among it).
               Restarts at until; without until the nodes stay down.
    restart:   {nodes: ...}  brings up nodes an open-ended crash took down.
    partition: {from: G, to: G, oneway: false}  blocks both ways (one-way:
               from -> to only) until it heals at until. A node in both
               groups is on the from side: to: all = every other node.
    link:      {class: cross-zone, latency: SPEC, loss: P}, or
               {from: G, to: G, ...}: the pair's latency and/or loss.
    corrupt:   {nodes: 7, direction: out|in|both, prob: P, bits: K,
               pattern: random|burst} or {bit-error-rate: B}: a faulty NIC;
               {from: G, to: G, prob: P}: a faulty router. Beside the
               fleet-wide --corrupt-prob; same counters, same checksums.
    skew:      {zone: 2, rate: 1.05}  clocks 5% fast: s3, heartbeat and
               swim run their timers and timeouts at the rate; epidemic
               and rumor (rounds) ignore it.
    churn:     PATH  (an entry of its own) a churn trace, as --churn.
  A group G is comma-separated zone:Z, rack:Z/R, node ids N or N-M, or all.
  A down node neither sends nor receives (messages to it count as
  messages_to_down_nodes); blocked messages count as messages_partitioned
  (summary.json and runs.csv, with the other fault fields). Example:
    - at: 60s
      until: 120s
      partition: {from: "zone:0", to: "zone:1,zone:2"}
    - at: 150s
      until: 195s
      crash: {rack: 1/3}

  --churn FILE   a churn trace: CSV node,down_at,up_at (seconds or
                 durations; empty up_at: stays down), replayed as crashes.

  Errors name the file, the line and the field, for example
    faults.yaml:7: partition.to: group "zone:5" does not exist (zones 0-2)
  and exit 2 with nothing written. See experiments/scenarios/zones3.yaml.
`
