package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/gossipsim/gossipsim/internal/testfs"
)

// TestWriteFileReplaces: the new content replaces the old, and no temporary
// file is left behind.
func TestWriteFileReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "runs.csv")
	for _, content := range []string{"first\n", "second, longer\n", ""} {
		if err := WriteFile(p, []byte(content)); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(p); string(b) != content {
			t.Fatalf("read %q, want %q", b, content)
		}
	}
	if names := testfs.Names(t, dir); len(names) != 1 {
		t.Fatalf("directory holds %v, want runs.csv alone", names)
	}
}

// TestWriteFileFullDisk: a write that fails half way (ENOSPC) leaves the old
// file as it was and no temporary file, and says why.
func TestWriteFileFullDisk(t *testing.T) {
	tests := []struct {
		name string
		old  string // "" = no old file
	}{
		{name: "over an old file", old: "old content\n"},
		{name: "new file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "points.csv")
			if tc.old != "" {
				if err := WriteFile(p, []byte(tc.old)); err != nil {
					t.Fatal(err)
				}
			}
			defer func(w func(*os.File, []byte) (int, error)) { write = w }(write)
			write = func(f *os.File, data []byte) (int, error) {
				n, _ := f.Write(data[:len(data)/2])
				return n, syscall.ENOSPC
			}
			err := WriteFile(p, []byte("new content that does not fit\n"))
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("WriteFile on a full disk: %v, want ENOSPC", err)
			}
			b, rerr := os.ReadFile(p)
			switch {
			case tc.old == "" && !os.IsNotExist(rerr):
				t.Errorf("a failed write created %s (%q, %v)", p, b, rerr)
			case tc.old != "" && string(b) != tc.old:
				t.Errorf("a failed write changed %s to %q", p, b)
			}
			want := 0
			if tc.old != "" {
				want = 1
			}
			if names := testfs.Names(t, dir); len(names) != want {
				t.Errorf("directory holds %v after a failed write", names)
			}
		})
	}
}

// TestSyncDir: a directory can be synced; a missing one is an error.
func TestSyncDir(t *testing.T) {
	if err := SyncDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if err := SyncDir(filepath.Join(t.TempDir(), "missing")); !os.IsNotExist(err) {
		t.Fatalf("SyncDir of a missing directory: %v", err)
	}
}
