package experiments

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzParseAxis feeds arbitrary --grid specs to ParseAxisFor, over a base
// scenario of each model (model picks one of ModelNames), and checks that it
// never panics and that:
//
//   - an error is one line starting "grid: ";
//   - a parsed axis names the parameter before "=", has at least one value and
//     at most max(1000, number of listed values) of them, and parsing again
//     gives the same axis;
//   - every value sets the parameter, the parameter's String of it sets it
//     again to the same String (a stable round trip), no value is NaN or
//     infinite, and no two values are the same setting in different spellings;
//   - generated (range) values are already in canonical form, lie between the
//     ends (up to rounding to 6 significant digits, whole numbers or whole
//     microseconds), and a log range's values are all positive;
//   - the base scenario is left unchanged.
//
// The seed corpus is kept in testdata/fuzz/FuzzParseAxis (go test runs it as
// regression cases), with every crasher the fuzzer found.
func FuzzParseAxis(f *testing.F) {
	f.Fuzz(func(t *testing.T, model uint8, spec string) {
		names := ModelNames()
		base := DefaultScenario()
		if name := names[int(model)%len(names)]; name != S3Model {
			p, err := NewModel(name)
			if err != nil {
				t.Fatal(err)
			}
			base.Model = p
		}
		key, rhs, _ := strings.Cut(spec, "=")
		var before string
		if v, ok := base.Param(key); ok {
			before = v.String()
		}

		ax, err := ParseAxisFor(spec, base)

		if v, ok := base.Param(key); ok && v.String() != before {
			t.Fatalf("ParseAxisFor changed the base's %s from %q to %q", key, before, v.String())
		}
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "grid: ") || strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("error is not one line starting \"grid: \": %q", msg)
			}
			return
		}

		if ax.Name != key {
			t.Fatalf("axis name %q, want %q", ax.Name, key)
		}
		if len(ax.Values) == 0 {
			t.Fatalf("axis %q has no values", spec)
		}
		if limit := max(1000, strings.Count(rhs, ",")+1); len(ax.Values) > limit {
			t.Fatalf("axis %q has %d values, more than %d", spec, len(ax.Values), limit)
		}
		if again, err := ParseAxisFor(spec, base); err != nil || !reflect.DeepEqual(again, ax) {
			t.Fatalf("second parse of %q gave %+v, %v; first %+v", spec, again, err, ax)
		}

		probe := base.Clone()
		pv, _ := probe.Param(key)
		typ := pv.Type()
		parts := strings.Split(rhs, ":")
		generated := typ != "spec" && (len(parts) == 3 || (len(parts) == 4 && parts[2] == "log"))
		if ax.Log && !generated {
			t.Fatalf("axis %q is marked log but was not generated from a log range", spec)
		}
		if !generated && !reflect.DeepEqual(ax.Values, strings.Split(rhs, ",")) {
			t.Fatalf("list axis %q has values %q", spec, ax.Values)
		}
		var lo, hi float64
		if generated {
			a, okA := endValue(typ, parts[0])
			b, okB := endValue(typ, parts[1])
			if !okA || !okB {
				t.Fatalf("range %q parsed although its ends do not", spec)
			}
			lo, hi = min(a, b), max(a, b)
		}

		seen := map[string]string{}
		for _, v := range ax.Values {
			sc := base.Clone()
			p1, _ := sc.Param(key)
			if err := p1.Set(v); err != nil {
				t.Fatalf("value %q of %q does not set %s: %v", v, spec, key, err)
			}
			canon := p1.String()
			sc2 := base.Clone()
			p2, _ := sc2.Param(key)
			if err := p2.Set(canon); err != nil {
				t.Fatalf("%s: %q reads back as %q, which does not set it: %v", key, v, canon, err)
			}
			if again := p2.String(); again != canon {
				t.Fatalf("%s: %q reads back as %q, then as %q", key, v, canon, again)
			}
			if x, err := strconv.ParseFloat(canon, 64); err == nil && (math.IsNaN(x) || math.IsInf(x, 0)) {
				t.Fatalf("%s: value %q of %q is %v", key, v, spec, x)
			}
			if prev, dup := seen[canon]; dup {
				t.Fatalf("%q has %q and %q, both %s=%s", spec, prev, v, key, canon)
			}
			seen[canon] = v
			if !generated {
				continue
			}
			if typ != "protocol" && canon != v {
				t.Fatalf("generated value %q of %q is not canonical (%q)", v, spec, canon)
			}
			x, ok := endValue(typ, v)
			if !ok {
				t.Fatalf("generated value %q of %q does not parse as a %s", v, spec, typ)
			}
			var tol float64 // absolute rounding, on top of 6 significant digits
			switch typ {
			case "int", "uint":
				tol = 0.5
			case "duration":
				tol = 500 // whole microseconds, in nanoseconds
			}
			if x < lo-1e-5*math.Abs(lo)-tol || x > hi+1e-5*math.Abs(hi)+tol {
				t.Fatalf("generated value %q of %q is outside the ends [%g, %g]", v, spec, lo, hi)
			}
			if ax.Log && !(x > 0) {
				t.Fatalf("log range %q has the value %q", spec, v)
			}
		}
	})
}

// endValue reads a range end or generated value as ParseAxis does: a
// duration in nanoseconds, or a number.
func endValue(typ, s string) (float64, bool) {
	if typ == "duration" {
		d, err := time.ParseDuration(s)
		return float64(d), err == nil
	}
	x, err := strconv.ParseFloat(s, 64)
	return x, err == nil && !math.IsNaN(x) && !math.IsInf(x, 0)
}
