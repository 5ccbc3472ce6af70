package experiments

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// oldShardJSON is shard.json as every earlier version wrote it.
func oldShardJSON(spec string) []byte { return fmt.Appendf(nil, "{\n  \"shard\": %q\n}\n", spec) }

// TestShardFileBytes: shard.json keeps the bytes it has always had, a
// sharded sweep writes them, and they read back to the same shard.
func TestShardFileBytes(t *testing.T) {
	for _, sh := range []Shard{{I: 1, N: 2}, {I: 2, N: 3}, {I: 12, N: 12}, {I: 7, N: 1000}} {
		t.Run(sh.String(), func(t *testing.T) {
			got := marshalShardFile(sh)
			if want := oldShardJSON(sh.String()); string(got) != string(want) {
				t.Fatalf("marshalShardFile = %q, want %q", got, want)
			}
			back, err := parseShardFile(got)
			if err != nil || back != sh {
				t.Fatalf("parseShardFile(%q) = %+v, %v; want %+v", got, back, err, sh)
			}
		})
	}
	t.Run("written by a sharded sweep", func(t *testing.T) {
		ref, _, _ := journalRef(t)
		got, err := os.ReadFile(filepath.Join(ref, ShardFileName))
		if err != nil {
			t.Fatal(err)
		}
		if want := oldShardJSON(journalShard.String()); string(got) != string(want) {
			t.Fatalf("shard.json = %q, want %q", got, want)
		}
	})
}

// TestResumeShardFile: a resume reads shard.json as JSON. A directory written
// by an earlier version resumes; a different shard, a sharded directory
// resumed whole (and the reverse) and an unreadable shard.json are refused as
// bad input, in one line, naming what the directory holds.
func TestResumeShardFile(t *testing.T) {
	ref, _, _ := journalRef(t)
	tests := []struct {
		name  string
		file  []byte // shard.json; nil: none
		shard Shard  // the shard resumed
		want  string // part of the refusal; "" if the resume goes ahead
	}{
		{name: "earlier version's bytes", file: oldShardJSON("1/2"), shard: journalShard},
		{name: "same shard, other spacing", file: []byte(`{"shard":"1/2"}`), shard: journalShard},
		{name: "another shard", file: oldShardJSON("2/2"), shard: journalShard, want: "holds shard 2/2 of the sweep, not 1/2"},
		{name: "no shard.json, resumed as a shard", shard: journalShard, want: "holds shard 1/1 of the sweep, not 1/2"},
		{name: "sharded, resumed whole", file: oldShardJSON("1/2"), want: "holds shard 1/2 of the sweep, not 1/1"},
		{name: "not JSON", file: []byte("shard 1/2\n"), shard: journalShard, want: "shard.json: not a shard file"},
		{name: "no valid shard", file: []byte(`{"shard": "3/2"}`), shard: journalShard, want: `shard: "3/2" is not i/n`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := interruptedDir(t, ref, nil)
			path := filepath.Join(dir, ShardFileName)
			os.Remove(path)
			if tc.file != nil {
				if err := os.WriteFile(path, tc.file, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := RunSweep(context.Background(), journalSweep(), dir, SweepOptions{Workers: 1, Shard: tc.shard, Resume: true})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("RunSweep: %v", err)
				}
				sameFiles(t, ref, dir, RunsFileName)
				return
			}
			if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("RunSweep: %v; want one line of bad input containing %q", err, tc.want)
			}
			if got, _ := os.ReadFile(path); string(got) != string(tc.file) {
				t.Errorf("a refused resume changed shard.json to %q", got)
			}
		})
	}
}
