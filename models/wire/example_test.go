package wire_test

import (
	"errors"
	"fmt"

	"github.com/gossipsim/gossipsim/models/wire"
)

// A single flipped bit in a heartbeat: without a checksum the receiver accepts
// a heartbeat 2^24 too high (a version that will look newer than the truth for
// a very long time); with CRC-32C it rejects the message.
func ExampleDecode() {
	m := &wire.Message{
		Kind:    wire.KindDelta,
		Sender:  3,
		Entries: []wire.Entry{{Node: 7, Generation: 2, Heartbeat: 1042, Status: wire.StatusAlive}},
	}
	// Bit 7 of the heartbeat's most significant byte is worth 2^24.
	bit := 8*(wire.EntryOffset(0)+wire.EntryHeartbeatOffset) + 7

	for _, c := range []wire.Checksum{wire.ChecksumNone, wire.ChecksumCRC32C} {
		b := wire.Append(nil, m, c)
		b[bit/8] ^= 0x80 >> (bit % 8) // the flip

		var got wire.Message
		err := wire.Decode(&got, b, c)
		switch {
		case err == nil:
			e := got.Entries[0]
			fmt.Printf("%-6s %d bytes: accepted node %d generation %d heartbeat %d (sent 1042) %v\n",
				c, len(b), e.Node, e.Generation, e.Heartbeat, e.Status)
		case errors.Is(err, wire.ErrChecksum):
			fmt.Printf("%-6s %d bytes: rejected (%v)\n", c, len(b), err)
		default:
			fmt.Printf("%-6s %d bytes: undecodable (%v)\n", c, len(b), err)
		}
	}
	// Output:
	// none   29 bytes: accepted node 7 generation 2 heartbeat 16778258 (sent 1042) alive
	// crc32c 33 bytes: rejected (wire: checksum mismatch: crc32c trailer 328226e5, computed c6bcf0ad)
}
