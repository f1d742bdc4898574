package cassatest

import (
	"os"
	"sync"
	"testing"
)

// CQLHostsFromEnv returns the addresses CASSA_TEST_CQL_HOSTS lists (spaces
// ignored), or nil when it is unset or empty.
func CQLHostsFromEnv() []string {
	return splitAddrs(os.Getenv(EnvCQLHosts))
}

// CQLHosts returns the CQL addresses a test talks to: those of
// CASSA_TEST_CQL_HOSTS when it is set, otherwise the CQL address of an
// embedded server started for the test. Every call from the same test
// (the same tb) gets the same server, so each session the test opens
// sees the others' schema and data; the server closes when the test ends.
// A CQL suite calls it wherever it needs hosts, and so runs unchanged
// against the embedded server (go test) and against a real node
// (make test-refnode).
func CQLHosts(tb testing.TB) []string {
	tb.Helper()
	if hosts := CQLHostsFromEnv(); hosts != nil {
		return hosts
	}
	cqlServersMu.Lock()
	defer cqlServersMu.Unlock()
	addr, ok := cqlServers[tb]
	if !ok {
		addr = Start(tb).CQLAddr()
		cqlServers[tb] = addr
		tb.Cleanup(func() {
			cqlServersMu.Lock()
			delete(cqlServers, tb)
			cqlServersMu.Unlock()
		})
	}
	return []string{addr}
}

// cqlServers holds the embedded server address of each running test that
// called CQLHosts.
var (
	cqlServersMu sync.Mutex
	cqlServers   = map[testing.TB]string{}
)
