package experiments

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/models/metrics"
	"github.com/gossipsim/gossipsim/models/s3gossip"
	"github.com/gossipsim/gossipsim/models/spread"
)

// Story is what `gossipsim explain` tells about a run directory, read
// from its files: summary.json, timeseries.csv, corruptions.csv,
// spread.csv and, if present, anatomy.csv. Text renders it.
type Story struct {
	// Dir is the run directory.
	Dir string
	// Summary is summary.json.
	Summary Summary
	// Samples is timeseries.csv.
	Samples []metrics.Sample
	// Spread is corruptions.csv and spread.csv; nil when the run has
	// neither (a model that does not track bad values).
	Spread *spread.Record
	// Curves are the bad values' holders over time, in value order.
	Curves []InfectionCurve
	// Storm is metrics.FindStorm on the time series.
	Storm metrics.Storm
	// FirstSaturation is when the first node saturated (anatomy.csv's
	// first row with a saturated node), nil if none did or the file is
	// absent; FirstFullNode is when the busiest node's utilization first
	// reached 100% in the time series, nil if never.
	FirstSaturation, FirstFullNode *float64
	// HasAnatomy reports whether anatomy.csv was read.
	HasAnatomy bool
	// Capped is spread_capped.txt's line, empty if absent.
	Capped string
}

// Explain reads run directory dir into a Story. A missing directory, a
// directory that is not a run's (no summary.json) or a malformed file is
// bad input, one line naming the file.
func Explain(dir string) (*Story, error) {
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, badInputf("%s: no such directory", dir)
		}
		return nil, err
	}
	if !st.IsDir() {
		return nil, badInputf("%s: not a directory; give a run's directory", dir)
	}
	s := &Story{Dir: dir}
	sp := filepath.Join(dir, SummaryFileName)
	b, err := os.ReadFile(sp)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, badInputf("%s: not a run directory (no %s)", dir, SummaryFileName)
	} else if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &s.Summary); err != nil {
		return nil, badInputf("%s: not a run summary: %v", sp, err)
	}
	if s.Summary.Nodes <= 0 {
		return nil, badInputf("%s: nodes is %d; not a run summary", sp, s.Summary.Nodes)
	}
	if s.Summary.Model != s3gossip.RecordName {
		// The story is the S3 model's: the corrupted messages, the bad
		// values they spread and the failure-gossip storm. The classic
		// protocols record none of these.
		return nil, badInputf("%s: a run of model %s; explain tells the story of runs of the S3 model (model %s in summary.json), which record the corrupted messages and the spread of bad values", dir, s.Summary.Model, s3gossip.RecordName)
	}
	if s.Samples, err = ReadTimeSeriesCSV(filepath.Join(dir, RunTimeSeriesFileName)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, badInputf("%s: not a run directory (no %s)", dir, RunTimeSeriesFileName)
		}
		return nil, err
	}
	_, errC := os.Stat(filepath.Join(dir, CorruptionsFileName))
	_, errS := os.Stat(filepath.Join(dir, SpreadFileName))
	if errC == nil || errS == nil {
		if s.Spread, err = ReadSpreadFiles(dir); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, badInputf("%s: %s and %s go together; one is missing", dir, CorruptionsFileName, SpreadFileName)
			}
			return nil, err
		}
		s.Spread.Nodes = s.Summary.Nodes
		s.Curves = InfectionCurves(s.Spread, s.Samples)
	}
	if b, err := os.ReadFile(filepath.Join(dir, SpreadCappedFileName)); err == nil {
		s.Capped = strings.TrimSpace(string(b))
	}
	s.Storm = metrics.FindStorm(s.Samples, s.Summary.TriggerTimeSeconds)
	for _, x := range s.Samples {
		if x.MaxUtilization >= 1 {
			t := x.Time
			s.FirstFullNode = &t
			break
		}
	}
	// The storm's anatomy, when the run wrote it: when the first node
	// saturated (Explain does without it otherwise).
	if a, err := readAnatomyCSV(filepath.Join(dir, AnatomyFileName)); err == nil {
		s.HasAnatomy = true
		if t, ok := a.FirstSaturationTime(); ok {
			s.FirstSaturation = &t
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return s, nil
}

// check makes sure the files agree: the first accepted corruption is the
// summary's trigger.
func (s *Story) check() error {
	trig := s.Summary.TriggerTimeSeconds
	if s.Spread == nil {
		return nil
	}
	cs := s.Spread.Corruptions
	switch {
	case trig == nil && len(cs) > 0:
		return badInputf("%s: %d accepted corruptions, but %s has no trigger_time_s", filepath.Join(s.Dir, CorruptionsFileName), len(cs), SummaryFileName)
	case trig != nil && len(cs) == 0 && s.Spread.DroppedCorruptions == 0:
		return badInputf("%s: no accepted corruption, but %s has trigger_time_s %g", filepath.Join(s.Dir, CorruptionsFileName), SummaryFileName, *trig)
	case trig != nil && math.Abs(cs[0].Time.Seconds()-*trig) > 1e-6:
		return badInputf("%s: line 2: the first accepted corruption is at %g s, but %s's trigger_time_s is %g", filepath.Join(s.Dir, CorruptionsFileName), cs[0].Time.Seconds(), SummaryFileName, *trig)
	}
	return nil
}

// reachTime is when value c first had at least share of the fleet's
// nodes as holders, nil if never.
func reachTime(c InfectionCurve, nodes int, share float64) *float64 {
	need := int(math.Ceil(share * float64(nodes)))
	for k, n := range c.Holders {
		if n >= need {
			t := c.Times[k]
			return &t
		}
	}
	return nil
}

// stillHeld is how many nodes held value c at the end.
func stillHeld(c InfectionCurve) int {
	if len(c.Holders) == 0 {
		return 0
	}
	return c.Holders[len(c.Holders)-1]
}

func sec(t float64) string { return strconv.FormatFloat(t, 'f', 3, 64) + " s" }

func pct(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }

// maxValuesTold is how many bad values Text describes one by one (by
// reach); the rest are summed up.
const maxValuesTold = 5

// Text is the story in a few short paragraphs with numbers.
func (s *Story) Text() string {
	var b strings.Builder
	sum := s.Summary
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("Run %s: %s, %d nodes, %s gossip, checksum %s, seed %d, %s simulated.", s.Dir, sum.Scenario, sum.Nodes, sum.Mode, sum.Checksum, sum.Seed, sec(sum.DurationSeconds))
	p("")
	trig := sum.TriggerTimeSeconds
	if trig == nil {
		p("No corrupted message was accepted: %d were corrupted on the path (%d rejected by the checksum, %d undecodable, %d lost with their receivers' queues).",
			sum.CorruptionsInjected, sum.CorruptionsRejected, sum.CorruptionsUndecodable, sum.CorruptionsLost)
		p("Nothing went wrong through corruption; there is no trigger and no bad value.")
	} else {
		s.tellTrigger(p, *trig)
	}
	s.tellValues(p)
	s.tellStorm(p, trig)
	s.tellEnd(p)
	if trig != nil {
		s.tellMitigation(p)
	}
	if s.Capped != "" {
		p("")
		p("Note: %s (%s); the numbers above count only what was kept.", s.Capped, SpreadCappedFileName)
	}
	return b.String()
}

func (s *Story) tellTrigger(p func(string, ...any), trig float64) {
	if s.Spread == nil || len(s.Spread.Corruptions) == 0 {
		p("Trigger: the first corrupted message was accepted at t = %s (%s names no more: no %s).", sec(trig), SummaryFileName, CorruptionsFileName)
		return
	}
	c := s.Spread.Corruptions[0]
	p("Trigger: at t = %s (trigger_time_s %s) node %d (patient zero) accepted a corrupted %s from node %d: %d bit%s flipped, %d entr%s changed.",
		sec(trig), strconv.FormatFloat(trig, 'f', -1, 64), c.Receiver, c.MsgKind, c.Sender, c.BitsFlipped, plural(c.BitsFlipped, "", "s"), c.EntriesChanged, plural(c.EntriesChanged, "y", "ies"))
	if len(c.Values) == 0 {
		p("The receiver kept no bad value from it (what the flip changed was older than what it held, or not wrong).")
	}
	p("In all, %d corrupted messages were accepted, %d of them bringing a bad value.", len(s.Spread.Corruptions), countIf(s.Spread.Corruptions, func(c spread.Corruption) bool { return len(c.Values) > 0 }))
}

func (s *Story) tellValues(p func(string, ...any)) {
	if s.Spread == nil {
		if s.Summary.TriggerTimeSeconds != nil {
			p("")
			p("The spread of bad values was not recorded (no %s: a model that does not track it).", SpreadFileName)
		}
		return
	}
	vs := s.Spread.Values
	if len(vs) == 0 {
		if s.Summary.TriggerTimeSeconds != nil {
			p("No node ever held a bad value (a version no node issued, or a false failure) from a corrupted message.")
		}
		return
	}
	ahead := countIf(vs, func(v spread.Value) bool { return v.Kind == spread.KindAhead })
	p("")
	p("Bad values: %d (%d ahead: a version the server never issued; %d false failures).", len(vs), ahead, len(vs)-ahead)
	order := make([]int, len(s.Curves))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(s.Curves[b].Reach, s.Curves[a].Reach) })
	n := s.Summary.Nodes
	successors := s.successors()
	for r, k := range order {
		if r == maxValuesTold {
			rest := order[r:]
			most := s.Curves[rest[0]].Reach
			p("- %d more values reached at most %d node%s each.", len(rest), most, plural(most, "", "s"))
			break
		}
		c := s.Curves[k]
		v := c.Value
		line := fmt.Sprintf("- value %d: server %d %s (gen %d, hb %d, %s), patient zero node %d at t = %s from node %d (a %s): reached %d node%s (%s of the fleet)",
			v.ID, v.Subject, v.Kind, v.Generation, v.Heartbeat, v.Status, v.PatientZero, sec(v.Time.Seconds()), v.Sender, v.MsgKind, c.Reach, plural(c.Reach, "", "s"), pct(float64(c.Reach)/float64(n)))
		t50, t90 := reachTime(c, n, 0.5), reachTime(c, n, 0.9)
		switch {
		case t90 != nil:
			line += fmt.Sprintf("; half the fleet %s after patient zero, 90%% after %s", sec(*t50-v.Time.Seconds()), sec(*t90-v.Time.Seconds()))
		case t50 != nil:
			line += fmt.Sprintf("; half the fleet %s after patient zero, never 90%%", sec(*t50-v.Time.Seconds()))
		default:
			line += "; never half the fleet"
		}
		if c.Cleared != nil {
			if by, ok := successors[v.ID]; ok {
				line += fmt.Sprintf("; replaced everywhere by value %d, another bad value of the same server, by t = %s", by, sec(*c.Cleared))
			} else {
				line += fmt.Sprintf("; cleared everywhere at t = %s", sec(*c.Cleared))
			}
		} else {
			line += fmt.Sprintf("; still held by %d at the end", stillHeld(c))
		}
		p("%s.", line)
	}
}

// successors maps a value to the value most of its holders let it go for:
// another value about the same server that the same node acquired at the
// instant its spell ended (a higher version merged over it), when that is
// so for at least half of its ended spells.
func (s *Story) successors() map[int32]int32 {
	type at struct {
		node int32
		t    int64
	}
	r := s.Spread
	acquired := map[at][]int32{}
	for _, h := range r.Holdings {
		acquired[at{h.Node, int64(h.Acquired)}] = append(acquired[at{h.Node, int64(h.Acquired)}], h.Value)
	}
	votes := make([]map[int32]int, len(r.Values))
	ended := make([]int, len(r.Values))
	for _, h := range r.Holdings {
		if h.Cleared < 0 {
			continue
		}
		ended[h.Value]++
		for _, w := range acquired[at{h.Node, int64(h.Cleared)}] {
			if w != h.Value && r.Values[w].Subject == r.Values[h.Value].Subject {
				if votes[h.Value] == nil {
					votes[h.Value] = map[int32]int{}
				}
				votes[h.Value][w]++
			}
		}
	}
	out := map[int32]int32{}
	for v, m := range votes {
		best, most := int32(-1), 0
		for w, c := range m {
			if c > most || c == most && w < best {
				best, most = w, c
			}
		}
		if best >= 0 && 2*most >= ended[v] {
			out[int32(v)] = best
		}
	}
	return out
}

func (s *Story) tellStorm(p func(string, ...any), trig *float64) {
	p("")
	switch {
	case s.HasAnatomy && s.FirstSaturation != nil:
		p("The first node saturated at t = %s (%s).", sec(*s.FirstSaturation), AnatomyFileName)
	case s.HasAnatomy:
		p("No node saturated (%s).", AnatomyFileName)
	case s.FirstFullNode != nil:
		p("The busiest node first ran at 100%% utilization in the sample ending t = %s (%s; no %s to say more).", sec(*s.FirstFullNode), RunTimeSeriesFileName, AnatomyFileName)
	default:
		p("No node ran at 100%% utilization in any sample.")
	}
	st := s.Storm
	if !st.Stormed {
		p("No storm: the fleet's message rate never reached %d× its quiet rate (quiet %s msg/s, peak %s msg/s).", metrics.StormFactor, num(st.QuietRate), num(st.PeakRate))
		return
	}
	after := ""
	if trig != nil {
		after = fmt.Sprintf(", %s after the trigger", sec(st.Start-*trig))
	}
	failShare := 0.0
	if s.Summary.MessagesSent > 0 {
		failShare = float64(s.Summary.FailureMessagesSent) / float64(s.Summary.MessagesSent)
	}
	p("The storm began at t = %s%s: the message rate reached %d× the quiet rate (quiet %s msg/s; peak %s msg/s). Failure notices were %s of all messages sent.",
		sec(st.Start), after, metrics.StormFactor, num(st.QuietRate), num(st.PeakRate), pct(failShare))
}

func (s *Story) tellEnd(p func(string, ...any)) {
	sum := s.Summary
	p("")
	end := fmt.Sprintf("At the end (t = %s): %s of views wrong (peak %s)", sec(sum.DurationSeconds), pct(sum.FinalWrongViewFraction), pct(sum.PeakWrongViewFraction))
	switch {
	case sum.Recovered && sum.RecoveryTimeSeconds != nil:
		end += fmt.Sprintf("; recovered %s after the trigger", sec(*sum.RecoveryTimeSeconds))
	case sum.TriggerTimeSeconds != nil && !sum.Recovered:
		end += "; not recovered by the horizon"
	}
	p("%s.", end)
	var held []string
	total := 0
	for _, c := range s.Curves {
		if n := stillHeld(c); n > 0 {
			total++
			if len(held) < maxValuesTold {
				held = append(held, fmt.Sprintf("value %d (server %d) by %d node%s", c.Value.ID, c.Value.Subject, n, plural(n, "", "s")))
			}
		}
	}
	if total > 0 {
		more := ""
		if total > len(held) {
			more = fmt.Sprintf(" and %d more", total-len(held))
		}
		p("Still held: %s%s.", strings.Join(held, ", "), more)
	} else if len(s.Curves) > 0 {
		p("No bad value was still held.")
	}
}

func (s *Story) tellMitigation(p func(string, ...any)) {
	p("")
	sum := s.Summary
	if s.Spread != nil && len(s.Spread.Corruptions) > 0 {
		cs := s.Spread.Corruptions
		c := cs[0]
		crc := countIf(cs, func(c spread.Corruption) bool { return c.RejectedByCRC32C })
		s8 := countIf(cs, func(c spread.Corruption) bool { return c.RejectedBySum8 })
		switch {
		case c.RejectedByCRC32C && c.RejectedBySum8:
			p("What would have stopped it: a CRC-32C checksum, or even the 1-byte sum8 (mitigation d), would have rejected the triggering message; CRC-32C would have rejected %d of the %d accepted corrupted messages, sum8 %d.", crc, len(cs), s8)
			return
		case c.RejectedByCRC32C:
			p("What would have stopped it: a CRC-32C checksum (mitigation d) would have rejected the triggering message (the weak sum8 would not have); CRC-32C would have rejected %d of the %d accepted corrupted messages, sum8 %d.", crc, len(cs), s8)
			return
		}
		p("Neither CRC-32C nor sum8 would have rejected the triggering message (its flips cancel in both); CRC-32C would have rejected %d of the %d accepted corrupted messages.", crc, len(cs))
	}
	var hints []string
	if s.Storm.Stormed && sum.MessagesSent > 0 && float64(sum.FailureMessagesSent) > 0.5*float64(sum.MessagesSent) {
		hints = append(hints, fmt.Sprintf("bounded failure gossip (mitigation b): the storm was failure gossip, %s of the messages", pct(float64(sum.FailureMessagesSent)/float64(sum.MessagesSent))))
	}
	if s.Storm.Stormed && sum.Alarms == 0 {
		hints = append(hints, "monitoring the gossip rate (mitigation c): no alarm was raised")
	}
	if !sum.Recovered {
		hints = append(hints, "restoring state faster (mitigation a): the wrong state was still there at the end")
	}
	if len(hints) == 0 {
		p("The numbers suggest no mitigation beyond what the run had.")
		return
	}
	p("The numbers suggest: %s.", strings.Join(hints, "; "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func countIf[T any](xs []T, f func(T) bool) int {
	n := 0
	for _, x := range xs {
		if f(x) {
			n++
		}
	}
	return n
}

// num formats a rate with three significant digits.
func num(x float64) string {
	if x >= 1000 {
		return strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}
