package main

import (
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/internal/bytesize"
	"github.com/gossipsim/gossipsim/internal/memlimit"
)

// scenarioFlags are --scenario and --print-scenario, shared by run and sweep.
type scenarioFlags struct {
	file  string
	print bool
}

func (s *scenarioFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&s.file, "scenario", "", "YAML scenario file with any run parameter, set: and sweep: sections; flags given on the command line override it")
	fs.BoolVar(&s.print, "print-scenario", false, "print the fully defaulted scenario as a scenario file and exit (save, edit, rerun with --scenario)")
}

// preloadScenario loads the --scenario file named in args, if any, into sc
// before the flags are parsed, so that flags override the file.
func preloadScenario(args []string, sc *experiments.Scenario) (string, experiments.SweepSpec, error) {
	file := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--scenario="); ok {
			file = v
		} else if a == "--scenario" && i+1 < len(args) {
			file = args[i+1]
			i++
		}
	}
	if file == "" {
		return "", experiments.SweepSpec{}, nil
	}
	spec, err := experiments.LoadScenarioFile(file, sc)
	if err != nil {
		return file, spec, err
	}
	return file, spec, nil
}

// memoryFlag is --max-memory, shared by run and sweep.
type memoryFlag struct{ spec string }

func (m *memoryFlag) add(fs *pflag.FlagSet) {
	fs.StringVar(&m.spec, "max-memory", "", "refuse runs estimated to need more memory than this (default: the memory available now, or what is left under the cgroup's limit when that is less; 0 = no estimate check), e.g. 16GB")
}

// memRoot is the file-system root the memory limits are read under (tests
// point it at fake /proc and /sys/fs/cgroup trees).
var memRoot = "/"

// memEnv is how the memory guard reads a Slurm job's grant
// (SLURM_MEM_PER_NODE...); tests replace it.
var memEnv = os.Getenv

// available is the memory available now: the host's or the cgroup's
// (memlimit.Available), or a Slurm job's grant when that is less.
func available() (memlimit.Limit, bool) {
	avail, ok := memlimit.Available(memRoot)
	if s, okS := memlimit.Slurm(memEnv); okS && (!ok || s.Bytes < avail.Bytes) {
		return s, true
	}
	return avail, ok
}

// ceiling is the most memory a run could ever use: memlimit.Ceiling, or a
// Slurm job's grant when that is less.
func ceiling() (memlimit.Limit, bool) {
	c, ok := memlimit.Ceiling(memRoot)
	if s, okS := memlimit.Slurm(memEnv); okS && (!ok || s.Bytes < c.Bytes) {
		return s, true
	}
	return c, ok
}

// check refuses a run (or concurrent runs of sc) that cannot fit in memory:
// its estimate against --max-memory, or else against the memory available
// (the host's, or the cgroup's when less). With figures, drawing the time
// series counts too. Whatever --max-memory says, a run whose up-front
// allocation exceeds what the machine or cgroup could ever give is refused:
// it would be killed, or die in the runtime, before its first event.
// limit is what estimates are compared with: --max-memory, or else the
// memory available now (the host's, or the cgroup's when less); Bytes 0
// when neither is known or --max-memory is 0.
func (m *memoryFlag) limit() (experiments.MemoryLimit, error) {
	var limit experiments.MemoryLimit
	if m.spec != "" {
		v, err := bytesize.Parse(m.spec)
		if err != nil {
			return limit, badInput("max-memory: %w", err)
		}
		limit = experiments.MemoryLimit{Bytes: v, Name: "--max-memory"}
	} else if avail, ok := available(); ok {
		limit = experiments.MemoryLimit{Bytes: avail.Bytes, Name: avail.Source}
		if avail.Cgroup {
			limit.Total = avail.Total
		}
	}
	return limit, nil
}

func (m *memoryFlag) check(sc experiments.Scenario, concurrent int, figures bool) error {
	if floor := experiments.MemoryFloor(sc); floor > 0 {
		if c, ok := ceiling(); ok && floor > c.Bytes {
			what := "the memory and swap of this machine"
			switch {
			case strings.HasPrefix(c.Source, "the Slurm"):
				what = c.Source
			case c.Cgroup:
				what = c.Source + " with the swap of this machine"
			}
			return badInput("memory: %d nodes allocate %s before the first event (the model's views), more than %s (%s) could ever give; use fewer nodes",
				sc.Fleet.Nodes, bytesize.Format(floor), what, bytesize.Format(c.Bytes))
		}
	}
	limit, err := m.limit()
	if err != nil {
		return err
	}
	need, what := experiments.EstimateMemory(sc)
	if figures {
		need, what = experiments.EstimateMemoryWithFigures(sc)
	}
	return experiments.CheckMemory(need, what, concurrent, limit) // hint adds the way out
}
