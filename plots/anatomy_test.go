package plots

import (
	"errors"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"

	"github.com/gossipsim/gossipsim/models/metrics"
)

// syntheticAnatomy is a fleet of n nodes sampled every second for 600 s
// whose nodes saturate one after another, node i at 100 + spread i / n
// seconds (so in the order of their ids; those later than 600 s never),
// busy at 30% before; false declarations rise with the saturated share,
// and a node is declared down every 10 s from 50 s (true declarations).
func syntheticAnatomy(n int, spread float64) *metrics.Anatomy {
	r := metrics.NewAnatomyRecorder(n)
	var decl, fals int64
	for k := 1; k <= 600; k++ {
		t := float64(k)
		sat := 0
		for i := range n {
			u := 0.3 + 0.05*math.Sin(float64(i)*0.7+t*0.3)
			if t >= 100+spread*float64(i)/float64(n) {
				u, sat = 1, sat+1
			}
			r.Node(i, u)
		}
		f := int64(sat * sat / n)
		fals += f
		decl += f
		if k >= 50 && k%10 == 0 {
			decl++
		}
		r.EndSample(t, decl, fals)
	}
	return r.Anatomy()
}

// TestUtilizationRaster: a 10,000-node matrix is drawn into as many
// pixel rows as the data area has, each the mean of the nodes it covers,
// nodes in saturation order from the bottom.
func TestUtilizationRaster(t *testing.T) {
	a := syntheticAnatomy(10_000, 300)
	p := plot.New()
	p.X.Min, p.X.Max = 0, 600
	const w, h = 300, 200
	img := (&utilizationRaster{a: a, order: a.SaturationOrder()}).image(w, h, p)
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("raster %v, want %d×%d", b, w, h)
	}
	yellow := viridis(1)
	at := func(sec, rank float64) color.Color { // pixel at time sec and node rank (share of the fleet)
		return img.At(int(sec/600*w), h-1-int(rank*h))
	}
	for _, c := range []struct {
		sec, rank float64
		saturated bool
	}{
		{50, 0.1, false}, {250, 0.25, true}, {250, 0.75, false}, {590, 0.99, true}, {120, 0.01, true},
	} {
		got := at(c.sec, c.rank)
		if (got == yellow) != c.saturated {
			t.Errorf("t = %g s, rank %g: colour %v, saturated %v; want saturated %v", c.sec, c.rank, got, got == yellow, c.saturated)
		}
	}
}

// TestAnatomyFigures: both figures are written, a storm's and a fleet's
// where nothing saturated; an anatomy without samples is refused.
func TestAnatomyFigures(t *testing.T) {
	dir := t.TempDir()
	markers := []Marker{{Time: 90, Label: "trigger"}, {Time: 100, Label: "first node saturated"}, {Time: 200, Label: "storm begins"}}
	paths, err := WriteAnatomyFiles(dir, syntheticAnatomy(2000, 300), markers, Options{Title: "synthetic"})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"saturation.png", "declarations.png"} {
		if i >= len(paths) || filepath.Base(paths[i]) != want {
			t.Fatalf("wrote %v, want saturation.png and declarations.png", paths)
		}
		if st, err := os.Stat(paths[i]); err != nil || st.Size() < 10_000 {
			t.Errorf("%s: %v (%v)", want, err, st)
		}
	}
	quiet := metrics.NewAnatomyRecorder(3)
	for k := range 5 {
		for i := range 3 {
			quiet.Node(i, 0.2)
		}
		quiet.EndSample(float64(k+1), 0, 0)
	}
	if err := Saturation(filepath.Join(dir, "quiet.png"), quiet.Anatomy(), nil, Options{}); err != nil {
		t.Errorf("a fleet that never saturated: %v", err)
	}
	if err := Declarations(filepath.Join(dir, "none.png"), metrics.NewAnatomyRecorder(3).Anatomy(), nil, Options{}); !errors.Is(err, ErrNoSamples) {
		t.Errorf("no samples: %v, want ErrNoSamples", err)
	}
}

// TestAnatomyPreview writes saturation.png and declarations.png of a
// 10,000-node synthetic storm into GOSSIPSIM_PLOTS_PREVIEW.
func TestAnatomyPreview(t *testing.T) {
	dir := os.Getenv("GOSSIPSIM_PLOTS_PREVIEW")
	if dir == "" {
		t.Skip("set GOSSIPSIM_PLOTS_PREVIEW=dir to write preview PNGs")
	}
	markers := []Marker{{Time: 90, Label: "trigger"}, {Time: 100, Label: "first node saturated"}, {Time: 200, Label: "storm begins"}}
	if _, err := WriteAnatomyFiles(dir, syntheticAnatomy(10_000, 600), markers, Options{Title: "10,000 nodes (synthetic; a sixth never saturate)"}); err != nil {
		t.Fatal(err)
	}
}
