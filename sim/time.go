package sim

import (
	"math"
	"time"
)

// Time is a point in simulated time, or a span of simulated time, counted in
// integer nanoseconds from the start of the simulation (time 0).
//
// Integer nanoseconds make arithmetic exact: adding the same delays in the same
// order always gives the same instant, on every platform, with no float drift.
// An int64 of nanoseconds covers about 292 years.
type Time int64

// Common spans of simulated time. To build a Time from a count of units,
// multiply: 250*Millisecond is a quarter of a second.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
	Hour             = 60 * Minute
)

// MaxTime is the largest representable Time (about 292 years). It is a
// convenient horizon for RunUntil when the model ends itself with Stop.
const MaxTime Time = math.MaxInt64

// Seconds returns t in seconds, as a float64 (for reporting and plotting; do
// not feed it back into the schedule, use Time arithmetic instead).
func (t Time) Seconds() float64 { return time.Duration(t).Seconds() }

// String formats t exactly like time.Duration's String method, for example
// "1.5s", "200ms", "1h2m0.5s", "0s".
func (t Time) String() string { return time.Duration(t).String() }

// Duration converts t to a time.Duration (both count nanoseconds; the
// conversion is exact).
func (t Time) Duration() time.Duration { return time.Duration(t) }

// FromDuration converts a time.Duration to a Time (exact: both count
// nanoseconds).
func FromDuration(d time.Duration) Time { return Time(d) }

// FromSeconds converts s seconds to a Time, rounding to the nearest nanosecond
// (halves away from zero). Values beyond the range of Time saturate at
// MaxTime or at the most negative Time. FromSeconds panics if s is NaN.
func FromSeconds(s float64) Time {
	if math.IsNaN(s) {
		panic("sim: FromSeconds(NaN)")
	}
	ns := math.Round(s * 1e9)
	switch {
	case ns >= 0x1p63:
		return MaxTime
	case ns < -0x1p63:
		return math.MinInt64
	}
	return Time(ns)
}
