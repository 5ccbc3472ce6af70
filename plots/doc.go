// Package plots draws figures of a gossipsim run from its time series, a
// slice of metrics.Sample (one row per sampling interval), and of parameter
// sweeps from their summaries, as PNG, SVG or PDF files fit to paste into a
// report. It never runs a simulation and never prints; it only reads plain
// records and writes files.
//
// # Figures
//
// GossipVolume draws how much gossip the fleet sends. Its top panel shows
// messages per second: the fleet total, the failure-notice part of it and
// the busiest single node's received rate (the hot spot). Because in a large
// fleet the busiest node sees a tiny share of the fleet total, this panel
// switches to a logarithmic axis when the two differ by more than 20x; the
// axis label then says "log scale". Its bottom panel shows bytes sent per
// second in a unit (B/s, kB/s, MB/s, GB/s; decimal SI) picked by magnitude.
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
// top panel's legend with its time. Each panel's legend sits above it, in
// rows across the figure's width, so it never covers data.
//
// CompareRuns draws several runs (e.g. the representative run of each
// mitigation) on one figure: gossip volume (messages per second, on a log
// axis when the runs' values span more than 20x) on top, the wrong-view
// fraction below, one colour per Run in both panels. Where a run's samples
// say a reset was in progress (Sample.Resetting) the time is shaded in a
// light band of its colour, with a solid strip of that colour along the
// top edge so that overlapping resets stay apart; each run's markers are
// short dashed ticks on its own lines, one dash pattern per marker label.
// At most MaxCompareRuns (8) runs are drawn.
//
// Timeline is CompareRuns for a report's story of a day: the wrong-view
// fraction on top, gossip volume below (on a log axis when it spans more
// than two decades), against clock times ("08:40", given the clock time of
// the runs' start in seconds after midnight), with Milestones drawn as thin
// dashed grey lines labelled above the figure, on as many rows as their
// labels need not to collide.
//
// Saturation and Declarations draw the anatomy of a storm
// (metrics.Anatomy; WriteAnatomyFiles writes both): a heat map of every
// node's processor utilization over time, the nodes sorted by when they
// first saturate with the front of first saturations drawn over it, and
// the failure declarations per second, true and false.
//
// # Colours and units
//
// Colours are the colour-blind-safe Okabe-Ito palette, and mean the same
// thing in every figure: a mitigation preset (a name of the registry in
// models/mitigation, such as "none" or "a-fast") always has the colour the
// registry gives it (MitigationColour), in CompareRuns, Timeline and,
// through Group.Colour, box plots; the fleet's
// gossip is blue, failure notices and wrong views vermillion, the busiest
// node green. Axis labels put units in parentheses: "messages/s", "s",
// byte rates in B/s with decimal SI prefixes (kB/s, MB/s), fractions in
// percent ("wrong views (%)").
//
// # Size, format and provenance
//
// The zero Options gives a PNG 6.5 inches wide, the width of a report's
// text column, at 150 dpi; a figure of one panel is 4.5 inches high, each
// further stacked panel adds an inch. Text is 9 pt (tick labels, legends),
// 10 pt (axis labels) and 11 pt (the title, wrapped if it is wider than the
// figure), data lines 1.5 pt: at the figure's natural width in a report,
// the sizes of footnotes and captions. Options.Format asks for SVG or PDF
// (vector graphics; gonum's vgsvg and vgpdf) instead, and Options.DPI for
// another PNG resolution (50 to 1200). Options.FileName gives a figure's
// file name in the chosen format. Options.Provenance, what produced a
// figure, goes into a PNG's tEXt chunk "gossipsim" (PNGText reads it) and
// an SVG's <metadata id="gossipsim"> (SVGMetadata); vgpdf has no way to
// write it into a PDF.
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
//	// (with opt.Format "svg": gossip_volume.svg and wrong_view.svg)
//
// or write one figure to a path of your choice with GossipVolume or
// WrongView. Options.PixelSize and PanelsPixelSize report the size in
// pixels of a PNG.
//
// # Sweep figures
//
// A parameter sweep runs a grid of parameter values, several replicates at
// each; the caller summarizes the runs and passes plain records, along with
// SweepOptions (title, axis labels with units, log axes, size):
//
//   - MetricVsParam draws a metric against the swept parameter, one line
//     per Series (Okabe-Ito colours and distinct marker shapes in order),
//     with the 95% interval as error bars, or as a shaded band for series of
//     more than 12 points. Censored runs (the fleet never recovered before
//     the horizon) are never shown as measurements: a point with some
//     censored runs has a hollow marker and a note "k/n censored"; a point
//     with all runs censored has no mean, only a hollow marker at the top
//     edge with its note.
//   - HeatMap draws a metric over a two-parameter grid as equal-sized
//     cells, whatever the spacing of the values, each printed with its
//     value, coloured on the viridis scale (logarithmic, and so labelled,
//     when the values are positive and span a factor of 100 or more), with
//     a colour bar; missing values are grey cells marked "n/a".
//   - Box draws, per category (e.g. mitigation), a box plot of a metric
//     across replicates with every run shown as a point, spread sideways by
//     a fixed pattern, in the group's colour; censored runs are hollow
//     markers at the top edge and are counted under the category's name.
//
// On a log axis, values <= 0 cannot be drawn: they are left out and the
// legend says how many. A NaN metric value means "no value" and is drawn as
// such, never an error; empty input (ErrNoData), slices whose lengths do
// not match, and NaN or descending parameter values in a Series are errors.
// Legends sit above the plot, as in the time-series figures; a heat map's
// colour bar sits to its right.
//
//	s := plots.Series{Label: "checksum = crc32c", X: probs, Mean: means,
//		Lo: lo, Hi: hi, Censored: censored, Runs: runs}
//	err := plots.MetricVsParam("out/recovery.png", []plots.Series{s}, plots.SweepOptions{
//		Title:  "Recovery time vs corruption probability",
//		XLabel: "corruption probability per message",
//		YLabel: "recovery time (s)",
//		LogX:   true,
//	})
//
// # Sequence diagrams
//
// SequenceDiagram draws the message flow of a fleet of at most
// MaxSequenceNodes (32) nodes over a window of simulated time, from the
// events of a run's trace (package models/trace): a lifeline per node, time
// going down, an arrow per message copy from its sender at its send time to
// its receiver at its delivery time, coloured by message kind, with
// corrupted, rejected, accepted-corrupted and lost copies marked and a
// tooltip on every arrow. It writes SVG by hand rather than through gonum,
// so that each arrow is an element with a <title> and data-* attributes
// (see sequence.go). A SequenceRecorder is the trace sink that keeps what a
// diagram needs, at most MaxSequenceArrows copies:
//
//	opt := plots.SequenceOptions{Nodes: 8, Until: 5 * sim.Second}
//	rec := plots.NewSequenceRecorder(opt)
//	sc.Trace, _ = trace.New(rec.Filter(), 8, rec)
//	// ... run sc ...
//	err := plots.WriteSequence("flow.svg", rec.Events, rec.Options())
//
// # Guarantees
//
// Files are written atomically: each figure is rendered in memory, written
// to a temporary file in the target directory and renamed into place, so a
// reader never sees a partial file and a failed call leaves nothing behind.
// The same input always gives the same bytes, in every format: SVG holds
// no dates or random identifiers, and PDFs are written with fixed dates
// (PDFDate, 1970-01-01) and resources in sorted order. Empty samples, or samples with
// NaN or infinite values, are reported as errors, never panics; all-zero
// series are drawn on a sensible default range; a failure while drawing is
// returned as an error, not a panic. Errors name the file, e.g.
// "plots: writing out/run1/wrong_view.png: ...".
package plots
