package protocol

import (
	"context"

	"github.com/gossipsim/gossipsim/sim"
)

// Drive runs eng up to end in steps of step simulated time, checking ctx
// before each step (its error is returned) and ending early when the
// protocol stops the engine because its outcome is settled, or a limit of
// the engine stops it (Common.Interrupt, polled within the step: ctx's error
// is returned if ctx is done by then). Every protocol's Run uses it, so
// cancellation and early stopping behave the same in all.
func Drive(ctx context.Context, eng *sim.Engine, end, step sim.Time) error {
	for t := sim.Time(0); t < end; {
		if err := ctx.Err(); err != nil {
			return err
		}
		t += min(step, end-t)
		eng.RunUntil(t)
		if eng.Stopped() {
			break
		}
	}
	if eng.LimitHit() == sim.LimitInterrupt {
		return ctx.Err()
	}
	return nil
}
