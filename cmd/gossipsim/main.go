// Command gossipsim simulates failure gossip in large server fleets: the
// mechanism behind Amazon S3's outage of 20 July 2008, replayed from real bytes.
//
//	gossipsim run --out results/demo      the 2008-style event on the default scenario
//	gossipsim run --checksum crc32c ...   the same with mitigation (d)
//	gossipsim sweep --experiment corruption --out results/corruption
//	gossipsim help run                    every flag, with units and defaults
//
// Exit status:
//
//	0    success (also for --help)
//	1    a run failed, a validation check failed, or an I/O error (a full
//	     disk, a file that could not be read or written)
//	2    bad input: a bad flag, value, scenario file or grid; a directory that
//	     holds something else (another sweep, foreign or torn records); a run
//	     refused as too big for the memory available
//	130  interrupted (SIGINT or SIGTERM)
//
// The library marks bad input at its source with experiments.ErrBadInput
// (errors.Is); realMain maps errors to statuses by that, never by message,
// and hint (errors.go) adds the flag or command that fixes a refusal the
// library typed (the libraries never name flags).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/gossipsim/gossipsim/experiments"
)

// badInput is fmt.Errorf marked as bad input: exit status 2.
func badInput(format string, args ...any) error {
	return experiments.BadInput(fmt.Errorf(format, args...))
}

// Exit statuses (documented in the package comment, topUsage and the README).
const (
	exitOK       = 0
	exitFailure  = 1 // a run failed, a check failed, an I/O error
	exitBadInput = 2 // the caller's input is wrong (experiments.ErrBadInput)
	// 130: interrupted by SIGINT or SIGTERM (realMain's context.Canceled case)
)

// exitStatus classifies an error that is not an interruption.
func exitStatus(err error) int {
	switch {
	case err == nil, errors.Is(err, errHelpShown):
		return exitOK
	case errors.Is(err, experiments.ErrBadInput), errors.Is(err, experiments.ErrSweepExists):
		return exitBadInput
	}
	return exitFailure
}

const topUsage = `gossipsim simulates failure gossip in server fleets: a flipped bit in a
state message, the wrong state it spreads, the gossip storm and the recovery.

Usage:
  gossipsim run [flags]                 run one scenario (default: the 2008-style event, 1,000 nodes)
  gossipsim sweep [flags] --out DIR     run a parameter grid or a named experiment, with replicates
  gossipsim experiments                 list the named experiments
  gossipsim plot DIR                    redraw the figures of a run or sweep from its files
  gossipsim explain DIR                 tell what happened in a run: trigger, bad values, storm, way out
  gossipsim merge DIR... --out DIR      combine the shards of a sweep
  gossipsim validate --out DIR          check the classic protocols against the literature
  gossipsim report --out DIR            run a whole report: the 2008 replay, the mitigations, validation
  gossipsim version                     print the version and where this binary came from
  gossipsim help [command]              show help for a command
  gossipsim help faults                 topology, link classes, latency matrices, fault schedules

Start here:
  gossipsim run --out results/demo
  gossipsim explain results/demo
  gossipsim run --checksum crc32c --out results/crc32c

Run 'gossipsim help run' for every flag with its unit and default.

Exit status: 0 success; 1 a run or check failed, or an I/O error (a full
disk); 2 bad input (a flag, value, file or directory that is wrong, or a run
too big for the memory); 130 interrupted.
`

func main() {
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

// realMain runs the command line args and returns the exit status.
func realMain(args []string, stdout, stderr io.Writer) int {
	graceful := resumableSweep(args)
	ctx, stop := interrupts(stderr, graceful)
	defer stop()
	err := dispatch(ctx, args, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelpShown):
		return 0
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, interruptedMessage(err, args, graceful))
		return 130
	default:
		fmt.Fprintln(stderr, "gossipsim:", err.Error()+hint(err, args))
		return exitStatus(err)
	}
}

// interrupts turns SIGINT and SIGTERM into the cancellation of the returned
// context. SIGTERM, and without graceful (a single run) any signal, cancels
// it: the work stops at once (within a second: the engine polls every 256
// events), the journal keeping every finished run. With graceful (a sweep,
// validate, report) the first SIGINT (Ctrl-C, a person at a terminal) only
// drains the sweep in progress (no new run starts; the runs in flight finish
// and are journalled, see experiments.Graceful) and the second abandons the
// runs in flight. SIGTERM never drains: a scheduler (Slurm, Kubernetes,
// systemd) sends it and kills the process after a grace period, which runs in
// flight may outlast. Later signals are ignored until stop is called: the
// process is stopping already, and never killed in the middle of a write.
func interrupts(stderr io.Writer, graceful bool) (ctx context.Context, stop func()) {
	hard, abandon := context.WithCancel(context.Background())
	drain, stopStarting := context.WithCancel(hard)
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	quit := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		for n := 1; ; n++ {
			var sig os.Signal
			select {
			case sig = <-sigs:
			case <-quit:
				return
			}
			if graceful && n == 1 && sig == os.Interrupt {
				stopStarting()
				fmt.Fprintln(stderr, "gossipsim: interrupted: finishing the runs in flight; interrupt again to abandon them")
			} else {
				abandon()
			}
		}
	}()
	ctx = drain
	if graceful {
		ctx = experiments.Graceful(drain, hard)
	}
	return ctx, func() {
		signal.Stop(sigs)
		close(quit)
		<-exited
		stopStarting()
		abandon()
	}
}

// resumableSweep says whether args run sweeps that --resume can finish:
// sweep (the validation experiment included), validate and report.
func resumableSweep(args []string) bool {
	return len(args) > 0 && (args[0] == "sweep" || args[0] == "validate" || args[0] == "report")
}

// resumeCommand is the command line args with --resume, quoted for a POSIX shell.
func resumeCommand(args []string) string {
	parts := []string{"gossipsim"}
	resume := false
	for _, a := range args {
		parts = append(parts, shellQuote(a))
		resume = resume || a == "--resume" || a == "--resume=true"
	}
	if !resume {
		parts = append(parts, "--resume")
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@%", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

var errHelpShown = errors.New("help shown")

// parseFlags parses a subcommand's flags: --help prints usage and the flag
// list to stdout; a bad flag or a stray argument is bad input.
func parseFlags(fs *pflag.FlagSet, args []string, usage string, stdout io.Writer) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return errHelpShown
		}
		return badInput("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return badInput("%s: unexpected argument %q; every setting is a --flag (see gossipsim help %s)", fs.Name(), fs.Arg(0), fs.Name())
	}
	return nil
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage)
		return badInput("no command given; try 'gossipsim run --out results/demo'")
	}
	switch args[0] {
	case "run":
		return cmdRun(ctx, args[1:], stdout, stderr)
	case "sweep":
		return cmdSweep(ctx, args[1:], stdout, stderr)
	case "experiments":
		return cmdExperiments(args[1:], stdout)
	case "plot":
		return cmdPlot(args[1:], stdout, stderr)
	case "explain":
		return cmdExplain(args[1:], stdout)
	case "merge":
		return cmdMerge(args[1:], stdout)
	case "validate":
		return cmdValidate(ctx, args[1:], stdout, stderr)
	case "report":
		return cmdReport(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		return cmdVersion(args[1:], stdout)
	case "help", "-h", "--help":
		if len(args) > 1 {
			switch args[1] {
			case "run":
				return cmdRun(ctx, []string{"--help"}, stdout, stderr)
			case "sweep":
				return cmdSweep(ctx, []string{"--help"}, stdout, stderr)
			case "merge":
				return cmdMerge([]string{"--help"}, stdout)
			case "validate":
				return cmdValidate(ctx, []string{"--help"}, stdout, stderr)
			case "report":
				return cmdReport(ctx, []string{"--help"}, stdout, stderr)
			case "version":
				return cmdVersion([]string{"--help"}, stdout)
			case "explain":
				return cmdExplain([]string{"--help"}, stdout)
			case "mitigations":
				fmt.Fprint(stdout, mitigationsHelp())
				return nil
			case "faults", "topology":
				fmt.Fprint(stdout, faultsHelp)
				return nil
			}
		}
		fmt.Fprint(stdout, topUsage)
		return nil
	}
	fmt.Fprint(stderr, topUsage)
	return badInput("command: %q is not one of run, sweep, experiments, plot, explain, merge, validate, report, version, help", args[0])
}
