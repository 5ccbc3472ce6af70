package network

import "fmt"

// Class is the link class of a pair of nodes in a fleet with a topology:
// whether they share a rack, share only a zone, or sit in different zones.
// Latency and loss can differ per class (Config.Classes).
type Class uint8

// The link classes.
const (
	// SameRack: both nodes in one rack (and a node to itself).
	SameRack Class = iota
	// SameZone: the same zone, different racks.
	SameZone
	// CrossZone: different zones.
	CrossZone
	// NumClasses is the number of link classes.
	NumClasses
)

// ClassNames are the names of the classes, indexed by Class, as flags
// (latency-same-rack, loss-cross-zone, ...) and fault schedules write them.
var ClassNames = [NumClasses]string{"same-rack", "same-zone", "cross-zone"}

// String returns "same-rack", "same-zone" or "cross-zone".
func (k Class) String() string {
	if k < NumClasses {
		return ClassNames[k]
	}
	return fmt.Sprintf("class(%d)", uint8(k))
}

// ParseClass reads a class name.
func ParseClass(s string) (Class, error) {
	for k, name := range ClassNames {
		if s == name {
			return Class(k), nil
		}
	}
	return 0, fmt.Errorf("%q is not a link class; use same-rack, same-zone or cross-zone", s)
}
