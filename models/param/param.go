// Package param declares a configuration's parameters once: each parameter is
// one row (a Param) binding its name, its usage line, how its value is
// written and its allowed range or values to the field of the configuration
// it sets. Command-line flags, `--set key=value`, grid axes, scenario files,
// sweep.json, help and the parse errors all read the rows, so a new
// parameter is one row and nothing else.
//
// A model lists its rows once, as a package-level slice built with the
// typed helpers:
//
//	var params = []param.Param[Config]{
//		param.Int("k", "loss-of-interest parameter", func(c *Config) *int { return &c.K }, 1, MaxK),
//		param.Duration("cycle", "length of a cycle", func(c *Config) *sim.Time { return &c.Cycle }, false),
//		param.Enum("mode", "push, pull or push-pull", func(c *Config) *Mode { return &c.Mode }, modeNames, modes),
//	}
//
// and binds them to one configuration with Bind: a Value reads (String) and
// parses and stores (Set) the field, and is a pflag.Value, so it can be
// registered as a flag as it is.
package param

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gossipsim/gossipsim/sim"
)

// The Types of values, as flag help shows them and grids read them.
const (
	// TypeInt is a whole number; grid ranges round to whole numbers.
	TypeInt = "int"
	// TypeUint is a non-negative whole number.
	TypeUint = "uint"
	// TypeFloat is a real number.
	TypeFloat = "float"
	// TypeBool is true or false; a flag of this type needs no value.
	TypeBool = "bool"
	// TypeDuration is a duration written with units, such as 200ms or 10m.
	TypeDuration = "duration"
	// TypeName is one of a list of names; grids take a list, not a range.
	TypeName = "name"
	// TypeSpec is structured text with colons of its own (a latency such as
	// uniform:1ms:5ms); grids take a list, not a range.
	TypeSpec = "spec"
)

// Param is one parameter of a configuration of type C: its name, usage,
// the type of its values, the names it allows (for a TypeName parameter),
// and how it reads and sets its field. Build one with a typed helper (Int,
// Duration, Bool, Enum, Field, Func); the zero Param is not usable.
type Param[C any] struct {
	// Name is the key: the flag name, the `--set` key, the grid axis and the
	// scenario-file key, e.g. "fanout".
	Name string
	// Usage says what it is, its unit and its allowed range or values.
	Usage string
	// Type is how its values are written: one of the Type constants.
	Type string
	// Names are the values a TypeName parameter allows, in order (nil for
	// other types).
	Names []string
	get   func(*C) string
	set   func(*C, string) error
	check func(*C) error // nil: any value Set stores is allowed
}

// Get returns the parameter's value in c as the text Set takes.
func (p Param[C]) Get(c *C) string { return p.get(c) }

// Set parses s and stores it in c. On error c is unchanged and the error
// is one line saying what is wrong with s and what is allowed.
func (p Param[C]) Set(c *C, s string) error { return p.set(c, s) }

// Check reports whether the value in c is in the row's allowed range or
// values (a configuration built in code need not have passed Set). The
// error names the key, the value and what is allowed.
func (p Param[C]) Check(c *C) error {
	if p.check == nil {
		return nil
	}
	return p.check(c)
}

// Check is the first row whose value in c is not allowed, as its error;
// nil when every value is. A configuration's Validate starts with it and
// adds the checks that relate parameters to each other or to the fleet.
func Check[C any](params []Param[C], c *C) error {
	for _, p := range params {
		if err := p.Check(c); err != nil {
			return err
		}
	}
	return nil
}

// Value binds the parameter to c.
func (p Param[C]) Value(c *C) Value {
	return Value{Name: p.Name, Usage: p.Usage, typ: p.Type, Names: p.Names,
		get: func() string { return p.get(c) }, set: func(s string) error { return p.set(c, s) }}
}

// Bind binds every row to c, in order.
func Bind[C any](params []Param[C], c *C) []Value {
	out := make([]Value, len(params))
	for i, p := range params {
		out[i] = p.Value(c)
	}
	return out
}

// Value is a parameter bound to one configuration. It is a pflag.Value:
// String reads the field, Set parses and stores a new value, Type names the
// kind of value.
type Value struct {
	// Name is the parameter's name.
	Name string
	// Usage says what it is, its unit and its allowed range or values.
	Usage string
	// Names are the values a TypeName parameter allows.
	Names []string
	typ   string
	get   func() string
	set   func(string) error
}

// String returns the current value as text.
func (v Value) String() string { return v.get() }

// Set parses s and stores it.
func (v Value) Set(s string) error { return v.set(s) }

// Type is one of the Type constants.
func (v Value) Type() string { return v.typ }

// IsBoolFlag lets a boolean flag be given without a value (pflag reads it).
func (v Value) IsBoolFlag() bool { return v.typ == TypeBool }

// Lookup finds a bound parameter by name.
func Lookup(values []Value, name string) (Value, bool) {
	for _, v := range values {
		if v.Name == name {
			return v, true
		}
	}
	return Value{}, false
}

// SetByName sets the parameter called name to text; an unknown name is an
// error naming it.
func SetByName(values []Value, name, text string) error {
	v, ok := Lookup(values, name)
	if !ok {
		return fmt.Errorf("%s: no such parameter", name)
	}
	return v.Set(text)
}

// GetByName reads the parameter called name as text ("" for an unknown name).
func GetByName(values []Value, name string) string {
	v, ok := Lookup(values, name)
	if !ok {
		return ""
	}
	return v.String()
}

// Names lists the parameters' names, comma-separated, for the error of an
// unknown key.
func Names(values []Value) string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = v.Name
	}
	return strings.Join(names, ", ")
}

// Codec reads and writes values of type T as text.
type Codec[T any] struct {
	// Type is one of the Type constants.
	Type string
	// Parse reads a value; its error says what is wrong and what is allowed.
	Parse func(string) (T, error)
	// Format writes a value as Parse reads it.
	Format func(T) string
}

// Field is the row of a parameter stored in the field of C that field
// points to, read and written with codec.
func Field[C, T any](name, usage string, codec Codec[T], field func(*C) *T) Param[C] {
	return Param[C]{
		Name: name, Usage: usage, Type: codec.Type,
		get: func(c *C) string { return codec.Format(*field(c)) },
		set: func(c *C, s string) error {
			v, err := codec.Parse(s)
			if err == nil {
				*field(c) = v
			}
			return err
		},
	}
}

// Func is the row of a parameter that is not one field, such as a preset
// that sets several: get reads it and set parses and applies it.
func Func[C any](name, usage, typ string, get func(*C) string, set func(*C, string) error) Param[C] {
	return Param[C]{Name: name, Usage: usage, Type: typ, get: get, set: set}
}

// Int is an integer parameter in [lo, hi]; hi = math.MaxInt means no upper
// bound. The error names the key, the value and the range.
func Int[C any](name, usage string, field func(*C) *int, lo, hi int) Param[C] {
	p := Field(name, usage, Codec[int]{
		Type:   TypeInt,
		Parse:  func(s string) (int, error) { return ParseInt(name, s, lo, hi) },
		Format: strconv.Itoa,
	}, field)
	p.check = func(c *C) error {
		switch v := *field(c); {
		case v >= lo && v <= hi:
			return nil
		case hi == math.MaxInt:
			return fmt.Errorf("%s: %d must be at least %d", name, v, lo)
		default:
			return fmt.Errorf("%s: %d is outside [%d, %d]", name, v, lo, hi)
		}
	}
	return p
}

// Duration is a simulated-time parameter such as 1s or 200ms: positive, or
// with zeroOK at least zero. The error names the key, the value and what is
// allowed.
func Duration[C any](name, usage string, field func(*C) *sim.Time, zeroOK bool) Param[C] {
	p := Field(name, usage, Codec[sim.Time]{
		Type:   TypeDuration,
		Parse:  func(s string) (sim.Time, error) { return ParseDuration(name, s, zeroOK) },
		Format: sim.Time.String,
	}, field)
	p.check = func(c *C) error {
		switch v := *field(c); {
		case v > 0 || v == 0 && zeroOK:
			return nil
		case zeroOK:
			return fmt.Errorf("%s: %s is negative", name, v)
		default:
			return fmt.Errorf("%s: %s is not a positive duration", name, v)
		}
	}
	return p
}

// Bool is a true-or-false parameter (and the other spellings
// strconv.ParseBool accepts).
func Bool[C any](name, usage string, field func(*C) *bool) Param[C] {
	return Field(name, usage, Codec[bool]{
		Type: TypeBool,
		Parse: func(s string) (bool, error) {
			b, err := strconv.ParseBool(s)
			if err != nil {
				return false, fmt.Errorf("%s: %q is not true or false", name, s)
			}
			return b, nil
		},
		Format: strconv.FormatBool,
	}, field)
}

// Enum is a parameter that takes one of names; names[i] stands for
// values[i]. A value of the field that is not in values reads as
// "name(VALUE)". The error names the key, the value and the allowed names.
func Enum[C any, T comparable](name, usage string, field func(*C) *T, names []string, values []T) Param[C] {
	if len(names) != len(values) {
		panic("param: " + name + ": names and values differ in length")
	}
	format := func(v T) string {
		for i, x := range values {
			if v == x {
				return names[i]
			}
		}
		return fmt.Sprintf("%s(%v)", name, v)
	}
	p := Field(name, usage, Codec[T]{
		Type: TypeName,
		Parse: func(s string) (T, error) {
			for i, n := range names {
				if s == n {
					return values[i], nil
				}
			}
			var zero T
			return zero, EnumError(name, s, names)
		},
		Format: format,
	}, field)
	p.Names = names
	p.check = func(c *C) error {
		v := *field(c)
		for _, x := range values {
			if v == x {
				return nil
			}
		}
		return fmt.Errorf("%s: %s is not one of %s", name, format(v), strings.Join(names, ", "))
	}
	return p
}

// WithAliases returns p accepting other spellings of its values: aliases maps
// each alias to the name it stands for. Help and errors list only the names.
func (p Param[C]) WithAliases(aliases map[string]string) Param[C] {
	set := p.set
	p.set = func(c *C, s string) error {
		if n, ok := aliases[s]; ok {
			s = n
		}
		return set(c, s)
	}
	return p
}

// ParseInt reads an integer in [lo, hi] for the parameter key; hi =
// math.MaxInt means no upper bound. The error is one line naming the key,
// the value and the range.
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

// ParseDuration reads a duration such as 1s or 200ms for the parameter key:
// positive, or with zeroOK at least zero. The error names the key, the value
// and what is allowed.
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

// EnumError is the error of a value that is not one of names.
func EnumError(key, value string, names []string) error {
	return fmt.Errorf("%s: %q is not one of %s", key, value, strings.Join(names, ", "))
}

// Within is p as a parameter of an outer configuration O that holds the
// configuration p sets; inner returns it (it may return a different one
// each call, such as a scratch copy where O holds none).
func Within[O, C any](p Param[C], inner func(*O) *C) Param[O] {
	q := Param[O]{Name: p.Name, Usage: p.Usage, Type: p.Type, Names: p.Names,
		get: func(o *O) string { return p.get(inner(o)) },
		set: func(o *O, s string) error { return p.set(inner(o), s) },
	}
	if p.check != nil {
		q.check = func(o *O) error { return p.check(inner(o)) }
	}
	return q
}
