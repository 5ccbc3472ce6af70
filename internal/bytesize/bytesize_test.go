package bytesize

import (
	"errors"
	"math"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"512", 512}, {"8GB", 8e9}, {"1.5 GiB", 3 << 29}, {"10MB", 1e7}, {"2KiB", 2048}, {"3kb", 3000},
		{" 7 B ", 7}, {"1tib", 1 << 40}, {"4611686018427387904", Max},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got, err := Parse(tc.in); err != nil || got != tc.want {
				t.Errorf("Parse(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", `"" is not a size such as 8GB, 512MiB or 0`},
		{"lots", `"lots" is not a size such as 8GB, 512MiB or 0`},
		{"-1GB", `"-1GB" is not a size such as 8GB, 512MiB or 0`},
		{"NaN", `"NaN" is not a size such as 8GB, 512MiB or 0`},
		{"1e30TB", `"1e30TB" is out of range: a size is at most 4.6 EB (2^62 bytes)`},
		{"5EiB", `"5EiB" is not a size such as 8GB, 512MiB or 0`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil || err.Error() != tc.want || !errors.Is(err, ErrInvalid) {
				t.Errorf("Parse(%q) error = %v, want %q (ErrInvalid)", tc.in, err, tc.want)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0.0 B"}, {999, "999.0 B"}, {1000, "1.0 KB"}, {1_610_612_736, "1.6 GB"}, {784e6, "784.0 MB"}, {math.MaxInt64, "9.2 EB"},
	}
	for _, tc := range tests {
		if got := Format(tc.in); got != tc.want {
			t.Errorf("Format(%d) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
