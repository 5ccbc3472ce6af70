package plots

import (
	"bytes"
	"image/png"
	"testing"
)

// A figure drawn with Provenance carries it as a tEXt chunk, and still
// decodes as the same image.
func TestProvenanceTextChunk(t *testing.T) {
	draw := func(opt Options) ([]byte, error) {
		panels, err := gossipVolumePanels(syntheticStorm(), nil)
		if err != nil {
			return nil, err
		}
		return render("t", panels, opt)
	}
	plain, err := draw(Options{})
	if err != nil {
		t.Fatal(err)
	}
	tagged, err := draw(Options{Provenance: `{"seed":7}`})
	if err != nil {
		t.Fatal(err)
	}
	txt, err := PNGText(tagged)
	if err != nil || txt["gossipsim"] != `{"seed":7}` {
		t.Fatalf("text chunks %v, %v; want gossipsim={\"seed\":7}", txt, err)
	}
	a, err1 := png.Decode(bytes.NewReader(plain))
	b, err2 := png.Decode(bytes.NewReader(tagged))
	if err1 != nil || err2 != nil {
		t.Fatalf("decode: %v, %v", err1, err2)
	}
	if a.Bounds() != b.Bounds() {
		t.Fatalf("bounds %v vs %v", a.Bounds(), b.Bounds())
	}
	if _, err := withTextChunk([]byte("nope"), "k", "v"); err == nil {
		t.Error("a non-PNG was accepted")
	}
}
