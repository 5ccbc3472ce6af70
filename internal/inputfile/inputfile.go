// Package inputfile reads the small input files a scenario names (a
// topology layout, a latency matrix, a fault schedule, a churn trace):
// regular files only, of bounded size, so that a path such as /dev/stdin or
// /dev/zero is refused at once instead of blocking or filling the memory.
package inputfile

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxBytes is the largest input file Read accepts: 1 GiB (a node × node
// latency matrix of 10,000 nodes is about 400 MB of text).
const MaxBytes = 1 << 30

// Read returns the contents of the regular file at path. Its errors name
// the path and say what is wrong: "PATH: no such file or directory", "PATH:
// not a regular file", "PATH: larger than 1 GiB".
func Read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %w", pe.Path, pe.Err)
		}
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size() > MaxBytes {
		return nil, fmt.Errorf("%s: larger than 1 GiB", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%s: larger than 1 GiB", path)
	}
	return data, nil
}
