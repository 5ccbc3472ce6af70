package plots

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/color"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// File formats of the figures, for Options.Format.
const (
	// PNG is a raster image at Options.DPI, with the provenance in a tEXt
	// chunk (see PNGText).
	PNG = "png"
	// SVG is a vector image (gonum's vgsvg); the provenance is in a
	// <metadata id="gossipsim"> element, the first child of the root
	// element (see SVGMetadata). Text refers to the font by name
	// ("Liberation Sans", falling back to the metrically compatible Arial
	// and Helvetica) rather than embedding it, which keeps files small;
	// each text also states its width (textLength), so that a viewer
	// with none of these fonts fits its substitute to the layout.
	SVG = "svg"
	// PDF is a vector document (gonum's vgpdf) with the font embedded
	// (the regular face only: vgpdf cannot embed two; the title is drawn
	// in a heavier stroke instead of bold). vgpdf offers no hook for
	// document metadata, so a PDF carries no provenance. Its creation and modification dates are fixed at
	// 1970-01-01 00:00:00 UTC (PDFDate), so that the same input gives the
	// same bytes; they do not say when the file was written. Text is
	// drawn in the Windows-1252 code page of vgpdf's fonts; the few
	// characters outside it that the figures use are spelt out (≤ as <=).
	PDF = "pdf"
)

// Formats lists the values Options.Format accepts ("" means PNG).
var Formats = []string{PNG, SVG, PDF}

// Limits of Options.DPI (0 means the default, 150).
const (
	MinDPI = 50
	MaxDPI = 1200
)

// PDFDate is the creation and modification date written into every PDF.
var PDFDate = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// format returns the file format opt asks for.
func (opt Options) format() string {
	if opt.Format == "" {
		return PNG
	}
	return opt.Format
}

// Check reports whether the format and resolution of opt are valid:
// Format "" or one of Formats, DPI 0 or within [MinDPI, MaxDPI].
func (opt Options) Check() error {
	if !slices.Contains(Formats, opt.format()) {
		return fmt.Errorf("figure format %q is not one of %s", opt.Format, strings.Join(Formats, ", "))
	}
	if opt.DPI != 0 && (opt.DPI < MinDPI || opt.DPI > MaxDPI) {
		return fmt.Errorf("figure resolution %d dpi is outside [%d, %d]", opt.DPI, MinDPI, MaxDPI)
	}
	return nil
}

// Ext returns the file name extension of the format opt asks for, with
// its dot: ".png", ".svg" or ".pdf".
func (opt Options) Ext() string { return "." + opt.format() }

// FileName returns the name of the figure file with the given stem in the
// format opt asks for: FileName("wrong_view") is "wrong_view.svg" for SVG.
func (opt Options) FileName(stem string) string { return stem + opt.Ext() }

// checkPath refuses a path whose extension names another figure format
// than opt's (e.g. "fig.png" with Format "svg"); other extensions, or
// none, are the caller's choice.
func (opt Options) checkPath(path string) error {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	if slices.Contains(Formats, ext) && ext != opt.format() {
		return fmt.Errorf("the file name ends in .%s but the figure format is %s", ext, opt.format())
	}
	return nil
}

// canvas is a vg canvas that can be written out as a file.
type canvas interface {
	vg.CanvasSizer
	encode() ([]byte, error)
}

// newCanvas returns a canvas of size w x h for opt's format.
func newCanvas(opt Options, w, h vg.Length, dpi int) (canvas, error) {
	switch opt.format() {
	case PNG:
		return pngCanvas{vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi)), opt.Provenance}, nil
	case SVG:
		return &svgCanvas{Canvas: vgsvg.NewWith(vgsvg.UseWH(w, h)), provenance: opt.Provenance}, nil
	case PDF:
		pdfDefaults()
		return pdfCanvas{vgpdf.New(w, h)}, nil
	}
	return nil, opt.Check()
}

type pngCanvas struct {
	*vgimg.Canvas
	provenance string
}

func (c pngCanvas) encode() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c.Canvas}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encoding PNG: %w", err)
	}
	if c.provenance != "" {
		return withTextChunk(buf.Bytes(), "gossipsim", c.provenance)
	}
	return buf.Bytes(), nil
}

type svgCanvas struct {
	*vgsvg.Canvas
	provenance string
	// widths are the widths of the texts drawn, in order.
	widths []vg.Length
}

// FillString draws str and notes its width, which encode gives the
// <text> element, so that a viewer that lacks the font squeezes or
// stretches its substitute to the width the figure was laid out for.
func (c *svgCanvas) FillString(f font.Face, pt vg.Point, str string) {
	c.widths = append(c.widths, f.Width(str))
	c.Canvas.FillString(f, pt, str)
}

// svgFontFamily is how vgsvg names the figures' font, and svgFontFallback
// what it is replaced by: the same font, then fonts with the same metrics,
// so that text keeps the width it was laid out for.
const (
	svgFontFamily   = "font-family:Liberation Sans;"
	svgFontFallback = "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"
)

func (c *svgCanvas) encode() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := c.Canvas.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encoding SVG: %w", err)
	}
	out := bytes.ReplaceAll(buf.Bytes(), []byte(svgFontFamily), []byte(svgFontFallback))
	out, err := withTextLengths(out, c.widths)
	if err != nil {
		return nil, err
	}
	if c.provenance == "" {
		return out, nil
	}
	return withSVGMetadata(out, c.provenance)
}

// withTextLengths gives the i-th <text> element of svg the width
// widths[i], as textLength with lengthAdjust="spacingAndGlyphs".
func withTextLengths(svg []byte, widths []vg.Length) ([]byte, error) {
	tag := []byte("<text ")
	if n := bytes.Count(svg, tag); n != len(widths) {
		return nil, fmt.Errorf("encoding SVG: %d text elements for %d texts drawn", n, len(widths))
	}
	var out bytes.Buffer
	out.Grow(len(svg) + 48*len(widths))
	for _, w := range widths {
		i := bytes.Index(svg, tag) + len(tag)
		out.Write(svg[:i])
		fmt.Fprintf(&out, `textLength="%.4g" lengthAdjust="spacingAndGlyphs" `, w.Points())
		svg = svg[i:]
	}
	out.Write(svg)
	return out.Bytes(), nil
}

// xmlText escapes the characters that XML text cannot hold as they are.
var xmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// withSVGMetadata returns the SVG document svg with a <metadata
// id="gossipsim"> element holding text (escaped) right after the root
// element's start tag.
func withSVGMetadata(svg []byte, text string) ([]byte, error) {
	start := bytes.Index(svg, []byte("<svg"))
	if start < 0 {
		return nil, errors.New("SVG metadata: no <svg> element")
	}
	end := bytes.IndexByte(svg[start:], '>')
	if end < 0 {
		return nil, errors.New("SVG metadata: unterminated <svg> element")
	}
	end += start + 1
	var el bytes.Buffer
	el.WriteString("\n<metadata id=\"gossipsim\">")
	xmlText.WriteString(&el, text)
	el.WriteString("</metadata>")
	out := make([]byte, 0, len(svg)+el.Len())
	out = append(out, svg[:end]...)
	out = append(out, el.Bytes()...)
	return append(out, svg[end:]...), nil
}

// SVGMetadata returns the text of the <metadata id="gossipsim"> element of
// an SVG written by this package ("" if there is none), after checking
// that the document is well-formed XML with an <svg> root element.
func SVGMetadata(svg []byte) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	depth, inMeta, found := 0, false, false
	var meta strings.Builder
	root := ""
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return "", fmt.Errorf("SVG: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				root = t.Name.Local
			}
			if depth == 1 && t.Name.Local == "metadata" {
				for _, a := range t.Attr {
					if a.Name.Local == "id" && a.Value == "gossipsim" {
						inMeta, found = true, true
					}
				}
			}
			depth++
		case xml.EndElement:
			depth--
			inMeta = inMeta && depth > 1
		case xml.CharData:
			if inMeta {
				meta.Write(t)
			}
		}
	}
	if root != "svg" {
		return "", fmt.Errorf("SVG: root element is %q, not svg", root)
	}
	if !found {
		return "", nil
	}
	return meta.String(), nil
}

var setPDFDefaults sync.Once

// pdfDefaults makes fpdf, which vgpdf writes with, deterministic: fixed
// dates instead of the time of writing, and resources (fonts) in sorted
// order instead of map order. These are fpdf's package-wide defaults for
// new documents; no other code in this program writes PDFs.
func pdfDefaults() {
	setPDFDefaults.Do(func() {
		fpdf.SetDefaultCreationDate(PDFDate)
		fpdf.SetDefaultModificationDate(PDFDate)
		fpdf.SetDefaultCatalogSort(true)
	})
}

type pdfCanvas struct {
	*vgpdf.Canvas
}

// straightAlpha is a colour whose RGBA method, against the contract of
// color.Color, returns components not premultiplied by alpha: what vgpdf
// hands on to fpdf, which expects them so. vgpdf passes premultiplied
// components, which darkens translucent fills to grey.
type straightAlpha struct{ r, g, b, a uint32 }

func (c straightAlpha) RGBA() (r, g, b, a uint32) { return c.r, c.g, c.b, c.a }

// SetColor sets a translucent colour with straight components.
func (c pdfCanvas) SetColor(clr color.Color) {
	if clr != nil {
		if r, g, b, a := clr.RGBA(); a > 0 && a < 0xFFFF {
			clr = straightAlpha{r * 0xFFFF / a, g * 0xFFFF / a, b * 0xFFFF / a, a}
		}
	}
	c.Canvas.SetColor(clr)
}

func (c pdfCanvas) encode() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := c.Canvas.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encoding PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// FillString draws str in the Windows-1252 encoding of vgpdf's fonts.
//
// vgpdf can embed only one font per document: it hands fpdf every font as
// a file of the same name, so the last font drawn replaces the others (and
// it cannot find a bold font at all). So a PDF uses the regular face only,
// and bold text (the title, which is centred) is drawn in it twice, 0.3 pt
// apart, which reads as bold, centred where the bold text would be.
func (c pdfCanvas) FillString(f font.Face, pt vg.Point, str string) {
	enc := toCP1252(str)
	if f.Font.Weight == xfont.WeightBold {
		reg := font.DefaultCache.Lookup(font.Font{Typeface: f.Font.Typeface, Variant: f.Font.Variant, Style: f.Font.Style}, f.Font.Size)
		pt.X += (f.Width(str) - reg.Width(str)) / 2
		c.Canvas.FillString(reg, pt, enc)
		c.Canvas.FillString(reg, vg.Point{X: pt.X + vg.Points(0.3), Y: pt.Y}, enc)
		return
	}
	c.Canvas.FillString(f, pt, enc)
}

// cp1252Extra maps the characters of Windows-1252 in 0x80-0x9F.
var cp1252Extra = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E, '‘': 0x91,
	'’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98,
	'™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// cp1252Spelt spells out characters that Windows-1252 lacks.
var cp1252Spelt = map[rune]string{
	'≤': "<=", '≥': ">=", '→': "->", '←': "<-", '−': "-", '≈': "~", '≠': "!=",
}

// toCP1252 converts UTF-8 text to Windows-1252 bytes (as a Go string),
// spelling out the characters in cp1252Spelt and replacing any other
// character outside the code page with "?".
func toCP1252(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			b.WriteByte(byte(r))
		case cp1252Extra[r] != 0:
			b.WriteByte(cp1252Extra[r])
		case cp1252Spelt[r] != "":
			b.WriteString(cp1252Spelt[r])
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
