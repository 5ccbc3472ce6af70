package main

import (
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/mitigation"
)

// wantMitigationsHelp is `gossipsim help mitigations` as users see it: the
// text before the registry, with (d)'s other checksums in words and all's
// bracket naming both flags it sets itself.
const wantMitigationsHelp = `The four mitigations from Amazon's post-mortem of 20 July 2008, as --mitigation presets
(each sets the flags named; flags given after it override them):

  none    every mitigation off: no reset, failure gossip for as long as a failure is
          believed, no monitor, no checksum (the 2008 behaviour)
  a-2008  (a) reset: an operator decides at --reset-at; communication stops, state is
          cleared after --reset-stop, one slow restore of --reset-restore  [--reset 2008]
  a-fast  (a) the same decision, parallel restore of --reset-fast-restore  [--reset fast]
  b       (b) less failure gossip: each failure gossiped for 4 x ceil(log10(n+1)) rounds,
          at most 10 notices per node per round, entries failed for over 60 s left out
          [--failure-retransmit-mult 4 --failure-rate-limit 10 --omit-failed-after 60s]
  c       (c) monitor: alarm when the fleet's gossip message rate exceeds --monitor-threshold
          times its steady-state rate over a --monitor-window  [--monitor]
  d       (d) checksums on state messages: CRC-32C, corrupted messages rejected and counted
          by message kind (md5, sha256 and the weak sum8 also exist)  [--checksum crc32c]
  all     b + c + d, and (a) fast reset started by the monitor's alarm
          [--reset fast --reset-on alarm]
`

// TestHelpMitigationsFromRegistry checks that `gossipsim help mitigations`
// is what the registry renders, that it shows every preset with its help
// lines and its flags, and that the text is the one users know.
func TestHelpMitigationsFromRegistry(t *testing.T) {
	code, stdout, _ := runCLI("help", "mitigations")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if stdout != mitigationsHelp() {
		t.Fatalf("help mitigations is not the registry's rendering:\n%s", stdout)
	}
	if stdout != wantMitigationsHelp {
		t.Errorf("help mitigations changed:\n got:\n%s\nwant:\n%s", stdout, wantMitigationsHelp)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	for _, l := range lines {
		if len([]rune(l)) > mitigationsHelpWidth {
			t.Errorf("line over %d characters: %q", mitigationsHelpWidth, l)
		}
	}
	for _, p := range mitigation.Presets() {
		t.Run(p.Name, func(t *testing.T) {
			first := -1
			for i, l := range lines {
				if strings.HasPrefix(l, "  "+p.Name+" ") {
					first = i
				}
			}
			if first < 0 {
				t.Fatalf("no line starts with the name")
			}
			block := strings.Join(lines[first:min(first+len(p.Help)+1, len(lines))], "\n")
			for _, h := range p.Help {
				if !strings.Contains(block, h) {
					t.Errorf("help line %q missing", h)
				}
			}
			if f := presetFlags(p); f != "" && !strings.Contains(block, f) {
				t.Errorf("flags %s missing", f)
			}
		})
	}
}

// TestMitigationHelpFlagsAreTheSettings checks that the flags help shows
// for each preset (with those of the presets it includes) set the same
// scenario as --mitigation itself: help cannot drift from what a preset
// does.
func TestMitigationHelpFlagsAreTheSettings(t *testing.T) {
	for _, p := range mitigation.Presets() {
		t.Run(p.Name, func(t *testing.T) {
			code, viaPreset, stderr := runCLI("run", "--print-scenario", "--mitigation", p.Name)
			if code != 0 {
				t.Fatalf("--mitigation %s: exit %d: %s", p.Name, code, stderr)
			}
			args := []string{"run", "--print-scenario"}
			for _, inc := range append(append([]string{}, p.Includes...), p.Name) {
				q, _ := mitigation.Lookup(inc)
				f := strings.TrimSuffix(strings.TrimPrefix(presetFlags(q), "["), "]")
				args = append(args, strings.Fields(f)...)
			}
			code, viaFlags, stderr := runCLI(args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			viaPreset = strings.Replace(viaPreset, "mitigation: "+p.Name+"\n", "mitigation: none\n", 1)
			if viaPreset != viaFlags {
				t.Errorf("--mitigation %s and the flags help shows (%v) give different scenarios:\n%s\n---\n%s", p.Name, args[2:], viaPreset, viaFlags)
			}
		})
	}
}
