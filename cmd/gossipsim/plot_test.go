package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gossipsim plot on a hand-edited runs.csv: a value it drops is one warning
// line on stderr and the figures are drawn (exit 0); a cell it cannot read
// is one error line and exit status 2.
func TestPlotWarnsAndRefusesEditedCells(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	if code, _, stderr := runCLI(append([]string{"sweep", "--grid", "fanout=1,2", "--out", dir}, tinySweep...)...); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	path := filepath.Join(dir, "runs.csv")
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// setCell replaces the value of column col on line 2 (run 0).
	setCell := func(col, value string) {
		lines := strings.Split(string(orig), "\n")
		head, row := strings.Split(lines[0], ","), strings.Split(lines[1], ",")
		for i, h := range head {
			if h == col {
				row[i] = value
			}
		}
		lines[1] = strings.Join(row, ",")
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		col, val string
		code     int
		stderr   []string // substrings of stderr, which must have exactly this many lines
	}{
		{"dropped value warns", "peak_wrong_view_fraction", "Inf", 0, []string{"gossipsim: plot: warning: " + path + " line 2: column peak_wrong_view_fraction: Inf is not a finite number; cell dropped"}},
		{"unreadable value refuses", "messages_sent", "many", 2, []string{"gossipsim: plot: " + path + " line 2, column messages_sent: \"many\" is not a number"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			setCell(tc.col, tc.val)
			code, stdout, stderr := runCLI("plot", dir)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, stderr)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != len(tc.stderr) {
				t.Fatalf("stderr has %d lines, want %d: %q", len(lines), len(tc.stderr), stderr)
			}
			for i, w := range tc.stderr {
				if !strings.Contains(lines[i], w) {
					t.Errorf("stderr line %d = %q, want %q", i+1, lines[i], w)
				}
			}
			if wrote := strings.Contains(stdout, "wrote "); wrote != (tc.code == 0) {
				t.Errorf("stdout %q: figures written %v, want %v", stdout, wrote, tc.code == 0)
			}
		})
	}
}
