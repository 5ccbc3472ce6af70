package metrics

import (
	"testing"

	"github.com/gossipsim/gossipsim/sim"
)

func TestRecovery(t *testing.T) {
	const settle = 10 * sim.Second
	tests := []struct {
		name          string
		script        func(r *Recorder)
		end           sim.Time
		wantRecover   bool
		wantTime      float64
		wantTrigger   bool
		wantPeakWrong float64
	}{
		{"no trigger", func(r *Recorder) {}, 100 * sim.Second, false, 0, false, 0},
		{"harmless trigger recovers at once", func(r *Recorder) { r.Trigger(5 * sim.Second) }, 100 * sim.Second, true, 0, true, 0},
		{"wrong then healed", func(r *Recorder) {
			r.Trigger(5 * sim.Second)
			r.AddWrong(6*sim.Second, 9)
			r.AddWrong(20*sim.Second, -4)
			r.AddWrong(30*sim.Second, -5)
		}, 100 * sim.Second, true, 25, true, 9.0 / 90},
		{"healed too close to the horizon is censored", func(r *Recorder) {
			r.Trigger(5 * sim.Second)
			r.AddWrong(6*sim.Second, 1)
			r.AddWrong(95*sim.Second, -1)
		}, 100 * sim.Second, false, 0, true, 1.0 / 90},
		{"relapse counts the last return to zero", func(r *Recorder) {
			r.Trigger(5 * sim.Second)
			r.AddWrong(6*sim.Second, 2)
			r.AddWrong(10*sim.Second, -2)
			r.AddWrong(40*sim.Second, 3)
			r.AddWrong(50*sim.Second, -3)
		}, 100 * sim.Second, true, 45, true, 3.0 / 90},
		{"never healed", func(r *Recorder) {
			r.Trigger(5 * sim.Second)
			r.AddWrong(6*sim.Second, 2)
		}, 100 * sim.Second, false, 0, true, 2.0 / 90},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRecorder(10) // 90 live pairs
			tc.script(r)
			s := r.Summarize(tc.end, settle)
			if s.Recovered != tc.wantRecover {
				t.Fatalf("recovered = %v, want %v", s.Recovered, tc.wantRecover)
			}
			if tc.wantRecover && (s.RecoveryTimeSeconds == nil || *s.RecoveryTimeSeconds != tc.wantTime) {
				t.Fatalf("recovery time = %v, want %g", s.RecoveryTimeSeconds, tc.wantTime)
			}
			if !tc.wantRecover && s.RecoveryTimeSeconds != nil {
				t.Fatalf("censored run reports recovery time %g", *s.RecoveryTimeSeconds)
			}
			if (s.TriggerTimeSeconds != nil) != tc.wantTrigger {
				t.Fatalf("trigger = %v, want present %v", s.TriggerTimeSeconds, tc.wantTrigger)
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
