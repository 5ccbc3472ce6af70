package metrics

import (
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

// outcome names a triggered run's class in the tests.
func outcome(s Summary) string {
	switch {
	case s.TriggerTimeSeconds == nil:
		return "untriggered"
	case s.Recovered:
		return "recovered"
	case s.Harmless:
		return "harmless"
	}
	return "censored"
}

func TestRecovery(t *testing.T) {
	const settle = 10 * sim.Second
	tests := []struct {
		name          string
		script        func(r *Recorder)
		end           sim.Time
		want          string  // untriggered, recovered, harmless or censored
		wantTime      float64 // recovery time of a recovered run
		wantPeakWrong float64
	}{
		{"no trigger", func(r *Recorder) {}, 100 * sim.Second, "untriggered", 0, 0},
		{"wrong before any trigger, no trigger", func(r *Recorder) {
			r.AddWrong(3*sim.Second, 2)
			r.AddWrong(4*sim.Second, -2)
		}, 100 * sim.Second, "untriggered", 0, 2.0 / 90},
		{"trigger that makes nothing wrong is harmless", func(r *Recorder) { r.Trigger(5 * sim.Second) }, 100 * sim.Second, "harmless", 0, 0},
		{"several harmless triggers", func(r *Recorder) {
			r.Trigger(5 * sim.Second)
			r.Trigger(50 * sim.Second)
		}, 100 * sim.Second, "harmless", 0, 0},
		{"harmless trigger just before the horizon is harmless, not censored", func(r *Recorder) { r.Trigger(99 * sim.Second) }, 100 * sim.Second, "harmless", 0, 0},
		{"wrongness healed before the trigger leaves it harmless", func(r *Recorder) {
			r.AddWrong(2*sim.Second, 3)
			r.AddWrong(4*sim.Second, -3)
			r.Trigger(5 * sim.Second)
		}, 100 * sim.Second, "harmless", 0, 3.0 / 90},
		{"wrong for no simulated time is recovered after 0 s, not harmless", func(r *Recorder) {
			r.Trigger(5 * sim.Second)
			r.AddWrong(5*sim.Second, 1)
			r.AddWrong(5*sim.Second, -1)
		}, 100 * sim.Second, "recovered", 0, 1.0 / 90},
		{"wrong at the trigger instant then healed", func(r *Recorder) {
			r.AddWrong(4*sim.Second, 1)
			r.Trigger(5 * sim.Second)
			r.AddWrong(7*sim.Second, -1)
		}, 100 * sim.Second, "recovered", 2, 1.0 / 90},
		{"wrong then healed", func(r *Recorder) {
			r.Trigger(5 * sim.Second)
			r.AddWrong(6*sim.Second, 9)
			r.AddWrong(20*sim.Second, -4)
			r.AddWrong(30*sim.Second, -5)
		}, 100 * sim.Second, "recovered", 25, 9.0 / 90},
		{"a reset after a harmless trigger is an outage: recovered at the restore", func(r *Recorder) {
			r.Trigger(5 * sim.Second)
			r.SetResetting(10*sim.Second, true)
			r.SetResetting(40*sim.Second, false)
		}, 100 * sim.Second, "recovered", 35, 0},
		{"healed too close to the horizon is censored", func(r *Recorder) {
			r.Trigger(5 * sim.Second)
			r.AddWrong(6*sim.Second, 1)
			r.AddWrong(95*sim.Second, -1)
		}, 100 * sim.Second, "censored", 0, 1.0 / 90},
		{"relapse counts the last return to zero", func(r *Recorder) {
			r.Trigger(5 * sim.Second)
			r.AddWrong(6*sim.Second, 2)
			r.AddWrong(10*sim.Second, -2)
			r.AddWrong(40*sim.Second, 3)
			r.AddWrong(50*sim.Second, -3)
		}, 100 * sim.Second, "recovered", 45, 3.0 / 90},
		{"never healed", func(r *Recorder) {
			r.Trigger(5 * sim.Second)
			r.AddWrong(6*sim.Second, 2)
		}, 100 * sim.Second, "censored", 0, 2.0 / 90},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRecorder(10) // 90 live pairs
			tc.script(r)
			s := r.Summarize(tc.end, settle)
			if got := outcome(s); got != tc.want {
				t.Fatalf("outcome = %s (recovered %v, harmless %v), want %s", got, s.Recovered, s.Harmless, tc.want)
			}
			if s.Recovered && s.Harmless {
				t.Fatalf("both recovered and harmless")
			}
			if r.Harmless() != s.Harmless {
				t.Fatalf("Harmless() = %v, summary says %v", r.Harmless(), s.Harmless)
			}
			if tc.want == "recovered" && (s.RecoveryTimeSeconds == nil || *s.RecoveryTimeSeconds != tc.wantTime) {
				t.Fatalf("recovery time = %v, want %g", s.RecoveryTimeSeconds, tc.wantTime)
			}
			if tc.want != "recovered" && s.RecoveryTimeSeconds != nil {
				t.Fatalf("%s run reports recovery time %g", tc.want, *s.RecoveryTimeSeconds)
			}
			if s.PeakWrongViewFraction != tc.wantPeakWrong {
				t.Fatalf("peak wrong-view fraction = %g, want %g", s.PeakWrongViewFraction, tc.wantPeakWrong)
			}
		})
	}
}

func TestSampleRates(t *testing.T) {
	r := NewRecorder(4)
	r.MessagesSent, r.BytesSent = 10, 1000
	r.Sample(2*sim.Second, Load{BusiestNodeMessages: 6, MeanUtilization: 0.25, MaxUtilization: 0.5})
	r.MessagesSent, r.BytesSent = 40, 4000
	r.Sample(4*sim.Second, Load{})
	got := r.Samples()
	if len(got) != 2 {
		t.Fatalf("%d samples, want 2", len(got))
	}
	if got[0].MessagesPerSecond != 5 || got[0].BytesPerSecond != 500 || got[0].BusiestNodeMessagesPerSecond != 3 {
		t.Errorf("first sample rates = %+v", got[0])
	}
	if got[1].MessagesPerSecond != 15 || got[1].BytesPerSecond != 1500 {
		t.Errorf("second sample rates = %+v (want the interval's own rate, not cumulative)", got[1])
	}
}
