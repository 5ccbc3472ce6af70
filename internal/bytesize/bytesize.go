// Package bytesize reads and writes byte counts for people: "8GB",
// "512MiB" and "0" in, "1.6 GB" out.
//
//	n, err := bytesize.Parse("1.5 GiB") // 1610612736
//	s := bytesize.Format(n)             // "1.6 GB"
package bytesize

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrInvalid is matched (errors.Is) by every error of Parse: the text is
// not a size, or one too large.
var ErrInvalid = errors.New("invalid size")

// invalid is an error of Parse: its message alone, and ErrInvalid.
type invalid struct{ msg string }

func (e invalid) Error() string        { return e.msg }
func (e invalid) Is(target error) bool { return target == ErrInvalid }

// Max is the largest size Parse accepts, 2^62 bytes (about 4.6 EB).
const Max = 1 << 62

// Parse reads a byte size: a non-negative number with an optional unit B,
// KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024),
// in any case, with or without a space before it. Fractions of a byte are
// dropped.
func Parse(s string) (int64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(strings.ToUpper(t), strings.ToUpper(u.suffix)) && (len(u.suffix) == 3 || !strings.HasSuffix(strings.ToUpper(t), "IB")) {
			t, mult = strings.TrimSpace(t[:len(t)-len(u.suffix)]), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err == nil && v*mult > Max {
		return 0, invalid{fmt.Sprintf("%q is out of range: a size is at most 4.6 EB (2^62 bytes)", s)}
	}
	if err != nil || v < 0 || v != v {
		return 0, invalid{fmt.Sprintf("%q is not a size such as 8GB, 512MiB or 0", s)}
	}
	return int64(v * mult), nil
}

// Format writes a byte count with an SI unit (powers of 1000) and one
// decimal: "1.6 GB", "512.0 B".
func Format(b int64) string {
	units := []string{"B", "KB", "MB", "GB", "TB", "PB", "EB"}
	x, i := float64(b), 0
	for x >= 1000 && i < len(units)-1 {
		x /= 1000
		i++
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + " " + units[i]
}
