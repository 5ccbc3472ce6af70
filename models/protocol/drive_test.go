package protocol

import (
	"context"
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

func TestDrive(t *testing.T) {
	eng := sim.NewEngine()
	fired := 0
	eng.SetHandler(func(ev sim.Event) {
		fired++
		if ev.Kind == 1 {
			eng.Stop()
		}
	})
	eng.Schedule(3*sim.Second, 0, 0, 0)
	eng.Schedule(7*sim.Second, 1, 0, 0) // settles the outcome
	eng.Schedule(12*sim.Second, 0, 0, 0)
	if err := Drive(context.Background(), eng, 20*sim.Second, 5*sim.Second); err != nil {
		t.Fatal(err)
	}
	if fired != 2 || eng.Now() != 7*sim.Second {
		t.Fatalf("fired %d events, stopped at %v; want 2 events, stop at 7s", fired, eng.Now())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Drive(ctx, sim.NewEngine(), 20*sim.Second, 5*sim.Second); err != context.Canceled {
		t.Fatalf("Drive with a cancelled context = %v, want context.Canceled", err)
	}
}

// A context cancelled while a step runs stops the engine through its
// interrupt check (Common.Interrupt) within the step, and Drive returns the
// context's error rather than a result for a run cut short.
func TestDriveInterruptedWithinStep(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	eng := Common{Interrupt: func() bool { return ctx.Err() != nil }}.NewEngine()
	fired := 0
	eng.SetHandler(func(ev sim.Event) {
		fired++
		if fired == 1000 {
			cancel()
		}
		eng.After(sim.Millisecond, 0, 0, 0)
	})
	eng.Schedule(0, 0, 0, 0)
	err := Drive(ctx, eng, sim.Hour, sim.Hour) // one step: the whole horizon
	if err != context.Canceled || fired > 1000+256 {
		t.Fatalf("Drive = %v after %d events, want context.Canceled within 256 events of the cancel at 1000", err, fired)
	}
}
