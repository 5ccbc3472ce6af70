//go:build unix

package experiments

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestResultFileModes: every file a sweep writes (tables, figures, the
// journal) is 0644 less the umask: readable by others on a cluster under
// umask 022, private under 077.
func TestResultFileModes(t *testing.T) {
	tests := []struct {
		name  string
		umask int
		want  os.FileMode
	}{
		{name: "umask 022", umask: 0o022, want: 0o644},
		{name: "umask 077", umask: 0o077, want: 0o600},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := syscall.Umask(tc.umask)
			defer syscall.Umask(old)
			root := t.TempDir()
			dir := filepath.Join(root, "whole")
			runSweep(t, journalSweep(), dir, SweepOptions{Workers: 2})
			// An interrupted sweep, for its journal.
			cut := filepath.Join(root, "cut")
			ctx, cancel := context.WithCancel(context.Background())
			RunSweep(ctx, journalSweep(), cut, SweepOptions{Workers: 1, Progress: func(done, total int) {
				if done >= 1 {
					cancel()
				}
			}})
			cancel()
			files := []string{filepath.Join(cut, JournalFileName), filepath.Join(cut, SweepFileName)}
			es, _ := os.ReadDir(dir)
			for _, e := range es {
				files = append(files, filepath.Join(dir, e.Name()))
			}
			figures := 0
			for _, f := range files {
				st, err := os.Stat(f)
				if err != nil {
					t.Fatal(err)
				}
				if got := st.Mode().Perm(); got != tc.want {
					t.Errorf("%s: mode %04o under umask %04o, want %04o", filepath.Base(f), got, tc.umask, tc.want)
				}
				if strings.HasSuffix(f, ".png") {
					figures++
				}
			}
			if figures == 0 {
				t.Errorf("no figure checked among %v", files)
			}
		})
	}
}
