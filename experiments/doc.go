// Package experiments turns scenarios into runs and runs into records and
// files: the embedded default scenario and its validation, single runs,
// sweeps over parameter grids with replicates, shards and their merge, the
// validation of the classic protocols against the literature, and the
// result files (summary.json, timeseries.csv, runs.csv, points.csv and
// figures, drawn by package plots). It never prints or exits: package main
// (cmd/gossipsim) adds the flags, the progress bars and the exit codes.
//
// ExampleRun and ExampleRunSweep are the quick start.
//
// # Scenarios
//
// A Scenario is everything one run needs: the Fleet every model shares
// (nodes, network, corruption, checksum, event queue), the Model --model
// names with its own parameters (the S3-style model by default, or a
// classic protocol; all implement protocol.Model), the horizon, the sample
// interval, the limits and the seed. The S3 model's parameters are
// top-level run parameters (Scenario.S3Params); a classic protocol's are
// set with SetModelParam (`--set KEY=VALUE`). DefaultScenario returns the documented defaults;
// Scenario.Set sets a parameter by the name the command line and scenario
// files use ("nodes", "corrupt-prob", "checksum", ...); Validate names the
// field, the bad value and the allowed range. LoadScenarioFile reads a YAML
// scenario file (and its optional sweep section) and PrintScenario writes
// one back, fully defaulted. LookupExperiment returns a named experiment:
// a ready-made Sweep with its figures.
//
// # Runs
//
// Run runs one scenario to its horizon: the same scenario and seed give the
// same Summary and samples, byte for byte. A cancelled context stops it
// within milliseconds. WriteRun writes its summary.json, timeseries.csv and
// figures, and for the S3 model the anatomy of a storm (anatomy.csv,
// utilization.csv, saturation.png and declarations.png when it stormed;
// ReadAnatomy reads them back); RunAll runs many scenarios in parallel. EstimateMemory and
// CheckMemory refuse, before it starts, a run that cannot fit in memory.
//
// # Sweeps
//
// A Sweep is a base scenario, a grid of Axes (ParseAxis reads
// "nodes=500,1000", "loss=0:0.1:5", "corrupt-prob=1e-5:1e-1:log:9") and a
// number of replicates per point. Every run's seed is derived from the
// sweep seed, the point and the replicate (Paired axes share seeds), so
// results do not depend on the number of workers, nor on the order the runs
// start in: with SweepOptions.MemoryBudget a run starts only when its
// EstimateMemory fits beside those in flight, largest first where memory
// binds. RunSweep runs it into a
// directory: sweep.json first, each finished run appended to a journal,
// then runs.csv (one row per run), points.csv (means, standard deviations
// and 95% confidence intervals per point, see Aggregate) and the figures.
// Redraw draws the figures again from the files, without rerunning.
//
// # Shards and merge
//
// SweepOptions.Shard (ParseShard reads "i/n") runs the i-th of n disjoint
// slices of a sweep's runs, for example on n machines; each shard directory
// holds sweep.json, shard.json and its runs.csv. Merge checks that the
// shards are of one sweep and cover it exactly once, and writes the merged
// runs.csv, points.csv and figures, the same bytes as the unsharded sweep.
//
// # The journal, locks and interruption
//
// Each finished run of a sweep is appended to runs.partial.csv and flushed
// at once; a record checks itself, so a resume (SweepOptions.Resume) skips
// recorded runs, reruns a torn last record and refuses any other damage as
// ErrBadInput naming the file and line. Under a context from Graceful, a
// first cancellation lets the runs in flight finish and be journalled; an
// interrupted sweep returns an *Interrupted. Every command that writes a
// directory holds its lock (LockDir, ErrDirInUse) and marks an unfinished
// output set with an INCOMPLETE file (BeginOutputSet, EndOutputSet), which
// the same command removes when it finishes the set. Files are written
// atomically and fsynced (WriteFileAtomic). ErrBadInput marks every error
// that is the caller's fault (errors.Is); the rest are I/O errors or
// failed runs.
//
// # Validation
//
// RunValidation runs the classic protocols (epidemic, rumor mongering,
// SWIM, gossip-style heartbeats) against published results
// (ValidationChecks) and writes validation.csv and a figure per check. Like
// a report, it is written part by part (Parts): interrupted, it returns an
// *Unfinished saying which parts are done, and Resume finishes it.
//
// # Reports
//
// Package experiments/report, built on this one, writes the report
// (report.md and report.html: the scenario, figures, tables, the
// validation and the command that reproduces it) and replays the S3 event
// of 20 July 2008 on its published clock.
package experiments
