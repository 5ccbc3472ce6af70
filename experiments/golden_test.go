// If TestGolden fails, a change altered the results of the sweeps below: review the diff it prints.
// If the model change is intended, rerun with `go test ./experiments -run Golden -update` and commit
// the rewritten testdata/golden files with the reason in the commit message; otherwise fix the change.

package experiments

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenSweeps are small, fast sweeps whose runs.csv and points.csv are kept
// in testdata/golden/NAME. "s3" is the S3 model on 40 and 60 nodes for 90
// simulated seconds at corrupt-prob 1e-4 and 1e-2, without a checksum and
// with CRC-32C, 2 replicates: some runs trigger (sticky corrupted entries,
// no recovery), some do not. "epidemic" is one point of the classic
// push epidemic on 50 nodes with corruption and no checksum, 3 replicates.
//
// "rumor", "heartbeat" and "swim" guard the classic protocols' byte path:
// each runs with corruption heavy enough that every run without a checksum
// accepts corrupted messages (corruptions_accepted > 0) and every run with
// CRC-32C rejects them, at the protocol's defaults otherwise. "rumor" is
// 100 nodes for 30 s at corrupt-prob 0.05, 3 replicates; "heartbeat" is 20
// nodes for 60 s (past the default crash at 30 s and its detection) at
// 0.01, 3 replicates; "swim" is 20 nodes for 30 s at 0.01, with and without
// Lifeguard, 2 replicates.
func goldenSweeps() map[string]Sweep {
	s3 := DefaultScenario()
	s3.Duration = 90 * sim.Second
	ep := protocolScenario("epidemic", 50, 60*sim.Second)
	ep.Fleet.Corruption.Probability = 1e-2
	rumor := protocolScenario("rumor", 100, 30*sim.Second)
	heartbeat := protocolScenario("heartbeat", 20, 60*sim.Second)
	swim := protocolScenario("swim", 20, 30*sim.Second)
	return map[string]Sweep{
		"s3": {Experiment: "custom", Seed: 7, Replicates: 2, Base: s3, Axes: []Axis{
			mustAxis("nodes=40,60"),
			mustAxis("corrupt-prob=1e-4,1e-2"),
			mustAxis("checksum=none,crc32c"),
		}},
		"epidemic": {Experiment: "custom", Seed: 7, Replicates: 3, Base: ep},
		"rumor": {Experiment: "custom", Seed: 7, Replicates: 3, Base: rumor, Axes: []Axis{
			mustAxisFor("corrupt-prob=0.05", rumor),
			mustAxisFor("checksum=none,crc32c", rumor),
		}},
		"heartbeat": {Experiment: "custom", Seed: 7, Replicates: 3, Base: heartbeat, Axes: []Axis{
			mustAxisFor("corrupt-prob=0.01", heartbeat),
			mustAxisFor("checksum=none,crc32c", heartbeat),
		}},
		"swim": {Experiment: "custom", Seed: 7, Replicates: 2, Base: swim, Axes: []Axis{
			mustAxisFor("corrupt-prob=0.01", swim),
			mustAxisFor("checksum=none,crc32c", swim),
			mustAxisFor("lifeguard=false,true", swim),
		}},
	}
}

// protocolScenario is the default scenario running the named classic
// protocol at its defaults on the given fleet size and horizon.
func protocolScenario(model string, nodes int, horizon sim.Time) Scenario {
	sc := DefaultScenario()
	sc.Duration = horizon
	sc.Fleet.Nodes = nodes
	p, err := NewModel(model)
	if err != nil {
		panic(err)
	}
	sc.Model = p
	return sc
}

// mustAxisFor is mustAxis for a grid over base, whose protocol's parameters
// can be axes too.
func mustAxisFor(spec string, base Scenario) Axis {
	ax, err := ParseAxisFor(spec, base)
	if err != nil {
		panic("experiments: bad golden grid " + spec + ": " + err.Error())
	}
	return ax
}

// TestGolden runs the golden sweeps afresh and compares their runs.csv and
// points.csv byte for byte with testdata/golden; with -update it rewrites
// them instead.
func TestGolden(t *testing.T) {
	for name, sw := range goldenSweeps() {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			runSweep(t, sw, dir, SweepOptions{Workers: 2})
			for _, file := range []string{RunsFileName, PointsFileName} {
				got, err := os.ReadFile(filepath.Join(dir, file))
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", "golden", name, file)
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					t.Logf("rewrote %s", golden)
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (create the golden files with go test ./experiments -run Golden -update)", err)
				}
				if d := firstDiff(want, got); d != "" {
					t.Errorf("%s differs from the fresh sweep: %s", golden, d)
				}
			}
		})
	}
}

// TestGoldenCorruptionReachesProtocols: the classic protocols' golden
// sweeps exercise the byte path, so a change to encoding, corruption or
// checksum verification shows in them: every run without a checksum
// accepted at least one corrupted message, and every run with CRC-32C
// rejected at least one and accepted none.
func TestGoldenCorruptionReachesProtocols(t *testing.T) {
	for _, name := range []string{"rumor", "heartbeat", "swim"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "golden", name, RunsFileName))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			col := func(name string) int {
				i := slices.Index(rows[0], name)
				if i < 0 {
					t.Fatalf("runs.csv has no column %s", name)
				}
				return i
			}
			checksum, accepted, rejected := col("checksum"), col("corruptions_accepted"), col("corruptions_rejected")
			seen := map[string]int{}
			for _, r := range rows[1:] {
				seen[r[checksum]]++
				switch r[checksum] {
				case "none":
					if r[accepted] == "0" {
						t.Errorf("run %s: no checksum, yet no corruption accepted (corruptions_accepted %s)", r[0], r[accepted])
					}
				case "crc32c":
					if r[rejected] == "0" || r[accepted] != "0" {
						t.Errorf("run %s: crc32c, corruptions_rejected %s and corruptions_accepted %s, want > 0 and 0", r[0], r[rejected], r[accepted])
					}
				default:
					t.Errorf("run %s: checksum %q, want none or crc32c", r[0], r[checksum])
				}
			}
			if seen["none"] == 0 || seen["crc32c"] == 0 {
				t.Errorf("runs by checksum %v, want runs with none and with crc32c", seen)
			}
		})
	}
}

// firstDiff describes the first line where got differs from want, or
// returns "" when they are equal.
func firstDiff(want, got []byte) string {
	if bytes.Equal(want, got) {
		return ""
	}
	wl := bytes.Split(want, []byte("\n"))
	gl := bytes.Split(got, []byte("\n"))
	for i := 0; i < max(len(wl), len(gl)); i++ {
		switch {
		case i >= len(wl):
			return fmt.Sprintf("line %d: golden file ends, fresh sweep has\n  %s", i+1, gl[i])
		case i >= len(gl):
			return fmt.Sprintf("line %d: fresh sweep ends, golden file has\n  %s", i+1, wl[i])
		case !bytes.Equal(wl[i], gl[i]):
			return fmt.Sprintf("line %d%s:\n  golden %s\n  fresh  %s", i+1, diffColumn(wl[0], wl[i], gl[i]), wl[i], gl[i])
		}
	}
	return "the files differ" // not reached: equal lines and lengths mean equal bytes
}

// diffColumn names the first CSV column (by the golden header) in which two
// rows differ, as " (column NAME)", or "" if the rows do not split alike.
func diffColumn(header, a, b []byte) string {
	h, x, y := bytes.Split(header, []byte(",")), bytes.Split(a, []byte(",")), bytes.Split(b, []byte(","))
	for j := 0; j < min(len(x), len(y), len(h)); j++ {
		if !bytes.Equal(x[j], y[j]) {
			return fmt.Sprintf(" (column %s: %s -> %s)", h[j], x[j], y[j])
		}
	}
	return ""
}
