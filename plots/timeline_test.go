package plots

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/internal/testfs"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gossipsim/gossipsim/models/metrics"
)

// dayRun returns a synthetic 9-hour run sampled every minute: a storm of
// gossip and wrong views from 1 h to 4 h (never over if end is 0), a reset
// from resetFrom to resetTo hours (none if resetTo is 0).
func dayRun(label string, peak, end, resetFrom, resetTo float64) Run {
	r := Run{Label: label}
	for i := 1; i <= 540; i++ {
		t := float64(i) * 60
		storm := smoothStep(t, 3600, 4200)
		if end > 0 {
			storm *= 1 - smoothStep(t, end*3600, end*3600+1200)
		}
		r.Samples = append(r.Samples, metrics.Sample{
			Time:              t,
			MessagesPerSecond: 300 * (1 + peak*storm) * (1 + 0.02*math.Sin(t/700)),
			WrongViewFraction: 0.4 * storm,
			Resetting:         resetTo > 0 && t >= resetFrom*3600 && t <= resetTo*3600,
			LiveNodes:         1000,
		})
	}
	return r
}

// milestones2008 are instants of a day-long replay, some 33 minutes apart.
var milestones2008 = []Milestone{
	{At: 0.5 * 3600, Label: "08:40 first errors"},
	{At: 0.5*3600 + 33*60, Label: "09:13 error rates rise"},
	{At: 1.9 * 3600, Label: "10:24 gossip storm"},
	{At: 1.9*3600 + 33*60, Label: "10:57 operators page"},
	{At: 4 * 3600, Label: "12:10 decision to reset"},
	{At: 6 * 3600, Label: "14:10 state cleared"},
	{At: 6*3600 + 33*60, Label: "14:43 restore begins"},
	{At: 8.5 * 3600, Label: "16:40 service restored"},
	{At: 20 * 3600, Label: "off the axis"},
}

// origin2008 is 08:10 in seconds after midnight.
const origin2008 = 8*3600 + 10*60

func TestTimeline(t *testing.T) {
	runs := []Run{
		dayRun("none", 20, 0, 0, 0),
		dayRun("a-2008", 20, 6, 4, 6.55),
		dayRun("replay", 5, 3, 0, 0),
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "timeline.png")
	opt := Options{Title: "The 2008 event replayed on the published clock (synthetic)", Provenance: `{"x":1}`}
	if err := Timeline(path, runs, milestones2008, origin2008, opt); err != nil {
		t.Fatal(err)
	}
	w, h, err := opt.PanelsPixelSize(2)
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, w, h)
	b, _ := os.ReadFile(path)
	if txt, _ := PNGText(b); txt["gossipsim"] != `{"x":1}` {
		t.Errorf("provenance %q", txt["gossipsim"])
	}

	// The panels: wrong views on top, gossip volume (spanning under two
	// decades here: linear) below, clock times on the shared axis.
	panels, err := timelinePanels(runs, milestones2008, origin2008)
	if err != nil {
		t.Fatal(err)
	}
	if got := panels[0].plot.Y.Label.Text; got != "wrong views (%)" {
		t.Errorf("top panel %q", got)
	}
	if got := panels[1].plot.Y.Label.Text; got != "gossip (messages/s)" {
		t.Errorf("bottom panel %q", got)
	}
	var labels []string
	for _, tk := range panels[1].plot.X.Tick.Marker.Ticks(panels[1].plot.X.Min, panels[1].plot.X.Max) {
		labels = append(labels, tk.Label)
	}
	if got := strings.Join(labels, ","); got != "09:00,10:00,11:00,12:00,13:00,14:00,15:00,16:00,17:00" {
		t.Errorf("clock ticks %s", got)
	}
	if !strings.Contains(legendText(panels[1].legend), "1 milestone outside the time axis") {
		t.Errorf("bottom legend %q does not count the milestone off the axis", legendText(panels[1].legend))
	}

	// A log axis when the volumes span more than two decades.
	spread := []Run{dayRun("none", 500, 0, 0, 0), dayRun("d", 0, 0, 0, 0)}
	spread[1].Samples[10].MessagesPerSecond = 1
	if p, _ := timelinePanels(spread, nil, 0); p[1].plot.Y.Label.Text != "gossip (messages/s, log scale)" {
		t.Errorf("volumes over 2.5 decades: %q, want a log axis", p[1].plot.Y.Label.Text)
	}

	// Colours: the mitigations' own, the other run the first free one.
	cols := runColours([]string{"none", "a-2008", "replay"})
	if cols[0] != MitigationColour("none") || cols[1] != MitigationColour("a-2008") || cols[2] != colBlue {
		t.Errorf("run colours %v", cols)
	}

	if err := Timeline(filepath.Join(dir, "bad.png"), runs, []Milestone{{At: math.NaN(), Label: "x"}}, origin2008, Options{}); err == nil {
		t.Error("a NaN milestone was accepted")
	}
	if err := Timeline(filepath.Join(dir, "none.png"), nil, nil, 0, Options{}); !errors.Is(err, ErrNoData) {
		t.Errorf("no runs: %v, want ErrNoData", err)
	}
	if got := testfs.Names(t, dir); len(got) != 1 {
		t.Errorf("dir holds %v, want only timeline.png", got)
	}
}

// legendText joins the texts of a legend's entries.
func legendText(l *flowLegend) string {
	var s []string
	for _, e := range l.entries {
		s = append(s, e.text)
	}
	return strings.Join(s, "; ")
}

// Milestone labels 33 minutes apart on a 9-hour axis overlap neither each
// other nor the lines of other milestones.
func TestMilestoneLabelsDoNotCollide(t *testing.T) {
	panels, err := timelinePanels([]Run{dayRun("none", 20, 0, 0, 0)}, milestones2008, origin2008)
	if err != nil {
		t.Fatal(err)
	}
	p := panels[0].plot
	data := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: 5.8 * vg.Inch, Y: 2 * vg.Inch}}}
	data.Min.X = 0.6 * vg.Inch
	labels, rows := panels[0].strip.(*milestoneStrip).layout(p, data)
	if len(labels) != 8 {
		t.Fatalf("%d labels, want the 8 on the axis", len(labels))
	}
	// Four lines 23 to 35 pt apart near the left end need a staircase of
	// four rows; the rest fit beside them.
	if rows < 4 || rows > 6 {
		t.Errorf("%d rows of labels, want 4 to 6", rows)
	}
	for i, a := range labels {
		if a.x0 < data.Min.X || a.x1 > data.Max.X {
			t.Errorf("%q runs off the data area", a.text)
		}
		for j, b := range labels {
			if i == j {
				continue
			}
			if a.row == b.row && a.x0 < b.x1 && b.x0 < a.x1 {
				t.Errorf("%q and %q overlap", a.text, b.text)
			}
			// b's line runs up through the rows below b's label.
			if a.row < b.row && b.x > a.x0 && b.x < a.x1 {
				t.Errorf("the line of %q crosses %q", b.text, a.text)
			}
		}
	}
}

func TestClockTicks(t *testing.T) {
	for _, c := range []struct {
		origin, min, max float64
		want             string
	}{
		{8*3600 + 10*60, 0, 9 * 3600, "09:00,10:00,11:00,12:00,13:00,14:00,15:00,16:00,17:00"},
		{23 * 3600, 0, 2 * 3600, "23:00,23:15,23:30,23:45,00:00,00:15,00:30,00:45,01:00"},
		{12 * 3600, 0, 120, "12:00:00,12:00:30,12:01:00,12:01:30,12:02:00"},
		{12*3600 + 7, 0, 50, "12:00:10,12:00:20,12:00:30,12:00:40,12:00:50"},
	} {
		var labels []string
		for _, tk := range clockTicker(c.origin, false).Ticks(c.min, c.max) {
			labels = append(labels, tk.Label)
		}
		if got := strings.Join(labels, ","); got != c.want {
			t.Errorf("origin %g, %g..%g: %s, want %s", c.origin, c.min, c.max, got, c.want)
		}
	}
}

// TestTimelinePreview writes timeline.png into GOSSIPSIM_PLOTS_PREVIEW.
func TestTimelinePreview(t *testing.T) {
	dir := os.Getenv("GOSSIPSIM_PLOTS_PREVIEW")
	if dir == "" {
		t.Skip("set GOSSIPSIM_PLOTS_PREVIEW=dir to write preview PNGs")
	}
	runs := []Run{
		dayRun("none", 20, 0, 0, 0),
		dayRun("a-2008", 20, 6, 4, 6.55),
		dayRun("a-fast", 20, 4.5, 4, 4.3),
		dayRun("d", 0, 0, 0, 0),
	}
	if err := Timeline(filepath.Join(dir, "timeline.png"), runs, milestones2008, origin2008,
		Options{Title: "The 2008 event replayed on the published clock (US Pacific time, synthetic)"}); err != nil {
		t.Fatal(err)
	}
}
