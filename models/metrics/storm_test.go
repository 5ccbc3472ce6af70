package metrics

import "testing"

func TestFindStorm(t *testing.T) {
	var samples []Sample
	for i := 1; i <= 100; i++ {
		rate := 3000.0 + float64(i%3) // quiet: 3000-3002, median 3001
		switch {
		case i >= 70:
			rate = 40000 // the storm
		case i >= 40:
			rate = 20000 // failure gossip, under 10x
		}
		samples = append(samples, Sample{Time: float64(i), MessagesPerSecond: rate})
	}
	trigger := 30.5
	st := FindStorm(samples, &trigger)
	if st.QuietRate != 3001 || !st.Stormed || st.Start != 70 || st.PeakRate != 40000 {
		t.Fatalf("FindStorm = %+v, want quiet 3001, storm from 70 s, peak 40000", st)
	}
	// Without a trigger the quiet rate is the first tenth's.
	if st := FindStorm(samples, nil); st.QuietRate != 3001 || st.Start != 70 {
		t.Fatalf("without a trigger: %+v", st)
	}
	// A trigger in the first five samples also falls back to the first tenth.
	early := 2.0
	if st := FindStorm(samples[:60], &early); st.Stormed || st.QuietRate != 3001 {
		t.Fatalf("no storm in 60 s: %+v", st)
	}
	if st := FindStorm(nil, nil); st.Stormed {
		t.Fatal("an empty series stormed")
	}
}
