package plots

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestSpreadFigures draws infection curves (more values than are named,
// rises within a small part of the run: two panels) and a spread tree of
// a thousand holders, and checks that both are PNGs of the expected size;
// an empty tree still draws.
func TestSpreadFigures(t *testing.T) {
	dir := t.TempDir()
	var values []Infection
	for v := range 12 {
		var xs, ys []float64
		for k := range 200 {
			xs = append(xs, 10+float64(v)+float64(k)*0.02)
			ys = append(ys, float64(k+1)/200)
		}
		values = append(values, Infection{Label: "value", Reach: 100 + v, Times: xs, Shares: ys})
	}
	var tr Tree
	tr.Title, tr.Root = "spread of value 0", TreePoint{Time: 10}
	for k := range 1000 {
		g := 1 + k%9
		tr.Edges = append(tr.Edges, TreeEdge{From: TreePoint{Time: 10 + float64(k)*0.001, Generation: g - 1}, To: TreePoint{Time: 10.5 + float64(k)*0.002, Generation: g}})
	}
	cases := []struct {
		name   string
		draw   func(string) error
		panels int
	}{
		{"infection", func(p string) error {
			return InfectionCurves(p, values, 600, &Marker{Time: 9, Label: "trigger"}, Options{})
		}, 0},
		{"tree", func(p string) error { return SpreadTree(p, tr, Options{}) }, 1},
		{"empty tree", func(p string) error { return SpreadTree(p, Tree{Title: "nothing"}, Options{}) }, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name+".png")
			if err := tc.draw(p); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			w, h, _ := Options{}.PanelsPixelSize(1)
			if tc.panels == 0 { // two panels, 1.5 in taller
				h += int(1.5 * DefaultDPI)
			}
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Errorf("%dx%d pixels, want %dx%d", b.Dx(), b.Dy(), w, h)
			}
		})
	}
}
