package faults

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/gossipsim/gossipsim/internal/inputfile"
	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/topology"
	"github.com/gossipsim/gossipsim/sim"
)

// Load reads a schedule file: a YAML list of entries (or a mapping whose
// only key is faults, holding the list).
func Load(path string) (*Schedule, error) {
	data, err := inputfile.Read(path)
	if err != nil {
		return nil, err
	}
	s, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	s.File = path
	return s, nil
}

// Parse reads a schedule's bytes; file names them in errors.
func Parse(file string, data []byte) (*Schedule, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", file, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	if len(doc.Content) == 0 {
		return &Schedule{}, nil
	}
	n := doc.Content[0]
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "faults" {
		n = n.Content[1]
	}
	return FromYAML(file, n)
}

// FromYAML reads a schedule from a YAML list node (a scenario file's faults
// section); file names it in errors.
func FromYAML(file string, n *yaml.Node) (*Schedule, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: faults: want a list of entries (- at: 10s ...)", file, n.Line)
	}
	s := &Schedule{}
	for _, item := range n.Content {
		es, err := parseEntry(file, item)
		if err != nil {
			return nil, err
		}
		s.Entries = append(s.Entries, es...)
	}
	return s, nil
}

// actionKeys lists the keys an entry takes, for errors.
const actionKeys = "crash, restart, partition, link, corrupt, skew or churn"

// parseEntry reads one list item: at, until and one action (or a churn
// trace, which gives many crash entries).
func parseEntry(file string, n *yaml.Node) ([]Entry, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: faults: an entry is a mapping (at: 10s, and one of %s)", file, n.Line, actionKeys)
	}
	e := Entry{File: file, Line: n.Line, lines: map[string]int{}}
	var action *yaml.Node
	hasAt := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if _, dup := e.lines[k.Value]; dup {
			return nil, fmt.Errorf("%s:%d: %s: given twice", file, k.Line, k.Value)
		}
		e.lines[k.Value] = v.Line
		switch k.Value {
		case "at", "until":
			t, err := timeValue(file, v, k.Value)
			if err != nil {
				return nil, err
			}
			if k.Value == "at" {
				e.At, hasAt = t, true
			} else {
				e.Until, e.HasUntil = t, true
			}
		case "churn":
			if action != nil {
				return nil, fmt.Errorf("%s:%d: churn: an entry has one action; %q is already given", file, k.Line, e.Action)
			}
			path, err := scalarValue(file, v, "churn")
			if err != nil {
				return nil, err
			}
			if len(n.Content) != 2 {
				return nil, fmt.Errorf("%s:%d: churn: a churn entry has no other key (its file gives the times)", file, k.Line)
			}
			return LoadChurn(path)
		default:
			a, ok := lookupAction(k.Value)
			if !ok {
				return nil, fmt.Errorf("%s:%d: %s: unknown action; an entry takes at, until and one of %s", file, k.Line, k.Value, actionKeys)
			}
			if action != nil {
				return nil, fmt.Errorf("%s:%d: %s: an entry has one action; %q is already given", file, k.Line, k.Value, e.Action)
			}
			e.Action, action = a, v
		}
	}
	if action == nil {
		return nil, fmt.Errorf("%s:%d: faults: the entry has no action; give one of %s", file, n.Line, actionKeys)
	}
	if !hasAt {
		return nil, fmt.Errorf("%s:%d: at: missing; every entry starts at a time (at: 0s for the start)", file, n.Line)
	}
	if err := parseAction(&e, action); err != nil {
		return nil, err
	}
	return []Entry{e}, nil
}

func lookupAction(s string) (Action, bool) {
	for i, name := range ActionNames {
		if s == name {
			return Action(i), true
		}
	}
	return 0, false
}

func timeValue(file string, v *yaml.Node, key string) (sim.Time, error) {
	s, err := scalarValue(file, v, key)
	if err != nil {
		return 0, err
	}
	t, err := param.SimTimeText.Parse(s)
	if err != nil {
		return 0, fmt.Errorf("%s:%d: %s: %v", file, v.Line, key, err)
	}
	return t, nil
}

func scalarValue(file string, v *yaml.Node, key string) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("%s:%d: %s: wants a single value", file, v.Line, key)
	}
	return v.Value, nil
}

// groupValue reads a group given as a scalar or a list of scalars; prefix
// turns each item into a selector ("zone:" for a zone key).
func groupValue(file string, v *yaml.Node, key, prefix string) (topology.Group, error) {
	var items []string
	switch v.Kind {
	case yaml.ScalarNode:
		items = strings.Split(v.Value, ",")
	case yaml.SequenceNode:
		for _, it := range v.Content {
			if it.Kind != yaml.ScalarNode {
				return topology.Group{}, fmt.Errorf("%s:%d: %s: wants a list of values", file, it.Line, key)
			}
			items = append(items, it.Value)
		}
	default:
		return topology.Group{}, fmt.Errorf("%s:%d: %s: wants a group such as \"zone:0\", \"rack:0/3\" or \"1,2,5-9\"", file, v.Line, key)
	}
	for i := range items {
		items[i] = strings.TrimSpace(items[i])
		if prefix != "" && !strings.HasPrefix(items[i], prefix) {
			items[i] = prefix + items[i]
		}
	}
	g, err := topology.ParseGroup(strings.Join(items, ","))
	if err != nil {
		return g, fmt.Errorf("%s:%d: %s: %v", file, v.Line, key, err)
	}
	return g, nil
}

// The fields each action takes, for errors.
var actionFields = [...]string{
	Crash:     "nodes, zone, rack or group, and count",
	Restart:   "nodes, zone, rack or group",
	Partition: "from, to and oneway",
	Link:      "class, or from and to (and oneway); latency and/or loss",
	Corrupt:   "nodes, zone, rack or group with direction, or from and to (and oneway); prob, bits, pattern or bit-error-rate",
	Skew:      "nodes, zone, rack or group, and rate",
}

// parseAction reads the action's mapping into e and checks it alone.
func parseAction(e *Entry, v *yaml.Node) error {
	file, name := e.File, e.Action.String()
	if v.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: %s: wants a mapping of %s", file, v.Line, name, actionFields[e.Action])
	}
	e.Corruption = corrupt.DefaultConfig()
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		key := name + "." + k.Value
		if seen[k.Value] {
			return fmt.Errorf("%s:%d: %s: given twice", file, k.Line, key)
		}
		seen[k.Value] = true
		e.lines[k.Value] = val.Line
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s: %s", file, val.Line, key, fmt.Sprintf(format, args...))
		}
		var err error
		allowed := true
		switch k.Value {
		case "nodes", "zone", "rack", "group":
			allowed = e.Action != Partition && e.Action != Link
			if allowed {
				if e.HasNodes {
					return bad("give the target once (nodes, zone, rack or group)")
				}
				prefix := map[string]string{"zone": "zone:", "rack": "rack:"}[k.Value]
				e.Nodes, err = groupValue(file, val, key, prefix)
				e.HasNodes = true
			}
		case "from", "to":
			allowed = e.Action == Partition || e.Action == Link || e.Action == Corrupt
			if allowed {
				var g topology.Group
				g, err = groupValue(file, val, key, "")
				if k.Value == "from" {
					e.From = g
				} else {
					e.To = g
				}
			}
		case "oneway":
			allowed = e.Action == Partition || e.Action == Link || e.Action == Corrupt
			if allowed {
				s, _ := scalarValue(file, val, key)
				if e.OneWay, err = strconv.ParseBool(s); err != nil {
					return bad("%q is not true or false", s)
				}
			}
		case "count":
			allowed = e.Action == Crash
			if allowed {
				s, _ := scalarValue(file, val, key)
				c, perr := strconv.Atoi(s)
				if perr != nil || c < 1 {
					return bad("%q is not a whole number of nodes, at least 1", s)
				}
				e.Count = c
			}
		case "class":
			allowed = e.Action == Link
			if allowed {
				s, _ := scalarValue(file, val, key)
				if e.Class, err = network.ParseClass(s); err != nil {
					return bad("%v", err)
				}
				e.HasClass = true
			}
		case "latency":
			allowed = e.Action == Link
			if allowed {
				s, _ := scalarValue(file, val, key)
				if e.Latency, err = network.ParseLatency(s); err != nil {
					return bad("%s", strings.TrimPrefix(err.Error(), "latency: "))
				}
				e.HasLatency = true
			}
		case "loss":
			allowed = e.Action == Link
			if allowed {
				if e.Loss, err = probValue(file, val, key, false); err != nil {
					return err
				}
				e.HasLoss = true
			}
		case "direction":
			allowed = e.Action == Corrupt
			if allowed {
				s, _ := scalarValue(file, val, key)
				found := false
				for d, dn := range DirectionNames {
					if s == dn {
						e.Direction, found = Direction(d), true
					}
				}
				if !found {
					return bad("%q is not one of both, out, in", s)
				}
			}
		case "prob", "bit-error-rate":
			allowed = e.Action == Corrupt
			if allowed {
				p, perr := probValue(file, val, key, k.Value == "prob")
				if perr != nil {
					return perr
				}
				if k.Value == "prob" {
					e.Corruption.Probability = p
				} else {
					e.Corruption.BitErrorRate = p
				}
			}
		case "bits":
			allowed = e.Action == Corrupt
			if allowed {
				s, _ := scalarValue(file, val, key)
				b, perr := strconv.Atoi(s)
				if perr != nil || b < 1 {
					return bad("%q is not a whole number of bits, at least 1", s)
				}
				e.Corruption.Bits = b
			}
		case "pattern":
			allowed = e.Action == Corrupt
			if allowed {
				s, _ := scalarValue(file, val, key)
				if e.Corruption.Pattern, err = corrupt.ParsePattern(s); err != nil {
					return bad("%q is not random or burst", s)
				}
			}
		case "rate":
			allowed = e.Action == Skew
			if allowed {
				s, _ := scalarValue(file, val, key)
				r, perr := strconv.ParseFloat(s, 64)
				if perr != nil || !(r > 0 && r <= MaxRate) {
					return bad("%q is not a clock rate in (0, %g]", s, float64(MaxRate))
				}
				e.Rate = r
			}
		default:
			allowed = false
		}
		if err != nil {
			return err
		}
		if !allowed {
			return fmt.Errorf("%s:%d: %s: unknown field; %s takes %s", file, k.Line, key, name, actionFields[e.Action])
		}
	}
	e.HasPair = seen["from"] || seen["to"]
	return e.checkShape()
}

// MaxRate bounds a skew entry's clock rate.
const MaxRate = 10

// probValue reads a probability in [0, 1] (or [0, 1) unless closed).
func probValue(file string, v *yaml.Node, key string, closed bool) (float64, error) {
	s, err := scalarValue(file, v, key)
	if err != nil {
		return 0, err
	}
	p, perr := strconv.ParseFloat(s, 64)
	ok := perr == nil && !math.IsNaN(p) && p >= 0 && (p < 1 || (closed && p == 1))
	if !ok {
		rng := "[0, 1)"
		if closed {
			rng = "[0, 1]"
		}
		return 0, fmt.Errorf("%s:%d: %s: %q is not a probability in %s", file, v.Line, key, s, rng)
	}
	return p, nil
}

// checkShape checks that an entry has what its action needs, alone (groups
// are resolved against the fleet by Compile).
func (e *Entry) checkShape() error {
	if e.HasUntil && e.Until <= e.At {
		return e.errorf("until", "%s is not after at = %s", e.Until, e.At)
	}
	need := func(field, what string) error { return e.errorf(field, "missing; %s", what) }
	switch e.Action {
	case Crash:
		if !e.HasNodes && e.Count == 0 {
			return need("nodes", "crash takes nodes, zone, rack or group, or a count")
		}
	case Restart:
		if !e.HasNodes {
			return need("nodes", "restart takes nodes, zone, rack or group")
		}
		if e.HasUntil {
			return e.errorf("until", "a restart is an instant; give the crash an until instead")
		}
	case Partition:
		if !e.HasPair || e.From.Text == "" || e.To.Text == "" {
			return need("from", "a partition takes from and to groups")
		}
	case Link:
		if e.HasClass == e.HasPair {
			return need("class", "a link entry takes a class, or from and to groups (not both)")
		}
		if e.HasPair && (e.From.Text == "" || e.To.Text == "") {
			return need("to", "a link between groups takes from and to")
		}
		if !e.HasLatency && !e.HasLoss {
			return need("latency", "a link entry sets latency and/or loss")
		}
	case Corrupt:
		if e.HasNodes == e.HasPair {
			return need("nodes", "a corrupt entry takes nodes (with direction), or from and to groups (not both)")
		}
		if e.HasPair && (e.From.Text == "" || e.To.Text == "") {
			return need("to", "a corrupt entry between groups takes from and to")
		}
		if !e.Corruption.Enabled() {
			return need("prob", "a corrupt entry needs prob or bit-error-rate above 0")
		}
	case Skew:
		if !e.HasNodes {
			return need("nodes", "skew takes nodes, zone, rack or group")
		}
		if e.Rate == 0 {
			return need("rate", "skew takes a rate (1.05: clocks 5% fast)")
		}
	}
	return nil
}

// LoadChurn reads a churn trace: CSV lines node,down_at,up_at (times in
// seconds, or durations with units; up_at empty: the node stays down), a
// header line allowed, # starting a comment. Each line becomes a Crash
// entry of that node from down_at until up_at.
func LoadChurn(path string) ([]Entry, error) {
	data, err := inputfile.Read(path)
	if err != nil {
		return nil, fmt.Errorf("churn: %w", err)
	}
	return ParseChurn(path, data)
}

// ParseChurn is LoadChurn on bytes; file names them in errors.
func ParseChurn(file string, data []byte) ([]Entry, error) {
	var out []Entry
	for line, f := range inputfile.Records(data) {
		if len(out) == 0 && strings.EqualFold(f[0], "node") {
			continue
		}
		if len(f) < 2 || len(f) > 3 {
			return nil, fmt.Errorf("%s:%d: want node,down_at,up_at; got %d fields", file, line, len(f))
		}
		node, err := strconv.Atoi(f[0])
		if err != nil || node < 0 {
			return nil, fmt.Errorf("%s:%d: node: %q is not a node id", file, line, f[0])
		}
		e := Entry{File: file, Line: line, Action: Crash, Nodes: topology.NodeGroup(node), HasNodes: true, Churn: filepath.ToSlash(file), lines: map[string]int{}}
		if e.At, err = churnTime(f[1]); err != nil {
			return nil, fmt.Errorf("%s:%d: down_at: %v", file, line, err)
		}
		if len(f) == 3 && f[2] != "" {
			if e.Until, err = churnTime(f[2]); err != nil {
				return nil, fmt.Errorf("%s:%d: up_at: %v", file, line, err)
			}
			e.HasUntil = true
			if e.Until <= e.At {
				return nil, fmt.Errorf("%s:%d: up_at: %s is not after down_at = %s", file, line, e.Until, e.At)
			}
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no node,down_at,up_at lines", file)
	}
	return out, nil
}

// churnTime reads seconds ("12.5") or a duration ("12.5s").
func churnTime(s string) (sim.Time, error) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if !(v >= 0 && v < 1e9) {
			return 0, fmt.Errorf("%q is not a time in seconds, at least 0", s)
		}
		return sim.FromSeconds(v), nil
	}
	return param.SimTimeText.Parse(s)
}
