package plots

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/internal/testfs"

	"github.com/gossipsim/gossipsim/models/metrics"
)

// smoothStep rises from 0 at a to 1 at b.
func smoothStep(t, a, b float64) float64 {
	switch {
	case t <= a:
		return 0
	case t >= b:
		return 1
	}
	x := (t - a) / (b - a)
	return x * x * (3 - 2*x)
}

// syntheticStorm returns a 600 s series for a 1000-node fleet sampled every
// second: quiet gossip, then a storm from 120 s (messages/s rising 10x,
// mostly failure notices, the wrong-view fraction climbing to 0.3) that is
// over by 400 s. The jitter is deterministic.
func syntheticStorm() []metrics.Sample {
	var out []metrics.Sample
	for i := 1; i <= 600; i++ {
		t := float64(i)
		storm := smoothStep(t, 120, 160) * (1 - smoothStep(t, 340, 400))
		jitter := 1 + 0.03*math.Sin(t*1.7) + 0.02*math.Sin(t*0.31)
		msgs := 1000 * (1 + 9*storm) * jitter
		fail := (5 + 8500*storm) * jitter
		busiest := (3 + 120*storm) * (1 + 0.1*math.Sin(t*0.9))
		wrong := 0.3 * smoothStep(t, 125, 200) * (1 - smoothStep(t, 300, 400))
		meanU := 0.05 + 0.55*storm
		maxU := math.Min(1, 0.2+0.95*storm)
		drops := 0.0
		if maxU >= 1 {
			drops = 150 * storm * jitter
		}
		out = append(out, metrics.Sample{
			Time:                         t,
			MessagesPerSecond:            msgs,
			BytesPerSecond:               msgs * (300 + 50*storm),
			FailureMessagesPerSecond:     fail,
			BusiestNodeMessagesPerSecond: busiest,
			WrongViewFraction:            wrong,
			MeanUtilization:              meanU,
			MaxUtilization:               maxU,
			QueueDropsPerSecond:          drops,
			LiveNodes:                    1000,
		})
	}
	return out
}

var stormMarkers = []Marker{
	{Time: 120, Label: "trigger (first accepted corruption)"},
	{Time: 400, Label: "gossip state cleared"},
}

type figureFunc func(string, []metrics.Sample, []Marker, Options) error

var figures = map[string]figureFunc{
	"GossipVolume": GossipVolume,
	"WrongView":    WrongView,
}

// panelsOf is the number of stacked panels of the figure name for samples.
func panelsOf(name string, samples []metrics.Sample) int {
	if name == "WrongView" {
		for _, s := range samples {
			if s.QueueDropsPerSecond != 0 {
				return 3
			}
		}
	}
	return 2
}

// checkPNG decodes the file at path and checks its pixel size.
func checkPNG(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("%s: size %dx%d, want %dx%d", path, b.Dx(), b.Dy(), w, h)
	}
}

func TestFiguresSizeAndDecode(t *testing.T) {
	samples := syntheticStorm()
	for name, fig := range figures {
		for _, opt := range []Options{
			{Title: "default size"},
			{Title: "small", WidthInches: 6, HeightInches: 4, DPI: 100},
		} {
			path := filepath.Join(t.TempDir(), "fig.png")
			if err := fig(path, samples, stormMarkers, opt); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			w, h, err := opt.PanelsPixelSize(panelsOf(name, samples))
			if err != nil {
				t.Fatal(err)
			}
			checkPNG(t, path, w, h)
		}
	}
	// 6.5 x 4.5 in at 150 dpi; an inch more per further panel.
	for panels, want := range map[int][2]int{1: {975, 675}, 2: {975, 825}, 3: {975, 975}} {
		w, h, _ := Options{}.PanelsPixelSize(panels)
		if w != want[0] || h != want[1] {
			t.Errorf("default size of %d panels = %dx%d, want %dx%d", panels, w, h, want[0], want[1])
		}
	}
	if w, h, _ := (Options{}).PixelSize(); w != 975 || h != 675 {
		t.Errorf("default PixelSize = %dx%d, want 975x675", w, h)
	}
}

func TestWriteFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "dir")
	paths, err := WriteFiles(dir, syntheticStorm(), stormMarkers, Options{Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "gossip_volume.png"), filepath.Join(dir, "wrong_view.png")}
	if len(paths) != 2 || paths[0] != want[0] || paths[1] != want[1] {
		t.Fatalf("paths = %v, want %v", paths, want)
	}
	checkPNG(t, paths[0], 975, 825)
	checkPNG(t, paths[1], 975, 975)
	if got := testfs.Names(t, dir); len(got) != 2 {
		t.Errorf("dir holds %v, want only the two figures", got)
	}
}

func TestDeterministic(t *testing.T) {
	samples := syntheticStorm()
	for name, fig := range figures {
		dir := t.TempDir()
		a, b := filepath.Join(dir, "a.png"), filepath.Join(dir, "b.png")
		if err := fig(a, samples, stormMarkers, Options{Title: "x"}); err != nil {
			t.Fatal(err)
		}
		if err := fig(b, samples, stormMarkers, Options{Title: "x"}); err != nil {
			t.Fatal(err)
		}
		da, _ := os.ReadFile(a)
		db, _ := os.ReadFile(b)
		if !bytes.Equal(da, db) {
			t.Errorf("%s: same input gave different bytes", name)
		}
	}
}

// TestEmptySamples: a run stopped before its first sample still gets both
// figures, their axes drawn and "no samples yet" in every data area.
func TestEmptySamples(t *testing.T) {
	for name, fig := range figures {
		for _, samples := range [][]metrics.Sample{nil, {}} {
			dir := t.TempDir()
			path := filepath.Join(dir, "fig.svg")
			if err := fig(path, samples, stormMarkers, Options{Format: "svg", Title: "empty"}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(string(b), NoSamplesText); got != 2 {
				t.Errorf("%s: %q appears %d times, want once per panel (2)", name, NoSamplesText, got)
			}
		}
	}
	dir := filepath.Join(t.TempDir(), "out")
	paths, err := WriteFiles(dir, []metrics.Sample{}, nil, Options{})
	if err != nil {
		t.Fatalf("WriteFiles: %v", err)
	}
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("WriteFiles: %s not written (%v)", p, err)
		}
	}
}

func TestBadValues(t *testing.T) {
	s := syntheticStorm()
	s[10].WrongViewFraction = math.NaN()
	dir := t.TempDir()
	err := WrongView(filepath.Join(dir, "w.png"), s, nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "WrongViewFraction") {
		t.Errorf("err = %v, want a complaint about WrongViewFraction", err)
	}
	if err := GossipVolume(filepath.Join(dir, "g.png"), syntheticStorm(), nil, Options{DPI: -1}); err == nil {
		t.Error("negative DPI accepted")
	}
	if got := testfs.Names(t, dir); len(got) != 0 {
		t.Errorf("left %v behind", got)
	}
}

func TestUnwritable(t *testing.T) {
	samples := syntheticStorm()
	base := t.TempDir()

	// The target's parent is a regular file: creating the temp file fails.
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, fig := range figures {
		err := fig(filepath.Join(file, "fig.png"), samples, nil, Options{})
		if err == nil || !strings.Contains(err.Error(), "plots: writing") {
			t.Errorf("%s: err = %v, want a write error", name, err)
		}
	}
	if _, err := WriteFiles(filepath.Join(file, "sub"), samples, nil, Options{}); err == nil {
		t.Error("WriteFiles under a regular file succeeded")
	}

	// The target is a non-empty directory: the temp file is written, the
	// rename fails, and the temp file must be cleaned up.
	dir := filepath.Join(base, "d")
	target := filepath.Join(dir, "fig.png")
	if err := os.MkdirAll(filepath.Join(target, "child"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, fig := range figures {
		if err := fig(target, samples, nil, Options{}); err == nil {
			t.Errorf("%s: writing over a directory succeeded", name)
		}
		if got := testfs.Names(t, dir); len(got) != 1 || got[0] != "fig.png" {
			t.Errorf("%s: dir holds %v, want only the pre-existing fig.png", name, got)
		}
	}

	// A read-only directory (not enforced for root).
	ro := filepath.Join(base, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(ro, 0o755)
	if os.Geteuid() != 0 {
		if err := GossipVolume(filepath.Join(ro, "g.png"), samples, nil, Options{}); err == nil {
			t.Error("writing into a read-only directory succeeded")
		}
		if got := testfs.Names(t, ro); len(got) != 0 {
			t.Errorf("read-only dir holds %v", got)
		}
	}
}

func TestEdgeCases(t *testing.T) {
	zero := make([]metrics.Sample, 50)
	for i := range zero {
		zero[i].Time = float64(i)
	}
	withDrops := syntheticStorm()
	single := []metrics.Sample{{Time: 5, MessagesPerSecond: 10, BusiestNodeMessagesPerSecond: 0.1, WrongViewFraction: 0.2}}
	unsorted := syntheticStorm()
	unsorted[3], unsorted[400] = unsorted[400], unsorted[3]
	offMarkers := []Marker{
		{Time: -50, Label: "before"},
		{Time: 1e9, Label: "far after"},
		{Time: math.NaN(), Label: "nan"},
		{Time: math.Inf(1)},
		{Time: 300},
	}
	cases := map[string][]metrics.Sample{
		"all zero":  zero,
		"storm":     withDrops,
		"single":    single,
		"unsorted":  unsorted,
		"negatives": {{Time: 0, BytesPerSecond: -5, QueueDropsPerSecond: -1}, {Time: 1, BytesPerSecond: 5}},
	}
	for cname, samples := range cases {
		for name, fig := range figures {
			path := filepath.Join(t.TempDir(), "fig.png")
			if err := fig(path, samples, offMarkers, Options{}); err != nil {
				t.Errorf("%s/%s: %v", cname, name, err)
				continue
			}
			w, h, _ := Options{}.PanelsPixelSize(panelsOf(name, samples))
			checkPNG(t, path, w, h)
		}
	}
}

func TestMarkerName(t *testing.T) {
	sr, err := prepare(syntheticStorm())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		m    Marker
		want string
	}{
		{Marker{120, "trigger"}, "trigger at t = 120 s"},
		{Marker{123.456, "x"}, "x at t = 123.5 s"},
		{Marker{0.5, ""}, "marker at t = 0.5 s"},
		{Marker{-0.5, ""}, "marker at t = -0.5 s (off chart)"},
		{Marker{700, "late"}, "late at t = 700 s (off chart)"},
		{Marker{math.NaN(), "n"}, "n at t = NaN s (off chart)"},
	} {
		if got := markerName(c.m, sr); got != c.want {
			t.Errorf("markerName(%v) = %q, want %q", c.m, got, c.want)
		}
	}
}

func TestTicks(t *testing.T) {
	for _, c := range []struct {
		span float64
		n    int
		want float64
	}{{600, 10, 100}, {1, 5, 0.2}, {10.5, 5, 2.5}, {1e6, 5, 2e5}} {
		if got := niceStep(c.span, c.n); math.Abs(got-c.want) > 1e-12*c.want {
			t.Errorf("niceStep(%g, %d) = %g, want %g", c.span, c.n, got, c.want)
		}
	}
	ticks := linearTicker(5, false, true).Ticks(0, 50000)
	var labels []string
	for _, tk := range ticks {
		labels = append(labels, tk.Label)
	}
	if got := strings.Join(labels, ","); got != "0,10k,20k,30k,40k,50k" {
		t.Errorf("labels = %s", got)
	}
	labels = nil
	for _, tk := range logTicker(false).Ticks(0, 5) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, ","); got != "1,10,100,1000,10k,100k" {
		t.Errorf("log labels = %s", got)
	}
}

// TestPreview writes the figures for the synthetic storm into the directory
// named by GOSSIPSIM_PLOTS_PREVIEW, for looking at by eye.
func TestPreview(t *testing.T) {
	dir := os.Getenv("GOSSIPSIM_PLOTS_PREVIEW")
	if dir == "" {
		t.Skip("set GOSSIPSIM_PLOTS_PREVIEW=dir to write preview PNGs")
	}
	paths, err := WriteFiles(dir, syntheticStorm(), stormMarkers, Options{Title: "S3-style gossip, 1000 nodes, seed 1 (synthetic)"})
	if err != nil {
		t.Fatal(err)
	}
	zero := make([]metrics.Sample, 60)
	for i := range zero {
		zero[i].Time = float64(i)
	}
	if err := GossipVolume(filepath.Join(dir, "zero_volume.png"), zero, []Marker{{Time: 30, Label: "trigger"}, {Time: 90, Label: "off"}}, Options{Title: "all zero"}); err != nil {
		t.Fatal(err)
	}
	if err := WrongView(filepath.Join(dir, "zero_wrong.png"), zero, nil, Options{Title: "all zero", WidthInches: 6, HeightInches: 4, DPI: 100}); err != nil {
		t.Fatal(err)
	}
	t.Log(paths)
}
