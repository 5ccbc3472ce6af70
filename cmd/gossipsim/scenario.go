package main

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/gossipsim/gossipsim/experiments"
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
		return file, spec, badInput("%v", err)
	}
	return file, spec, nil
}

// memoryFlag is --max-memory, shared by run and sweep.
type memoryFlag struct{ spec string }

func (m *memoryFlag) add(fs *pflag.FlagSet) {
	fs.StringVar(&m.spec, "max-memory", "", "refuse runs estimated to need more memory than this (default: the memory available now; 0 = no check), e.g. 16GB")
}

// check refuses a run (or concurrent runs of sc) that cannot fit in memory.
func (m *memoryFlag) check(sc experiments.Scenario, concurrent int) error {
	limit, name := int64(0), "--max-memory"
	if m.spec != "" {
		v, err := experiments.ParseSize(m.spec)
		if err != nil {
			return badInput("max-memory: %v", err)
		}
		limit = v
	} else if avail, ok := experiments.AvailableMemory(); ok {
		limit, name = avail, "the memory available"
	}
	need, what := experiments.EstimateMemory(sc)
	if err := experiments.CheckMemory(need, what, concurrent, limit, name); err != nil {
		return badInput("%v", err)
	}
	return nil
}
