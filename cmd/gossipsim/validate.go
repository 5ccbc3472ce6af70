package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/gossipsim/gossipsim/experiments"
)

const validateUsage = `Usage: gossipsim validate --out DIR [--quick] [--resume] [--workers N] [--plot-format png|svg|pdf] [--dpi N]

Runs the validation experiment: each classic protocol against the analytic or
published result for it (push epidemic rounds against log2 n + ln n, rumor
mongering residue against s = exp(-(k+1)(1-s)), SWIM's first detection against
e/(e-1) periods, heartbeat detection against T_fail). Prints, per check and
parameter value, the reference and its source, the simulated mean with its
95% CI, and PASS when the mean is within the stated tolerance. Writes
DIR/validation.csv, one figure per check and each check's sweep in DIR/CHECK/.
Interrupted (Ctrl-C once: the runs in flight finish; twice: they are
abandoned), it says what is written; rerun the same command with --resume to
finish it, skipping the recorded runs.
Exit status 1 when a check fails, 2 on bad input (a DIR holding an earlier
validation without --resume), 130 when interrupted.

Flags:
`

func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("validate", pflag.ContinueOnError)
	out := fs.String("out", "", "directory for the results (required)")
	quick := fs.Bool("quick", false, "first parameter value only, fewer replicates (for a fast check)")
	nworkers := fs.Int("workers", 0, "runs in parallel (default: the number of CPUs)")
	resume := fs.Bool("resume", false, "finish a validation already in --out, skipping the runs it holds")
	var plot plotFlags
	plot.add(fs)
	if err := parseFlags(fs, args, validateUsage, stdout); err != nil {
		return err
	}
	if *out == "" {
		return badInput("out: missing; give --out DIR for the results")
	}
	figs, err := plot.options()
	if err != nil {
		return err
	}
	opt := experiments.SweepOptions{Workers: *nworkers, Plot: figs, Resume: *resume}
	return runValidation(ctx, *out, *quick, opt, stdout)
}

// runValidation runs the validation experiment into out and prints its
// results (for validate, or sweep --experiment validation).
func runValidation(ctx context.Context, out string, quick bool, opt experiments.SweepOptions, stdout io.Writer) error {
	rs, files, err := experiments.RunValidation(ctx, out, quick, opt)
	if err != nil {
		return err // bad input (exit 2) only where the library says so; hint adds --resume
	}
	failed := 0
	for _, r := range rs {
		fmt.Fprintf(stdout, "%s\n  %s\n  reference: %s\n", r.Check.Name, r.Check.What, r.Check.Source)
		for _, p := range r.Points {
			verdict := "PASS"
			if !p.Pass {
				verdict, failed = "FAIL", failed+1
			}
			tol := fmt.Sprintf("±%g", r.Check.Tolerance)
			if r.Check.Relative {
				tol = fmt.Sprintf("±%g%%", 100*r.Check.Tolerance)
			}
			fmt.Fprintf(stdout, "  %s=%-8g reference %-9.4g simulated %-9.4g 95%% CI [%.4g, %.4g] over %d runs, tolerance %s  %s\n",
				r.Check.Axis, p.X, p.Reference, p.Stat.Mean, p.Stat.Lo, p.Stat.Hi, p.Stat.N, tol, verdict)
		}
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "wrote %s\n", f)
	}
	if failed > 0 {
		return fmt.Errorf("validate: %d comparisons outside their tolerance", failed)
	}
	return nil
}
