package metrics

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
