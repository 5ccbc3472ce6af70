package experiments

import (
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/models/s3gossip"
)

// TestEveryModelIsAModel: every --model name, the S3-style model's
// included, gives a model of that name (never nil), and the S3 model's
// other spellings give it too.
func TestEveryModelIsAModel(t *testing.T) {
	for _, name := range append(ModelNames(), "", "s3gossip") {
		m, err := NewModel(name)
		if err != nil || m == nil {
			t.Fatalf("NewModel(%q) = %v, %v", name, m, err)
		}
		want := name
		if name == "" || name == "s3gossip" {
			want = S3Model
		}
		if m.Name() != want {
			t.Errorf("NewModel(%q).Name() = %q", name, m.Name())
		}
	}
	if sc := DefaultScenario(); sc.ModelName() != S3Model {
		t.Errorf("the default scenario runs %q", sc.ModelName())
	}
}

// TestSetModel: naming the scenario's own model again keeps its
// parameters; naming another gives that model's defaults.
func TestSetModel(t *testing.T) {
	tests := []struct {
		name   string
		models []string
		want   int // the s3 fanout after
	}{
		{"same model keeps", []string{"s3"}, 3},
		{"other spelling keeps", []string{"s3gossip"}, 3},
		{"away and back resets", []string{"swim", "s3"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := DefaultScenario()
			if err := sc.Set("fanout", "3"); err != nil {
				t.Fatal(err)
			}
			for _, m := range tc.models {
				if err := sc.SetModel(m); err != nil {
					t.Fatal(err)
				}
			}
			if got := sc.S3Params().Fanout; got != tc.want {
				t.Errorf("fanout %d, want %d", got, tc.want)
			}
		})
	}
	sc := DefaultScenario()
	if err := sc.SetModel("gossipy"); err == nil || !strings.Contains(err.Error(), `"gossipy" is not one of s3, epidemic`) {
		t.Errorf("unknown model: %v", err)
	}
}

// TestBuildSweepModelBeforeParams: the model is installed before the run
// parameters apply, so the S3 model's parameter flags set the model that
// runs even when the file named another.
func TestBuildSweepModelBeforeParams(t *testing.T) {
	file := DefaultScenario()
	if err := file.SetModel("swim"); err != nil {
		t.Fatal(err)
	}
	sw, err := BuildSweep(SweepInput{File: &file, Model: "s3", Params: []Setting{{Name: "fanout", Value: "3"}, {Name: "mitigation", Value: "b"}}})
	if err != nil {
		t.Fatal(err)
	}
	p := sw.Base.S3Params()
	if sw.Base.ModelName() != "s3" || p.Fanout != 3 || p.FailureRetransmitMult != 4 {
		t.Errorf("model %s, fanout %d, failure-retransmit-mult %d; want s3, 3, 4", sw.Base.ModelName(), p.Fanout, p.FailureRetransmitMult)
	}
}

// TestS3ParamsWithOtherModels: a file written for any model lists the S3
// model's parameters at the top level; with another model they load, and
// have no effect: the scenario prints their defaults.
func TestS3ParamsWithOtherModels(t *testing.T) {
	sc := DefaultScenario()
	if err := sc.SetModel("swim"); err != nil {
		t.Fatal(err)
	}
	plain := string(PrintScenario(sc, nil))
	if err := sc.Set("fanout", "3"); err != nil {
		t.Fatal(err)
	}
	if err := sc.Set("fanout", "many"); err == nil {
		t.Error("a bad value is still refused")
	}
	if got := string(PrintScenario(sc, nil)); got != plain || !strings.Contains(got, "\nfanout: 1\n") {
		t.Errorf("fanout=3 on swim changed the scenario:\n%s", got)
	}
	if *sc.S3Params() != s3gossip.DefaultParams() {
		t.Error("S3Params of a swim scenario are not the defaults")
	}
}
