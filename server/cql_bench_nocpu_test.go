//go:build !unix

package server_test

import "time"

// processCPU is not measured here: the benchmarks report rates only.
func processCPU() time.Duration { return 0 }
