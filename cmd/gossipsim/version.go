package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/gossipsim/gossipsim/experiments"
)

const versionUsage = `Usage: gossipsim version

Prints gossipsim's version and where this binary came from: the version
recorded in every sweep.json, the module version Go stamped at build time
("(devel)" for a build from a checkout, a tag for go install ...@TAG), the
VCS revision and whether the tree had uncommitted changes, the Go version,
the platform, and the SHA-256 of the executable. The same provenance is in
every summary.json, sweep.json and figure the binary writes.
`

// cmdVersion prints the build's provenance, one "key: value" line each.
func cmdVersion(args []string, stdout io.Writer) error {
	if len(args) == 1 && (args[0] == "--help" || args[0] == "-h") {
		fmt.Fprint(stdout, versionUsage)
		return errHelpShown
	}
	if len(args) > 0 {
		return badInput("version: takes no arguments, got %q", args[0])
	}
	p := experiments.BuildProvenance()
	orUnknown := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	revision := orUnknown(p.Revision)
	if p.Revision != "" && p.Modified {
		revision += " (modified: uncommitted changes)"
	}
	fmt.Fprintf(stdout, "gossipsim %s\n", p.Version)
	fmt.Fprintf(stdout, "module:       %s\n", orUnknown(p.ModuleVersion))
	fmt.Fprintf(stdout, "revision:     %s\n", revision)
	fmt.Fprintf(stdout, "go:           %s\n", p.GoVersion)
	fmt.Fprintf(stdout, "platform:     %s/%s\n", runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(stdout, "build_sha256: %s\n", orUnknown(p.BuildSHA))
	return nil
}
