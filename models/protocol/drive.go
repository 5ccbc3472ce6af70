package protocol

import (
	"context"

	"github.com/gossipsim/gossipsim/sim"
)

// Drive runs eng up to end in steps of step simulated time, checking ctx
// before each step (its error is returned) and ending early when the
// protocol stops the engine because its outcome is settled, or a limit of
// the engine stops it (Common.Interrupt, polled within the step: ctx's error
// is returned if ctx is done by then). Every model's Run uses it, or
// DriveProgress, so cancellation and early stopping behave the same in all.
func Drive(ctx context.Context, eng *sim.Engine, end, step sim.Time) error {
	return DriveProgress(ctx, eng, end, step, nil)
}

// DriveProgress is Drive, telling progress (if not nil; Common.Progress)
// the simulated time reached and end after each step, including a step
// that a stop or a limit cut short.
func DriveProgress(ctx context.Context, eng *sim.Engine, end, step sim.Time, progress func(done, total sim.Time)) error {
	for t := sim.Time(0); t < end; {
		if err := ctx.Err(); err != nil {
			return err
		}
		t += min(step, end-t)
		eng.RunUntil(t)
		if progress != nil {
			progress(t, end)
		}
		if eng.Stopped() {
			break
		}
	}
	if eng.LimitHit() == sim.LimitInterrupt {
		return ctx.Err()
	}
	return nil
}
