package experiments_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gossipsim/gossipsim/experiments"
)

// Run one scenario: the S3-style model on 50 servers for two simulated
// minutes, with corrupted messages and no checksum. Parameters are set by
// the names the command line and scenario files use.
func ExampleRun() {
	sc := experiments.DefaultScenario()
	for _, kv := range [][2]string{{"nodes", "50"}, {"duration", "2m"}, {"corrupt-prob", "1e-3"}, {"checksum", "none"}} {
		if err := sc.Set(kv[0], kv[1]); err != nil {
			fmt.Println(err)
			return
		}
	}
	res, err := experiments.Run(context.Background(), sc, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := res.Summary
	fmt.Printf("%d nodes, seed %d: %d messages sent, %d corrupted ones accepted\n", s.Nodes, s.Seed, s.MessagesSent, s.CorruptionsAccepted)
	fmt.Printf("recovered %v, %d samples\n", s.Recovered, len(res.Samples))
	// Output:
	// 50 nodes, seed 2: 36366 messages sent, 9 corrupted ones accepted
	// recovered false, 120 samples
}

// Run a sweep: two checksums × 3 replicates, written to a directory, then
// read back and aggregated per grid point.
func ExampleRunSweep() {
	dir, err := os.MkdirTemp("", "sweep")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	sc := experiments.DefaultScenario()
	for _, kv := range [][2]string{{"nodes", "30"}, {"duration", "1m"}, {"corrupt-prob", "1e-3"}} {
		if err := sc.Set(kv[0], kv[1]); err != nil {
			fmt.Println(err)
			return
		}
	}
	axis, err := experiments.ParseAxis("checksum=none,crc32c")
	if err != nil {
		fmt.Println(err)
		return
	}
	sw := experiments.Sweep{Experiment: "custom", Seed: 1, Replicates: 3, Base: sc, Axes: []experiments.Axis{axis}}
	out := filepath.Join(dir, "out")
	rep, err := experiments.RunSweep(context.Background(), sw, out, experiments.SweepOptions{Workers: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d runs, %d files\n", rep.Ran, len(rep.Files))

	sw, _, rows, err := experiments.LoadSweep(out)
	if err != nil {
		fmt.Println(err)
		return
	}
	t := experiments.Aggregate(sw, sw.RunColumns(), rows)
	acc := t.Metric("corruptions_accepted")
	for _, p := range t.Points {
		fmt.Printf("%s: %d runs, corruptions accepted %.1f on average\n", p.Point.Key(sw.Axes), p.Runs, p.Stats[acc].Mean)
	}
	// Output:
	// 6 runs, 8 files
	// checksum=none: 3 runs, corruptions accepted 3.7 on average
	// checksum=crc32c: 3 runs, corruptions accepted 0.0 on average
}
