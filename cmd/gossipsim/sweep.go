package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/gossipsim/gossipsim/experiments"
)

const sweepUsage = `Usage: gossipsim sweep [--experiment NAME] [--grid KEY=SPEC ...] [--model NAME --set KEY=VALUE ...] --out DIR [flags]

Runs every point of a parameter grid (no grid: one point), each --replicates times with its own
seed, on --workers goroutines (fewer at once where their memory estimates would
not fit in --max-memory: then the largest start first), and writes DIR/runs.csv (one row per run),
DIR/points.csv (mean, sd, 95% CI, median per point), DIR/sweep.json and figures
(PNG, or --plot-format svg or pdf).
Finished runs are flushed to DIR/runs.partial.csv as they end: after an
interruption, rerun the same command with --resume.

Grid specs (repeat --grid for more axes; any run flag can be swept):
  nodes=500,1000,2000            a list
  loss=0:0.1:5                   5 values evenly spaced from 0 to 0.1
  corrupt-prob=1e-5:1e-1:log:9   9 values evenly spaced in log10
  gossip-interval=200ms:2s:log:4 durations take units

Every run flag (see gossipsim help run) sets the base scenario of the sweep;
--seed is the sweep seed, from which each run's seed is derived (a named
experiment keeps its own seed unless --seed is given). With --model, the
protocol's parameters (--set) are grid keys too: --model rumor --grid k=1,2,3.

Examples:
  gossipsim experiments
  gossipsim sweep --experiment corruption --out results/corruption
  gossipsim sweep --grid nodes=500,1000,2000 --grid corrupt-prob=1e-5:1e-1:log:9 --replicates 20 --out results/grid
  gossipsim sweep --experiment corruption --shard 2/8 --out results/shard-2   (then: gossipsim merge results/shard-* --out results/all)

Flags:
`

func cmdSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fileSc := experiments.DefaultScenario()
	file, spec, err := preloadScenario(args, &fileSc)
	if err != nil {
		return err
	}
	// The run flags parse into a scratch copy (for their errors); what was
	// given, in order, goes to BuildSweep.
	scratch := fileSc.Clone()
	var given []experiments.Setting
	fs := runFlags(&scratch, &given)
	fs.Init("sweep", pflag.ContinueOnError)
	var scen scenarioFlags
	var (
		name, out, shardSpec string
		grid                 []string
		replicates, nworkers int
		resume, quiet        bool
	)
	model, sets := modelFlags(fs)
	fs.StringVar(&name, "experiment", "", "named experiment to run (see gossipsim experiments)")
	fs.StringArrayVar(&grid, "grid", nil, "a swept parameter, KEY=V1,V2 or KEY=A:B:N or KEY=A:B:log:N (repeatable)")
	fs.IntVar(&replicates, "replicates", 0, "runs per grid point (default: the experiment's, or 10)")
	fs.IntVar(&nworkers, "workers", 0, "runs in parallel (default: the number of CPUs)")
	fs.StringVar(&shardSpec, "shard", "", "run only the i-th of n disjoint slices of the runs, as i/n (for clusters)")
	fs.BoolVar(&resume, "resume", false, "finish a sweep already in --out, skipping the runs it holds")
	fs.StringVar(&out, "out", "", "directory for the results (required)")
	fs.BoolVar(&quiet, "quiet", false, "no progress bar")
	var plot plotFlags
	plot.add(fs)
	scen.add(fs)
	var mem memoryFlag
	mem.add(fs)
	if err := parseFlags(fs, args, sweepUsage, stdout); err != nil {
		if err == errHelpShown {
			printModelParams(stdout, *model, fs.Changed("model"))
		}
		return err
	}
	in := experiments.SweepInput{Experiment: name, Spec: spec, Params: given, Sets: *sets, Grid: grid}
	if file != "" {
		in.File = &fileSc
	}
	if file == "" || fs.Changed("model") {
		in.Model = *model
	}
	if fs.Changed("replicates") {
		in.Replicates = &replicates
	}
	if out == "" && !scen.print {
		return badInput("out: missing; give --out DIR for the results")
	}
	figs, err := plot.options()
	if err != nil {
		return err
	}
	if name == "validation" {
		// The validation experiment is several sweeps, one per check.
		if err := validationFlagsOnly(fs); err != nil {
			return err
		}
		if fs.Changed("workers") && nworkers < 1 {
			return badInput("workers: %d must be at least 1", nworkers)
		}
		opt := experiments.SweepOptions{Workers: nworkers, Resume: resume, Plot: figs}
		return runValidation(ctx, out, false, opt, stdout)
	}
	sw, err := experiments.BuildSweep(in)
	if err != nil {
		return err
	}
	if fs.Changed("workers") && nworkers < 1 {
		return badInput("workers: %d must be at least 1", nworkers)
	}
	var shard experiments.Shard
	if shardSpec != "" {
		var err error
		if shard, err = experiments.ParseShard(shardSpec); err != nil {
			return err
		}
	}
	specs, err := sw.Runs()
	if err != nil {
		return err
	}
	if scen.print {
		_, err := stdout.Write(experiments.PrintScenario(sw.Base, &sw))
		return err
	}
	if err := checkSweepMemory(&mem, specs, 1); err != nil {
		return err
	}
	limit, err := mem.limit()
	if err != nil {
		return err
	}
	// The runs share the memory: a run starts only when it fits beside
	// those in flight, largest first. The garbage collector is held to the
	// same budget, for the sweep's time (unless GOMEMLIMIT says otherwise):
	// left to GOGC alone, the heap of a run holding 6 GB of views grows to
	// twice that before it is collected.
	if limit.Bytes > 0 && os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(limit.Bytes))
	}
	opt := experiments.SweepOptions{Workers: nworkers, Shard: shard, Resume: resume, Plot: figs, MemoryBudget: limit.Bytes}
	bar := sweepBar(stderr, quiet)
	if bar != nil {
		opt.Progress = func(done, total int) {
			bar.ChangeMax(total)
			bar.Set(done)
		}
	}
	rep, err := experiments.RunSweep(ctx, sw, out, opt)
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(stderr)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("interrupted: %d finished runs are saved in %s; rerun the same command with --resume to finish: %w", rep.Skipped+rep.Ran, out, err)
	case err != nil:
		return err
	}
	fmt.Fprintf(stdout, "sweep %s: %d runs in shard %s (%d ran now, %d already done)\n", sw.Experiment, rep.Total, shard, rep.Ran, rep.Skipped)
	for _, f := range rep.Files {
		fmt.Fprintf(stdout, "wrote %s\n", f)
	}
	if !shard.Whole() {
		fmt.Fprintf(stdout, "this is shard %s; when every shard is done: gossipsim merge DIR... --out DIR\n", shard)
	}
	return nil
}

// validationSweepFlags are the sweep flags that the validation experiment
// takes (it has no grid, scenario or model of its own: each check sets them).
var validationSweepFlags = []string{"experiment", "out", "workers", "resume", "quiet", "plot-format", "dpi"}

// validationFlagsOnly refuses, naming them, the flags given that the
// validation experiment does not take.
func validationFlagsOnly(fs *pflag.FlagSet) error {
	var bad []string
	fs.Visit(func(f *pflag.Flag) {
		if !slices.Contains(validationSweepFlags, f.Name) {
			bad = append(bad, "--"+f.Name)
		}
	})
	if len(bad) == 0 {
		return nil
	}
	slices.Sort(bad)
	return badInput("experiment: validation does not take %s; it takes --out, --workers, --resume, --quiet, --plot-format and --dpi", strings.Join(bad, ", "))
}

func sweepBar(stderr io.Writer, quiet bool) *progressbar.ProgressBar {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions(1,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("runs"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("runs"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100_000_000),
	)
}

func cmdExperiments(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return badInput("experiments: takes no arguments, got %q", args[0])
	}
	defer func() {
		fmt.Fprintf(stdout, "validation\n  each classic protocol against the literature (same as gossipsim validate)\n")
		for _, c := range experiments.ValidationChecks() {
			fmt.Fprintf(stdout, "  check %s: %s = %s, %d replicates\n", c.Name, c.Axis, strings.Join(c.Values, ", "), c.Replicates)
		}
	}()
	for _, e := range experiments.Experiments() {
		sw := e.Sweep()
		fmt.Fprintf(stdout, "%s\n  %s\n", e.Name, e.Description)
		if len(sw.Axes) == 0 {
			fmt.Fprintf(stdout, "  grid: none (one point)\n")
		}
		for _, ax := range sw.Axes {
			if len(ax.Labels) != len(ax.Values) {
				fmt.Fprintf(stdout, "  grid: %s = %s\n", ax.Name, strings.Join(ax.Values, ", "))
				continue
			}
			name := ax.Name // labelled values (fault schedules): one a line
			if ax.Title != "" {
				name += " (" + ax.Title + ")"
			}
			fmt.Fprintf(stdout, "  grid: %s =\n", name)
			for i, v := range ax.Values {
				fmt.Fprintf(stdout, "    %s: %s\n", ax.Labels[i], v)
			}
		}
		runs, _ := sw.Runs()
		fmt.Fprintf(stdout, "  replicates: %d (%d runs; %d nodes, %s simulated each unless swept)\n\n", sw.Replicates, len(runs), sw.Base.Fleet.Nodes, sw.Base.Duration)
	}
	return nil
}

const plotUsage = `Usage: gossipsim plot DIR [--plot-format png|svg|pdf] [--dpi N]

Draws the figures of a run or sweep directory again from its files (a run's
timeseries.csv and summary.json, a sweep's sweep.json and runs.csv), in the
format asked for, beside any figures already there.

Flags:
`

func cmdPlot(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("plot", pflag.ContinueOnError)
	var plot plotFlags
	plot.add(fs)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, plotUsage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return errHelpShown
		}
		return badInput("plot: %v", err)
	}
	if fs.NArg() != 1 {
		return badInput("plot: give one directory, written by gossipsim run or gossipsim sweep")
	}
	figs, err := plot.options()
	if err != nil {
		return err
	}
	files, warnings, err := redraw(fs.Arg(0), figs)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "gossipsim: plot: warning: %s\n", w)
	}
	if err != nil {
		return fmt.Errorf("plot: %w", err) // bad input (exit 2) only where the library says so
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "wrote %s\n", f)
	}
	return nil
}

// redraw and merge are the library calls behind plot and merge; tests
// replace them to inject failures (a full disk) the library would report.
var (
	redraw = experiments.Redraw
	merge  = experiments.Merge
)

func cmdMerge(args []string, stdout io.Writer) error {
	fs := pflag.NewFlagSet("merge", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", "", "directory for the merged results (must not hold a sweep)")
	var plot plotFlags
	plot.add(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintln(stdout, "Usage: gossipsim merge SHARD_DIR... --out DIR\n\nCombines the shard directories of one sweep into what the unsharded sweep writes.")
			return errHelpShown
		}
		return badInput("merge: %v", err)
	}
	if *out == "" || fs.NArg() == 0 {
		return badInput("merge: give the shard directories and --out DIR")
	}
	figs, err := plot.options()
	if err != nil {
		return err
	}
	files, err := merge(fs.Args(), *out, figs)
	if err != nil {
		return err // bad input (exit 2) only where the library says so; a full disk is exit 1
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "wrote %s\n", f)
	}
	return nil
}

// checkSweepMemory refuses a sweep whose largest run, times concurrent
// runs in flight at once, cannot fit in memory. A sweep checks its largest
// run alone (concurrent 1): it then runs its runs beside each other only as
// far as their estimates fit together (SweepOptions.MemoryBudget); a
// report, which runs up to its workers at once, checks that many.
func checkSweepMemory(mem *memoryFlag, specs []experiments.RunSpec, concurrent int) error {
	if concurrent < 1 {
		concurrent = runtime.NumCPU()
	}
	var biggest experiments.Scenario
	most := int64(-1)
	for _, rs := range specs {
		if need, _ := experiments.EstimateMemory(rs.Scenario); need > most {
			most, biggest = need, rs.Scenario
		}
	}
	if most < 0 {
		return nil
	}
	return mem.check(biggest, min(concurrent, len(specs)), false)
}
