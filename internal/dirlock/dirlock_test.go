//go:build unix

package dirlock

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// TestMain lets the test binary act as another process holding a lock:
// with DIRLOCK_TEST_HOLD=DIR it locks DIR, prints "locked" and holds the
// lock until its stdin closes.
func TestMain(m *testing.M) {
	if dir := os.Getenv("DIRLOCK_TEST_HOLD"); dir != "" {
		l, err := Acquire(dir, "holder test")
		if err != nil {
			os.Stdout.WriteString("error " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("locked\n")
		io.Copy(io.Discard, os.Stdin)
		l.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// names lists dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestAcquireRefusesSecondHolder(t *testing.T) {
	dir := t.TempDir()
	l, err := Acquire(dir, "first")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(dir, "second")
	var held *HeldError
	if !errors.As(err, &held) || !errors.Is(err, ErrHeld) {
		t.Fatalf("second Acquire: err = %v, want a HeldError", err)
	}
	if held.PID != os.Getpid() || held.Command != "first" {
		t.Errorf("holder = pid %d %q, want pid %d %q", held.PID, held.Command, os.Getpid(), "first")
	}
	want := `"` + dir + `" is in use by gossipsim (pid ` + itoa(os.Getpid()) + ")"
	if err.Error() != want {
		t.Errorf("message = %q, want %q", err.Error(), want)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("after Close the directory holds %v, want nothing", got)
	}
	l2, err := Acquire(dir, "third")
	if err != nil {
		t.Fatalf("Acquire after Close: %v", err)
	}
	l2.Close()
	if err := l2.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestStaleLockFileIsTakenOver: a lock file left by a killed process (its
// flock died with it) blocks nobody, and Close removes it.
func TestStaleLockFileIsTakenOver(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("pid 999999\ncommand killed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Acquire(dir, "next")
	if err != nil {
		t.Fatalf("Acquire over a stale lock file: %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, FileName))
	if want := "pid " + itoa(os.Getpid()) + "\ncommand next\n"; string(b) != want {
		t.Errorf("lock file = %q, want %q", b, want)
	}
	l.Close()
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("after Close the directory holds %v", got)
	}
}

// TestAnotherProcessHoldsTheLock: a real second process holds the lock;
// Acquire names its pid, and succeeds once it has exited.
func TestAnotherProcessHoldsTheLock(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "DIRLOCK_TEST_HOLD="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "locked\n" {
		t.Fatalf("holder said %q", line)
	}
	_, err = Acquire(dir, "second")
	var held *HeldError
	if !errors.As(err, &held) || held.PID != cmd.Process.Pid || held.Command != "holder test" {
		t.Fatalf("Acquire while another process holds it: err = %v (%+v), want pid %d", err, held, cmd.Process.Pid)
	}
	if err := Probe(dir); err != nil {
		t.Fatalf("Probe while held: %v", err)
	}
	if got := names(t, dir); len(got) != 1 || got[0] != FileName {
		t.Errorf("Probe while held: directory holds %v, want the holder's lock file only", got)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	l, err := Acquire(dir, "after")
	if err != nil {
		t.Fatalf("Acquire after the holder exited: %v", err)
	}
	l.Close()
}

// TestProbeLeavesNothing: a probe that succeeds, one that finds a stale
// lock file, and one that fails leave the directory as they found it (or
// cleaner).
func TestProbeLeavesNothing(t *testing.T) {
	t.Run("writable", func(t *testing.T) {
		dir := t.TempDir()
		if err := Probe(dir); err != nil {
			t.Fatal(err)
		}
		if got := names(t, dir); len(got) != 0 {
			t.Errorf("directory holds %v, want nothing", got)
		}
	})
	t.Run("stale lock file", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, FileName), []byte("pid 999999\n"), 0o644)
		if err := Probe(dir); err != nil {
			t.Fatal(err)
		}
		if got := names(t, dir); len(got) != 0 {
			t.Errorf("directory holds %v, want nothing", got)
		}
	})
	t.Run("not a directory", func(t *testing.T) {
		dir := t.TempDir()
		file := filepath.Join(dir, "file")
		os.WriteFile(file, nil, 0o644)
		if err := Probe(file); err == nil {
			t.Error("Probe of a file: no error")
		}
		if got := names(t, dir); len(got) != 1 || got[0] != "file" {
			t.Errorf("directory holds %v, want file only", got)
		}
	})
	t.Run("read-only", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root can write a read-only directory")
		}
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(dir, 0o755)
		if err := Probe(dir); !errors.Is(err, os.ErrPermission) {
			t.Errorf("Probe of a read-only directory: err = %v, want permission denied", err)
		}
		if got := names(t, dir); len(got) != 0 {
			t.Errorf("directory holds %v, want nothing", got)
		}
	})
}
