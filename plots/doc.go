// Package plots draws PNG figures of a gossipsim run from its time series,
// a slice of metrics.Sample (one row per sampling interval). It never runs a
// simulation and never prints; it only reads samples and writes files.
//
// # Figures
//
// GossipVolume draws how much gossip the fleet sends. Its top panel shows
// messages per second: the fleet total, the failure-notice part of it and
// the busiest single node's received rate (the hot spot). Because in a large
// fleet the busiest node sees a tiny share of the fleet total, this panel
// switches to a logarithmic axis when the two differ by more than 20x; the
// axis label then says "log scale". Its bottom panel shows bytes sent per
// second in a unit (B/s, KB/s, MB/s, GB/s; decimal) picked by magnitude.
//
// WrongView draws the damage: the wrong-view fraction (how many (observer,
// peer) pairs hold a wrong belief about the peer, in percent) on top, node
// utilization (fleet mean and busiest node, in percent of capacity) below
// it, and, only if any were dropped, receive-queue drops per second at the
// bottom.
//
// In both figures the panels share the time axis (simulated seconds), which
// starts where the first sampling interval began (a Sample's Time is the end
// of its interval) and ends at the last sample; samples need not be sorted.
// Every Marker is a dashed vertical line across all panels, listed in the
// top panel's legend with its time. Legends sit to the right of the panels,
// so they never cover data. Colours are the colour-blind-safe Okabe-Ito
// palette.
//
// # Calling
//
// Collect the samples of a run and the instants worth marking, then write
// both figures into a directory:
//
//	markers := []plots.Marker{{Time: triggerTime, Label: "trigger"}}
//	opt := plots.Options{Title: "S3-style gossip, 1000 nodes, seed 1"}
//	paths, err := plots.WriteFiles("out/run1", samples, markers, opt)
//	// paths: out/run1/gossip_volume.png, out/run1/wrong_view.png
//
// or write one figure to a path of your choice with GossipVolume or
// WrongView. The zero Options gives a 10 x 7 inch figure at 150 dpi
// (1500 x 1050 pixels); Options.PixelSize reports the size for other values.
//
// # Guarantees
//
// Files are written atomically: each figure is rendered in memory, written
// to a temporary file in the target directory and renamed into place, so a
// reader never sees a partial PNG and a failed call leaves nothing behind.
// The same input always gives the same bytes. Empty samples, or samples with
// NaN or infinite values, are reported as errors, never panics; all-zero
// series are drawn on a sensible default range. Errors name the file, e.g.
// "plots: writing out/run1/wrong_view.png: ...".
package plots
