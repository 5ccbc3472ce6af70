package topology

import (
	"fmt"
	"math"
	"strconv"

	"github.com/gossipsim/gossipsim/internal/inputfile"
	"github.com/gossipsim/gossipsim/sim"
)

// maxMatrixMillis bounds a matrix value: one minute, the longest latency
// draw (package network).
const maxMatrixMillis = 60_000

// Matrix is a parsed latency matrix (see the package doc): square, labels
// all of one kind, values in milliseconds.
type Matrix struct {
	// File is the path it was read from.
	File string
	// Labels are the groups, in row and column order.
	Labels []string
	kind   uint8 // selZone, selRack or selNodes
	keys   [][2]int
	// Millis are the values, row-major: Millis[r*len(Labels)+c].
	Millis []float64
	// centers are Millis in simulated time, shared read-only by every
	// Topology built from the matrix (a node matrix of n nodes is 16·n²
	// bytes in all, once per process, not per run).
	centers []sim.Time
}

// LoadMatrix reads a latency matrix file.
func LoadMatrix(path string) (*Matrix, error) {
	data, err := inputfile.Read(path)
	if err != nil {
		return nil, fmt.Errorf("latency-matrix: %w", err)
	}
	return ParseMatrix(path, data)
}

// ParseMatrix reads a latency matrix's bytes; file names it in errors,
// which give the line and the column.
func ParseMatrix(file string, data []byte) (*Matrix, error) {
	m := &Matrix{File: file}
	header, row := 0, 0
	for line, f := range inputfile.Records(data) {
		if m.Labels == nil {
			if len(f) < 2 {
				return nil, fmt.Errorf("%s:%d: the header needs a corner cell and at least one group label", file, line)
			}
			header = line
			for k, label := range f[1:] {
				kind, key, err := matrixLabel(label)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: column %d: %v", file, line, k+2, err)
				}
				if k > 0 && kind != m.kind {
					return nil, fmt.Errorf("%s:%d: column %d: %q mixes group kinds; label every row and column with zones, racks or nodes alike", file, line, k+2, label)
				}
				m.kind = kind
				m.keys = append(m.keys, key)
			}
			m.Labels = f[1:]
			continue
		}
		if row >= len(m.Labels) {
			return nil, fmt.Errorf("%s:%d: more rows than the %d columns of the header (line %d)", file, line, len(m.Labels), header)
		}
		if f[0] != m.Labels[row] {
			return nil, fmt.Errorf("%s:%d: row label %q; want %q (rows list the header's labels in its order)", file, line, f[0], m.Labels[row])
		}
		if len(f) != len(m.Labels)+1 {
			return nil, fmt.Errorf("%s:%d: %d values; the header has %d columns", file, line, len(f)-1, len(m.Labels))
		}
		for k, v := range f[1:] {
			ms, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(ms) || ms < 0 || ms > maxMatrixMillis {
				return nil, fmt.Errorf("%s:%d: column %d (%s to %s): %q is not a latency in ms in [0, %d]", file, line, k+2, f[0], m.Labels[k], v, maxMatrixMillis)
			}
			m.Millis = append(m.Millis, ms)
		}
		row++
	}
	if m.Labels == nil {
		return nil, fmt.Errorf("%s: no header line", file)
	}
	if row != len(m.Labels) {
		return nil, fmt.Errorf("%s: %d rows; the header (line %d) has %d columns, and the matrix is square", file, row, header, len(m.Labels))
	}
	m.centers = make([]sim.Time, len(m.Millis))
	for i, ms := range m.Millis {
		m.centers[i] = sim.Time(math.Round(ms * float64(sim.Millisecond)))
	}
	return m, nil
}

// matrixLabel reads a label: zone:Z, rack:Z/R or a node id.
func matrixLabel(s string) (uint8, [2]int, error) {
	g, err := ParseGroup(s)
	if err != nil || len(g.sels) != 1 || g.sels[0].kind == selAll || (g.sels[0].kind == selNodes && g.sels[0].lo != g.sels[0].hi) {
		return 0, [2]int{}, fmt.Errorf("%q is not a label; use zone:Z, rack:Z/R or a node id", s)
	}
	sel := g.sels[0]
	switch sel.kind {
	case selZone:
		return selZone, [2]int{sel.zone, 0}, nil
	case selRack:
		return selRack, [2]int{sel.zone, sel.rack}, nil
	}
	return selNodes, [2]int{sel.lo, 0}, nil
}

// resolveMatrix maps every node to its matrix group and stores the centres.
func (t *Topology) resolveMatrix(m *Matrix) error {
	k := len(m.Labels)
	index := map[[2]int]int{}
	for i, key := range m.keys {
		if j, dup := index[key]; dup {
			return fmt.Errorf("latency-matrix: %s: label %q is given twice (columns %d and %d)", m.File, m.Labels[i], j+2, i+2)
		}
		index[key] = i
	}
	t.groups = k
	for i, key := range m.keys {
		switch {
		case m.kind == selZone && key[0] >= t.zones,
			m.kind == selRack && (key[0] >= t.zones || key[1] >= int(t.racksByZone[key[0]])):
			return fmt.Errorf("latency-matrix: %s: label %q is not a group of the fleet (%s)", m.File, m.Labels[i], t.zoneRange())
		}
	}
	if m.kind == selNodes {
		if k != t.n {
			return fmt.Errorf("latency-matrix: %s has %d nodes; the fleet has %d (a node matrix lists every node)", m.File, k, t.n)
		}
		t.groupsOf = make([]int32, t.n)
		identity := true
		for i := range t.n {
			j, ok := index[[2]int{i, 0}]
			if !ok {
				return fmt.Errorf("latency-matrix: %s does not list node %d", m.File, i)
			}
			t.groupsOf[i] = int32(j)
			identity = identity && j == i
		}
		if identity {
			t.groupsOf = nil // nodes listed 0, 1, 2, ...: the node is its own row
		}
	} else {
		t.groupsOf = make([]int32, t.n)
		for i := range t.n {
			key := [2]int{t.ZoneOf(i), 0}
			if m.kind == selRack {
				key[1] = t.RackOf(i)
			}
			j, ok := index[key]
			if !ok {
				what := fmt.Sprintf("zone:%d", key[0])
				if m.kind == selRack {
					what = fmt.Sprintf("rack:%d/%d", key[0], key[1])
				}
				return fmt.Errorf("latency-matrix: %s has no %s (node %d is there; %s)", m.File, what, i, t.zoneRange())
			}
			t.groupsOf[i] = int32(j)
		}
	}
	t.matrix = m.centers
	return nil
}

// MaxCenter returns the largest value of m, in simulated time.
func (m *Matrix) MaxCenter() sim.Time {
	var top sim.Time
	for _, c := range m.centers {
		top = max(top, c)
	}
	return top
}
