package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/internal/bytesize"
	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/spread"
	"github.com/gossipsim/gossipsim/sim"
)

const runUsage = `Usage: gossipsim run [flags]

Simulates one scenario and reports what happened. With no flags it runs the
embedded default: the 2008-style event on 1,000 nodes for 600 simulated
seconds, digest+delta gossip, no checksum on state messages, one message in
100,000 with one bit flipped on the path, seed 2 (a seed in which the
accumulated failure gossip tips the fleet into a storm before the horizon).

Durations take units (200ms, 1s, 10m). Times are simulated, not wall clock.

Examples:
  gossipsim run --out results/demo                  write summary.json, timeseries.csv and PNGs
  gossipsim run --out results/demo --plot-format pdf  the figures as PDF (or svg) for a report
  gossipsim run --checksum crc32c --out results/crc  mitigation (d): reject corrupted state messages
  gossipsim run --nodes 10000 --duration 300s --format json
  gossipsim run --topology zones=3,racks-per-zone=10 --faults experiments/scenarios/zones3-faults.yaml
                                                    zones, racks and a fault schedule (gossipsim help faults)
  gossipsim run --nodes 8 --corrupt-prob 0.01 --sequence flow.svg --sequence-from 10s --sequence-until 15s
                                                    the message flow of 8 nodes from 10 s to 15 s (at most 32 nodes)

Flags:
`

// modelFlags adds --model and --set to a flag set.
func modelFlags(fs *pflag.FlagSet) (*string, *[]string) {
	model := fs.String("model", experiments.S3Model, "model: "+strings.Join(experiments.ModelNames(), ", ")+" (gossipsim run --model NAME --help lists its parameters)")
	sets := fs.StringArray("set", nil, "a parameter of --model, KEY=VALUE (repeatable)")
	return model, sets
}

// applyModel installs the --model model into sc (unless the model came
// from a scenario file and --model was not given) and applies every --set.
// The model keeps the parameters already set when it is the scenario's
// (preselectModel installed it before the flags were parsed).
func applyModel(sc *experiments.Scenario, model string, sets []string, replace bool) error {
	if replace {
		if err := sc.SetModel(model); err != nil {
			return err
		}
	}
	for _, kv := range sets {
		if err := sc.SetModelParam(kv); err != nil {
			return err
		}
	}
	return nil
}

// preselectModel installs the model --model names before the flags are
// parsed, so the S3-style model's parameter flags (--fanout, ...) set the
// model that runs. An unknown name is left for applyModel to report.
func preselectModel(args []string, sc *experiments.Scenario) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		name, ok := strings.CutPrefix(a, "--model=")
		if !ok && a == "--model" && i+1 < len(args) {
			name, ok = args[i+1], true
			i++
		}
		if ok {
			_ = sc.SetModel(name) // the last --model wins, as in parsing
		}
	}
}

// printModelParams lists a model's parameters after the flag help: the
// `--set` keys of a classic protocol, or, when --model names it
// (explicit), the S3-style model's, which are flags.
func printModelParams(w io.Writer, model string, explicit bool) {
	p, err := experiments.NewModel(model)
	if err != nil {
		return
	}
	how := "Parameters (--set KEY=VALUE):"
	if experiments.ParamsAreFlags(p) {
		if !explicit {
			return // the flags above list them
		}
		how = "Parameters (flags, --KEY VALUE; listed above too):"
	}
	fmt.Fprintf(w, "\nModel %s: %s\n%s\n", p.Name(), p.Description(), how)
	for _, prm := range p.Params() {
		fmt.Fprintf(w, "  %-22s %s (default %s)\n", prm.Name, prm.Usage, prm.String()) // a fresh model holds the defaults
	}
}

// runFlags binds every scenario parameter to a flag set. With record, each
// value given is also appended to it, in the order given.
func runFlags(sc *experiments.Scenario, record *[]experiments.Setting) *pflag.FlagSet {
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.SortFlags = false
	for _, p := range experiments.Params() {
		v := p.Value(sc)
		if record == nil {
			fs.Var(v, p.Name, p.Usage)
		} else {
			fs.Var(recordedValue{v, record}, p.Name, p.Usage)
		}
	}
	return fs
}

// recordedValue is a parameter flag that records each value given.
type recordedValue struct {
	param.Value
	record *[]experiments.Setting
}

func (v recordedValue) Set(s string) error {
	if err := v.Value.Set(s); err != nil {
		return err
	}
	*v.record = append(*v.record, experiments.Setting{Name: v.Name, Value: s})
	return nil
}

type runOptions struct {
	out    string
	format string
	quiet  bool
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sc := experiments.DefaultScenario()
	file, _, err := preloadScenario(args, &sc)
	if err != nil {
		return err
	}
	preselectModel(args, &sc)
	fs := runFlags(&sc, nil)
	var opt runOptions
	var scen scenarioFlags
	model, sets := modelFlags(fs)
	scen.add(fs)
	var mem memoryFlag
	mem.add(fs)
	fs.StringVar(&opt.out, "out", "", "directory for summary.json, timeseries.csv and figures (created if missing)")
	fs.StringVar(&opt.format, "format", "text", "what to print on stdout: text or json (the summary as one JSON object)")
	fs.BoolVar(&opt.quiet, "quiet", false, "no progress bar")
	var plot plotFlags
	plot.add(fs)
	var prof profileFlags
	prof.add(fs)
	var trc traceFlags
	trc.add(fs)
	var seq sequenceFlags
	seq.add(fs)
	if err := parseFlags(fs, args, runUsage, stdout); err != nil {
		if err == errHelpShown {
			printModelParams(stdout, *model, fs.Changed("model"))
		}
		return err
	}
	if err := applyModel(&sc, *model, *sets, file == "" || fs.Changed("model")); err != nil {
		return err
	}
	if scen.print {
		if err := sc.Validate(); err != nil {
			return err
		}
		_, err := stdout.Write(experiments.PrintScenario(sc, nil))
		return err
	}
	if opt.format != "text" && opt.format != "json" {
		return badInput("format: %q is not one of text, json", opt.format)
	}
	figs, err := plot.options()
	if err != nil {
		return err
	}
	if err := sc.Validate(); err != nil {
		return err
	}
	traceFilter, traceMax, err := trc.filter(sc, opt.out)
	if err != nil {
		return err
	}
	var taps []tap
	if sq, err := seq.tap(sc); err != nil {
		return err
	} else if sq != nil {
		taps = append(taps, *sq)
	}
	if err := mem.check(sc, 1, opt.out != ""); err != nil {
		return err
	}
	if opt.out != "" {
		// Held until every file is written: no other command writes there meanwhile.
		release, err := experiments.LockRunDir(opt.out)
		if err != nil {
			return err // bad input only when the directory is the user's mistake
		}
		defer release()
	}
	tr, err := trc.open(sc, traceFilter, traceMax, taps...)
	if err != nil {
		return err
	}
	defer tr.abort() // unless committed: a failed or interrupted run writes no trace
	sc.Trace = tr.tracer
	if os.Getenv("GOGC") == "" {
		// A single run's memory is mostly long-lived, pointer-free state
		// (views, queue slabs) that it keeps to the end: collections buy
		// little. Collecting at 5× the live heap instead of 2× takes 0.2 s
		// off the million-node epidemic (median of 5: 4.85 s -> 4.64 s) with
		// the same peak RSS (102 MB). A run that churns (SWIM at 100,000
		// members with corrupted updates spreading) trades memory for time:
		// 919 MB instead of 691 MB, 101 s instead of 117 s. The memory guard's
		// estimates include it. Sweeps, whose finished runs are garbage, keep
		// Go's default.
		debug.SetGCPercent(400)
	}
	stopProfile, err := prof.start()
	if err != nil {
		return err
	}
	res, err := experiments.Run(ctx, sc, progressFor(stderr, opt.quiet, sc.Duration))
	if perr := stopProfile(); err == nil {
		err = perr
	}
	if err != nil {
		return interruptedRun(err, &prof)
	}
	var written []string
	if os.Getenv("GOGC") == "" {
		// Writing the files (the spread figures above all) makes garbage
		// of its own while the run's state is garbage already: collecting
		// at 5× would wait for it, 191 MB peak RSS on the default run
		// instead of 119 MB.
		debug.SetGCPercent(100)
	}
	if opt.out != "" {
		if written, err = experiments.WriteRunAs(opt.out, res, figs); err != nil {
			return err
		}
	}
	traced, err := tr.commit(stderr)
	if err != nil {
		return err
	}
	written = append(written, traced...)
	if path, err := seq.write(res); err != nil {
		return err
	} else if path != "" {
		written = append(written, path)
	}
	if opt.format == "json" {
		return printJSON(stdout, res)
	}
	printText(stdout, res, written)
	return nil
}

// progressFor returns a progress callback drawing a bar on stderr, or nil when
// stderr is not a terminal or quiet is set.
func progressFor(stderr io.Writer, quiet bool, total sim.Time) experiments.Progress {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	bar := progressbar.NewOptions64(int64(total/sim.Millisecond),
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("simulating"),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100_000_000),
	)
	return func(done, _ sim.Time) { bar.Set64(int64(done / sim.Millisecond)) }
}

func printJSON(w io.Writer, res experiments.Result) error {
	b, err := json.Marshal(res.Summary)
	if err != nil {
		return err
	}
	// The wall-clock figures are the only non-deterministic ones: appended here, never in summary.json.
	speed := fmt.Sprintf(`,"wall_seconds":%s,"events_per_second":%s,"peak_rss_bytes":%d}`,
		strconv.FormatFloat(res.Wall.Seconds(), 'g', -1, 64), strconv.FormatFloat(res.EventsPerSecond(), 'g', -1, 64), peakRSS())
	_, err = fmt.Fprintf(w, "%s%s\n", b[:len(b)-1], speed)
	return err
}

func printText(w io.Writer, res experiments.Result, written []string) {
	s := res.Summary
	if len(s.Protocol) > 0 {
		fmt.Fprintf(w, "%s: %d nodes, seed %d\n", s.Model, s.Nodes, s.Seed)
		fmt.Fprintf(w, "  simulated         %d events in %.2f s wall (%.3g events/s)%s\n", s.Events, res.Wall.Seconds(), res.EventsPerSecond(), peakText())
		fmt.Fprintf(w, "  messages          %d sent, %s\n", s.MessagesSent, bytesize.Format(s.BytesSent))
		printStopped(w, s)
		for _, f := range s.Protocol {
			fmt.Fprintf(w, "  %-24s %s\n", f.Name, strconv.FormatFloat(f.Value, 'g', 6, 64))
		}
		if len(written) > 0 {
			fmt.Fprintf(w, "wrote %s\n", strings.Join(written, ", "))
		}
		return
	}
	fmt.Fprintf(w, "%s\n", experiments.Title(s))
	fmt.Fprintf(w, "  simulated         %g s, %d events in %.2f s wall (%.3g events/s)%s\n",
		s.DurationSeconds, s.Events, res.Wall.Seconds(), res.EventsPerSecond(), peakText())
	printStopped(w, s)
	fmt.Fprintf(w, "  gossip volume     %d messages, %s; peak %.0f messages/s, busiest node %.0f messages/s\n",
		s.MessagesSent, bytesize.Format(s.BytesSent), s.PeakMessagesPerSecond, s.PeakBusiestNodeMessagesPerSecond)
	fmt.Fprintf(w, "  failure notices   %d sent\n", s.FailureMessagesSent)
	fmt.Fprintf(w, "  corruptions       %d injected: %d rejected by checksum, %d undecodable, %d accepted, %d lost\n",
		s.CorruptionsInjected, s.CorruptionsRejected, s.CorruptionsUndecodable, s.CorruptionsAccepted, s.CorruptionsLost)
	switch {
	case s.TriggerTimeSeconds == nil:
		fmt.Fprintf(w, "  trigger           none (no corrupted message was accepted)\n")
	case s.Recovered:
		fmt.Fprintf(w, "  trigger           at %.1f s; recovered after %.1f s\n", *s.TriggerTimeSeconds, *s.RecoveryTimeSeconds)
	case s.Harmless:
		fmt.Fprintf(w, "  trigger           at %.1f s; harmless (no view was wrong at any moment after it)\n", *s.TriggerTimeSeconds)
	default:
		fmt.Fprintf(w, "  trigger           at %.1f s; NOT recovered by the horizon (censored)\n", *s.TriggerTimeSeconds)
	}
	fmt.Fprintf(w, "  wrong views       peak %.4f%%, at the end %.4f%%\n", 100*s.PeakWrongViewFraction, 100*s.FinalWrongViewFraction)
	fmt.Fprintf(w, "  failures          %d declared, %d false; %d queue drops\n", s.FailureDeclarations, s.FalseFailures, s.QueueDrops)
	if f := s.FaultSummary; f != nil {
		if f.FalseFailuresSameZone != nil && f.FalseFailuresCrossZone != nil {
			fmt.Fprintf(w, "  false failures    %d within a zone, %d across zones\n", *f.FalseFailuresSameZone, *f.FalseFailuresCrossZone)
		}
		switch {
		case f.HealTimeSeconds == nil:
		case f.ConvergenceAfterHealSeconds == nil:
			fmt.Fprintf(w, "  heal              at %.1f s; views NOT all right again by the horizon (censored)\n", *f.HealTimeSeconds)
		default:
			fmt.Fprintf(w, "  heal              at %.1f s; every view right %.1f s later\n", *f.HealTimeSeconds, *f.ConvergenceAfterHealSeconds)
		}
		if f.MessagesPartitioned > 0 {
			fmt.Fprintf(w, "  partitioned       %d messages blocked\n", f.MessagesPartitioned)
		}
	}
	if s.Crashes > 0 {
		fmt.Fprintf(w, "  crashes           %d, %d detected (mean first detection %s)\n", s.Crashes, s.CrashesDetected, optSeconds(s.DetectionTimeMeanSeconds))
	}
	fmt.Fprintf(w, "  load              mean utilization %.1f%%, peak node %.1f%%\n", 100*s.MeanUtilization, 100*s.PeakUtilization)
	printStory(w, res)
	if len(written) > 0 {
		fmt.Fprintf(w, "wrote %s\n", strings.Join(written, ", "))
	}
}

// printStory adds what the S3 model tells of how the run got there: the
// bad values the accepted corrupted messages brought and how far the
// first spread, and when the gossip became a storm (metrics.FindStorm)
// after the first node saturated. `gossipsim explain DIR` tells more.
func printStory(w io.Writer, res experiments.Result) {
	if r := res.Spread; r != nil && len(r.Values) > 0 {
		ahead := 0
		for _, v := range r.Values {
			if v.Kind == spread.KindAhead {
				ahead++
			}
		}
		first := experiments.InfectionCurves(r, res.Samples)[0]
		falses := "false failures"
		if len(r.Values)-ahead == 1 {
			falses = "false failure"
		}
		fmt.Fprintf(w, "  bad values        %d (%d ahead, %d %s); the first, about server %d, reached %d nodes\n",
			len(r.Values), ahead, len(r.Values)-ahead, falses, first.Value.Subject, first.Reach)
	}
	if res.Anatomy == nil {
		return
	}
	saturated := "no node saturated"
	if t, ok := res.Anatomy.FirstSaturationTime(); ok {
		saturated = fmt.Sprintf("first node saturated at %g s", t)
	}
	if st := experiments.RunStorm(res); st.Stormed {
		fmt.Fprintf(w, "  storm             from %g s (gossip at %d× the quiet %.0f messages/s); %s\n", st.Start, metrics.StormFactor, st.QuietRate, saturated)
	} else {
		fmt.Fprintf(w, "  storm             none (gossip never reached %d× the quiet %.0f messages/s); %s\n", metrics.StormFactor, st.QuietRate, saturated)
	}
}

func optSeconds(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.1f s", *p)
}

// peakText is ", peak memory X" for the text summary, or "" where unknown.
func peakText() string {
	if b := peakRSS(); b > 0 {
		return ", peak memory " + bytesize.Format(b)
	}
	return ""
}

// printStopped says when a run ended early at one of its limits.
func printStopped(w io.Writer, s experiments.Summary) {
	switch s.Stopped {
	case "max-events":
		fmt.Fprintf(w, "  STOPPED EARLY     at --max-events, %g simulated s in: the results cover only that much\n", s.DurationSeconds)
	case "timeout":
		fmt.Fprintf(w, "  STOPPED EARLY     at --timeout, %g simulated s in: the results cover only that much, and are not reproducible\n", s.DurationSeconds)
	}
}
