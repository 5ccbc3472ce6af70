package experiments

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/plots"
)

// redrawFixture runs a 3-point, 3-replicate sweep once and returns a
// function that copies its directory for a test to edit.
func redrawFixture(t *testing.T) func(t *testing.T) string {
	t.Helper()
	sw := tinySweep()
	sw.Axes = sw.Axes[:1]
	src := filepath.Join(t.TempDir(), "sweep")
	runSweep(t, sw, src, SweepOptions{Workers: 2, Plot: plots.Options{Format: plots.SVG}})
	return func(t *testing.T) string {
		dst := filepath.Join(t.TempDir(), "sweep")
		if err := os.MkdirAll(dst, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{SweepFileName, RunsFileName} {
			b, err := os.ReadFile(filepath.Join(src, name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dst, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dst
	}
}

// editRuns sets the cell of column col in run's row of dir/runs.csv (run
// 0 is on line 2) to value, as a user with a text editor would.
func editRuns(t *testing.T, dir string, run int, col, value string) {
	t.Helper()
	path := filepath.Join(dir, RunsFileName)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	c := indexOf(rows[0], col)
	if c < 0 {
		t.Fatalf("runs.csv has no column %s", col)
	}
	rows[run+1][c] = value
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(rows)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

type cellEdit struct {
	run        int
	col, value string
}

// TestRedrawRefusesUnparsableCells: a cell that is not a value of its
// column's type at all stops the redraw with one line of bad input naming
// the file, the line, the column and the value, and draws nothing.
func TestRedrawRefusesUnparsableCells(t *testing.T) {
	fresh := redrawFixture(t)
	tests := []struct {
		name string
		edit cellEdit
		want []string
	}{
		{"word in a count", cellEdit{4, "messages_sent", "lots"}, []string{"runs.csv line 6", "column messages_sent", `"lots" is not a number`}},
		{"word in a nullable time", cellEdit{0, "recovery_time_s", "soon"}, []string{"runs.csv line 2", "column recovery_time_s", `"soon"`}},
		{"number in a boolean", cellEdit{8, "harmless", "1"}, []string{"runs.csv line 10", "column harmless", `"1" is not true or false`}},
		// Rows that are not the sweep's runs are refused by LoadSweep's seed-rule check.
		{"point that is not an index", cellEdit{3, "point", "two"}, []string{"runs.csv line 5", `point "two"`, "the sweep's run 3 has 1"}},
		{"point not in the grid", cellEdit{2, "point", "7"}, []string{"runs.csv line 4", `point "7"`, "the sweep's run 2 has 0"}},
		{"grid value not the point's", cellEdit{3, "grid_corrupt_prob", "0.5"}, []string{"runs.csv line 5", `grid_corrupt_prob "0.5"`}},
		{"replicate out of range", cellEdit{3, "replicate", "5"}, []string{"runs.csv line 5", `replicate "5"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := fresh(t)
			editRuns(t, dir, tc.edit.run, tc.edit.col, tc.edit.value)
			files, _, err := Redraw(dir, plots.Options{Format: plots.SVG})
			if err == nil {
				t.Fatalf("Redraw accepted %s = %q and drew %v", tc.edit.col, tc.edit.value, files)
			}
			if !errors.Is(err, ErrBadInput) {
				t.Errorf("error %q is not bad input", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
			if len(files) != 0 {
				t.Errorf("drew %v before refusing", files)
			}
		})
	}
}

// TestRedrawWarnsOnDroppedCells: values that parse but cannot be
// measurements, and rows that are not the sweep's, are left out with one
// warning line each (file, line, column, value), and the titles of the
// figures they would have been in count the runs actually drawn.
func TestRedrawWarnsOnDroppedCells(t *testing.T) {
	fresh := redrawFixture(t)
	const every = "(3 replicates per point)"
	tests := []struct {
		name   string
		edits  []cellEdit
		warn   []string          // substrings, one warning line each, in order
		titles map[string]string // figure stem -> what its title must say
	}{
		{"untouched", nil, nil, map[string]string{"messages_per_node_per_second": every, "corruptions_accepted": every}},
		{"NaN", []cellEdit{{4, "messages_per_node_per_second", "NaN"}},
			[]string{"runs.csv line 6: column messages_per_node_per_second: NaN is not a finite number; cell dropped"},
			map[string]string{"messages_per_node_per_second": "(n = 8 of 9 runs)", "corruptions_accepted": every}},
		{"infinity and overflow", []cellEdit{{1, "messages_per_node_per_second", "+Inf"}, {2, "messages_per_node_per_second", "1e999"}},
			[]string{"line 3: column messages_per_node_per_second: +Inf is not a finite number", "line 4: column messages_per_node_per_second: 1e999 is not a finite number"},
			map[string]string{"messages_per_node_per_second": "(n = 7 of 9 runs)"}},
		{"negative count", []cellEdit{{7, "corruptions_accepted", "-2"}},
			[]string{"runs.csv line 9: column corruptions_accepted: -2 is negative"},
			map[string]string{"corruptions_accepted": "(n = 8 of 9 runs)", "messages_per_node_per_second": every}},
		{"count not whole", []cellEdit{{7, "corruptions_accepted", "2.5"}},
			[]string{"line 9: column corruptions_accepted: 2.5 is not a whole number"},
			map[string]string{"corruptions_accepted": "(n = 8 of 9 runs)"}},
		{"fraction above 1", []cellEdit{{5, "peak_wrong_view_fraction", "1.5"}},
			[]string{"line 7: column peak_wrong_view_fraction: 1.5 is outside [0, 1]"},
			map[string]string{"peak_wrong_view_fraction": "(n = 8 of 9 runs)"}},
		{"empty count", []cellEdit{{0, "false_failures", ""}},
			[]string{"line 2: column false_failures: empty, and this column is never null"},
			map[string]string{"false_failures": "(n = 8 of 9 runs)"}},
		{"outcome unknown", []cellEdit{{6, "trigger_time_s", "-Inf"}},
			[]string{"line 8: column trigger_time_s: -Inf is not a finite number; the run's outcome is unknown, run 6 dropped"},
			map[string]string{"messages_per_node_per_second": "(n = 8 of 9 runs)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := fresh(t)
			for _, e := range tc.edits {
				editRuns(t, dir, e.run, e.col, e.value)
			}
			files, warnings, err := Redraw(dir, plots.Options{Format: plots.SVG})
			if err != nil {
				t.Fatalf("Redraw: %v", err)
			}
			if len(warnings) != len(tc.warn) {
				t.Fatalf("%d warnings, want %d:\n%s", len(warnings), len(tc.warn), strings.Join(warnings, "\n"))
			}
			for i, w := range tc.warn {
				if !strings.Contains(warnings[i], w) || strings.Contains(warnings[i], "\n") {
					t.Errorf("warning %d = %q, want one line with %q", i, warnings[i], w)
				}
				if !strings.Contains(warnings[i], filepath.Join(dir, RunsFileName)) {
					t.Errorf("warning %q does not name %s", warnings[i], filepath.Join(dir, RunsFileName))
				}
			}
			for stem, want := range tc.titles {
				path := filepath.Join(dir, stem+".svg")
				if !contains(files, path) {
					t.Fatalf("%s not drawn (drew %v)", path, files)
				}
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Contains(b, []byte(want)) {
					t.Errorf("%s: title does not say %q", filepath.Base(path), want)
				}
			}
		})
	}
}

func contains(xs []string, x string) bool { return indexOf(xs, x) >= 0 }

// TestGoldenRowsRedrawClean: the rows of real sweeps (the golden files)
// pass the redraw's checks without a single warning.
func TestGoldenRowsRedrawClean(t *testing.T) {
	for name, sw := range goldenSweeps() {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "golden", name, RunsFileName))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			kept, _, warnings, err := checkRunRows(t.TempDir(), sw, rows[0], rows[1:])
			if err != nil || len(warnings) > 0 || len(kept) != len(rows)-1 {
				t.Fatalf("err %v, %d of %d rows kept, warnings:\n%s", err, len(kept), len(rows)-1, strings.Join(warnings, "\n"))
			}
		})
	}
}
