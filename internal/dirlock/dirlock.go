// Package dirlock gives one process at a time the use of a directory: an
// advisory, exclusive flock(2) on a file in it, FileName, held for as long as
// the process writes there.
//
// The lock file holds the holder's process id and command line, so that a
// second writer can say who is in the way:
//
//	l, err := dirlock.Acquire(dir, "gossipsim sweep ...")
//	var held *dirlock.HeldError
//	if errors.As(err, &held) {
//		// held.PID is using dir; wait for it or choose another directory
//	}
//	defer l.Close()
//
// Acquire never waits for the holder: it fails at once. The kernel releases
// the lock when the holder exits, however it exits; a lock file left behind
// by a killed process is taken over (and removed on Close) by the next
// Acquire, or removed by Probe, so it never blocks anyone. Close removes the
// file: a directory that no process uses holds no lock file.
//
// The lock is per open file, not per process: a process that acquires a
// directory it already holds is refused like any other. Nested directories
// have their own locks, so a process may hold a directory and its
// subdirectories at once.
//
// On platforms without flock (not unix) Acquire takes no lock: it only
// writes the holder's file, and never reports a HeldError.
package dirlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// FileName is the lock file's name inside the locked directory. It starts
// with a dot so that listings of results leave it out.
const FileName = ".gossipsim.lock"

// ErrHeld is matched (errors.Is) by every HeldError.
var ErrHeld = errors.New("directory in use")

// HeldError says that another holder has the directory's lock.
type HeldError struct {
	// Dir is the locked directory, as given to Acquire.
	Dir string
	// PID is the holder's process id; 0 if its lock file did not say.
	PID int
	// Command is the holder's command line as it wrote it (may be empty).
	Command string
}

// Error says who holds the directory, e.g.
// `"results/a" is in use by gossipsim (pid 1234)`.
func (e *HeldError) Error() string {
	pid := "pid unknown"
	if e.PID > 0 {
		pid = "pid " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("%q is in use by gossipsim (%s)", e.Dir, pid)
}

// Is makes errors.Is(err, ErrHeld) hold.
func (e *HeldError) Is(target error) bool { return target == ErrHeld }

// Lock is a held directory lock.
type Lock struct {
	f    *os.File
	path string
}

// attempts bounds Acquire's retries when the lock file changes under it or
// its holder has not written its pid yet; retryWait is the pause between
// the latter (the holder writes its pid microseconds after locking).
const (
	attempts  = 100
	retryWait = 5 * time.Millisecond
)

// Acquire takes the lock of dir (which must exist) for the calling holder,
// described by command (written into the lock file after the pid). If
// another holder has it, Acquire returns a *HeldError at once. Other errors
// are the file system's (the directory is not writable, ...).
func Acquire(dir, command string) (*Lock, error) {
	path := filepath.Join(dir, FileName)
	for attempt := 1; ; attempt++ {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if !ok {
			held := &HeldError{Dir: dir}
			held.PID, held.Command = readHolder(f)
			f.Close()
			if held.PID == 0 && attempt < attempts {
				// Locked an instant ago, pid not written yet (or a Probe).
				time.Sleep(retryWait)
				continue
			}
			return nil, held
		}
		// The previous holder may have removed the file between our open
		// and our lock: then ours is not the directory's lock file.
		if !samePath(f, path) {
			f.Close()
			if attempt < attempts {
				continue
			}
			return nil, fmt.Errorf("locking %s: the lock file keeps changing", path)
		}
		if err := writeHolder(f, command); err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		return &Lock{f: f, path: path}, nil
	}
}

// Close removes the lock file and releases the lock. It is safe to call
// more than once.
func (l *Lock) Close() error {
	if l == nil || l.f == nil {
		return nil
	}
	// Removed while still held: no other holder can have replaced it.
	rerr := os.Remove(l.path)
	cerr := l.f.Close()
	l.f = nil
	if rerr != nil && !os.IsNotExist(rerr) {
		return rerr
	}
	return cerr
}

// Probe checks that files can be created in dir (which must exist) and
// leaves nothing behind: it creates the lock file, and removes it again
// unless a holder has it (then the file is the holder's). A lock file left
// by a killed process is removed too. If the process dies between the
// create and the remove, what is left is a lock file that nobody holds,
// which the next Acquire or Probe takes over.
func Probe(dir string) error {
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if ok, err := tryLock(f); err == nil && ok && samePath(f, path) {
		return os.Remove(path)
	}
	return nil
}

// samePath reports whether path still names the file open as f.
func samePath(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

// writeHolder replaces the lock file's contents with "pid N\ncommand C\n".
func writeHolder(f *os.File, command string) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	command = strings.ReplaceAll(command, "\n", " ")
	_, err := f.WriteAt([]byte(fmt.Sprintf("pid %d\ncommand %s\n", os.Getpid(), command)), 0)
	return err
}

// readHolder reads the pid and command a holder wrote (0 and "" if none).
func readHolder(f *os.File) (pid int, command string) {
	buf := make([]byte, 4096)
	n, _ := f.ReadAt(buf, 0)
	for _, line := range strings.Split(string(buf[:n]), "\n") {
		if v, ok := strings.CutPrefix(line, "pid "); ok {
			pid, _ = strconv.Atoi(v)
		}
		if v, ok := strings.CutPrefix(line, "command "); ok {
			command = v
		}
	}
	if pid < 0 {
		pid = 0
	}
	return pid, command
}
