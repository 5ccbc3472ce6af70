package experiments

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ErrUnfinished marks a refusal to start a validation or a report in a
// directory that already holds results of an earlier start of one: without
// Resume they would be mixed with the new ones. It comes wrapped as bad input
// (ErrBadInput); a rerun with Resume finishes what is there.
var ErrUnfinished = errors.New("holds results of an earlier start")

// Unfinished is the error of a validation or a report stopped by the
// cancellation of its context after it had written part of its results in
// Dir. A rerun with Resume (SweepOptions.Resume, report.Options.Resume) keeps
// the finished parts and the recorded runs and finishes the rest.
type Unfinished struct {
	// What is "validation" or "report".
	What string
	// Dir is the output directory.
	Dir string
	// Done lists the parts finished (sub-directories of Dir: a validation's
	// checks, a report's replay, sweeps and validation), in order; Parts is
	// how many there are in all.
	Done  []string
	Parts int
	// InProgress is the part that was stopped ("" if it stopped between
	// parts), and Sweep its sweep's interruption if that part is or holds a
	// sweep that had started (nil otherwise).
	InProgress string
	Sweep      *Interrupted
	// Err is the context's error.
	Err error
}

func (e *Unfinished) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s interrupted (%v): %d of %d parts finished in %s", e.What, e.Err, len(e.Done), e.Parts, e.Dir)
	if e.Sweep != nil {
		fmt.Fprintf(&b, "; %d of %d runs of %s recorded in %s", e.Sweep.Recorded, e.Sweep.Total, e.InProgress, e.Sweep.Journal)
	}
	return b.String()
}

// Unwrap gives the context's error and the sweep's interruption, if any.
func (e *Unfinished) Unwrap() []error {
	if e.Sweep != nil {
		return []error{e.Err, e.Sweep}
	}
	return []error{e.Err}
}

// cancelled reports whether err is a context's cancellation or deadline.
func cancelled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Parts is an output directory that a validation or a report writes part
// by part, each part a sub-directory of Dir: it refuses the results of an
// earlier start and says, when a cancellation stops it, which parts are
// done (an [*Unfinished]).
type Parts struct {
	// What is "validation" or "report", for messages.
	What string
	// Dir is the output directory.
	Dir string
	// Names are the parts, in the order they are written.
	Names []string
	done  []string
}

// RefuseEarlierStart returns bad input (ErrUnfinished) naming the first of
// the parts, or of files (names in Dir), that Dir holds already: results of
// an earlier start, which a start without Resume would mix with its own. It
// returns nil if there is none.
func (p *Parts) RefuseEarlierStart(files ...string) error {
	if e := earlierStart(p.Dir, p.Names, files...); e != "" {
		return badInputf("out: %q %w of a %s (%s)", p.Dir, ErrUnfinished, p.What, e)
	}
	return nil
}

// Do runs part name with run, then counts it done. If ctx is done before
// it starts, or run fails with a context's cancellation or deadline, Do
// returns an [*Unfinished] saying which parts are done, or ctx's error
// alone if Dir holds none of the parts (nothing was written). Other errors
// of run come back as they are.
func (p *Parts) Do(ctx context.Context, name string, run func() error) error {
	if err := ctx.Err(); err != nil {
		return p.interrupted("", err)
	}
	if err := run(); err != nil {
		if cancelled(err) {
			return p.interrupted(name, err)
		}
		return err
	}
	p.done = append(p.done, name)
	return nil
}

// interrupted is the error of p stopped by err (a cancellation) in part
// inProgress ("" between parts): an *Unfinished, or the context's error
// itself if Dir holds none of the parts' results (nothing was written).
func (p *Parts) interrupted(inProgress string, err error) error {
	var ctxErr error = context.Canceled
	if errors.Is(err, context.DeadlineExceeded) {
		ctxErr = context.DeadlineExceeded
	}
	u := &Unfinished{What: p.What, Dir: p.Dir, Done: slices.Clone(p.done), Parts: len(p.Names), InProgress: inProgress, Err: ctxErr}
	errors.As(err, &u.Sweep)
	if u.Sweep == nil && earlierStart(p.Dir, p.Names) == "" {
		return ctxErr
	}
	return u
}

// earlierStart returns a path in dir that one of parts (sub-directories) or
// the files named wrote, or "" if there is none.
func earlierStart(dir string, parts []string, files ...string) string {
	for _, name := range append(parts, files...) {
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); err == nil {
			return p
		}
	}
	return ""
}
