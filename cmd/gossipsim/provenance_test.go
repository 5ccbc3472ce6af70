package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildHashTellsBuildsApart builds gossipsim twice without VCS stamping
// (-buildvcs=false, as under go run or from a tarball): once from this tree
// and once from a copy whose only change is the version string. Each
// binary's summary.json records the SHA-256 of that binary: the same binary
// twice gives the same hash, the two builds different ones, although
// vcs_revision is empty in both.
func TestBuildHashTellsBuildsApart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gossipsim twice")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool: %v", err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	copyRoot := filepath.Join(tmp, "src")
	copyTree(t, root, copyRoot)
	versionFile := filepath.Join(copyRoot, "experiments", "sweep.go")
	src, err := os.ReadFile(versionFile)
	if err != nil {
		t.Fatal(err)
	}
	const decl = "const Version = \""
	if !strings.Contains(string(src), decl) {
		t.Fatalf("%s has no %q to change", versionFile, decl)
	}
	if err := os.WriteFile(versionFile, []byte(strings.Replace(string(src), decl, decl+"test-", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	build := func(dir, out string) string {
		cmd := exec.Command(goTool, "build", "-buildvcs=false", "-o", out, "./cmd/gossipsim")
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build in %s: %v\n%s", dir, err, b)
		}
		return out
	}
	a := build(root, filepath.Join(tmp, "gossipsim-a"))
	b := build(copyRoot, filepath.Join(tmp, "gossipsim-b"))

	type prov struct {
		Revision string `json:"vcs_revision"`
		BuildSHA string `json:"build_sha256"`
	}
	provenanceOf := func(bin, out string) prov {
		cmd := exec.Command(bin, "run", "--nodes", "10", "--duration", "5s", "--quiet", "--out", filepath.Join(tmp, out))
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s run: %v\n%s", bin, err, b)
		}
		js, err := os.ReadFile(filepath.Join(tmp, out, "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Provenance prov `json:"provenance"`
		}
		if err := json.Unmarshal(js, &s); err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		return s.Provenance
	}
	a1, a2, b1 := provenanceOf(a, "a1"), provenanceOf(a, "a2"), provenanceOf(b, "b1")
	for name, p := range map[string]prov{"a": a1, "b": b1} {
		if p.Revision != "" {
			t.Errorf("build %s: vcs_revision %q with -buildvcs=false", name, p.Revision)
		}
	}
	if want := fileSHA256(t, a); a1.BuildSHA != want {
		t.Errorf("build_sha256 %q, want the binary's SHA-256 %s", a1.BuildSHA, want)
	}
	if a1.BuildSHA != a2.BuildSHA {
		t.Errorf("the same binary gave two hashes: %s and %s", a1.BuildSHA, a2.BuildSHA)
	}
	if a1.BuildSHA == b1.BuildSHA {
		t.Errorf("two builds from different sources share build_sha256 %s", a1.BuildSHA)
	}
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// copyTree copies the module's go.mod, go.sum, .go files and the files
// they may embed (.yaml, .tmpl), no VCS data and no results, from src to
// dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		name := d.Name()
		embedded := strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".tmpl") // the report's templates are embedded
		if !(strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")) && name != "go.mod" && name != "go.sum" && !embedded {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
