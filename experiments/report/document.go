package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"regexp"
	"strings"
)

// document is a report as blocks of light Markdown, read from the source
// that report.md.tmpl writes (see parseDocument). report.md and
// report.html are both rendered from it.
type document struct {
	title  string
	blocks []block
}

// block is one piece of the document.
type block struct {
	kind string // "h2", "p", "pre", "table", "figure"
	text string
	// tableCaption marks a "p" that captions the table after it.
	tableCaption bool
	header       []string
	rows         [][]string
	image        string // path relative to the report directory
	caption      string
}

var (
	// figureLine is a figure in the source: ![caption](image), with an
	// optional label {#fig:name} that the prose refers to as @fig:name.
	figureLine = regexp.MustCompile(`^!\[(.*)\]\(([^()\s]+)\)(?:\{#(fig:[\w-]+)\})?$`)
	// figureRef is a reference to a labelled figure in a paragraph or a
	// caption.
	figureRef = regexp.MustCompile(`@fig:[\w-]+`)
)

// tableCaption starts a paragraph that captions the table after it.
const tableCaption = "Table: "

// parseDocument reads the source of a report: a "# " title, then blocks
// separated by blank lines: "## " headings, paragraphs (their lines joined
// by spaces), ``` fenced blocks, tables ("| a | b |" rows, the second a
// "|---|" rule, "\|" for a | in a cell) and figures (one line,
// ![caption](image){#fig:label}). It numbers the figures and the table
// captions ("Table: ..." paragraphs) in the order they appear and replaces
// each @fig:label with "Figure N".
func parseDocument(src string) (*document, error) {
	d := &document{}
	lines := strings.Split(src, "\n")
	var para []string
	captionPara := false
	flush := func() {
		if len(para) > 0 {
			d.blocks = append(d.blocks, block{kind: "p", text: strings.Join(para, " "), tableCaption: captionPara})
			para = nil
		}
		captionPara = false
	}
	labels := map[string]int{}
	figures, tables := 0, 0
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
		switch {
		case line == "":
			flush()
		case len(para) > 0:
			para = append(para, strings.TrimSpace(line))
		case strings.HasPrefix(line, "# "):
			if d.title != "" || len(d.blocks) > 0 {
				return nil, fmt.Errorf("line %d: the title %q is not the first line", i+1, line)
			}
			d.title = line[2:]
		case strings.HasPrefix(line, "## "):
			d.blocks = append(d.blocks, block{kind: "h2", text: line[3:]})
		case line == "```":
			end := i + 1
			for end < len(lines) && lines[end] != "```" {
				end++
			}
			if end == len(lines) {
				return nil, fmt.Errorf("line %d: ``` is never closed", i+1)
			}
			d.blocks = append(d.blocks, block{kind: "pre", text: strings.Join(lines[i+1:end], "\n")})
			i = end
		case strings.HasPrefix(line, "|"):
			end := i
			for end < len(lines) && strings.HasPrefix(lines[end], "|") {
				end++
			}
			t, err := parseTable(lines[i:end])
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", i+1, err)
			}
			d.blocks = append(d.blocks, t)
			i = end - 1
		case strings.HasPrefix(line, "!["):
			m := figureLine.FindStringSubmatch(line)
			if m == nil {
				return nil, fmt.Errorf("line %d: %q is not a figure, ![caption](image){#fig:label}", i+1, line)
			}
			figures++
			if m[3] != "" {
				if _, dup := labels[m[3]]; dup {
					return nil, fmt.Errorf("line %d: figure label %s is used twice", i+1, m[3])
				}
				labels[m[3]] = figures
			}
			d.blocks = append(d.blocks, block{kind: "figure", image: m[2], caption: fmt.Sprintf("Figure %d. %s", figures, m[1])})
		case strings.HasPrefix(line, tableCaption):
			tables++
			captionPara = true
			para = append(para, fmt.Sprintf("Table %d. %s", tables, strings.TrimPrefix(line, tableCaption)))
		default:
			para = append(para, strings.TrimSpace(line))
		}
	}
	flush()
	var unknown error
	resolve := func(s string) string {
		return figureRef.ReplaceAllStringFunc(s, func(ref string) string {
			n, ok := labels[ref[1:]]
			if !ok {
				unknown = fmt.Errorf("%s: no figure has this label", ref)
				return ref
			}
			return fmt.Sprintf("Figure %d", n)
		})
	}
	for i := range d.blocks {
		switch b := &d.blocks[i]; b.kind {
		case "p":
			b.text = resolve(b.text)
		case "figure":
			b.caption = resolve(b.caption)
		}
	}
	return d, unknown
}

// parseTable reads a table's rows: header, rule, body.
func parseTable(lines []string) (block, error) {
	if len(lines) < 2 {
		return block{}, fmt.Errorf("a table needs a header and a |---| rule")
	}
	header := splitRow(lines[0])
	if rule := splitRow(lines[1]); len(rule) != len(header) || strings.Trim(strings.Join(rule, ""), "-") != "" {
		return block{}, fmt.Errorf("%q is not a |---| rule of %d columns", lines[1], len(header))
	}
	t := block{kind: "table", header: header}
	for _, l := range lines[2:] {
		row := splitRow(l)
		if len(row) != len(header) {
			return block{}, fmt.Errorf("row %q has %d cells, the header %d", l, len(row), len(header))
		}
		t.rows = append(t.rows, row)
	}
	return t, nil
}

// splitRow reads "| a | b \| c |" as ["a", "b | c"].
func splitRow(line string) []string {
	line = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "|"), "|")
	var cells []string
	var cell strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cell.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(line[i])
		}
	}
	return append(cells, strings.TrimSpace(cell.String()))
}

// tableRows writes a Markdown table: header, rule, rows; a | in a cell is
// escaped.
func tableRows(b *bytes.Buffer, header []string, rows [][]string) {
	cell := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
	row := func(cs []string) {
		b.WriteString("|")
		for _, c := range cs {
			b.WriteString(" " + cell(c) + " |")
		}
		b.WriteString("\n")
	}
	row(header)
	b.WriteString("|" + strings.Repeat("---|", len(header)) + "\n")
	for _, rw := range rows {
		row(rw)
	}
}

// markdown renders the document as Markdown.
func (d *document) markdown() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", d.title)
	for _, bl := range d.blocks {
		switch bl.kind {
		case "h2":
			fmt.Fprintf(&b, "## %s\n\n", bl.text)
		case "p":
			fmt.Fprintf(&b, "%s\n\n", bl.text)
		case "pre":
			fmt.Fprintf(&b, "```\n%s\n```\n\n", bl.text)
		case "figure":
			fmt.Fprintf(&b, "![%s](%s)\n\n*%s*\n\n", bl.caption, bl.image, bl.caption)
		case "table":
			tableRows(&b, bl.header, bl.rows)
			b.WriteString("\n")
		}
	}
	return b.Bytes()
}

// inline renders the report's light Markdown (`code` and **bold**) as HTML.
func inline(s string) template.HTML {
	esc := template.HTMLEscapeString(s)
	var b strings.Builder
	code, bold := false, false
	for i := 0; i < len(esc); i++ {
		switch {
		case esc[i] == '`':
			if code {
				b.WriteString("</code>")
			} else {
				b.WriteString("<code>")
			}
			code = !code
		case strings.HasPrefix(esc[i:], "**"):
			if bold {
				b.WriteString("</strong>")
			} else {
				b.WriteString("<strong>")
			}
			bold = !bold
			i++
		default:
			b.WriteByte(esc[i])
		}
	}
	return template.HTML(b.String())
}

//go:embed report.html.tmpl
var pageSource string

var page = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{"inline": inline}).Parse(pageSource))

// html renders the document as one HTML page with its figures beside it.
func (d *document) html() ([]byte, error) {
	type htmlBlock struct {
		Kind, Text, Image, Caption string
		PDF                        bool // browsers show PDF figures in an <object>, not an <img>
		TableCaption               bool // a "p" that captions the table after it
		Header                     []string
		Rows                       [][]string
	}
	var bs []htmlBlock
	for _, b := range d.blocks {
		bs = append(bs, htmlBlock{Kind: b.kind, Text: b.text, Image: b.image, Caption: b.caption, PDF: strings.HasSuffix(b.image, ".pdf"),
			TableCaption: b.tableCaption, Header: b.header, Rows: b.rows})
	}
	var buf bytes.Buffer
	err := page.Execute(&buf, struct {
		Title  string
		Blocks []htmlBlock
	}{d.title, bs})
	return buf.Bytes(), err
}
