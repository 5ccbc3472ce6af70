package experiments

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/plots"
)

// redrawSweep draws the figures of a finished sweep from its recorded rows
// (see Redraw). Before anything is drawn, every row and cell is checked
// against what a run can produce: a cell that is not a value of its column's
// type at all (a word in a number column) refuses the whole redraw (bad
// input); a value that parses but cannot be a measurement (NaN, an infinity,
// a negative count, time or rate, a fraction outside [0, 1], a count that is
// not whole, an empty cell in a column that is never null) is dropped from
// that metric's figures; a row whose point, replicate or grid values are not
// the sweep's is dropped whole, as is a row whose outcome (trigger,
// recovered, harmless) is unusable. Each drop is one line in warnings, and
// the figures' titles count the runs they draw ("n = 17 of 20 runs").
func redrawSweep(dir string, sw Sweep, rows [][]string, fig plots.Options) (files, warnings []string, err error) {
	cols := sw.RunColumns()
	kept, drops, warnings, err := checkRunRows(dir, sw, cols, rows)
	if err != nil {
		return nil, warnings, err
	}
	t := Aggregate(sw, cols, kept)
	for pi := range t.Points {
		p := &t.Points[pi]
		for m, name := range t.Metrics {
			for _, run := range p.RunIndex {
				if drops[run][name] {
					p.Dropped[m]++
				}
			}
		}
	}
	files, err = drawSweep(dir, sw, t, fig)
	return files, warnings, err
}

// cellKind is what a runs.csv cell may hold.
type cellKind int

const (
	cellText     cellKind = iota // a description (model, checksum, ...): not checked
	cellBool                     // true or false
	cellCount                    // a whole number >= 0
	cellReal                     // a finite number >= 0
	cellNullable                 // a finite number >= 0, or empty (null)
)

// columnRule is what one runs.csv column may hold.
type columnRule struct {
	kind cellKind
	// fraction: the value is a share, in [0, 1].
	fraction bool
}

// outcomeColumns decide a run's outcome (see runOutcome): a row with one of
// them unusable cannot be counted at all.
var outcomeColumns = map[string]bool{"trigger_time_s": true, "recovered": true, "harmless": true}

// runColumnRules is the rule of every column of cols (sw.RunColumns()):
// the shared summary fields by their Go type (integers are counts, pointers
// may be null), a classic protocol's own fields as nullable numbers.
// Every measured quantity of a run is a count, a time, a rate or a
// fraction, so none may be negative.
func runColumnRules(sw Sweep, cols []string) map[string]columnRule {
	rules := map[string]columnRule{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			if f.Anonymous && f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct {
				walk(f.Type.Elem()) // metrics.FaultSummary (record:"faults")
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || descriptorColumns[name] {
				continue
			}
			r := columnRule{fraction: strings.HasSuffix(name, "_fraction") || strings.HasSuffix(name, "_utilization")}
			switch k := f.Type.Kind(); {
			case k == reflect.Pointer:
				r.kind = cellNullable
			case k == reflect.Bool:
				r.kind = cellBool
			case k >= reflect.Int && k <= reflect.Uint64:
				r.kind = cellCount
			case k == reflect.Float32 || k == reflect.Float64:
				r.kind = cellReal
			default:
				continue
			}
			rules[name] = r
		}
	}
	walk(reflect.TypeOf(Summary{}))
	for _, name := range sw.Base.Model.FieldNames() {
		rules[name] = columnRule{kind: cellNullable, fraction: strings.HasSuffix(name, "_fraction")}
	}
	for _, c := range cols {
		if _, ok := rules[c]; !ok {
			rules[c] = columnRule{kind: cellText}
		}
	}
	return rules
}

// checkCell checks one cell against its column's rule. A non-nil err means
// the text is not a value of the column's type at all; a non-empty drop says
// why a parsable value cannot be a measurement.
func checkCell(r columnRule, text string) (drop string, err error) {
	switch r.kind {
	case cellText:
		return "", nil
	case cellBool:
		switch text {
		case "true", "false":
			return "", nil
		case "":
			return "empty, and this column is never null", nil
		}
		return "", fmt.Errorf("%q is not true or false", text)
	}
	if text == "" {
		if r.kind == cellNullable {
			return "", nil
		}
		return "empty, and this column is never null", nil
	}
	x, err := strconv.ParseFloat(text, 64)
	if err != nil && !errorIsRange(err) {
		return "", fmt.Errorf("%q is not a number", text)
	}
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Sprintf("%s is not a finite number", text), nil
	case x < 0:
		return fmt.Sprintf("%s is negative (a count, time, rate or fraction is >= 0)", text), nil
	case r.fraction && x > 1:
		return fmt.Sprintf("%s is outside [0, 1] (a fraction)", text), nil
	case r.kind == cellCount && x != math.Trunc(x):
		return fmt.Sprintf("%s is not a whole number (a count)", text), nil
	}
	return "", nil
}

// errorIsRange reports whether a ParseFloat error is only that the value
// overflowed (it then parsed as an infinity, which is dropped, not refused).
func errorIsRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// checkRunRows checks rows (runs.csv rows of sw with columns cols) as
// redrawSweep describes and returns the rows to draw, with dropped cells
// emptied, and the dropped cells' column names by run index.
func checkRunRows(dir string, sw Sweep, cols []string, rows [][]string) (kept [][]string, drops map[int]map[string]bool, warnings []string, err error) {
	// LoadSweep has checked each row's run, point, replicate and grid values
	// against the seed rule (a row that breaks it is refused there): only the
	// measurements are left to check.
	rules := runColumnRules(sw, cols)
	nAxes := len(sw.Axes)
	where := runLocations(dir)
	drops = map[int]map[string]bool{}
	for _, r := range rows {
		run := atoi(r[0])
		at := where.of(dir, run, r)
		var rowDrops []string
		var why []string
		outcomeLost := ""
		for c := 3 + nAxes; c < len(cols); c++ {
			drop, err := checkCell(rules[cols[c]], r[c])
			if err != nil {
				return nil, nil, warnings, badInputf("%s, column %s: %v", at, cols[c], err)
			}
			if drop == "" {
				continue
			}
			if outcomeColumns[cols[c]] && outcomeLost == "" {
				outcomeLost = fmt.Sprintf("%s: column %s: %s; the run's outcome is unknown, run %d dropped", at, cols[c], drop, run)
			}
			rowDrops = append(rowDrops, cols[c])
			why = append(why, fmt.Sprintf("%s: column %s: %s; cell dropped", at, cols[c], drop))
		}
		if outcomeLost != "" {
			warnings = append(warnings, outcomeLost)
			continue
		}
		warnings = append(warnings, why...)
		if len(rowDrops) > 0 {
			r = append([]string(nil), r...)
			drops[run] = map[string]bool{}
			for _, name := range rowDrops {
				drops[run][name] = true
				r[indexOfColumn(cols, name)] = ""
			}
		}
		kept = append(kept, r)
	}
	return kept, drops, warnings, nil
}

func indexOfColumn(cols []string, name string) int {
	for i, c := range cols {
		if c == name {
			return i
		}
	}
	return -1
}

// runPlaces says where each run's row was read, for messages.
type runPlaces struct {
	at   map[int]string   // run index -> "DIR/runs.csv line 7"
	rows map[int][]string // the record read there
}

// runLocations reads dir's runs.csv and journal only to learn on which line
// each run's record is (the journal's records override, as when the rows were
// loaded). It never fails: an unreadable file just gives no line numbers.
func runLocations(dir string) runPlaces {
	pl := runPlaces{at: map[int]string{}, rows: map[int][]string{}}
	for _, name := range []string{RunsFileName, JournalFileName} {
		path := filepath.Join(dir, name)
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		cr := csv.NewReader(bufio.NewReader(f))
		cr.FieldsPerRecord = -1
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				if _, ok := err.(*csv.ParseError); ok {
					continue
				}
				break
			}
			k, err := strconv.Atoi(rec[0])
			if err != nil {
				continue // the header, or a record the loader refused
			}
			line, _ := cr.FieldPos(0)
			pl.at[k] = fmt.Sprintf("%s line %d", path, line)
			pl.rows[k] = rec
		}
		f.Close()
	}
	return pl
}

// of is where run's row r was read: "FILE line N", or, if no record there
// matches r, the run's index in the sweep directory dir.
func (pl runPlaces) of(dir string, run int, r []string) string {
	if rec, ok := pl.rows[run]; ok && len(rec) >= len(r) && slices.Equal(rec[:len(r)], r) {
		return pl.at[run]
	}
	return fmt.Sprintf("%s, run %d", dir, run)
}
