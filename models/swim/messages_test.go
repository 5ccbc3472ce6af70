package swim

import (
	"testing"

	"github.com/gossipsim/gossipsim/models/wire"
)

// TestWireKinds: SWIM's message kinds keep the byte values their runs have
// always sent (renumbering them changes every SWIM result), are distinct,
// and are kinds the wire decoder accepts.
func TestWireKinds(t *testing.T) {
	tests := []struct {
		name string
		kind wire.Kind
		want byte
	}{
		{"gossip", kindGossip, 1},
		{"ping", kindPing, 2},
		{"ping-req", kindPingReq, 3},
		{"ack", kindAck, 4},
		{"nack", kindNack, 5},
	}
	seen := map[wire.Kind]string{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if byte(tc.kind) != tc.want {
				t.Errorf("kind byte = %d, want %d", tc.kind, tc.want)
			}
			if !tc.kind.Valid() {
				t.Errorf("kind %d is not one the wire decoder accepts", tc.kind)
			}
			if other, dup := seen[tc.kind]; dup {
				t.Errorf("kind %d is also %s", tc.kind, other)
			}
			seen[tc.kind] = tc.name
		})
	}
}
