package experiments

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/gossipsim/gossipsim/internal/atomicfile"
	"github.com/gossipsim/gossipsim/internal/dirlock"
	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/plots"
)

// PrepareOutDir creates dir if needed and checks that files can be created
// in it, so a run that could not save its results fails before it starts.
// It leaves nothing in dir. It does not lock dir: see LockDir.
// A path that is not a directory, or one the user may not write, is bad
// input (ErrBadInput); a failing disk (no space, an I/O error) is not.
func PrepareOutDir(dir string) error {
	if dir == "" {
		return badInputf("out: empty path; give a directory")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return outDirError(dir, err)
	}
	// The probe is the lock file, which no later command leaves behind.
	if err := dirlock.Probe(dir); err != nil {
		return outDirError(dir, err)
	}
	return nil
}

// outDirError is PrepareOutDir's error: bad input when the path is the
// user's mistake (a file in the way, no permission, a read-only mount).
func outDirError(dir string, err error) error {
	e := fmt.Errorf("out: %q is not writable: %w", dir, unwrapPathError(err))
	for _, userFault := range []error{syscall.ENOTDIR, syscall.EEXIST, syscall.EACCES, syscall.EPERM, syscall.EROFS, syscall.ENAMETOOLONG, syscall.ELOOP, syscall.EISDIR} {
		if errors.Is(err, userFault) {
			return BadInput(e)
		}
	}
	return e
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory and a rename, so readers never see a partial file; the file and
// then its directory are fsynced, so the new content survives a power cut
// once it returns. Files are created with mode 0644 less the umask.
func WriteFileAtomic(path string, data []byte) error {
	if err := writeFile(path, data); err != nil {
		return fmt.Errorf("writing %s: %w", path, unwrapPathError(err))
	}
	return nil
}

// writeFile is atomicfile.WriteFile; tests replace it to inject faults such
// as a full disk.
var writeFile = atomicfile.WriteFile

// summaryJSON is the summary as indented JSON with a final newline.
func summaryJSON(s Summary) ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// TimeSeriesHeader names the columns of timeseries.csv, in order.
var TimeSeriesHeader = []string{
	"time_s", "messages_per_s", "bytes_per_s", "failure_messages_per_s",
	"busiest_node_messages_per_s", "wrong_view_fraction", "mean_utilization",
	"max_utilization", "queue_drops_per_s", "live_nodes", "false_failures",
	"corruptions_accepted", "resetting",
}

// ZoneColumnPrefix begins the optional trailing columns of timeseries.csv,
// one per zone of a fleet with zones: wrong_view_fraction_zone0,
// wrong_view_fraction_zone1, ... (metrics.Sample.WrongViewFractionByZone,
// by observer zone). Without zones the file has TimeSeriesHeader only.
const ZoneColumnPrefix = "wrong_view_fraction_zone"

// timeSeriesHeader is TimeSeriesHeader and a column per zone of samples.
func timeSeriesHeader(samples []metrics.Sample) []string {
	zones := 0
	if len(samples) > 0 {
		zones = len(samples[0].WrongViewFractionByZone)
	}
	head := slices.Clip(TimeSeriesHeader)
	for z := range zones {
		head = append(head, ZoneColumnPrefix+strconv.Itoa(z))
	}
	return head
}

// timeSeriesCSV renders samples as CSV with a header row (every sample has
// the zone columns of the first).
func timeSeriesCSV(samples []metrics.Sample) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := timeSeriesHeader(samples)
	w.Write(head)
	zones := len(head) - len(TimeSeriesHeader)
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 10, 64) }
	for _, s := range samples {
		row := []string{
			f(s.Time), f(s.MessagesPerSecond), f(s.BytesPerSecond), f(s.FailureMessagesPerSecond),
			f(s.BusiestNodeMessagesPerSecond), f(s.WrongViewFraction), f(s.MeanUtilization),
			f(s.MaxUtilization), f(s.QueueDropsPerSecond), strconv.Itoa(s.LiveNodes),
			strconv.FormatInt(s.FalseFailures, 10), strconv.FormatInt(s.CorruptionsAccepted, 10),
			boolDigit(s.Resetting),
		}
		for z := range zones {
			x := 0.0
			if z < len(s.WrongViewFractionByZone) {
				x = s.WrongViewFractionByZone[z]
			}
			row = append(row, f(x))
		}
		w.Write(row)
	}
	w.Flush()
	return buf.Bytes()
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Markers are the instants the figures mark: a reset, the alarm, the
// schedule's heal and the convergence after it, the trigger, and recovery.
func Markers(s Summary) []plots.Marker {
	var ms []plots.Marker
	if s.ResetStartedSeconds != nil {
		ms = append(ms, plots.Marker{Time: *s.ResetStartedSeconds, Label: "reset decided"})
	}
	if s.ResetRestoredSeconds != nil {
		ms = append(ms, plots.Marker{Time: *s.ResetRestoredSeconds, Label: "restore done, gossip restarts"})
	}
	if s.AlarmTimeSeconds != nil {
		ms = append(ms, plots.Marker{Time: *s.AlarmTimeSeconds, Label: "alarm"})
	}
	if s.FaultSummary != nil && s.HealTimeSeconds != nil {
		ms = append(ms, plots.Marker{Time: *s.HealTimeSeconds, Label: "heal (last partition or crash window ends)"})
		if s.ConvergenceAfterHealSeconds != nil && *s.ConvergenceAfterHealSeconds > 0 {
			ms = append(ms, plots.Marker{Time: *s.HealTimeSeconds + *s.ConvergenceAfterHealSeconds, Label: "every view right after the heal"})
		}
	}
	if s.TriggerTimeSeconds != nil {
		ms = append(ms, plots.Marker{Time: *s.TriggerTimeSeconds, Label: "trigger (first accepted corruption)"})
		if s.RecoveryTimeSeconds != nil {
			ms = append(ms, plots.Marker{Time: *s.TriggerTimeSeconds + *s.RecoveryTimeSeconds, Label: "recovered"})
		}
	}
	return ms
}

// Title describes a run in one line for figure titles.
func Title(s Summary) string {
	return fmt.Sprintf("%s: %d nodes, %s gossip, checksum %s, corrupt-prob %g, seed %d",
		s.Scenario, s.Nodes, s.Mode, s.Checksum, s.CorruptProbability, s.Seed)
}

// summaryFileJSON is summary.json: the summary with the run's provenance
// as a last "provenance" object.
func summaryFileJSON(res Result) ([]byte, error) {
	js, err := summaryJSON(res.Summary)
	if err != nil {
		return nil, err
	}
	prov, err := json.MarshalIndent(ProvenanceOf(res.Scenario, res.Scenario.Seed), "  ", "  ")
	if err != nil {
		return nil, err
	}
	end := bytes.LastIndexByte(js, '}')
	out := append([]byte(nil), js[:end]...)
	out = bytes.TrimRight(out, "\n ")
	out = append(out, ",\n  \"provenance\": "...)
	out = append(out, prov...)
	return append(out, "\n}\n"...), nil
}

// WriteRun writes summary.json, timeseries.csv and the figures of res into
// dir (which must exist), the figures as PNGs at 150 dpi, and returns the
// paths written. For a model that records a storm's anatomy (the S3 model)
// it writes anatomy.csv too, utilization.csv when the run stormed or the
// matrix is small, and saturation.png and declarations.png when the run
// stormed (metrics.FindStorm; see writeAnatomy). WriteRunAs chooses the figures' format. Until the last
// file is written, dir holds an IncompleteFileName marker: a failed
// WriteRun says so, and calling it again finishes the set. It does not lock
// dir (see LockRunDir).
func WriteRun(dir string, res Result) ([]string, error) {
	return WriteRunAs(dir, res, plots.Options{})
}

// WriteRunAs is WriteRun with the figures in the file format and
// resolution of fig (its Format and DPI; the title and provenance are the
// run's).
func WriteRunAs(dir string, res Result, fig plots.Options) ([]string, error) {
	return WriteRunSet(dir, res, fig, "gossipsim run")
}

// WriteRunSet is WriteRunAs for command, which the incomplete mark names
// while the files are written (WriteRunAs names "gossipsim run"): a run
// written as part of a larger set, such as a report's replay.
func WriteRunSet(dir string, res Result, fig plots.Options, command string) ([]string, error) {
	js, err := summaryFileJSON(res)
	if err != nil {
		return nil, err
	}
	if err := BeginOutputSet(dir, command); err != nil {
		return nil, err
	}
	paths := []string{filepath.Join(dir, SummaryFileName), filepath.Join(dir, RunTimeSeriesFileName)}
	if err := WriteFileAtomic(paths[0], js); err != nil {
		return nil, err
	}
	if err := WriteFileAtomic(paths[1], timeSeriesCSV(res.Samples)); err != nil {
		return nil, err
	}
	opt := plots.Options{Title: Title(res.Summary), Format: fig.Format, DPI: fig.DPI, Provenance: ProvenanceOf(res.Scenario, res.Scenario.Seed).Text()}
	figs, err := plots.WriteFiles(dir, res.Samples, Markers(res.Summary), opt)
	if err != nil {
		return nil, err
	}
	anat, err := writeAnatomy(dir, res, opt)
	if err != nil {
		return nil, err
	}
	if res.Spread != nil {
		sp, err := writeSpreadFiles(dir, res, opt)
		if err != nil {
			return nil, err
		}
		anat = append(anat, sp...)
	}
	if err := EndOutputSet(dir); err != nil {
		return nil, err
	}
	return append(append(paths, figs...), anat...), nil
}

// plotsForRun redraws a single run's figures from its files, with the
// provenance its summary.json records.
func plotsForRun(dir string, samples []metrics.Sample, fig plots.Options) ([]string, error) {
	opt := plots.Options{Title: "run in " + dir, Format: fig.Format, DPI: fig.DPI}
	markers := TriggerMarker(samples)
	var sum *Summary
	if b, err := os.ReadFile(filepath.Join(dir, "summary.json")); err == nil {
		var s struct {
			Summary
			Provenance *Provenance `json:"provenance"`
		}
		if json.Unmarshal(b, &s) == nil {
			markers, opt.Title, sum = Markers(s.Summary), Title(s.Summary), &s.Summary
			if s.Provenance != nil {
				opt.Provenance = s.Provenance.Text()
			}
		}
	}
	figs, err := plots.WriteFiles(dir, samples, markers, opt)
	if err != nil {
		return nil, err
	}
	anat, err := redrawAnatomy(dir, samples, sum, opt)
	if err != nil {
		return nil, err
	}
	figs = append(figs, anat...)
	if sum == nil || sum.Nodes <= 0 {
		return figs, nil
	}
	if _, err := os.Stat(filepath.Join(dir, SpreadFileName)); err != nil {
		return figs, nil // a run of a model that does not track bad values
	}
	r, err := ReadSpreadFiles(dir)
	if err != nil || len(r.Values) == 0 {
		return figs, err
	}
	r.Nodes = sum.Nodes
	more, err := SpreadFigures(dir, r, samples, opt)
	return append(figs, more...), err
}

// ReadTimeSeriesCSV reads a timeseries.csv written by timeSeriesCSV:
// TimeSeriesHeader, then optionally one ZoneColumnPrefix column per zone
// (zone0, zone1, ... in order). A file that is not one (another header, a
// malformed line, a cell that is not a finite number) is bad input, named
// by file, line, column and value; a failure to read it is not.
func ReadTimeSeriesCSV(path string) ([]metrics.Sample, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(b))
	head, err := cr.Read()
	if err == nil && !isTimeSeriesHeader(head) || err == io.EOF {
		return nil, badInputf("%s: line 1: not a gossipsim time series (the header is not %s[,%s0,...])", path, strings.Join(TimeSeriesHeader, ","), ZoneColumnPrefix)
	}
	zones := len(head) - len(TimeSeriesHeader)
	out := []metrics.Sample{}
	for err == nil {
		var r []string
		if r, err = cr.Read(); err != nil {
			break
		}
		x := make([]float64, len(r))
		for k, c := range r {
			v, perr := strconv.ParseFloat(c, 64)
			if perr != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				line, _ := cr.FieldPos(k)
				return nil, badInputf("%s: line %d, column %d (%s): %q is not a finite number", path, line, k+1, head[k], c)
			}
			x[k] = v
		}
		s := metrics.Sample{
			Time: x[0], MessagesPerSecond: x[1], BytesPerSecond: x[2], FailureMessagesPerSecond: x[3],
			BusiestNodeMessagesPerSecond: x[4], WrongViewFraction: x[5], MeanUtilization: x[6],
			MaxUtilization: x[7], QueueDropsPerSecond: x[8], LiveNodes: int(x[9]),
			FalseFailures: int64(x[10]), CorruptionsAccepted: int64(x[11]), Resetting: x[12] == 1,
		}
		if zones > 0 {
			s.WrongViewFractionByZone = x[len(TimeSeriesHeader):]
		}
		out = append(out, s)
	}
	if err != io.EOF {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, badInputf("%s: line %d: %v", path, pe.Line, pe.Err)
		}
		return nil, badInputf("%s: %v", path, err)
	}
	return out, nil
}

// isTimeSeriesHeader reports whether head is TimeSeriesHeader followed by
// zero or more zone columns, zone0 first.
func isTimeSeriesHeader(head []string) bool {
	n := len(TimeSeriesHeader)
	if len(head) < n || !slices.Equal(head[:n], TimeSeriesHeader) {
		return false
	}
	for z, c := range head[n:] {
		if c != ZoneColumnPrefix+strconv.Itoa(z) {
			return false
		}
	}
	return true
}

// TriggerMarker marks the first sample by which a corrupted message had been accepted.
func TriggerMarker(samples []metrics.Sample) []plots.Marker {
	for _, s := range samples {
		if s.CorruptionsAccepted > 0 {
			return []plots.Marker{{Time: s.Time, Label: "first accepted corruption (by this sample)"}}
		}
	}
	return nil
}
