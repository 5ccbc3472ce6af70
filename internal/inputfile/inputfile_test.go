package inputfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.csv")
	os.WriteFile(path, []byte("0,0,0\n"), 0o644)
	if data, err := Read(path); err != nil || string(data) != "0,0,0\n" {
		t.Fatalf("got %q, %v", data, err)
	}
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "none.csv"), "none.csv: no such file or directory"},
		{dir, ": not a regular file"},
		{"/dev/null", "/dev/null: not a regular file"},
	} {
		if _, err := Read(tc.path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Read(%s): %v, want %q", tc.path, err, tc.want)
		}
	}
}
