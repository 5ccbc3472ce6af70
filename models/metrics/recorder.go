package metrics

import (
	"math"

	"github.com/gossipsim/gossipsim/sim"
)

// Counters are the run's cumulative event counts. A model increments the
// fields directly as things happen; they are plain integers so that the hot
// path pays one add per count.
type Counters struct {
	// MessagesSent counts messages handed to the network, in messages.
	MessagesSent int64
	// BytesSent counts the encoded bytes of MessagesSent, in bytes.
	BytesSent int64
	// FailureMessagesSent counts the failure notices among MessagesSent, in messages.
	FailureMessagesSent int64
	// MessagesLost counts messages the network lost, in messages.
	MessagesLost int64
	// MessagesToDownNodes counts messages that arrived at a crashed node, in messages.
	MessagesToDownNodes int64
	// MessagesPartitioned counts messages a partition of the fault schedule
	// blocked (package faults), in messages; also in MessagesSent.
	MessagesPartitioned int64
	// QueueDrops counts messages dropped because the receiver's queue was full, in messages.
	QueueDrops int64
	// MessagesProcessed counts messages a receiver took off its queue and handled, in messages.
	MessagesProcessed int64
	// CorruptionsInjected counts messages whose bytes had bits flipped on the path, in messages.
	CorruptionsInjected int64
	// CorruptionsRejected counts corrupted messages a checksum caught, in messages.
	CorruptionsRejected int64
	// CorruptionsUndecodable counts corrupted messages dropped because they no longer decoded (or named nodes outside the fleet), in messages.
	CorruptionsUndecodable int64
	// CorruptionsAccepted counts corrupted messages that decoded and were acted on, in messages.
	CorruptionsAccepted int64
	// CorruptionsLost counts corrupted messages that never reached a decoder (lost, queue-dropped or sent to a crashed node), in messages.
	CorruptionsLost int64
	// RoundsSkipped counts gossip rounds a swamped node skipped (its heartbeat did not go up).
	RoundsSkipped int64
	// FailureDeclarations counts times an observer's own timeout declared a peer failed.
	FailureDeclarations int64
	// FalseFailures counts FailureDeclarations about a peer that was in fact up.
	FalseFailures int64
	// FalseFailuresSameZone and FalseFailuresCrossZone split FalseFailures by
	// whether the observer and the peer are in the same zone of the
	// topology (see Recorder.FalseFailure); both 0 without zones.
	FalseFailuresSameZone, FalseFailuresCrossZone int64
	// RejectedByKind counts CorruptionsRejected by the message's kind (index = wire kind, 1-5).
	RejectedByKind [6]int64
	// Alarms counts alarms the monitor raised; FalseAlarms those raised before any accepted corruption.
	Alarms, FalseAlarms int64
	// Resets counts state resets started.
	Resets int64
	// Crashes counts node crashes.
	Crashes int64
	// Recoveries counts crashed nodes that came back.
	Recoveries int64
}

// Recorder keeps everything measured in one run: the counters, the
// wrong-view fraction (maintained incrementally from the changes the model
// reports), recovery, detection times and the sampled time series.
type Recorder struct {
	Counters

	wrongPairs int64 // (live observer, live peer) pairs whose view is wrong
	liveNodes  int64
	peakWrong  float64

	triggered    bool
	triggerAt    sim.Time
	lastZeroAt   sim.Time // last time wrongPairs fell to 0 after the trigger
	zeroSinceTrg bool     // wrongPairs is 0 now and has been since lastZeroAt
	harmed       bool     // at some instant since the trigger a pair was wrong or a reset was in progress

	alarmsFirstDetection []float64 // seconds from crash to first observer declaring it failed
	fullDetection        []float64 // seconds from crash to every live observer believing it failed

	falseEpisodes     int64
	falseDurationSum  sim.Time
	falseDurationPeak sim.Time

	resetting     bool
	alarmAt       sim.Time // first alarm after the trigger
	alarmed       bool
	resetStarted  sim.Time
	resetRestored sim.Time
	resetDone     bool

	series Sampler

	converge convergence
	zones    int // zones the false failures are split by (FalseFailure); 0: not split
}

// NewRecorder returns a recorder for a fleet whose live node count starts at live.
func NewRecorder(live int) *Recorder {
	return &Recorder{liveNodes: int64(live), converge: convergence{zeroNow: true}}
}

// WrongViewFraction is the current share of (live observer, live peer) pairs
// whose view is wrong, in [0, 1].
func (r *Recorder) WrongViewFraction() float64 {
	pairs := r.liveNodes * (r.liveNodes - 1)
	if pairs <= 0 {
		return 0
	}
	return float64(r.wrongPairs) / float64(pairs)
}

// WrongPairs is the current number of wrong (live observer, live peer) pairs.
func (r *Recorder) WrongPairs() int64 { return r.wrongPairs }

// AddWrong adds delta (positive or negative) to the number of wrong pairs at
// time now. The model calls it whenever a pair's wrongness changes.
func (r *Recorder) AddWrong(now sim.Time, delta int64) {
	if delta == 0 {
		return
	}
	r.wrongPairs += delta
	if r.wrongPairs < 0 {
		panic("metrics: wrong-view pair count went negative")
	}
	if f := r.WrongViewFraction(); f > r.peakWrong {
		r.peakWrong = f
	}
	r.converge.note(now, r.wrongPairs == 0 && !r.resetting)
	if !r.triggered {
		return
	}
	if r.wrongPairs > 0 {
		r.harmed = true
	}
	if r.wrongPairs == 0 && !r.resetting {
		if !r.zeroSinceTrg {
			r.zeroSinceTrg = true
			r.lastZeroAt = now
		}
	} else {
		r.zeroSinceTrg = false
	}
}

// Alarm records an alarm raised at now.
func (r *Recorder) Alarm(now sim.Time) {
	r.Alarms++
	switch {
	case !r.triggered:
		r.FalseAlarms++
	case !r.alarmed:
		r.alarmed = true
		r.alarmAt = now
	}
}

// SetResetting records that a state reset started (true) or that the fleet
// was restored and gossips again (false). A fleet being reset has not
// recovered, whatever its views say.
func (r *Recorder) SetResetting(now sim.Time, on bool) {
	r.resetting = on
	if on {
		r.Resets++
		if r.Resets == 1 {
			r.resetStarted = now
		}
		if r.triggered {
			r.harmed = true
		}
		r.zeroSinceTrg = false
		r.converge.note(now, false)
		return
	}
	r.converge.note(now, r.wrongPairs == 0)
	if !r.resetDone {
		r.resetDone = true
		r.resetRestored = now
	}
	if r.triggered && r.wrongPairs == 0 {
		r.zeroSinceTrg = true
		r.lastZeroAt = now
	}
}

// Resetting reports whether a reset is in progress.
func (r *Recorder) Resetting() bool { return r.resetting }

// SetLive records the number of live nodes after a crash or a recovery.
func (r *Recorder) SetLive(now sim.Time, live int) {
	r.liveNodes = int64(live)
	if f := r.WrongViewFraction(); f > r.peakWrong {
		r.peakWrong = f
	}
}

// Live is the number of live nodes.
func (r *Recorder) Live() int { return int(r.liveNodes) }

// Trigger records an accepted corruption at now; the first one starts the
// recovery clock.
func (r *Recorder) Trigger(now sim.Time) {
	r.CorruptionsAccepted++
	r.MarkTriggered(now)
}

// MarkTriggered is Trigger for an accepted corruption already counted in
// CorruptionsAccepted (by transport.Transport.Receive): the first one starts
// the recovery clock.
func (r *Recorder) MarkTriggered(now sim.Time) {
	if r.triggered {
		return
	}
	r.triggered = true
	r.triggerAt = now
	r.zeroSinceTrg = r.wrongPairs == 0
	r.lastZeroAt = now
	r.harmed = r.wrongPairs > 0 || r.resetting
}

// Harmless reports whether a corruption has been accepted and, from the
// first one until now, no (live observer, live peer) view was wrong at any
// instant and no reset was in progress. It is exact: every change of the
// wrong-pair count passes through AddWrong, which notes any rise above 0,
// including one undone at the same simulated instant.
func (r *Recorder) Harmless() bool { return r.triggered && !r.harmed }

// Triggered reports whether a corruption has been accepted, and when the first was.
func (r *Recorder) Triggered() (sim.Time, bool) { return r.triggerAt, r.triggered }

// FirstDetection records that the first live observer declared a crashed
// node failed, after the given time since its crash.
func (r *Recorder) FirstDetection(sinceCrash sim.Time) {
	r.alarmsFirstDetection = append(r.alarmsFirstDetection, sinceCrash.Seconds())
}

// FullDetection records that every live observer believes a crashed node
// failed, after the given time since its crash.
func (r *Recorder) FullDetection(sinceCrash sim.Time) {
	r.fullDetection = append(r.fullDetection, sinceCrash.Seconds())
}

// FalseBeliefEnded records that an observer stopped believing a live peer
// failed, after holding that wrong belief for d.
func (r *Recorder) FalseBeliefEnded(d sim.Time) {
	r.falseEpisodes++
	r.falseDurationSum += d
	r.falseDurationPeak = max(r.falseDurationPeak, d)
}

// Load is the node-load part of a sample, which only the model can compute.
type Load struct {
	// BusiestNodeMessages is the largest number of messages one node received over the interval.
	BusiestNodeMessages int64
	// MeanUtilization is the fleet-mean busy fraction over the interval, in [0, 1].
	MeanUtilization float64
	// MaxUtilization is the largest single-node busy fraction over the interval, in [0, 1].
	MaxUtilization float64
}

// Sample appends one time-series row for the interval that ends at now.
func (r *Recorder) Sample(now sim.Time, load Load) { r.SampleZones(now, load, nil) }

// SampleZones is Sample with the wrong-view fraction of each zone's
// observers (State.WrongViewFractionByZone; nil: a fleet without zones).
func (r *Recorder) SampleZones(now sim.Time, load Load, byZone []float64) {
	r.series.Take(now, r.Counters, State{
		WrongViewFraction:       r.WrongViewFraction(),
		WrongViewFractionByZone: byZone,
		LiveNodes:               int(r.liveNodes),
		Resetting:               r.resetting,
		Load:                    load,
	})
}

// Samples returns the time series recorded so far.
func (r *Recorder) Samples() []Sample { return r.series.Samples() }

// Summarize builds the end-of-run summary at the horizon end. A triggered run
// is exactly one of three: harmless (see Harmless: no view was ever wrong
// after the trigger, so there was nothing to recover from), recovered (the
// wrong-view fraction returned to 0 and stayed there, with no reset in
// progress, for at least settle before the horizon) or censored (neither).
// Only a recovered run has a recovery time.
func (r *Recorder) Summarize(end, settle sim.Time) Summary {
	c := r.Counters
	s := Summary{
		DurationSeconds:        end.Seconds(),
		MessagesSent:           c.MessagesSent,
		BytesSent:              c.BytesSent,
		FailureMessagesSent:    c.FailureMessagesSent,
		MessagesLost:           c.MessagesLost,
		MessagesToDownNodes:    c.MessagesToDownNodes,
		QueueDrops:             c.QueueDrops,
		MessagesProcessed:      c.MessagesProcessed,
		CorruptionsInjected:    c.CorruptionsInjected,
		CorruptionsRejected:    c.CorruptionsRejected,
		CorruptionsUndecodable: c.CorruptionsUndecodable,
		CorruptionsAccepted:    c.CorruptionsAccepted,
		CorruptionsLost:        c.CorruptionsLost,
		RejectedFullView:       c.RejectedByKind[1],
		RejectedDigest:         c.RejectedByKind[2],
		RejectedDigestReply:    c.RejectedByKind[3],
		RejectedDelta:          c.RejectedByKind[4],
		RejectedFailureNotice:  c.RejectedByKind[5],
		Alarms:                 c.Alarms,
		FalseAlarms:            c.FalseAlarms,
		Resets:                 c.Resets,
		RoundsSkipped:          c.RoundsSkipped,
		FailureDeclarations:    c.FailureDeclarations,
		FalseFailures:          c.FalseFailures,
		Crashes:                c.Crashes,
		Recoveries:             c.Recoveries,
		FaultSummary:           r.faultSummary(end, settle),
		PeakWrongViewFraction:  r.peakWrong,
		FinalWrongViewFraction: r.WrongViewFraction(),
		CrashesDetected:        len(r.alarmsFirstDetection),
		CrashesFullyDetected:   len(r.fullDetection),
	}
	if dur := end.Seconds(); dur > 0 {
		s.MessagesPerNodePerSecond = float64(c.MessagesSent) / dur / float64(max(1, r.liveNodes))
	}
	s.DetectionTimeMeanSeconds, s.DetectionTimeMaxSeconds = meanMax(r.alarmsFirstDetection)
	s.FullDetectionTimeMeanSeconds, s.FullDetectionTimeMaxSeconds = meanMax(r.fullDetection)
	if r.falseEpisodes > 0 {
		m := r.falseDurationSum.Seconds() / float64(r.falseEpisodes)
		p := r.falseDurationPeak.Seconds()
		s.FalseBeliefMeanSeconds, s.FalseBeliefMaxSeconds = &m, &p
	}
	samples := r.series.Samples()
	for _, x := range samples {
		s.PeakMessagesPerSecond = max(s.PeakMessagesPerSecond, x.MessagesPerSecond)
		s.PeakBytesPerSecond = max(s.PeakBytesPerSecond, x.BytesPerSecond)
		s.PeakBusiestNodeMessagesPerSecond = max(s.PeakBusiestNodeMessagesPerSecond, x.BusiestNodeMessagesPerSecond)
		s.PeakUtilization = max(s.PeakUtilization, x.MaxUtilization)
		s.MeanUtilization += x.MeanUtilization
	}
	if n := len(samples); n > 0 {
		s.MeanUtilization /= float64(n)
	}
	if r.alarmed {
		a, d := r.alarmAt.Seconds(), (r.alarmAt - r.triggerAt).Seconds()
		s.AlarmTimeSeconds, s.TimeToAlarmSeconds = &a, &d
	}
	if r.Resets > 0 {
		a := r.resetStarted.Seconds()
		s.ResetStartedSeconds = &a
		if r.resetDone {
			b := r.resetRestored.Seconds()
			s.ResetRestoredSeconds = &b
		}
	}
	if r.triggered {
		t := r.triggerAt.Seconds()
		s.TriggerTimeSeconds = &t
		if !r.harmed {
			s.Harmless = true
		} else if r.zeroSinceTrg && !r.resetting && end-r.lastZeroAt >= settle {
			rt := (r.lastZeroAt - r.triggerAt).Seconds()
			s.Recovered = true
			s.RecoveryTimeSeconds = &rt
		}
	}
	return s
}

func meanMax(xs []float64) (mean, peak *float64) {
	if len(xs) == 0 {
		return nil, nil
	}
	var sum, m float64
	m = math.Inf(-1)
	for _, x := range xs {
		sum += x
		m = max(m, x)
	}
	avg := sum / float64(len(xs))
	return &avg, &m
}
