package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestModelHelpAndFlags: `run --model s3 --help` lists the S3 model's
// parameters from its rows, as other models list theirs (plain `run
// --help` does not repeat them); and the S3 model's flags set the model
// --model names, whatever model a scenario file named.
func TestModelHelpAndFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		want     []string
		wantNone []string
	}{
		{"s3 help lists its rows", []string{"run", "--model", "s3", "--help"},
			[]string{"\nModel s3: S3-style failure gossip", "\n  fanout                 peers gossiped with per round, 1 to nodes-1 (default 1)\n"}, nil},
		{"plain help unchanged", []string{"run", "--help"}, []string{"--fanout"}, []string{"\nModel s3:"}},
		{"swim help lists --set keys", []string{"run", "--model", "swim", "--help"}, []string{"\nModel swim:", "Parameters (--set KEY=VALUE):"}, nil},
		{"s3 flag before --model", []string{"run", "--fanout", "3", "--model", "s3", "--print-scenario"}, []string{"\nmodel: s3\n", "\nfanout: 3\n"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errText := runCLI(tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errText)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.wantNone {
				if strings.Contains(out, w) {
					t.Errorf("output has %q", w)
				}
			}
		})
	}
	// A file for swim, then --model s3 and an S3 flag: the flag sets the s3 model.
	file := filepath.Join(t.TempDir(), "swim.yaml")
	code, out, errText := runCLI("run", "--model", "swim", "--print-scenario")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errText)
	}
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errText = runCLI("run", "--scenario", file, "--model", "s3", "--fanout", "3", "--print-scenario")
	if code != 0 || !strings.Contains(out, "\nmodel: s3\n") || !strings.Contains(out, "\nfanout: 3\n") {
		t.Errorf("exit %d (%s), printed\n%s", code, errText, out)
	}
}
