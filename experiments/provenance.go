package experiments

import (
	"encoding/json"
	"runtime"
	"runtime/debug"
	"sync"
)

// Provenance says what produced a result: the program (gossipsim's version,
// the VCS revision Go embedded at build time, whether the working tree had
// uncommitted changes, the Go version) and the input (the seed and the
// SHA-256 of the fully defaulted scenario, as --print-scenario prints it).
// It is written into summary.json, sweep.json, every PNG (a tEXt chunk
// with keyword "gossipsim") and every SVG (a <metadata id="gossipsim">
// element); PDFs cannot carry it.
type Provenance struct {
	Version     string `json:"gossipsim_version"`
	Revision    string `json:"vcs_revision"` // "" when the binary was built without VCS information (go test, a module download)
	Modified    bool   `json:"vcs_modified"`
	GoVersion   string `json:"go_version"`
	Seed        uint64 `json:"seed"`
	ScenarioSHA string `json:"scenario_sha256"`
}

var build = sync.OnceValue(func() Provenance {
	p := Provenance{Version: Version, GoVersion: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				p.Revision = s.Value
			case "vcs.modified":
				p.Modified = s.Value == "true"
			}
		}
	}
	return p
})

// ProvenanceOf is the provenance of a run of sc (or of a sweep whose base
// scenario is sc and whose sweep seed is seed).
func ProvenanceOf(sc Scenario, seed uint64) Provenance {
	p := build()
	p.Seed = seed
	p.ScenarioSHA = ScenarioHash(sc)
	return p
}

// Text is the provenance as one line of JSON, for figure metadata.
func (p Provenance) Text() string {
	b, _ := json.Marshal(p)
	return string(b)
}
