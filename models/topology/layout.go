package topology

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/internal/inputfile"
)

// maxNodes bounds the node ids a file may name (protocol.MaxFleet).
const maxNodes = 1 << 24

// MaxGroups bounds the zones, the racks per zone and the racks of a layout.
const MaxGroups = 1 << 16

// Layout is a parsed layout spec, not yet resolved for a fleet size.
type Layout struct {
	// Spec is the text it was parsed from, which ParseLayout reads back.
	Spec string
	// Zones and RacksPerZone describe a generated layout (zones=,
	// racks-per-zone=); 0 for a layout read from a file.
	Zones, RacksPerZone int
	// File is the path of a file layout, "" for a generated one.
	File string
	// assign is a file layout's (zone, rack) per node, indexed by node.
	assign []place
}

// place is one node's zone and rack (within the zone).
type place struct{ zone, rack int32 }

// ParseLayout reads a layout spec: "zones=Z,racks-per-zone=R",
// "zones=Z" (one rack per zone) or "file:PATH" (the file is read now). A
// semicolon may separate the keys instead of a comma, so that a grid axis
// (whose values are comma-separated) can list layouts:
// topology=zones=2;racks-per-zone=4,zones=4;racks-per-zone=2.
func ParseLayout(spec string) (*Layout, error) {
	if path, ok := strings.CutPrefix(spec, "file:"); ok {
		data, err := inputfile.Read(path)
		if err != nil {
			return nil, fmt.Errorf("topology: %w", err)
		}
		l, err := ParseLayoutFile(path, data)
		if err != nil {
			return nil, err
		}
		l.Spec = spec
		return l, nil
	}
	l := &Layout{Spec: spec, RacksPerZone: 1}
	seen := map[string]bool{}
	for _, kv := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ';' }) {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		n, err := strconv.Atoi(v)
		switch {
		case !ok || (k != "zones" && k != "racks-per-zone"):
			return nil, fmt.Errorf("topology: %q is not a layout; use zones=Z,racks-per-zone=R or file:PATH (a CSV of node,zone,rack)", spec)
		case seen[k]:
			return nil, fmt.Errorf("topology: %s given twice in %q", k, spec)
		case err != nil || n < 1 || n > MaxGroups:
			return nil, fmt.Errorf("topology: %s=%s is not a whole number in [1, %d]", k, v, MaxGroups)
		}
		seen[k] = true
		if k == "zones" {
			l.Zones = n
		} else {
			l.RacksPerZone = n
		}
	}
	if l.Zones == 0 {
		return nil, fmt.Errorf("topology: %q needs zones=Z", spec)
	}
	if l.Zones*l.RacksPerZone > MaxGroups {
		return nil, fmt.Errorf("topology: %q makes %d racks; at most %d", spec, l.Zones*l.RacksPerZone, MaxGroups)
	}
	return l, nil
}

// ParseLayoutFile reads a layout file's bytes (node,zone,rack lines); file
// names it in errors, which give the line.
func ParseLayoutFile(file string, data []byte) (*Layout, error) {
	l := &Layout{Spec: "file:" + file, File: file}
	var nodes []int
	for line, f := range inputfile.Records(data) {
		if len(nodes) == 0 && len(l.assign) == 0 && strings.EqualFold(f[0], "node") {
			continue // the header
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("%s:%d: want node,zone,rack; got %d fields", file, line, len(f))
		}
		var v [3]int
		for k, name := range [3]string{"node", "zone", "rack"} {
			limit := MaxGroups
			if k == 0 {
				limit = maxNodes
			}
			n, err := strconv.Atoi(f[k])
			if err != nil || n < 0 || n >= limit {
				return nil, fmt.Errorf("%s:%d: %s: %q is not a whole number in [0, %d)", file, line, name, f[k], limit)
			}
			v[k] = n
		}
		for len(l.assign) <= v[0] {
			l.assign = append(l.assign, place{-1, -1})
		}
		if l.assign[v[0]].zone >= 0 {
			return nil, fmt.Errorf("%s:%d: node: %d is listed twice", file, line, v[0])
		}
		l.assign[v[0]] = place{int32(v[1]), int32(v[2])}
		nodes = append(nodes, v[0])
	}
	if len(nodes) == 0 {
		return nil, fmt.Errorf("%s: no node,zone,rack lines", file)
	}
	for i, p := range l.assign {
		if p.zone < 0 {
			return nil, fmt.Errorf("%s: node %d is missing (the file lists nodes up to %d; every node 0..n-1 needs a line)", file, i, len(l.assign)-1)
		}
	}
	return l, nil
}
