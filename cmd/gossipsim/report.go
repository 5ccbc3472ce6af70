package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/experiments/report"
)

const reportUsage = `Usage: gossipsim report --out DIR [--experiment NAME | --scenario FILE] [--quick] [--resume]

Runs everything a report needs and writes DIR/report.md and DIR/report.html
(figures beside them, no external assets): what was simulated (the scenario,
fully defaulted), the figures with captions, the tables, the validation of the
classic protocols against the literature, and the command that reproduces it.

With the default experiment, s3-2008, the report replays the event of
20 July 2008 with 1,000 servers on its published clock, compressed 30 times
(errors from 08:40, the decision at 10:32, shutdown by 11:05, communication
restored at 14:20) with the slow 2008-style reset, then the same trigger under
each mitigation on the same clock, and the replicated mitigations experiment
with recovery time and gossip volume (mean, 95% CI). It says which parts are
calibrated to the timeline and which are the model's own behaviour. It takes
about 4 minutes on 2 cores; --quick takes well under a minute with small
fleets (40 servers in the replay, too few to storm) and few replicates.

Interrupted (Ctrl-C once: the runs in flight finish; twice: they are
abandoned), it says what is written; rerun the same command with --resume to
finish the report: its sweeps skip the runs they hold, the replay's few runs
run again, and report.md is the one an uninterrupted report writes.
Exit status: 0 done, 1 a run or a write failed, 2 bad input (a DIR holding an
earlier report without --resume), 130 interrupted.

Examples:
  gossipsim report --out results/report
  gossipsim report --quick --out results/quick-report
  gossipsim report --experiment corruption --out results/corruption-report
  gossipsim report --scenario experiments/scenarios/scale.yaml --out results/scale-report

Flags:
`

func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("report", pflag.ContinueOnError)
	fs.SortFlags = false
	out := fs.String("out", "", "directory for the report and its runs (required; must not hold a report already)")
	name := fs.String("experiment", "s3-2008", "named experiment to report on (gossipsim experiments lists them)")
	file := fs.String("scenario", "", "scenario file to report on instead (its sweep section, or 10 replicates of its scenario)")
	quick := fs.Bool("quick", false, "small fleets and few replicates, for a first look (the report says so)")
	workers := fs.Int("workers", 0, "runs in parallel (default: the number of CPUs)")
	resume := fs.Bool("resume", false, "finish a report already in --out, skipping the runs it holds")
	var plot plotFlags
	plot.add(fs)
	var mem memoryFlag
	mem.add(fs)
	if err := parseFlags(fs, args, reportUsage, stdout); err != nil {
		return err
	}
	if *out == "" {
		return badInput("out: missing; give --out DIR for the report")
	}
	if *workers < 0 {
		return badInput("workers: %d must be at least 1 (or 0 for one per CPU)", *workers)
	}
	popt, err := plot.options()
	if err != nil {
		return err
	}
	var sw experiments.Sweep
	switch {
	case *file != "" && fs.Changed("experiment"):
		return badInput("scenario: give --scenario or --experiment, not both")
	case *file != "":
		sc := experiments.DefaultScenario()
		spec, err := experiments.LoadScenarioFile(*file, &sc)
		if err != nil {
			return err
		}
		sw = experiments.Sweep{Experiment: "custom", Seed: sc.Seed, Replicates: 10, Base: sc}
		if e, ok := experiments.LookupExperiment(spec.Experiment); ok {
			sw = e.Sweep()
			sw.Base = sc
		}
		experiments.ApplySweepSpec(&sw, spec)
		if *quick {
			sw.Replicates = min(sw.Replicates, 3)
		}
	default:
		e, ok := experiments.LookupExperiment(*name)
		if !ok {
			return badInput("experiment: %q is not one of %s", *name, strings.Join(experiments.ExperimentNames(), ", "))
		}
		sw = e.Sweep()
		if *quick && e.Quick != nil {
			sw = e.Quick()
		} else if *quick && sw.Experiment != "s3-2008" {
			sw.Replicates = min(sw.Replicates, 3)
			sw.Base.Fleet.Nodes = min(sw.Base.Fleet.Nodes, 100)
		}
	}
	specs, err := sw.Runs()
	if err != nil {
		return err
	}
	if err := checkSweepMemory(&mem, specs, *workers); err != nil {
		return err
	}
	if report.Finished(*out) {
		return badInput("out: %q holds a report already; give another --out", *out)
	}
	if err := experiments.PrepareOutDir(*out); err != nil {
		return err
	}
	opt := report.Options{
		Sweep: sw, Quick: *quick, Workers: *workers, Plot: popt,
		Command: strings.Join(append([]string{"gossipsim", "report"}, quoteAll(withoutResume(args))...), " "),
		Resume:  *resume,
		Progress: func(stage string) {
			fmt.Fprintf(stderr, "report: %s\n", stage)
		},
	}
	files, err := report.Write(ctx, *out, opt)
	if err != nil {
		return err // hint adds the command that finishes an earlier start
	}
	fmt.Fprintf(stdout, "wrote %s and %s (%d files in all)\n", files[len(files)-2], files[len(files)-1], len(files))
	return nil
}

func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = shellQuote(a)
	}
	return out
}

// withoutResume is args without --resume: the command that reproduces a
// report from scratch (and so the same report.md, resumed or not).
func withoutResume(args []string) []string {
	var out []string
	for _, a := range args {
		if a != "--resume" && a != "--resume=true" {
			out = append(out, a)
		}
	}
	return out
}
