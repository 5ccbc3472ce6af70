//go:build unix

package sim

import (
	"syscall"
	"time"
)

// cpuTime is the process's user + system CPU time. Benchmarks report it per
// event beside wall time: on a machine shared with other work, wall time per
// event mostly measures the others' turns on the CPU, CPU time much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
