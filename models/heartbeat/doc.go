// Package heartbeat is the gossip-style failure detector of van Renesse,
// Minsky and Hayden, "A Gossip-Style Failure Detection Service" (Middleware
// 1998), as a gossipsim protocol (--model heartbeat).
//
// # The protocol
//
// Every member keeps a list with one entry per member it knows: the member,
// the highest heartbeat counter it has heard of for it, and the local time at
// which that counter last increased. Every T_gossip each member
//
//  1. increments its own heartbeat counter;
//  2. reviews its list: a member whose counter has not increased for T_fail
//     is considered failed, and an entry whose counter has not increased for
//     T_cleanup is removed;
//  3. sends the live part of its list (failed entries are no longer
//     gossiped) to Fanout members chosen at random among those it holds
//     live.
//
// A receiver merges entry by entry, keeping the higher counter and resetting
// the entry's local time when the counter increases; an unknown member is
// added. No clocks are compared across members: only local times of local
// observations are used, so the detector needs no clock synchronisation.
//
// Why keep failed entries until T_cleanup? Other members may still hold the
// failed member's last counter and gossip it for a while. If the entry were
// dropped at T_fail, such a stale counter would look like a new member and
// resurrect it. Kept as failed, the stale counter is not newer and changes
// nothing. By T_cleanup (the paper suggests 2 × T_fail) every member has
// failed it too and stopped gossiping it, so removal is safe. A counter that
// really is newer revives a failed entry: the member was alive after all, and
// the failure was a mistake.
//
// # Choosing T_fail
//
// Detection takes T_fail plus the time the crashed member's last counter
// takes to reach an observer (about log2 n periods for push gossip) plus up
// to one period until the observer reviews its list. A mistake happens when an
// observer hears nothing newer about a live member for T_fail, for instance
// because it receives no message at all: each member receives Poisson(fanout)
// messages per period, so that probability falls like e^{-fanout·T_fail/T_gossip},
// and T_fail needs only to grow like log n to keep mistakes rare as the fleet
// grows. At n = 50 and fanout 1 the package tests measure, over 3 runs of
// 120 s, 91,490 false failures at T_fail = 3 T_gossip, 19,059 at 5, 122 at 10
// and none at 15.
//
// # In gossipsim
//
// Lists are sent as wire messages: a wire.KindFullView message with one entry
// per live list entry (Node, Generation = 0 or, after a scheduled restart,
// the member's, Heartbeat = counter, Status alive), sent through package transport with the run's checksum, possibly
// lost (Network.Loss), delayed (Network.Latency) and corrupted on the path
// (package corrupt: a corrupted message travels as its encoded bytes, which
// the receiver verifies and decodes with wire.Decode). A corrupted message
// that still decodes is believed: a counter flipped upwards is merged like any
// other, and the true counter can then not overtake it, which is how a single
// flipped bit makes a live member look failed (the Amazon S3 outage of 2008;
// see package s3gossip). Receivers ignore the Status byte.
//
// Each run starts from a cold fleet (every member knows every other one with
// counter 0) and lets it gossip for a warm-up of t-cleanup + t-fail before
// time 0 of the measured run, so that no cold-start mistake is counted. The
// members listed by crashes, drawn from the seed, crash at crash-at and never
// recover.
//
// A fault schedule (package faults), timed from time 0 of the measured run,
// acts on the model beyond the message path (which silences a down member
// for every model). A scheduled crash is a crash like the configured ones:
// the member stops gossiping and its detection is timed from the scheduled
// crash (a configured crash that draws a member already down leaves it as it
// is). A scheduled restart brings back a member the schedule took down (one
// the configured crashes took stays down) with a new generation (so that its
// counter, back at 0, is newer than anything held about it), its first
// gossip period at once and a list as at the start of a run: every member
// live, no counter heard, timeouts starting now. It is no observer of the crashes in force when it restarts. A skewed
// member (the schedule's skew, ClockRate) runs its gossip period, t-fail and
// t-cleanup at its clock's rate: each is interval / rate of real time (the
// rate read when the period is set or the list reviewed); during the
// warm-up every clock is true.
//
// Summary fields, in order:
//
//   - detection_time_s: mean, over (live observer, crashed member) pairs, of
//     the time from the crash to the observer first considering the member
//     failed (0 if it already did at the crash); pairs still undetected at
//     the horizon are left out; NaN if no pair was detected.
//   - detection_time_max_s: the largest of those times.
//   - false_failures: the number of times a live observer considered a live
//     member failed.
//   - false_failure_rate: false_failures per (live observer, live member)
//     pair per second of the run.
//   - messages_per_member_per_second: messages sent, per member (all n), per
//     second.
//
// Counters report messages, loss, corruption outcomes, failure declarations
// (FailureDeclarations, FalseFailures) and crashes; Samples report rates, the
// share of live pairs whose entry is not live, and cumulative false failures.
package heartbeat
