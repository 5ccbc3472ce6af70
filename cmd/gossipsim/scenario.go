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
