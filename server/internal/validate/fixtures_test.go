package validate

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// The fixtures follow the schema of Cassandra's Thrift system tests
// (Keyspace1 with standard, super, counter and indexed column families).

const ks1 = "Keyspace1"

// now is a fixed server clock: 2026-11-22T02:30:00Z.
var now = time.Date(2026, 11, 22, 2, 30, 0, 0, time.UTC)

func table(name string, mod func(*schema.Table)) *schema.Table {
	t := &schema.Table{
		Keyspace:         ks1,
		Name:             name,
		Comparator:       codec.Bytes,
		KeyValidator:     codec.Bytes,
		DefaultValidator: codec.Bytes,
	}
	if mod != nil {
		mod(t)
	}
	return t
}

var (
	standard1 = table("Standard1", nil)
	// StandardLong1 has LongType names and LongType keys.
	standardLong1 = table("StandardLong1", func(t *schema.Table) {
		t.Comparator = codec.Long
		t.KeyValidator = codec.Long
	})
	// StandardUTF8 has UTF8Type names and a LongType default validator, and
	// a "utf" column validated as UTF8Type.
	standardUTF8 = table("StandardUTF8", func(t *schema.Table) {
		t.Comparator = codec.UTF8
		t.DefaultValidator = codec.Long
		t.Columns = []*schema.Column{{Name: []byte("utf"), Validator: codec.UTF8}}
	})
	reversedLong = table("ReversedLong", func(t *schema.Table) { t.Comparator = codec.Reversed(codec.Long) })
	super1       = table("Super1", func(t *schema.Table) {
		t.Super = true
		t.Comparator = codec.Bytes
		t.SubComparator = codec.Long
	})
	super2 = table("Super2", func(t *schema.Table) { // UTF8 super column names, UTF8 subcolumns, Long values
		t.Super = true
		t.Comparator = codec.UTF8
		t.SubComparator = codec.UTF8
		t.DefaultValidator = codec.Long
	})
	counter1 = table("Counter1", func(t *schema.Table) {
		t.Counter = true
		t.DefaultValidator = codec.CounterColumn
	})
	superCounter1 = table("SuperCounter1", func(t *schema.Table) {
		t.Super = true
		t.Counter = true
		t.SubComparator = codec.Bytes
		t.DefaultValidator = codec.CounterColumn
	})
	// Indexed1: birthdate (LongType) and email (BytesType) have KEYS
	// indexes, custom a CUSTOM index, state (UTF8Type) none.
	indexed1 = table("Indexed1", func(t *schema.Table) {
		t.Columns = []*schema.Column{
			{Name: []byte("birthdate"), Validator: codec.Long, Index: &schema.Index{Name: "birthdate_index", Type: thriftgen.IndexType_KEYS}},
			{Name: []byte("custom"), Validator: codec.Bytes, Index: &schema.Index{Name: "custom_index", Type: thriftgen.IndexType_CUSTOM}},
			{Name: []byte("email"), Validator: codec.Bytes, Index: &schema.Index{Name: "email_index", Type: thriftgen.IndexType_KEYS}},
			{Name: []byte("state"), Validator: codec.UTF8},
		}
	})
	defaultTTL = table("DefaultTTL", func(t *schema.Table) { t.DefaultTTL = 400000000 })
	// CQLTable is a CQL table (not COMPACT STORAGE): (k blob, c int, v text,
	// l list<int>, PRIMARY KEY (k, c)), whose Thrift names are composites.
	cqlTable = table("CQLTable", func(t *schema.Table) {
		t.Compound = true
		t.PartitionKey = []*schema.ColumnDefinition{{Name: "k", NameBytes: b("k"), Kind: schema.PartitionKey, Type: codec.Bytes}}
		t.Clustering = []*schema.ColumnDefinition{{Name: "c", NameBytes: b("c"), Kind: schema.Clustering, Type: codec.Int32}}
		list := codec.List(codec.Int32, true)
		t.Regulars = []*schema.ColumnDefinition{
			{Name: "l", NameBytes: b("l"), Kind: schema.Regular, Position: -1, Type: list},
			{Name: "v", NameBytes: b("v"), Kind: schema.Regular, Position: -1, Type: codec.UTF8},
		}
		t.Comparator = codec.Composite(codec.Int32, codec.UTF8, codec.ColumnToCollection(map[string]*codec.CollectionType{"l": list}))
	})
)

func keyspace(strategy string, opts map[string]string) *schema.Keyspace {
	ks := &schema.Keyspace{Name: ks1, StrategyClass: strategy, StrategyOptions: opts, DurableWrites: true, Tables: map[string]*schema.Table{}}
	for _, t := range []*schema.Table{standard1, standardLong1, standardUTF8, reversedLong, super1, super2, counter1, superCounter1, indexed1, defaultTTL, cqlTable} {
		ks.Tables[t.Name] = t
	}
	return ks
}

func simple(rf string) *schema.Keyspace {
	return keyspace(schema.SimpleStrategy, map[string]string{"replication_factor": rf})
}

var rf1 = simple("1")

// catalog is a KeyspaceSource over a fixed set of keyspaces.
type catalog map[string]*schema.Keyspace

func (c catalog) Keyspace(name string) *schema.Keyspace { return c[name] }

var cat = catalog{ks1: rf1}

// Helpers that build Thrift structs tersely.

func b(s string) []byte { return []byte(s) }

func long(v int64) []byte { return codec.AppendLong(nil, v) }

func i64(v int64) *int64 { return &v }

func i32(v int32) *int32 { return &v }

func str(s string) *string { return &s }

func col(name []byte, value string) *thriftgen.Column {
	return &thriftgen.Column{Name: name, Value: b(value), Timestamp: i64(1)}
}

func parent(cf string) *thriftgen.ColumnParent { return &thriftgen.ColumnParent{ColumnFamily: cf} }

func parentSC(cf string, sc []byte) *thriftgen.ColumnParent {
	return &thriftgen.ColumnParent{ColumnFamily: cf, SuperColumn: sc}
}

func names(n ...[]byte) *thriftgen.SlicePredicate { return &thriftgen.SlicePredicate{ColumnNames: n} }

func rng(start, finish []byte, reversed bool, count int32) *thriftgen.SlicePredicate {
	return &thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: start, Finish: finish, Reversed: reversed, Count: count}}
}

func all() *thriftgen.SlicePredicate { return rng([]byte{}, []byte{}, false, 100) }

func keys(start, end string) *thriftgen.KeyRange {
	return &thriftgen.KeyRange{StartKey: b(start), EndKey: b(end), Count: 100}
}

func expr(name []byte, op thriftgen.IndexOperator, value []byte) *thriftgen.IndexExpression {
	return &thriftgen.IndexExpression{ColumnName: name, Op: op, Value: value}
}

// wantErr asserts err's message: "" means no error; "UE" means an
// *UnavailableError; anything else must be the exact why of an
// InvalidRequestException.
func wantErr(t *testing.T, err error, want string) {
	t.Helper()
	switch want {
	case "":
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
	case "UE":
		var ue *UnavailableError
		if !errors.As(err, &ue) {
			t.Fatalf("got %v, want UnavailableError", err)
		}
	default:
		var ire *thriftgen.InvalidRequestException
		if !errors.As(err, &ire) {
			t.Fatalf("got %v (%T), want InvalidRequestException %q", err, err, want)
		}
		if ire.Why != want {
			t.Fatalf("why mismatch\n got: %s\nwant: %s", ire.Why, want)
		}
	}
}

// wantIRE is wantErr for the building blocks, which return
// *InvalidRequestException.
func wantIRE(t *testing.T, ire *thriftgen.InvalidRequestException, want string) {
	t.Helper()
	wantErr(t, asError(ire), want)
}

func bigName(n int) []byte { return bytes.Repeat([]byte("x"), n) }
