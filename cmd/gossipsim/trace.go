package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/internal/bytesize"
	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/trace"
)

// traceFlags are run's event-trace flags: the --trace file and the filter
// and cap that apply to it.
type traceFlags struct {
	file               string
	kinds, nodes       string
	from, until, limit string
}

// defaultTraceMax is --trace-max's default.
const defaultTraceMax = "1GB"

func (f *traceFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&f.file, "trace", "", "write the run's events to `FILE`, one JSON object per line (sends, deliveries, drops, corruptions, belief updates, crashes, ...; see the README's Event trace)")
	fs.StringVar(&f.kinds, "trace-kinds", "", "trace only these event `kinds`, comma-separated: "+strings.Join(trace.KindNames(), ", ")+" (default all)")
	fs.StringVar(&f.nodes, "trace-nodes", "", "trace only events at, from, to or about these `nodes`, comma-separated ids or ranges, e.g. 0,5,10-19 (default all)")
	fs.StringVar(&f.from, "trace-from", "", "trace only events at or after this simulated `time`, e.g. 30s (default the start)")
	fs.StringVar(&f.until, "trace-until", "", "trace only events before this simulated `time` (default the end)")
	fs.StringVar(&f.limit, "trace-max", defaultTraceMax, "stop writing events when the trace would pass this `size` (0 = no cap); its last line then says how many were left out")
}

// wanted reports whether the run has an output that a Tracer feeds.
func (f *traceFlags) wanted() bool { return f.file != "" }

// filter reads the flags into the Tracer's filter and the file's cap for a
// run of sc writing its results to out (empty: none), and checks that the
// trace's directory exists (or is out, which the run creates). It writes
// nothing: every error is the user's, one line naming the flag, the value
// and what is allowed.
func (f *traceFlags) filter(sc experiments.Scenario, out string) (trace.Filter, int64, error) {
	var flt trace.Filter
	if !f.wanted() {
		for _, fl := range []struct{ name, v string }{{"trace-kinds", f.kinds}, {"trace-nodes", f.nodes}, {"trace-from", f.from}, {"trace-until", f.until}} {
			if fl.v != "" {
				return flt, 0, badInput("%s: %q given without --trace, the file it selects events for", fl.name, fl.v)
			}
		}
		return flt, 0, nil
	}
	if dir := filepath.Dir(f.file); out == "" || filepath.Clean(out) != dir {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return flt, 0, badInput("trace: %q is not in a directory that exists (%s)", f.file, dir)
		}
	}
	if st, err := os.Stat(f.file); err == nil && st.IsDir() {
		return flt, 0, badInput("trace: %q is a directory, not a file", f.file)
	}
	if f.kinds != "" {
		for _, name := range strings.Split(f.kinds, ",") {
			k, err := trace.ParseKind(strings.TrimSpace(name))
			if err != nil {
				return flt, 0, badInput("trace-kinds: %w", err)
			}
			flt.Kinds = append(flt.Kinds, k)
		}
	}
	if f.nodes != "" {
		nodes, err := parseNodeList(f.nodes, sc.Fleet.Nodes)
		if err != nil {
			return flt, 0, badInput("trace-nodes: %w", err)
		}
		flt.Nodes = nodes
	}
	var err error
	if f.from != "" {
		if flt.From, err = param.ParseDuration("trace-from", f.from, true); err != nil {
			return flt, 0, badInput("%w", err)
		}
		if flt.From >= sc.Duration {
			return flt, 0, badInput("trace-from: %q is not before the run's end (duration %v)", f.from, sc.Duration)
		}
	}
	if f.until != "" {
		if flt.Until, err = param.ParseDuration("trace-until", f.until, false); err != nil {
			return flt, 0, badInput("%w", err)
		}
		if flt.Until <= flt.From {
			return flt, 0, badInput("trace-until: %q is not after trace-from %v", f.until, flt.From)
		}
	}
	limit, err := bytesize.Parse(f.limit)
	if err != nil {
		return flt, 0, badInput("trace-max: %w", err)
	}
	return flt, limit, nil
}

// parseNodeList reads "0,5,10-19" into node ids, each below n.
func parseNodeList(s string, n int) ([]int32, error) {
	var ids []int32
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, errA := strconv.Atoi(lo)
		b := a
		var errB error
		if isRange {
			b, errB = strconv.Atoi(hi)
		}
		if errA != nil || errB != nil || a < 0 || b < a {
			return nil, fmt.Errorf("%q is not a node id or a range a-b of them (such as 0,5,10-19)", part)
		}
		if b >= n {
			return nil, fmt.Errorf("node %d is not in the fleet of %d nodes (0 to %d)", b, n, n-1)
		}
		for i := a; i <= b; i++ {
			ids = append(ids, int32(i))
		}
	}
	return ids, nil
}

// runTrace is a run's event trace: the Tracer the run reports to and the
// outputs it feeds. Another output is one more traceOutput in open.
type runTrace struct {
	tracer  *trace.Tracer // nil: no output wants events
	outputs []traceOutput
}

// traceOutput is an output fed by the run's Tracer. commit writes it after a
// run that finished and returns the file written and a warning for the
// user, if any; abort leaves nothing behind (a run that failed or was
// interrupted).
type traceOutput interface {
	trace.Sink
	commit() (file, warning string, err error)
	abort()
}

// tap is an output that reads the run's events through a filter of its
// own (the --sequence diagram's window), beside the --trace file.
type tap struct {
	filter trace.Filter
	sink   trace.Sink
}

// open builds the run's Tracer and its outputs from flt and limit (filter's
// results), creating the --trace file under a temporary name, and feeds
// taps too. With one output the Tracer is that output's; with more, the
// Tracer keeps the union of their filters and passes events to a Tracer
// per output with its own filter (trace.Union), so that no output gets an
// event it did not ask for and the run builds no event none asked for.
func (f *traceFlags) open(sc experiments.Scenario, flt trace.Filter, limit int64, taps ...tap) (*runTrace, error) {
	rt := &runTrace{}
	if f.file != "" {
		tf, err := trace.Create(f.file, limit)
		if err != nil {
			return nil, badInput("trace: cannot write %q: %v", f.file, unwrapPath(err))
		}
		out := &traceFile{File: tf, limit: f.limit}
		rt.outputs = append(rt.outputs, out)
		taps = append([]tap{{flt, out}}, taps...)
	}
	if len(taps) == 0 {
		return rt, nil
	}
	tr, err := trace.New(taps[0].filter, sc.Fleet.Nodes, taps[0].sink)
	if len(taps) > 1 {
		filters := make([]trace.Filter, len(taps))
		inner := make([]trace.Sink, len(taps))
		for i, t := range taps {
			filters[i] = t.filter
			if inner[i], err = trace.New(t.filter, sc.Fleet.Nodes, t.sink); err != nil {
				break
			}
		}
		if err == nil {
			tr, err = trace.New(trace.Union(filters...), sc.Fleet.Nodes, inner...)
		}
	}
	if err != nil {
		rt.abort()
		return nil, badInput("trace: %w", err)
	}
	rt.tracer = tr
	return rt, nil
}

// commit writes every output, printing their warnings to stderr, and
// returns the files written.
func (rt *runTrace) commit(stderr io.Writer) ([]string, error) {
	var files []string
	for i, o := range rt.outputs {
		file, warning, err := o.commit()
		if err != nil {
			for _, rest := range rt.outputs[i+1:] {
				rest.abort()
			}
			return files, err
		}
		if warning != "" {
			fmt.Fprintf(stderr, "gossipsim: %s\n", warning)
		}
		files = append(files, file)
	}
	return files, nil
}

// abort removes every output's temporary files.
func (rt *runTrace) abort() {
	for _, o := range rt.outputs {
		o.abort()
	}
}

// traceFile is the --trace file.
type traceFile struct {
	*trace.File
	limit string // --trace-max as given
}

func (t *traceFile) commit() (string, string, error) {
	if err := t.Commit(); err != nil {
		return "", "", err
	}
	warning := ""
	if n := t.LeftOut(); n > 0 {
		warning = fmt.Sprintf("trace: %s reached --trace-max %s; %d events written, %d left out (its last line says so)", t.Path(), t.limit, t.Events(), n)
	}
	return t.Path(), warning, nil
}

func (t *traceFile) abort() { t.Abort() }

// unwrapPath is a file error without the operation and path it repeats.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
