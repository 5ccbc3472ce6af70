package s3gossip

import (
	"fmt"
	"math"

	"github.com/gossipsim/gossipsim/sim"
)

// MonitorConfig is mitigation (c): a fleet-wide monitor of the gossip message
// rate. It measures the steady-state rate over the first Baseline of the run,
// then every Window compares the window's rate with Threshold × that baseline
// and raises an alarm when the rate goes above it (one alarm per excursion).
type MonitorConfig struct {
	// Enabled switches the monitor on. Default off.
	Enabled bool
	// Window is the measurement window, in simulated time. Default 10 s.
	Window sim.Time
	// Baseline is how long from the start the steady-state rate is measured. Default 60 s.
	Baseline sim.Time
	// Threshold is the alarm level as a multiple of the baseline rate, > 1. Default 2.
	Threshold float64
}

// DefaultMonitorConfig is the monitor's documented defaults (off).
func DefaultMonitorConfig() MonitorConfig {
	return MonitorConfig{Window: 10 * sim.Second, Baseline: 60 * sim.Second, Threshold: 2}
}

// Validate names the first bad field.
func (c MonitorConfig) Validate() error {
	switch {
	case c.Window <= 0:
		return fmt.Errorf("monitor-window: %s must be positive", c.Window)
	case c.Baseline < c.Window:
		return fmt.Errorf("monitor-baseline: %s must be at least monitor-window = %s", c.Baseline, c.Window)
	case !(c.Threshold > 1) || math.IsInf(c.Threshold, 0):
		return fmt.Errorf("monitor-threshold: %g must be a finite number above 1", c.Threshold)
	}
	return nil
}

// ResetProcedure is how the fleet's state is reset (mitigation (a)).
type ResetProcedure uint8

// The reset procedures.
const (
	// ResetNone never resets.
	ResetNone ResetProcedure = iota
	// Reset2008 is the slow procedure of 20 July 2008: stop all
	// server-to-server communication, clear the state, restore the whole fleet
	// in one long step, then restart gossip.
	Reset2008
	// ResetFast stops communication the same way but restores in parallel, so
	// the restore step takes FastRestore instead of Restore.
	ResetFast
)

// String is the CLI name.
func (p ResetProcedure) String() string {
	switch p {
	case Reset2008:
		return "2008"
	case ResetFast:
		return "fast"
	}
	return "none"
}

// ParseResetProcedure reads a CLI name.
func ParseResetProcedure(s string) (ResetProcedure, error) {
	for _, p := range []ResetProcedure{ResetNone, Reset2008, ResetFast} {
		if p.String() == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("reset: %q is not one of none, 2008, fast", s)
}

// ResetConfig is mitigation (a): when and how the fleet's state is reset.
type ResetConfig struct {
	// Procedure is none, 2008 or fast. Default none.
	Procedure ResetProcedure
	// OnAlarm starts the reset when the monitor (c) raises an alarm; otherwise
	// an operator decides at the simulated time At. Default false.
	OnAlarm bool
	// At is the operator's decision time, in simulated time since the start,
	// used when OnAlarm is false. Default 240 s.
	At sim.Time
	// Stop is the time from the decision until all communication is stopped
	// and the state is cleared. Default 30 s.
	Stop sim.Time
	// Restore is the 2008 procedure's restore step, after which gossip
	// restarts. Default 180 s.
	Restore sim.Time
	// FastRestore is the fast procedure's restore step. Default 30 s.
	FastRestore sim.Time
}

// DefaultResetConfig is the reset's documented defaults (off).
func DefaultResetConfig() ResetConfig {
	return ResetConfig{At: 240 * sim.Second, Stop: 30 * sim.Second, Restore: 180 * sim.Second, FastRestore: 30 * sim.Second}
}

// Validate names the first bad field.
func (c ResetConfig) Validate() error {
	switch {
	case c.Procedure > ResetFast:
		return fmt.Errorf("reset: %d is not one of none, 2008, fast", c.Procedure)
	case c.At < 0:
		return fmt.Errorf("reset-at: %s is negative", c.At)
	case c.Stop < 0:
		return fmt.Errorf("reset-stop: %s is negative", c.Stop)
	case c.Restore < 0:
		return fmt.Errorf("reset-restore: %s is negative", c.Restore)
	case c.FastRestore < 0:
		return fmt.Errorf("reset-fast-restore: %s is negative", c.FastRestore)
	}
	return nil
}

// restoreTime is the restore step of the configured procedure.
func (c ResetConfig) restoreTime() sim.Time {
	if c.Procedure == ResetFast {
		return c.FastRestore
	}
	return c.Restore
}
