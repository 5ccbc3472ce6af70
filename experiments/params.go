package experiments

import (
	"errors"
	"fmt"
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
	return slices.Concat([]Param{
		param.Field("seed", "random seed; same scenario and seed give the same bytes out", uint64Codec, func(s *Scenario) *uint64 { return &s.Seed }),
		param.Field("duration", "simulated horizon", simTimeCodec, func(s *Scenario) *sim.Time { return &s.Duration }),
		param.Field("sample-interval", "time-series step (simulated)", simTimeCodec, func(s *Scenario) *sim.Time { return &s.SampleInterval }),
		param.Func("nodes", "fleet size, 2 to 16,777,216 nodes", param.TypeInt, func(s *Scenario) string { return strconv.Itoa(s.Fleet.Nodes) }, setNodes),
		s3Row("mode"),
		s3Row("gossip-interval"),
		s3Row("fanout"),
		s3Row("in-zone-share"),
		s3Row("fail-timeout"),
		s3Row("detector"),
		s3Row("suspect-timeout"),
		s3Row("phi-threshold"),
		s3Row("phi-window"),
		s3Row("failure-fanout"),
		s3Row("failure-gossip-rounds"),
		s3Row("per-message-cost"),
		s3Row("per-send-cost"),
		s3Row("per-entry-cost"),
		s3Row("queue-limit"),
		param.Field("latency", "one-way latency: const:D, uniform:MIN:MAX, lognormal:MEDIAN:SIGMA or exp:MEAN", latencyCodec, func(s *Scenario) *network.Latency { return &s.Fleet.Network.Latency }),
		param.Field("loss", "probability a message is lost, in [0, 1)", floatCodec, func(s *Scenario) *float64 { return &s.Fleet.Network.Loss }),
	}, topologyRows(), []Param{
		param.Field("corrupt-prob", "probability a message has bits flipped on the path, in [0, 1]", floatCodec, func(s *Scenario) *float64 { return &s.Fleet.Corruption.Probability }),
		param.Field("corrupt-bits", "bits flipped in a corrupted message, at least 1", intCodec, func(s *Scenario) *int { return &s.Fleet.Corruption.Bits }),
		param.Enum("corrupt-pattern", "which bits: random (distinct, anywhere) or burst (consecutive)", func(s *Scenario) *corrupt.Pattern { return &s.Fleet.Corruption.Pattern }, names(patterns), patterns),
		param.Field("bit-error-rate", "per-bit flip probability in [0, 1); when set, replaces corrupt-prob/bits/pattern", floatCodec, func(s *Scenario) *float64 { return &s.Fleet.Corruption.BitErrorRate }),
		param.Enum("checksum", "trailer on state messages: none, crc32c, md5, sha256 or sum8 (a deliberately weak 8-bit sum)", func(s *Scenario) *wire.Checksum { return &s.Fleet.Checksum }, names(wire.Checksums()), wire.Checksums()),
		param.Field("corrupt-from", "corruption episode start: only messages sent from then on can be corrupted", simTimeCodec, func(s *Scenario) *sim.Time { return &s.Fleet.Corruption.From }),
		param.Field("corrupt-until", "corruption episode end (0 = no end)", simTimeCodec, func(s *Scenario) *sim.Time { return &s.Fleet.Corruption.Until }),
	}, faultRows(), []Param{
		param.Func("mitigation", mitigationUsage(), param.TypeName,
			func(s *Scenario) string { return mitigationValue{s}.String() }, func(s *Scenario, v string) error { return mitigationValue{s}.Set(v) }),
		s3Row("failure-retransmit-mult"),
		s3Row("failure-rate-limit"),
		s3Row("omit-failed-after"),
		s3Row("monitor"),
		s3Row("monitor-window"),
		s3Row("monitor-baseline"),
		s3Row("monitor-threshold"),
		s3Row("reset"),
		s3Row("reset-on"),
		s3Row("reset-at"),
		s3Row("reset-stop"),
		s3Row("reset-restore"),
		s3Row("reset-fast-restore"),
		s3Row("crash-rate"),
		s3Row("down-time"),
		param.Field("max-events", "stop a run cleanly after this many events (0 = no limit); its summary says stopped: max-events", uint64Codec, func(s *Scenario) *uint64 { return &s.MaxEvents }),
		param.Field("timeout", "stop a run cleanly after this much wall-clock time (0 = no limit); its summary says stopped: timeout", wallDurationCodec, func(s *Scenario) *time.Duration { return &s.Timeout }),
		param.Enum("queue", "event queue: calendar or heap; both dispatch events in the same order, so results are byte-identical (a check on the engine)", func(s *Scenario) *sim.QueueKind { return &s.Fleet.Queue }, names(queues), queues),
	})
}

// s3Row is the S3-style model's row of that name as a run parameter: its
// parameters are top-level flags, listed among the fleet's in the order
// help has always shown them. It binds to Scenario.S3Params.
func s3Row(name string) Param {
	for _, p := range s3gossip.ParamRows() {
		if p.Name == name {
			return param.Within(p, (*Scenario).S3Params)
		}
	}
	panic("experiments: the s3 model has no parameter " + name)
}

// The values of the fleet's name parameters, in the order errors list them.
var (
	patterns = []corrupt.Pattern{corrupt.PatternRandom, corrupt.PatternBurst}
	queues   = []sim.QueueKind{sim.QueueCalendar, sim.QueueHeap}
)

// The codecs of the run parameters (package param's text codecs).
var (
	intCodec          = param.IntText
	uint64Codec       = param.Uint64Text
	floatCodec        = param.FloatText
	simTimeCodec      = param.SimTimeText
	wallDurationCodec = param.WallDurationText
	latencyCodec      = param.Codec[network.Latency]{Type: param.TypeSpec, Parse: network.ParseLatency, Format: network.Latency.String}
)

// parseDuration reads a wall-clock duration (param.ParseDurationText) and
// parseSimTime a simulated one.
var (
	parseDuration = param.ParseDurationText
	parseSimTime  = param.SimTimeText.Parse
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

// setNodes sets the fleet size: an integer, whose out-of-range error gives
// the model's range.
func setNodes(sc *Scenario, s string) error {
	n, err := param.IntText.Parse(s)
	if errors.Is(err, param.ErrIntRange) {
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
	return min(s3gossip.MaxNodes, s3gossip.MaxViewNodes(maxAddressable))
}
