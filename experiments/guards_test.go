package experiments

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/gossipsim/gossipsim/plots"
	"github.com/gossipsim/gossipsim/sim"
)

// A grid is refused by its size before any point or run is built: three axes
// of 10,000 values (10^12 points, terabytes if built) return at once,
// allocating next to nothing.
func TestGridSizeCheckedBeforeBuilding(t *testing.T) {
	axis := func(name string) Axis {
		vals := make([]string, 10_000)
		for i := range vals {
			vals[i] = fmt.Sprint(i + 2)
		}
		return Axis{Name: name, Values: vals}
	}
	sw := Sweep{Experiment: "huge", Seed: 1, Replicates: 1, Base: DefaultScenario(),
		Axes: []Axis{axis("nodes"), axis("fanout"), axis("queue-limit")}}
	var err error
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	allocs := testing.AllocsPerRun(3, func() { _, err = sw.Runs() })
	runtime.ReadMemStats(&after)
	want := "grid: 10000 × 10000 × 10000 = 1000000000000 points × 1 replicates is more than 1000000 runs"
	if err == nil || err.Error() != want || !errors.Is(err, ErrBadInput) {
		t.Fatalf("Runs: %v; want %q, bad input", err, want)
	}
	if allocs > 50 {
		t.Errorf("refusing the grid took %v allocations, want at most 50", allocs)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("refusing the grid allocated %d bytes, want under 1 MiB", grew)
	}
	if _, err := sw.SweepJSON(); err != nil { // counts points without building them
		t.Errorf("SweepJSON: %v", err)
	}
}

func TestGridSize(t *testing.T) {
	two := Axis{Name: "x", Values: []string{"a", "b"}}
	many := make([]Axis, 64) // 2^64 points: saturates, never wraps
	for i := range many {
		many[i] = Axis{Name: fmt.Sprint("x", i), Values: two.Values}
	}
	tests := []struct {
		name string
		axes []Axis
		want int
	}{
		{"no axes is one point", nil, 1},
		{"one axis", []Axis{two}, 2},
		{"product", []Axis{two, {Name: "y", Values: []string{"1", "2", "3"}}}, 6},
		{"an empty axis", []Axis{two, {Name: "y"}}, 0},
		{"saturates", many, math.MaxInt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := gridSize(tc.axes); got != tc.want {
				t.Errorf("gridSize = %d, want %d", got, tc.want)
			}
		})
	}
	sw := Sweep{Replicates: 2, Base: DefaultScenario(), Axes: many}
	if _, err := sw.Runs(); err == nil || !strings.Contains(err.Error(), "= 1.84e+19 points × 2 replicates is more than 1000000 runs") {
		t.Errorf("2^64 points: %v", err)
	}
}

// Memory arithmetic saturates: an estimate is never negative, and a huge
// estimate times many workers is still refused.
func TestMemoryArithmeticSaturates(t *testing.T) {
	limit := MemoryLimit{Bytes: 1 << 30, Name: "the memory available"}
	tests := []struct {
		name       string
		need       int64
		concurrent int
		wantNeed   int64
	}{
		{"fits", 1 << 20, 4, 0},
		{"over", 1 << 29, 4, 1 << 31},
		{"product wraps int64", math.MaxInt64 / 3, 1 << 20, math.MaxInt64},
		{"need at the maximum", math.MaxInt64, 2, math.MaxInt64},
		{"concurrent at the maximum", 1 << 40, math.MaxInt, math.MaxInt64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckMemory(tc.need, "x", tc.concurrent, limit)
			var me *MemoryError
			if tc.wantNeed == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.As(err, &me) || me.Need != tc.wantNeed || !errors.Is(err, ErrBadInput) {
				t.Fatalf("CheckMemory = %v, want a MemoryError with need %d", err, tc.wantNeed)
			}
			if strings.Contains(err.Error(), "-") {
				t.Errorf("negative figure in %q", err)
			}
		})
	}
	for _, n := range []int{1 << 24, math.MaxInt32, math.MaxInt} {
		sc := DefaultScenario()
		sc.Fleet.Nodes = n
		if need, _ := EstimateMemory(sc); need <= 0 {
			t.Errorf("EstimateMemory at %d nodes = %d", n, need)
		}
	}
}

// A long time series costs memory to draw; the estimate for a run that draws
// its figures counts it.
func TestFiguresCountedInEstimate(t *testing.T) {
	sc := DefaultScenario()
	sc.Fleet.Nodes = 100
	sc.Duration = 500 * sim.Hour
	sc.SampleInterval = 200 * sim.Millisecond // 9,000,001 samples
	run, _ := EstimateMemory(sc)
	withFigs, what := EstimateMemoryWithFigures(sc)
	if withFigs-run != 9_000_001*figureBytesPerSample {
		t.Errorf("figures add %d bytes, want %d", withFigs-run, 9_000_001*figureBytesPerSample)
	}
	if !strings.Contains(what, "figures of 9000001 samples 18.4 GB") {
		t.Errorf("what = %q", what)
	}
}

// A size no process can hold is refused by Validate (so by Run, before any
// make): an error line, not a panic.
func TestImpossibleSizeIsAnError(t *testing.T) {
	sc := DefaultScenario()
	sc.Fleet.Nodes = 1 << 24
	want := "nodes: 16777216 needs 3.7 PB for the views alone (13 B × nodes²), more than a process can address (281.5 TB); the s3 model can hold at most 4653162 nodes"
	if err := sc.Validate(); err == nil || err.Error() != want || !errors.Is(err, ErrBadInput) {
		t.Errorf("Validate: %v\nwant %s", err, want)
	}
	if _, err := Run(context.Background(), sc, nil); err == nil || err.Error() != want {
		t.Errorf("Run: %v", err)
	}
}

// Parameter messages name the value and say what is wrong: out of range is
// not "not a duration" or "not an integer".
func TestParameterMessages(t *testing.T) {
	tests := []struct {
		param, value, want string
	}{
		{"duration", "999999999999h", "out of range: a duration is at most 2562047h47m16.854775807s (about 292 years)"},
		{"duration", "10 minutes", "not a duration (use units such as 200ms, 1s, 10m)"},
		{"timeout", "9999999999999999s", "out of range: a duration is at most 2562047h47m16.854775807s (about 292 years)"},
		{"nodes", "12345678901234567890", "out of range: nodes is from 2 to at most 4653162 (s3), 16777216 (epidemic), 16777216 (rumor), 20000 (heartbeat), 5000000 (swim)"},
		{"nodes", "1e300", "out of range: nodes is from 2 to at most 4653162 (s3), 16777216 (epidemic), 16777216 (rumor), 20000 (heartbeat), 5000000 (swim)"},
		{"nodes", "12.5", "not an integer"},
		{"fanout", "-99999999999999999999", "out of range: an integer setting holds at most ±9223372036854775807"},
		{"seed", "99999999999999999999", "out of range: at most 18446744073709551615"},
		{"seed", "-1", "not a non-negative integer"},
		{"loss", "1e400", "out of range: a number is at most ±1.7976931348623157e+308"},
	}
	for _, tc := range tests {
		t.Run(tc.param+"="+tc.value, func(t *testing.T) {
			sc := DefaultScenario()
			p, _ := LookupParam(tc.param)
			err := p.Value(&sc).Set(tc.value)
			if err == nil || err.Error() != tc.want {
				t.Errorf("Set(%q) = %v, want %q", tc.value, err, tc.want)
			}
		})
	}
	// The same words reach grids and scenario files, with the field named.
	_, err := ParseAxis("duration=1h:999999999999h:3")
	if want := `grid: "duration=1h:999999999999h:3": the end "999999999999h" is out of range: a duration is at most 2562047h47m16.854775807s (about 292 years); use ` + gridForms; err == nil || err.Error() != want {
		t.Errorf("grid: %v\nwant %s", err, want)
	}
	sc := DefaultScenario()
	_, err = ParseScenario("s.yaml", []byte("nodes: 100\nduration: 999999999999h\n"), &sc)
	if want := "s.yaml:2: duration: out of range: a duration is at most 2562047h47m16.854775807s (about 292 years)"; err == nil || err.Error() != want || !errors.Is(err, ErrBadInput) {
		t.Errorf("scenario file: %v\nwant %s", err, want)
	}
}

// A bad cell in timeseries.csv is named by file, line, column and value,
// both by ReadTimeSeriesCSV and by Redraw (which used to say the directory
// held neither a sweep nor a run).
func TestTimeSeriesCellMessages(t *testing.T) {
	header := strings.Join(TimeSeriesHeader, ",") + "\n"
	good := "1,2,3,4,5,0.5,0.1,0.2,0,100,0,0,0\n"
	tests := []struct {
		name, content, want string
	}{
		{"a word", header + good + "2,2,3,4,5,oops,0.1,0.2,0,100,0,0,0\n", `line 3, column 6 (wrong_view_fraction): "oops" is not a finite number`},
		{"NaN", header + good + good + "3,NaN,3,4,5,0.5,0.1,0.2,0,100,0,0,0\n", `line 4, column 2 (messages_per_s): "NaN" is not a finite number`},
		{"too few fields", header + "1,2,3\n", "line 2: wrong number of fields"},
		{"another header", "time,x\n1,2\n", "line 1: not a gossipsim time series (the header is not time_s,"},
		{"empty", "", "line 1: not a gossipsim time series"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "timeseries.csv")
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadTimeSeriesCSV(path)
			if err == nil || !strings.HasPrefix(err.Error(), path+": "+tc.want) || !errors.Is(err, ErrBadInput) {
				t.Errorf("ReadTimeSeriesCSV: %v\nwant %s: %s...", err, path, tc.want)
			}
			_, _, err = Redraw(dir, figOptions())
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "neither") {
				t.Errorf("Redraw: %v", err)
			}
		})
	}
	_, _, err := Redraw(t.TempDir(), figOptions())
	if err == nil || !strings.Contains(err.Error(), "holds neither a sweep (sweep.json) nor a run (timeseries.csv)") || !errors.Is(err, ErrBadInput) {
		t.Errorf("Redraw of an empty directory: %v", err)
	}
}

// Errors caused by the caller's input are marked at their source; others
// (a failing disk) are not.
func TestBadInputMarkedAtSource(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	badScenario := DefaultScenario()
	badScenario.Fleet.Nodes = 1
	tests := []struct {
		name string
		err  func() error
	}{
		{"Validate", badScenario.Validate},
		{"Runs: replicates", func() error { _, err := (Sweep{Replicates: 0, Base: DefaultScenario()}).Runs(); return err }},
		{"ParseAxis", func() error { _, err := ParseAxis("nodes=1:2:x"); return err }},
		{"ParseShard", func() error { _, err := ParseShard("3/2"); return err }},
		{"ParseSweepJSON", func() error { _, err := ParseSweepJSON([]byte("{")); return err }},
		{"LoadScenarioFile: missing", func() error {
			sc := DefaultScenario()
			_, err := LoadScenarioFile(filepath.Join(t.TempDir(), "none.yaml"), &sc)
			return err
		}},
		{"NewModel", func() error { _, err := NewModel("gossipy"); return err }},
		{"SetModelParam", func() error {
			sc := DefaultScenario()
			sc.Model, _ = NewModel("epidemic")
			return sc.SetModelParam("nope=1")
		}},
		{"PrepareOutDir: a file in the way", func() error { return PrepareOutDir(filepath.Join(blocker, "out")) }},
		{"PrepareOutDir: a file", func() error { return PrepareOutDir(blocker) }},
		{"Merge: none", func() error { _, err := Merge(nil, t.TempDir(), figOptions()); return err }},
		{"Merge: no sweep", func() error { _, err := Merge([]string{t.TempDir()}, t.TempDir(), figOptions()); return err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err()
			if err == nil || !errors.Is(err, ErrBadInput) {
				t.Errorf("error %v is not bad input", err)
			}
		})
	}
	// A disk error is not the caller's fault.
	for _, errno := range []error{errENOSPC, errEIO} {
		if err := outDirError("d", &os.PathError{Op: "open", Path: "d/x", Err: errno}); errors.Is(err, ErrBadInput) {
			t.Errorf("outDirError(%v) is bad input", errno)
		}
	}
}

func figOptions() plots.Options { return plots.Options{Format: plots.SVG} }

var errENOSPC, errEIO error = syscall.ENOSPC, syscall.EIO
