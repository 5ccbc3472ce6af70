package experiments

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/models/faults"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/topology"
)

// The fleet's topology and fault rows. Each is empty ("") when not set;
// PrintScenario and sweep.json leave empty rows out, so that scenarios
// without a topology or a schedule print (and hash) as they always have.

// faultParams are the rows that give a scenario a topology or a fault
// schedule (hasFaults), so that a sweep with one of them as an axis records
// the fault fields (Sweep.recordsFaults). The per-class latency and loss
// rows need a topology and are not in it.
var faultParams = map[string]bool{"topology": true, "latency-matrix": true, "faults": true, "churn": true}

// hasFaults reports whether sc's fleet has a topology (a layout or a
// latency matrix) or a fault schedule: its run's summary.json then has the
// fault fields (metrics.FaultSummary).
func hasFaults(sc Scenario) bool {
	return sc.Fleet.Topology.Enabled() || !sc.Fleet.Faults.Empty()
}

// topologyRows are the layout, the latency matrix and the per-class latency
// and loss.
func topologyRows() []Param {
	rows := []Param{
		param.Func("topology", "zones and racks: zones=Z,racks-per-zone=R (nodes fill racks in contiguous blocks) or file:PATH (CSV node,zone,rack); empty = flat fleet",
			param.TypeSpec,
			func(s *Scenario) string {
				if l := s.Fleet.Topology.Layout; l != nil {
					return l.Spec
				}
				return ""
			},
			func(s *Scenario, v string) error {
				if v == "" {
					s.Fleet.Topology.Layout = nil
					return nil
				}
				l, err := topology.ParseLayout(v)
				if err != nil {
					return stripKey(err, "topology")
				}
				s.Fleet.Topology.Layout = l
				return nil
			}),
		param.Func("latency-matrix", "CSV of one-way latency centers in ms, zone x zone, rack x rack or node x node (row = sender); each pair's latency is its class's distribution centered there",
			param.TypeSpec,
			func(s *Scenario) string {
				if m := s.Fleet.Topology.Matrix; m != nil {
					return m.File
				}
				return ""
			},
			func(s *Scenario, v string) error {
				if v == "" {
					s.Fleet.Topology.Matrix = nil
					return nil
				}
				m, err := topology.LoadMatrix(v)
				if err != nil {
					return stripKey(err, "latency-matrix")
				}
				s.Fleet.Topology.Matrix = m
				return nil
			}),
	}
	for k := range network.NumClasses {
		class := network.Class(k)
		rows = append(rows, param.Func("latency-"+class.String(), "latency between "+classWhat[k]+" (needs topology); empty = the fleet's latency",
			param.TypeSpec,
			func(s *Scenario) string {
				if o := s.Fleet.Network.Classes[class]; o.HasLatency {
					return o.Latency.String()
				}
				return ""
			},
			func(s *Scenario, v string) error {
				o := &s.Fleet.Network.Classes[class]
				if v == "" {
					o.Latency, o.HasLatency = network.Latency{}, false
					return nil
				}
				l, err := network.ParseLatency(v)
				if err != nil {
					return stripKey(err, "latency")
				}
				o.Latency, o.HasLatency = l, true
				return nil
			}))
	}
	for k := range network.NumClasses {
		class := network.Class(k)
		rows = append(rows, param.Func("loss-"+class.String(), "loss probability between "+classWhat[k]+", in [0, 1) (needs topology); empty = the fleet's loss",
			param.TypeFloat,
			func(s *Scenario) string {
				if o := s.Fleet.Network.Classes[class]; o.HasLoss {
					return formatFloat(o.Loss)
				}
				return ""
			},
			func(s *Scenario, v string) error {
				o := &s.Fleet.Network.Classes[class]
				if v == "" {
					o.Loss, o.HasLoss = 0, false
					return nil
				}
				p, err := strconv.ParseFloat(v, 64)
				if err != nil || !(p >= 0 && p < 1) {
					return fmt.Errorf("%q is not a probability in [0, 1)", v)
				}
				o.Loss, o.HasLoss = p, true
				return nil
			}))
	}
	return rows
}

// classWhat describes the pairs of each link class, for usage lines.
var classWhat = [network.NumClasses]string{"nodes of one rack", "nodes of one zone in different racks", "nodes in different zones"}

// faultRows are the fault schedule and the churn trace.
func faultRows() []Param {
	return []Param{
		param.Func("faults", "fault schedule: a YAML file listing timed crash, restart, partition, link, corrupt and skew entries (gossipsim help faults); in a scenario file, the list itself",
			param.TypeSpec,
			func(s *Scenario) string {
				return s.Fleet.Faults.Flow() // the entries, not the file's name: sweep.json records what ran
			},
			func(s *Scenario, v string) error {
				var from *faults.Schedule
				var err error
				switch {
				case v == "":
				case strings.HasPrefix(strings.TrimSpace(v), "["):
					from, err = faults.Parse("faults", []byte(v))
				default:
					from, err = faults.Load(v)
				}
				if err != nil {
					return err
				}
				s.Fleet.Faults = s.Fleet.Faults.WithEntries(from)
				return nil
			}),
		param.Func("churn", "churn trace replayed as crashes: CSV node,down_at,up_at (seconds; empty up_at = stays down)",
			param.TypeSpec,
			func(s *Scenario) string {
				if f := s.Fleet.Faults; f != nil {
					return f.Churn
				}
				return ""
			},
			func(s *Scenario, v string) error {
				f, err := s.Fleet.Faults.WithChurn(v)
				if err != nil {
					return err
				}
				s.Fleet.Faults = f
				return nil
			}),
	}
}

// stripKey removes a leading "key: " that the row's name repeats.
func stripKey(err error, key string) error {
	if rest, ok := strings.CutPrefix(err.Error(), key+": "); ok {
		return fmt.Errorf("%s", rest)
	}
	return err
}
