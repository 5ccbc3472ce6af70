package sim

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestTimeConstants(t *testing.T) {
	tests := []struct {
		got  Time
		want time.Duration
	}{
		{Nanosecond, time.Nanosecond},
		{Microsecond, time.Microsecond},
		{Millisecond, time.Millisecond},
		{Second, time.Second},
		{Minute, time.Minute},
		{Hour, time.Hour},
	}
	for _, tt := range tests {
		if tt.got.Duration() != tt.want {
			t.Errorf("%d ns: Duration() = %v, want %v", int64(tt.got), tt.got.Duration(), tt.want)
		}
		if FromDuration(tt.want) != tt.got {
			t.Errorf("FromDuration(%v) = %d, want %d", tt.want, FromDuration(tt.want), tt.got)
		}
	}
}

func TestTimeString(t *testing.T) {
	tests := []struct {
		in   Time
		want string
	}{
		{0, "0s"},
		{1500 * Millisecond, "1.5s"},
		{200 * Millisecond, "200ms"},
		{Microsecond, "1µs"},
		{7, "7ns"},
		{Hour + 2*Minute + 500*Millisecond, "1h2m0.5s"},
		{-2 * Second, "-2s"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Time(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}

func TestFromSeconds(t *testing.T) {
	tests := []struct {
		in   float64
		want Time
	}{
		{0, 0},
		{1.5, 1500 * Millisecond},
		{0.2, 200 * Millisecond},
		{1e-9, 1},
		{2.6e-9, 3}, // rounds to nearest
		{2.4e-9, 2}, // rounds to nearest
		{1e-10, 0},  // below half a nanosecond
		{-0.25, -250 * Millisecond},
		{3600, Hour},
		{1e30, MaxTime},        // saturates
		{-1e30, math.MinInt64}, // saturates
		{math.Inf(1), MaxTime}, // saturates
	}
	for _, tt := range tests {
		if got := FromSeconds(tt.in); got != tt.want {
			t.Errorf("FromSeconds(%g) = %d ns, want %d ns", tt.in, int64(got), int64(tt.want))
		}
	}
	mustPanic(t, "NaN", func() { FromSeconds(math.NaN()) })
}

func TestSecondsRoundTrip(t *testing.T) {
	tests := []Time{0, 1, -1, 999, Millisecond + 1, 1500 * Millisecond, Hour + 1, 24*Hour + 123456789, -(7*Hour + 3)}
	rng := rand.New(rand.NewPCG(9, 9))
	for range 1000 {
		tests = append(tests, Time(rng.Int64N(int64(30*24*Hour))))
	}
	for _, tt := range tests {
		s := tt.Seconds()
		if want := float64(tt) / 1e9; math.Abs(s-want) > 1e-9*math.Abs(want) {
			t.Errorf("Time(%d).Seconds() = %v, want %v", int64(tt), s, want)
		}
		if got := FromSeconds(s); got != tt {
			t.Errorf("FromSeconds(Time(%d).Seconds()) = %d, want %d", int64(tt), int64(got), int64(tt))
		}
	}
}
