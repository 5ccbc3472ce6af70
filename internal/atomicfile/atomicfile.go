// Package atomicfile writes files so that readers, and the file system after
// a crash or a power cut, see either a file's old content or all of its new
// content, never a part.
//
// WriteFile writes to a temporary file in the same directory, fsyncs it,
// renames it over the target and fsyncs the directory, so that once it
// returns the new content survives a power cut. SyncDir makes the creation,
// rename or removal of a directory's entries durable.
//
//	if err := atomicfile.WriteFile("out/runs.csv", data); err != nil {
//		return err
//	}
//
// Files are created with mode 0644 less the process umask, like os.Create
// with 0644 (so 0644 under umask 022 and 0600 under umask 077).
package atomicfile

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
)

// Perm is the mode files are created with, before the umask.
const Perm = 0o644

// write writes data to f; tests replace it to inject faults such as ENOSPC.
var write = func(f *os.File, data []byte) (int, error) { return f.Write(data) }

// WriteFile writes data to path atomically and durably: a temporary file in
// path's directory is written, fsynced, renamed over path, and the directory
// is fsynced. On failure path is unchanged and the temporary file removed.
func WriteFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, tmp, err := createTemp(dir, ".tmp-"+filepath.Base(path)+"-")
	if err != nil {
		return err
	}
	_, err = write(f, data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return SyncDir(dir)
}

// createTemp creates a new file named prefix and a random number in dir,
// with mode Perm less the umask (os.CreateTemp would give 0600).
func createTemp(dir, prefix string) (*os.File, string, error) {
	for range 100 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, Perm)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		return f, name, err
	}
	return nil, "", fmt.Errorf("atomicfile: no free temporary name in %s", dir)
}

// SyncDir fsyncs the directory dir, making the creation, renaming and
// removal of its entries durable. File systems (and systems) that cannot
// fsync a directory are not an error.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be opened for syncing; NTFS journals metadata
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		return nil
	}
	return err
}

// CreateTemp creates a temporary file for path, in path's directory and
// with mode Perm less the umask, for a caller that streams more than it
// could hold in memory (WriteFile takes the whole content): the caller
// writes it, syncs and closes it, renames it (f.Name()) over path and
// syncs the directory (SyncDir), as WriteFile does, or removes it on
// failure.
func CreateTemp(path string) (f *os.File, err error) {
	f, _, err = createTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-")
	return f, err
}
