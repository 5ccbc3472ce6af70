package report

import (
	"math"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/experiments"
)

// Figures and table captions are numbered in the order they appear, and a
// reference to a figure's label names its number, wherever the reference
// is.
func TestDocumentNumbersFigures(t *testing.T) {
	src := `# t

Before the figures, @fig:second comes second.

![first caption (a), (b)](a.png)

![second; see @fig:first](dir/b.svg){#fig:second}

Table: Rows of @fig:second,
wrapped.

| x | y \| z |
|---|---|
| 1 | a\|b |

![first again](c.png){#fig:first}

Table: Second.

| x |
|---|
`
	d, err := parseDocument(src)
	if err != nil {
		t.Fatal(err)
	}
	want := "# t\n\n" +
		"Before the figures, Figure 2 comes second.\n\n" +
		"![Figure 1. first caption (a), (b)](a.png)\n\n*Figure 1. first caption (a), (b)*\n\n" +
		"![Figure 2. second; see Figure 3](dir/b.svg)\n\n*Figure 2. second; see Figure 3*\n\n" +
		"Table 1. Rows of Figure 2, wrapped.\n\n" +
		"| x | y \\| z |\n|---|---|\n| 1 | a\\|b |\n\n" +
		"![Figure 3. first again](c.png)\n\n*Figure 3. first again*\n\n" +
		"Table 2. Second.\n\n| x |\n|---|\n\n"
	if got := string(d.markdown()); got != want {
		t.Errorf("markdown:\n%s\nwant\n%s", got, want)
	}
	if tb := d.blocks[4]; tb.kind != "table" || tb.header[1] != "y | z" || tb.rows[0][1] != "a|b" {
		t.Errorf("table block %+v: want the | unescaped", tb)
	}
}

// A source the document cannot be read from is refused with the line and
// what is wrong.
func TestDocumentRefusesBadSource(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown reference", "# t\n\nSee @fig:none.\n", "@fig:none: no figure has this label"},
		{"label twice", "# t\n\n![a](a.png){#fig:x}\n\n![b](b.png){#fig:x}\n", "line 5: figure label fig:x is used twice"},
		{"open fence", "# t\n\n```\ncode\n", "line 3: ``` is never closed"},
		{"no rule", "# t\n\n| a | b |\n| 1 | 2 |\n", "is not a |---| rule of 2 columns"},
		{"short row", "# t\n\n| a | b |\n|---|---|\n| 1 |\n", "has 1 cells, the header 2"},
		{"figure with a space", "# t\n\n![a](a b.png)\n", "line 3: \"![a](a b.png)\" is not a figure"},
		{"late title", "# t\n\ntext\n\n# u\n", "line 5: the title \"# u\" is not the first line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseDocument(tc.src)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
}

// The template writes a document with every section: its figures are
// numbered 1 to 5 in order, and the replay table's caption names the
// variants' figure.
func TestTemplateEverySection(t *testing.T) {
	src := &source{Experiment: "s3-2008", Version: "v", Quick: true, Command: "gossipsim report", Provenance: "{}",
		Replay: &replaySection{Origin: "08:00", End: "17:30", Nodes: 40, Scale: 30, SimSeconds: 1140, CorruptProb: 0.003,
			Scenario: "nodes: 40", Timeline: "one.png", Variants: "all.png", Rows: [][]string{make([]string, 10)}},
		Mitigations: &mitigationsSection{Nodes: 60, Seconds: 540, Replicates: 3, Rows: [][]string{make([]string, 9)},
			Figures: []figureFile{{Metric: "recovery_time_s", Path: "m/r.png"}, {Metric: "time_to_alarm_s", Path: "m/t.png"},
				{Metric: "peak_messages_per_second", Path: "m/p.png"}, {Metric: "compare_time_series", Path: "m/c.png"}}},
		Validation: &validationSection{Pass: 1, Rows: [][]string{make([]string, 7)}},
	}
	d, err := src.document()
	if err != nil {
		t.Fatal(err)
	}
	var figures []string
	for _, b := range d.blocks {
		if b.kind == "figure" {
			figures = append(figures, b.image+" "+b.caption[:len("Figure 1")])
		}
	}
	want := []string{"one.png Figure 1", "all.png Figure 2", "m/r.png Figure 3", "m/p.png Figure 4", "m/c.png Figure 5"}
	if strings.Join(figures, ", ") != strings.Join(want, ", ") {
		t.Errorf("figures %v, want %v (time_to_alarm_s has no caption: not shown)", figures, want)
	}
	md := string(d.markdown())
	for _, s := range []string{"Table 1. Each run of Figure 2, times on the clock.", "Table 2. Recovery time", "Table 3. The classic protocols against the literature: 1 of 1 comparisons pass.",
		"for a first look; rerun without --quick", "540 simulated seconds", "```\nnodes: 40\n```",
		"**The clock is compressed 30×:** one simulated second stands for 30 seconds", "from 08:00 to 17:30 are 1140 simulated seconds",
		"at 0.003 per message", "A quick report's 40 servers are too few to tip into a storm"} {
		if !strings.Contains(md, s) {
			t.Errorf("report.md does not say %q", s)
		}
	}
}

func TestRecoveryText(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		s    experiments.Stat
		want string
	}{
		{"none recovered", experiments.Stat{N: 0, Mean: nan, Lo: nan, Hi: nan}, "—"},
		{"one run", experiments.Stat{N: 1, Mean: 30, Lo: nan, Hi: nan}, "30 s (n=1)"},
		{"several", experiments.Stat{N: 5, Mean: 312, Lo: 250, Hi: 374}, "312 s (250 s – 374 s), n = 5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := recoveryText(tc.s); got != tc.want {
				t.Errorf("recoveryText = %q, want %q", got, tc.want)
			}
		})
	}
}

// A table's caption is marked in the HTML (the print style keeps it with
// its table); other paragraphs are not.
func TestHTMLMarksTableCaptions(t *testing.T) {
	d, err := parseDocument("# t\n\nProse.\n\nTable: Rows,\nwrapped.\n\n| x |\n|---|\n| 1 |\n\nMore prose.\n")
	if err != nil {
		t.Fatal(err)
	}
	page, err := d.html()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<p>Prose.</p>", `<p class="table-caption">Table 1. Rows, wrapped.</p>`, "<p>More prose.</p>"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report.html does not hold %q:\n%s", want, page)
		}
	}
}

// The provenance is written one field to a line, so that it wraps in no
// column; text that is not JSON is kept as it is.
func TestIndentedJSON(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"object", `{"a":1,"b":"x"}`, "{\n  \"a\": 1,\n  \"b\": \"x\"\n}"},
		{"not JSON", "{a", "{a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := indentedJSON(tc.in); got != tc.want {
				t.Errorf("indentedJSON(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
