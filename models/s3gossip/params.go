package s3gossip

import (
	"slices"

	"github.com/gossipsim/gossipsim/models/param"
	"github.com/gossipsim/gossipsim/sim"
)

// paramRows are the model's parameters, one row each, in the order help
// shows them. They are top-level run parameters (--fanout, --mode, ...);
// experiments places them among the fleet's in its table.
var paramRows = []param.Param[Params]{
	param.Enum("mode", "gossip mode: digest (digest+delta push-pull) or full (push the whole view)", func(p *Params) *Mode { return &p.Mode }, modeNames, modes).
		WithAliases(map[string]string{"digest+delta": "digest", "delta": "digest", "full-view": "full"}),
	param.Field("gossip-interval", "time between a node's gossip rounds; its heartbeat goes up by one per round", param.SimTimeText, func(p *Params) *sim.Time { return &p.GossipInterval }),
	param.Field("fanout", "peers gossiped with per round, 1 to nodes-1", param.IntText, func(p *Params) *int { return &p.Fanout }),
	param.Field("in-zone-share", "probability that each peer picked (gossip and failure notices) comes from the node's own zone, 0 to 1 (needs topology; 0 = uniform)", param.FloatText, func(p *Params) *float64 { return &p.InZoneShare }),
	param.Field("fail-timeout", "time without a newer version before an observer declares a peer failed (with detector suspect: suspects it)", param.SimTimeText, func(p *Params) *sim.Time { return &p.FailTimeout }),
	param.Enum("detector", "failure detector: timeout (declare failed after fail-timeout), suspect (suspect after fail-timeout, failed after suspect-timeout unless a newer version refutes it) or phi (φ-accrual, as Cassandra)", func(p *Params) *Detector { return &p.Detector }, detectorNames, detectors),
	param.Field("suspect-timeout", "(detector suspect) time a suspicion lasts, unless a newer version refutes it, before the peer is declared failed", param.SimTimeText, func(p *Params) *sim.Time { return &p.SuspectTimeout }),
	param.Field("phi-threshold", "(detector phi) declare a peer failed when φ exceeds this, as Cassandra's phi_convict_threshold", param.FloatText, func(p *Params) *float64 { return &p.PhiThreshold }),
	param.Field("phi-window", "(detector phi) interarrival times kept per observed peer, 1 to 100 (2 bytes each per pair)", param.IntText, func(p *Params) *int { return &p.PhiWindow }),
	param.Field("failure-fanout", "peers each failure notice goes to per round (0 = no failure gossip)", param.IntText, func(p *Params) *int { return &p.FailureFanout }),
	param.Field("failure-gossip-rounds", "rounds a node keeps gossiping one failure (0 = for as long as it believes it, as in 2008)", param.IntText, func(p *Params) *int { return &p.FailureGossipRounds }),
	param.Field("per-message-cost", "receiver processing time per message", param.SimTimeText, func(p *Params) *sim.Time { return &p.PerMessageCost }),
	param.Field("per-send-cost", "sender processing time per message sent", param.SimTimeText, func(p *Params) *sim.Time { return &p.PerSendCost }),
	param.Field("per-entry-cost", "receiver processing time per membership entry carried", param.SimTimeText, func(p *Params) *sim.Time { return &p.PerEntryCost }),
	param.Field("queue-limit", "messages a node can hold waiting; more are dropped", param.IntText, func(p *Params) *int { return &p.QueueLimit }),
	param.Field("failure-retransmit-mult", "(b) gossip each failure for MULT × ceil(log10(nodes+1)) rounds, as SWIM/memberlist (0 = off)", param.IntText, func(p *Params) *int { return &p.FailureRetransmitMult }),
	param.Field("failure-rate-limit", "(b) most failure notices a node sends per round, newest first (0 = no limit)", param.IntText, func(p *Params) *int { return &p.FailureRateLimit }),
	param.Field("omit-failed-after", "(b) leave entries failed for longer than this out of gossip (0 = never)", param.SimTimeText, func(p *Params) *sim.Time { return &p.OmitFailedAfter }),
	param.Field("monitor", "(c) watch the fleet's gossip message rate and raise alarms", param.BoolText, func(p *Params) *bool { return &p.Monitor.Enabled }),
	param.Field("monitor-window", "(c) monitor measurement window", param.SimTimeText, func(p *Params) *sim.Time { return &p.Monitor.Window }),
	param.Field("monitor-baseline", "(c) steady-state period at the start over which the normal rate is learned", param.SimTimeText, func(p *Params) *sim.Time { return &p.Monitor.Baseline }),
	param.Field("monitor-threshold", "(c) alarm when a window's rate exceeds this multiple of the baseline, > 1", param.FloatText, func(p *Params) *float64 { return &p.Monitor.Threshold }),
	param.Enum("reset", "(a) state reset procedure: none, 2008 (stop, clear, one slow restore) or fast (parallel restore)", func(p *Params) *ResetProcedure { return &p.Reset.Procedure }, resetNames, resets),
	param.Enum("reset-on", "(a) what starts the reset: time (an operator at --reset-at) or alarm (the monitor, c)", func(p *Params) *bool { return &p.Reset.OnAlarm }, []string{"time", "alarm"}, []bool{false, true}),
	param.Field("reset-at", "(a) operator's decision time, with --reset-on time", param.SimTimeText, func(p *Params) *sim.Time { return &p.Reset.At }),
	param.Field("reset-stop", "(a) time from the decision until communication is stopped and state cleared", param.SimTimeText, func(p *Params) *sim.Time { return &p.Reset.Stop }),
	param.Field("reset-restore", "(a) restore step of the 2008 procedure, after which gossip restarts", param.SimTimeText, func(p *Params) *sim.Time { return &p.Reset.Restore }),
	param.Field("reset-fast-restore", "(a) restore step of the fast procedure", param.SimTimeText, func(p *Params) *sim.Time { return &p.Reset.FastRestore }),
	param.Field("crash-rate", "node crashes per node per simulated hour", param.FloatText, func(p *Params) *float64 { return &p.CrashRate }),
	param.Field("down-time", "how long a crashed node stays down before restarting with a new generation", param.SimTimeText, func(p *Params) *sim.Time { return &p.DownTime }),
}

// The values of the name parameters, in the order errors list them.
var (
	modes      = []Mode{ModeDigest, ModeFull}
	modeNames  = []string{"digest", "full"}
	resets     = []ResetProcedure{ResetNone, Reset2008, ResetFast}
	resetNames = []string{ResetNone.String(), Reset2008.String(), ResetFast.String()}
)

// ParamRows returns the model's parameter rows, in the order help shows
// them (a copy).
func ParamRows() []param.Param[Params] { return slices.Clone(paramRows) }
