package s3gossip

import (
	"context"
	"reflect"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// NewWithContext gives up building the fleet (nodes² view entries, seconds
// at 10,000 nodes) as soon as its context is done, and builds the same model
// as New otherwise.
func TestNewWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := DefaultConfig()
	c.Nodes = 3000
	if m, err := NewWithContext(ctx, c, 1, sim.Second); err != context.Canceled || m != nil {
		t.Fatalf("with a cancelled context: %v, %v; want nil, context.Canceled", m, err)
	}
	a, err := NewWithContext(context.Background(), smallConfig(), 7, sim.Second)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New(smallConfig(), 7, sim.Second)
	a.Advance(60 * sim.Second)
	b.Advance(60 * sim.Second)
	if a.Events() != b.Events() || !reflect.DeepEqual(a.Summary(), b.Summary()) {
		t.Errorf("NewWithContext and New differ: %d and %d events", a.Events(), b.Events())
	}
}
