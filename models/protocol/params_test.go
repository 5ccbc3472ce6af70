package protocol

import (
	"math"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

func TestParseHelpers(t *testing.T) {
	if v, err := ParseInt("k", "3", 1, 10); err != nil || v != 3 {
		t.Fatalf("ParseInt(3) = %d, %v", v, err)
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{second(ParseInt("k", "0", 1, 10)), `k: "0" is not an integer in [1, 10]`},
		{second(ParseInt("fanout", "x", 1, math.MaxInt)), `fanout: "x" is not an integer >= 1`},
		{second(ParseDuration("round", "-1s", false)), `round: "-1s" is not a positive duration`},
		{second(ParseDuration("crash-at", "0", false)), `crash-at: "0" is not a positive duration`},
		{second(ParseEnum("mode", "shout", []string{"push", "pull"})), `mode: "shout" is not one of push, pull`},
		{second(ParseBool("lifeguard", "maybe")), `lifeguard: "maybe" is not true or false`},
	} {
		if tc.err == nil || !strings.HasPrefix(tc.err.Error(), tc.want) {
			t.Errorf("error %v, want one starting with %q", tc.err, tc.want)
		}
	}
	if d, err := ParseDuration("crash-at", "0s", true); err != nil || d != 0 {
		t.Fatalf("ParseDuration(0s, zeroOK) = %v, %v", d, err)
	}
	var d sim.Time
	if err := SetDuration(&d, "round", "200ms", false); err != nil || d != 200*sim.Millisecond {
		t.Fatalf("SetDuration = %v, %v", d, err)
	}
	n := 7
	if err := SetInt(&n, "k", "bad", 1, 10); err == nil || n != 7 {
		t.Fatalf("SetInt(bad) = %v, left %d", err, n)
	}
	if got := ParamNames([]Param{{Name: "a"}, {Name: "b"}}); got != "a, b" {
		t.Fatalf("ParamNames = %q", got)
	}
}

func second[T any](_ T, err error) error { return err }
