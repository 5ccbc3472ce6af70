package experiments

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gossipsim/gossipsim/internal/atomicfile"
	"github.com/gossipsim/gossipsim/internal/dirlock"
)

// Bookkeeping files that a command keeps in its output directory beside its
// results. Neither is a result: readers of results ignore them.
const (
	// LockFileName is the lock file (see LockDir): it exists while a
	// command writes the directory, and holds that command's pid.
	LockFileName = dirlock.FileName
	// IncompleteFileName marks an output set that is being written, or
	// whose command failed or was killed before its last file: one line
	// names the command, whose rerun finishes the set and removes it.
	IncompleteFileName = "INCOMPLETE"
)

// A single run's result files (WriteRun).
const (
	SummaryFileName       = "summary.json"
	RunTimeSeriesFileName = "timeseries.csv"
)

// ErrDirInUse is matched (errors.Is) by the error of LockDir, and of every
// command that writes a directory, when another process (or another
// command of this one) is writing that directory. It is also bad input
// (ErrBadInput).
var ErrDirInUse = dirlock.ErrHeld

// LockDir creates dir if needed and takes its lock: no other gossipsim
// command can write dir until release is called. The lock file is also the
// check that files can be created in dir. If another process holds dir,
// LockDir fails at once with a one-line error naming that process's pid
// (ErrDirInUse, ErrBadInput). RunSweep, Merge (on its output), RunValidation
// and report.Write lock their directory themselves; a caller that writes
// a directory by other means (a single run's files) locks it with LockDir
// or LockRunDir first. A process must not lock a directory it holds
// already: the second lock is refused like another process's.
func LockDir(dir string) (release func() error, err error) {
	if dir == "" {
		return nil, badInputf("out: empty path; give a directory")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, outDirError(dir, err)
	}
	l, err := dirlock.Acquire(dir, strings.Join(os.Args, " "))
	switch {
	case errors.Is(err, dirlock.ErrHeld):
		return nil, badInputf("out: %w; wait for it or choose another directory", err)
	case err != nil:
		return nil, outDirError(dir, err)
	}
	return l.Close, nil
}

// LockRunDir is LockDir for a single run's files: it also refuses a sweep
// directory (one holding sweep.json), whose results a run would mix with
// its own.
func LockRunDir(dir string) (release func() error, err error) {
	release, err = LockDir(dir)
	if err != nil {
		return nil, err
	}
	if exists(filepath.Join(dir, SweepFileName)) {
		release()
		return nil, badInputf("out: %q holds a sweep (%s), not a run; choose another directory", dir, SweepFileName)
	}
	return release, nil
}

// lockSweepDir is LockDir for a sweep's files: it also refuses a single
// run's directory (summary.json or timeseries.csv, no sweep.json).
func lockSweepDir(dir string) (release func() error, err error) {
	release, err = LockDir(dir)
	if err != nil {
		return nil, err
	}
	if !exists(filepath.Join(dir, SweepFileName)) {
		for _, name := range []string{SummaryFileName, RunTimeSeriesFileName} {
			if exists(filepath.Join(dir, name)) {
				release()
				return nil, badInputf("out: %q holds a run (%s), not a sweep; choose another directory", dir, name)
			}
		}
	}
	return release, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// BeginOutputSet marks dir as holding an incomplete output set of command
// (e.g. "gossipsim run"), before the set's first file is written: it writes
// dir/IncompleteFileName, one line naming command.
func BeginOutputSet(dir, command string) error {
	line := fmt.Sprintf("incomplete: %s was writing this directory and stopped before its last file; rerun the same command to finish the set (this file then goes)\n", command)
	return WriteFileAtomic(filepath.Join(dir, IncompleteFileName), []byte(line))
}

// EndOutputSet removes dir's incomplete mark, durably, after the set's last
// file is written.
func EndOutputSet(dir string) error {
	if err := os.Remove(filepath.Join(dir, IncompleteFileName)); err != nil && !os.IsNotExist(err) {
		return err
	}
	return atomicfile.SyncDir(dir)
}

// Incomplete reports whether dir holds an output set that its command
// began and did not finish (an IncompleteFileName marker).
func Incomplete(dir string) bool {
	return exists(filepath.Join(dir, IncompleteFileName))
}
