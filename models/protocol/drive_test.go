package protocol

import (
	"context"
	"slices"
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

func TestDriveProgress(t *testing.T) {
	tests := []struct {
		name      string
		end, step sim.Time
		stopAt    sim.Time // an event at this time stops the engine (0: none)
		maxEvents uint64
		want      []sim.Time
	}{
		{"whole horizon", 20 * sim.Second, 5 * sim.Second, 0, 0, []sim.Time{5 * sim.Second, 10 * sim.Second, 15 * sim.Second, 20 * sim.Second}},
		{"a last short step", 12 * sim.Second, 5 * sim.Second, 0, 0, []sim.Time{5 * sim.Second, 10 * sim.Second, 12 * sim.Second}},
		{"stopped within a step", 20 * sim.Second, 5 * sim.Second, 7 * sim.Second, 0, []sim.Time{5 * sim.Second, 10 * sim.Second}},
		{"a limit within a step", 20 * sim.Second, 5 * sim.Second, 0, 2, []sim.Time{5 * sim.Second, 10 * sim.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			eng := sim.NewEngine()
			eng.SetLimits(tc.maxEvents, nil)
			eng.SetHandler(func(ev sim.Event) {
				if tc.stopAt > 0 && ev.At == tc.stopAt {
					eng.Stop()
				}
			})
			for _, at := range []sim.Time{3 * sim.Second, 7 * sim.Second, 11 * sim.Second} {
				eng.Schedule(at, 0, 0, 0)
			}
			var got []sim.Time
			err := DriveProgress(context.Background(), eng, tc.end, tc.step, func(done, total sim.Time) {
				if total != tc.end {
					t.Fatalf("progress total %v, want %v", total, tc.end)
				}
				got = append(got, done)
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("progress at %v, want %v", got, tc.want)
			}
		})
	}
}
