package metrics

// Summary is the end-of-run record of one run: every field is a pure
// function of (scenario, seed). Times are simulated seconds. Pointer fields are
// null in JSON when the quantity does not exist in this run (no trigger, no
// crash detected, not recovered).
type Summary struct {
	// DurationSeconds is the simulated horizon, in seconds.
	DurationSeconds float64 `json:"duration_s"`
	// MessagesSent is the number of messages sent by every node, in messages.
	MessagesSent int64 `json:"messages_sent"`
	// BytesSent is the number of encoded bytes sent, in bytes.
	BytesSent int64 `json:"bytes_sent"`
	// FailureMessagesSent is the number of failure notices among MessagesSent.
	FailureMessagesSent int64 `json:"failure_messages_sent"`
	// MessagesPerNodePerSecond is MessagesSent per node (live at the end) per simulated second.
	MessagesPerNodePerSecond float64 `json:"messages_per_node_per_second"`
	// MessagesLost is the number of messages the network lost.
	MessagesLost int64 `json:"messages_lost"`
	// MessagesToDownNodes is the number of messages that arrived at a crashed node.
	MessagesToDownNodes int64 `json:"messages_to_down_nodes"`
	// QueueDrops is the number of messages dropped at full receive queues.
	QueueDrops int64 `json:"queue_drops"`
	// MessagesProcessed is the number of messages receivers handled.
	MessagesProcessed int64 `json:"messages_processed"`
	// CorruptionsInjected is the number of messages whose bytes were corrupted on the path.
	CorruptionsInjected int64 `json:"corruptions_injected"`
	// CorruptionsRejected is the number of corrupted messages a checksum rejected.
	CorruptionsRejected int64 `json:"corruptions_rejected"`
	// CorruptionsUndecodable is the number of corrupted messages dropped as undecodable.
	CorruptionsUndecodable int64 `json:"corruptions_undecodable"`
	// CorruptionsAccepted is the number of corrupted messages accepted and acted on.
	CorruptionsAccepted int64 `json:"corruptions_accepted"`
	// CorruptionsLost is the number of corrupted messages that never reached a decoder.
	CorruptionsLost int64 `json:"corruptions_lost"`
	// RejectedFullView .. RejectedFailureNotice split CorruptionsRejected by the kind of message the sender sent.
	RejectedFullView      int64 `json:"corruptions_rejected_full_view"`
	RejectedDigest        int64 `json:"corruptions_rejected_digest"`
	RejectedDigestReply   int64 `json:"corruptions_rejected_digest_reply"`
	RejectedDelta         int64 `json:"corruptions_rejected_delta"`
	RejectedFailureNotice int64 `json:"corruptions_rejected_failure_notice"`
	// Alarms is the number of alarms the monitor (mitigation c) raised.
	Alarms int64 `json:"alarms"`
	// FalseAlarms is the number of alarms raised before any corrupted message was accepted.
	FalseAlarms int64 `json:"false_alarms"`
	// AlarmTimeSeconds is when the first alarm after the trigger was raised, or null.
	AlarmTimeSeconds *float64 `json:"alarm_time_s"`
	// TimeToAlarmSeconds is the time from the trigger to that alarm, or null.
	TimeToAlarmSeconds *float64 `json:"time_to_alarm_s"`
	// Resets is the number of state resets (mitigation a) started.
	Resets int64 `json:"resets"`
	// ResetStartedSeconds is when the first reset was decided, or null.
	ResetStartedSeconds *float64 `json:"reset_started_s"`
	// ResetRestoredSeconds is when the first reset's restore finished and gossip restarted, or null.
	ResetRestoredSeconds *float64 `json:"reset_restored_s"`
	// TriggerTimeSeconds is when the first corrupted message was accepted (the trigger), or null.
	TriggerTimeSeconds *float64 `json:"trigger_time_s"`
	// RoundsSkipped is the number of gossip rounds swamped nodes skipped.
	RoundsSkipped int64 `json:"rounds_skipped"`
	// FailureDeclarations is the number of failure declarations made by observers' own timeouts.
	FailureDeclarations int64 `json:"failure_declarations"`
	// FalseFailures is the number of FailureDeclarations about peers that were up.
	FalseFailures int64 `json:"false_failures"`
	// FalseBeliefMeanSeconds is the mean length of an episode in which an observer believed a live peer failed (episodes that ended), or null.
	FalseBeliefMeanSeconds *float64 `json:"false_belief_mean_s"`
	// FalseBeliefMaxSeconds is the longest such episode, or null.
	FalseBeliefMaxSeconds *float64 `json:"false_belief_max_s"`
	// Crashes is the number of node crashes injected.
	Crashes int64 `json:"crashes"`
	// Recoveries is the number of crashed nodes that came back.
	Recoveries int64 `json:"recoveries"`
	// CrashesDetected is the number of crashes some live observer declared before the node came back.
	CrashesDetected int `json:"crashes_detected"`
	// CrashesFullyDetected is the number of crashes every live observer learned of before the node came back.
	CrashesFullyDetected int `json:"crashes_fully_detected"`
	// DetectionTimeMeanSeconds is the mean time from a crash to the first observer declaring it, or null.
	DetectionTimeMeanSeconds *float64 `json:"detection_time_mean_s"`
	// DetectionTimeMaxSeconds is the longest such time, or null.
	DetectionTimeMaxSeconds *float64 `json:"detection_time_max_s"`
	// FullDetectionTimeMeanSeconds is the mean time from a crash to every live observer believing it failed, or null.
	FullDetectionTimeMeanSeconds *float64 `json:"full_detection_time_mean_s"`
	// FullDetectionTimeMaxSeconds is the longest such time, or null.
	FullDetectionTimeMaxSeconds *float64 `json:"full_detection_time_max_s"`
	// PeakWrongViewFraction is the largest wrong-view fraction seen at any instant, in [0, 1].
	PeakWrongViewFraction float64 `json:"peak_wrong_view_fraction"`
	// FinalWrongViewFraction is the wrong-view fraction at the horizon, in [0, 1].
	FinalWrongViewFraction float64 `json:"final_wrong_view_fraction"`
	// Recovered reports whether, after a trigger that made some view wrong (or was followed by a reset), the
	// wrong-view fraction returned to 0 and stayed there, with no reset in progress, for the settle time before the horizon.
	// A triggered run is exactly one of recovered, harmless and censored (neither).
	Recovered bool `json:"recovered"`
	// Harmless reports whether, after a trigger, no view was wrong at any instant up to the horizon and no
	// reset was in progress: the accepted corruptions changed nothing the fleet believed. A harmless run is
	// not recovered and has no recovery time. Always false for models that do not track wrong views (the
	// classic protocols) and for runs without a trigger.
	Harmless bool `json:"harmless"`
	// RecoveryTimeSeconds is the time from the trigger to the wrong-view fraction's final return to 0; null when not recovered (harmless or censored) or never triggered.
	RecoveryTimeSeconds *float64 `json:"recovery_time_s"`
	// PeakMessagesPerSecond is the largest fleet-wide sampled message rate, in messages per simulated second.
	PeakMessagesPerSecond float64 `json:"peak_messages_per_second"`
	// PeakBytesPerSecond is the largest fleet-wide sampled byte rate, in bytes per simulated second.
	PeakBytesPerSecond float64 `json:"peak_bytes_per_second"`
	// PeakBusiestNodeMessagesPerSecond is the largest sampled receive rate of a single node, in messages per simulated second.
	PeakBusiestNodeMessagesPerSecond float64 `json:"peak_busiest_node_messages_per_second"`
	// MeanUtilization is the time-mean of the fleet-mean busy fraction, in [0, 1].
	MeanUtilization float64 `json:"mean_utilization"`
	// PeakUtilization is the largest sampled single-node busy fraction, in [0, 1].
	PeakUtilization float64 `json:"peak_utilization"`
	// FaultSummary is what a topology and a fault schedule add, after
	// every other field (so existing columns keep their places). Summarize
	// always sets it; a record keeps it only for a run whose scenario has a
	// topology or a fault schedule (record:"faults", see package
	// experiments), so results without either keep their bytes: a nil
	// embedded pointer writes no JSON fields.
	*FaultSummary `record:"faults"`
}

// FaultSummary is the part of a Summary about the fault schedule and the
// topology. Times are simulated seconds from the run's start.
type FaultSummary struct {
	// MessagesPartitioned is the number of messages a scheduled partition
	// blocked (also in MessagesSent).
	MessagesPartitioned int64 `json:"messages_partitioned"`
	// HealTimeSeconds is when the schedule's last partition or crash window
	// ended (the heal), or null: no partition or crash window, one that never
	// ends, or a heal after the horizon.
	HealTimeSeconds *float64 `json:"heal_time_s"`
	// ConvergenceAfterHealSeconds is the time from the heal until every view
	// was right for good: the exact wrong-pair count back to 0 (no reset in
	// progress) and staying 0 to the horizon, for at least the settle time
	// recovery uses; 0 when no view was wrong at the heal. Null when there
	// is no heal or the fleet did not converge by the horizon (censored).
	ConvergenceAfterHealSeconds *float64 `json:"convergence_after_heal_s"`
	// FalseFailuresSameZone is the number of FalseFailures whose observer
	// and peer are in the same zone; null for a fleet without zones.
	FalseFailuresSameZone *int64 `json:"false_failures_same_zone"`
	// FalseFailuresCrossZone is the number of FalseFailures whose observer
	// and peer are in different zones; null for a fleet without zones.
	FalseFailuresCrossZone *int64 `json:"false_failures_cross_zone"`
}
