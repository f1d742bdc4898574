package cassa

import (
	"fmt"
	"strings"
)

// Consistency is a Cassandra consistency level: how many replicas must
// answer a read or acknowledge a write. The zero value means the default of
// whatever runs the request (a column family's default level, itself ONE
// unless configured). Each transport maps the levels to its own codes.
type Consistency uint8

// The consistency levels, as Cassandra's ConsistencyLevel names them.
const (
	Any Consistency = iota + 1
	One
	Two
	Three
	Quorum
	All
	LocalQuorum
	EachQuorum
	Serial
	LocalSerial
	LocalOne
)

var consistencyNames = [...]string{
	0:           "DEFAULT",
	Any:         "ANY",
	One:         "ONE",
	Two:         "TWO",
	Three:       "THREE",
	Quorum:      "QUORUM",
	All:         "ALL",
	LocalQuorum: "LOCAL_QUORUM",
	EachQuorum:  "EACH_QUORUM",
	Serial:      "SERIAL",
	LocalSerial: "LOCAL_SERIAL",
	LocalOne:    "LOCAL_ONE",
}

// String names the level as Cassandra does ("ONE", "LOCAL_QUORUM", ...);
// the zero value is "DEFAULT".
func (c Consistency) String() string {
	if int(c) < len(consistencyNames) {
		return consistencyNames[c]
	}
	return fmt.Sprintf("Consistency(%d)", c)
}

// ParseConsistency reads a level as Cassandra names it, in any case
// ("quorum", "LOCAL_ONE").
func ParseConsistency(s string) (Consistency, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	for c := Any; c <= LocalOne; c++ {
		if consistencyNames[c] == u {
			return c, nil
		}
	}
	return 0, fmt.Errorf("cassa: unknown consistency level %q (want one of %s)", s, strings.Join(consistencyNames[Any:], ", "))
}
