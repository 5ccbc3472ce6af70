package main

import (
	"errors"
	"fmt"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/internal/bytesize"
)

// hint is the command-line advice that ends the error line of args's
// command: which flag or command fixes err. The libraries name the
// parameter, the value and what is allowed in their own words and mark the
// refusals cmd completes with a sentinel or typed error; this is the one
// place that turns them into flags. It is "" for every other error.
func hint(err error, args []string) string {
	command := ""
	if len(args) > 0 {
		command = args[0]
	}
	var me *experiments.MemoryError
	switch {
	case errors.As(err, &me):
		if me.Need >= 1<<62 { // beyond any --max-memory
			return "; use fewer nodes or workers"
		}
		return fmt.Sprintf("; use fewer nodes or workers, or --max-memory %s to run anyway", bytesize.Format(me.Need/4*5))
	case errors.Is(err, experiments.ErrUnfinished):
		return fmt.Sprintf("; to finish it, run: %s (or give another --out)", resumeCommand(args))
	case command == "merge":
		// Merge's refusals say what to do in words (merge into a new
		// directory); it has no --resume: the same merge again finishes one.
		if errors.Is(err, experiments.ErrRunsMissing) {
			return "; finish every shard (gossipsim sweep ... --resume) first"
		}
	case errors.Is(err, experiments.ErrSweepExists):
		return "; use --resume to finish it, or another --out"
	case errors.Is(err, experiments.ErrDifferentSweep):
		return "; use another --out"
	case errors.Is(err, experiments.ErrRunsMissing):
		return "; finish the sweep (--resume) or merge its shards first"
	case errors.Is(err, experiments.ErrSeedAxis):
		return " (--replicates)"
	case errors.Is(err, experiments.ErrUnknownParam):
		return " (see gossipsim help run)"
	case errors.Is(err, experiments.ErrRunParamsModel):
		return "; give them as flags, and --set with --model (see gossipsim help run)"
	case errors.Is(err, experiments.ErrNotScenario):
		return " (gossipsim run --print-scenario shows one)"
	}
	return ""
}
