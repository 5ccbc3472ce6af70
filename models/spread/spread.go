// Package spread is the record of how the bad values that corrupted
// messages bring spread through a fleet: one row per accepted corrupted
// message (Corruption), one per bad value it brought (Value), and one per
// spell of a node holding a value (Holding). It is plain data, written by
// a model that tracks it (the S3 model, models/s3gossip/spread.go) and
// read by the result files, the figures and `gossipsim explain`.
//
// A bad value is what an accepted corrupted message said that no node had
// said: a version of a server above its true version (one it never issued,
// KindAhead), or the failed status of a server that is up (KindFalseFailure),
// that the receiver then held. The receiver is the value's patient zero;
// every node that later held it is a holder, with the node it got it from.
package spread

import (
	"github.com/gossipsim/gossipsim/models/wire"
	"github.com/gossipsim/gossipsim/sim"
)

// Kind is what makes a value bad.
type Kind uint8

const (
	// KindAhead is a version above the subject's true version, one it
	// never issued. A node holds it while its version of the subject is
	// that version, whatever the status, and the subject's true version
	// is below it.
	KindAhead Kind = 1
	// KindFalseFailure is the failed status of a subject that is up, at a
	// version it did issue. A node holds it while its entry for the
	// subject is (that version, failed) and the subject is up.
	KindFalseFailure Kind = 2
)

// String is "ahead" or "false-failure".
func (k Kind) String() string {
	switch k {
	case KindAhead:
		return "ahead"
	case KindFalseFailure:
		return "false-failure"
	}
	return "unknown"
}

// Caps on what a run tracks, so that its memory stays bounded whatever
// the corruption rate: beyond them new values, holdings or corruptions are
// counted (Record.Dropped*) but not kept.
const (
	// MaxValues is the most bad values a run tracks.
	MaxValues = 1000
	// MaxHoldings is the most holding spells a run keeps (about 40 bytes each).
	MaxHoldings = 1_000_000
	// MaxCorruptions is the most accepted corrupted messages a run keeps.
	MaxCorruptions = 100_000
)

// Corruption is one accepted corrupted message.
type Corruption struct {
	// Time is when the receiver accepted it.
	Time sim.Time
	// Receiver is the node that accepted it; Sender the node that sent it
	// (as sent: a flip of the sender field does not change it).
	Receiver, Sender int32
	// MsgKind is the message's kind as sent.
	MsgKind wire.Kind
	// BitsFlipped is the number of bits of its encoding that were flipped.
	BitsFlipped int
	// EntriesChanged is the number of entries whose decoded node, version
	// or status differ from what was sent.
	EntriesChanged int
	// Values are the ids of the bad values it created (indexes into
	// Record.Values), in order.
	Values []int32
	// RejectedBySum8 and RejectedByCRC32C report whether that checksum
	// would have rejected the same flips (transport.Corruption).
	RejectedBySum8, RejectedByCRC32C bool
}

// Value is one bad value.
type Value struct {
	// ID is its index in Record.Values.
	ID int32
	// Subject is the server the value is about.
	Subject int32
	// Kind is what makes it bad.
	Kind Kind
	// Generation and Heartbeat are its version.
	Generation, Heartbeat uint32
	// Status is the status the corrupted message carried with it.
	Status wire.Status
	// PatientZero is the node that accepted the corrupted message and held
	// the value first, at Time, from Sender (the message's sender as sent).
	PatientZero int32
	Time        sim.Time
	Sender      int32
	// MsgKind is the corrupted message's kind as sent.
	MsgKind wire.Kind
	// Corruption is the corrupted message (an index into Record.Corruptions).
	Corruption int32
}

// Holding is one spell of a node holding a value.
type Holding struct {
	// Value is the value's id.
	Value int32
	// Node is the holder.
	Node int32
	// Generation is the holder's place in the value's spread tree: 0 for
	// patient zero, k+1 for a node that got it from a holder of generation
	// k, and -1 (unknown) for a node its own state made a holder ("own",
	// From -1) or whose source kept no spell of it.
	Generation int32
	// Acquired is when the spell began.
	Acquired sim.Time
	// From is the node it got the value from: the sender of the message
	// being merged; -1 (own) when its own failure detector, or nothing but
	// its state (the subject restarting), made it a holder.
	From int32
	// Cleared is when the spell ended: its entry changed away from the
	// value or stopped being wrong, it crashed, or a reset cleared every
	// node's state; -1 if it still held the value at the end of the run.
	Cleared sim.Time
}

// Record is a run's corruptions, bad values and holdings.
type Record struct {
	// Nodes is the fleet's size.
	Nodes int
	// Corruptions are the accepted corrupted messages, in time order.
	Corruptions []Corruption
	// Values are the bad values, in the order they appeared.
	Values []Value
	// Holdings are the holding spells, in the order they began.
	Holdings []Holding
	// DroppedValues, DroppedHoldings and DroppedCorruptions count what was
	// not kept past MaxValues, MaxHoldings and MaxCorruptions.
	DroppedValues, DroppedHoldings, DroppedCorruptions int64
}

// Capped reports whether a cap was hit, so that the record is incomplete.
func (r *Record) Capped() bool {
	return r.DroppedValues > 0 || r.DroppedHoldings > 0 || r.DroppedCorruptions > 0
}
