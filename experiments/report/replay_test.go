package report

import (
	"context"
	"math"
	"testing"

	"github.com/gossipsim/gossipsim/plots"
)

// The replay puts the operators' decision, the end of the shutdown and the
// end of the restore at the published clock times, and the mitigations
// change what they should: (a) restores by 11:05 and a bit, (c) decides
// before 10:32, (d) is never triggered.
func TestReplayTimeline(t *testing.T) {
	nodes := 30 // the clock times do not depend on the fleet size; the storm does
	res, err := RunReplay(context.Background(), ReplayScenario(nodes, 1), t.TempDir(), 2, plots.Options{})
	if err != nil {
		t.Fatal(err)
	}
	origin := mustClock(ReplayOrigin)
	at := func(p *float64) string {
		if p == nil {
			return "never"
		}
		return ClockOf(origin + *p)
	}
	byName := map[string]ReplayResult{}
	for _, r := range res {
		s := r.Result.Summary.Summary
		out, trig, rec := r.Outage()
		t.Logf("%-4s trigger %s  reset %s  restored %s  alarm %s  recovered %v after %.0f s (at %s)  peak wrong %.3f  peak %.0f msg/s  events %d",
			r.Variant.Name, at(s.TriggerTimeSeconds), at(s.ResetStartedSeconds), at(s.ResetRestoredSeconds), at(s.AlarmTimeSeconds),
			rec, out, func() string {
				if !trig || !rec {
					return "-"
				}
				v := *s.TriggerTimeSeconds + out
				return at(&v)
			}(), s.PeakWrongViewFraction, s.PeakMessagesPerSecond, r.Result.Summary.Events)
		byName[r.Variant.Name] = r
	}
	clock := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return origin + *p
	}
	s08 := byName["2008"].Result.Summary.Summary
	if trig := clock(s08.TriggerTimeSeconds); !(trig >= mustClock("08:39") && trig <= mustClock("08:50")) {
		t.Errorf("2008: trigger at %s, want between 08:39 and 08:50", ClockOf(trig))
	}
	if got := clock(s08.ResetStartedSeconds); got != mustClock("10:32") {
		t.Errorf("2008: reset decided at %s, want 10:32", ClockOf(got))
	}
	if got := clock(s08.ResetRestoredSeconds); got != mustClock("14:20") {
		t.Errorf("2008: restored at %s, want 14:20", ClockOf(got))
	}
	if _, _, rec := byName["2008"].Outage(); !rec {
		t.Errorf("2008: the fleet did not recover after the restore")
	}
	if got := clock(byName["a"].Result.Summary.Summary.ResetRestoredSeconds); !(got > mustClock("11:05") && got < mustClock("11:07")) {
		t.Errorf("a: restored at %s, want just after 11:05", ClockOf(got))
	}
	if got := clock(byName["c"].Result.Summary.Summary.ResetStartedSeconds); !(got < mustClock("10:32")) {
		t.Errorf("c: reset decided at %s, want before 10:32", ClockOf(got))
	}
	if byName["d"].Result.Summary.Summary.TriggerTimeSeconds != nil {
		t.Errorf("d: a corrupted message was accepted despite CRC-32C")
	}
}
