package experiments

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestValidationQuick runs the small, fast version of the validation
// experiment (each check at its first parameter value, a third of the
// replicates, at least 20) and requires every comparison to pass its stated
// tolerance. Seeds are fixed, so the outcome is stable.
func TestValidationQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every protocol")
	}
	dir := t.TempDir()
	rs, files, err := RunValidation(context.Background(), dir, true, SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != len(ValidationChecks()) {
		t.Fatalf("%d results for %d checks", len(rs), len(ValidationChecks()))
	}
	for _, r := range rs {
		for _, p := range r.Points {
			if !p.Pass {
				t.Errorf("%s at %s=%g: simulated %.4g (95%% CI %.4g-%.4g, n %d), reference %.4g (%s), tolerance %g",
					r.Check.Name, r.Check.Axis, p.X, p.Stat.Mean, p.Stat.Lo, p.Stat.Hi, p.Stat.N, p.Reference, r.Check.Source, r.Check.Tolerance)
			}
		}
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
}

func TestRumorResidueRoot(t *testing.T) {
	// s = exp(-(k+1)(1-s)): k = 1 gives 0.2032 (Demers et al. quote 0.2 for k = 1).
	for _, tc := range []struct{ k, want float64 }{{1, 0.2032}, {2, 0.0595}, {3, 0.0198}} {
		if got := rumorResidue(tc.k); got < tc.want-0.0005 || got > tc.want+0.0005 {
			t.Errorf("rumorResidue(%g) = %.4f, want %.4f", tc.k, got, tc.want)
		}
	}
}

// TestProtocolSweep: protocol parameters are grid keys, a protocol's "mode"
// is its own (not the s3 model's), and the files carry the protocol's fields.
func TestProtocolSweep(t *testing.T) {
	sc := DefaultScenario()
	sc.Fleet.Nodes = 200
	p, err := NewModel("rumor")
	if err != nil {
		t.Fatal(err)
	}
	sc.Model = p
	var axes []Axis
	for _, spec := range []string{"k=1,2", "mode=push,pull"} {
		ax, err := ParseAxisFor(spec, sc)
		if err != nil {
			t.Fatalf("ParseAxisFor(%q): %v", spec, err)
		}
		axes = append(axes, ax)
	}
	sw := Sweep{Experiment: "custom", Seed: 1, Replicates: 3, Base: sc, Axes: axes}
	dir := t.TempDir()
	if _, err := RunSweep(context.Background(), sw, dir, SweepOptions{}); err != nil {
		t.Fatal(err)
	}
	loaded, _, rows, err := LoadSweep(dir)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Base.ModelName() != "rumor" || len(rows) != 12 {
		t.Fatalf("reloaded model %s with %d runs, want rumor with 12", loaded.Base.ModelName(), len(rows))
	}
	tab := Aggregate(loaded, loaded.RunColumns(), rows)
	res := tab.Metric("residue")
	if res < 0 {
		t.Fatal("points have no residue column")
	}
	// Pull spreads further than push at the same k (Demers et al.).
	if push, pull := tab.Points[0].Stats[res].Mean, tab.Points[1].Stats[res].Mean; !(pull < push) {
		t.Errorf("k=1: pull residue %g, push %g; want pull lower", pull, push)
	}
	if _, err := os.Stat(filepath.Join(dir, "residue.png")); err != nil {
		t.Errorf("no residue figure: %v", err)
	}
}
