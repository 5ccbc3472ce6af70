package epidemic

// versionTable holds every node's version of the update as a small code into
// a table of the distinct versions in the run, instead of a flat []uint64.
// A run has few distinct versions (none, the true update, and whatever
// accepted corruptions created), so a byte per node is enough and keeps the
// table in the cache: 1 MB at a million nodes against 8 MB of uint64, which
// made every lookup a cache miss. Past 256 distinct versions the codes widen
// to 32 bits.
type versionTable struct {
	code8  []uint8
	code32 []uint32 // replaces code8 once 256 codes are not enough
	vals   []uint64 // code → version; code 0 is version 0
	index  map[uint64]uint32
}

func newVersionTable(n int) versionTable {
	return versionTable{code8: make([]uint8, n), vals: []uint64{0}, index: map[uint64]uint32{0: 0}}
}

// get returns node i's version.
func (t *versionTable) get(i int) uint64 {
	if t.code32 != nil {
		return t.vals[t.code32[i]]
	}
	return t.vals[t.code8[i]]
}

// set gives node i version v.
func (t *versionTable) set(i int, v uint64) {
	c, ok := t.index[v]
	if !ok {
		c = uint32(len(t.vals))
		t.vals = append(t.vals, v)
		t.index[v] = c
	}
	if t.code32 == nil && c > 255 {
		t.code32 = make([]uint32, len(t.code8))
		for k, c8 := range t.code8 {
			t.code32[k] = uint32(c8)
		}
		t.code8 = nil
	}
	if t.code32 != nil {
		t.code32[i] = c
	} else {
		t.code8[i] = uint8(c)
	}
}
