package experiments

import (
	"errors"
	"fmt"
)

// ErrBadInput marks an error caused by what the caller gave: a parameter out
// of range, a file or directory that holds something else (another sweep, a
// foreign or torn record, stale results), a lock held by another process.
// Callers decide with errors.Is; the command line exits 2 on it. Every other
// error (I/O, a run that failed) is not bad input: the command line exits 1.
var ErrBadInput = errors.New("bad input")

// inputError is an error that is bad input: errors.Is(err, ErrBadInput)
// holds, and its message is the wrapped error's alone.
type inputError struct{ err error }

func (e inputError) Error() string        { return e.err.Error() }
func (e inputError) Unwrap() error        { return e.err }
func (e inputError) Is(target error) bool { return target == ErrBadInput }

// BadInput marks err as bad input (see ErrBadInput); nil stays nil.
func BadInput(err error) error {
	if err == nil {
		return nil
	}
	return inputError{err}
}

// badInputf is fmt.Errorf marked as bad input.
func badInputf(format string, args ...any) error {
	return BadInput(fmt.Errorf(format, args...))
}
