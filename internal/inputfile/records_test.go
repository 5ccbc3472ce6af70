package inputfile

import (
	"slices"
	"strings"
	"testing"
)

func TestRecords(t *testing.T) {
	data := "# a comment\r\nnode, zone ,rack\r\n\n  \n0,1,2\n# another\n" + "3," + strings.Repeat("9", 100_000) + "\n4,5"
	type rec struct {
		line   int
		fields []string
	}
	var got []rec
	for line, f := range Records([]byte(data)) {
		got = append(got, rec{line, f})
	}
	want := []rec{{2, []string{"node", "zone", "rack"}}, {5, []string{"0", "1", "2"}}, {7, []string{"3", strings.Repeat("9", 100_000)}}, {8, []string{"4", "5"}}}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].line != want[i].line || !slices.Equal(got[i].fields, want[i].fields) {
			t.Fatalf("record %d: line %d %.40q, want line %d %.40q", i, got[i].line, got[i].fields, want[i].line, want[i].fields)
		}
	}
	for range Records([]byte("a\nb\n")) {
		break // stopping early must not panic
	}
}
