package faults

import (
	"strings"
	"testing"
)

// FuzzParse: the schedule parser never panics, and a schedule it accepts
// writes back (YAML) to text it reads to the same schedule.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"- at: 60s\n  until: 120s\n  partition: {from: \"zone:0\", to: \"zone:1,zone:2\", oneway: true}\n",
		"- at: 1s\n  crash: {zone: [0, 1], count: 2}\n- at: 9s\n  restart: {zone: 0}\n",
		"- at: 0s\n  link: {class: cross-zone, latency: \"lognormal:20ms:0.5\", loss: 0.02}\n",
		"- at: 5s\n  corrupt: {nodes: \"1,7-8\", direction: in, bit-error-rate: 1e-6}\n",
		"- at: 0s\n  skew: {rack: 2/1, rate: 0.9}\n",
		"[{at: 1s, crash: {group: \"3\"}}]",
		"faults:\n  - at: 1s\n    crash: {nodes: 1}\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if strings.Contains(text, "churn") {
			return // a churn entry reads the file it names (which could be /dev/stdin)
		}
		s, err := Parse("f.yaml", []byte(text))
		if err != nil {
			return
		}
		out := s.YAML("")
		s2, err := Parse("g.yaml", []byte(out))
		if err != nil {
			t.Fatalf("accepted %q but not its own rendering %q: %v", text, out, err)
		}
		if again := s2.YAML(""); again != out {
			t.Fatalf("rendering is not stable:\n%s\n---\n%s", out, again)
		}
	})
}
