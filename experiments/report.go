package experiments

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"math"
	"path/filepath"
	"strings"

	"github.com/gossipsim/gossipsim/plots"
)

// ReportOptions says what a report covers and how big its runs are.
type ReportOptions struct {
	// Sweep is what the report runs: a named experiment or a scenario
	// file's sweep. The s3-2008 experiment gets the timeline replay and the
	// mitigations comparison.
	Sweep Sweep
	// Quick shrinks every run (fleet sizes, replicates) for a fast look; the
	// report says so.
	Quick bool
	// Workers runs in parallel (0: one per CPU).
	Workers int
	// Command is the exact command line that reproduces the report.
	Command string
	// Plot is the figure format and resolution.
	Plot plots.Options
	// Progress, if set, is told each stage as it starts.
	Progress func(stage string)
	// Resume finishes a report begun earlier in the directory: its sweeps
	// are resumed (recorded runs skipped, see SweepOptions.Resume) and the
	// replay's few runs run again. Without it, a directory holding results of
	// an earlier report is refused (ErrUnfinished, bad input).
	Resume bool
}

// ReportFileName is the report's Markdown document in its directory.
const ReportFileName = "report.md"

// reportParts are the sub-directories a report of sw writes, in order.
func reportParts(sw Sweep) []string {
	if sw.Experiment == "s3-2008" {
		return []string{"replay", "mitigations", "validation"}
	}
	return []string{"sweep", "validation"}
}

// report is the document being built: sections of Markdown-like blocks that
// render to both report.md and report.html.
type report struct {
	tables   int // tables so far, for their numbers
	title    string
	blocks   []block
	dir      string
	files    []string
	imageExt string
	// resume finishes the sub-sweeps of an earlier report of dir that
	// failed (it left dir marked incomplete) instead of refusing them.
	resume bool
}

// block is one piece of the document.
type block struct {
	kind    string // "h2", "p", "pre", "table", "figure"
	text    string
	header  []string
	rows    [][]string
	image   string // path relative to the report directory
	caption string
}

func (r *report) h2(s string) { r.blocks = append(r.blocks, block{kind: "h2", text: s}) }
func (r *report) p(format string, a ...any) {
	r.blocks = append(r.blocks, block{kind: "p", text: fmt.Sprintf(format, a...)})
}
func (r *report) pre(s string) { r.blocks = append(r.blocks, block{kind: "pre", text: s}) }

// nextTable is the number of the next table.
func (r *report) nextTable() int { return r.tables + 1 }

func (r *report) table(header []string, rows [][]string) {
	r.tables++
	r.blocks = append(r.blocks, block{kind: "table", header: header, rows: rows})
}
func (r *report) figure(path, caption string) {
	rel, err := filepath.Rel(r.dir, path)
	if err != nil {
		rel = path
	}
	r.blocks = append(r.blocks, block{kind: "figure", image: filepath.ToSlash(rel), caption: caption})
}

// WriteReport runs what the report needs into dir and writes dir/report.md
// and dir/report.html (figures beside them, no external assets). It returns
// the files written. Cancelled by ctx, it returns an [*Unfinished] saying
// which parts are written, or ctx's error alone if nothing is; a rerun with
// opt.Resume finishes the report, byte for byte as if uninterrupted.
//
// WriteReport holds dir's lock (LockDir) until it returns, refuses a dir
// that holds a finished report (HoldsReport), and marks dir incomplete
// (IncompleteFileName) until report.html, its last file, is written. A dir
// so marked by an earlier report that failed or was interrupted is resumed
// as with opt.Resume (each sub-sweep's sweep.json must match), so the same
// command finishes the set; a dir holding parts of a report without that
// mark is refused unless opt.Resume is set.
func WriteReport(ctx context.Context, dir string, opt ReportOptions) ([]string, error) {
	release, err := LockDir(dir)
	if err != nil {
		return nil, err
	}
	defer release()
	if HoldsReport(dir) {
		return nil, badInputf("out: %q holds a report already; choose another directory", dir)
	}
	resume := opt.Resume || Incomplete(dir)
	parts := reportParts(opt.Sweep)
	if !resume {
		if err := refuseEarlierStart("report", dir, parts, ReportFileName); err != nil {
			return nil, err
		}
	}
	if err := beginOutputSet(dir, "gossipsim report"); err != nil {
		return nil, err
	}
	var done []string
	section := func(name string, run func() error) error {
		if err := ctx.Err(); err != nil {
			return interruptedIn("report", dir, parts, done, "", err)
		}
		if err := run(); err != nil {
			if cancelled(err) {
				return interruptedIn("report", dir, parts, done, name, err)
			}
			return err
		}
		done = append(done, name)
		return nil
	}
	stage := func(s string) {
		if opt.Progress != nil {
			opt.Progress(s)
		}
	}
	r := &report{dir: dir, imageExt: opt.Plot.Ext(), resume: resume}
	sw := opt.Sweep
	r.title = "gossipsim report: " + sw.Experiment
	quick := ""
	if opt.Quick {
		quick = " This is a **quick** report (--quick): small fleets and few replicates, for a first look; rerun without --quick for figures to publish."
	}
	r.p("gossipsim %s simulated this report's runs; every number and figure below comes from them.%s", Version, quick)

	if sw.Experiment == "s3-2008" {
		stage("replay of 20 July 2008")
		if err := section("replay", func() error { return r.replaySection(ctx, opt) }); err != nil {
			return r.files, err
		}
		stage("mitigations, replicated")
		if err := section("mitigations", func() error { return r.mitigationSection(ctx, opt) }); err != nil {
			return r.files, err
		}
	} else {
		stage("sweep " + sw.Experiment)
		if err := section("sweep", func() error { return r.sweepSection(ctx, opt, sw) }); err != nil {
			return r.files, err
		}
	}
	stage("validation against the literature")
	if err := section("validation", func() error { return r.validationSection(ctx, opt) }); err != nil {
		return r.files, err
	}
	r.h2("Reproduce")
	r.p("Every run is a pure function of its scenario and seed: this command, with the same gossipsim version, writes the same tables and figures.")
	r.pre(opt.Command)
	r.p("Provenance (also in every summary.json, sweep.json and figure): %s", ProvenanceOf(sw.Base, sw.Seed).Text())

	md := filepath.Join(dir, ReportFileName)
	if err := WriteFileAtomic(md, r.markdown()); err != nil {
		return r.files, err
	}
	html, err := r.html()
	if err != nil {
		return r.files, err
	}
	page := filepath.Join(dir, "report.html")
	if err := WriteFileAtomic(page, html); err != nil {
		return r.files, err
	}
	if err := endOutputSet(dir); err != nil {
		return r.files, err
	}
	return append(r.files, md, page), nil
}

// replaySection runs the 2008 replay and its mitigation variants on the
// published clock.
func (r *report) replaySection(ctx context.Context, opt ReportOptions) error {
	nodes := 200
	if opt.Quick {
		nodes = 40
	}
	base := ReplayScenario(nodes, 1)
	sub := filepath.Join(r.dir, "replay")
	res, err := RunReplay(ctx, base, sub, opt.Workers, opt.Plot)
	if err != nil {
		return err
	}
	origin := mustClock(ReplayOrigin)
	var ms []plots.Milestone
	for _, m := range Milestones2008 {
		ms = append(ms, plots.Milestone{At: mustClock(m.Clock) - origin, Label: m.Clock + " " + m.Label})
	}
	runOf := func(x ReplayResult) plots.Run {
		return plots.Run{Label: x.Variant.Name, Samples: x.Result.Samples, Markers: Markers(x.Result.Summary)}
	}
	o := opt.Plot
	o.Provenance = ProvenanceOf(base, base.Seed).Text()
	o.Title = fmt.Sprintf("The 2008 event replayed: %d servers on the published clock (US Pacific time)", nodes)
	one := filepath.Join(r.dir, "replay_2008"+r.imageExt)
	if err := plots.Timeline(one, []plots.Run{runOf(res[0])}, ms, origin, o); err != nil {
		return fmt.Errorf("figure %s: %w", filepath.Base(one), err)
	}
	o.Title = "The same trigger under each mitigation, on the same clock"
	var all []plots.Run
	for _, x := range res {
		all = append(all, runOf(x))
	}
	every := filepath.Join(r.dir, "replay_mitigations"+r.imageExt)
	if err := plots.Timeline(every, all, ms, origin, o); err != nil {
		return fmt.Errorf("figure %s: %w", filepath.Base(every), err)
	}
	r.files = append(r.files, one, every)

	r.h2("What was simulated: the 2008 event on its published clock")
	r.p("The replay (scenario below, fully defaulted; save it as a file and run `gossipsim run --scenario FILE` to rerun it) starts at %s with %d servers gossiping membership and failure state, no checksum on state messages. Corrupted messages appear from 08:39:30 to 08:45 at one in 10,000; the first accepted one is the trigger.", ReplayOrigin, nodes)
	r.p("**Calibrated to the published timeline (inputs):** when corrupted messages appear (so that trouble starts near 08:40), the operators' decision at 10:32, communication stopped and all state cleared by 11:05 (a 33-minute stop), and the slow 2008-style restore ending at 14:20. **The model's own behaviour (outputs):** how far the wrong state spreads, whether the fleet tips into a gossip storm, the gossip volume, when (c)'s monitor raises its alarm, and how soon after the restore every view is right again. The model has no request processing, so the published 14:20–16:58 return to normal service (a backlog of customer requests) has no counterpart here: the simulated fleet's views are right again within minutes of the restore.")
	r.pre(strings.TrimRight(string(PrintScenario(base, nil)), "\n"))
	r.figure(one, "Figure 1. The replay: share of (observer, live server) views that are wrong (top) and gossip messages per second, whole fleet (bottom), on the clock of 20 July 2008. Dashed lines: the published milestones. Shaded: the reset (communication stopped, state cleared, slow restore).")
	r.figure(every, "Figure 2. The same corrupted messages under each mitigation, on the same clock: (a) fast restore after the same 10:32 decision; (b) less failure gossip; (c) the gossip-rate alarm starts the reset; (d) CRC-32C rejects the corrupted messages.")

	header := []string{"run", "what changes", "trigger", "reset decided", "views right again", "outage", "saved vs 2008", "peak gossip (messages/s)", "messages sent"}
	var rows [][]string
	out08, _, rec08 := res[0].Outage()
	for _, x := range res {
		s := x.Result.Summary.Summary
		at := func(p *float64) string {
			if p == nil {
				return "—"
			}
			return ClockOf(origin + *p)
		}
		out, trig, rec := x.Outage()
		outage, saved, right := "none (nothing accepted)", "all of it", "—"
		switch {
		case trig && rec:
			outage = hoursMinutes(out)
			v := *s.TriggerTimeSeconds + out
			right = at(&v)
			saved = "—"
			if x.Variant.Name != "2008" && rec08 {
				saved = hoursMinutes(out08 - out)
			}
		case trig && s.Harmless:
			outage = "none (accepted, no view ever wrong)"
		case trig:
			outage, saved = "not over by "+ReplayEnd, "none"
		}
		rows = append(rows, []string{x.Variant.Name, x.Variant.What, at(s.TriggerTimeSeconds), at(s.ResetStartedSeconds), right, outage, saved,
			fmt.Sprintf("%.0f", s.PeakMessagesPerSecond), fmt.Sprintf("%d", s.MessagesSent)})
	}
	r.p("Table %d. Each run of Figure 2. Outage: from the trigger until every view is right again (and no reset is in progress). The published outage, first errors to normal service, was 8 h 18 min; the replay's ends with the restore at 14:20, because the model stops at correct views.", r.nextTable())
	r.table(header, rows)
	return nil
}

// hoursMinutes formats seconds as "5 h 40 min".
func hoursMinutes(sec float64) string {
	m := int(math.Round(sec / 60))
	if m < 0 {
		return "−" + hoursMinutes(-sec)
	}
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

// mitigationSection runs the replicated mitigations experiment and tables
// recovery time and gossip volume with their 95% confidence intervals.
func (r *report) mitigationSection(ctx context.Context, opt ReportOptions) error {
	e, _ := LookupExperiment("mitigations")
	sw := e.Sweep()
	if opt.Quick {
		sw.Replicates = 3
		sw.Base.Model.Nodes = 60
	}
	t, files, err := r.runSweep(ctx, opt, sw, "mitigations")
	if err != nil {
		return err
	}
	r.h2("The mitigations, replicated")
	r.p("The `mitigations` experiment: %d servers for %g simulated seconds, corrupted messages from 60 s to 180 s at one in 10,000, each mitigation on the same %d seeds (paired: replicate r of every mitigation sees the same trigger). Means with Student's t 95%% confidence intervals. Every triggered run is exactly one of: `recovered` (views were wrong, then right again), `harmless` (the accepted corruptions never made a view wrong, so there was nothing to recover from) and `censored` (still wrong at the horizon). Recovery time is over the recovered runs only (n of them); a mitigation with none shows —.",
		sw.Base.Model.Nodes, sw.Base.Duration.Seconds(), sw.Replicates)
	rec, peak, perNode := t.Metric("recovery_time_s"), t.Metric("peak_messages_per_second"), t.Metric("messages_per_node_per_second")
	var rows [][]string
	for _, p := range t.Points {
		triggered := p.Runs - p.Untriggered
		recovered := triggered - p.Harmless - p.Censored
		rows = append(rows, []string{p.Point.Values[0], fmt.Sprintf("%d", p.Runs), fmt.Sprintf("%d", triggered),
			fmt.Sprintf("%d", recovered), fmt.Sprintf("%d", p.Harmless), fmt.Sprintf("%d", p.Censored),
			recoveryText(p.Stats[rec]), ciText(p.Stats[peak], "%.0f"), ciText(p.Stats[perNode], "%.2f")})
	}
	r.p("Table %d. Recovery time (of recovered runs) and gossip volume by mitigation (mean, 95%% CI).", r.nextTable())
	r.table([]string{"mitigation", "runs", "triggered", "recovered", "harmless", "censored", "recovery time", "peak gossip, messages/s", "gossip per node, messages/s"}, rows)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		if cap, ok := mitigationCaptions[name]; ok {
			r.figure(f, cap)
		}
	}
	return nil
}

var mitigationCaptions = map[string]string{
	"compare_time_series":      "Figure 3. One representative run per mitigation (the replicate with the median peak wrong-view share): wrong views and gossip volume over time, resets shaded.",
	"recovery_time_s":          "Figure 4. Recovery time by mitigation, every recovered replicate; hollow markers at the top are runs not recovered by the horizon (censored). Harmless and untriggered runs have nothing to recover from: they are counted under the mitigation's name, not drawn.",
	"peak_messages_per_second": "Figure 5. Peak gossip volume by mitigation, every replicate.",
}

// recoveryText is ciText for a recovery time, with the number of recovered
// runs it is over: "312 s (250 s – 374 s), n = 5"; "—" when none recovered.
func recoveryText(s Stat) string {
	t := ciText(s, "%.0f s")
	if s.N < 2 || math.IsNaN(s.Lo) {
		return t // ciText says n already, or there is no value
	}
	return fmt.Sprintf("%s, n = %d", t, s.N)
}

// ciText formats a mean with its 95% CI.
func ciText(s Stat, format string) string {
	if s.N == 0 || math.IsNaN(s.Mean) {
		return "—"
	}
	m := fmt.Sprintf(format, s.Mean)
	if s.N < 2 || math.IsNaN(s.Lo) {
		return m + fmt.Sprintf(" (n=%d)", s.N)
	}
	return fmt.Sprintf("%s (%s – %s)", m, fmt.Sprintf(format, s.Lo), fmt.Sprintf(format, s.Hi))
}

// runSweep runs sw into dir/name and returns its aggregate and figure files.
func (r *report) runSweep(ctx context.Context, opt ReportOptions, sw Sweep, name string) (PointTable, []string, error) {
	sub := filepath.Join(r.dir, name)
	rep, err := RunSweep(ctx, sw, sub, SweepOptions{Workers: opt.Workers, Plot: opt.Plot, Resume: r.resume})
	if err != nil {
		return PointTable{}, nil, err
	}
	_, _, rows, err := LoadSweep(sub)
	if err != nil {
		return PointTable{}, nil, err
	}
	var figs []string
	for _, f := range rep.Files {
		if strings.HasSuffix(f, r.imageExt) {
			figs = append(figs, f)
		}
	}
	r.files = append(r.files, rep.Files...)
	return Aggregate(sw, sw.RunColumns(), rows), figs, nil
}

// sweepSection reports any other sweep: its scenario, figures and the main
// metrics per point.
func (r *report) sweepSection(ctx context.Context, opt ReportOptions, sw Sweep) error {
	t, figs, err := r.runSweep(ctx, opt, sw, "sweep")
	if err != nil {
		return err
	}
	r.h2("What was simulated")
	r.p("The sweep `%s`: %d grid points × %d replicates, sweep seed %d. The scenario file below (fully defaulted, with the sweep) reruns it with `gossipsim sweep --scenario FILE`.", sw.Experiment, len(t.Points), sw.Replicates, sw.Seed)
	r.pre(strings.TrimRight(string(PrintScenario(sw.Base, &sw)), "\n"))
	r.h2("Results")
	metricsShown := []string{"recovery_time_s", "peak_wrong_view_fraction", "peak_messages_per_second", "messages_per_node_per_second"}
	header := []string{"point", "runs", "harmless", "censored"}
	var idx []int
	for _, m := range metricsShown {
		if i := t.Metric(m); i >= 0 {
			header, idx = append(header, m), append(idx, i)
		}
	}
	var rows [][]string
	for _, p := range t.Points {
		row := []string{p.Point.Key(sw.Axes), fmt.Sprintf("%d", p.Runs), fmt.Sprintf("%d", p.Harmless), fmt.Sprintf("%d", p.Censored)}
		if row[0] == "" {
			row[0] = "(single point)"
		}
		for _, i := range idx {
			row = append(row, ciText(p.Stats[i], "%.4g"))
		}
		rows = append(rows, row)
	}
	r.p("Table %d. Mean (95%% CI) of the main metrics at every point; points.csv in the sweep directory has every metric.", r.nextTable())
	r.table(header, rows)
	labels := map[string]string{CensoredFraction: "share of runs still wrong at the horizon (censored; harmless runs are not), with Wilson 95% intervals"}
	for _, fig := range figuresFor(sw) {
		if _, ok := labels[fig.Metric]; !ok {
			labels[fig.Metric] = fig.Label
		}
	}
	var axes []string
	for _, ax := range sw.Axes {
		axes = append(axes, ax.Name)
	}
	for i, f := range figs {
		metric := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		label := labels[metric]
		if label == "" {
			label = strings.ReplaceAll(metric, "_", " ")
		}
		over := ""
		if len(axes) > 0 {
			over = " against " + strings.Join(axes, " and ")
		}
		r.figure(f, fmt.Sprintf("Figure %d. %s%s: means over %d replicates per point (line figures add 95%% confidence intervals; censored runs are marked).", i+1, label, over, sw.Replicates))
	}
	return nil
}

// validationSection runs the classic protocols against the literature.
func (r *report) validationSection(ctx context.Context, opt ReportOptions) error {
	sub := filepath.Join(r.dir, "validation")
	rs, files, err := RunValidation(ctx, sub, opt.Quick, SweepOptions{Workers: opt.Workers, Plot: opt.Plot, Resume: r.resume})
	if err != nil {
		return err
	}
	r.files = append(r.files, files...)
	r.h2("Validation against the literature")
	r.p("The same engine, wire format and network run the classic protocols, and their outcomes are compared with published results. A check passes when the simulated mean is within the stated tolerance of the reference.")
	var rows [][]string
	pass := 0
	for _, c := range rs {
		for _, p := range c.Points {
			ok := "FAIL"
			if p.Pass {
				ok, pass = "pass", pass+1
			}
			tol := fmt.Sprintf("±%g", c.Check.Tolerance)
			if c.Check.Relative {
				tol = fmt.Sprintf("±%g%%", 100*c.Check.Tolerance)
			}
			rows = append(rows, []string{c.Check.What, c.Check.Source, fmt.Sprintf("%s = %g", c.Check.Axis, p.X),
				fmt.Sprintf("%.4g", p.Reference), ciText(p.Stat, "%.4g"), tol, ok})
		}
	}
	r.p("Table %d. The classic protocols against the literature: %d of %d comparisons pass.", r.nextTable(), pass, len(rows))
	r.table([]string{"what", "reference", "at", "reference value", "simulated (95% CI)", "tolerance", "result"}, rows)
	return nil
}

// markdown renders the report as Markdown.
func (r *report) markdown() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", r.title)
	for _, bl := range r.blocks {
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
			cell := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
			row := func(cs []string) {
				b.WriteString("|")
				for _, c := range cs {
					b.WriteString(" " + cell(c) + " |")
				}
				b.WriteString("\n")
			}
			row(bl.header)
			b.WriteString("|" + strings.Repeat("---|", len(bl.header)) + "\n")
			for _, rw := range bl.rows {
				row(rw)
			}
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

var reportPage = template.Must(template.New("report").Funcs(template.FuncMap{"inline": inline}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: Georgia, "Times New Roman", serif; max-width: 52em; margin: 2em auto; padding: 0 1em; line-height: 1.45; color: #111; }
h1, h2 { font-family: Helvetica, Arial, sans-serif; }
pre { background: #f5f5f5; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; }
figcaption { font-style: italic; font-size: 0.9em; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{range .Blocks}}{{if eq .Kind "h2"}}<h2>{{.Text}}</h2>
{{else if eq .Kind "p"}}<p>{{inline .Text}}</p>
{{else if eq .Kind "pre"}}<pre>{{.Text}}</pre>
{{else if eq .Kind "figure"}}<figure>{{if .PDF}}<object data="{{.Image}}" type="application/pdf" width="100%" height="600"><a href="{{.Image}}">{{.Image}}</a></object>{{else}}<img src="{{.Image}}" alt="{{.Caption}}">{{end}}<figcaption>{{.Caption}}</figcaption></figure>
{{else if eq .Kind "table"}}<table>
<thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{end}}{{end}}</body>
</html>
`))

// html renders the report as one HTML page with its figures beside it.
func (r *report) html() ([]byte, error) {
	type htmlBlock struct {
		Kind, Text, Image, Caption string
		PDF                        bool // browsers show PDF figures in an <object>, not an <img>
		Header                     []string
		Rows                       [][]string
	}
	var bs []htmlBlock
	for _, b := range r.blocks {
		bs = append(bs, htmlBlock{Kind: b.kind, Text: b.text, Image: b.image, Caption: b.caption, PDF: strings.HasSuffix(b.image, ".pdf"),
			Header: b.header, Rows: b.rows})
	}
	var buf bytes.Buffer
	err := reportPage.Execute(&buf, struct {
		Title  string
		Blocks []htmlBlock
	}{r.title, bs})
	return buf.Bytes(), err
}
