package s3gossip

import (
	"context"
	"fmt"
	"math"
	"math/bits"

	"github.com/gossipsim/gossipsim/internal/bytesize"
	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/models/protocol"
)

// Name is the model's --model name.
const Name = "s3"

// RecordName is the model column of its runs' records ("s3gossip", as
// result files have always said).
const RecordName = "s3gossip"

// Protocol is the S3-style model behind the shared model contract
// (protocol.Model): its own parameters, which it runs on a fleet
// (protocol.Common) as the Config of both.
type Protocol struct {
	// Parameters are the model's own parameters.
	Parameters Params
}

// NewProtocol returns the model with the documented default parameters.
func NewProtocol() *Protocol { return &Protocol{Parameters: DefaultParams()} }

var _ protocol.Model = (*Protocol)(nil)

// Name is "s3".
func (p *Protocol) Name() string { return Name }

// Description is one line for help.
func (p *Protocol) Description() string {
	return "S3-style failure gossip: heartbeat views, failure notices, the 2008 storm and its mitigations"
}

// Params binds the model's parameter rows (ParamRows) to p.
func (p *Protocol) Params() []param.Value { return param.Bind(paramRows, &p.Parameters) }

// Validate checks the model's whole configuration, fleet and parameters:
// the first bad field, named as its parameter, with the value and what is
// allowed.
func (p *Protocol) Validate(c protocol.Common) error { return p.config(c).Validate() }

// FieldNames is empty: the model's summary is the shared one
// (protocol.Result.Summary).
func (p *Protocol) FieldNames() []string { return nil }

// Clone returns a copy with the same parameters.
func (p *Protocol) Clone() protocol.Model {
	q := *p
	return &q
}

func (p *Protocol) config(c protocol.Common) Config {
	return Config{Fleet: c.Fleet, Params: p.Parameters, Trace: c.Trace}
}

// RecordName is the model column of the records ("s3gossip").
func (p *Protocol) RecordName() string { return RecordName }

// TakesMitigations is true: the mitigation presets set this model's parameters.
func (p *Protocol) TakesMitigations() bool { return true }

// progressSteps is how many steps protocol.DriveProgress advances a run
// in, between which progress is reported and cancellation checked (the
// engine also checks its interrupt every few hundred events).
const progressSteps = 200

// Run simulates one run to c.Duration, or until an engine limit stops it,
// with protocol.DriveProgress as every model does. It returns ctx's error
// if ctx is done.
func (p *Protocol) Run(ctx context.Context, c protocol.Common, seed uint64) (protocol.Result, error) {
	m, err := NewWithContext(ctx, p.config(c), seed, c.SampleInterval)
	if err != nil {
		return protocol.Result{}, err
	}
	m.SetLimits(c.MaxEvents, c.Interrupt)
	step := max(c.Duration/progressSteps, 1)
	if err := protocol.DriveProgress(ctx, m.eng, c.Duration, step, c.Progress); err != nil {
		return protocol.Result{}, err
	}
	sum := m.Summary()
	return protocol.Result{
		Counters: m.Recorder().Counters,
		Samples:  m.Recorder().Samples(),
		Events:   m.Events(),
		Summary:  &sum,
		Anatomy:  m.Anatomy(),
		Setup: protocol.Setup{
			Mode: p.Parameters.Mode.String(), Fanout: p.Parameters.Fanout,
			GossipInterval: p.Parameters.GossipInterval, FailTimeout: p.Parameters.FailTimeout,
		},
		Spread: m.SpreadRecord(),
	}, nil
}

// ViewPairBytes is the memory of one (observer, peer) belief in the views:
// an 8-byte version, a 4-byte time and a status-and-flags byte (view.go).
const ViewPairBytes = 13

// MemoryFloor is what a run allocates and touches before its first event,
// in bytes: the views, ViewPairBytes × nodes², and with the φ-accrual
// detector its windows, 2 × PhiWindow + 5 bytes a pair more (saturating at
// math.MaxInt64).
func (p *Protocol) MemoryFloor(nodes int) int64 {
	n := uint64(max(nodes, 0))
	return int64(satMul(uint64(p.Parameters.PairBytes()), satMul(n, n)))
}

// PairBytes is the memory of one (observer, peer) pair: the views'
// ViewPairBytes, plus the φ-accrual detector's window with DetectorPhi
// (the suspect and timeout detectors keep nothing beyond the views).
func (c Params) PairBytes() int {
	if c.Detector == DetectorPhi {
		return ViewPairBytes + phiPairBytes(c.PhiWindow)
	}
	return ViewPairBytes
}

// MemoryEstimate is the most memory a run holds live at once (what the
// garbage collector cannot free), in bytes, beyond the runtime's: the views,
// 13 B × nodes² (and the φ detector's windows, PairBytes, which do not
// grow); message snapshots (16 B an entry) and queued work, which in
// a storm or a saturated fleet hold up to about 1.5 times as much again; and
// about 100 KB a node of node state, timers and pools. That is 2.5 × the
// views + the φ windows + 100 KB × nodes (saturating at math.MaxInt64). Measured with
// gossipsim (live heap from GODEBUG=gctrace=1, peak RSS from
// /usr/bin/time): live 219 MB at 2,000 nodes in a storm (estimate 360 MB),
// 8.0 GB at 20,000 quiet for 5 s, and 16.3 GB at 20,000 in the scale
// experiment's 30 s of crashes, whose queues hold a 320 KB digest snapshot
// each (estimate 18 GB); peak RSS in a storm 155 MB at 1,000 nodes (140 MB)
// and 2.0 GB at 5,000 (1.5 GB). Under GOGC alone the heap grows to about
// twice what is live before it is collected, so the RSS of a storm exceeds
// this estimate unless the garbage collector is held to a memory limit
// (debug.SetMemoryLimit, GOMEMLIMIT).
func (p *Protocol) MemoryEstimate(nodes int) int64 {
	n := uint64(max(nodes, 0))
	views := satMul(ViewPairBytes, satMul(n, n))
	detector := uint64(p.MemoryFloor(nodes)) - views // φ-accrual's windows, held as allocated
	return int64(min(satAdd(satAdd(satMul(views, 5)/2, detector), satMul(100_000, n)), math.MaxInt64))
}

// MemoryDescription says what dominates MemoryEstimate.
func (p *Protocol) MemoryDescription(nodes int) string {
	if b := p.Parameters.PairBytes(); b != ViewPairBytes {
		return fmt.Sprintf("S3 model, %d nodes: views and φ windows of %d B × nodes² = %s, with message snapshots and queues", nodes, b, bytesize.Format(p.MemoryFloor(nodes)))
	}
	return fmt.Sprintf("S3 model, %d nodes: views of %d B × nodes² = %s, with message snapshots and queues", nodes, ViewPairBytes, bytesize.Format(p.MemoryFloor(nodes)))
}

// MaxViewNodes is the largest fleet whose views a process can address
// (maxBytes of address space).
func MaxViewNodes(maxBytes int64) int {
	return int(math.Sqrt(float64(maxBytes / ViewPairBytes)))
}

func satMul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi != 0 || lo > math.MaxInt64 {
		return math.MaxInt64
	}
	return lo
}

func satAdd(a, b uint64) uint64 {
	s, carry := bits.Add64(a, b, 0)
	if carry != 0 || s > math.MaxInt64 {
		return math.MaxInt64
	}
	return s
}
