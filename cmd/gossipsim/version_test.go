package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/experiments"
)

// TestVersion: gossipsim version prints the version that sweep.json
// records, the Go version, the platform and the SHA-256 of the running
// executable (here the test binary), one "key: value" line each; an
// argument is bad input (exit 2) and writes nothing to stdout.
func TestVersion(t *testing.T) {
	exe, err := os.ReadFile("/proc/self/exe")
	if err != nil {
		t.Skipf("cannot read the executable: %v", err)
	}
	sum := sha256.Sum256(exe)
	tests := []struct {
		name       string
		args       []string
		wantStatus int
		wantOut    []string
	}{
		{"version", []string{"version"}, 0, []string{
			"gossipsim " + experiments.Version + "\n",
			"\ngo:           " + runtime.Version() + "\n",
			"\nplatform:     " + runtime.GOOS + "/" + runtime.GOARCH + "\n",
			"\nbuild_sha256: " + hex.EncodeToString(sum[:]) + "\n",
			"\nrevision:     ",
			"\nmodule:       ",
		}},
		{"--version", []string{"--version"}, 0, []string{"gossipsim " + experiments.Version + "\n"}},
		{"help version", []string{"help", "version"}, 0, []string{"Usage: gossipsim version"}},
		{"an argument", []string{"version", "extra"}, 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := realMain(tc.args, &stdout, &stderr); got != tc.wantStatus {
				t.Fatalf("exit status %d, want %d; stderr: %s", got, tc.wantStatus, stderr.String())
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
			if tc.wantStatus != 0 {
				if stdout.Len() != 0 {
					t.Errorf("stdout %q, want nothing", stdout.String())
				}
				if !strings.Contains(stderr.String(), `version: takes no arguments, got "extra"`) {
					t.Errorf("stderr %q, want the one-line refusal", stderr.String())
				}
			}
		})
	}
}
