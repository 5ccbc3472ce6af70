package heartbeat

import "github.com/gossipsim/gossipsim/models/trace"

// traceNode records, for the run's trace (protocol.Common.Trace), a crash
// or restart of a member (subject -1), or observer node declaring member
// subject failed (false: it was up). The message path (package transport)
// records the messages; members' list entries are not traced.
func (r *run) traceNode(k trace.Kind, node, subject int, false_ bool) {
	tr := r.cm.Trace
	now := r.eng.Now() - r.w // the run's time, after the warm-up
	if !tr.Wants(k, now) {
		return
	}
	r.tev = trace.Event{Time: now, Kind: k, Node: int32(node), Peer: -1, Subject: int32(subject), False: false_}
	tr.Record(&r.tev)
}
