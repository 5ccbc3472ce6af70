package protocol

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gossipsim/gossipsim/sim"
)

// ParseInt reads an integer parameter in [lo, hi]; hi = math.MaxInt means no
// upper bound. The error is one line naming the key, the value and the range.
func ParseInt(key, value string, lo, hi int) (int, error) {
	v, err := strconv.Atoi(value)
	if err != nil || v < lo || v > hi {
		if hi == math.MaxInt {
			return 0, fmt.Errorf("%s: %q is not an integer >= %d", key, value, lo)
		}
		return 0, fmt.Errorf("%s: %q is not an integer in [%d, %d]", key, value, lo, hi)
	}
	return v, nil
}

// ParseDuration reads a duration parameter such as 1s or 200ms: positive, or
// with zeroOK at least zero. The error names the key, the value and what is
// allowed.
func ParseDuration(key, value string, zeroOK bool) (sim.Time, error) {
	d, err := time.ParseDuration(value)
	if err != nil || d < 0 || (d == 0 && !zeroOK) {
		if zeroOK {
			return 0, fmt.Errorf("%s: %q is not a duration >= 0 such as 10s", key, value)
		}
		return 0, fmt.Errorf("%s: %q is not a positive duration such as 1s or 500ms", key, value)
	}
	return sim.FromDuration(d), nil
}

// ParseEnum reads one of names and returns its index. The error names the
// key, the value and the allowed names.
func ParseEnum(key, value string, names []string) (int, error) {
	for i, name := range names {
		if value == name {
			return i, nil
		}
	}
	return 0, EnumError(key, value, names)
}

// EnumError is ParseEnum's error, for callers that accept aliases of their
// own before falling back to it.
func EnumError(key, value string, names []string) error {
	return fmt.Errorf("%s: %q is not one of %s", key, value, strings.Join(names, ", "))
}

// ParseBool reads true or false (and the other spellings strconv.ParseBool
// accepts). The error names the key and the value.
func ParseBool(key, value string) (bool, error) {
	b, err := strconv.ParseBool(value)
	if err != nil {
		return false, fmt.Errorf("%s: %q is not true or false", key, value)
	}
	return b, nil
}

// SetInt is ParseInt storing the value into dst on success; dst is left
// unchanged on error.
func SetInt(dst *int, key, value string, lo, hi int) error {
	v, err := ParseInt(key, value, lo, hi)
	if err == nil {
		*dst = v
	}
	return err
}

// SetDuration is ParseDuration storing the value into dst on success; dst is
// left unchanged on error.
func SetDuration(dst *sim.Time, key, value string, zeroOK bool) error {
	d, err := ParseDuration(key, value, zeroOK)
	if err == nil {
		*dst = d
	}
	return err
}

// ParamNames lists the parameters' names, comma-separated, for the error of
// an unknown key.
func ParamNames(params []Param) string {
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}
