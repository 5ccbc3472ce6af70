package main

import (
	"strings"

	"github.com/gossipsim/gossipsim/models/mitigation"
)

// mitigationsHelpWidth is the widest line of `gossipsim help mitigations`
// that a preset's settings are appended to; longer, they get a line of
// their own.
const mitigationsHelpWidth = 93

// mitigationsHelp is `gossipsim help mitigations`, rendered from the
// registry of presets (models/mitigation): each preset's name and help
// lines, then the flags it sets in brackets.
func mitigationsHelp() string {
	var b strings.Builder
	b.WriteString("The four mitigations from Amazon's post-mortem of 20 July 2008, as --mitigation presets\n")
	b.WriteString("(each sets the flags named; flags given after it override them):\n\n")
	const indent = "          "
	for _, p := range mitigation.Presets() {
		lines := make([]string, len(p.Help))
		for i, l := range p.Help {
			lines[i] = indent + l
		}
		lines[0] = "  " + p.Name + strings.Repeat(" ", max(len(indent)-2-len(p.Name), 1)) + p.Help[0]
		if flags := presetFlags(p); flags != "" {
			last := len(lines) - 1
			if len(lines[last])+2+len(flags) <= mitigationsHelpWidth {
				lines[last] += "  " + flags
			} else {
				lines = append(lines, indent+flags)
			}
		}
		for _, l := range lines {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// presetFlags is the preset's own settings as flags, "[--reset fast
// --reset-on alarm]" ("--monitor" for monitor=true), or "" if it has none.
func presetFlags(p mitigation.Preset) string {
	if len(p.Settings) == 0 {
		return ""
	}
	var fs []string
	for _, s := range p.Settings {
		if s.Value == "true" {
			fs = append(fs, "--"+s.Param)
			continue
		}
		fs = append(fs, "--"+s.Param+" "+s.Value)
	}
	return "[" + strings.Join(fs, " ") + "]"
}
