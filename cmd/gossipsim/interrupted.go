package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gossipsim/gossipsim/experiments"
)

// interruptedMessage is the line printed when a command was interrupted
// (err wraps context.Canceled): what it actually wrote, and the exact command
// that finishes it when it can be resumed.
func interruptedMessage(err error, args []string, resumable bool) string {
	var (
		unf  *experiments.Unfinished
		intr *experiments.Interrupted
	)
	switch {
	case err == context.Canceled:
		return "gossipsim: interrupted; nothing was written"
	case errors.As(err, &unf):
		return fmt.Sprintf("gossipsim: interrupted: %s; to finish, run: %s", unfinishedText(unf), resumeCommand(args))
	case resumable && errors.As(err, &intr):
		return fmt.Sprintf("gossipsim: interrupted: %d of %d runs are recorded in %s; to finish the sweep, run: %s",
			intr.Recorded, intr.Total, intr.Journal, resumeCommand(args))
	}
	return fmt.Sprint("gossipsim: ", err)
}

// unfinishedText says what an interrupted validation or report wrote.
func unfinishedText(u *experiments.Unfinished) string {
	part := "parts"
	if u.What == "validation" {
		part = "checks"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d %s of the %s are finished in %s", len(u.Done), u.Parts, part, u.What, u.Dir)
	if len(u.Done) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(u.Done, ", "))
	}
	switch {
	case u.Sweep != nil:
		fmt.Fprintf(&b, "; of %s, %d of %d runs are recorded in %s", u.InProgress, u.Sweep.Recorded, u.Sweep.Total, u.Sweep.Journal)
	case u.InProgress == "replay":
		b.WriteString("; the replay was in progress (its few runs are run again)")
	}
	return b.String()
}

// refusedEarlierStart adds the resume command to a refusal to start over
// results of an earlier start (experiments.ErrUnfinished).
func refusedEarlierStart(err error, args []string) error {
	if errors.Is(err, experiments.ErrUnfinished) {
		return badInput("%v; to finish it, run: %s (or give another --out)", err, resumeCommand(args))
	}
	return err
}
