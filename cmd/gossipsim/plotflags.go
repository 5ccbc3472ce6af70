package main

import (
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/gossipsim/gossipsim/plots"
)

// plotFlags are --plot-format and --dpi: the file format of the figures
// and the resolution of PNGs, shared by every command that draws.
type plotFlags struct {
	format string
	dpi    int
}

// add binds the flags to fs.
func (f *plotFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&f.format, "plot-format", plots.PNG, "file format of the figures: "+strings.Join(plots.Formats, ", ")+" (svg and pdf are vector graphics)")
	fs.IntVar(&f.dpi, "dpi", plots.DefaultDPI, "resolution of PNG figures in pixels per inch, "+strconv.Itoa(plots.MinDPI)+" to "+strconv.Itoa(plots.MaxDPI)+" (figures are 6.5 in wide)")
}

// options checks the flags and returns them as figure options (format
// and resolution only).
func (f *plotFlags) options() (plots.Options, error) {
	if !slices.Contains(plots.Formats, f.format) {
		return plots.Options{}, badInput("plot-format: %q is not one of %s", f.format, strings.Join(plots.Formats, ", "))
	}
	if f.dpi < plots.MinDPI || f.dpi > plots.MaxDPI {
		return plots.Options{}, badInput("dpi: %d is outside [%d, %d]", f.dpi, plots.MinDPI, plots.MaxDPI)
	}
	return plots.Options{Format: f.format, DPI: f.dpi}, nil
}
