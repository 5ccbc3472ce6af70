package topology

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Group is a parsed group: selectors of zones, racks and node ranges (see
// the package doc), not yet resolved against a topology.
type Group struct {
	// Text is what it was parsed from.
	Text string
	sels []selector
}

// selector is one item of a group.
type selector struct {
	kind       uint8 // selAll, selZone, selRack, selNodes
	zone, rack int
	lo, hi     int // selNodes: lo..hi inclusive
	text       string
}

const (
	selAll uint8 = iota
	selZone
	selRack
	selNodes
)

// ParseGroup reads a group: comma-separated zone:Z, rack:Z/R, N, N-M or all.
func ParseGroup(s string) (Group, error) {
	g := Group{Text: s}
	if strings.TrimSpace(s) == "" {
		return g, fmt.Errorf("empty group; use zone:Z, rack:Z/R, node ids N or N-M, or all")
	}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		sel := selector{text: item}
		bad := func() (Group, error) {
			return g, fmt.Errorf("group %q: %q is not zone:Z, rack:Z/R, a node id N, a range N-M or all", s, item)
		}
		num := func(x string) (int, bool) {
			n, err := strconv.Atoi(x)
			return n, err == nil && n >= 0 && n < maxNodes
		}
		switch {
		case item == "all":
			sel.kind = selAll
		case strings.HasPrefix(item, "zone:"):
			z, ok := num(item[5:])
			if !ok {
				return bad()
			}
			sel.kind, sel.zone = selZone, z
		case strings.HasPrefix(item, "rack:"):
			zs, rs, ok := strings.Cut(item[5:], "/")
			z, okZ := num(zs)
			r, okR := num(rs)
			if !ok || !okZ || !okR {
				return bad()
			}
			sel.kind, sel.zone, sel.rack = selRack, z, r
		default:
			los, his, isRange := strings.Cut(item, "-")
			lo, ok := num(los)
			hi := lo
			if isRange {
				var okHi bool
				hi, okHi = num(his)
				ok = ok && okHi && hi >= lo
			}
			if !ok {
				return bad()
			}
			sel.kind, sel.lo, sel.hi = selNodes, lo, hi
		}
		g.sels = append(g.sels, sel)
	}
	return g, nil
}

// String returns the group's text.
func (g Group) String() string { return g.Text }

// NodeGroup is the group of the given node ids.
func NodeGroup(ids ...int) Group {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(id)
	}
	g, err := ParseGroup(strings.Join(parts, ","))
	if err != nil {
		panic(err)
	}
	return g
}

// Members returns the nodes of g in increasing order, each once. The error
// names the first selector that does not exist in t, e.g. `group "zone:5"
// does not exist (zones 0-2)`. A group of node ids costs time in its size,
// not the fleet's (a churn trace names one node per line).
func (t *Topology) Members(g Group) ([]int32, error) {
	var list []int32
	for _, s := range g.sels {
		switch s.kind {
		case selAll:
			list = list[:0]
			for i := range t.n {
				list = append(list, int32(i))
			}
			return list, nil
		case selZone:
			if s.zone >= t.zones {
				return nil, fmt.Errorf("group %q does not exist (%s)", s.text, t.zoneRange())
			}
			for i := range t.n {
				if int(t.zone[i]) == s.zone {
					list = append(list, int32(i))
				}
			}
		case selRack:
			if s.zone >= t.zones {
				return nil, fmt.Errorf("group %q does not exist (%s)", s.text, t.zoneRange())
			}
			if k := int(t.racksByZone[s.zone]); s.rack >= k {
				return nil, fmt.Errorf("group %q does not exist (zone %d has racks 0-%d)", s.text, s.zone, k-1)
			}
			for i := range t.n {
				if int(t.zone[i]) == s.zone && t.RackOf(i) == s.rack {
					list = append(list, int32(i))
				}
			}
		case selNodes:
			if s.hi >= t.n {
				return nil, fmt.Errorf("group %q does not exist (nodes 0-%d)", s.text, t.n-1)
			}
			for i := s.lo; i <= s.hi; i++ {
				list = append(list, int32(i))
			}
		}
	}
	if len(g.sels) > 1 {
		slices.Sort(list)
		list = slices.Compact(list)
	}
	return list, nil
}

// Mask returns the membership mask of g's nodes (length Nodes()), with
// Members' errors.
func (t *Topology) Mask(g Group) ([]bool, error) {
	list, err := t.Members(g)
	if err != nil {
		return nil, err
	}
	mask := make([]bool, t.n)
	for _, i := range list {
		mask[i] = true
	}
	return mask, nil
}

// zoneRange describes the zones, for errors.
func (t *Topology) zoneRange() string {
	if t.zones == 1 {
		return "one zone, zone:0: the fleet has no layout with zones"
	}
	return fmt.Sprintf("zones 0-%d", t.zones-1)
}
