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

// The refusals below are bad input that the command line completes with
// advice of its own (which flag or command fixes it): each message names the
// directory, parameter or value and what is wrong in the library's words,
// and callers tell them apart with errors.Is. ErrSweepExists, ErrUnfinished
// and *MemoryError are of the same kind.
var (
	// ErrDifferentSweep: a directory holds a sweep (sweep.json) other than
	// the one being resumed or merged with it.
	ErrDifferentSweep = errors.New("holds a different sweep")
	// ErrRunsMissing: a sweep's directory, or the shards given to Merge
	// together, do not record every run of the sweep.
	ErrRunsMissing = errors.New("runs are missing")
	// ErrSeedAxis: a grid axis over the seed; each run's seed is derived
	// from the sweep's seed, and a point runs Replicates times instead.
	ErrSeedAxis = errors.New("seeds are not swept")
	// ErrUnknownParam: a name that is no parameter of the scenario's model
	// (a grid axis, a scenario-file key, Scenario.Set).
	ErrUnknownParam = errors.New("no such parameter")
	// ErrNotScenario: a scenario file that is not a YAML mapping of run
	// parameters (it is empty, or a list or a scalar).
	ErrNotScenario = errors.New("a scenario file is a YAML mapping of run parameters")
	// ErrRunParamsModel: a model key=value for a model whose parameters are
	// run parameters (the s3 model's), set by name like nodes or seed.
	ErrRunParamsModel = errors.New("the model's parameters are run parameters")
)

// kindError is an error that matches kind (errors.Is) and says err's
// message, for refusals whose words do not hold kind's own.
type kindError struct {
	kind error
	err  error
}

func (e kindError) Error() string        { return e.err.Error() }
func (e kindError) Unwrap() error        { return e.err }
func (e kindError) Is(target error) bool { return target == e.kind }

// refusef is fmt.Errorf marked as bad input of the given kind.
func refusef(kind error, format string, args ...any) error {
	return BadInput(kindError{kind, fmt.Errorf(format, args...)})
}
