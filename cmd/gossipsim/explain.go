package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/gossipsim/gossipsim/experiments"
)

const explainUsage = `Usage: gossipsim explain DIR

Tell the story of a run, in a few short paragraphs with numbers, read from
the files 'gossipsim run --out DIR' wrote (nothing is rerun):

  the trigger     when the first corrupted message was accepted (summary.json's
                  trigger_time_s), by which node (patient zero), from which
                  sender, what kind of message, how many bits flipped and
                  entries changed (corruptions.csv)
  the bad values  each version no server issued, or false failure, that a node
                  kept: patient zero, how many nodes held it, how fast it
                  reached half and 90% of the fleet, when it was cleared
                  (spread.csv)
  the storm       when the first node saturated (anatomy.csv if the run wrote
                  one, else the busiest node's utilization in timeseries.csv)
                  and when the message rate reached 10x its quiet rate
  the end         the wrong-view fraction at the end, the values still held
  the way out     which mitigation would have stopped it: whether a CRC-32C
                  or sum8 checksum would have rejected the triggering message,
                  else what the numbers point to

It tells runs of the S3 model (the default; the classic protocols record no
corruptions or bad values). A run with no accepted corruption says so. A
directory that does not exist, is not a run's, is a classic protocol's or
holds a malformed file is an error naming the file (exit status 2).

Example:
  gossipsim run --out results/demo
  gossipsim explain results/demo
`

// cmdExplain prints the story of a run directory.
func cmdExplain(args []string, stdout io.Writer) error {
	fs := pflag.NewFlagSet("explain", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			fmt.Fprint(stdout, explainUsage) // no flags to list
			return errHelpShown
		}
		return badInput("explain: %v", err)
	}
	if fs.NArg() != 1 {
		return badInput("explain: give one run directory, written by gossipsim run --out DIR")
	}
	story, err := experiments.Explain(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("explain: %w", err)
	}
	fmt.Fprint(stdout, story.Text())
	return nil
}
