package experiments

import (
	"github.com/gossipsim/gossipsim/models/epidemic"
	"github.com/gossipsim/gossipsim/models/heartbeat"
	"github.com/gossipsim/gossipsim/models/protocol"
	"github.com/gossipsim/gossipsim/models/rumor"
	"github.com/gossipsim/gossipsim/models/s3gossip"
	"github.com/gossipsim/gossipsim/models/swim"
)

func init() {
	// The registry is fixed at build time: these constructors are the whole
	// list, in the order help shows them (no run state lives here).
	protocolModels = []func() protocol.Model{
		func() protocol.Model { return s3gossip.NewProtocol() },
		func() protocol.Model { return epidemic.New() },
		func() protocol.Model { return rumor.New() },
		func() protocol.Model { return heartbeat.New() },
		func() protocol.Model { return swim.New() },
	}
}
