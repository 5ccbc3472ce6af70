// Package mitigation is the one registry of the mitigation presets: the
// four mitigations of Amazon's post-mortem of 20 July 2008 ((a) a state
// reset, (b) less failure gossip, (c) a gossip-rate monitor, (d) checksums
// on state messages), none of them, each alone and all together, as the
// values of the run parameter "mitigation".
//
// A preset is one row: its name, a one-line summary, the longer help
// lines, the parameters it sets and its colour in figures. Everything
// that names the presets reads the rows, and a test proves nothing else
// lists them:
//
//   - experiments parses the mitigation parameter (and names the allowed
//     values when it refuses one) with [Parse], applies a preset's
//     [Preset.Applies] through its parameter table, and builds the
//     `mitigations` experiments' grids from [Names] and [Lookup];
//   - cmd renders `gossipsim help mitigations` from the rows;
//   - plots colours a run or box labelled with a preset's name with
//     [Colour], in every figure.
//
// A new preset is one new row of presets.
//
// # Why here
//
// The registry sits in models, below plots and experiments, because both
// read it and plots may not import experiments (layers go one way). The
// alternative, plots taking every colour from its caller, would move the
// colour choice into each caller and change figures that plots colours
// from labels alone (the 2008 replay's timeline, whose runs b, c and d
// have their presets' colours). The settings are data, parameter names
// and values as a scenario file writes them, so this package needs
// neither the model's configuration nor the parameter table: experiments
// applies them, and cmd prints them as the flags each preset sets.
package mitigation

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
)

// Setting is one parameter a preset sets: its name (the run parameter's,
// as in a scenario file or a grid axis) and the value, as text the
// parameter parses.
type Setting struct {
	// Param is the parameter's name, e.g. "reset".
	Param string
	// Value is its new value, e.g. "2008".
	Value string
}

// Preset is one mitigation preset.
type Preset struct {
	// Name is the preset's value of the mitigation parameter, e.g. "a-fast";
	// it is also its label in result files and figures.
	Name string
	// Summary says in one line what the preset does.
	Summary string
	// Help is the longer description, one line of at most MaxHelpLine
	// characters per element, as `gossipsim help mitigations` shows it
	// beside the name (followed by the settings, as flags).
	Help []string
	// Includes names presets whose settings this one applies first, in
	// order ("all" is b + c + d, then its own).
	Includes []string
	// Settings are the parameters the preset sets, after every mitigation
	// parameter (Params) is back at its default.
	Settings []Setting
	// Colour is the preset's colour in every figure, one of the
	// colour-blind-safe Okabe-Ito colours, a different one per preset.
	Colour color.RGBA
}

// MaxHelpLine is the longest line of a preset's Help, in characters.
const MaxHelpLine = 83

// None is the name of the preset with every mitigation off, the 2008
// behaviour, and the mitigation a scenario has until one is applied.
const None = "none"

// Params are the run parameters a preset owns: applying any preset first
// puts all of them back at their defaults (every mitigation off), then
// applies its settings. They are (a) the reset, (b) the failure-gossip
// bounds, (c) the monitor and (d) the checksum.
var Params = []string{
	"reset", "reset-on", "reset-at", "reset-stop", "reset-restore", "reset-fast-restore",
	"failure-retransmit-mult", "failure-rate-limit", "omit-failed-after",
	"monitor", "monitor-window", "monitor-baseline", "monitor-threshold",
	"checksum",
}

// presets are the rows, in the order help, grids and tables list them.
// Colours are Okabe-Ito: none (the 2008 behaviour) black; the two resets
// vermillion and orange; b sky blue; c reddish purple; d bluish green; all
// of them together blue. Yellow, the least visible on white, is left for
// other runs.
var presets = []Preset{
	{
		Name:    None,
		Summary: "every mitigation off (the 2008 behaviour)",
		Help: []string{
			"every mitigation off: no reset, failure gossip for as long as a failure is",
			"believed, no monitor, no checksum (the 2008 behaviour)",
		},
		Colour: color.RGBA{A: 0xFF}, // black
	},
	{
		Name:    "a-2008",
		Summary: "(a) an operator resets the fleet with the slow 2008 procedure",
		Help: []string{
			"(a) reset: an operator decides at --reset-at; communication stops, state is",
			"cleared after --reset-stop, one slow restore of --reset-restore",
		},
		Settings: []Setting{{"reset", "2008"}},
		Colour:   color.RGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF}, // vermillion
	},
	{
		Name:     "a-fast",
		Summary:  "(a) the same reset with a fast parallel restore",
		Help:     []string{"(a) the same decision, parallel restore of --reset-fast-restore"},
		Settings: []Setting{{"reset", "fast"}},
		Colour:   color.RGBA{R: 0xE6, G: 0x9F, B: 0x00, A: 0xFF}, // orange
	},
	{
		Name:    "b",
		Summary: "(b) less failure gossip: bounded rounds and notices, long-failed entries left out",
		Help: []string{
			"(b) less failure gossip: each failure gossiped for 4 x ceil(log10(n+1)) rounds,",
			"at most 10 notices per node per round, entries failed for over 60 s left out",
		},
		Settings: []Setting{{"failure-retransmit-mult", "4"}, {"failure-rate-limit", "10"}, {"omit-failed-after", "60s"}},
		Colour:   color.RGBA{R: 0x56, G: 0xB4, B: 0xE9, A: 0xFF}, // sky blue
	},
	{
		Name:    "c",
		Summary: "(c) a monitor of the fleet's gossip message rate raises alarms",
		Help: []string{
			"(c) monitor: alarm when the fleet's gossip message rate exceeds --monitor-threshold",
			"times its steady-state rate over a --monitor-window",
		},
		Settings: []Setting{{"monitor", "true"}},
		Colour:   color.RGBA{R: 0xCC, G: 0x79, B: 0xA7, A: 0xFF}, // reddish purple
	},
	{
		Name:    "d",
		Summary: "(d) CRC-32C on every state message: corrupted messages rejected",
		Help: []string{
			"(d) checksums on state messages: CRC-32C, corrupted messages rejected and counted",
			"by message kind (md5, sha256 and the weak sum8 also exist)",
		},
		Settings: []Setting{{"checksum", "crc32c"}},
		Colour:   color.RGBA{R: 0x00, G: 0x9E, B: 0x73, A: 0xFF}, // bluish green
	},
	{
		Name:     "all",
		Summary:  "b + c + d, and (a) fast, started by the monitor's alarm",
		Help:     []string{"b + c + d, and (a) fast reset started by the monitor's alarm"},
		Includes: []string{"b", "c", "d"},
		Settings: []Setting{{"reset", "fast"}, {"reset-on", "alarm"}},
		Colour:   color.RGBA{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF}, // blue
	},
}

// Presets returns every preset, in the order help, grids and tables list
// them. The slice is a copy; the rows' own slices must not be changed.
func Presets() []Preset { return slices.Clone(presets) }

// Names returns the presets' names, in order.
func Names() []string {
	out := make([]string, len(presets))
	for i, p := range presets {
		out[i] = p.Name
	}
	return out
}

// Lookup finds a preset by name.
func Lookup(name string) (Preset, bool) {
	for _, p := range presets {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}

// UnknownError is the error of a name that is no preset.
type UnknownError struct {
	// Name is the name given.
	Name string
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("mitigation: %q is not one of %s", e.Name, strings.Join(Names(), ", "))
}

// Parse finds a preset by name; for any other name it returns an
// *UnknownError that lists the presets.
func Parse(name string) (Preset, error) {
	if p, ok := Lookup(name); ok {
		return p, nil
	}
	return Preset{}, &UnknownError{Name: name}
}

// Applies returns every setting the preset applies, in order: those of
// the presets it includes, then its own. Every mitigation parameter
// (Params) is to be back at its default before the first.
func (p Preset) Applies() []Setting {
	var out []Setting
	for _, name := range p.Includes {
		inc, ok := Lookup(name)
		if !ok {
			panic("mitigation: preset " + p.Name + " includes unknown preset " + name)
		}
		out = append(out, inc.Applies()...)
	}
	return append(out, p.Settings...)
}

// Colour returns the colour of the preset name in every figure; ok is
// false for a name that is no preset.
func Colour(name string) (c color.RGBA, ok bool) {
	p, ok := Lookup(name)
	return p.Colour, ok
}
