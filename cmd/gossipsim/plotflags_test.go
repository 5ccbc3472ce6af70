package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/plots"
)

// A bad --dpi or --plot-format is bad input on every command that draws:
// exit 2, one line naming the flag, the value and what is allowed, nothing
// written.
func TestPlotFlagsBadInput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"run dpi low", append([]string{"run", "--dpi", "20", "--out", out}, fast...), []string{"dpi", "20", "[50, 1200]"}},
		{"run dpi high", append([]string{"run", "--dpi", "5000", "--out", out}, fast...), []string{"dpi", "5000", "[50, 1200]"}},
		{"run dpi not a number", append([]string{"run", "--dpi", "high", "--out", out}, fast...), []string{"dpi", "high"}},
		{"run format", append([]string{"run", "--plot-format", "jpg", "--out", out}, fast...), []string{"plot-format", `"jpg"`, "png, svg, pdf"}},
		{"sweep dpi", []string{"sweep", "--grid", "fanout=1,2", "--dpi", "0", "--out", out}, []string{"dpi", "0", "[50, 1200]"}},
		{"sweep format", []string{"sweep", "--grid", "fanout=1,2", "--plot-format", "PNG", "--out", out}, []string{"plot-format", `"PNG"`}},
		{"plot dpi", []string{"plot", root, "--dpi", "49"}, []string{"dpi", "49", "[50, 1200]"}},
		{"plot format", []string{"plot", "--plot-format", "eps", root}, []string{"plot-format", `"eps"`}},
		{"validate dpi", []string{"validate", "--quick", "--dpi", "1201", "--out", out}, []string{"dpi", "1201", "[50, 1200]"}},
		{"validate format", []string{"validate", "--quick", "--plot-format", "tiff", "--out", out}, []string{"plot-format", `"tiff"`}},
		{"merge format", []string{"merge", root, "--plot-format", "gif", "--out", out}, []string{"plot-format", `"gif"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCLI(c.args...)
			checkBadInput(t, code, stderr, c.want)
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("--out was created for bad input")
			}
		})
	}
}

// gossipsim run --plot-format svg writes SVGs and lists them; gossipsim
// plot redraws the run as PDF; the same command gives the same bytes.
func TestPlotFormats(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "svg")
	code, stdout, stderr := runCLI(append([]string{"run", "--plot-format", "svg", "--out", dir}, fast...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"gossip_volume.svg", "wrong_view.svg"} {
		p := filepath.Join(dir, name)
		if !strings.Contains(stdout, p) {
			t.Errorf("wrote line does not list %s:\n%s", p, stdout)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if meta, err := plots.SVGMetadata(b); err != nil || !strings.Contains(meta, "scenario_sha256") {
			t.Errorf("%s: metadata %q (%v), want the provenance", name, meta, err)
		}
	}
	if strings.Contains(stdout, ".png") {
		t.Errorf("an SVG run lists PNGs:\n%s", stdout)
	}

	code, stdout, stderr = runCLI("plot", dir, "--plot-format", "pdf")
	if code != 0 {
		t.Fatalf("plot --plot-format pdf: exit %d: %s", code, stderr)
	}
	for _, name := range []string{"gossip_volume.pdf", "wrong_view.pdf"} {
		p := filepath.Join(dir, name)
		if !strings.Contains(stdout, "wrote "+p) {
			t.Errorf("plot does not list %s:\n%s", p, stdout)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(b), []byte("%%EOF")) {
			t.Errorf("%s is not a PDF", name)
		}
	}

	// --dpi sets the PNG's pixel size; the same flags give the same bytes.
	for _, d := range []string{"a", "b"} {
		if code, _, stderr := runCLI(append([]string{"run", "--dpi", "100", "--out", filepath.Join(root, d)}, fast...)...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	for _, name := range []string{"gossip_volume.png", "wrong_view.png"} {
		a, _ := os.ReadFile(filepath.Join(root, "a", name))
		b, _ := os.ReadFile(filepath.Join(root, "b", name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same flags", name)
		}
		img, err := png.Decode(bytes.NewReader(a))
		if err != nil {
			t.Fatal(err)
		}
		if w := img.Bounds().Dx(); w != 650 {
			t.Errorf("%s at 100 dpi is %d pixels wide, want 650 (6.5 in)", name, w)
		}
	}
}
