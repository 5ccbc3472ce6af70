package experiments

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/plots"
	"github.com/gossipsim/gossipsim/sim"
)

func TestParseAxis(t *testing.T) {
	tests := []struct {
		spec    string
		want    []string
		log     bool
		wantErr string
	}{
		{spec: "nodes=500,1000,2000", want: []string{"500", "1000", "2000"}},
		{spec: "loss=0:0.1:5", want: []string{"0", "0.025", "0.05", "0.075", "0.1"}},
		{spec: "corrupt-prob=1e-5:1e-1:log:5", want: []string{"1e-05", "0.0001", "0.001", "0.01", "0.1"}, log: true},
		{spec: "nodes=100:1000:log:3", want: []string{"100", "316", "1000"}, log: true},
		{spec: "fanout=1:3:5", want: []string{"1", "2", "3"}},
		{spec: "gossip-interval=200ms:2s:log:3", want: []string{"200ms", "632.456ms", "2s"}, log: true},
		{spec: "checksum=none,crc32c", want: []string{"none", "crc32c"}},
		{spec: "nodez=1,2", wantErr: "names no parameter"},
		{spec: "seed=1,2", wantErr: "replicates"},
		{spec: "nodes", wantErr: "is not KEY="},
		{spec: "nodes=1:10:1", wantErr: "count"},
		{spec: "corrupt-prob=0:1:log:3", wantErr: "positive"},
		{spec: "checksum=none,sha1", wantErr: "sha1"},
		{spec: "checksum=a:b:3", wantErr: "list"},
		{spec: "nodes=5,5", wantErr: "repeats"},
		{spec: "nodes=1.5,2", wantErr: "integer"},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			ax, err := ParseAxis(tc.spec)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseAxis(%q) error = %v, want one containing %q", tc.spec, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ax.Values, tc.want) || ax.Log != tc.log {
				t.Fatalf("values %q log %v, want %q log %v", ax.Values, ax.Log, tc.want, tc.log)
			}
		})
	}
}

func TestPointsAndSeeds(t *testing.T) {
	a := mustAxis("nodes=10,20")
	b := mustAxis("checksum=none,crc32c,md5")
	pts := Points([]Axis{a, b})
	if len(pts) != 6 || pts[1].Key([]Axis{a, b}) != "nodes=10 checksum=crc32c" || pts[3].Values[0] != "20" {
		t.Fatalf("points in wrong order: %+v", pts)
	}
	// A point keeps its seeds when the grid grows.
	big := mustAxis("nodes=5,10,20")
	key := "nodes=10 checksum=crc32c"
	if Points([]Axis{big, b})[4].Key([]Axis{big, b}) != key {
		t.Fatal("test setup: point 4 is not " + key)
	}
	// The point's key, so its seeds, are the same in the small and the
	// grown grid; replicates and sweep seeds give other seeds.
	if small := pts[1].Key([]Axis{a, b}); small != key {
		t.Fatalf("point nodes=10 checksum=crc32c has key %q in the small grid, %q in the grown one", small, key)
	}
	if RunSeed(1, key, 3) == RunSeed(1, key, 4) || RunSeed(1, key, 3) == RunSeed(2, key, 3) {
		t.Fatal("RunSeed ignores the replicate or the sweep seed")
	}
}

func TestParseShard(t *testing.T) {
	for _, ok := range []string{"1/1", "2/8", "8/8"} {
		if _, err := ParseShard(ok); err != nil {
			t.Errorf("ParseShard(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"5/4", "0/4", "1/0", "a/b", "3", "-1/2", ""} {
		if _, err := ParseShard(bad); err == nil || !strings.Contains(err.Error(), "shard") {
			t.Errorf("ParseShard(%q) = %v, want a shard error", bad, err)
		}
	}
	sh := Shard{I: 2, N: 3}
	var got []int
	for k := range 9 {
		if sh.Has(k) {
			got = append(got, k)
		}
	}
	if len(got) != 3 || got[0] != 1 || got[2] != 7 {
		t.Fatalf("shard 2/3 has %v, want [1 4 7]", got)
	}
}

// tinySweep is a sweep of 3 × 2 points × 3 replicates of 30-node, 40 s runs.
func tinySweep() Sweep {
	sc := DefaultScenario()
	sc.Fleet.Nodes = 30
	sc.Duration = 40 * sim.Second
	sc.Fleet.Corruption.Probability = 2e-3
	sc.S3Params().CrashRate = 20
	return Sweep{Experiment: "custom", Seed: 5, Replicates: 3, Base: sc, Axes: []Axis{
		mustAxis("corrupt-prob=1e-3:1e-2:log:3"),
		mustAxis("checksum=none,crc32c"),
	}}
}

func runSweep(t *testing.T, sw Sweep, dir string, opt SweepOptions) SweepReport {
	t.Helper()
	rep, err := RunSweep(context.Background(), sw, dir, opt)
	if err != nil {
		t.Fatalf("RunSweep(%s): %v", dir, err)
	}
	return rep
}

func sameFiles(t *testing.T, a, b string, names ...string) {
	t.Helper()
	for _, n := range names {
		x, err1 := os.ReadFile(filepath.Join(a, n))
		y, err2 := os.ReadFile(filepath.Join(b, n))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v / %v", n, err1, err2)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", n, a, b)
		}
	}
}

// TestSweepEquivalences: 1 worker vs 8, unsharded vs 3 shards merged, and
// interrupted-then-resumed vs uninterrupted all give identical files.
func TestSweepEquivalences(t *testing.T) {
	root := t.TempDir()
	sw := tinySweep()
	one, four, eight := filepath.Join(root, "w1"), filepath.Join(root, "w4"), filepath.Join(root, "w8")
	runSweep(t, sw, one, SweepOptions{Workers: 1})
	runSweep(t, sw, four, SweepOptions{Workers: 4})
	runSweep(t, sw, eight, SweepOptions{Workers: 8})
	files := []string{SweepFileName, RunsFileName, PointsFileName}
	sameFiles(t, one, four, files...)
	sameFiles(t, one, eight, files...)

	var shards []string
	for i := 1; i <= 3; i++ {
		d := filepath.Join(root, "shard", string(rune('0'+i)))
		runSweep(t, sw, d, SweepOptions{Workers: 2, Shard: Shard{I: i, N: 3}})
		shards = append(shards, d)
	}
	merged := filepath.Join(root, "merged")
	if _, err := Merge(shards, merged, plots.Options{}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, one, merged, files...)
	if _, err := Merge(shards[:2], filepath.Join(root, "incomplete"), plots.Options{}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("merging 2 of 3 shards: %v, want a missing-runs error", err)
	}

	// Interrupt after 7 runs, tear the journal's last line, then resume.
	cut := filepath.Join(root, "cut")
	ctx, cancel := context.WithCancel(context.Background())
	_, err := RunSweep(ctx, sw, cut, SweepOptions{Workers: 2, Progress: func(done, total int) {
		if done >= 7 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted sweep returned %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(cut, RunsFileName)); err == nil {
		t.Fatal("an interrupted sweep wrote runs.csv")
	}
	f, _ := os.OpenFile(filepath.Join(cut, JournalFileName), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("99,1,2,0.001,no")
	f.Close()
	if _, err := RunSweep(context.Background(), sw, cut, SweepOptions{Workers: 2}); !errors.Is(err, ErrSweepExists) {
		t.Fatalf("rerun without --resume: %v, want ErrSweepExists", err)
	}
	rep := runSweep(t, sw, cut, SweepOptions{Workers: 2, Resume: true})
	if rep.Skipped < 7 || rep.Skipped+rep.Ran != rep.Total {
		t.Fatalf("resume skipped %d and ran %d of %d", rep.Skipped, rep.Ran, rep.Total)
	}
	sameFiles(t, one, cut, files...)
	if _, err := os.Stat(filepath.Join(cut, JournalFileName)); !os.IsNotExist(err) {
		t.Errorf("the journal was left behind after the sweep finished")
	}

	other := sw
	other.Replicates = 4
	if _, err := RunSweep(context.Background(), other, one, SweepOptions{Resume: true}); err == nil || !strings.Contains(err.Error(), "different sweep") {
		t.Fatalf("resuming a different sweep: %v", err)
	}
	if _, _, err := Redraw(one, plots.Options{}); err != nil {
		t.Fatalf("Redraw: %v", err)
	}
}

func TestAggregate(t *testing.T) {
	sw := Sweep{Experiment: "custom", Replicates: 4, Base: DefaultScenario(), Axes: []Axis{mustAxis("fanout=1,2")}}
	cols := sw.RunColumns()
	col := func(name string) int {
		for i, c := range cols {
			if c == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	row := func(run, point int, trig, rec, rt, msgs string) []string {
		r := make([]string, len(cols))
		r[0], r[1] = itoa(run), itoa(point)
		r[col("trigger_time_s")], r[col("recovered")], r[col("recovery_time_s")], r[col("messages_sent")] = trig, rec, rt, msgs
		return r
	}
	rows := [][]string{
		row(0, 0, "1", "true", "10", "2"), row(1, 0, "1", "true", "20", "4"),
		row(2, 0, "1", "false", "", "6"), row(3, 0, "", "false", "", "8"),
		row(4, 1, "1", "false", "", "1"), row(5, 1, "1", "false", "", "1"),
		row(6, 1, "1", "false", "", "1"), row(7, 1, "1", "false", "", "1"),
	}
	tab := Aggregate(sw, cols, rows)
	p0, p1 := tab.Points[0], tab.Points[1]
	if p0.Censored != 1 || p0.Untriggered != 1 || p1.Censored != 4 {
		t.Fatalf("censored %d/%d, untriggered %d; want 1, 4, 1", p0.Censored, p1.Censored, p0.Untriggered)
	}
	rt := p0.Stats[tab.Metric("recovery_time_s")]
	if rt.N != 2 || rt.Mean != 15 {
		t.Fatalf("recovery time over recovered runs: n %d mean %g, want 2, 15 (censored runs are not averaged in)", rt.N, rt.Mean)
	}
	if s := p1.Stats[tab.Metric("recovery_time_s")]; s.N != 0 || !math.IsNaN(s.Mean) {
		t.Fatalf("all-censored point has recovery mean %g", s.Mean)
	}
	m := p0.Stats[tab.Metric("messages_sent")]
	// mean 5, sd sqrt(20/3), t(0.975, 3) = 3.182446305284263
	half := 3.182446305284263 * math.Sqrt(20.0/3) / 2
	if m.Mean != 5 || math.Abs(m.Lo-(5-half)) > 1e-9 || math.Abs(m.Hi-(5+half)) > 1e-9 || m.Median != 5 {
		t.Fatalf("messages_sent stats %+v, want mean 5, CI 5 ± %g, median 5", m, half)
	}
}

func itoa(n int) string { return formatFloat(float64(n)) }
