package plots

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/internal/testfs"

	"github.com/gossipsim/gossipsim/models/metrics"
)

// mitigationRun returns a synthetic 600 s run sampled every second: a
// baseline of base messages/s, a storm from 120 s that multiplies it by
// 1+rise and ends at stormEnd (never, if stormEnd is 0), the wrong-view
// fraction peaking at wrongPeak, and Resetting set from resetFrom to
// resetTo (no reset if resetTo is 0). The jitter is deterministic.
func mitigationRun(label string, base, rise, stormEnd, wrongPeak, resetFrom, resetTo float64) Run {
	r := Run{Label: label}
	for i := 1; i <= 600; i++ {
		t := float64(i)
		storm := smoothStep(t, 120, 200)
		wrong := wrongPeak * smoothStep(t, 125, 220)
		if stormEnd > 0 {
			storm *= 1 - smoothStep(t, stormEnd, stormEnd+40)
			wrong *= 1 - smoothStep(t, stormEnd, stormEnd+60)
		}
		jitter := 1 + 0.03*math.Sin(t*1.3+float64(len(label)))
		r.Samples = append(r.Samples, metrics.Sample{
			Time:              t,
			MessagesPerSecond: base * (1 + rise*storm) * jitter,
			WrongViewFraction: wrong,
			Resetting:         resetTo > 0 && t >= resetFrom && t <= resetTo,
			LiveNodes:         1000,
		})
	}
	if base > 0 || wrongPeak > 0 {
		r.Markers = []Marker{{Time: 120, Label: "trigger (first accepted corruption)"}}
		if stormEnd > 0 {
			r.Markers = append(r.Markers, Marker{Time: stormEnd + 50, Label: "recovered"})
		}
	}
	return r
}

// mitigationRuns returns the seven runs of the preview: no mitigation (a
// storm that never ends), two resets (a-2008 slow, a-fast quick), three
// other mitigations, and d, which sends nothing at all.
func mitigationRuns() []Run {
	return []Run{
		mitigationRun("none", 1000, 60, 0, 0.35, 0, 0),
		mitigationRun("a-2008", 1000, 40, 450, 0.3, 240, 450),
		mitigationRun("a-fast", 1000, 40, 300, 0.3, 240, 300),
		mitigationRun("b", 1000, 8, 380, 0.12, 0, 0),
		mitigationRun("c", 1000, 2, 260, 0.05, 0, 0),
		{Label: "d", Samples: mitigationRun("d", 0, 0, 0, 0, 0, 0).Samples},
		mitigationRun("all", 1000, 0.5, 200, 0.01, 0, 0),
	}
}

func TestCompareRunsSizeAndDecode(t *testing.T) {
	for _, opt := range []Options{
		{Title: "default size"},
		{Title: "small", WidthInches: 6, HeightInches: 4, DPI: 100},
	} {
		path := filepath.Join(t.TempDir(), "compare.png")
		if err := CompareRuns(path, mitigationRuns(), opt); err != nil {
			t.Fatal(err)
		}
		w, h, err := opt.PanelsPixelSize(2)
		if err != nil {
			t.Fatal(err)
		}
		checkPNG(t, path, w, h)
	}
}

func TestCompareRunsDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.png"), filepath.Join(dir, "b.png")
	for _, p := range []string{a, b} {
		if err := CompareRuns(p, mitigationRuns(), Options{Title: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if len(da) == 0 || !bytes.Equal(da, db) {
		t.Error("same input gave different bytes")
	}
}

func TestCompareRunsBadInput(t *testing.T) {
	nan := mitigationRuns()[:2]
	nan[1].Samples = append([]metrics.Sample(nil), nan[1].Samples...)
	nan[1].Samples[7].MessagesPerSecond = math.NaN()
	nine := make([]Run, 9)
	for i := range nine {
		nine[i] = mitigationRun("r", 1, 0, 0, 0, 0, 0)
	}
	for _, c := range []struct {
		name string
		runs []Run
		is   error  // if not nil, errors.Is must hold
		want string // the error must contain this
	}{
		{"nil", nil, ErrNoData, "no runs"},
		{"empty", []Run{}, ErrNoData, "no runs"},
		{"NaN", nan, nil, "MessagesPerSecond is NaN"},
		{"too many", nine, nil, "9 runs"},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "c.png")
		err := CompareRuns(path, c.runs, Options{})
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.is)
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %q, want it to name %s and say %q", c.name, err, path, c.want)
		}
		if got := testfs.Names(t, dir); len(got) != 0 {
			t.Errorf("%s: left %v behind", c.name, got)
		}
	}
	// Fields the figure does not draw are not checked.
	ok := mitigationRuns()[:1]
	ok[0].Samples[3].BytesPerSecond = math.Inf(1)
	if err := CompareRuns(filepath.Join(t.TempDir(), "c.png"), ok, Options{}); err != nil {
		t.Errorf("NaN in an undrawn field: %v", err)
	}
}

func TestCompareRunsEdgeCases(t *testing.T) {
	zero := make([]metrics.Sample, 50)
	for i := range zero {
		zero[i].Time = float64(i)
		zero[i].Resetting = i%7 == 0 // lone resetting samples, at both ends too
	}
	zero[49].Resetting = true
	allReset := mitigationRun("all reset", 100, 3, 300, 0.2, 0, 1000)
	unsorted := mitigationRun("unsorted", 1000, 60, 0, 0.35, 100, 200)
	unsorted.Samples[3], unsorted.Samples[400] = unsorted.Samples[400], unsorted.Samples[3]
	offMarkers := []Marker{
		{Time: -50, Label: "before"},
		{Time: 1e9, Label: "far after"},
		{Time: math.NaN(), Label: "nan"},
		{Time: math.Inf(1)},
		{Time: 300},
		{Time: 10, Label: "a"}, {Time: 20, Label: "b"}, {Time: 30, Label: "c"}, {Time: 40, Label: "d"}, {Time: 45, Label: "e"},
	}
	cases := map[string][]Run{
		"all zero":         {{Label: "zero", Samples: zero, Markers: offMarkers}},
		"single sample":    {{Samples: []metrics.Sample{{Time: 5, MessagesPerSecond: 10, WrongViewFraction: 0.2, Resetting: true}}, Markers: offMarkers}},
		"single at zero":   {{Samples: []metrics.Sample{{Time: 0, Resetting: true}}}, {Samples: zero[:1]}},
		"same time":        {{Samples: []metrics.Sample{{Time: 3, MessagesPerSecond: 1}, {Time: 3, MessagesPerSecond: 1e6, Resetting: true}}, Markers: []Marker{{Time: 3}}}},
		"all resetting":    {allReset, unsorted},
		"disjoint times":   {mitigationRun("early", 10, 1000, 0, 1, 0, 0), {Label: "late", Samples: []metrics.Sample{{Time: 5000, MessagesPerSecond: 3}, {Time: 5001}}, Markers: offMarkers}},
		"negatives":        {{Samples: []metrics.Sample{{Time: 0, MessagesPerSecond: -5, WrongViewFraction: -0.1}, {Time: 1, MessagesPerSecond: 500}}, Markers: offMarkers}},
		"eight runs, log":  append(mitigationRuns(), mitigationRun("eighth", 1e-3, 1e9, 0, 1, 0, 0)),
		"storms and zeros": {mitigationRun("none", 1000, 60, 0, 0.35, 0, 0), {Label: "zero", Samples: zero, Markers: offMarkers}},
	}
	for name, runs := range cases {
		path := filepath.Join(t.TempDir(), "c.png")
		if err := CompareRuns(path, runs, Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		checkPNG(t, path, 975, 825)
	}
}

func TestResetSpans(t *testing.T) {
	var s []metrics.Sample
	for i := 0; i <= 10; i++ {
		s = append(s, metrics.Sample{Time: float64(i * 2), Resetting: i == 0 || (i >= 3 && i <= 5) || i == 7 || i == 10})
	}
	sr, err := prepare(s)
	if err != nil {
		t.Fatal(err)
	}
	got := resetSpans(sr)
	want := [][2]float64{{-1, 1}, {5, 11}, {13, 15}, {19, 21}}
	if len(got) != len(want) {
		t.Fatalf("resetSpans = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("resetSpans = %v, want %v", got, want)
			break
		}
	}
}

func TestInterpolate(t *testing.T) {
	sr, _ := prepare([]metrics.Sample{{Time: 1, MessagesPerSecond: 10}, {Time: 3, MessagesPerSecond: 30}, {Time: 3, MessagesPerSecond: 50}})
	xy := sr.xys(func(x metrics.Sample) float64 { return x.MessagesPerSecond })
	for _, c := range []struct{ x, want float64 }{{0, 10}, {1, 10}, {2, 20}, {3, 30}, {9, 50}} {
		if got := interpolate(xy, c.x); got != c.want {
			t.Errorf("interpolate(%g) = %g, want %g", c.x, got, c.want)
		}
	}
}

// TestComparePreview writes compare.png, seven synthetic mitigation runs,
// into the directory named by GOSSIPSIM_PLOTS_PREVIEW, for looking at by
// eye.
func TestComparePreview(t *testing.T) {
	dir := os.Getenv("GOSSIPSIM_PLOTS_PREVIEW")
	if dir == "" {
		t.Skip("set GOSSIPSIM_PLOTS_PREVIEW=dir to write preview PNGs")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	opt := Options{Title: "Mitigations compared, 1000 nodes, representative runs (synthetic)"}
	if err := CompareRuns(filepath.Join(dir, "compare.png"), mitigationRuns(), opt); err != nil {
		t.Fatal(err)
	}
}

// TestCompareRunsWithoutSamples: runs stopped before their first sample are
// listed as having none; if no run has samples, the data areas say so.
func TestCompareRunsWithoutSamples(t *testing.T) {
	for _, c := range []struct {
		name      string
		runs      []Run
		wantCount int // occurrences of NoSamplesText in the SVG
	}{
		{"one of two empty", []Run{mitigationRun("x", 1, 0, 0, 0, 0, 0), {Label: "empty"}}, 1},
		{"all empty", []Run{{Label: "none"}, {Label: "d"}}, 2 + 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.svg")
			if err := CompareRuns(path, c.runs, Options{Format: "svg"}); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(string(b), NoSamplesText); got != c.wantCount {
				t.Errorf("%q appears %d times, want %d", NoSamplesText, got, c.wantCount)
			}
		})
	}
}

// TestBinRatesAverages: a storm's per-second bursts (1 and 999,999
// messages/s in turn) binned by 4 samples read as their mean, each point at
// its bin's end, weighted by the samples' intervals; the last bin is
// shorter; the other fields are the bin's last sample's.
func TestBinRatesAverages(t *testing.T) {
	var s []metrics.Sample
	for i := 1; i <= 10; i++ {
		rate := 1.0
		if i%2 == 0 {
			rate = 999_999
		}
		s = append(s, metrics.Sample{Time: float64(i), MessagesPerSecond: rate, WrongViewFraction: float64(i) / 10})
	}
	b := binRates(s, 4, 0)
	if len(b) != 3 || b[0].Time != 4 || b[1].Time != 8 || b[2].Time != 10 {
		t.Fatalf("bins at %v, want 4, 8 and 10 s", b)
	}
	for k, x := range b {
		if x.MessagesPerSecond != 500_000 || x.WrongViewFraction != x.Time/10 {
			t.Errorf("bin %d: %+v, want a mean of 500,000 messages/s and the last sample's wrong views", k, x)
		}
	}
	// Unequal intervals weigh by length: 1 s at 10/s, then 3 s at 2/s.
	u := binRates([]metrics.Sample{{Time: 1, MessagesPerSecond: 10}, {Time: 4, MessagesPerSecond: 2}}, 2, 0)
	if len(u) != 1 || u[0].MessagesPerSecond != 4 {
		t.Fatalf("weighted bin %+v, want 4 messages/s", u)
	}
	if got := binRates(s, 1, 0); len(got) != len(s) {
		t.Fatal("k = 1 binned")
	}
}
