package s3gossip

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/sim"
)

// smallCommon is a 40-node fleet for 60 simulated seconds, with corruption
// frequent enough to matter.
func smallCommon() protocol.Common {
	cfg := DefaultConfig()
	cfg.Nodes = 40
	cfg.Corruption.Probability = 1e-3
	return protocol.Common{Fleet: cfg.Fleet, Duration: 60 * sim.Second, SampleInterval: sim.Second}
}

// TestProtocolContract: the S3-style model is a protocol.Model like the
// classic protocols: its name, its parameter rows bound to it, validation
// of the fleet and its parameters, and Clone giving an independent copy.
func TestProtocolContract(t *testing.T) {
	p := NewProtocol()
	if p.Name() != "s3" || p.Description() == "" || len(p.FieldNames()) != 0 {
		t.Errorf("Name %q, Description %q, FieldNames %v", p.Name(), p.Description(), p.FieldNames())
	}
	rows := ParamRows()
	vals := p.Params()
	if len(vals) != len(rows) {
		t.Fatalf("%d values for %d rows", len(vals), len(rows))
	}
	for i, v := range vals {
		if v.Name != rows[i].Name || v.Usage == "" {
			t.Errorf("value %d is %q (usage %q), row %q", i, v.Name, v.Usage, rows[i].Name)
		}
	}
	q := p.Clone()
	if err := q.Params()[2].Set("3"); err != nil { // fanout
		t.Fatal(err)
	}
	if p.Parameters.Fanout != 1 || q.(*Protocol).Parameters.Fanout != 3 {
		t.Errorf("after setting the clone's fanout: original %d, clone %d", p.Parameters.Fanout, q.(*Protocol).Parameters.Fanout)
	}
	tests := []struct {
		name string
		edit func(*Protocol, *protocol.Common)
		want string
	}{
		{"defaults", func(*Protocol, *protocol.Common) {}, ""},
		{"fanout against the fleet", func(p *Protocol, c *protocol.Common) { p.Parameters.Fanout = c.Nodes }, "fanout: 40 is outside [1, nodes-1 = 39]"},
		{"fleet checksum", func(_ *Protocol, c *protocol.Common) { c.Checksum = 99 }, "checksum: 99 is unknown"},
		{"too few nodes", func(_ *Protocol, c *protocol.Common) { c.Nodes = 1 }, "nodes: 1 is outside"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := NewProtocol(), smallCommon()
			tc.edit(p, &c)
			err := p.Validate(c)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Validate = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestProtocolRunIsTheModel: Run through the contract gives what driving
// the model directly gives (summary, events, time series), reports its
// progress to the horizon, and describes its gossip for the record.
func TestProtocolRunIsTheModel(t *testing.T) {
	c := smallCommon()
	var last sim.Time
	c.Progress = func(done, total sim.Time) { last = done }
	p := NewProtocol()
	res, err := p.Run(context.Background(), c, 7)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(p.config(c), 7, c.SampleInterval)
	if err != nil {
		t.Fatal(err)
	}
	m.Advance(c.Duration)
	if res.Summary == nil || !reflect.DeepEqual(*res.Summary, m.Summary()) {
		t.Errorf("summary through the contract differs:\n got %+v\nwant %+v", res.Summary, m.Summary())
	}
	if res.Events != m.Events() || len(res.Samples) != len(m.Recorder().Samples()) || res.Counters != m.Recorder().Counters {
		t.Errorf("events %d / %d, samples %d / %d", res.Events, m.Events(), len(res.Samples), len(m.Recorder().Samples()))
	}
	if got := res.SharedSummary(c); !reflect.DeepEqual(got, m.Summary()) {
		t.Errorf("SharedSummary is not the model's own summary")
	}
	if last != c.Duration {
		t.Errorf("progress reached %s, want %s", last, c.Duration)
	}
	want := protocol.Setup{Mode: "digest", Fanout: 1, GossipInterval: sim.Second, FailTimeout: 20 * sim.Second}
	if res.Setup != want {
		t.Errorf("Setup = %+v, want %+v", res.Setup, want)
	}
}

// TestProtocolRunStopsAtMaxEvents: the engine limit of the contract stops
// the run with the result so far.
func TestProtocolRunStopsAtMaxEvents(t *testing.T) {
	c := smallCommon()
	c.MaxEvents = 500
	res, err := NewProtocol().Run(context.Background(), c, 1)
	if err != nil || res.Events != 500 {
		t.Errorf("events %d, err %v; want 500, nil", res.Events, err)
	}
}
