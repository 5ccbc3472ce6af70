//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWriteFileModeHonoursUmask: files are 0644 less the umask (os.CreateTemp
// alone would make them 0600 whatever the umask).
func TestWriteFileModeHonoursUmask(t *testing.T) {
	tests := []struct {
		name  string
		umask int
		want  os.FileMode
	}{
		{name: "umask 022", umask: 0o022, want: 0o644},
		{name: "umask 077", umask: 0o077, want: 0o600},
		{name: "umask 002", umask: 0o002, want: 0o644},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := syscall.Umask(tc.umask)
			defer syscall.Umask(old)
			p := filepath.Join(t.TempDir(), "runs.csv")
			if err := WriteFile(p, []byte("x\n")); err != nil {
				t.Fatal(err)
			}
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Mode().Perm(); got != tc.want {
				t.Errorf("mode %04o under umask %04o, want %04o", got, tc.umask, tc.want)
			}
		})
	}
}
