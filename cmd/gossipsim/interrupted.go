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

// profilesOnly is the error of a run interrupted after it wrote the profiles
// asked for (they are written at the end, interrupted or not) and nothing else.
type profilesOnly struct {
	files []string
	err   error // the context's error
}

func (e profilesOnly) Error() string {
	return "interrupted; no results were written, only the profiles asked for: " + strings.Join(e.files, ", ")
}

func (e profilesOnly) Unwrap() error { return e.err }

// interruptedRun is err, a run's interruption, saying which profiles were
// written nevertheless (err itself if none was asked for).
func interruptedRun(err error, p *profileFlags) error {
	var files []string
	for _, f := range []string{p.cpu, p.mem} {
		if f != "" {
			files = append(files, f)
		}
	}
	if len(files) == 0 || !errors.Is(err, context.Canceled) {
		return err
	}
	return profilesOnly{files, err}
}
