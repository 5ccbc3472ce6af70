// If TestGolden fails, a change altered the results of the sweeps below: review the diff it prints.
// If the model change is intended, rerun with `go test ./experiments -run Golden -update` and commit
// the rewritten testdata/golden files with the reason in the commit message; otherwise fix the change.

package experiments

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
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
func goldenSweeps() map[string]Sweep {
	s3 := DefaultScenario()
	s3.Duration = 90 * sim.Second
	ep := DefaultScenario()
	ep.Duration = 60 * sim.Second
	ep.Model.Nodes = 50
	ep.Model.Corruption.Probability = 1e-2
	p, err := NewProtocol("epidemic")
	if err != nil {
		panic(err)
	}
	ep.Protocol = p
	return map[string]Sweep{
		"s3": {Experiment: "custom", Seed: 7, Replicates: 2, Base: s3, Axes: []Axis{
			mustAxis("nodes=40,60"),
			mustAxis("corrupt-prob=1e-4,1e-2"),
			mustAxis("checksum=none,crc32c"),
		}},
		"epidemic": {Experiment: "custom", Seed: 7, Replicates: 3, Base: ep},
	}
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
