package experiments

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gossipsim/gossipsim/plots"
)

// cliWords are what only the command line may say: a flag, or a gossipsim
// command to run.
var cliWords = regexp.MustCompile(`(^|[\s("'\x60])--[a-z]|gossipsim (help|run|sweep|merge|plot|validate|report|experiments)\b`)

// TestRefusalsAreTypedAndFlagFree makes each refusal that the command line
// completes with a hint (cmd/gossipsim/errors.go) and checks that it is bad
// input of its kind (errors.Is) and that its message names the directory,
// parameter or value but no flag and no command.
func TestRefusalsAreTypedAndFlagFree(t *testing.T) {
	root := t.TempDir()
	shards := shardDirs(t, root)
	other := journalSweep()
	other.Seed++
	otherDir := filepath.Join(root, "other")
	runSweep(t, other, otherDir, SweepOptions{Workers: 2, Shard: journalShard})
	scenario := func(text string) error {
		sc := DefaultScenario()
		_, err := ParseScenario("s.yaml", []byte(text), &sc)
		return err
	}
	tests := []struct {
		name string
		err  func() error
		kind error
		want string // the message, exactly
	}{
		{"sweep exists", func() error {
			_, err := RunSweep(context.Background(), journalSweep(), shards[0], SweepOptions{Shard: journalShard})
			return err
		}, ErrSweepExists, strconv.Quote(shards[0]) + " already holds a sweep"},
		{"resume a different sweep", func() error {
			_, err := RunSweep(context.Background(), journalSweep(), otherDir, SweepOptions{Shard: journalShard, Resume: true})
			return err
		}, ErrDifferentSweep, "resume: " + strconv.Quote(otherDir) + " holds a different sweep (its sweep.json differs from this one's)"},
		{"merge a different sweep", func() error {
			_, err := Merge([]string{shards[0], otherDir}, filepath.Join(root, "m1"), plots.Options{})
			return err
		}, ErrDifferentSweep, "merge: " + otherDir + " holds a different sweep from " + shards[0] + " (their sweep.json differ)"},
		{"merge with a shard missing", func() error {
			_, err := Merge(shards[:1], filepath.Join(root, "m2"), plots.Options{})
			return err
		}, ErrRunsMissing, "merge: 3 of 6 runs are missing (the first is run 1)"},
		{"redraw a shard", func() error {
			_, _, err := Redraw(shards[1], plots.Options{})
			return err
		}, ErrRunsMissing, shards[1] + ": 3 of 6 runs recorded"},
		{"merge into a sweep", func() error {
			_, err := Merge(shards, otherDir, plots.Options{})
			return err
		}, ErrSweepExists, ""},
		{"a seed axis", func() error { _, err := ParseAxis("seed=1,2"); return err },
			ErrSeedAxis, `grid: "seed=1,2": seeds are not swept (each run's seed is derived from the sweep seed); run more replicates instead`},
		{"a seed axis in a file", func() error { return scenario("sweep:\n  grid:\n    seed: 1,2\n") },
			ErrSeedAxis, `s.yaml:3: sweep.grid: grid: "seed=1,2": seeds are not swept (each run's seed is derived from the sweep seed); run more replicates instead`},
		{"an unknown axis", func() error { _, err := ParseAxis("foo=1,2"); return err },
			ErrUnknownParam, `grid: "foo" names no parameter of model s3`},
		{"an unknown axis of a built sweep", func() error {
			sw := journalSweep()
			sw.Axes = []Axis{{Name: "foo", Values: []string{"1"}}}
			_, err := sw.Runs()
			return err
		}, ErrUnknownParam, `grid: "foo" names no parameter of model s3`},
		{"an unknown parameter", func() error { sc := DefaultScenario(); return sc.Set("foo", "1") },
			ErrUnknownParam, "foo: no such parameter of model s3"},
		{"an unknown file key", func() error { return scenario("nodes: 20\nfoo: 1\n") },
			ErrUnknownParam, `s.yaml:2: unknown key "foo"; the keys are the run parameters, model, name, set and sweep`},
		{"an empty file", func() error { return scenario("") },
			ErrNotScenario, "s.yaml: the file is empty; a scenario file is a YAML mapping of run parameters"},
		{"a list file", func() error { return scenario("- a\n") },
			ErrNotScenario, "s.yaml:1: a scenario file is a YAML mapping of run parameters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err()
			if !errors.Is(err, tc.kind) || !errors.Is(err, ErrBadInput) {
				t.Fatalf("got %v; want bad input, errors.Is %q", err, tc.kind)
			}
			msg := err.Error()
			if tc.want != "" && msg != tc.want && msg != "out: "+tc.want {
				t.Errorf("message\n%s\nwant\n%s", msg, tc.want)
			}
			if cliWords.MatchString(msg) {
				t.Errorf("%q names a flag or a command; the command line adds those (cmd/gossipsim/errors.go)", msg)
			}
		})
	}
}

// errorMakers are the calls whose string arguments become error messages.
var errorMakers = map[string]bool{"Errorf": true, "badInputf": true, "refusef": true, "fileError": true}

// cliWordsInErrors lists the string literals of src (a Go file) that name a
// flag or a gossipsim command inside an error: an argument of fmt.Errorf,
// errors.New or this package's wrappers, or any literal of an Error method.
// Comments and other strings (help texts, file headers) are not looked at.
func cliWordsInErrors(fset *token.FileSet, name string, src []byte) ([]string, error) {
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var found []string
	literals := func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && cliWords.MatchString(s) {
					found = append(found, fset.Position(lit.Pos()).String()+": "+lit.Value)
				}
			}
			return true
		})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Recv != nil && n.Name.Name == "Error" && n.Body != nil {
				literals(n.Body)
				return false
			}
		case *ast.CallExpr:
			callee := ""
			switch fn := n.Fun.(type) {
			case *ast.Ident:
				callee = fn.Name
			case *ast.SelectorExpr:
				callee = fn.Sel.Name
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "errors" && callee == "New" {
					callee = "Errorf"
				}
			}
			if errorMakers[callee] {
				for _, a := range n.Args {
					literals(a)
				}
				return false
			}
		}
		return true
	})
	return found, nil
}

// TestNoLibraryErrorNamesAFlag scans every non-test Go file outside cmd:
// no error message may name a flag or a gossipsim command. The command line
// adds those (cmd/gossipsim/errors.go) to the typed errors the libraries
// return.
func TestNoLibraryErrorNamesAFlag(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	fset := token.NewFileSet()
	scanned := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "cmd") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		scanned++
		found, err := cliWordsInErrors(fset, rel, src)
		if err != nil {
			return err
		}
		for _, f := range found {
			t.Errorf("%s: a library error names a flag or command; return a sentinel or typed error and let cmd/gossipsim/errors.go add it", f)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned < 50 {
		t.Fatalf("scanned only %d files: is %s the module root?", scanned, root)
	}
}

// TestCLIWordsInErrorsFindsThem checks the scanner itself: what it must
// find, and the comments, help texts and file headers it must leave alone.
func TestCLIWordsInErrorsFindsThem(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want int
	}{
		{"Errorf with a flag", `return fmt.Errorf("out: %q; use --resume", dir)`, 1},
		{"errors.New with a command", `var e = errors.New("see gossipsim help run")`, 1},
		{"a wrapper, concatenated", `return badInputf("grid: %q; use " + "--replicates", s)`, 1},
		{"a typed error's Error method", "", 1},
		{"a comment", `// use --resume to finish it
return fmt.Errorf("out: %q already holds a sweep", dir)`, 0},
		{"a usage string", `var usage = "(a) operator's decision time, with --reset-on time"`, 0},
		{"a file header", `b.WriteString("# Run it with --scenario FILE\n")`, 0},
		{"a process name", `return fmt.Errorf("%q is in use by gossipsim (%s)", dir, pid)`, 0},
		{"a negative number", `return fmt.Errorf("%d is below 0, e.g. --1", n)`, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "package p\nfunc f() error {\n" + tc.src + "\nreturn nil\n}\n"
			if tc.src == "" {
				src = "package p\ntype e struct{}\nfunc (e) Error() string { return \"memory: use --max-memory\" }\n"
			}
			found, err := cliWordsInErrors(token.NewFileSet(), "p.go", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if len(found) != tc.want {
				t.Errorf("found %q; want %d", found, tc.want)
			}
		})
	}
}
