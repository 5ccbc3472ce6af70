package plots

import (
	"testing"

	"gonum.org/v1/plot/vg"
)

// TestWrapTextKeepsLineBreaks: a label's own line breaks stay, and each of
// its lines is wrapped at spaces to the width.
func TestWrapTextKeepsLineBreaks(t *testing.T) {
	sty := textStyle(9, colBlack)
	wide := vg.Length(1000)
	if got := wrapText(sty, "500\n1e-4\nsuspect", wide); got != "500\n1e-4\nsuspect" {
		t.Errorf("line breaks lost: %q", got)
	}
	narrow := sty.Width("corrupt-prob=0") * 1.1
	if got, want := wrapText(sty, "nodes=500 corrupt-prob=0\nphi", narrow), "nodes=500\ncorrupt-prob=0\nphi"; got != want {
		t.Errorf("wrapped %q, want %q", got, want)
	}
}
