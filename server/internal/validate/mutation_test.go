package validate

import (
	"strings"
	"testing"

	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

func TestCheckColumnOrSuperColumn(t *testing.T) {
	cosc := func(c *thriftgen.Column, sc *thriftgen.SuperColumn, cc *thriftgen.CounterColumn, csc *thriftgen.CounterSuperColumn) *thriftgen.ColumnOrSuperColumn {
		return &thriftgen.ColumnOrSuperColumn{Column: c, SuperColumn: sc, CounterColumn: cc, CounterSuperColumn: csc}
	}
	const one = "ColumnOrSuperColumn must have one (and only one) of column, super_column, counter and counter_super_column"
	ok := col(b("a"), "v")
	cases := []struct {
		name string
		tb   *schema.Table
		c    *thriftgen.ColumnOrSuperColumn
		want string
	}{
		{"none", standard1, cosc(nil, nil, nil, nil), one},
		{"two", standard1, cosc(ok, &thriftgen.SuperColumn{Name: b("sc")}, nil, nil), one},
		{"column", standard1, cosc(ok, nil, nil, nil), ""},
		{"column on counter", counter1, cosc(ok, nil, nil, nil), "invalid operation for commutative table Counter1"},
		{"column on super", super1, cosc(&thriftgen.Column{Name: long(1), Value: b("v"), Timestamp: i64(1)}, nil, nil, nil),
			"supercolumn parameter is not optional for super CF Super1"},
		{"column ttl before path", super1, cosc(&thriftgen.Column{Name: long(1), TTL: i32(-1)}, nil, nil, nil), "ttl must be greater or equal to 0"},
		{"column bad name", standardLong1, cosc(col(b("x"), "v"), nil, nil, nil), "Expected 8 or 0 byte long (1)"},
		{"column empty name", standard1, cosc(col([]byte{}, "v"), nil, nil, nil), "column name must not be empty"},
		{"column data", standard1, cosc(&thriftgen.Column{Name: b("a"), Timestamp: i64(1)}, nil, nil, nil), "Column value is required"},
		{"column validator", standardUTF8, cosc(col(b("n"), "v"), nil, nil, nil), "(Expected 8 or 0 byte long (1)) [Keyspace1][StandardUTF8][n] failed validation"},
		{"super column", super1, cosc(nil, &thriftgen.SuperColumn{Name: b("sc"), Columns: []*thriftgen.Column{{Name: long(1), Value: b("v"), Timestamp: i64(1)}}}, nil, nil), ""},
		{"super column on counter", superCounter1, cosc(nil, &thriftgen.SuperColumn{Name: b("sc")}, nil, nil), "invalid operation for commutative table SuperCounter1"},
		{"super column on standard", standard1, cosc(nil, &thriftgen.SuperColumn{Name: b("sc"), Columns: []*thriftgen.Column{ok}}, nil, nil),
			"supercolumn parameter is invalid for standard CF Standard1"},
		{"empty super column on standard", standard1, cosc(nil, &thriftgen.SuperColumn{Name: b("sc"), Columns: []*thriftgen.Column{}}, nil, nil), ""},
		{"super column bad sub", super1, cosc(nil, &thriftgen.SuperColumn{Name: b("sc"), Columns: []*thriftgen.Column{col(b("x"), "v")}}, nil, nil),
			"Expected 8 or 0 byte long (1)"},
		{"super column empty name", super1, cosc(nil, &thriftgen.SuperColumn{Name: []byte{}, Columns: []*thriftgen.Column{col(long(1), "v")}}, nil, nil),
			"supercolumn name must not be empty"},
		{"super column data", super2, cosc(nil, &thriftgen.SuperColumn{Name: b("sc"), Columns: []*thriftgen.Column{col(b("sub"), "v")}}, nil, nil),
			"(Expected 8 or 0 byte long (1)) [Keyspace1][Super2][sub] failed validation"},
		{"counter", counter1, cosc(nil, nil, &thriftgen.CounterColumn{Name: b("c"), Value: 1}, nil), ""},
		{"counter on standard", standard1, cosc(nil, nil, &thriftgen.CounterColumn{Name: b("c")}, nil), "invalid operation for non commutative table Standard1"},
		{"counter on super counter", superCounter1, cosc(nil, nil, &thriftgen.CounterColumn{Name: b("c")}, nil), "supercolumn parameter is not optional for super CF SuperCounter1"},
		{"counter empty name", counter1, cosc(nil, nil, &thriftgen.CounterColumn{Name: []byte{}}, nil), "column name must not be empty"},
		{"counter super", superCounter1, cosc(nil, nil, nil, &thriftgen.CounterSuperColumn{Name: b("sc"), Columns: []*thriftgen.CounterColumn{{Name: b("c")}}}), ""},
		{"counter super on standard", standard1, cosc(nil, nil, nil, &thriftgen.CounterSuperColumn{Name: b("sc")}), "invalid operation for non commutative table Standard1"},
		{"counter super on counter", counter1, cosc(nil, nil, nil, &thriftgen.CounterSuperColumn{Name: b("sc"), Columns: []*thriftgen.CounterColumn{{Name: b("c")}}}),
			"supercolumn parameter is invalid for standard CF Counter1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantIRE(t, CheckColumnOrSuperColumn(c.tb, c.c, now, nil), c.want) })
	}
}

func TestCheckMutation(t *testing.T) {
	const one = "mutation must have one and only one of column_or_supercolumn or deletion"
	wantIRE(t, CheckMutation(standard1, nil, now, nil), one)
	wantIRE(t, CheckMutation(standard1, &thriftgen.Mutation{}, now, nil), one)
	wantIRE(t, CheckMutation(standard1, &thriftgen.Mutation{
		ColumnOrSupercolumn: &thriftgen.ColumnOrSuperColumn{Column: col(b("a"), "v")},
		Deletion:            &thriftgen.Deletion{Timestamp: i64(1)},
	}, now, nil), one)
	wantIRE(t, CheckMutation(standard1, &thriftgen.Mutation{ColumnOrSupercolumn: &thriftgen.ColumnOrSuperColumn{Column: col(b("a"), "v")}}, now, nil), "")
	wantIRE(t, CheckMutation(standard1, &thriftgen.Mutation{Deletion: &thriftgen.Deletion{}}, now, nil), "Deletion timestamp is not optional for non commutative table Standard1")
}

func TestCheckDeletion(t *testing.T) {
	const superOnStandard = "Deletion of super columns is not possible on a standard table (KeySpace=Keyspace1 Table=Standard1 Deletion="
	cases := []struct {
		name string
		tb   *schema.Table
		d    *thriftgen.Deletion
		want string
	}{
		{"row", standard1, &thriftgen.Deletion{Timestamp: i64(1)}, ""},
		{"no timestamp", standard1, &thriftgen.Deletion{}, "Deletion timestamp is not optional for non commutative table Standard1"},
		{"counter without timestamp", counter1, &thriftgen.Deletion{}, ""},
		{"counter with timestamp", counter1, &thriftgen.Deletion{Timestamp: i64(5)}, ""},
		{"sc on standard", standard1, &thriftgen.Deletion{Timestamp: i64(1), SuperColumn: b("sc")},
			superOnStandard + "Deletion(timestamp:1, super_column:73 63))"},
		{"sc on standard before timestamp", standard1, &thriftgen.Deletion{SuperColumn: b("sc")},
			superOnStandard + "Deletion(super_column:73 63))"},
		{"sc on standard with range", standard1, &thriftgen.Deletion{Timestamp: i64(7), SuperColumn: b("sc"), Predicate: rng(b("a"), []byte{}, true, 10)},
			superOnStandard + "Deletion(timestamp:7, super_column:73 63, predicate:SlicePredicate(slice_range:SliceRange(start:61, finish:, reversed:true, count:10))))"},
		{"sc on standard with names", standard1, &thriftgen.Deletion{Timestamp: i64(1), SuperColumn: b("sc"), Predicate: names(b("a"))},
			"supercolumn specified to table Standard1 containing normal columns"},
		{"empty sc is a bad name", standard1, &thriftgen.Deletion{Timestamp: i64(1), SuperColumn: []byte{}}, "column name must not be empty"},
		{"sc name validated first", standardLong1, &thriftgen.Deletion{SuperColumn: b("sc"), Predicate: &thriftgen.SlicePredicate{}}, "Expected 8 or 0 byte long (2)"},
		{"empty predicate", standard1, &thriftgen.Deletion{Timestamp: i64(1), Predicate: &thriftgen.SlicePredicate{}}, "A SlicePredicate must be given a list of Columns, a SliceRange, or both"},
		{"predicate before timestamp", standard1, &thriftgen.Deletion{Predicate: &thriftgen.SlicePredicate{}}, "A SlicePredicate must be given a list of Columns, a SliceRange, or both"},
		{"names", standard1, &thriftgen.Deletion{Timestamp: i64(1), Predicate: names(b("a"), b("b"))}, ""},
		{"range", standard1, &thriftgen.Deletion{Timestamp: i64(1), Predicate: rng(b("a"), b("c"), false, 1)}, ""},
		{"backwards range", standard1, &thriftgen.Deletion{Timestamp: i64(1), Predicate: rng(b("c"), b("a"), false, 1)}, "range finish must come after start in the order of traversal"},
		{"super sc", super1, &thriftgen.Deletion{Timestamp: i64(1), SuperColumn: b("sc")}, ""},
		{"super sub names", super1, &thriftgen.Deletion{Timestamp: i64(1), SuperColumn: b("sc"), Predicate: names(b("x"))}, "Expected 8 or 0 byte long (1)"},
		{"super names are super columns", super1, &thriftgen.Deletion{Timestamp: i64(1), Predicate: names(b("x"))}, ""},
		{"super sub range", super1, &thriftgen.Deletion{Timestamp: i64(1), SuperColumn: b("sc"), Predicate: rng(long(1), long(2), false, 1)}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantIRE(t, CheckDeletion(c.tb, c.d), c.want) })
	}
}

func TestDeletionString(t *testing.T) {
	long130 := make([]byte, 130)
	for i := range long130 {
		long130[i] = byte(i)
	}
	var hex128 []string
	for i := 0; i < 128; i++ {
		hex128 = append(hex128, strings.ToUpper(string("0123456789abcdef"[i>>4])+string("0123456789abcdef"[i&15])))
	}
	cases := []struct {
		name string
		d    *thriftgen.Deletion
		want string
	}{
		{"empty", &thriftgen.Deletion{}, "Deletion()"},
		{"timestamp", &thriftgen.Deletion{Timestamp: i64(-3)}, "Deletion(timestamp:-3)"},
		{"sc", &thriftgen.Deletion{SuperColumn: []byte{0x00, 0x7f, 0x80, 0xff}}, "Deletion(super_column:00 7F 80 FF)"},
		{"empty sc", &thriftgen.Deletion{SuperColumn: []byte{}}, "Deletion(super_column:)"},
		{"long sc", &thriftgen.Deletion{SuperColumn: long130}, "Deletion(super_column:" + strings.Join(hex128, " ") + "...)"},
		{"names", &thriftgen.Deletion{Predicate: names(b("ab"), []byte{})},
			"Deletion(predicate:SlicePredicate(column_names:[java.nio.HeapByteBuffer[pos=0 lim=2 cap=2], java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]]))"},
		{"both", &thriftgen.Deletion{Timestamp: i64(1), SuperColumn: b("s"), Predicate: &thriftgen.SlicePredicate{
			ColumnNames: [][]byte{},
			SliceRange:  &thriftgen.SliceRange{Start: []byte{1}, Finish: []byte{2, 3}, Count: 100}}},
			"Deletion(timestamp:1, super_column:73, predicate:SlicePredicate(column_names:[], slice_range:SliceRange(start:01, finish:02 03, reversed:false, count:100)))"},
		{"empty predicate", &thriftgen.Deletion{Predicate: &thriftgen.SlicePredicate{}}, "Deletion(predicate:SlicePredicate())"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := DeletionString(c.d); got != c.want {
				t.Fatalf("\n got: %s\nwant: %s", got, c.want)
			}
		})
	}
}

func TestNilRequestParts(t *testing.T) {
	wantIRE(t, CheckColumnOrSuperColumn(standard1, nil, now, nil), "Required field 'column_or_supercolumn' was not present")
	wantIRE(t, CheckDeletion(standard1, nil), "Required field 'deletion' was not present")
	wantIRE(t, CheckDeletionPredicate(standard1, nil, nil), "Required field 'predicate' was not present")
	wantIRE(t, CheckSliceRange(standard1, nil, nil), "Required field 'slice_range' was not present")
	wantIRE(t, CheckColumnData(standard1, nil, nil, now, nil), "Required field 'column' was not present")
	wantIRE(t, CheckColumnOrSuperColumn(super1, &thriftgen.ColumnOrSuperColumn{SuperColumn: &thriftgen.SuperColumn{Name: b("s"), Columns: []*thriftgen.Column{nil}}}, now, nil),
		"Required field 'column' was not present")
	if got := DeletionString(nil); got != "null" {
		t.Fatalf("DeletionString(nil) = %q", got)
	}
	_, ire := CheckFilterClauses(indexed1, []*thriftgen.IndexExpression{nil})
	wantIRE(t, ire, "Required field 'expression' was not present")
}

func TestCheckDeletionApply(t *testing.T) {
	// CassandraServer.deleteColumnOrSuperColumn (3.11) refuses a
	// slice_range deletion inside a super column; column_names wins over
	// slice_range, so a deletion carrying both is not refused.
	const refused = "Cannot delete a range of subcolumns in a super column"
	rangeDel := func(sc []byte, names [][]byte) *thriftgen.Mutation {
		return &thriftgen.Mutation{Deletion: &thriftgen.Deletion{Timestamp: i64(1), SuperColumn: sc,
			Predicate: &thriftgen.SlicePredicate{ColumnNames: names, SliceRange: &thriftgen.SliceRange{Start: long(1), Finish: long(2), Count: 10}}}}
	}
	wantIRE(t, CheckMutation(super1, rangeDel(b("sc"), nil), now, nil), refused)
	wantIRE(t, CheckMutation(super1, rangeDel(b("sc"), [][]byte{long(1)}), now, nil), "")
	wantIRE(t, CheckMutation(super1, rangeDel(nil, nil), now, nil), "") // whole super columns
	// The name checks come first.
	bad := rangeDel([]byte{}, nil)
	wantIRE(t, CheckMutation(super1, bad, now, nil), "column name must not be empty")
}
