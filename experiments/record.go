package experiments

import (
	"math"

	"github.com/gossipsim/gossipsim/models/protocol"
	"reflect"
	"strconv"
	"strings"
)

// Field is one summary quantity of a run, by its snake_case name.
type Field struct {
	// Name is the JSON and CSV column name, e.g. "recovery_time_s".
	Name string
	// Text is the CSV cell: numbers in shortest round-trip form, "" for null.
	Text string
	// Number is the value as a float (booleans as 0/1); NaN for null or text.
	Number float64
	// Numeric reports whether the quantity is a number (or boolean) that can be averaged.
	Numeric bool
}

// recordMode says which tagged summary fields a record holds.
//
// A field (or an embedded struct) tagged record:"faults" is about the
// fleet's topology and fault schedule (metrics.FaultSummary): a run's
// summary.json has it when the run's scenario has a topology or a fault
// schedule (Run keeps the embedded FaultSummary then, and drops it
// otherwise), and runs.csv and points.csv have its columns when the sweep
// does (Sweep.recordsFaults: the base scenario or a value of an axis has
// one). Every shard of a sweep, and every run of it, has the same columns: a
// run without the fault fields writes them as a zero FaultSummary (null
// times and splits, 0 messages partitioned). Results without a topology or
// a schedule keep their bytes.
type recordMode struct {
	// faults: the record has the record:"faults" fields (for JSON: where set).
	faults bool
	// json: the record is summary.json, whose faults fields are those the
	// summary carries (a nil embedded pointer has none).
	json bool
}

// summaryFieldsFor flattens a summary into its fields for a record of mode
// m, in the order of its JSON encoding. The run-description fields (model,
// scenario, nodes, seed, ...) are included; callers skip what they do not
// want.
func summaryFieldsFor(s Summary, m recordMode) []Field {
	var out []Field
	flatten(reflect.ValueOf(s), &out, m)
	out = withoutNames(out, protocolNames(s.Protocol))
	for _, f := range s.Protocol {
		out = append(out, Field{Name: f.Name, Text: formatNullable(f.Value), Number: f.Value, Numeric: true})
	}
	return out
}

func flatten(v reflect.Value, out *[]Field, m recordMode) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		fv := v.Field(i)
		if f.Tag.Get("record") == "faults" {
			if !m.faults || m.json && fv.Kind() == reflect.Pointer && fv.IsNil() {
				continue
			}
		}
		if f.Anonymous && fv.Kind() == reflect.Pointer && fv.Type().Elem().Kind() == reflect.Struct {
			if fv.IsNil() {
				fv = reflect.New(fv.Type().Elem()) // a zero struct: the same columns
			}
			fv = fv.Elem()
		}
		if f.Anonymous && fv.Kind() == reflect.Struct {
			flatten(fv, out, m)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		*out = append(*out, fieldOf(name, fv))
	}
}

func fieldOf(name string, v reflect.Value) Field {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return Field{Name: name, Number: math.NaN(), Numeric: true}
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Float64, reflect.Float32:
		x := v.Float()
		return Field{Name: name, Text: formatFloat(x), Number: x, Numeric: true}
	case reflect.Int, reflect.Int64, reflect.Int32:
		x := v.Int()
		return Field{Name: name, Text: strconv.FormatInt(x, 10), Number: float64(x), Numeric: true}
	case reflect.Uint, reflect.Uint64, reflect.Uint32:
		x := v.Uint()
		return Field{Name: name, Text: strconv.FormatUint(x, 10), Number: float64(x), Numeric: true}
	case reflect.Bool:
		if v.Bool() {
			return Field{Name: name, Text: "true", Number: 1, Numeric: true}
		}
		return Field{Name: name, Text: "false", Number: 0, Numeric: true}
	default:
		return Field{Name: name, Text: v.String(), Number: math.NaN()}
	}
}

// formatFloat is the one float format of every result file: shortest text
// that reads back to the same float64.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// formatNullable is formatFloat with NaN (undefined) as an empty cell.
func formatNullable(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return formatFloat(x)
}

// summaryColumns are the summary's field names, in CSV column order, for a
// run of the given model: the shared fields (with the record:"faults" ones
// when faults), then the model's own (which replace shared fields of the
// same name).
func summaryColumns(p protocol.Model, faults bool) []string {
	fs := summaryFieldsFor(Summary{}, recordMode{faults: faults})
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	own := map[string]bool{}
	for _, n := range p.FieldNames() {
		own[n] = true
	}
	kept := names[:0]
	for _, n := range names {
		if !own[n] {
			kept = append(kept, n)
		}
	}
	return append(kept, p.FieldNames()...)
}

// protocolNames is the set of a protocol's field names: where one has the
// name of a shared field (false_failures), the protocol's own definition wins.
func protocolNames(fs []protocol.Field) map[string]bool {
	m := map[string]bool{}
	for _, f := range fs {
		m[f.Name] = true
	}
	return m
}

func withoutNames(fs []Field, drop map[string]bool) []Field {
	if len(drop) == 0 {
		return fs
	}
	kept := fs[:0]
	for _, f := range fs {
		if !drop[f.Name] {
			kept = append(kept, f)
		}
	}
	return kept
}
