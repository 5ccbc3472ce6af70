package experiments

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/epidemic"
	"github.com/gossipsim/gossipsim/models/heartbeat"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/rumor"
	"github.com/gossipsim/gossipsim/models/s3gossip"
	"github.com/gossipsim/gossipsim/models/swim"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Param is one scenario parameter, a row of package param bound to the
// Scenario field it sets: settable by name from a command-line flag, a
// sweep grid axis, a scenario file or sweep.json. One list, so every
// parameter a user can set on `run` can also be swept.
type Param = param.Param[Scenario]

// scenarioParams are the rows, in the order help shows them. They are set
// in init: the mitigation row's Set applies presets through LookupParam,
// which reads this table.
var scenarioParams []Param

func init() { scenarioParams = scenarioParamRows() }

func scenarioParamRows() []Param {
	return []Param{
		param.Field("seed", "random seed; same scenario and seed give the same bytes out", uint64Codec, func(s *Scenario) *uint64 { return &s.Seed }),
		param.Field("duration", "simulated horizon", simTimeCodec, func(s *Scenario) *sim.Time { return &s.Duration }),
		param.Field("sample-interval", "time-series step (simulated)", simTimeCodec, func(s *Scenario) *sim.Time { return &s.SampleInterval }),
		param.Func("nodes", "fleet size, 2 to 16,777,216 nodes", param.TypeInt, func(s *Scenario) string { return strconv.Itoa(s.Fleet.Nodes) }, setNodes),
		param.Enum("mode", "gossip mode: digest (digest+delta push-pull) or full (push the whole view)", func(s *Scenario) *s3gossip.Mode { return &s.S3.Mode }, names(modes), modes).
			WithAliases(map[string]string{"digest+delta": "digest", "delta": "digest", "full-view": "full"}),
		param.Field("gossip-interval", "time between a node's gossip rounds; its heartbeat goes up by one per round", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.GossipInterval }),
		param.Field("fanout", "peers gossiped with per round, 1 to nodes-1", intCodec, func(s *Scenario) *int { return &s.S3.Fanout }),
		param.Field("fail-timeout", "time without a newer version before an observer declares a peer failed", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.FailTimeout }),
		param.Field("failure-fanout", "peers each failure notice goes to per round (0 = no failure gossip)", intCodec, func(s *Scenario) *int { return &s.S3.FailureFanout }),
		param.Field("failure-gossip-rounds", "rounds a node keeps gossiping one failure (0 = for as long as it believes it, as in 2008)", intCodec, func(s *Scenario) *int { return &s.S3.FailureGossipRounds }),
		param.Field("per-message-cost", "receiver processing time per message", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.PerMessageCost }),
		param.Field("per-send-cost", "sender processing time per message sent", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.PerSendCost }),
		param.Field("per-entry-cost", "receiver processing time per membership entry carried", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.PerEntryCost }),
		param.Field("queue-limit", "messages a node can hold waiting; more are dropped", intCodec, func(s *Scenario) *int { return &s.S3.QueueLimit }),
		param.Field("latency", "one-way latency: const:D, uniform:MIN:MAX, lognormal:MEDIAN:SIGMA or exp:MEAN", latencyCodec, func(s *Scenario) *network.Latency { return &s.Fleet.Network.Latency }),
		param.Field("loss", "probability a message is lost, in [0, 1)", floatCodec, func(s *Scenario) *float64 { return &s.Fleet.Network.Loss }),
		param.Field("corrupt-prob", "probability a message has bits flipped on the path, in [0, 1]", floatCodec, func(s *Scenario) *float64 { return &s.Fleet.Corruption.Probability }),
		param.Field("corrupt-bits", "bits flipped in a corrupted message, at least 1", intCodec, func(s *Scenario) *int { return &s.Fleet.Corruption.Bits }),
		param.Enum("corrupt-pattern", "which bits: random (distinct, anywhere) or burst (consecutive)", func(s *Scenario) *corrupt.Pattern { return &s.Fleet.Corruption.Pattern }, names(patterns), patterns),
		param.Field("bit-error-rate", "per-bit flip probability in [0, 1); when set, replaces corrupt-prob/bits/pattern", floatCodec, func(s *Scenario) *float64 { return &s.Fleet.Corruption.BitErrorRate }),
		param.Enum("checksum", "trailer on state messages: none, crc32c, md5, sha256 or sum8 (a deliberately weak 8-bit sum)", func(s *Scenario) *wire.Checksum { return &s.Fleet.Checksum }, names(wire.Checksums()), wire.Checksums()),
		param.Field("corrupt-from", "corruption episode start: only messages sent from then on can be corrupted", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.CorruptFrom }),
		param.Field("corrupt-until", "corruption episode end (0 = no end)", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.CorruptUntil }),
		param.Func("mitigation", mitigationUsage(), param.TypeName,
			func(s *Scenario) string { return mitigationValue{s}.String() }, func(s *Scenario, v string) error { return mitigationValue{s}.Set(v) }),
		param.Field("failure-retransmit-mult", "(b) gossip each failure for MULT × ceil(log10(nodes+1)) rounds, as SWIM/memberlist (0 = off)", intCodec, func(s *Scenario) *int { return &s.S3.FailureRetransmitMult }),
		param.Field("failure-rate-limit", "(b) most failure notices a node sends per round, newest first (0 = no limit)", intCodec, func(s *Scenario) *int { return &s.S3.FailureRateLimit }),
		param.Field("omit-failed-after", "(b) leave entries failed for longer than this out of gossip (0 = never)", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.OmitFailedAfter }),
		param.Field("monitor", "(c) watch the fleet's gossip message rate and raise alarms", boolCodec, func(s *Scenario) *bool { return &s.S3.Monitor.Enabled }),
		param.Field("monitor-window", "(c) monitor measurement window", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.Monitor.Window }),
		param.Field("monitor-baseline", "(c) steady-state period at the start over which the normal rate is learned", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.Monitor.Baseline }),
		param.Field("monitor-threshold", "(c) alarm when a window's rate exceeds this multiple of the baseline, > 1", floatCodec, func(s *Scenario) *float64 { return &s.S3.Monitor.Threshold }),
		param.Enum("reset", "(a) state reset procedure: none, 2008 (stop, clear, one slow restore) or fast (parallel restore)", func(s *Scenario) *s3gossip.ResetProcedure { return &s.S3.Reset.Procedure }, names(resets), resets),
		param.Enum("reset-on", "(a) what starts the reset: time (an operator at --reset-at) or alarm (the monitor, c)", func(s *Scenario) *bool { return &s.S3.Reset.OnAlarm }, []string{"time", "alarm"}, []bool{false, true}),
		param.Field("reset-at", "(a) operator's decision time, with --reset-on time", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.Reset.At }),
		param.Field("reset-stop", "(a) time from the decision until communication is stopped and state cleared", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.Reset.Stop }),
		param.Field("reset-restore", "(a) restore step of the 2008 procedure, after which gossip restarts", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.Reset.Restore }),
		param.Field("reset-fast-restore", "(a) restore step of the fast procedure", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.Reset.FastRestore }),
		param.Field("crash-rate", "node crashes per node per simulated hour", floatCodec, func(s *Scenario) *float64 { return &s.S3.CrashRate }),
		param.Field("down-time", "how long a crashed node stays down before restarting with a new generation", simTimeCodec, func(s *Scenario) *sim.Time { return &s.S3.DownTime }),
		param.Field("max-events", "stop a run cleanly after this many events (0 = no limit); its summary says stopped: max-events", uint64Codec, func(s *Scenario) *uint64 { return &s.MaxEvents }),
		param.Field("timeout", "stop a run cleanly after this much wall-clock time (0 = no limit); its summary says stopped: timeout", wallDurationCodec, func(s *Scenario) *time.Duration { return &s.Timeout }),
		param.Enum("queue", "event queue: calendar or heap; both dispatch events in the same order, so results are byte-identical (a check on the engine)", func(s *Scenario) *sim.QueueKind { return &s.Fleet.Queue }, names(queues), queues),
	}
}

// The values of the S3 model's name parameters, in the order errors list them.
var (
	modes    = []s3gossip.Mode{s3gossip.ModeDigest, s3gossip.ModeFull}
	patterns = []corrupt.Pattern{corrupt.PatternRandom, corrupt.PatternBurst}
	resets   = []s3gossip.ResetProcedure{s3gossip.ResetNone, s3gossip.Reset2008, s3gossip.ResetFast}
	queues   = []sim.QueueKind{sim.QueueCalendar, sim.QueueHeap}
)

// names lists the values' String forms, in order.
func names[T fmt.Stringer](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = v.String()
	}
	return out
}

// Params lists every scenario parameter, in the order help shows them.
func Params() []Param { return slices.Clone(scenarioParams) }

// LookupParam finds a parameter by flag name.
func LookupParam(name string) (Param, bool) {
	for _, p := range scenarioParams {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// The codecs of the S3 model's parameters: their errors say what is wrong
// with the text without repeating it, as a flag's error shows it beside
// the flag's name.
var (
	intCodec     = param.Codec[int]{Type: param.TypeInt, Parse: parseInt, Format: strconv.Itoa}
	uint64Codec  = param.Codec[uint64]{Type: param.TypeUint, Parse: parseUint64, Format: func(v uint64) string { return strconv.FormatUint(v, 10) }}
	floatCodec   = param.Codec[float64]{Type: param.TypeFloat, Parse: parseFloat, Format: func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }}
	boolCodec    = param.Codec[bool]{Type: param.TypeBool, Parse: parseBool, Format: strconv.FormatBool}
	simTimeCodec = param.Codec[sim.Time]{Type: param.TypeDuration, Parse: parseSimTime, Format: sim.Time.String}
	latencyCodec = param.Codec[network.Latency]{Type: param.TypeSpec, Parse: network.ParseLatency, Format: network.Latency.String}
	// wallDurationCodec is a wall-clock duration (time.Duration), at least 0.
	wallDurationCodec = param.Codec[time.Duration]{Type: param.TypeDuration, Parse: parseWallDuration, Format: time.Duration.String}
)

// errIntRange is the out-of-range error of an integer setting.
var errIntRange = fmt.Errorf("out of range: an integer setting holds at most ±%d", math.MaxInt64)

// parseInt reads an integer setting: decimal, or an integral float such as
// "1e3" or "2.0" from generated grids. A value beyond what the setting can
// hold is out of range, not "not an integer".
func parseInt(s string) (int, error) {
	n, err := strconv.ParseInt(s, 10, 0)
	if err == nil {
		return int(n), nil
	}
	if errors.Is(err, strconv.ErrRange) {
		return 0, errIntRange
	}
	f, ferr := strconv.ParseFloat(s, 64)
	if ferr != nil && !errors.Is(ferr, strconv.ErrRange) || f != math.Trunc(f) {
		return 0, fmt.Errorf("not an integer")
	}
	if !(f >= math.MinInt && f < math.MaxInt) { // converting would wrap
		return 0, errIntRange
	}
	return int(f), nil
}

// setNodes sets the fleet size: an integer, whose out-of-range error gives
// the model's range.
func setNodes(sc *Scenario, s string) error {
	n, err := parseInt(s)
	if errors.Is(err, errIntRange) {
		// The model may be chosen after this flag: name every model's range.
		var ranges []string
		for _, name := range ModelNames() {
			ranges = append(ranges, fmt.Sprintf("%d (%s)", maxNodes(name), name))
		}
		return fmt.Errorf("out of range: nodes is from 2 to at most %s", strings.Join(ranges, ", "))
	}
	if err != nil {
		return err
	}
	sc.Fleet.Nodes = n
	return nil
}

// maxNodes is the largest fleet a model takes (for the S3
// model, also what the address space can hold).
func maxNodes(model string) int {
	switch model {
	case "epidemic":
		return epidemic.MaxNodes
	case "rumor":
		return rumor.MaxNodes
	case "heartbeat":
		return heartbeat.MaxNodes
	case "swim":
		return swim.MaxNodes
	}
	return int(min(int64(s3gossip.MaxNodes), int64(math.Sqrt(float64(maxAddressable/viewEntryBytes)))))
}

// parseBool reads true or false (and the other spellings strconv.ParseBool accepts).
func parseBool(s string) (bool, error) {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, fmt.Errorf("not true or false")
	}
	return b, nil
}

// parseUint64 reads a non-negative integer such as a seed.
func parseUint64(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("out of range: at most %d", uint64(math.MaxUint64))
	}
	if err != nil {
		return 0, fmt.Errorf("not a non-negative integer")
	}
	return n, nil
}

// parseFloat reads a finite number.
func parseFloat(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) && math.IsInf(f, 0) {
		return 0, fmt.Errorf("out of range: a number is at most ±%g", math.MaxFloat64)
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("not a finite number")
	}
	return f, nil
}

// parseSimTime reads a simulated duration written like "200ms" or "10m".
func parseSimTime(s string) (sim.Time, error) {
	d, err := parseDuration(s)
	if err != nil {
		return 0, err
	}
	return sim.FromDuration(d), nil
}

// parseWallDuration reads a wall-clock duration of at least 0.
func parseWallDuration(s string) (time.Duration, error) {
	d, err := parseDuration(s)
	if err != nil {
		return 0, err
	}
	if d < 0 {
		return 0, fmt.Errorf("%q is not a duration >= 0 such as 90s or 10m", s)
	}
	return d, nil
}

// durationSyntax is what time.ParseDuration accepts, whatever the size.
var durationSyntax = regexp.MustCompile(`^[-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$`)

// maxDurationText is the longest duration, about 292 years.
var maxDurationText = time.Duration(math.MaxInt64).String()

// parseDuration is time.ParseDuration, whose error tells a duration too long
// to hold from text that is not a duration.
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err == nil {
		return d, nil
	}
	if durationSyntax.MatchString(s) {
		return 0, fmt.Errorf("out of range: a duration is at most %s (about 292 years)", maxDurationText)
	}
	return 0, fmt.Errorf("not a duration (use units such as 200ms, 1s, 10m)")
}
