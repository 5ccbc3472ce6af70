package metrics

import (
	"reflect"

	"github.com/gossipsim/gossipsim/sim"
)

// Sample is one row of a run's time series: the fleet's state at Time and the
// rates measured over the sampling interval that ended at Time.
type Sample struct {
	// Time is the end of the sampling interval, in simulated seconds since the start of the run.
	Time float64
	// MessagesPerSecond is the fleet-wide number of messages sent per simulated second over the interval.
	MessagesPerSecond float64
	// BytesPerSecond is the fleet-wide number of encoded bytes sent per simulated second over the interval.
	BytesPerSecond float64
	// FailureMessagesPerSecond is the part of MessagesPerSecond that is failure gossip (failure notices), messages per simulated second.
	FailureMessagesPerSecond float64
	// BusiestNodeMessagesPerSecond is the largest number of messages any single node received per simulated second over the interval.
	BusiestNodeMessagesPerSecond float64
	// WrongViewFraction is the share of (live observer, live peer) pairs whose view of the peer is wrong
	// (believes it failed, or holds a version the peer never issued), at Time; in [0, 1].
	WrongViewFraction float64
	// WrongViewFractionByZone is, per zone Z of the topology, the share of
	// (live observer in zone Z, live peer in any zone) pairs whose view is
	// wrong, at Time; in [0, 1], 0 for a zone with no live node. Nil for a
	// fleet without zones (or a model that does not measure it).
	WrongViewFractionByZone []float64
	// MeanUtilization is the fleet-mean fraction of processing capacity in use over the interval, in [0, 1].
	MeanUtilization float64
	// MaxUtilization is the largest single-node fraction of processing capacity in use over the interval, in [0, 1].
	MaxUtilization float64
	// QueueDropsPerSecond is the number of messages dropped at full receive queues per simulated second over the interval.
	QueueDropsPerSecond float64
	// LiveNodes is the number of nodes up at Time.
	LiveNodes int
	// Resetting reports whether a state reset (mitigation a) was in progress at Time.
	Resetting bool
	// FalseFailures is the cumulative number of failure declarations about live peers up to Time.
	FalseFailures int64
	// CorruptionsAccepted is the cumulative number of corrupted messages accepted up to Time.
	CorruptionsAccepted int64
}

// State is the part of a time-series row that only the model knows: the
// fleet at the row's time and, for a model that charges processing time,
// the node load over the interval.
type State struct {
	// WrongViewFraction is the share of (live observer, live peer) pairs whose view is wrong, in [0, 1].
	WrongViewFraction float64
	// WrongViewFractionByZone is the same share per observer zone (see
	// Sample); nil without zones.
	WrongViewFractionByZone []float64
	// LiveNodes is the number of nodes up.
	LiveNodes int
	// Resetting reports whether a state reset (mitigation a) is in progress.
	Resetting bool
	// Load is the node load over the interval; zero for a model without processing cost.
	Load Load
}

// Sampler builds a run's time series from the run's cumulative Counters:
// each row holds the counters' growth over the interval since the previous
// row, in units per simulated second, and the State the model reports.
// Every model samples through one, so a column means the same in all of
// them; a counter a model never increments (failure notices in a protocol
// that sends none) gives a rate of 0. The zero Sampler measures from
// engine time 0.
type Sampler struct {
	origin  sim.Time // engine time that is time 0 of the measured run
	lastAt  sim.Time // engine time of the previous row; origin before the first
	last    Counters // the counters at the previous row
	samples []Sample
}

// NewSampler returns a sampler whose measured run starts at engine time
// origin (after a warm-up): rows are timed from it, and the first interval
// starts there, when the counters must be zero.
func NewSampler(origin sim.Time) Sampler {
	return Sampler{origin: origin, lastAt: origin}
}

// Take appends the row for the interval from the previous row (or the
// origin) to engine time now, given the counters c at now and the model's
// state. An empty interval (now not after the previous row) adds nothing.
func (s *Sampler) Take(now sim.Time, c Counters, st State) {
	dt := (now - s.lastAt).Seconds()
	if dt <= 0 {
		return
	}
	p := s.last
	s.samples = append(s.samples, Sample{
		Time:                         (now - s.origin).Seconds(),
		MessagesPerSecond:            float64(c.MessagesSent-p.MessagesSent) / dt,
		BytesPerSecond:               float64(c.BytesSent-p.BytesSent) / dt,
		FailureMessagesPerSecond:     float64(c.FailureMessagesSent-p.FailureMessagesSent) / dt,
		BusiestNodeMessagesPerSecond: float64(st.Load.BusiestNodeMessages) / dt,
		WrongViewFraction:            st.WrongViewFraction,
		WrongViewFractionByZone:      st.WrongViewFractionByZone,
		MeanUtilization:              st.Load.MeanUtilization,
		MaxUtilization:               st.Load.MaxUtilization,
		QueueDropsPerSecond:          float64(c.QueueDrops-p.QueueDrops) / dt,
		LiveNodes:                    st.LiveNodes,
		Resetting:                    st.Resetting,
		FalseFailures:                c.FalseFailures,
		CorruptionsAccepted:          c.CorruptionsAccepted,
	})
	s.last, s.lastAt = c, now
}

// Samples returns the rows taken so far.
func (s *Sampler) Samples() []Sample { return s.samples }

// Equal reports whether s and o are the same row: every field equal (as ==
// compares numbers), WrongViewFractionByZone element by element (nil and
// empty differ). A Sample is not comparable with == because of that slice.
func (s Sample) Equal(o Sample) bool { return reflect.DeepEqual(s, o) }
