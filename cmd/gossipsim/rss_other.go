//go:build !unix

package main

// peakRSS is not measured on this platform: 0 means unknown.
func peakRSS() int64 { return 0 }
