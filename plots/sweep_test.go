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
)

var nan = math.NaN()

// recoverySweep returns three series of recovery time against corruption
// probability (1e-6..1e-2, 9 values, 20 runs each), with some censored
// points and, for "checksum = none", two points where every run is
// censored.
func recoverySweep() []Series {
	xs := []float64{1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2}
	mk := func(label string, mean []float64, cens []int) Series {
		s := Series{Label: label, X: xs, Mean: mean, Censored: cens}
		for i, m := range mean {
			s.Lo = append(s.Lo, m*(0.86-0.01*float64(i%3)))
			s.Hi = append(s.Hi, m*(1.14+0.02*float64(i%2)))
			s.Runs = append(s.Runs, 20)
		}
		return s
	}
	return []Series{
		mk("checksum = none", []float64{31, 36, 49, 82, 165, 410, 905, nan, nan}, []int{0, 0, 0, 0, 0, 1, 3, 20, 20}),
		mk("checksum = crc32c", []float64{29, 30, 32, 35, 41, 56, 92, 185, 430}, []int{0, 0, 0, 0, 0, 0, 0, 0, 3}),
		mk("checksum = md5", []float64{28, 29, 30, 33, 38, 50, 78, 152, 335}, []int{0, 0, 0, 0, 0, 0, 0, 0, 1}),
	}
}

var recoveryOpt = SweepOptions{
	Title:  "Recovery time vs corruption probability (20 runs per point, synthetic)",
	XLabel: "corruption probability per message",
	YLabel: "recovery time (s)",
	LogX:   true,
}

// volumeGrid returns gossip volume (messages/s per node) over fanout 1..5
// (columns) × gossip interval 0.2, 0.5, 1, 2 s (rows).
func volumeGrid() (xs, ys []float64, z [][]float64) {
	xs = []float64{1, 2, 3, 4, 5}
	ys = []float64{0.2, 0.5, 1, 2}
	for _, iv := range ys {
		var row []float64
		for _, f := range xs {
			// Each round a node sends fanout messages and receives as many;
			// a little overhead grows with fanout.
			row = append(row, 2*f/iv*(1+0.04*f))
		}
		z = append(z, row)
	}
	return xs, ys, z
}

var volumeOpt = SweepOptions{
	Title:  "Gossip volume by fanout and interval (synthetic)",
	XLabel: "fanout (peers per round)",
	YLabel: "gossip interval (s)",
}

// mitigationGroups returns recovery times for six mitigations, 20 runs
// each, some censored. The values are deterministic.
func mitigationGroups() []Group {
	spec := []struct {
		label       string
		base, sprd  float64
		n, censored int
	}{
		{"none", 420, 260, 15, 5},
		{"checksum crc32c", 95, 40, 20, 0},
		{"checksum md5", 80, 30, 20, 0},
		{"rate limit gossip", 260, 150, 18, 2},
		{"rate limit + crc32c", 70, 25, 20, 0},
		{"full state reset", 150, 20, 19, 1},
	}
	var gs []Group
	for k, s := range spec {
		g := Group{Label: s.label, Censored: s.censored}
		for i := 0; i < s.n; i++ {
			u := math.Mod(math.Sin(float64(i*13+k*7)+0.5)*43758.5453, 1)
			g.Values = append(g.Values, s.base+s.sprd*(math.Abs(u)-0.5)+s.sprd*0.3*math.Pow(math.Abs(u), 6))
		}
		gs = append(gs, g)
	}
	return gs
}

var boxOpt = SweepOptions{
	Title:  "Recovery time by mitigation (synthetic)",
	XLabel: "mitigation",
	YLabel: "recovery time (s)",
}

// sweepFigures writes each sweep figure to path with its fixture.
var sweepFigures = map[string]func(path string, opt Options) error{
	"MetricVsParam": func(path string, opt Options) error {
		o := recoveryOpt
		o.Options = opt
		return MetricVsParam(path, recoverySweep(), o)
	},
	"HeatMap": func(path string, opt Options) error {
		xs, ys, z := volumeGrid()
		o := volumeOpt
		o.Options = opt
		return HeatMap(path, xs, ys, z, o, "gossip volume (messages/s per node)")
	},
	"Box": func(path string, opt Options) error {
		o := boxOpt
		o.Options = opt
		return Box(path, mitigationGroups(), o)
	},
}

func TestSweepFiguresSizeAndDecode(t *testing.T) {
	for name, fig := range sweepFigures {
		for _, opt := range []Options{{}, {WidthInches: 6, HeightInches: 4, DPI: 100}} {
			path := filepath.Join(t.TempDir(), "fig.png")
			if err := fig(path, opt); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			w, h, err := opt.PixelSize()
			if err != nil {
				t.Fatal(err)
			}
			checkPNG(t, path, w, h)
		}
	}
}

func TestSweepDeterministic(t *testing.T) {
	for name, fig := range sweepFigures {
		dir := t.TempDir()
		a, b := filepath.Join(dir, "a.png"), filepath.Join(dir, "b.png")
		if err := fig(a, Options{}); err != nil {
			t.Fatal(err)
		}
		if err := fig(b, Options{}); err != nil {
			t.Fatal(err)
		}
		da, _ := os.ReadFile(a)
		db, _ := os.ReadFile(b)
		if len(da) == 0 || !bytes.Equal(da, db) {
			t.Errorf("%s: same input gave different bytes", name)
		}
	}
}

func TestSweepBadInput(t *testing.T) {
	good := recoverySweep()[1]
	short := good
	short.Mean = short.Mean[:3]
	shortLo := good
	shortLo.Lo = shortLo.Lo[:2]
	shortRuns := good
	shortRuns.Runs = []int{20}
	descending := Series{X: []float64{2, 1}, Mean: []float64{1, 2}}
	nanX := Series{X: []float64{1, nan}, Mean: []float64{1, 2}}
	tooMany := Series{X: []float64{1}, Mean: []float64{1}, Censored: []int{5}, Runs: []int{4}}
	xs, ys, z := volumeGrid()

	cases := []struct {
		name    string
		draw    func(path string) error
		noData  bool
		mention string
	}{
		{"no series", func(p string) error { return MetricVsParam(p, nil, SweepOptions{}) }, true, ""},
		{"empty series", func(p string) error { return MetricVsParam(p, []Series{{Label: "a"}}, SweepOptions{}) }, true, `series 0 ("a") has no points`},
		{"short Mean", func(p string) error { return MetricVsParam(p, []Series{short}, SweepOptions{}) }, false, "Mean has 3 values, X has 9"},
		{"short Lo", func(p string) error { return MetricVsParam(p, []Series{good, shortLo}, SweepOptions{}) }, false, "series 1"},
		{"short Runs", func(p string) error { return MetricVsParam(p, []Series{shortRuns}, SweepOptions{}) }, false, "Runs has 1 values"},
		{"descending X", func(p string) error { return MetricVsParam(p, []Series{descending}, SweepOptions{}) }, false, "not ascending"},
		{"NaN X", func(p string) error { return MetricVsParam(p, []Series{nanX}, SweepOptions{}) }, false, "X[1] is NaN"},
		{"censored > runs", func(p string) error { return MetricVsParam(p, []Series{tooMany}, SweepOptions{}) }, false, "5 runs censored out of 4"},
		{"bad size", func(p string) error { return MetricVsParam(p, []Series{good}, SweepOptions{Options: Options{DPI: -1}}) }, false, "outside [50, 1200]"},
		{"bad width", func(p string) error {
			return MetricVsParam(p, []Series{good}, SweepOptions{Options: Options{WidthInches: -2}})
		}, false, "invalid figure size"},
		{"no xs", func(p string) error { return HeatMap(p, nil, ys, z, SweepOptions{}, "z") }, true, ""},
		{"no ys", func(p string) error { return HeatMap(p, xs, nil, nil, SweepOptions{}, "z") }, true, ""},
		{"rows", func(p string) error { return HeatMap(p, xs, ys, z[:3], SweepOptions{}, "z") }, false, "z has 3 rows, ys has 4"},
		{"cols", func(p string) error {
			zz := append([][]float64(nil), z...)
			zz[2] = zz[2][:4]
			return HeatMap(p, xs, ys, zz, SweepOptions{}, "z")
		}, false, "z row 2 has 4 values, xs has 5"},
		{"no groups", func(p string) error { return Box(p, nil, SweepOptions{}) }, true, ""},
		{"negative censored", func(p string) error { return Box(p, []Group{{Label: "x", Censored: -1}}, SweepOptions{}) }, false, "Censored is -1"},
	}
	for _, c := range cases {
		dir := t.TempDir()
		path := filepath.Join(dir, "fig.png")
		err := c.draw(path)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "plots: ") || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %q should start with \"plots: \" and name the file", c.name, err)
		}
		if c.noData && !errors.Is(err, ErrNoData) {
			t.Errorf("%s: err = %v, want ErrNoData", c.name, err)
		}
		if !strings.Contains(err.Error(), c.mention) {
			t.Errorf("%s: err = %v, want it to mention %q", c.name, err, c.mention)
		}
		if got := testfs.Names(t, dir); len(got) != 0 {
			t.Errorf("%s: left %v behind", c.name, got)
		}
	}
}

func TestSweepUnwritable(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "fig.png")
	if err := os.MkdirAll(filepath.Join(target, "child"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, fig := range sweepFigures {
		err := fig(target, Options{})
		if err == nil || !strings.Contains(err.Error(), "plots: writing") {
			t.Errorf("%s: err = %v, want a write error", name, err)
		}
		if got := testfs.Names(t, dir); len(got) != 1 || got[0] != "fig.png" {
			t.Errorf("%s: dir holds %v, want only the pre-existing fig.png", name, got)
		}
	}
}

// TestSweepEdgeCases draws awkward input: none of it may fail or panic.
// With GOSSIPSIM_PLOTS_PREVIEW set, the figures are kept in its sweep/edge
// subdirectory.
func TestSweepEdgeCases(t *testing.T) {
	out := func(kind, name string) string {
		base := os.Getenv("GOSSIPSIM_PLOTS_PREVIEW")
		if base == "" {
			return filepath.Join(t.TempDir(), "fig.png")
		}
		dir := filepath.Join(base, "sweep", "edge")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return filepath.Join(dir, kind+"_"+strings.ReplaceAll(name, " ", "_")+".png")
	}
	allCensored := Series{
		Label: "all censored", X: []float64{1, 2, 3}, Mean: []float64{nan, nan, nan},
		Lo: []float64{nan, nan, nan}, Hi: []float64{nan, nan, nan},
		Censored: []int{20, 20, 20}, Runs: []int{20, 20, 20},
	}
	censoredNoRuns := Series{X: []float64{1, 2}, Mean: []float64{5, nan}, Censored: []int{2, 3}}
	meanButAll := Series{X: []float64{1, 2}, Mean: []float64{5, 7}, Censored: []int{0, 4}, Runs: []int{4, 4}}
	allNaN := Series{X: []float64{1, 2, 3}, Mean: []float64{nan, math.Inf(1), nan}}
	withZero := Series{Label: "zero x", X: []float64{0, 1e-4, 1e-3}, Mean: []float64{1, 2, 3}, Lo: []float64{0.5, 1, 2}, Hi: []float64{2, 3, 4}}
	onlyZero := Series{X: []float64{0}, Mean: []float64{1}}
	negY := Series{X: []float64{1, 2, 3, 4}, Mean: []float64{-1, 0, 2, 3}, Lo: []float64{-2, -1, 0, 1}, Hi: []float64{0, 1, 3, 5}}
	single := Series{X: []float64{7}, Mean: []float64{3}, Lo: []float64{2}, Hi: []float64{4}}
	same := Series{X: []float64{1, 1, 1}, Mean: []float64{0, 0, 0}}
	var long Series
	for i := 0; i < 30; i++ {
		x := float64(i)
		long.X = append(long.X, x)
		long.Mean = append(long.Mean, 10+math.Sin(x/4)*5)
		lo, hi := long.Mean[i]-1, long.Mean[i]+1
		if i == 12 {
			lo, hi = nan, nan
		}
		long.Lo = append(long.Lo, lo)
		long.Hi = append(long.Hi, hi)
	}
	long.Mean[20] = nan
	many := make([]Series, 10)
	for i := range many {
		many[i] = Series{Label: "s", X: []float64{1, 2}, Mean: []float64{float64(i), float64(i + 1)}, Censored: []int{1, 0}}
	}

	metricCases := []struct {
		name   string
		series []Series
		opt    SweepOptions
	}{
		{"all censored", []Series{allCensored}, SweepOptions{}},
		{"all censored log", []Series{allCensored}, SweepOptions{LogX: true, LogY: true}},
		{"censored without runs", []Series{censoredNoRuns}, SweepOptions{}},
		{"mean but all censored", []Series{meanButAll}, SweepOptions{}},
		{"all NaN", []Series{allNaN}, SweepOptions{LogY: true}},
		{"LogX with zero", []Series{withZero}, SweepOptions{LogX: true}},
		{"LogX only zero", []Series{onlyZero}, SweepOptions{LogX: true}},
		{"LogY with non-positive", []Series{negY}, SweepOptions{LogY: true}},
		{"negative linear", []Series{negY}, SweepOptions{}},
		{"single point", []Series{single}, SweepOptions{LogX: true, LogY: true}},
		{"same x, zero y", []Series{same}, SweepOptions{}},
		{"band with gaps", []Series{long, single}, SweepOptions{}},
		{"ten series", many, SweepOptions{}},
	}
	for _, c := range metricCases {
		path := out("metric", c.name)
		c.opt.Title = c.name
		if err := MetricVsParam(path, c.series, c.opt); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		checkPNG(t, path, 975, 675)
	}

	heatCases := []struct {
		name   string
		xs, ys []float64
		z      [][]float64
	}{
		{"1x1", []float64{1}, []float64{2}, [][]float64{{3}}},
		{"all NaN", []float64{1, 2}, []float64{1}, [][]float64{{nan, math.Inf(1)}}},
		{"some NaN", []float64{1e-6, 1e-4, 1e-2}, []float64{nan, 0}, [][]float64{{1, nan, 3}, {-4, 5e6, 6e-5}}},
		{"constant", []float64{1, 2}, []float64{1, 2}, [][]float64{{2, 2}, {2, 2}}},
		{"large grid", seq(60), seq(50), grid(50, 60)},
	}
	for _, c := range heatCases {
		path := out("heat", c.name)
		if err := HeatMap(path, c.xs, c.ys, c.z, SweepOptions{LogX: true, Title: c.name}, ""); err != nil {
			t.Errorf("heat %s: %v", c.name, err)
			continue
		}
		checkPNG(t, path, 975, 675)
	}

	boxCases := []struct {
		name   string
		groups []Group
		opt    SweepOptions
	}{
		{"empty group", []Group{{Label: "empty"}, {Label: "one", Values: []float64{3}}}, SweepOptions{}},
		{"all censored", []Group{{Label: "a", Censored: 20}, {Label: "b", Censored: 3}}, SweepOptions{}},
		{"NaN values", []Group{{Label: "a", Values: []float64{nan, 1, 2, math.Inf(-1)}}}, SweepOptions{}},
		{"LogY with zeros", []Group{{Label: "a", Values: []float64{0, -1, 10, 100}, Censored: 1}}, SweepOptions{LogY: true, LogX: true}},
		{"long labels", []Group{{Label: "a very long mitigation name that must wrap somewhere", Values: []float64{1, 2}}, {Label: "", Values: []float64{3}}}, SweepOptions{}},
	}
	for _, c := range boxCases {
		path := out("box", c.name)
		c.opt.Title = c.name
		if err := Box(path, c.groups, c.opt); err != nil {
			t.Errorf("box %s: %v", c.name, err)
			continue
		}
		checkPNG(t, path, 975, 675)
	}
}

// seq returns 0, 1, ..., n-1.
func seq(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i)
	}
	return out
}

// grid returns an r×c grid of varied values.
func grid(r, c int) [][]float64 {
	z := make([][]float64, r)
	for i := range z {
		z[i] = make([]float64, c)
		for j := range z[i] {
			z[i][j] = float64(i*j) * 12.345
		}
	}
	return z
}

func TestSweepFormatting(t *testing.T) {
	for _, c := range []struct {
		v          float64
		param, val string
	}{
		{0, "0", "0"},
		{1e-6, "1e-6", "1e-6"},
		{2.5e-4, "2.5e-4", "2.5e-4"},
		{0.2, "0.2", "0.2"},
		{0.1 + 0.2, "0.3", "0.3"},
		{1, "1", "1"},
		{12.345, "12.345", "12.3"},
		{1234, "1234", "1234"},
		{12345, "12345", "12.3k"},
		{2e6, "2e6", "2M"},
		{999999, "999999", "1M"},
		{99.96, "99.96", "100"},
		{0.0123456, "0.01235", "0.0123"},
		{-3.14159, "-3.142", "-3.14"},
		{nan, "NaN", "n/a"},
		{math.Inf(1), "+Inf", "n/a"},
	} {
		if got := formatParam(c.v); got != c.param {
			t.Errorf("formatParam(%v) = %q, want %q", c.v, got, c.param)
		}
		if got := formatValue(c.v); got != c.val {
			t.Errorf("formatValue(%v) = %q, want %q", c.v, got, c.val)
		}
	}
	var labels []string
	for _, tk := range logTickerFormat(false, sweepLogTick).Ticks(-6.2, -1.8) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, ","); got != "1e-6,1e-5,1e-4,1e-3,1e-2" {
		t.Errorf("log labels = %s", got)
	}
}

func TestQuantileAndJitter(t *testing.T) {
	s := []float64{1, 2, 3, 4, 5}
	for _, c := range []struct{ q, want float64 }{{0, 1}, {0.25, 2}, {0.5, 3}, {0.75, 4}, {1, 5}} {
		if got := quantile(s, c.q); got != c.want {
			t.Errorf("quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	if got := quantile([]float64{1, 2}, 0.5); got != 1.5 {
		t.Errorf("quantile of two = %v", got)
	}
	b := newBoxGroup(Group{Values: []float64{1, 2, 3, 4, 100}}, false)
	if b.whiskHi != 4 || b.whiskLo != 1 || b.median != 3 {
		t.Errorf("box = %+v", b)
	}
	for i := 0; i < 100; i++ {
		if j := jitter(i); math.Abs(j) > jitterWidth/2 || j != jitter(i) {
			t.Fatalf("jitter(%d) = %v", i, j)
		}
	}
}

// TestSweepPreview writes the sweep figures into the sweep subdirectory of
// the directory named by GOSSIPSIM_PLOTS_PREVIEW, for looking at by eye.
func TestSweepPreview(t *testing.T) {
	base := os.Getenv("GOSSIPSIM_PLOTS_PREVIEW")
	if base == "" {
		t.Skip("set GOSSIPSIM_PLOTS_PREVIEW=dir to write preview PNGs")
	}
	dir := filepath.Join(base, "sweep")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, fig := range map[string]string{"MetricVsParam": "recovery_vs_corruption.png", "HeatMap": "volume_heatmap.png", "Box": "mitigation_box.png"} {
		if err := sweepFigures[name](filepath.Join(dir, fig), Options{}); err != nil {
			t.Fatal(err)
		}
	}

	// A long series (band), log y with a non-positive value and a zero x.
	var band []Series
	for k, label := range []string{"fanout = 2", "fanout = 4"} {
		s := Series{Label: label}
		for i := 0; i <= 24; i++ {
			x := math.Pow(10, -6+float64(i)/6)
			m := 20 * (1 + float64(k)) * math.Pow(x/1e-6, 0.35+0.1*float64(k))
			s.X = append(s.X, x)
			s.Mean = append(s.Mean, m)
			s.Lo = append(s.Lo, m*0.8)
			s.Hi = append(s.Hi, m*1.25)
			c := 0
			if m > 1500 {
				c = 4
			}
			s.Censored = append(s.Censored, c)
			s.Runs = append(s.Runs, 10)
		}
		band = append(band, s)
	}
	band[0].X = append([]float64{0}, band[0].X...)
	band[0].Mean = append([]float64{5}, band[0].Mean...)
	band[0].Lo = append([]float64{4}, band[0].Lo...)
	band[0].Hi = append([]float64{6}, band[0].Hi...)
	band[0].Censored = append([]int{0}, band[0].Censored...)
	band[0].Runs = append([]int{10}, band[0].Runs...)
	if err := MetricVsParam(filepath.Join(dir, "band_logy.png"), band, SweepOptions{
		Title: "Messages until recovery (bands, log-log, synthetic)", XLabel: "corruption probability per message",
		YLabel: "messages per node", LogX: true, LogY: true,
	}); err != nil {
		t.Fatal(err)
	}

	// A small heat map with missing cells and log-spaced columns.
	xs := []float64{1e-6, 1e-5, 1e-4, 1e-3, 1e-2}
	ys := []float64{100, 1000, 10000}
	z := [][]float64{{12, 15, 40, 220, nan}, {13, 18, 55, 410, nan}, {14, 22, 90, 1250, 8800}}
	if err := HeatMap(filepath.Join(dir, "heatmap_nan_small.png"), xs, ys, z, SweepOptions{
		Title: "Recovery time (s), synthetic", XLabel: "corruption probability per message", YLabel: "fleet size (nodes)",
		Options: Options{WidthInches: 6, HeightInches: 4, DPI: 100},
	}, "recovery time (s)"); err != nil {
		t.Fatal(err)
	}
	// The default figure at a small size.
	o := recoveryOpt
	o.Options = Options{WidthInches: 6, HeightInches: 4, DPI: 100}
	if err := MetricVsParam(filepath.Join(dir, "recovery_small.png"), recoverySweep(), o); err != nil {
		t.Fatal(err)
	}
	bo := boxOpt
	bo.Options = Options{WidthInches: 6, HeightInches: 4, DPI: 100}
	if err := Box(filepath.Join(dir, "mitigation_box_small.png"), mitigationGroups(), bo); err != nil {
		t.Fatal(err)
	}
	t.Log(dir)
}

// TestNonNegativeCutsIntervalsAtZero: a t interval from few replicates of
// a value near 0 reaches below 0; a NonNegative metric's figure draws it
// cut at 0 (the axis does not go below 0) and says so in the legend.
func TestNonNegativeCutsIntervalsAtZero(t *testing.T) {
	s := []Series{{Label: "a", X: []float64{1, 2, 3}, Mean: []float64{0.5, 2, 4}, Lo: []float64{-1.5, 1, 3}, Hi: []float64{2.5, 3, 5}}}
	for _, nonNeg := range []bool{false, true} {
		pn, err := metricPanel(s, SweepOptions{NonNegative: nonNeg})
		if err != nil {
			t.Fatal(err)
		}
		below := pn.plot.Y.Min < 0
		if below == nonNeg {
			t.Errorf("NonNegative %v: y axis from %g", nonNeg, pn.plot.Y.Min)
		}
		if got := strings.Contains(legendText(pn.legend), "95% CI (cut at 0)"); got != nonNeg {
			t.Errorf("NonNegative %v: legend says cut at 0: %v", nonNeg, got)
		}
	}
}

func TestLogScaleLabels(t *testing.T) {
	for _, c := range []struct {
		in   string
		log  bool
		want string
	}{
		{"recovery time (s)", true, "recovery time (s, log scale)"},
		{"corruption probability per message", true, "corruption probability per message (log scale)"},
		{"recovery time (s)", false, "recovery time (s)"},
		{"", true, ""},
	} {
		if got := logScaleLabel(c.in, c.log); got != c.want {
			t.Errorf("logScaleLabel(%q, %v) = %q, want %q", c.in, c.log, got, c.want)
		}
	}
	// A box plot's log y axis says so; its categories ignore LogX.
	pn, err := boxPanel([]Group{{Label: "a", Values: []float64{1, 10, 100}}}, SweepOptions{YLabel: "peak (messages/s)", XLabel: "mitigation", LogY: true, LogX: true})
	if err != nil {
		t.Fatal(err)
	}
	if pn.plot.Y.Label.Text != "peak (messages/s, log scale)" || pn.plot.X.Label.Text != "mitigation" {
		t.Errorf("labels %q, %q", pn.plot.Y.Label.Text, pn.plot.X.Label.Text)
	}
}
