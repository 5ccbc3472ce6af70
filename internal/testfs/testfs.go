// Package testfs holds file-system helpers for tests: what a directory holds
// after a command wrote, refused or failed. Only tests import it.
package testfs

import (
	"os"
	"testing"
)

// Names returns the names of dir's entries, sorted (os.ReadDir's order);
// it fails the test if dir cannot be read.
func Names(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
