package metrics

import (
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// TestSampler: each row's rates are the counters' growth over its own
// interval (the first from the origin), rows are timed from the origin, an
// empty interval adds no row, and the state is copied as reported.
func TestSampler(t *testing.T) {
	type take struct {
		at sim.Time
		c  Counters
		st State
	}
	tests := []struct {
		name   string
		origin sim.Time
		takes  []take
		want   []Sample
	}{
		{
			name: "rates per interval, not cumulative",
			takes: []take{
				{2 * sim.Second, Counters{MessagesSent: 10, BytesSent: 1000, FailureMessagesSent: 4, QueueDrops: 2}, State{LiveNodes: 4}},
				{4 * sim.Second, Counters{MessagesSent: 40, BytesSent: 4000, FailureMessagesSent: 4, QueueDrops: 8}, State{LiveNodes: 3}},
			},
			want: []Sample{
				{Time: 2, MessagesPerSecond: 5, BytesPerSecond: 500, FailureMessagesPerSecond: 2, QueueDropsPerSecond: 1, LiveNodes: 4},
				{Time: 4, MessagesPerSecond: 15, BytesPerSecond: 1500, FailureMessagesPerSecond: 0, QueueDropsPerSecond: 3, LiveNodes: 3},
			},
		},
		{
			name:   "timed from the end of a warm-up",
			origin: 30 * sim.Second,
			takes: []take{
				{31 * sim.Second, Counters{MessagesSent: 7}, State{}},
				{33 * sim.Second, Counters{MessagesSent: 9}, State{}},
			},
			want: []Sample{
				{Time: 1, MessagesPerSecond: 7},
				{Time: 3, MessagesPerSecond: 1},
			},
		},
		{
			name: "an empty interval adds no row and keeps the previous counters",
			takes: []take{
				{sim.Second, Counters{MessagesSent: 3}, State{}},
				{sim.Second, Counters{MessagesSent: 100}, State{}},
				{1500 * sim.Millisecond, Counters{MessagesSent: 5}, State{}},
			},
			want: []Sample{
				{Time: 1, MessagesPerSecond: 3},
				{Time: 1.5, MessagesPerSecond: 4},
			},
		},
		{
			name: "state and cumulative counts copied as reported",
			takes: []take{
				{sim.Second, Counters{FalseFailures: 2, CorruptionsAccepted: 1}, State{
					WrongViewFraction: 0.25, LiveNodes: 9, Resetting: true,
					Load: Load{BusiestNodeMessages: 6, MeanUtilization: 0.1, MaxUtilization: 0.7},
				}},
			},
			want: []Sample{{
				Time: 1, WrongViewFraction: 0.25, LiveNodes: 9, Resetting: true,
				BusiestNodeMessagesPerSecond: 6, MeanUtilization: 0.1, MaxUtilization: 0.7,
				FalseFailures: 2, CorruptionsAccepted: 1,
			}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSampler(tc.origin)
			for _, tk := range tc.takes {
				s.Take(tk.at, tk.c, tk.st)
			}
			got := s.Samples()
			if len(got) != len(tc.want) {
				t.Fatalf("%d rows, want %d: %+v", len(got), len(tc.want), got)
			}
			for i := range got {
				if !got[i].Equal(tc.want[i]) {
					t.Errorf("row %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}
