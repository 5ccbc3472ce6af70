package param

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

type color uint8

type config struct {
	K      int
	Cap    int
	Round  sim.Time
	At     sim.Time
	On     bool
	Color  color
	Scaled float64
	Flag   bool
}

var colorNames = []string{"red", "green"}

var rows = []Param[config]{
	Int("k", "a count >= 1", func(c *config) *int { return &c.K }, 1, math.MaxInt),
	Int("cap", "a count in [0, 9]", func(c *config) *int { return &c.Cap }, 0, 9),
	Duration("round", "a positive duration", func(c *config) *sim.Time { return &c.Round }, false),
	Duration("at", "a duration >= 0", func(c *config) *sim.Time { return &c.At }, true),
	Bool("on", "true or false", func(c *config) *bool { return &c.On }),
	Enum("color", "red or green", func(c *config) *color { return &c.Color }, colorNames, []color{0, 1}).
		WithAliases(map[string]string{"verde": "green"}),
	Field("scaled", "a number", Codec[float64]{Type: TypeFloat,
		Parse:  func(s string) (float64, error) { return strconv.ParseFloat(s, 64) },
		Format: func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }},
		func(c *config) *float64 { return &c.Scaled }),
	Func("flag", "a choice stored as a bool", TypeName,
		func(c *config) string { return map[bool]string{false: "off", true: "on"}[c.Flag] },
		func(c *config, s string) error {
			if s != "off" && s != "on" {
				return EnumError("flag", s, []string{"off", "on"})
			}
			c.Flag = s == "on"
			return nil
		}),
}

func defaults() config {
	return config{K: 1, Cap: 3, Round: sim.Second, At: 0, Color: 0, Scaled: 0.5}
}

// TestSetGet sets every row by name and reads it back, in the text form it
// takes.
func TestSetGet(t *testing.T) {
	tests := []struct{ name, value, want string }{
		{"k", "7", "7"},
		{"cap", "9", "9"},
		{"round", "200ms", "200ms"},
		{"round", "1m", "1m0s"},
		{"at", "0s", "0s"},
		{"on", "true", "true"},
		{"on", "1", "true"},
		{"color", "green", "green"},
		{"color", "verde", "green"},
		{"scaled", "1e3", "1000"},
		{"flag", "on", "on"},
	}
	for _, tc := range tests {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			c := defaults()
			v, ok := Lookup(Bind(rows, &c), tc.name)
			if !ok {
				t.Fatalf("Lookup(%q) found nothing", tc.name)
			}
			if err := v.Set(tc.value); err != nil {
				t.Fatalf("Set(%q): %v", tc.value, err)
			}
			if got := v.String(); got != tc.want {
				t.Errorf("after Set(%q): String = %q, want %q", tc.value, got, tc.want)
			}
		})
	}
}

// TestSetErrors: a bad value leaves the field unchanged, and the error
// names the key, the value and what is allowed.
func TestSetErrors(t *testing.T) {
	tests := []struct{ name, value, want string }{
		{"k", "0", `k: "0" is not an integer >= 1`},
		{"k", "x", `k: "x" is not an integer >= 1`},
		{"cap", "10", `cap: "10" is not an integer in [0, 9]`},
		{"round", "0s", `round: "0s" is not a positive duration such as 1s or 500ms`},
		{"round", "-1s", `round: "-1s" is not a positive duration such as 1s or 500ms`},
		{"at", "-1s", `at: "-1s" is not a duration >= 0 such as 10s`},
		{"on", "maybe", `on: "maybe" is not true or false`},
		{"color", "blue", `color: "blue" is not one of red, green`},
		{"flag", "maybe", `flag: "maybe" is not one of off, on`},
	}
	for _, tc := range tests {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			c := defaults()
			before := c
			v, _ := Lookup(Bind(rows, &c), tc.name)
			err := v.Set(tc.value)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("Set(%q) = %v, want %q", tc.value, err, tc.want)
			}
			if c != before {
				t.Errorf("a refused Set changed the config: %+v, was %+v", c, before)
			}
		})
	}
}

// TestValueMeta: a bound value carries the row's name, usage, type and
// names, and only a bool row is a flag without a value.
func TestValueMeta(t *testing.T) {
	c := defaults()
	vs := Bind(rows, &c)
	if got, want := Names(vs), "k, cap, round, at, on, color, scaled, flag"; got != want {
		t.Fatalf("Names = %q, want %q", got, want)
	}
	wantTypes := map[string]string{"k": TypeInt, "round": TypeDuration, "on": TypeBool, "color": TypeName, "scaled": TypeFloat, "flag": TypeName}
	for _, v := range vs {
		if w, ok := wantTypes[v.Name]; ok && v.Type() != w {
			t.Errorf("%s: Type = %q, want %q", v.Name, v.Type(), w)
		}
		if v.IsBoolFlag() != (v.Type() == TypeBool) {
			t.Errorf("%s: IsBoolFlag = %v for type %s", v.Name, v.IsBoolFlag(), v.Type())
		}
		if v.Usage == "" {
			t.Errorf("%s: no usage", v.Name)
		}
	}
	color, _ := Lookup(vs, "color")
	if fmt.Sprint(color.Names) != "[red green]" {
		t.Errorf("color: Names = %v, want [red green] (aliases are not listed)", color.Names)
	}
	if _, ok := Lookup(vs, "nope"); ok {
		t.Errorf("Lookup found an unknown name")
	}
	// Get and Set on the row, without binding.
	if err := rows[0].Set(&c, "4"); err != nil || rows[0].Get(&c) != "4" || c.K != 4 {
		t.Errorf("row Set/Get: err %v, Get %q, field %d", err, rows[0].Get(&c), c.K)
	}
}

// TestEnumUndefined: a field holding no listed value reads as name(N), not
// as one of the names.
func TestEnumUndefined(t *testing.T) {
	c := defaults()
	c.Color = 7
	v, _ := Lookup(Bind(rows, &c), "color")
	if got := v.String(); got != "color(7)" {
		t.Errorf("String = %q, want color(7)", got)
	}
}

// TestEnumLengthMismatch: a row whose names and values differ in length is
// a programming error caught when the row is built.
func TestEnumLengthMismatch(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("Enum with 2 names and 1 value did not panic")
		}
	}()
	Enum("color", "", func(c *config) *color { return &c.Color }, colorNames, []color{0})
}

// TestCheck: a configuration built in code is checked against the rows'
// ranges and names, with errors naming the key, the value and what is
// allowed; the first row out of range is reported.
func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		edit func(*config)
		want string
	}{
		{"defaults", func(*config) {}, ""},
		{"int below its lower bound", func(c *config) { c.K = 0 }, "k: 0 must be at least 1"},
		{"int outside its range", func(c *config) { c.Cap = 10 }, "cap: 10 is outside [0, 9]"},
		{"zero where a positive duration is needed", func(c *config) { c.Round = 0 }, "round: 0s is not a positive duration"},
		{"negative duration", func(c *config) { c.At = -sim.Second }, "at: -1s is negative"},
		{"undefined name", func(c *config) { c.Color = 5 }, "color: color(5) is not one of red, green"},
		{"the first bad row", func(c *config) { c.Cap, c.Color = 10, 5 }, "cap: 10 is outside [0, 9]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := defaults()
			tc.edit(&c)
			err := Check(rows, &c)
			if got := fmt.Sprint(err); (tc.want == "" && err != nil) || (tc.want != "" && got != tc.want) {
				t.Errorf("Check = %v, want %q", err, tc.want)
			}
		})
	}
}
