package protocol

import "fmt"

// Direction is which way news travels on a contact, as Demers et al. name
// it: the caller pushes, pulls, or both. The epidemic and rumor models share it.
type Direction uint8

// The directions.
const (
	// Push: the caller sends what it knows.
	Push Direction = iota
	// Pull: the caller asks, and the callee answers with what it knows.
	Pull
	// PushPull: both on the same contact.
	PushPull
)

// DirectionNames are the --set names of the directions, indexed by Direction.
var DirectionNames = []string{"push", "pull", "push-pull"}

// Directions are the directions, in the order of DirectionNames.
var Directions = []Direction{Push, Pull, PushPull}

// String returns "push", "pull" or "push-pull", and "mode(N)" for an undefined value.
func (d Direction) String() string {
	if int(d) < len(DirectionNames) {
		return DirectionNames[d]
	}
	return fmt.Sprintf("mode(%d)", uint8(d))
}
