package param

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"time"

	"github.com/gossipsim/gossipsim/sim"
)

// The text codecs of the run parameters (the fleet's and the S3 model's):
// their errors say what is wrong with the text without repeating it, as a
// flag's error shows it beside the flag's name. IntText also reads an
// integral float such as 1e3 from generated grids.
var (
	IntText     = Codec[int]{Type: TypeInt, Parse: parseIntText, Format: strconv.Itoa}
	Uint64Text  = Codec[uint64]{Type: TypeUint, Parse: parseUint64Text, Format: func(v uint64) string { return strconv.FormatUint(v, 10) }}
	FloatText   = Codec[float64]{Type: TypeFloat, Parse: parseFloatText, Format: func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }}
	BoolText    = Codec[bool]{Type: TypeBool, Parse: parseBoolText, Format: strconv.FormatBool}
	SimTimeText = Codec[sim.Time]{Type: TypeDuration, Parse: parseSimTimeText, Format: sim.Time.String}
	// WallDurationText is a wall-clock duration (time.Duration), at least 0.
	WallDurationText = Codec[time.Duration]{Type: TypeDuration, Parse: parseWallDurationText, Format: time.Duration.String}
)

// ErrIntRange is the out-of-range error of an integer setting.
var ErrIntRange = fmt.Errorf("out of range: an integer setting holds at most ±%d", math.MaxInt64)

// parseIntText reads an integer setting: decimal, or an integral float such as
// "1e3" or "2.0" from generated grids. A value beyond what the setting can
// hold is out of range, not "not an integer".
func parseIntText(s string) (int, error) {
	n, err := strconv.ParseInt(s, 10, 0)
	if err == nil {
		return int(n), nil
	}
	if errors.Is(err, strconv.ErrRange) {
		return 0, ErrIntRange
	}
	f, ferr := strconv.ParseFloat(s, 64)
	if ferr != nil && !errors.Is(ferr, strconv.ErrRange) || f != math.Trunc(f) {
		return 0, fmt.Errorf("not an integer")
	}
	if !(f >= math.MinInt && f < math.MaxInt) { // converting would wrap
		return 0, ErrIntRange
	}
	return int(f), nil
}

// parseBoolText reads true or false (and the other spellings strconv.ParseBool accepts).
func parseBoolText(s string) (bool, error) {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, fmt.Errorf("not true or false")
	}
	return b, nil
}

// parseUint64Text reads a non-negative integer such as a seed.
func parseUint64Text(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("out of range: at most %d", uint64(math.MaxUint64))
	}
	if err != nil {
		return 0, fmt.Errorf("not a non-negative integer")
	}
	return n, nil
}

// parseFloatText reads a finite number.
func parseFloatText(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) && math.IsInf(f, 0) {
		return 0, fmt.Errorf("out of range: a number is at most ±%g", math.MaxFloat64)
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("not a finite number")
	}
	return f, nil
}

// parseSimTimeText reads a simulated duration written like "200ms" or "10m".
func parseSimTimeText(s string) (sim.Time, error) {
	d, err := ParseDurationText(s)
	if err != nil {
		return 0, err
	}
	return sim.FromDuration(d), nil
}

// parseWallDurationText reads a wall-clock duration of at least 0.
func parseWallDurationText(s string) (time.Duration, error) {
	d, err := ParseDurationText(s)
	if err != nil {
		return 0, err
	}
	if d < 0 {
		return 0, fmt.Errorf("%q is not a duration >= 0 such as 90s or 10m", s)
	}
	return d, nil
}

// durationSyntax is what time.ParseDuration accepts, whatever the size.
var durationSyntax = regexp.MustCompile(`^[-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$`)

// maxDurationText is the longest duration, about 292 years.
var maxDurationText = time.Duration(math.MaxInt64).String()

// ParseDurationText is time.ParseDuration, whose error tells a duration too long
// to hold from text that is not a duration.
func ParseDurationText(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err == nil {
		return d, nil
	}
	if durationSyntax.MatchString(s) {
		return 0, fmt.Errorf("out of range: a duration is at most %s (about 292 years)", maxDurationText)
	}
	return 0, fmt.Errorf("not a duration (use units such as 200ms, 1s, 10m)")
}
