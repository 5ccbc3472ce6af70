package experiments

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/internal/testfs"
)

// A validation started without Resume in a directory that holds results of
// an earlier start is refused as bad input, before anything runs or is
// written (package report tests the same of a report).
func TestEarlierStartRefused(t *testing.T) {
	checks := ValidationChecks()
	tests := []struct {
		name  string
		left  string // what the earlier start left, relative to the directory
		isDir bool
		run   func(ctx context.Context, dir string) error
	}{
		{"validation: a check's sweep", checks[2].Name, true, validationIn},
		{"validation: its table", ValidationFileName, false, validationIn},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, tc.left)
			var err error
			if tc.isDir {
				err = os.Mkdir(p, 0o755)
			} else {
				err = os.WriteFile(p, []byte("x\n"), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			err = tc.run(context.Background(), dir)
			if !errors.Is(err, ErrUnfinished) || !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), p) {
				t.Fatalf("got %v, want bad input (ErrUnfinished) naming %s", err, p)
			}
			if names := testfs.Names(t, dir); !slices.Equal(names, []string{tc.left}) {
				t.Errorf("the refused start left %v, want only %s", names, tc.left)
			}
		})
	}
}

func validationIn(ctx context.Context, dir string) error {
	_, _, err := RunValidation(ctx, dir, true, SweepOptions{})
	return err
}

// An interrupted validation says exactly what it wrote: nothing (ctx's error
// alone, and an empty directory) when cancelled before it starts; otherwise
// the finished checks and the recorded runs of the check in progress, which
// are on disk. Resumed, it gives the uninterrupted validation's table.
func TestValidationInterruptedThenResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every protocol")
	}
	ref := t.TempDir()
	if _, _, err := RunValidation(context.Background(), ref, true, SweepOptions{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(ref, ValidationFileName))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("cancelled before it starts", func(t *testing.T) {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, _, err := RunValidation(ctx, dir, true, SweepOptions{}); err != context.Canceled {
			t.Fatalf("got %v, want context.Canceled alone (nothing written)", err)
		}
		if names := testfs.Names(t, dir); len(names) != 0 {
			t.Errorf("wrote %v", names)
		}
	})

	t.Run("cancelled in the second check", func(t *testing.T) {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		sweeps := 0
		opt := SweepOptions{Workers: 2, Progress: func(done, total int) {
			if done == 0 {
				sweeps++
			}
			if sweeps == 2 && done >= 5 {
				cancel()
			}
		}}
		_, _, err := RunValidation(ctx, dir, true, opt)
		var u *Unfinished
		if !errors.As(err, &u) || !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want an *Unfinished wrapping context.Canceled", err)
		}
		checks := ValidationChecks()
		if !slices.Equal(u.Done, []string{checks[0].Name}) || u.Parts != len(checks) || u.InProgress != checks[1].Name || u.Sweep == nil {
			t.Fatalf("unfinished %+v, want %s done and %s in progress with its sweep", u, checks[0].Name, checks[1].Name)
		}
		if _, err := os.Stat(filepath.Join(dir, checks[0].Name, RunsFileName)); err != nil {
			t.Errorf("finished check: %v", err)
		}
		journal, err := os.ReadFile(u.Sweep.Journal)
		if err != nil {
			t.Fatal(err)
		}
		if records := bytes.Count(journal, []byte("\n")) - 1; records != u.Sweep.Recorded || records < 5 {
			t.Errorf("the journal holds %d runs, the error says %d (at least 5 were recorded)", records, u.Sweep.Recorded)
		}
		if _, _, err := RunValidation(context.Background(), dir, true, SweepOptions{Workers: 2}); !errors.Is(err, ErrUnfinished) {
			t.Errorf("rerun without Resume: %v, want ErrUnfinished", err)
		}
		if _, _, err := RunValidation(context.Background(), dir, true, SweepOptions{Workers: 2, Resume: true}); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(filepath.Join(dir, ValidationFileName))
		if !bytes.Equal(got, want) {
			t.Errorf("resumed validation.csv differs from the uninterrupted one:\n%s\nwant\n%s", got, want)
		}
	})
}
