package main

import (
	"fmt"
	"time"

	"github.com/gossipsim/gossipsim/models/corrupt"
	"github.com/gossipsim/gossipsim/models/network"
	"github.com/gossipsim/gossipsim/models/s3gossip"
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// simTime is a pflag.Value for simulated durations written like "200ms" or "10m".
type simTime struct{ p *sim.Time }

func (v simTime) String() string { return v.p.String() }
func (v simTime) Type() string   { return "duration" }
func (v simTime) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("not a duration (use units such as 200ms, 1s, 10m)")
	}
	*v.p = sim.FromDuration(d)
	return nil
}

type checksumValue struct{ p *wire.Checksum }

func (v checksumValue) String() string { return v.p.String() }
func (v checksumValue) Type() string   { return "name" }
func (v checksumValue) Set(s string) error {
	c, err := wire.ParseChecksum(s)
	if err != nil {
		return err
	}
	*v.p = c
	return nil
}

type modeValue struct{ p *s3gossip.Mode }

func (v modeValue) String() string { return v.p.String() }
func (v modeValue) Type() string   { return "name" }
func (v modeValue) Set(s string) error {
	m, err := s3gossip.ParseMode(s)
	if err != nil {
		return err
	}
	*v.p = m
	return nil
}

type patternValue struct{ p *corrupt.Pattern }

func (v patternValue) String() string { return v.p.String() }
func (v patternValue) Type() string   { return "name" }
func (v patternValue) Set(s string) error {
	m, err := corrupt.ParsePattern(s)
	if err != nil {
		return err
	}
	*v.p = m
	return nil
}

type latencyValue struct{ p *network.Latency }

func (v latencyValue) String() string { return v.p.String() }
func (v latencyValue) Type() string   { return "spec" }
func (v latencyValue) Set(s string) error {
	l, err := network.ParseLatency(s)
	if err != nil {
		return err
	}
	*v.p = l
	return nil
}
