package experiments

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/sim"
)

// Axis is one swept parameter and the values it takes, as the strings its
// flag accepts.
type Axis struct {
	// Name is the parameter's flag name.
	Name string `json:"name"`
	// Values are the settings, in sweep order.
	Values []string `json:"values"`
	// Log reports that the values were generated log-spaced, so figures use a log axis.
	Log bool `json:"log,omitempty"`
	// Labels, when set, are what figures show for each value (one per
	// value): a named experiment sweeping a value users would not read
	// whole (a fault schedule) labels it by what varies ("30s"). Labels
	// that are all numbers or durations make the axis numeric in figures.
	Labels []string `json:"labels,omitempty"`
	// Title names the axis in figures, with its unit; empty: the
	// parameter's name.
	Title string `json:"title,omitempty"`
}

// Shown is what figures show for value v of the axis: its label, or v.
func (ax Axis) Shown(v string) string {
	if len(ax.Labels) == len(ax.Values) {
		for k, w := range ax.Values {
			if w == v {
				return ax.Labels[k]
			}
		}
	}
	return v
}

// gridForms describes the accepted axis specs, for error messages.
const gridForms = "KEY=V1,V2,... or KEY=A:B:N (linear) or KEY=A:B:log:N"

// ParseAxis reads one --grid spec: "nodes=500,1000,2000" (a list),
// "loss=0:0.1:5" (5 values evenly spaced from 0 to 0.1) or
// "corrupt-prob=1e-5:1e-1:log:9" (9 values evenly spaced in log10).
// Integer parameters round generated values to whole numbers; duration
// parameters take duration endpoints ("gossip-interval=200ms:2s:log:4").
// Every value is checked by the parameter's own parser, and two spellings of
// one setting ("1000,1e3") are refused as a repeat. A spec parameter
// (latency) takes a list only: "latency=const:1ms,uniform:1ms:5ms".
func ParseAxis(spec string) (Axis, error) { return ParseAxisFor(spec, DefaultScenario()) }

// ParseAxisFor is ParseAxis for a sweep over base, whose protocol's
// parameters (--model) can be swept too.
func ParseAxisFor(spec string, base Scenario) (Axis, error) {
	key, rhs, ok := strings.Cut(spec, "=")
	if !ok || key == "" || rhs == "" {
		return Axis{}, badInputf("grid: %q is not %s", spec, gridForms)
	}
	if key == "seed" {
		return Axis{}, badInputf("grid: %q: %w (each run's seed is derived from the sweep seed); run more replicates instead", spec, ErrSeedAxis)
	}
	probe := base.Clone()
	pv, ok := probe.Param(key)
	if !ok {
		return Axis{}, refusef(ErrUnknownParam, "grid: %q names no parameter of model %s", key, base.ModelName())
	}
	ax := Axis{Name: key}
	parts := strings.Split(rhs, ":")
	switch {
	case len(parts) == 1 || pv.Type() == "spec": // a spec ("uniform:1ms:5ms") has colons of its own
		ax.Values = strings.Split(rhs, ",")
	case len(parts) == 3 || (len(parts) == 4 && parts[2] == "log"):
		ax.Log = len(parts) == 4
		vals, err := rangeValues(pv.Type(), parts[0], parts[1], parts[len(parts)-1], ax.Log)
		if err != nil {
			return Axis{}, badInputf("grid: %q: %v; use %s", spec, err, gridForms)
		}
		ax.Values = vals
	default:
		return Axis{}, badInputf("grid: %q is not %s", spec, gridForms)
	}
	if err := checkAxisValues(spec, key, ax.Values, base); err != nil {
		return Axis{}, err
	}
	return ax, nil
}

// AxisOf is the axis over parameter key taking the given values, each
// checked by the parameter's own parser: the list form of ParseAxisFor, for
// values that hold commas of their own (an inline fault schedule,
// "[{at: 0s, corrupt: {...}}]"), as a scenario file's list form gives them.
func AxisOf(key string, values []string, base Scenario) (Axis, error) {
	spec := key + "=" + strings.Join(values, ",")
	if key == "seed" {
		return Axis{}, badInputf("grid: %q: %w (each run's seed is derived from the sweep seed); run more replicates instead", spec, ErrSeedAxis)
	}
	probe := base.Clone()
	if _, ok := probe.Param(key); !ok {
		return Axis{}, refusef(ErrUnknownParam, "grid: %q names no parameter of model %s", key, base.ModelName())
	}
	if len(values) == 0 {
		return Axis{}, badInputf("grid: %s has no values", key)
	}
	if err := checkAxisValues(spec, key, values, base); err != nil {
		return Axis{}, err
	}
	return Axis{Name: key, Values: slices.Clone(values)}, nil
}

// checkAxisValues sets each value on a copy of base with the parameter's
// own parser and refuses empty values and two spellings of one setting.
func checkAxisValues(spec, key string, values []string, base Scenario) error {
	seen := map[string]string{}
	for _, v := range values {
		if v == "" {
			return badInputf("grid: %q has an empty value", spec)
		}
		sc := base.Clone()
		v2, _ := sc.Param(key)
		if err := v2.Set(v); err != nil {
			return badInputf("grid: %s=%q: %v", key, v, err)
		}
		// Compare settings, not spellings: "1000" and "1e3" are one point.
		canon := v2.String()
		if prev, dup := seen[canon]; dup {
			if prev == v {
				return badInputf("grid: %q repeats the value %s", spec, v)
			}
			return badInputf("grid: %q repeats the value %s (as %s)", spec, canon, v)
		}
		seen[canon] = v
	}
	return nil
}

// rangeValues generates n values from a to b for a parameter of the given
// flag type.
func rangeValues(typ, aStr, bStr, nStr string, logSpaced bool) ([]string, error) {
	n, err := strconv.Atoi(nStr)
	if err != nil || n < 2 || n > 1000 {
		return nil, fmt.Errorf("the count %q is not an integer in [2, 1000]", nStr)
	}
	if typ == "name" || typ == "spec" {
		return nil, fmt.Errorf("a %s parameter takes a list, not a range", typ)
	}
	var a, b float64
	if typ == "duration" {
		da, errA := parseDuration(aStr)
		db, errB := parseDuration(bStr)
		if errA != nil {
			return nil, fmt.Errorf("the end %q is %v", aStr, errA)
		}
		if errB != nil {
			return nil, fmt.Errorf("the end %q is %v", bStr, errB)
		}
		a, b = float64(da), float64(db)
	} else {
		var errA, errB error
		a, errA = strconv.ParseFloat(aStr, 64)
		b, errB = strconv.ParseFloat(bStr, 64)
		if errA != nil || errB != nil || math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
			return nil, fmt.Errorf("the ends %q and %q are not numbers", aStr, bStr)
		}
	}
	if logSpaced && (a <= 0 || b <= 0) {
		return nil, fmt.Errorf("a log range needs positive ends")
	}
	// Rounded to whole numbers or microseconds, smaller ends would put 0 on a log axis.
	if logSpaced && (typ == "int" || typ == "uint") && min(a, b) < 1 {
		return nil, fmt.Errorf("a log range of integers needs ends of at least 1")
	}
	if logSpaced && typ == "duration" && min(a, b) < 1e3 {
		return nil, fmt.Errorf("a log range of durations needs ends of at least 1µs")
	}
	if math.IsInf(b-a, 0) {
		return nil, fmt.Errorf("the ends %q and %q are too far apart to space evenly", aStr, bStr)
	}
	vals := make([]string, 0, n)
	for i := range n {
		t := float64(i) / float64(n-1)
		var x float64
		switch {
		case i == 0:
			x = a
		case i == n-1:
			x = b // exactly: a + (b-a) loses b when |a| >> |b|
		case logSpaced:
			x = math.Pow(10, math.Log10(a)+t*(math.Log10(b)-math.Log10(a)))
		default:
			x = a + t*(b-a)
		}
		var s string
		switch typ {
		case "int", "uint", "duration":
			r := math.Round(x)
			if typ == "duration" {
				r = math.Round(x/1e3) * 1e3 // whole microseconds
			}
			if !(r >= -0x1p63 && r < 0x1p63) { // beyond int64, converting would wrap
				return nil, fmt.Errorf("the ends %q and %q give values beyond ±2^63 (integers, or nanoseconds for a duration)", aStr, bStr)
			}
			if typ == "duration" {
				s = sim.Time(r).String()
			} else {
				s = strconv.FormatInt(int64(r), 10)
			}
		default:
			s = strconv.FormatFloat(x, 'g', 6, 64)
		}
		if len(vals) > 0 && vals[len(vals)-1] == s {
			continue // integer rounding made two values equal
		}
		vals = append(vals, s)
	}
	return vals, nil
}

// Point is one combination of axis values.
type Point struct {
	// Index is the point's position in sweep order (first axis outermost).
	Index int
	// Values holds one value per axis, in axis order.
	Values []string
}

// Key is the point's canonical text, "nodes=500 corrupt-prob=1e-05"; run
// seeds are derived from it, so a point keeps its seeds whatever else is in
// the grid.
func (p Point) Key(axes []Axis) string {
	var b strings.Builder
	for i, ax := range axes {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(ax.Name)
		b.WriteByte('=')
		b.WriteString(p.Values[i])
	}
	return b.String()
}

// ShownKey is the point's key as figures and reports show it: each axis's
// title (or name) and its value's label (or value). It is Key for axes
// without labels or titles.
func (p Point) ShownKey(axes []Axis) string {
	parts := make([]string, len(axes))
	for i, ax := range axes {
		name := ax.Name
		if ax.Title != "" {
			name = ax.Title
		}
		parts[i] = name + "=" + ax.Shown(p.Values[i])
	}
	return strings.Join(parts, " ")
}

// gridSize is the number of points of a grid, the product of its axes'
// value counts (1 for no axes), computed without building any point. It
// saturates at math.MaxInt instead of wrapping.
func gridSize(axes []Axis) int {
	n := 1
	for _, ax := range axes {
		hi, lo := bits.Mul64(uint64(n), uint64(len(ax.Values)))
		if hi != 0 || lo > math.MaxInt {
			return math.MaxInt
		}
		n = int(lo)
	}
	return n
}

// gridSizeText is the grid's size as "10000 × 10000 = 100000000 points",
// exact even where gridSize saturates.
func gridSizeText(axes []Axis) string {
	var counts []string
	points := 1.0
	for _, ax := range axes {
		counts = append(counts, strconv.Itoa(len(ax.Values)))
		points *= float64(len(ax.Values))
	}
	total := strconv.FormatFloat(points, 'f', 0, 64)
	if points > 1e15 {
		total = strconv.FormatFloat(points, 'g', 3, 64)
	}
	if len(axes) < 2 {
		return total + " points"
	}
	return strings.Join(counts, " × ") + " = " + total + " points"
}

// Points lists the grid's points, first axis outermost. No axes is one
// point with no values. It builds every point: check gridSize first.
func Points(axes []Axis) []Point {
	pts := []Point{{Values: []string{}}}
	for _, ax := range axes {
		next := make([]Point, 0, len(pts)*len(ax.Values))
		for _, p := range pts {
			for _, v := range ax.Values {
				vals := append(append([]string{}, p.Values...), v)
				next = append(next, Point{Values: vals})
			}
		}
		pts = next
	}
	for i := range pts {
		pts[i].Index = i
	}
	return pts
}
