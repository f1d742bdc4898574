package schema

import (
	"errors"
	"testing"

	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

func sp(s string) *string { return &s }
func ip(v int32) *int32   { return &v }
func fp(v float64) *float64 {
	return &v
}
func itp(t thriftgen.IndexType) *thriftgen.IndexType { return &t }

// seqIDs makes table IDs deterministic in tests.
func seqIDs() func() uuid.UUID {
	var n byte
	return func() uuid.UUID {
		n++
		return uuid.UUID{15: n}
	}
}

func newSchema() *Schema { return New(Options{NewID: seqIDs()}) }

func simpleKs(name string, cfs ...*thriftgen.CfDef) *thriftgen.KsDef {
	if cfs == nil {
		cfs = []*thriftgen.CfDef{}
	}
	return &thriftgen.KsDef{Name: name, StrategyClass: "SimpleStrategy",
		StrategyOptions: map[string]string{"replication_factor": "1"}, CfDefs: cfs, DurableWrites: true}
}

func cf(ks, name string) *thriftgen.CfDef { return &thriftgen.CfDef{Keyspace: ks, Name: name} }

// why returns the InvalidRequestException text of err ("" for nil) and
// fails on any other error type.
func why(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var e *thriftgen.InvalidRequestException
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not an InvalidRequestException", err, err)
	}
	return e.Why
}

// mustKs creates Keyspace1 with the given column families.
func mustKs(t *testing.T, s *Schema, name string, cfs ...*thriftgen.CfDef) {
	t.Helper()
	if _, err := s.AddKeyspace(simpleKs(name, cfs...)); err != nil {
		t.Fatalf("AddKeyspace(%s): %v", name, err)
	}
}
