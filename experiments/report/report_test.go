package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/gossipsim/gossipsim/experiments"
)

// A quick s3-2008 report: report.md and report.html exist, the HTML parses,
// every image it names exists beside it and decodes as PNG, the tables and
// the reproduce command are there, and the text says what is calibrated.
func TestReportQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("a whole quick report takes about 5 s")
	}
	dir := filepath.Join(t.TempDir(), "report")
	e, _ := experiments.LookupExperiment("s3-2008")
	files, err := Write(context.Background(), dir, Options{
		Sweep: e.Sweep(), Quick: true, Workers: 2, Command: "gossipsim report --quick --out " + dir,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 || filepath.Base(files[len(files)-1]) != "report.html" {
		t.Fatalf("files %v do not end with the report", files)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("report.html does not parse: %v", err)
	}
	var images []string
	tables := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "img":
				for _, a := range n.Attr {
					if a.Key == "src" {
						images = append(images, a.Val)
					}
				}
			case "table":
				tables++
			case "link", "script":
				t.Errorf("report.html loads an external asset: <%s>", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if len(images) < 4 {
		t.Errorf("report.html shows %d images, want the two replay figures and the mitigation figures", len(images))
	}
	for _, src := range images {
		if strings.Contains(src, "://") || filepath.IsAbs(src) {
			t.Errorf("image %q is not beside the report", src)
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(src)))
		if err != nil {
			t.Errorf("image %q: %v", src, err)
			continue
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("image %q does not decode as PNG: %v", src, err)
		}
	}
	if tables < 3 {
		t.Errorf("report.html has %d tables, want replay, mitigations and validation", tables)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"gossipsim report --quick --out", "Calibrated to the published timeline", "model's own behaviour", "10:32", "recovery time", "Validation against the literature", "quick"} {
		if !bytes.Contains(md, []byte(want)) || !bytes.Contains(page, []byte(html.EscapeString(want))) {
			t.Errorf("the report does not say %q", want)
		}
	}
}
