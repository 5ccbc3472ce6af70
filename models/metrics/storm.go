package metrics

import "slices"

// StormFactor is how many times the quiet message rate a fleet's gossip
// must reach for the run to count as a storm.
const StormFactor = 10

// Storm is when a run's gossip became a storm, read from its time series.
type Storm struct {
	// QuietRate is the fleet's message rate before anything went wrong,
	// messages per simulated second: the median rate of the samples before
	// the trigger (the first accepted corruption), or of the first tenth of
	// the run when nothing was triggered or the trigger came in the first
	// five samples.
	QuietRate float64
	// Start is the end of the first sample whose rate reached StormFactor ×
	// QuietRate, simulated seconds; valid when Stormed.
	Start float64
	// Stormed reports whether the rate ever reached StormFactor × QuietRate.
	Stormed bool
	// PeakRate is the highest sampled message rate, messages per simulated second.
	PeakRate float64
}

// FindStorm reads a run's time series (trigger: the summary's
// TriggerTimeSeconds, nil if none) for when its gossip became a storm. The
// run, the figures it draws and `gossipsim explain` all decide with it.
func FindStorm(samples []Sample, trigger *float64) Storm {
	if len(samples) == 0 {
		return Storm{}
	}
	quiet := samples[:max(1, len(samples)/10)]
	if trigger != nil {
		k := 0
		for k < len(samples) && samples[k].Time <= *trigger {
			k++
		}
		if k >= 5 {
			quiet = samples[:k]
		}
	}
	rates := make([]float64, len(quiet))
	for i, s := range quiet {
		rates[i] = s.MessagesPerSecond
	}
	slices.Sort(rates)
	st := Storm{QuietRate: rates[len(rates)/2]}
	if len(rates)%2 == 0 {
		st.QuietRate = (rates[len(rates)/2-1] + rates[len(rates)/2]) / 2
	}
	for _, s := range samples {
		st.PeakRate = max(st.PeakRate, s.MessagesPerSecond)
		if !st.Stormed && st.QuietRate > 0 && s.MessagesPerSecond >= StormFactor*st.QuietRate {
			st.Stormed, st.Start = true, s.Time
		}
	}
	return st
}
