package mitigation

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestRegistryRows checks every row: a unique name, a one-line summary,
// help lines that fit, includes that exist (and come before), settings
// only of the parameters a preset owns, and distinct opaque colours.
func TestRegistryRows(t *testing.T) {
	ps := Presets()
	if len(ps) == 0 || ps[0].Name != None {
		t.Fatalf("the first preset must be %q (every mitigation off), got %+v", None, ps)
	}
	seen := map[string]int{}
	colours := map[any]string{}
	for i, p := range ps {
		t.Run(p.Name, func(t *testing.T) {
			if p.Name == "" || strings.ContainsAny(p.Name, " ,=\n") {
				t.Errorf("name %q is empty or has a space, comma, = or newline", p.Name)
			}
			if j, dup := seen[p.Name]; dup {
				t.Errorf("name given twice (rows %d and %d)", j, i)
			}
			seen[p.Name] = i
			if p.Summary == "" || strings.Contains(p.Summary, "\n") || len(p.Summary) > 100 {
				t.Errorf("summary %q is not one line of at most 100 characters", p.Summary)
			}
			if len(p.Help) == 0 {
				t.Error("no help lines")
			}
			for _, l := range p.Help {
				if l == "" || strings.Contains(l, "\n") || len([]rune(l)) > MaxHelpLine {
					t.Errorf("help line %q is empty, has a newline or is over %d characters", l, MaxHelpLine)
				}
			}
			for _, inc := range p.Includes {
				if j, ok := seen[inc]; !ok || j >= i {
					t.Errorf("includes %q, which is not a preset listed before it", inc)
				}
			}
			for _, s := range p.Applies() {
				if !slices.Contains(Params, s.Param) {
					t.Errorf("sets %s, which is not in Params (other presets would not switch it off)", s.Param)
				}
				if s.Value == "" {
					t.Errorf("sets %s to an empty value", s.Param)
				}
			}
			if p.Colour.A != 0xFF {
				t.Errorf("colour %v is not opaque", p.Colour)
			}
			if prev, ok := colours[p.Colour]; ok {
				t.Errorf("shares its colour with %s", prev)
			}
			colours[p.Colour] = p.Name
		})
	}
	if !slices.Equal(Names(), func() []string {
		var n []string
		for _, p := range ps {
			n = append(n, p.Name)
		}
		return n
	}()) {
		t.Errorf("Names() = %v, not the rows' names in order", Names())
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, give string
		ok         bool
	}{
		{"none", "none", true},
		{"a reset", "a-fast", true},
		{"all", "all", true},
		{"unknown", "e", false},
		{"empty", "", false},
		{"case matters", "All", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(tc.give)
			if tc.ok {
				if err != nil || p.Name != tc.give {
					t.Fatalf("Parse(%q) = %q, %v", tc.give, p.Name, err)
				}
				return
			}
			var ue *UnknownError
			if !errors.As(err, &ue) || ue.Name != tc.give {
				t.Fatalf("Parse(%q) error %v, want an *UnknownError", tc.give, err)
			}
			want := `mitigation: "` + tc.give + `" is not one of ` + strings.Join(Names(), ", ")
			if err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
		})
	}
}

func TestApplies(t *testing.T) {
	all, _ := Lookup("all")
	var want []Setting
	for _, inc := range all.Includes {
		p, _ := Lookup(inc)
		want = append(want, p.Settings...)
	}
	want = append(want, all.Settings...)
	if got := all.Applies(); !slices.Equal(got, want) {
		t.Errorf("all applies %v, want %v", got, want)
	}
	none, _ := Lookup(None)
	if len(none.Applies()) != 0 {
		t.Errorf("none applies %v, want nothing (every mitigation off)", none.Applies())
	}
	if c, ok := Colour("d"); !ok || c != mustLookup(t, "d").Colour {
		t.Errorf("Colour(d) = %v, %v", c, ok)
	}
	if _, ok := Colour("e"); ok {
		t.Error("an unknown name has a colour")
	}
}

func mustLookup(t *testing.T, name string) Preset {
	t.Helper()
	p, ok := Lookup(name)
	if !ok {
		t.Fatalf("no preset %q", name)
	}
	return p
}

// word is a token of Go source or prose: a preset name is one of them.
var word = regexp.MustCompile(`[A-Za-z0-9_-]+`)

// listsPresets reports why text lists the presets, or "" if it does not:
// a run of three or more preset names joined by list punctuation (commas,
// quotes, "or", "and", comment slashes across lines) of which at least two
// are longer than one letter (so that prose such as "(b), c, d" is not a
// list), or two or more of the names with a hyphen (a switch or map over
// them).
func listsPresets(text string) string {
	names := Names()
	isName := func(w string) bool { return slices.Contains(names, w) }
	listSep := func(sep string) bool {
		s := strings.Map(func(r rune) rune {
			if strings.ContainsRune("\"'` \t\r\n/", r) {
				return -1
			}
			return r
		}, sep)
		return s == "," || s == "or" || s == "and" || s == ",or" || s == ",and" || s == "|"
	}
	locs := word.FindAllStringIndex(text, -1)
	var run []string
	check := func() string {
		long := 0
		for _, w := range run {
			if len(w) > 1 {
				long++
			}
		}
		if len(run) >= 3 && long >= 2 {
			return "a list " + strings.Join(run, ", ")
		}
		return ""
	}
	for i, l := range locs {
		w := text[l[0]:l[1]]
		if !isName(w) {
			if why := check(); why != "" {
				return why
			}
			run = nil
			continue
		}
		if len(run) > 0 && !listSep(text[locs[i-1][1]:l[0]]) {
			if why := check(); why != "" {
				return why
			}
			run = nil
		}
		run = append(run, w)
	}
	if why := check(); why != "" {
		return why
	}
	var hyphenated []string
	for _, l := range locs {
		w := text[l[0]:l[1]]
		if isName(w) && strings.Contains(w, "-") && !slices.Contains(hyphenated, w) {
			hyphenated = append(hyphenated, w)
		}
	}
	if len(hyphenated) >= 2 {
		return "the names " + strings.Join(hyphenated, " and ")
	}
	return ""
}

// TestListsPresets checks the detector on the five places that listed the
// presets before the registry, and on mentions that are not lists.
func TestListsPresets(t *testing.T) {
	tests := []struct {
		name, text string
		list       bool
	}{
		{"slice of names", `var Mitigations = []string{"none", "a-2008", "a-fast", "b", "c", "d", "all"}`, true},
		{"usage text", `"preset of the four mitigations: none, a-2008, a-fast, b, c, d or all (gossipsim help mitigations)"`, true},
		{"doc comment over lines", "// a mitigation preset (\"none\", \"a-2008\", \"a-fast\",\n// \"b\", \"c\", \"d\", \"all\") always has", true},
		{"switch", "switch name {\ncase \"none\":\n\toff()\ncase \"a-2008\":\n\tx()\ncase \"a-fast\":\n\ty()\n}", true},
		{"colour map", `map[string]color.RGBA{"a-2008": colVermillion, "a-fast": colOrange}`, true},
		{"help text", "  a-2008  (a) reset\n  a-fast  (a) the same decision", true},
		{"grid", `mustAxis("mitigation=none,a-2008,a-fast,b,c,d,all")`, true},
		{"one preset used", `set("mitigation", "a-2008")`, false},
		{"letters in prose", `// "2008" for the replay itself, or a, b, c, d.`, false},
		{"two names", `mitigationAxis(mitigation.None, "b") // none vs b`, false},
		{"example", `("none", "a-fast", ...)`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if why := listsPresets(tc.text); (why != "") != tc.list {
				t.Errorf("listsPresets = %q, want a list: %v", why, tc.list)
			}
		})
	}
}

// TestNothingElseListsThePresets scans every non-test Go file of the
// module: only this package's registry may list the presets; everything
// else reads it.
func TestNothingElseListsThePresets(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	registry, _ := filepath.Abs("mitigation.go")
	scanned := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || path == registry {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		scanned++
		if why := listsPresets(string(b)); why != "" {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s lists the mitigation presets (%s); read models/mitigation instead", rel, why)
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
