package plots

import (
	"bytes"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/internal/testfs"

	"github.com/gossipsim/gossipsim/models/mitigation"
)

// allFigures writes every kind of figure to path.
var allFigures = map[string]func(path string, opt Options) error{
	"GossipVolume": func(path string, opt Options) error { return GossipVolume(path, syntheticStorm(), stormMarkers, opt) },
	"WrongView":    func(path string, opt Options) error { return WrongView(path, syntheticStorm(), stormMarkers, opt) },
	"CompareRuns":  func(path string, opt Options) error { return CompareRuns(path, mitigationRuns(), opt) },
	"Timeline": func(path string, opt Options) error {
		return Timeline(path, []Run{dayRun("none", 20, 0, 0, 0), dayRun("a-2008", 20, 6, 4, 6.55)}, milestones2008, origin2008, opt)
	},
	"MetricVsParam": sweepFigures["MetricVsParam"],
	"HeatMap":       sweepFigures["HeatMap"],
	"Box":           sweepFigures["Box"],
}

// checkFile checks that data is a well-formed file of the format, carrying
// the provenance where the format can.
func checkFile(t *testing.T, name, format string, data []byte, provenance string) {
	t.Helper()
	switch format {
	case PNG:
		if _, err := png.Decode(bytes.NewReader(data)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if txt, err := PNGText(data); err != nil || txt["gossipsim"] != provenance {
			t.Errorf("%s: PNG text %v (%v), want the provenance", name, txt, err)
		}
	case SVG:
		meta, err := SVGMetadata(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if meta != provenance {
			t.Errorf("%s: SVG metadata %q, want %q", name, meta, provenance)
		}
		if !bytes.Contains(data, []byte(svgFontFallback)) || bytes.Contains(data, []byte(svgFontFamily)) {
			t.Errorf("%s: SVG text does not fall back to Arial", name)
		}
	case PDF:
		if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimRight(data, "\r\n"), []byte("%%EOF")) {
			t.Fatalf("%s: not a PDF: %q ... %q", name, data[:min(len(data), 16)], data[max(0, len(data)-16):])
		}
		if !bytes.Contains(data, []byte("/CreationDate (D:19700101000000)")) {
			t.Errorf("%s: PDF creation date is not the fixed one", name)
		}
	}
}

// Every figure in every format decodes, carries its provenance (PNG, SVG)
// and comes out byte for byte the same from the same input.
func TestFormatsDecodeAndAreDeterministic(t *testing.T) {
	const prov = `{"gossipsim_version":"test","seed":7,"note":"<&>"}`
	for name, fig := range allFigures {
		for _, format := range Formats {
			opt := Options{Title: name + " in " + format + " — ≤ 5%, µs", Format: format, Provenance: prov}
			dir := t.TempDir()
			a, b := filepath.Join(dir, opt.FileName("a")), filepath.Join(dir, opt.FileName("b"))
			if err := fig(a, opt); err != nil {
				t.Fatalf("%s %s: %v", name, format, err)
			}
			if err := fig(b, opt); err != nil {
				t.Fatalf("%s %s: %v", name, format, err)
			}
			da, _ := os.ReadFile(a)
			db, _ := os.ReadFile(b)
			checkFile(t, name+" "+format, format, da, prov)
			if !bytes.Equal(da, db) {
				t.Errorf("%s %s: the same input gave different bytes", name, format)
			}
		}
	}
}

func TestFormatOptions(t *testing.T) {
	if got := (Options{}).FileName("wrong_view"); got != "wrong_view.png" {
		t.Errorf("default FileName = %q", got)
	}
	if got := (Options{Format: PDF}).FileName("x"); got != "x.pdf" {
		t.Errorf("PDF FileName = %q", got)
	}
	paths, err := WriteFiles(t.TempDir(), syntheticStorm(), nil, Options{Format: SVG})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(paths[0]) != "gossip_volume.svg" || filepath.Base(paths[1]) != "wrong_view.svg" {
		t.Errorf("WriteFiles in SVG wrote %v", paths)
	}
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{Format: "jpg"}, `figure format "jpg" is not one of png, svg, pdf`},
		{Options{DPI: 49}, "49 dpi is outside [50, 1200]"},
		{Options{DPI: 1201}, "1201 dpi is outside [50, 1200]"},
	} {
		if err := c.opt.Check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Check(%+v) = %v, want %q", c.opt, err, c.want)
		}
	}
	for _, ok := range []Options{{}, {Format: SVG, DPI: 50}, {Format: PDF, DPI: 1200}} {
		if err := ok.Check(); err != nil {
			t.Errorf("Check(%+v) = %v", ok, err)
		}
	}

	// A path naming another format is refused, and nothing is written.
	dir := t.TempDir()
	err = GossipVolume(filepath.Join(dir, "g.png"), syntheticStorm(), nil, Options{Format: SVG})
	if err == nil || !strings.Contains(err.Error(), "ends in .png but the figure format is svg") {
		t.Errorf("SVG into g.png: %v", err)
	}
	if err := Box(filepath.Join(dir, "b.pdf"), mitigationGroups(), SweepOptions{Options: Options{Format: "gif"}}); err == nil {
		t.Error("format gif accepted")
	}
	if got := testfs.Names(t, dir); len(got) != 0 {
		t.Errorf("left %v behind", got)
	}
}

func TestToCP1252(t *testing.T) {
	for in, want := range map[string]string{
		"plain":         "plain",
		"x ≤ 0 → done":  "x <= 0 -> done",
		"5 µs × 2 – ok": "5 \xb5s \xd7 2 \x96 ok",
		"日本":            "??",
	} {
		if got := toCP1252(in); got != want {
			t.Errorf("toCP1252(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMitigationColours checks that every figure takes a preset's colour
// from the registry (models/mitigation), that the registry's colours are
// distinct Okabe-Ito colours of this package's palette other than yellow,
// and that each preset keeps the colour it had before the registry, so
// figures stay byte-identical.
func TestMitigationColours(t *testing.T) {
	was := map[string]color.RGBA{
		"none": colBlack, "a-2008": colVermillion, "a-fast": colOrange,
		"b": colSky, "c": colPurple, "d": colGreen, "all": colBlue,
	}
	seen := map[color.RGBA]string{}
	for _, p := range mitigation.Presets() {
		c := MitigationColour(p.Name)
		if c != p.Colour {
			t.Errorf("%s: MitigationColour = %v, registry %v", p.Name, c, p.Colour)
		}
		if !slices.Contains(lineColours, p.Colour) || p.Colour == colYellow {
			t.Errorf("%s: %v is not an Okabe-Ito colour of the palette other than yellow", p.Name, p.Colour)
		}
		if w, ok := was[p.Name]; ok && w != p.Colour {
			t.Errorf("%s: colour %v, was %v (figures would change)", p.Name, p.Colour, w)
		}
		if prev, ok := seen[p.Colour]; ok {
			t.Errorf("%s and %s share a colour", prev, p.Name)
		}
		seen[p.Colour] = p.Name
		if got := runColours([]string{"x", p.Name})[1]; got != p.Colour {
			t.Errorf("%s: a run labelled with it is drawn in %v, want %v", p.Name, got, p.Colour)
		}
	}
	if MitigationColour("e") != nil {
		t.Error("an unknown mitigation has a colour")
	}
}
