//go:build unix

package main

import (
	"runtime"
	"syscall"
)

// peakRSS is the process's peak resident memory in bytes so far, or 0 where
// it cannot be read. ru_maxrss is in bytes on macOS, KiB elsewhere.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) * 1024
}
