package report

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/gossipsim/gossipsim/models/metrics"
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
	at := func(p *float64) string {
		if p == nil {
			return "never"
		}
		return ClockOf(ReplayClock(*p))
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
		return ReplayClock(*p)
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

// The replay's scenario holds the timeline's clock times divided by
// ReplayTimeScale, and ReplayClock reads them back as the published times.
func TestReplayScenarioOnTheClock(t *testing.T) {
	sc := ReplayScenario(1000, 1)
	p := sc.S3Params()
	tests := []struct {
		name string
		sim  float64 // simulated seconds
		want string  // hh:mm:ss on the clock
	}{
		{"corrupted messages from", sc.Fleet.Corruption.From.Seconds(), "08:39:30"},
		{"corrupted messages until", sc.Fleet.Corruption.Until.Seconds(), "08:45:00"},
		{"decision", p.Reset.At.Seconds(), "10:32:00"},
		{"state cleared", (p.Reset.At + p.Reset.Stop).Seconds(), "11:05:00"},
		{"slow restore done", (p.Reset.At + p.Reset.Stop + p.Reset.Restore).Seconds(), "14:20:00"},
		{"horizon", sc.Duration.Seconds(), ReplayEnd + ":00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := int(math.Round(ReplayClock(tc.sim)))
			if got := fmt.Sprintf("%02d:%02d:%02d", c/3600, c/60%60, c%60); got != tc.want {
				t.Errorf("%s at %g simulated s is %s on the clock, want %s", tc.name, tc.sim, got, tc.want)
			}
		})
	}
	if got, want := sc.Fleet.Corruption.Probability, 1e-4*ReplayTimeScale; got != want {
		t.Errorf("corrupt-prob %g, want one in 10,000 times the compression, %g", got, want)
	}
	if sc.Fleet.Nodes != 1000 {
		t.Errorf("nodes %d, want 1000", sc.Fleet.Nodes)
	}
	a, err := ReplayVariants()[1].Scenario(sc)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.S3Params().Reset.FastRestore.Seconds() * ReplayTimeScale; got != 30 {
		t.Errorf("a: fast restore %g s on the clock, want 30 s", got)
	}
}

// onClock draws a run's samples and markers at their clock times.
func TestOnClock(t *testing.T) {
	trig, rec := 20.0, 100.0
	x := ReplayResult{Variant: ReplayVariant{Name: "2008"}}
	x.Result.Samples = []metrics.Sample{{Time: 5, MessagesPerSecond: 3000}, {Time: 10, MessagesPerSecond: 9000}}
	x.Result.Summary.Summary.TriggerTimeSeconds = &trig
	x.Result.Summary.Summary.RecoveryTimeSeconds = &rec
	r := onClock(x)
	if r.Samples[1].Time != 10*ReplayTimeScale || r.Samples[1].MessagesPerSecond != 9000 {
		t.Errorf("sample %+v, want time %d and the rate unchanged", r.Samples[1], 10*ReplayTimeScale)
	}
	if x.Result.Samples[1].Time != 10 {
		t.Errorf("onClock changed the run's own samples")
	}
	var times []float64
	for _, m := range r.Markers {
		times = append(times, m.Time)
	}
	if want := []float64{20 * ReplayTimeScale, 120 * ReplayTimeScale}; fmt.Sprint(times) != fmt.Sprint(want) {
		t.Errorf("markers at %v, want %v", times, want)
	}
	if q := quietRate(x.Result.Samples, 5); q != 3000 {
		t.Errorf("quietRate %g, want 3000 (the samples up to 5 s)", q)
	}
}

func TestGroupedAndPercent(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0"}, {40, "40"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-2000, "-2,000"}} {
		if got := grouped(tc.n); got != tc.want {
			t.Errorf("grouped(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	for _, tc := range []struct {
		f    float64
		want string
	}{{0, "0.0%"}, {0.0333, "3.3%"}, {0.5, "50%"}, {0.99998, "100%"}} {
		if got := percent(tc.f); got != tc.want {
			t.Errorf("percent(%g) = %q, want %q", tc.f, got, tc.want)
		}
	}
}
