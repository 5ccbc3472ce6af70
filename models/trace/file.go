package trace

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gossipsim/gossipsim/internal/atomicfile"
)

// File is a Writer to a file that appears only whole: the events go to a
// temporary file in the target's directory, which Commit renames over the
// target once the run is done, and Abort removes. A run that fails or is
// interrupted so leaves no trace behind, and a reader never sees half of
// one.
type File struct {
	*Writer
	f    *os.File
	path string
	done bool
}

// Create starts the trace file path (its directory must exist), writing at
// most maxBytes bytes of events (0: no cap; see Writer).
func Create(path string, maxBytes int64) (*File, error) {
	f, err := atomicfile.CreateTemp(path)
	if err != nil {
		return nil, err
	}
	return &File{Writer: NewWriter(f, maxBytes), f: f, path: path}, nil
}

// Path is the file's final name.
func (f *File) Path() string { return f.path }

// Commit ends the trace (Writer.Close), syncs it to disk and renames it
// to its final name. On failure nothing is left at either name.
func (f *File) Commit() error {
	if f.done {
		return nil
	}
	f.done = true
	tmp := f.f.Name()
	err := f.Writer.Close()
	if err == nil {
		err = f.f.Sync()
	}
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, f.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return atomicfile.SyncDir(filepath.Dir(f.path))
}

// Abort removes the temporary file: no trace is written.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.f.Close()
	os.Remove(f.f.Name())
}
