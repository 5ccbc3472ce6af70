package report

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/plots"
	"github.com/gossipsim/gossipsim/sim"
)

// Milestone is a published time of the S3 event of 20 July 2008 (US Pacific
// time, from Amazon's write-up; see the guide's "The 2008 timeline").
type Milestone struct {
	// Clock is the time of day, "hh:mm".
	Clock string
	// Label says what happened.
	Label string
}

// Milestones2008 are the published milestones the replay is drawn against.
var Milestones2008 = []Milestone{
	{"08:40", "error rates climb"},
	{"10:32", "decision: stop all server-to-server communication"},
	{"11:05", "shutdown complete"},
	{"14:20", "internal communication restored"},
	{"16:58", "US back to normal"},
}

// ReplayOrigin is the clock time at simulated time 0 of the replay: forty
// quiet minutes before the first errors, so that the monitor (mitigation c)
// learns the normal gossip rate first (over its first simulated minute,
// half an hour of the compressed clock).
const ReplayOrigin = "08:00"

// ReplayEnd is the clock time the replay runs to, half an hour after the
// published return to normal.
const ReplayEnd = "17:30"

// ReplayTimeScale is how many seconds of 20 July 2008 one simulated second
// of the replay stands for: the published clock is compressed thirty
// times, so that the nine and a half hours from ReplayOrigin to ReplayEnd
// are 19 simulated minutes and a 1,000-server fleet in a gossip storm can
// replay them in the report's time.
//
// Every clock time and duration of the timeline (when corrupted messages
// appear, the operators' decision, the stop, the restores) is divided by
// it; the model's own time constants (gossip interval, failure timeout,
// processing costs, latency, the monitor's window) are not. The replay is
// therefore the 2008 clock with a fleet whose every time constant is
// thirty times longer (a gossip round every 30 s of the day, a failure
// timeout of 10 min): the same run, drawn against the day. Rates stay per
// simulated second.
const ReplayTimeScale = 30

// ClockSeconds reads "hh:mm" as seconds after midnight.
func ClockSeconds(hhmm string) (float64, error) {
	h, m, ok := strings.Cut(hhmm, ":")
	hi, err1 := strconv.Atoi(h)
	mi, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hi < 0 || hi > 23 || mi < 0 || mi > 59 {
		return 0, fmt.Errorf("clock: %q is not hh:mm", hhmm)
	}
	return float64(hi*3600 + mi*60), nil
}

func mustClock(hhmm string) float64 {
	s, err := ClockSeconds(hhmm)
	if err != nil {
		panic(err)
	}
	return s
}

// simSpan is the simulated time that stands for sec seconds of the
// replay's clock (ReplayTimeScale).
func simSpan(sec float64) sim.Time {
	return sim.FromSeconds(sec / ReplayTimeScale)
}

// sinceOrigin is the simulated time of a clock time in the replay.
func sinceOrigin(hhmm string) sim.Time {
	return simSpan(mustClock(hhmm) - mustClock(ReplayOrigin))
}

// ReplayClock is the clock time, in seconds after midnight, of a replay's
// simulated time t (simulated seconds since the start).
func ReplayClock(t float64) float64 {
	return mustClock(ReplayOrigin) + t*ReplayTimeScale
}

// ClockOf formats seconds after midnight as "hh:mm".
func ClockOf(sec float64) string {
	m := int(sec/60 + 0.5)
	return fmt.Sprintf("%02d:%02d", m/60%24, m%60)
}

// replayCorruptProb is the probability that a message is corrupted while
// corrupted messages appear: one in 10,000 on the published clock, times
// ReplayTimeScale, so that the compressed window holds as many corrupted
// messages as the published one would (the fleet sends ReplayTimeScale
// times fewer messages per second of the day).
const replayCorruptProb = 1e-4 * ReplayTimeScale

// replaySampleInterval is the replay's time-series step: 5 simulated
// seconds, 2.5 minutes of the clock. In a storm the fleet's gossip comes in
// bursts a few seconds apart (saturated nodes all catch up at once); a
// 5-second mean shows the storm's level rather than the bursts.
const replaySampleInterval = 5 * sim.Second

// ReplayScenario is the 2008 event on the published clock, compressed
// ReplayTimeScale times. What is calibrated to the timeline (inputs):
// corrupted messages from 08:39:30 to 08:45 (so the first accepted
// corruption falls near 08:40), the operators' decision at 10:32,
// communication stopped and state cleared by 11:05 (a 33-minute stop), and
// the slow 2008-style restore finishing at 14:20 (3 h 15 min). What is the
// model's own behaviour (outputs): how the wrong state spreads, whether
// and when the fleet tips into a storm, the gossip volume, and how long
// after the restore the fleet's views are right again.
func ReplayScenario(nodes int, seed uint64) experiments.Scenario {
	sc := experiments.DefaultScenario()
	sc.Name = "s3-2008-replay"
	sc.Seed = seed
	sc.Fleet.Nodes = nodes
	sc.Duration = sinceOrigin(ReplayEnd)
	sc.SampleInterval = replaySampleInterval
	set := func(k, v string) {
		if err := sc.Set(k, v); err != nil {
			panic("report: replay: " + err.Error())
		}
	}
	set("corrupt-prob", strconv.FormatFloat(replayCorruptProb, 'g', -1, 64))
	set("corrupt-from", (sinceOrigin("08:39") + simSpan(30)).String())
	set("corrupt-until", sinceOrigin("08:45").String())
	set("mitigation", "a-2008")
	set("reset-at", sinceOrigin("10:32").String())
	set("reset-stop", (sinceOrigin("11:05") - sinceOrigin("10:32")).String())
	set("reset-restore", (sinceOrigin("14:20") - sinceOrigin("11:05")).String())
	return sc
}

// ReplayVariant is the replay's trigger under one mitigation.
type ReplayVariant struct {
	// Name is the mitigation's short name: "2008" for the replay itself, or
	// a, b, c, d.
	Name string
	// What says in words what changed.
	What string
	// Set are the run parameters changed from the replay.
	Set []string
}

// ReplayVariants are the replay and the same trigger under each mitigation.
// Each keeps everything else of the replay: the operators still decide at
// 10:32 with the slow procedure unless the mitigation changes that.
func ReplayVariants() []ReplayVariant {
	return []ReplayVariant{
		{"2008", "the replay: operators decide at 10:32, slow 2008-style restore", nil},
		{"a", "(a) the same decision at 10:32, fast parallel restore (30 s instead of 3 h 15 min)", []string{"reset=fast", "reset-fast-restore=" + simSpan(30).String()}},
		{"b", "(b) less failure gossip (λ·log10 n rounds, 10 notices per round, long-failed entries dropped); decision at 10:32, slow restore", []string{"failure-retransmit-mult=4", "failure-rate-limit=10", "omit-failed-after=60s"}},
		{"c", "(c) the gossip-rate monitor's alarm starts the slow 2008-style procedure at once", []string{"monitor=true", "reset-on=alarm"}},
		{"d", "(d) CRC-32C on state messages: corrupted messages are rejected; no reset is needed", []string{"checksum=crc32c", "reset=none"}},
	}
}

// Scenario is the variant's scenario, from the replay.
func (v ReplayVariant) Scenario(base experiments.Scenario) (experiments.Scenario, error) {
	sc := base.Clone()
	for _, kv := range v.Set {
		k, val, _ := strings.Cut(kv, "=")
		if err := sc.Set(k, val); err != nil {
			return sc, fmt.Errorf("replay variant %s: %v", v.Name, err)
		}
	}
	sc.Name = base.Name + "/" + v.Name
	return sc, sc.Validate()
}

// ReplayResult is one variant's run.
type ReplayResult struct {
	Variant ReplayVariant
	Result  experiments.Result
}

// RunReplay runs every variant on workers goroutines (0: one per CPU),
// writing each run's summary.json, timeseries.csv and figures under
// dir/NAME.
func RunReplay(ctx context.Context, base experiments.Scenario, dir string, workers int, fig plots.Options) ([]ReplayResult, error) {
	vs := ReplayVariants()
	scs := make([]experiments.Scenario, len(vs))
	for i, v := range vs {
		sc, err := v.Scenario(base)
		if err != nil {
			return nil, err
		}
		scs[i] = sc
	}
	out := make([]ReplayResult, len(vs))
	err := experiments.RunAll(ctx, scs, workers, func(i int, res experiments.Result) error {
		sub := filepath.Join(dir, vs[i].Name)
		if err := experiments.PrepareOutDir(sub); err != nil {
			return err
		}
		if _, err := experiments.WriteRunSet(sub, res, fig, "gossipsim report"); err != nil {
			return err
		}
		out[i] = ReplayResult{Variant: vs[i], Result: res}
		return nil
	})
	return out, err
}

// Outage is how long a replay run's fleet was wrong: from its trigger until
// it recovered, in seconds; ok is false if it was never triggered, and
// censored if it had not recovered by the end.
func (r ReplayResult) Outage() (seconds float64, triggered, recovered bool) {
	s := r.Result.Summary.Summary
	if s.TriggerTimeSeconds == nil {
		return 0, false, false
	}
	if !s.Recovered || s.RecoveryTimeSeconds == nil {
		return 0, true, false
	}
	return *s.RecoveryTimeSeconds, true, true
}
