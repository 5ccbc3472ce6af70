package experiments

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/epidemic"
	"github.com/gossipsim/gossipsim/models/heartbeat"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/rumor"
	"github.com/gossipsim/gossipsim/models/s3gossip"
	"github.com/gossipsim/gossipsim/models/swim"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Param is one scenario parameter, settable by name from a command-line
// flag, a sweep grid axis or (later) a scenario file: one list, so every
// parameter a user can set on `run` can also be swept.
type Param struct {
	// Name is the flag name, e.g. "corrupt-prob".
	Name string
	// Usage says what the parameter is, with its unit and allowed range.
	Usage string
	bind  func(*Scenario) pflag.Value
}

// Value returns the parameter of sc as a pflag.Value: String reads it, Set
// parses and stores a new value.
func (p Param) Value(sc *Scenario) pflag.Value { return p.bind(sc) }

// Params lists every scenario parameter, in the order help shows them.
func Params() []Param {
	return []Param{
		{"seed", "random seed; same scenario and seed give the same bytes out", func(s *Scenario) pflag.Value { return (*uint64Value)(&s.Seed) }},
		{"duration", "simulated horizon", func(s *Scenario) pflag.Value { return simTimeValue{&s.Duration} }},
		{"sample-interval", "time-series step (simulated)", func(s *Scenario) pflag.Value { return simTimeValue{&s.SampleInterval} }},
		{"nodes", "fleet size, 2 to 16,777,216 nodes", func(s *Scenario) pflag.Value { return nodesValue{s} }},
		{"mode", "gossip mode: digest (digest+delta push-pull) or full (push the whole view)", func(s *Scenario) pflag.Value { return modeValue{&s.Model.Mode} }},
		{"gossip-interval", "time between a node's gossip rounds; its heartbeat goes up by one per round", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.GossipInterval} }},
		{"fanout", "peers gossiped with per round, 1 to nodes-1", func(s *Scenario) pflag.Value { return (*intValue)(&s.Model.Fanout) }},
		{"fail-timeout", "time without a newer version before an observer declares a peer failed", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.FailTimeout} }},
		{"failure-fanout", "peers each failure notice goes to per round (0 = no failure gossip)", func(s *Scenario) pflag.Value { return (*intValue)(&s.Model.FailureFanout) }},
		{"failure-gossip-rounds", "rounds a node keeps gossiping one failure (0 = for as long as it believes it, as in 2008)", func(s *Scenario) pflag.Value { return (*intValue)(&s.Model.FailureGossipRounds) }},
		{"per-message-cost", "receiver processing time per message", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.PerMessageCost} }},
		{"per-send-cost", "sender processing time per message sent", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.PerSendCost} }},
		{"per-entry-cost", "receiver processing time per membership entry carried", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.PerEntryCost} }},
		{"queue-limit", "messages a node can hold waiting; more are dropped", func(s *Scenario) pflag.Value { return (*intValue)(&s.Model.QueueLimit) }},
		{"latency", "one-way latency: const:D, uniform:MIN:MAX, lognormal:MEDIAN:SIGMA or exp:MEAN", func(s *Scenario) pflag.Value { return latencyValue{&s.Model.Network.Latency} }},
		{"loss", "probability a message is lost, in [0, 1)", func(s *Scenario) pflag.Value { return (*floatValue)(&s.Model.Network.Loss) }},
		{"corrupt-prob", "probability a message has bits flipped on the path, in [0, 1]", func(s *Scenario) pflag.Value { return (*floatValue)(&s.Model.Corruption.Probability) }},
		{"corrupt-bits", "bits flipped in a corrupted message, at least 1", func(s *Scenario) pflag.Value { return (*intValue)(&s.Model.Corruption.Bits) }},
		{"corrupt-pattern", "which bits: random (distinct, anywhere) or burst (consecutive)", func(s *Scenario) pflag.Value { return patternValue{&s.Model.Corruption.Pattern} }},
		{"bit-error-rate", "per-bit flip probability in [0, 1); when set, replaces corrupt-prob/bits/pattern", func(s *Scenario) pflag.Value { return (*floatValue)(&s.Model.Corruption.BitErrorRate) }},
		{"checksum", "trailer on state messages: none, crc32c, md5, sha256 or sum8 (a deliberately weak 8-bit sum)", func(s *Scenario) pflag.Value { return checksumValue{&s.Model.Checksum} }},
		{"corrupt-from", "corruption episode start: only messages sent from then on can be corrupted", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.CorruptFrom} }},
		{"corrupt-until", "corruption episode end (0 = no end)", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.CorruptUntil} }},
		{"mitigation", mitigationUsage(), func(s *Scenario) pflag.Value { return mitigationValue{s} }},
		{"failure-retransmit-mult", "(b) gossip each failure for MULT × ceil(log10(nodes+1)) rounds, as SWIM/memberlist (0 = off)", func(s *Scenario) pflag.Value { return (*intValue)(&s.Model.FailureRetransmitMult) }},
		{"failure-rate-limit", "(b) most failure notices a node sends per round, newest first (0 = no limit)", func(s *Scenario) pflag.Value { return (*intValue)(&s.Model.FailureRateLimit) }},
		{"omit-failed-after", "(b) leave entries failed for longer than this out of gossip (0 = never)", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.OmitFailedAfter} }},
		{"monitor", "(c) watch the fleet's gossip message rate and raise alarms", func(s *Scenario) pflag.Value { return (*boolValue)(&s.Model.Monitor.Enabled) }},
		{"monitor-window", "(c) monitor measurement window", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.Monitor.Window} }},
		{"monitor-baseline", "(c) steady-state period at the start over which the normal rate is learned", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.Monitor.Baseline} }},
		{"monitor-threshold", "(c) alarm when a window's rate exceeds this multiple of the baseline, > 1", func(s *Scenario) pflag.Value { return (*floatValue)(&s.Model.Monitor.Threshold) }},
		{"reset", "(a) state reset procedure: none, 2008 (stop, clear, one slow restore) or fast (parallel restore)", func(s *Scenario) pflag.Value { return resetValue{&s.Model.Reset.Procedure} }},
		{"reset-on", "(a) what starts the reset: time (an operator at --reset-at) or alarm (the monitor, c)", func(s *Scenario) pflag.Value { return resetOnValue{&s.Model.Reset.OnAlarm} }},
		{"reset-at", "(a) operator's decision time, with --reset-on time", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.Reset.At} }},
		{"reset-stop", "(a) time from the decision until communication is stopped and state cleared", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.Reset.Stop} }},
		{"reset-restore", "(a) restore step of the 2008 procedure, after which gossip restarts", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.Reset.Restore} }},
		{"reset-fast-restore", "(a) restore step of the fast procedure", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.Reset.FastRestore} }},
		{"crash-rate", "node crashes per node per simulated hour", func(s *Scenario) pflag.Value { return (*floatValue)(&s.Model.CrashRate) }},
		{"down-time", "how long a crashed node stays down before restarting with a new generation", func(s *Scenario) pflag.Value { return simTimeValue{&s.Model.DownTime} }},
		{"max-events", "stop a run cleanly after this many events (0 = no limit); its summary says stopped: max-events", func(s *Scenario) pflag.Value { return (*uint64Value)(&s.MaxEvents) }},
		{"timeout", "stop a run cleanly after this much wall-clock time (0 = no limit); its summary says stopped: timeout", func(s *Scenario) pflag.Value { return wallDurationValue{&s.Timeout} }},
		{"queue", "event queue: calendar or heap; both dispatch events in the same order, so results are byte-identical (a check on the engine)", func(s *Scenario) pflag.Value { return queueValue{&s.Model.Queue} }},
	}
}

// LookupParam finds a parameter by flag name.
func LookupParam(name string) (Param, bool) {
	for _, p := range Params() {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

type intValue int

func (v *intValue) String() string { return strconv.Itoa(int(*v)) }
func (v *intValue) Type() string   { return "int" }
func (v *intValue) Set(s string) error {
	n, err := parseInt(s)
	if err != nil {
		return err
	}
	*v = intValue(n)
	return nil
}

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

// nodesValue is the fleet size: an integer, whose out-of-range error gives
// the model's range.
type nodesValue struct{ s *Scenario }

func (v nodesValue) String() string { return strconv.Itoa(v.s.Model.Nodes) }
func (v nodesValue) Type() string   { return "int" }
func (v nodesValue) Set(s string) error {
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
	v.s.Model.Nodes = n
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

type boolValue bool

func (v *boolValue) String() string   { return strconv.FormatBool(bool(*v)) }
func (v *boolValue) Type() string     { return "bool" }
func (v *boolValue) IsBoolFlag() bool { return true }
func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("not true or false")
	}
	*v = boolValue(b)
	return nil
}

type resetValue struct{ p *s3gossip.ResetProcedure }

func (v resetValue) String() string { return v.p.String() }
func (v resetValue) Type() string   { return "name" }
func (v resetValue) Set(s string) error {
	r, err := s3gossip.ParseResetProcedure(s)
	if err == nil {
		*v.p = r
	}
	return err
}

type resetOnValue struct{ p *bool }

func (v resetOnValue) String() string {
	if *v.p {
		return "alarm"
	}
	return "time"
}
func (v resetOnValue) Type() string { return "name" }
func (v resetOnValue) Set(s string) error {
	switch s {
	case "alarm":
		*v.p = true
	case "time":
		*v.p = false
	default:
		return fmt.Errorf("reset-on: %q is not one of time, alarm", s)
	}
	return nil
}

type uint64Value uint64

func (v *uint64Value) String() string { return strconv.FormatUint(uint64(*v), 10) }
func (v *uint64Value) Type() string   { return "uint" }
func (v *uint64Value) Set(s string) error {
	n, err := strconv.ParseUint(s, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		return fmt.Errorf("out of range: at most %d", uint64(math.MaxUint64))
	}
	if err != nil {
		return fmt.Errorf("not a non-negative integer")
	}
	*v = uint64Value(n)
	return nil
}

type floatValue float64

func (v *floatValue) String() string { return strconv.FormatFloat(float64(*v), 'g', -1, 64) }
func (v *floatValue) Type() string   { return "float" }
func (v *floatValue) Set(s string) error {
	f, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) && math.IsInf(f, 0) {
		return fmt.Errorf("out of range: a number is at most ±%g", math.MaxFloat64)
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("not a finite number")
	}
	*v = floatValue(f)
	return nil
}

// simTimeValue is a simulated duration written like "200ms" or "10m".
type simTimeValue struct{ p *sim.Time }

func (v simTimeValue) String() string { return v.p.String() }
func (v simTimeValue) Type() string   { return "duration" }
func (v simTimeValue) Set(s string) error {
	d, err := parseDuration(s)
	if err != nil {
		return err
	}
	*v.p = sim.FromDuration(d)
	return nil
}

type checksumValue struct{ p *wire.Checksum }

func (v checksumValue) String() string { return v.p.String() }
func (v checksumValue) Type() string   { return "name" }
func (v checksumValue) Set(s string) error {
	c, err := wire.ParseChecksum(s)
	if err == nil {
		*v.p = c
	}
	return err
}

type modeValue struct{ p *s3gossip.Mode }

func (v modeValue) String() string { return v.p.String() }
func (v modeValue) Type() string   { return "name" }
func (v modeValue) Set(s string) error {
	m, err := s3gossip.ParseMode(s)
	if err == nil {
		*v.p = m
	}
	return err
}

type patternValue struct{ p *corrupt.Pattern }

func (v patternValue) String() string { return v.p.String() }
func (v patternValue) Type() string   { return "name" }
func (v patternValue) Set(s string) error {
	m, err := corrupt.ParsePattern(s)
	if err == nil {
		*v.p = m
	}
	return err
}

type latencyValue struct{ p *network.Latency }

func (v latencyValue) String() string { return v.p.String() }
func (v latencyValue) Type() string   { return "spec" }
func (v latencyValue) Set(s string) error {
	l, err := network.ParseLatency(s)
	if err == nil {
		*v.p = l
	}
	return err
}

type queueValue struct{ p *sim.QueueKind }

func (v queueValue) String() string { return v.p.String() }
func (v queueValue) Type() string   { return "name" }
func (v queueValue) Set(s string) error {
	k, err := sim.ParseQueueKind(s)
	if err == nil {
		*v.p = k
	}
	return err
}

// wallDurationValue is a wall-clock duration (time.Duration), at least 0.
type wallDurationValue struct{ p *time.Duration }

func (v wallDurationValue) String() string { return v.p.String() }
func (v wallDurationValue) Type() string   { return "duration" }
func (v wallDurationValue) Set(s string) error {
	d, err := parseDuration(s)
	if err != nil {
		return err
	}
	if d < 0 {
		return fmt.Errorf("%q is not a duration >= 0 such as 90s or 10m", s)
	}
	*v.p = d
	return nil
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
