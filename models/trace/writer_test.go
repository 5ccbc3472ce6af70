package trace

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// sampleEvents is one event of every kind, as the hooks fill them.
func sampleEvents() []Event {
	msg := func(k Kind, node, peer int32, reason string) Event {
		return Event{Time: 12*sim.Second + 250*sim.Millisecond, Kind: k, Node: node, Peer: peer, Msg: 17,
			MsgKind: wire.KindDigest, Size: 324, Reason: reason, Subject: -1}
	}
	corrupt := msg(Corrupt, 3, 5, "")
	corrupt.Bits = 1
	down := msg(Drop, 5, 3, "sender-down")
	down.Msg = 0
	return []Event{
		msg(Send, 3, 5, ""),
		corrupt,
		msg(Drop, 5, 3, "loss"),
		down,
		msg(Deliver, 5, 3, ""),
		msg(Process, 5, 3, ""),
		msg(Reject, 5, 3, "checksum"),
		msg(AcceptCorrupted, 5, 3, ""),
		{Time: 3 * sim.Nanosecond, Kind: Update, Node: 5, Peer: 3, Subject: 7, OldVersion: 1<<32 | 40,
			NewVersion: 1<<32 | 1<<30 | 41, OldStatus: wire.StatusAlive, NewStatus: wire.StatusAlive, Wrong: true},
		{Time: 60 * sim.Second, Kind: DeclareFailed, Node: 5, Peer: -1, Subject: 7, False: true},
		{Time: 61 * sim.Second, Kind: Crash, Node: 9, Peer: -1, Subject: -1},
		{Time: 71 * sim.Second, Kind: Restart, Node: 9, Peer: -1, Subject: -1},
		{Time: 90 * sim.Second, Kind: Reset, Node: -1, Peer: -1, Subject: -1, Reason: "cleared"},
	}
}

// TestWriterLines: each kind's line has exactly the keys it uses, and
// every line is a JSON object.
func TestWriterLines(t *testing.T) {
	want := []string{
		`{"t":12.25,"kind":"send","node":3,"peer":5,"msg":17,"msg_kind":"digest","size":324}`,
		`{"t":12.25,"kind":"corrupt","node":3,"peer":5,"msg":17,"msg_kind":"digest","size":324,"bits":1}`,
		`{"t":12.25,"kind":"drop","node":5,"peer":3,"msg":17,"msg_kind":"digest","size":324,"reason":"loss"}`,
		`{"t":12.25,"kind":"drop","node":5,"peer":3,"msg_kind":"digest","size":324,"reason":"sender-down"}`,
		`{"t":12.25,"kind":"deliver","node":5,"peer":3,"msg":17,"msg_kind":"digest","size":324}`,
		`{"t":12.25,"kind":"process","node":5,"peer":3,"msg":17,"msg_kind":"digest","size":324}`,
		`{"t":12.25,"kind":"reject","node":5,"peer":3,"msg":17,"msg_kind":"digest","size":324,"reason":"checksum"}`,
		`{"t":12.25,"kind":"accept-corrupted","node":5,"peer":3,"msg":17,"msg_kind":"digest","size":324}`,
		`{"t":0.000000003,"kind":"update","node":5,"peer":3,"subject":7,"old_gen":1,"old_hb":40,"old_status":"alive","new_gen":1,"new_hb":1073741865,"new_status":"alive","was_wrong":false,"wrong":true}`,
		`{"t":60,"kind":"declare-failed","node":5,"subject":7,"false":true}`,
		`{"t":61,"kind":"crash","node":9}`,
		`{"t":71,"kind":"restart","node":9}`,
		`{"t":90,"kind":"reset","reason":"cleared"}`,
	}
	var buf bytes.Buffer
	w := NewWriter(&buf, 0)
	for _, e := range sampleEvents() {
		w.Record(&e)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(got), len(want), buf.String())
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i, got[i], want[i])
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(got[i]), &obj); err != nil {
			t.Errorf("line %d is not JSON: %v", i, err)
		}
	}
}

// TestWriterCap: past the cap no event is written, those left out are
// counted, and the last line says so; under the cap there is no such line.
func TestWriterCap(t *testing.T) {
	ev := Event{Time: sim.Second, Kind: Crash, Node: 1, Peer: -1, Subject: -1}
	line := `{"t":1,"kind":"crash","node":1}` + "\n"
	for _, tc := range []struct {
		name          string
		max           int64
		events        int
		written, left int64
	}{
		{"no cap", 0, 10, 10, 0},
		{"exactly at the cap", int64(3 * len(line)), 3, 3, 0},
		{"past the cap", int64(3*len(line) + 5), 10, 3, 7},
		{"cap below one line", 5, 2, 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf, tc.max)
			for range tc.events {
				w.Record(&ev)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if w.Events() != tc.written || w.LeftOut() != tc.left {
				t.Errorf("written %d, left out %d; want %d, %d", w.Events(), w.LeftOut(), tc.written, tc.left)
			}
			want := strings.Repeat(line, int(tc.written))
			if tc.left > 0 {
				want += `{"truncated":true,"max_bytes":` + itoa(tc.max) + `,"events_written":` + itoa(tc.written) + `,"events_left_out":` + itoa(tc.left) + "}\n"
			}
			if buf.String() != want {
				t.Errorf("wrote\n%s\nwant\n%s", buf.String(), want)
			}
		})
	}
}

func itoa(v int64) string { b, _ := json.Marshal(v); return string(b) }

// TestFileCommitAbort: a trace file appears under its name only when
// committed, and an aborted one leaves nothing in the directory.
func TestFileCommitAbort(t *testing.T) {
	dir := t.TempDir()
	ev := Event{Time: sim.Second, Kind: Crash, Node: 1, Peer: -1, Subject: -1}
	p := filepath.Join(dir, "a.jsonl")
	f, err := Create(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Record(&ev)
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("the trace exists before Commit: %v", err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != `{"t":1,"kind":"crash","node":1}`+"\n" {
		t.Errorf("committed trace holds %q", b)
	}
	g, err := Create(filepath.Join(dir, "b.jsonl"), 0)
	if err != nil {
		t.Fatal(err)
	}
	g.Record(&ev)
	g.Abort()
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Errorf("after Abort the directory holds %v, want only a.jsonl", names)
	}
	if _, err := Create(filepath.Join(dir, "missing", "c.jsonl"), 0); err == nil {
		t.Errorf("Create in a missing directory succeeded")
	}
}

// BenchmarkWriter measures writing a storm's typical events.
func BenchmarkWriter(b *testing.B) {
	evs := sampleEvents()
	var buf bytes.Buffer
	w := NewWriter(&buf, 0)
	b.ReportAllocs()
	for i := range b.N {
		w.Record(&evs[i%len(evs)])
		if buf.Len() > 1<<20 {
			buf.Reset()
		}
	}
}
