package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/plots"
	"github.com/gossipsim/gossipsim/sim"
)

// defaultSequenceWindow is the length of the window a sequence diagram
// draws when --sequence-until is not given: 5 simulated seconds from
// --sequence-from (from 0 s by default), five gossip rounds at the default
// 1 s interval, about 120 messages on 8 nodes and 500 on 32.
const defaultSequenceWindow = 5 * sim.Second

// sequenceFlags are --sequence FILE.svg and its window: the message-flow
// diagram of a small fleet (plots.SequenceDiagram), drawn from the run's
// trace events.
type sequenceFlags struct {
	file        string
	from, until string
	scale       float64
	fs          *pflag.FlagSet

	rec *plots.SequenceRecorder // set by tracer
}

// add binds the flags to fs.
func (f *sequenceFlags) add(fs *pflag.FlagSet) {
	f.fs = fs
	fs.StringVar(&f.file, "sequence", "", fmt.Sprintf("draw the message flow of a fleet of at most %d nodes into `FILE.svg`: a lifeline per node, an arrow per message (corrupted, rejected and lost ones marked)", plots.MaxSequenceNodes))
	fs.StringVar(&f.from, "sequence-from", "0s", "start of the --sequence window, simulated `time`")
	fs.StringVar(&f.until, "sequence-until", "", "end of the --sequence window, simulated `time` (default: 5s after --sequence-from)")
	fs.Float64Var(&f.scale, "sequence-scale", plots.DefaultSequenceScale, fmt.Sprintf("`pixels` per simulated second in the --sequence diagram; 0 chooses from the number of messages (the diagram is kept between %.0f and %.0f pixels tall)", plots.MinSequenceHeight, plots.MaxSequenceHeight))
}

// options checks the flags against the scenario and returns the diagram's
// options; ok is false without --sequence. The window ends at the run's
// horizon at the latest.
func (f *sequenceFlags) options(sc experiments.Scenario) (opt plots.SequenceOptions, ok bool, err error) {
	given := f.file != ""
	for _, name := range []string{"sequence-from", "sequence-until", "sequence-scale"} {
		if !given && f.fs.Changed(name) {
			return opt, false, badInput("%s: given without --sequence FILE.svg", name)
		}
	}
	if !given {
		return opt, false, nil
	}
	if !strings.EqualFold(filepath.Ext(f.file), ".svg") {
		return opt, false, badInput("sequence: %q is not an .svg file name (the diagram is SVG)", f.file)
	}
	if st, err := os.Stat(filepath.Dir(f.file)); err != nil || !st.IsDir() {
		return opt, false, badInput("sequence: %q: directory %s does not exist", f.file, filepath.Dir(f.file))
	}
	if n := sc.Fleet.Nodes; n > plots.MaxSequenceNodes {
		return opt, false, badInput("sequence: the fleet has %d nodes (--nodes); a sequence diagram draws at most %d", n, plots.MaxSequenceNodes)
	}
	from, err := seqTime("sequence-from", f.from)
	if err != nil {
		return opt, false, err
	}
	until := from + defaultSequenceWindow
	if f.until != "" {
		if until, err = seqTime("sequence-until", f.until); err != nil {
			return opt, false, err
		}
		if until <= from {
			return opt, false, badInput("sequence-until: %s is not after --sequence-from %s", f.until, f.from)
		}
	}
	if from >= sc.Duration {
		return opt, false, badInput("sequence-from: %s is not before the end of the run (--duration %s)", f.from, sc.Duration)
	}
	opt = plots.SequenceOptions{Nodes: sc.Fleet.Nodes, From: from, Until: min(until, sc.Duration), PixelsPerSecond: f.scale}
	if m, ok := sc.Model.(messageKindNamer); ok {
		opt.KindNames = m.MessageKindNames()
	}
	if err := opt.Validate(); err != nil {
		return opt, false, badInput("sequence-scale: %v", err)
	}
	return opt, true, nil
}

// messageKindNamer is a model whose message kinds are its own, not wire's
// although they share wire's numbers (SWIM's ping is kind 2, wire's
// digest): it names them for the diagram (plots.SequenceOptions.KindNames).
type messageKindNamer interface {
	MessageKindNames() map[wire.Kind]string
}

// seqTime reads a simulated time of at least 0 for the flag name.
func seqTime(name, s string) (sim.Time, error) {
	d, err := param.SimTimeText.Parse(s)
	if err != nil || d < 0 {
		return 0, badInput("%s: %q is not a simulated time >= 0 such as 0s, 90s or 2m", name, s)
	}
	return d, nil
}

// tap checks the flags and returns the diagram's recorder with the filter
// of the events it draws (nil without --sequence); the run's Tracer feeds
// it beside the --trace file (traceFlags.open).
func (f *sequenceFlags) tap(sc experiments.Scenario) (*tap, error) {
	opt, ok, err := f.options(sc)
	if !ok || err != nil {
		return nil, err
	}
	f.rec = plots.NewSequenceRecorder(opt)
	return &tap{filter: f.rec.Filter(), sink: f.rec}, nil
}

// write draws the diagram of the run res into the --sequence file
// (atomically) and returns its path; "" without --sequence.
func (f *sequenceFlags) write(res experiments.Result) (string, error) {
	if f.rec == nil {
		return "", nil
	}
	opt := f.rec.Options()
	s := res.Summary
	opt.Title = fmt.Sprintf("%s: %d nodes, seed %d", s.Model, s.Nodes, s.Seed) // as printText names the run
	if len(s.Protocol) == 0 {
		opt.Title = experiments.Title(s)
	}
	opt.Provenance = experiments.ProvenanceOf(res.Scenario, res.Scenario.Seed).Text()
	if err := plots.WriteSequence(f.file, f.rec.Events, opt); err != nil {
		return "", err
	}
	return f.file, nil
}
