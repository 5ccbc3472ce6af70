package experiments

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/plots"
)

// The anatomy of a storm in a run's directory (a model that records it,
// the S3 model; see metrics.Anatomy).
const (
	// AnatomyFileName holds one row per sample (AnatomyHeader), always
	// written for such a model.
	AnatomyFileName = "anatomy.csv"
	// UtilizationFileName holds the per-node utilization matrix: a header
	// "node,first_saturation_s,T1,T2,..." (Tc the end of column c,
	// simulated seconds), then one row per node in the order the nodes
	// first saturated (those that never did last, by node id): the node
	// id, the time of the sample in which it first saturated (empty if
	// never), and its utilization in each column, a fraction in [0, 1] in
	// steps of 0.004 (shortest form: 0, 0.5, 0.992, 1). Written when the
	// run stormed or the matrix is small (UtilizationAlwaysCells).
	UtilizationFileName = "utilization.csv"
)

// AnatomyHeader names the columns of anatomy.csv, in order: the sample's
// time; the failure declarations in its interval about peers down (true)
// and up (false); the nodes at or above metrics.SaturationThreshold in it;
// and those of them saturated for the first time.
var AnatomyHeader = []string{"time_s", "declarations_true", "declarations_false", "saturated_nodes", "first_saturations"}

// UtilizationAlwaysCells is the largest matrix (nodes × columns) whose
// utilization.csv a run writes even when it did not storm: about 5 MB of
// text.
const UtilizationAlwaysCells = 1_000_000

// StormLabel names the storm's start among a figure's markers.
const StormLabel = "storm begins (gossip at 10× the quiet rate)"

// RunStorm is when res's gossip became a storm (metrics.FindStorm).
func RunStorm(res Result) metrics.Storm {
	return metrics.FindStorm(res.Samples, res.Summary.TriggerTimeSeconds)
}

// FirstSaturationLabel names the sample in which the first node
// saturated among a figure's markers.
const FirstSaturationLabel = "first node saturated (by this sample)"

// AnatomyMarkers are the markers of the anatomy figures, the storm's own
// first: the trigger, the end of the sample in which the first node
// saturated and the storm's start; then, for context, the alarm and the
// reset's decision and restore (mitigations c and a), when the run has
// them.
func AnatomyMarkers(s Summary, st metrics.Storm, a *metrics.Anatomy) []plots.Marker {
	var ms []plots.Marker
	if s.TriggerTimeSeconds != nil {
		ms = append(ms, plots.Marker{Time: *s.TriggerTimeSeconds, Label: "trigger (first accepted corruption)"})
	}
	ms = append(ms, anatomyMarkers(st, a)...)
	if s.AlarmTimeSeconds != nil {
		ms = append(ms, plots.Marker{Time: *s.AlarmTimeSeconds, Label: "alarm"})
	}
	if s.ResetStartedSeconds != nil {
		ms = append(ms, plots.Marker{Time: *s.ResetStartedSeconds, Label: "reset decided"})
	}
	if s.ResetRestoredSeconds != nil {
		ms = append(ms, plots.Marker{Time: *s.ResetRestoredSeconds, Label: "restore done, gossip restarts"})
	}
	return ms
}

// anatomyMarkers are the markers of the storm itself: its first
// saturation and its start.
func anatomyMarkers(st metrics.Storm, a *metrics.Anatomy) []plots.Marker {
	var ms []plots.Marker
	if t, ok := a.FirstSaturationTime(); ok {
		ms = append(ms, plots.Marker{Time: t, Label: FirstSaturationLabel})
	}
	if st.Stormed {
		ms = append(ms, plots.Marker{Time: st.Start, Label: StormLabel})
	}
	return ms
}

// anatomyCSV renders anatomy.csv.
func anatomyCSV(a *metrics.Anatomy) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(AnatomyHeader)
	for k, t := range a.Times {
		w.Write([]string{
			strconv.FormatFloat(t, 'g', 10, 64),
			strconv.FormatInt(a.DeclarationsTrue[k], 10), strconv.FormatInt(a.DeclarationsFalse[k], 10),
			strconv.Itoa(int(a.SaturatedNodes[k])), strconv.Itoa(int(a.FirstSaturations[k])),
		})
	}
	w.Flush()
	return buf.Bytes()
}

// utilizationCSV renders utilization.csv (UtilizationFileName).
func utilizationCSV(a *metrics.Anatomy) []byte {
	var buf bytes.Buffer
	buf.Grow(a.Nodes * len(a.ColumnTimes) * 5)
	buf.WriteString("node,first_saturation_s")
	for _, t := range a.ColumnTimes {
		buf.WriteByte(',')
		buf.WriteString(strconv.FormatFloat(t, 'g', 10, 64))
	}
	buf.WriteByte('\n')
	var level [metrics.UtilizationLevels + 1]string
	for l := range level {
		level[l] = strconv.FormatFloat(metrics.LevelUtilization(uint8(l)), 'f', -1, 64)
	}
	for _, i := range a.SaturationOrder() {
		buf.WriteString(strconv.Itoa(i))
		buf.WriteByte(',')
		if f := a.FirstSaturation[i]; f >= 0 {
			buf.WriteString(strconv.FormatFloat(a.Times[f], 'g', 10, 64))
		}
		for c := range a.ColumnTimes {
			buf.WriteByte(',')
			buf.WriteString(level[a.Levels[c*a.Nodes+i]])
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// writeAnatomy writes a run's anatomy files into dir and returns their
// paths: anatomy.csv; utilization.csv if the run stormed or the matrix is
// small; and, if it stormed, the figures (plots.WriteAnatomyFiles). Files
// of these names that a run of dir no longer writes are removed, so a
// rerun never leaves figures of an earlier storm beside a quiet run.
func writeAnatomy(dir string, res Result, opt plots.Options) ([]string, error) {
	a := res.Anatomy
	if a == nil {
		return nil, nil
	}
	st := RunStorm(res)
	var paths []string
	csvPath := filepath.Join(dir, AnatomyFileName)
	if err := WriteFileAtomic(csvPath, anatomyCSV(a)); err != nil {
		return nil, err
	}
	paths = append(paths, csvPath)
	util := filepath.Join(dir, UtilizationFileName)
	if len(a.ColumnTimes) > 0 && (st.Stormed || a.Nodes*len(a.ColumnTimes) <= UtilizationAlwaysCells) {
		if err := WriteFileAtomic(util, utilizationCSV(a)); err != nil {
			return nil, err
		}
		paths = append(paths, util)
	} else if err := removeStale(util); err != nil {
		return nil, err
	}
	if !st.Stormed || len(a.Times) == 0 {
		for _, stem := range []string{plots.SaturationStem, plots.DeclarationsStem} {
			if err := removeStale(filepath.Join(dir, opt.FileName(stem))); err != nil {
				return nil, err
			}
		}
		return paths, nil
	}
	figs, err := plots.WriteAnatomyFiles(dir, a, AnatomyMarkers(res.Summary, st, a), opt)
	if err != nil {
		return nil, err
	}
	return append(paths, figs...), nil
}

// removeStale removes path if it exists.
func removeStale(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing %s: %w", path, unwrapPathError(err))
	}
	return nil
}

// ReadAnatomy reads a run directory's anatomy: anatomy.csv, and the
// utilization matrix from utilization.csv if the directory has one (else
// the result has no matrix: Levels and ColumnTimes nil, and Nodes and
// FirstSaturation unknown, 0 and nil). A file that is not one is bad
// input, named by file, line and value; fs.ErrNotExist (wrapped) if there
// is no anatomy.csv.
func ReadAnatomy(dir string) (*metrics.Anatomy, error) {
	a, err := readAnatomyCSV(filepath.Join(dir, AnatomyFileName))
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, UtilizationFileName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return a, nil
	}
	if err != nil {
		return nil, err
	}
	return a, readUtilizationCSV(path, b, a)
}

// readAnatomyCSV reads anatomy.csv.
func readAnatomyCSV(path string) (*metrics.Anatomy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(b))
	head, err := cr.Read()
	if err != nil && err != io.EOF || !slices.Equal(head, AnatomyHeader) {
		return nil, badInputf("%s: line 1: not a gossipsim anatomy (the header is not %s)", path, joinComma(AnatomyHeader))
	}
	a := &metrics.Anatomy{Span: 1}
	for {
		r, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, badInputf("%s: %v", path, err)
		}
		line, _ := cr.FieldPos(0)
		t, err := strconv.ParseFloat(r[0], 64)
		if err != nil || !finite(t) || len(a.Times) > 0 && t <= a.Times[len(a.Times)-1] {
			return nil, badInputf("%s: line %d, column 1 (time_s): %q is not a finite time after the previous row's", path, line, r[0])
		}
		var n [4]int64
		for k := range n {
			if n[k], err = strconv.ParseInt(r[k+1], 10, 64); err != nil || n[k] < 0 {
				return nil, badInputf("%s: line %d, column %d (%s): %q is not a count", path, line, k+2, AnatomyHeader[k+1], r[k+1])
			}
		}
		a.Times = append(a.Times, t)
		a.DeclarationsTrue, a.DeclarationsFalse = append(a.DeclarationsTrue, n[0]), append(a.DeclarationsFalse, n[1])
		a.SaturatedNodes, a.FirstSaturations = append(a.SaturatedNodes, int32(n[2])), append(a.FirstSaturations, int32(n[3]))
	}
	return a, nil
}

// readUtilizationCSV reads utilization.csv (b, read from path) into a,
// whose sample times anatomy.csv gave.
func readUtilizationCSV(path string, b []byte, a *metrics.Anatomy) error {
	cr := csv.NewReader(bytes.NewReader(b))
	head, err := cr.Read()
	if err != nil || len(head) < 3 || head[0] != "node" || head[1] != "first_saturation_s" {
		return badInputf("%s: line 1: not a gossipsim utilization matrix (the header is not node,first_saturation_s,T1,...)", path)
	}
	cols := len(head) - 2
	a.ColumnTimes = make([]float64, cols)
	for c, h := range head[2:] {
		t, err := strconv.ParseFloat(h, 64)
		if err != nil || !finite(t) || c > 0 && t <= a.ColumnTimes[c-1] {
			return badInputf("%s: line 1, column %d: %q is not a finite time after the previous column's", path, c+3, h)
		}
		a.ColumnTimes[c] = t
	}
	var rows [][]string
	for {
		r, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return badInputf("%s: %v", path, err)
		}
		rows = append(rows, r)
	}
	n := len(rows)
	a.Nodes = n
	a.Levels = make([]uint8, n*cols)
	a.FirstSaturation = make([]int32, n)
	seen := make([]bool, n)
	for k, r := range rows {
		line := k + 2
		i, err := strconv.Atoi(r[0])
		if err != nil || i < 0 || i >= n || seen[i] {
			return badInputf("%s: line %d, column 1 (node): %q is not a node id of the %d, once each", path, line, r[0], n)
		}
		seen[i] = true
		a.FirstSaturation[i] = -1
		if r[1] != "" {
			t, err := strconv.ParseFloat(r[1], 64)
			f, found := slices.BinarySearch(a.Times, t)
			if err != nil || !found {
				return badInputf("%s: line %d, column 2 (first_saturation_s): %q is not a sample time of %s", path, line, r[1], AnatomyFileName)
			}
			a.FirstSaturation[i] = int32(f)
		}
		for c, cell := range r[2:] {
			u, err := strconv.ParseFloat(cell, 64)
			if err != nil || !(u >= 0 && u <= 1) {
				return badInputf("%s: line %d, column %d: %q is not a utilization in [0, 1]", path, line, c+3, cell)
			}
			a.Levels[c*n+i] = uint8(math.Round(u * metrics.UtilizationLevels))
		}
	}
	if len(a.Times) > 0 {
		a.Span = (len(a.Times) + cols - 1) / cols
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// redrawAnatomy draws a run directory's anatomy figures again from its
// files when it has them and the run stormed (its time series read as
// samples, its trigger from summary.json as s).
func redrawAnatomy(dir string, samples []metrics.Sample, s *Summary, opt plots.Options) ([]string, error) {
	a, err := ReadAnatomy(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var trigger *float64
	var markers []plots.Marker
	if s != nil {
		trigger = s.TriggerTimeSeconds
	}
	st := metrics.FindStorm(samples, trigger)
	if !st.Stormed || a.Levels == nil || len(a.Times) == 0 {
		return nil, nil
	}
	if s != nil {
		markers = AnatomyMarkers(*s, st, a)
	} else {
		markers = append(TriggerMarker(samples), anatomyMarkers(st, a)...)
	}
	return plots.WriteAnatomyFiles(dir, a, markers, opt)
}
