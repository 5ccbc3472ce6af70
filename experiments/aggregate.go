package experiments

import (
	"bytes"
	"encoding/csv"
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// descriptorColumns are summary columns that describe a run rather than
// measure it; they are not aggregated.
var descriptorColumns = map[string]bool{
	"model": true, "scenario": true, "mitigation": true, "nodes": true, "seed": true, "mode": true, "fanout": true,
	"gossip_interval_s": true, "fail_timeout_s": true, "checksum": true, "corrupt_prob": true,
	"corrupt_bits": true, "duration_s": true, "stopped": true,
}

// Stat summarises one metric over a point's runs that have a value.
type Stat struct {
	// N is the number of runs with a value (null values, such as the recovery time of a censored run, are not counted).
	N int
	// Mean and SD are the sample mean and standard deviation (n-1 denominator); NaN when undefined.
	Mean, SD float64
	// Lo and Hi bound the 95% confidence interval of the mean, Student's t with N-1 degrees of freedom; NaN for N < 2.
	Lo, Hi float64
	// Median is the sample median.
	Median float64
}

// PointStats is one grid point's aggregate.
type PointStats struct {
	Point Point
	// Runs is the number of runs recorded at this point.
	Runs int
	// Censored counts runs with a trigger that had neither recovered by the
	// horizon nor been harmless.
	Censored int
	// Harmless counts runs with a trigger whose accepted corruptions never
	// made a view wrong: neither recovered nor censored, and without a
	// recovery time.
	Harmless int
	// Untriggered counts runs in which no corrupted message was accepted.
	Untriggered int
	// Stats holds one Stat per metric, in PointTable.Metrics order.
	Stats []Stat
	// Values holds every run's value per metric (NaN for null), in replicate order.
	Values [][]float64
	// RunIndex is the run index of each entry of a Values slice.
	RunIndex []int
	// Dropped counts, per metric, the runs whose cell was unusable (not a
	// finite value in range) and left out when the table was read back
	// from a file; their Values are NaN. All zero for a sweep's own runs.
	Dropped []int
}

// dropped is Dropped[m], or 0 when m is not a metric index or nothing was counted.
func (p PointStats) dropped(m int) int {
	if m < 0 || m >= len(p.Dropped) {
		return 0
	}
	return p.Dropped[m]
}

// PointTable is points.csv in memory.
type PointTable struct {
	Sweep   Sweep
	Metrics []string
	Points  []PointStats
}

// Metric returns the index of a metric column, or -1.
func (t PointTable) Metric(name string) int {
	for i, m := range t.Metrics {
		if m == name {
			return i
		}
	}
	return -1
}

// Aggregate computes every point's statistics from runs.csv rows (sorted by run index).
func Aggregate(sw Sweep, cols []string, rows [][]string) PointTable {
	nAxes := len(sw.Axes)
	first := 3 + nAxes
	t := PointTable{Sweep: sw}
	var idx []int
	col := map[string]int{}
	for i := first; i < len(cols); i++ {
		col[cols[i]] = i
		if !descriptorColumns[cols[i]] {
			t.Metrics = append(t.Metrics, cols[i])
			idx = append(idx, i)
		}
	}
	byPoint := map[int][][]string{}
	for _, r := range rows {
		p := atoi(r[1])
		byPoint[p] = append(byPoint[p], r)
	}
	for _, p := range Points(sw.Axes) {
		rs := byPoint[p.Index]
		ps := PointStats{Point: p, Runs: len(rs), Stats: make([]Stat, len(idx)), Values: make([][]float64, len(idx)), Dropped: make([]int, len(idx))}
		for _, r := range rs {
			ps.RunIndex = append(ps.RunIndex, atoi(r[0]))
			switch runOutcome(r, col) {
			case outcomeUntriggered:
				ps.Untriggered++
			case outcomeHarmless:
				ps.Harmless++
			case outcomeCensored:
				ps.Censored++
			}
		}
		for m, c := range idx {
			vals := make([]float64, len(rs))
			for k, r := range rs {
				vals[k] = cellNumber(r[c])
			}
			ps.Values[m] = vals
			ps.Stats[m] = summarize(vals)
		}
		t.Points = append(t.Points, ps)
	}
	return t
}

// outcome is what became of a run's trigger.
type outcome int

const (
	outcomeUntriggered outcome = iota // no corrupted message was accepted
	outcomeRecovered                  // views were wrong, then right again for the settle time
	outcomeHarmless                   // accepted corruptions never made a view wrong
	outcomeCensored                   // still wrong (or not settled) at the horizon
)

// runOutcome classifies a runs.csv row by its trigger_time_s, recovered and
// harmless cells (col maps column names to indices). A classic protocol's row
// has no trigger: untriggered.
func runOutcome(r []string, col map[string]int) outcome {
	cell := func(name string) string {
		if i, ok := col[name]; ok {
			return r[i]
		}
		return ""
	}
	switch {
	case cell("trigger_time_s") == "":
		return outcomeUntriggered
	case cell("recovered") == "true":
		return outcomeRecovered
	case cell("harmless") == "true":
		return outcomeHarmless
	}
	return outcomeCensored
}

func cellNumber(s string) float64 {
	switch s {
	case "":
		return math.NaN()
	case "true":
		return 1
	case "false":
		return 0
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

// summarize computes a Stat over the non-NaN values.
func summarize(vals []float64) Stat {
	xs := make([]float64, 0, len(vals))
	for _, v := range vals {
		if !math.IsNaN(v) {
			xs = append(xs, v)
		}
	}
	s := Stat{N: len(xs), Mean: math.NaN(), SD: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Median: math.NaN()}
	if len(xs) == 0 {
		return s
	}
	sort.Float64s(xs)
	if n := len(xs); n%2 == 1 {
		s.Median = xs[n/2]
	} else {
		s.Median = (xs[n/2-1] + xs[n/2]) / 2
	}
	if len(xs) == 1 {
		s.Mean = xs[0]
		return s
	}
	s.Mean, s.SD = stat.MeanStdDev(xs, nil)
	half := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 1)}.Quantile(0.975) * s.SD / math.Sqrt(float64(len(xs)))
	s.Lo, s.Hi = s.Mean-half, s.Mean+half
	return s
}

// CSV renders points.csv: point, grid columns, runs, censored, harmless,
// untriggered, then per metric its n, mean, sd, 95% CI and median. Undefined values are empty.
func (t PointTable) CSV() []byte {
	head := []string{"point"}
	for _, ax := range t.Sweep.Axes {
		head = append(head, GridColumn(ax.Name))
	}
	head = append(head, "runs", "censored", "harmless", "untriggered")
	for _, m := range t.Metrics {
		head = append(head, m+"_n", m+"_mean", m+"_sd", m+"_ci95_lo", m+"_ci95_hi", m+"_median")
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(head)
	f := formatNullable
	for _, p := range t.Points {
		row := []string{strconv.Itoa(p.Point.Index)}
		row = append(row, p.Point.Values...)
		row = append(row, strconv.Itoa(p.Runs), strconv.Itoa(p.Censored), strconv.Itoa(p.Harmless), strconv.Itoa(p.Untriggered))
		for _, s := range p.Stats {
			row = append(row, strconv.Itoa(s.N), f(s.Mean), f(s.SD), f(s.Lo), f(s.Hi), f(s.Median))
		}
		w.Write(row)
	}
	w.Flush()
	return buf.Bytes()
}
