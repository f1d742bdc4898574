package validate

import (
	"testing"

	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// The method tests pin the check order of each Thrift method: each case
// makes two or more things wrong at once and expects the one Cassandra
// reports first.

func TestValidateGet(t *testing.T) {
	path := &thriftgen.ColumnPath{ColumnFamily: "Standard1", Column: b("c")}
	badPath := &thriftgen.ColumnPath{ColumnFamily: "Standard1"}
	cases := []struct {
		name string
		ks   *schema.Keyspace
		tb   *schema.Table
		key  []byte
		p    *thriftgen.ColumnPath
		cl   thriftgen.ConsistencyLevel
		want string
	}{
		{"ok", rf1, standard1, b("k"), path, ONE, ""},
		{"path before CL", rf1, standard1, b("k"), badPath, ANY, "column parameter is not optional for standard CF Standard1"},
		{"CL before key", rf1, standard1, nil, path, ANY, "ANY ConsistencyLevel is only supported for writes"},
		// EACH_QUORUM reads pass validateForRead in 3.11: the key check follows.
		{"each quorum read", rf1, standard1, nil, path, EACH_QUORUM, "Key may not be empty"},
		{"key", rf1, standard1, nil, path, ONE, "Key may not be empty"},
		{"key before availability", simple("3"), standard1, nil, path, ALL, "Key may not be empty"},
		{"availability", rf1, standard1, b("k"), path, TWO, "UE"},
		{"serial read of one row", rf1, standard1, b("k"), path, SERIAL, ""},
		{"counter table readable", rf1, counter1, b("k"), &thriftgen.ColumnPath{ColumnFamily: "Counter1", Column: b("c")}, ONE, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, ValidateGet(c.ks, c.tb, c.key, c.p, c.cl), c.want) })
	}
}

func TestValidateGetSliceAndMultiget(t *testing.T) {
	cases := []struct {
		name string
		ks   *schema.Keyspace
		keys [][]byte
		par  *thriftgen.ColumnParent
		pred *thriftgen.SlicePredicate
		cl   thriftgen.ConsistencyLevel
		want string
	}{
		{"ok", rf1, [][]byte{b("a"), b("b")}, parent("Standard1"), all(), ONE, ""},
		{"parent first", rf1, [][]byte{nil}, parentSC("Standard1", b("x")), &thriftgen.SlicePredicate{}, ANY, "table alone is required for standard CF Standard1"},
		{"predicate before CL", rf1, [][]byte{nil}, parent("Standard1"), &thriftgen.SlicePredicate{}, ANY, "predicate column_names and slice_range may not both be null"},
		{"range before CL", rf1, [][]byte{nil}, parent("Standard1"), rng(b("b"), b("a"), false, 1), ANY, "range finish must come after start in the order of traversal"},
		{"CL before keys", rf1, [][]byte{nil}, parent("Standard1"), all(), ANY, "ANY ConsistencyLevel is only supported for writes"},
		{"second key", rf1, [][]byte{b("a"), bigName(65536)}, parent("Standard1"), all(), ONE, "Key length of 65536 is longer than maximum of 65535"},
		{"keys before serial rule", rf1, [][]byte{b("a"), nil}, parent("Standard1"), all(), SERIAL, "Key may not be empty"},
		{"serial many keys", rf1, [][]byte{b("a"), b("b")}, parent("Standard1"), all(), SERIAL, "SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time"},
		{"local serial same key twice", rf1, [][]byte{b("a"), b("a")}, parent("Standard1"), all(), LOCAL_SERIAL, "SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time"},
		{"serial rule before availability", simple("3"), [][]byte{b("a"), b("b")}, parent("Standard1"), all(), SERIAL, "SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time"},
		{"serial one key", rf1, [][]byte{b("a")}, parent("Standard1"), all(), SERIAL, ""},
		{"serial unavailable", simple("2"), [][]byte{b("a")}, parent("Standard1"), all(), SERIAL, "UE"},
		{"unavailable", rf1, [][]byte{b("a")}, parent("Standard1"), all(), THREE, "UE"},
		{"no keys reads nothing", rf1, [][]byte{}, parent("Standard1"), all(), THREE, ""},
		{"no keys still checks CL", rf1, nil, parent("Standard1"), all(), ANY, "ANY ConsistencyLevel is only supported for writes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, ValidateMultiget(c.ks, standard1, c.keys, c.par, c.pred, c.cl), c.want)
			if len(c.keys) == 1 {
				wantErr(t, ValidateGetSlice(c.ks, standard1, c.keys[0], c.par, c.pred, c.cl), c.want)
			}
		})
	}
	// Super column family: names under a super column use the subcomparator.
	wantErr(t, ValidateGetSlice(rf1, super1, b("k"), parentSC("Super1", b("sc")), names(b("x")), ONE), "Expected 8 or 0 byte long (1)")
	wantErr(t, ValidateGetSlice(rf1, super1, b("k"), parent("Super1"), names(b("x")), ONE), "")
}

func TestValidateGetCount(t *testing.T) {
	cases := []struct {
		name string
		pred *thriftgen.SlicePredicate
		key  []byte
		cl   thriftgen.ConsistencyLevel
		want string
	}{
		{"empty predicate counts the row", &thriftgen.SlicePredicate{}, b("k"), ONE, ""},
		{"nil predicate", nil, b("k"), ONE, "Required field 'predicate' was not present"},
		{"names", names(b("a")), b("k"), ONE, ""},
		{"both", &thriftgen.SlicePredicate{ColumnNames: [][]byte{}, SliceRange: &thriftgen.SliceRange{}}, b("k"), ONE, "predicate column_names and slice_range may not both be present"},
		{"bad range", rng(b("b"), b("a"), false, 1), b("k"), ONE, "range finish must come after start in the order of traversal"},
		{"negative count", rng(nil, nil, false, -1), b("k"), ONE, "get_slice requires non-negative count"},
		{"CL before key", &thriftgen.SlicePredicate{}, nil, ANY, "ANY ConsistencyLevel is only supported for writes"},
		{"key", &thriftgen.SlicePredicate{}, nil, ONE, "Key may not be empty"},
		{"availability", &thriftgen.SlicePredicate{}, b("k"), TWO, "UE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, ValidateGetCount(rf1, standard1, c.key, parent("Standard1"), c.pred, c.cl), c.want)
		})
	}
}

func TestValidateRangeSlices(t *testing.T) {
	badRange := &thriftgen.KeyRange{Count: 1}
	cases := []struct {
		name string
		ks   *schema.Keyspace
		tb   *schema.Table
		par  *thriftgen.ColumnParent
		pred *thriftgen.SlicePredicate
		kr   *thriftgen.KeyRange
		cl   thriftgen.ConsistencyLevel
		want string
	}{
		{"ok", rf1, standard1, parent("Standard1"), all(), keys("", ""), ONE, ""},
		{"parent first", rf1, standard1, parentSC("Standard1", b("s")), &thriftgen.SlicePredicate{}, badRange, ANY, "table alone is required for standard CF Standard1"},
		{"predicate before range", rf1, standard1, parent("Standard1"), &thriftgen.SlicePredicate{}, badRange, ANY, "predicate column_names and slice_range may not both be null"},
		{"range before CL", rf1, standard1, parent("Standard1"), all(), badRange, ANY, "exactly one each of {start key, start token} and {end key, end token} must be specified"},
		{"CL", rf1, standard1, parent("Standard1"), all(), keys("", ""), ANY, "ANY ConsistencyLevel is only supported for writes"},
		{"availability", simple("2"), standard1, parent("Standard1"), all(), keys("", ""), QUORUM, "UE"},
		{"row filter with super column", rf1, super1, parentSC("Super1", b("sc")), all(),
			&thriftgen.KeyRange{StartKey: b(""), EndKey: b(""), Count: 1, RowFilter: []*thriftgen.IndexExpression{expr(b("a"), thriftgen.IndexOperator_EQ, b("v"))}},
			ONE, "super columns are not supported for indexing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, ValidateRangeSlices(c.ks, c.tb, murmur3, c.par, c.pred, c.kr, c.cl), c.want)
		})
	}
}

func TestValidatePagedSlice(t *testing.T) {
	filtered := &thriftgen.KeyRange{StartKey: b(""), EndKey: b(""), Count: 10,
		RowFilter: []*thriftgen.IndexExpression{expr(b("birthdate"), thriftgen.IndexOperator_EQ, long(1))}}
	badFilter := &thriftgen.KeyRange{StartKey: b(""), EndKey: b(""), Count: 10,
		RowFilter: []*thriftgen.IndexExpression{expr(b("birthdate"), thriftgen.IndexOperator_EQ, b("x"))}}
	cases := []struct {
		name  string
		tb    *schema.Table
		kr    *thriftgen.KeyRange
		start []byte
		cl    thriftgen.ConsistencyLevel
		want  string
	}{
		{"ok", standard1, keys("", ""), []byte{}, ONE, ""},
		{"range first", standard1, &thriftgen.KeyRange{Count: 1}, b("x"), ANY, "exactly one each of {start key, start token} and {end key, end token} must be specified"},
		{"bad filter in range", indexed1, badFilter, []byte{}, ANY, "[626972746864617465]=[78] failed value validation (Expected 8 or 0 byte long (1))"},
		{"CL before the row filter rule", indexed1, filtered, []byte{}, ANY, "ANY ConsistencyLevel is only supported for writes"},
		{"row filter", indexed1, filtered, []byte{}, ONE, "Cross-row paging is not supported along with index clauses"},
		{"start column", standardLong1, keys("", ""), b("abc"), ONE, "Expected 8 or 0 byte long (3)"},
		{"start column length", standard1, keys("", ""), bigName(65536), ONE, "range start length cannot be larger than 65535"},
		{"nil start column", standard1, keys("", ""), nil, ONE, ""},
		{"availability", standard1, keys("", ""), []byte{}, TWO, "UE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, ValidatePagedSlice(rf1, c.tb, murmur3, c.kr, c.start, c.cl), c.want) })
	}
}

func TestValidateIndexedSlices(t *testing.T) {
	clause := &thriftgen.IndexClause{Expressions: []*thriftgen.IndexExpression{expr(b("birthdate"), thriftgen.IndexOperator_EQ, long(1))}, StartKey: []byte{}, Count: 10}
	empty := &thriftgen.IndexClause{Expressions: []*thriftgen.IndexExpression{}, StartKey: []byte{}, Count: 10}
	cases := []struct {
		name   string
		tb     *schema.Table
		par    *thriftgen.ColumnParent
		clause *thriftgen.IndexClause
		pred   *thriftgen.SlicePredicate
		cl     thriftgen.ConsistencyLevel
		want   string
	}{
		{"ok", indexed1, parent("Indexed1"), clause, all(), ONE, ""},
		{"counter table first", counter1, parentSC("Counter1", b("x")), empty, &thriftgen.SlicePredicate{}, ANY, "invalid operation for commutative table Counter1"},
		{"parent", indexed1, parentSC("Indexed1", b("x")), empty, &thriftgen.SlicePredicate{}, ANY, "table alone is required for standard CF Indexed1"},
		{"predicate before clause", indexed1, parent("Indexed1"), empty, &thriftgen.SlicePredicate{}, ANY, "predicate column_names and slice_range may not both be null"},
		{"clause before CL", indexed1, parent("Indexed1"), empty, all(), ANY, "index clause list may not be empty"},
		{"no indexed EQ", standard1, parent("Standard1"), clause, all(), ONE, "No indexed columns present in index clause with operator EQ"},
		{"CL", indexed1, parent("Indexed1"), clause, all(), ANY, "ANY ConsistencyLevel is only supported for writes"},
		{"each quorum read allowed", indexed1, parent("Indexed1"), clause, all(), EACH_QUORUM, ""},
		{"availability", indexed1, parent("Indexed1"), clause, all(), THREE, "UE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, ValidateIndexedSlices(rf1, c.tb, c.par, c.clause, c.pred, c.cl), c.want)
		})
	}
}

func TestValidateMultiSlice(t *testing.T) {
	slice := func(start, finish []byte) *thriftgen.ColumnSlice {
		return &thriftgen.ColumnSlice{Start: start, Finish: finish}
	}
	req := func(cf string, key []byte, reversed bool, cl thriftgen.ConsistencyLevel, s ...*thriftgen.ColumnSlice) *thriftgen.MultiSliceRequest {
		return &thriftgen.MultiSliceRequest{Key: key, ColumnParent: parent(cf), ColumnSlices: s, Reversed: reversed, Count: 1000, ConsistencyLevel: cl}
	}
	cases := []struct {
		name string
		tb   *schema.Table
		r    *thriftgen.MultiSliceRequest
		want string
	}{
		{"ok", standard1, req("Standard1", b("k"), false, ONE, slice(b("a"), b("c")), slice(b("e"), b("f"))), ""},
		{"open slices", standard1, req("Standard1", b("k"), false, ONE, slice(nil, b("c")), slice(b("e"), nil), slice(nil, nil)), ""},
		{"super first", super1, &thriftgen.MultiSliceRequest{Key: nil, ColumnParent: parentSC("Super1", []byte{}), ConsistencyLevel: ANY}, "get_multi_slice does not support super columns"},
		{"parent", standard1, &thriftgen.MultiSliceRequest{ColumnParent: parentSC("Standard1", b("x")), ConsistencyLevel: ANY}, "table alone is required for standard CF Standard1"},
		{"CL before slices", standard1, req("Standard1", nil, false, ANY, slice(b("c"), b("a"))), "ANY ConsistencyLevel is only supported for writes"},
		{"start after finish", standard1, req("Standard1", nil, false, ONE, slice(b("a"), b("b")), slice(b("c"), b("a"))), "Column slice at index 1 had start greater than finish"},
		{"reversed start before finish", standard1, req("Standard1", nil, true, ONE, slice(b("c"), b("a")), slice(b("a"), b("c"))), "Reversed column slice at index 1 had start less than finish"},
		{"reversed ok", standard1, req("Standard1", b("k"), true, ONE, slice(b("c"), b("a"))), ""},
		{"equal bounds", standard1, req("Standard1", b("k"), true, ONE, slice(b("c"), b("c"))), ""},
		{"numeric order", standardLong1, req("StandardLong1", long(1), false, ONE, slice(long(-5), long(5))), ""},
		{"slices are not validated", standardLong1, req("StandardLong1", long(1), false, ONE, slice(b("x"), nil)), ""},
		{"slices before key", standard1, req("Standard1", nil, false, ONE, slice(b("b"), b("a"))), "Column slice at index 0 had start greater than finish"},
		{"key", standard1, req("Standard1", nil, false, ONE), "Key may not be empty"},
		{"availability", standard1, req("Standard1", b("k"), false, TWO), "UE"},
		{"no parent", standard1, &thriftgen.MultiSliceRequest{Key: b("k"), ConsistencyLevel: ONE}, "Required field 'column_parent' was not present"},
		{"nil request", standard1, nil, "Required field 'request' was not present"},
		{"nil slice", standard1, req("Standard1", b("k"), false, ONE, slice(b("a"), b("b")), nil), "Required field 'column_slice' was not present"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, ValidateMultiSlice(rf1, c.tb, c.r), c.want) })
	}
	if cf, ire := ValidateMultiSliceTable(req("Standard1", nil, false, ONE)); cf != "Standard1" || ire != nil {
		t.Fatalf("ValidateMultiSliceTable = %q, %v", cf, ire)
	}
}

func TestValidateInsert(t *testing.T) {
	cases := []struct {
		name string
		ks   *schema.Keyspace
		tb   *schema.Table
		key  []byte
		par  *thriftgen.ColumnParent
		c    *thriftgen.Column
		cl   thriftgen.ConsistencyLevel
		want string
	}{
		{"ok", rf1, standard1, b("k"), parent("Standard1"), col(b("c"), "v"), ONE, ""},
		{"ok at ANY with RF 0", simple("0"), standard1, b("k"), parent("Standard1"), col(b("c"), "v"), ANY, ""},
		{"counter table first", rf1, counter1, nil, parentSC("Counter1", b("x")), col(nil, "v"), SERIAL, "invalid operation for commutative table Counter1"},
		{"key before parent", rf1, standard1, nil, parentSC("Standard1", b("x")), col(nil, "v"), SERIAL, "Key may not be empty"},
		{"key validator", rf1, standardLong1, b("k"), parent("StandardLong1"), col(long(1), "v"), ONE, "Expected 8 or 0 byte long (1)"},
		{"parent before name", rf1, standard1, b("k"), parentSC("Standard1", b("x")), col(nil, "v"), SERIAL, "table alone is required for standard CF Standard1"},
		{"super column required", rf1, super1, b("k"), parent("Super1"), col(nil, "v"), SERIAL, "missing mandatory super column name for super CF Super1"},
		{"name before data", rf1, standard1, b("k"), parent("Standard1"), &thriftgen.Column{Name: []byte{}, TTL: i32(0)}, SERIAL, "column name must not be empty"},
		{"name too long", rf1, standard1, b("k"), parent("Standard1"), col(bigName(65536), "v"), ONE, "column name length must not be greater than 65535"},
		{"name max", rf1, standard1, b("k"), parent("Standard1"), col(bigName(65535), "v"), ONE, ""},
		{"sub name", rf1, super1, b("k"), parentSC("Super1", b("sc")), col(b("x"), "v"), ONE, "Expected 8 or 0 byte long (1)"},
		{"super ok", rf1, super1, b("k"), parentSC("Super1", b("sc")), col(long(1), "v"), ONE, ""},
		{"ttl before CL", rf1, standard1, b("k"), parent("Standard1"), &thriftgen.Column{Name: b("c"), TTL: i32(-1)}, SERIAL, "ttl must be greater or equal to 0"},
		{"value", rf1, standard1, b("k"), parent("Standard1"), &thriftgen.Column{Name: b("c")}, SERIAL, "Column value is required"},
		{"timestamp", rf1, standard1, b("k"), parent("Standard1"), &thriftgen.Column{Name: b("c"), Value: b("v")}, SERIAL, "Column timestamp is required"},
		{"validator", rf1, standardUTF8, b("k"), parent("StandardUTF8"), col(b("age"), "x"), SERIAL, "(Expected 8 or 0 byte long (1)) [Keyspace1][StandardUTF8][age] failed validation"},
		{"index size", rf1, indexed1, b("k"), parent("Indexed1"), &thriftgen.Column{Name: b("email"), Value: make([]byte, 65535), Timestamp: i64(1)}, SERIAL,
			"Cannot index value of size 65535 for index email_index on Keyspace1.Indexed1(656d61696c) (maximum allowed size=65535)"},
		{"write CL", rf1, standard1, b("k"), parent("Standard1"), col(b("c"), "v"), SERIAL, "You must use conditional updates for serializable writes"},
		{"local serial", rf1, standard1, b("k"), parent("Standard1"), col(b("c"), "v"), LOCAL_SERIAL, "You must use conditional updates for serializable writes"},
		{"CL before availability", simple("0"), standard1, b("k"), parent("Standard1"), col(b("c"), "v"), SERIAL, "You must use conditional updates for serializable writes"},
		{"availability", simple("2"), standard1, b("k"), parent("Standard1"), col(b("c"), "v"), ALL, "UE"},
		{"each quorum write", rf1, standard1, b("k"), parent("Standard1"), col(b("c"), "v"), EACH_QUORUM, ""},
		{"nil column", rf1, standard1, b("k"), parent("Standard1"), nil, ONE, "Required field 'column' was not present"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, ValidateInsert(c.ks, c.tb, c.key, c.par, c.c, c.cl, now, nil), c.want) })
	}
}

func TestValidateAdd(t *testing.T) {
	cc := func(name []byte) *thriftgen.CounterColumn { return &thriftgen.CounterColumn{Name: name, Value: 1} }
	cases := []struct {
		name string
		ks   *schema.Keyspace
		tb   *schema.Table
		key  []byte
		par  *thriftgen.ColumnParent
		c    *thriftgen.CounterColumn
		cl   thriftgen.ConsistencyLevel
		want string
	}{
		{"ok", rf1, counter1, b("k"), parent("Counter1"), cc(b("c")), ONE, ""},
		{"normal table first", rf1, standard1, nil, parent("Standard1"), cc(b("c")), ANY, "invalid operation for non commutative table Standard1"},
		{"key before CL", rf1, counter1, nil, parentSC("Counter1", b("x")), cc(nil), ANY, "Key may not be empty"},
		{"any", rf1, counter1, b("k"), parentSC("Counter1", b("x")), cc(nil), ANY, "Consistency level ANY is not yet supported for counter table Counter1"},
		{"serial", rf1, counter1, b("k"), parentSC("Counter1", b("x")), cc(nil), SERIAL, "Counter operations are inherently non-serializable"},
		{"local serial", rf1, counter1, b("k"), parent("Counter1"), cc(b("c")), LOCAL_SERIAL, "Counter operations are inherently non-serializable"},
		{"CL before parent", rf1, counter1, b("k"), parentSC("Counter1", b("x")), cc(nil), SERIAL, "Counter operations are inherently non-serializable"},
		{"parent", rf1, counter1, b("k"), parentSC("Counter1", b("x")), cc(nil), ONE, "table alone is required for standard CF Counter1"},
		{"super column required", rf1, superCounter1, b("k"), parent("SuperCounter1"), cc(nil), ONE, "missing mandatory super column name for super CF SuperCounter1"},
		{"name", rf1, counter1, b("k"), parent("Counter1"), cc([]byte{}), ONE, "column name must not be empty"},
		{"super ok", rf1, superCounter1, b("k"), parentSC("SuperCounter1", b("sc")), cc(b("c")), ONE, ""},
		{"availability", simple("3"), counter1, b("k"), parent("Counter1"), cc(b("c")), QUORUM, "UE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, ValidateAdd(c.ks, c.tb, c.key, c.par, c.c, c.cl), c.want) })
	}
}

func TestValidateRemove(t *testing.T) {
	path := func(cf string, sc, c []byte) *thriftgen.ColumnPath {
		return &thriftgen.ColumnPath{ColumnFamily: cf, SuperColumn: sc, Column: c}
	}
	cases := []struct {
		name    string
		ks      *schema.Keyspace
		tb      *schema.Table
		key     []byte
		p       *thriftgen.ColumnPath
		cl      thriftgen.ConsistencyLevel
		counter bool
		want    string
	}{
		{"row", rf1, standard1, b("k"), path("Standard1", nil, nil), ONE, false, ""},
		{"counter table", rf1, counter1, nil, path("Counter1", b("x"), nil), SERIAL, false, "invalid operation for commutative table Counter1"},
		{"key before path", rf1, standard1, nil, path("Standard1", b("x"), nil), SERIAL, false, "Key may not be empty"},
		{"path before CL", rf1, standard1, b("k"), path("Standard1", b("x"), nil), SERIAL, false, "supercolumn may not be specified for standard CF Standard1"},
		{"super column without sc", rf1, super1, b("k"), path("Super1", nil, long(1)), ONE, false, "A column cannot be specified without specifying a super column for removal on super CF Super1"},
		{"CL", rf1, standard1, b("k"), path("Standard1", nil, b("c")), LOCAL_SERIAL, false, "You must use conditional updates for serializable writes"},
		{"unknown CL", rf1, standard1, b("k"), path("Standard1", nil, b("c")), 0, false, "Invalid consistency level 0"},
		{"availability", simple("2"), standard1, b("k"), path("Standard1", nil, b("c")), TWO, false, "UE"},
		{"counter ok", rf1, counter1, b("k"), path("Counter1", nil, b("c")), ONE, true, ""},
		{"counter on normal table", rf1, standard1, nil, path("Standard1", nil, nil), ANY, true, "invalid operation for non commutative table Standard1"},
		{"counter key", rf1, counter1, nil, path("Counter1", b("x"), nil), ANY, true, "Key may not be empty"},
		{"counter path before CL", rf1, counter1, b("k"), path("Counter1", b("x"), nil), ANY, true, "supercolumn may not be specified for standard CF Counter1"},
		{"counter any", rf1, counter1, b("k"), path("Counter1", nil, b("c")), ANY, true, "Consistency level ANY is not yet supported for counter table Counter1"},
		{"counter serial", rf1, counter1, b("k"), path("Counter1", nil, b("c")), SERIAL, true, "Counter operations are inherently non-serializable"},
		{"counter availability", simple("2"), counter1, b("k"), path("Counter1", nil, nil), ALL, true, "UE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.counter {
				wantErr(t, ValidateRemoveCounter(c.ks, c.tb, c.key, c.p, c.cl), c.want)
			} else {
				wantErr(t, ValidateRemove(c.ks, c.tb, c.key, c.p, c.cl), c.want)
			}
		})
	}
}

func TestValidateBatchMutate(t *testing.T) {
	ins := func(name, value string) *thriftgen.Mutation {
		return &thriftgen.Mutation{ColumnOrSupercolumn: &thriftgen.ColumnOrSuperColumn{Column: col(b(name), value)}}
	}
	del := func(ts *int64) *thriftgen.Mutation {
		return &thriftgen.Mutation{Deletion: &thriftgen.Deletion{Timestamp: ts}}
	}
	inc := func(name string) *thriftgen.Mutation {
		return &thriftgen.Mutation{ColumnOrSupercolumn: &thriftgen.ColumnOrSuperColumn{CounterColumn: &thriftgen.CounterColumn{Name: b(name), Value: 1}}}
	}
	delNames := func(ts *int64, names ...[]byte) *thriftgen.Mutation {
		if names == nil {
			names = [][]byte{}
		}
		return &thriftgen.Mutation{Deletion: &thriftgen.Deletion{Timestamp: ts, Predicate: &thriftgen.SlicePredicate{ColumnNames: names}}}
	}
	emptySuper := &thriftgen.Mutation{ColumnOrSupercolumn: &thriftgen.ColumnOrSuperColumn{SuperColumn: &thriftgen.SuperColumn{Name: b("sc"), Columns: []*thriftgen.Column{}}}}
	emptyCounterSuper := &thriftgen.Mutation{ColumnOrSupercolumn: &thriftgen.ColumnOrSuperColumn{CounterSuperColumn: &thriftgen.CounterSuperColumn{Name: b("sc"), Columns: []*thriftgen.CounterColumn{}}}}
	type mm = map[string]map[string][]*thriftgen.Mutation
	cases := []struct {
		name    string
		src     KeyspaceSource
		session string
		m       mm
		cl      thriftgen.ConsistencyLevel
		atomic  bool
		want    string
	}{
		{"ok", cat, ks1, mm{"k1": {"Standard1": {ins("a", "1"), del(i64(2))}}, "k2": {"Super1": {}}}, ONE, false, ""},
		{"no keyspace", cat, "", mm{}, ONE, false, "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename"},
		{"empty map checks the CL", cat, ks1, mm{}, SERIAL, false, "You must use conditional updates for serializable writes"},
		{"empty map needs no replica", catalog{ks1: simple("0")}, ks1, mm{}, ONE, false, ""},
		{"row with no tables needs no replica", catalog{ks1: simple("0")}, ks1, mm{"k": {}}, ONE, false, ""},
		// Cassandra 3.11's createMutationList adds a PartitionUpdate for every
		// column family named, even one that writes nothing, and
		// Mutation.isEmpty only asks whether updates were added: the write
		// reaches StorageProxy, which finds no replica (2.2 dropped it).
		{"empty mutation list needs a replica", catalog{ks1: simple("0")}, ks1, mm{"k": {"Standard1": {}}}, ONE, false, "UE"},
		{"empty super column needs a replica", catalog{ks1: simple("0")}, ks1, mm{"k": {"Super1": {emptySuper}}}, ONE, false, "UE"},
		{"deletion of no names needs a replica", catalog{ks1: simple("0")}, ks1, mm{"k": {"Standard1": {delNames(i64(1))}}}, ONE, false, "UE"},
		{"deletion of one name needs a replica", catalog{ks1: simple("0")}, ks1, mm{"k": {"Standard1": {delNames(i64(1), b("a"))}}}, ONE, false, "UE"},
		{"row deletion needs a replica", catalog{ks1: simple("0")}, ks1, mm{"k": {"Standard1": {del(i64(1))}}}, ONE, false, "UE"},
		{"empty list still checks the CL", catalog{ks1: simple("0")}, ks1, mm{"k": {"Standard1": {}}}, SERIAL, false, "You must use conditional updates for serializable writes"},
		{"dropped keyspace, empty map", cat, "Gone", mm{}, ONE, false, ""},
		{"dropped keyspace", cat, "Gone", mm{"k": {"Standard1": {}}}, ONE, false, "Keyspace Gone does not exist"},
		{"unknown table", cat, ks1, mm{"k": {"Nope": {ins("a", "1")}}}, ONE, false, "unconfigured table Nope"},
		{"empty table name", cat, ks1, mm{"k": {"": {}}}, ONE, false, "non-empty table is required"},
		{"table before key", cat, ks1, mm{"": {"Nope": {}}}, ONE, false, "unconfigured table Nope"},
		{"key", cat, ks1, mm{"": {"Standard1": {ins("a", "1")}}}, ONE, false, "Key may not be empty"},
		{"key validator", cat, ks1, mm{"k": {"StandardLong1": {}}}, ONE, false, "Expected 8 or 0 byte long (1)"},
		{"one bad mutation rejects all", cat, ks1, mm{"k": {"Standard1": {ins("a", "1"), ins("", "2"), ins("c", "3")}}}, ONE, false, "column name must not be empty"},
		{"bad mutation in a later row", cat, ks1, mm{"a": {"Standard1": {ins("a", "1")}}, "b": {"Standard1": {del(nil)}}}, ONE, false,
			"Deletion timestamp is not optional for non commutative table Standard1"},
		{"mutation before CL", cat, ks1, mm{"k": {"Standard1": {{}}}}, SERIAL, false, "mutation must have one and only one of column_or_supercolumn or deletion"},
		{"normal CL", cat, ks1, mm{"k": {"Standard1": {ins("a", "1")}}}, LOCAL_SERIAL, false, "You must use conditional updates for serializable writes"},
		{"counter CL before mutations", cat, ks1, mm{"k": {"Counter1": {{}}}}, ANY, false, "Consistency level ANY is not yet supported for counter table Counter1"},
		{"counter serial", cat, ks1, mm{"k": {"Counter1": {inc("c")}}}, SERIAL, false, "Counter operations are inherently non-serializable"},
		{"counter", cat, ks1, mm{"k": {"Counter1": {inc("c"), del(nil)}}}, ONE, false, ""},
		{"counter write to normal table", cat, ks1, mm{"k": {"Standard1": {inc("c")}}}, ONE, false, "invalid operation for non commutative table Standard1"},
		{"column to counter table", cat, ks1, mm{"k": {"Counter1": {ins("c", "v")}}}, ONE, false, "invalid operation for commutative table Counter1"},
		{"atomic counter", cat, ks1, mm{"k": {"Counter1": {inc("c")}}}, ONE, true, "Counter mutations are not allowed in atomic batches"},
		// In 3.11 any counter column family named makes the row's counter
		// Mutation non-empty, so an atomic batch refuses it even when it
		// writes nothing (createMutationList).
		{"atomic counter with no mutations", cat, ks1, mm{"k": {"Counter1": {}}}, ONE, true, "Counter mutations are not allowed in atomic batches"},
		{"atomic empty counter super column", cat, ks1, mm{"k": {"SuperCounter1": {emptyCounterSuper}}}, ONE, true, "Counter mutations are not allowed in atomic batches"},
		{"atomic counter deletion of no names", cat, ks1, mm{"k": {"Counter1": {delNames(nil)}}}, ONE, true, "Counter mutations are not allowed in atomic batches"},
		{"atomic counter deletion", cat, ks1, mm{"k": {"Counter1": {delNames(nil, b("c"))}}}, ONE, true, "Counter mutations are not allowed in atomic batches"},
		{"atomic counter row deletion", cat, ks1, mm{"k": {"Counter1": {del(nil)}}}, ONE, true, "Counter mutations are not allowed in atomic batches"},
		{"atomic checks the whole row first", cat, ks1, mm{"k": {"Counter1": {inc("c")}, "Standard1": {ins("", "v")}}}, ONE, true, "column name must not be empty"},
		{"atomic counter row before the next row", cat, ks1, mm{"a": {"Counter1": {inc("c")}}, "b": {"Standard1": {ins("", "v")}}}, ONE, true,
			"Counter mutations are not allowed in atomic batches"},
		{"atomic normal", cat, ks1, mm{"k": {"Standard1": {ins("a", "1")}}}, ONE, true, ""},
		{"availability", catalog{ks1: simple("3")}, ks1, mm{"k": {"Standard1": {ins("a", "1")}}}, QUORUM, false, "UE"},
		{"any with no replica", catalog{ks1: simple("0")}, ks1, mm{"k": {"Standard1": {ins("a", "1")}}}, ANY, false, ""},
		{"ttl guard", cat, ks1, mm{"k": {"Standard1": {{ColumnOrSupercolumn: &thriftgen.ColumnOrSuperColumn{Column: &thriftgen.Column{Name: b("a"), Value: b("v"), Timestamp: i64(1), TTL: i32(MaxTTL)}}}}}}, ONE, false,
			"Request on table Keyspace1.Standard1 with ttl of 630720000 seconds exceeds maximum supported expiration date of 2038-01-19T03:14:06+00:00. In order to avoid this use a lower TTL, change the expiration date overflow policy or upgrade to a version where this limitation is fixed. See CASSANDRA-14092 for more details."},
		{"nil source", nil, ks1, mm{"k": {"Standard1": {}}}, ONE, false, "Keyspace Keyspace1 does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, ValidateBatchMutate(c.src, c.session, c.m, c.cl, c.atomic, now, nil), c.want)
		})
	}
}

func TestValidateBatchMutateIsDeterministic(t *testing.T) {
	m := map[string]map[string][]*thriftgen.Mutation{}
	for _, k := range []string{"d", "b", "c", "a", "e"} {
		m[k] = map[string][]*thriftgen.Mutation{"Nope" + k: nil, "Zzz": nil}
	}
	for i := 0; i < 20; i++ {
		wantErr(t, ValidateBatchMutate(cat, ks1, m, ONE, false, now, nil), "unconfigured table Nopea")
	}
}

func TestValidateCAS(t *testing.T) {
	up := []*thriftgen.Column{col(b("a"), "1")}
	cases := []struct {
		name     string
		ks       *schema.Keyspace
		tb       *schema.Table
		key      []byte
		expected []*thriftgen.Column
		updates  []*thriftgen.Column
		serial   thriftgen.ConsistencyLevel
		commit   thriftgen.ConsistencyLevel
		want     string
	}{
		{"nil expected", rf1, standard1, b("k"), nil, up, SERIAL, QUORUM, "Required field 'expected' was not present"},
		{"ok empty expected", rf1, standard1, b("k"), []*thriftgen.Column{}, up, SERIAL, QUORUM, ""},
		{"local serial, any", rf1, standard1, b("k"), []*thriftgen.Column{}, up, LOCAL_SERIAL, ANY, ""},
		{"counter table", rf1, counter1, nil, []*thriftgen.Column{}, up, ONE, SERIAL, "invalid operation for commutative table Counter1"},
		{"key", rf1, super1, nil, []*thriftgen.Column{}, up, ONE, SERIAL, "Key may not be empty"},
		{"super", rf1, super1, b("k"), []*thriftgen.Column{}, up, ONE, SERIAL, "CAS does not support supercolumns"},
		{"names before data", rf1, standard1, b("k"), []*thriftgen.Column{}, []*thriftgen.Column{{Name: b("a")}, {Name: []byte{}}}, ONE, SERIAL, "column name must not be empty"},
		{"data", rf1, standard1, b("k"), []*thriftgen.Column{}, []*thriftgen.Column{col(b("a"), "v"), {Name: b("b"), Value: b("v")}}, ONE, SERIAL, "Column timestamp is required"},
		{"data validator", rf1, standardUTF8, b("k"), []*thriftgen.Column{}, []*thriftgen.Column{col(b("n"), "v")}, ONE, SERIAL,
			"(Expected 8 or 0 byte long (1)) [Keyspace1][StandardUTF8][n] failed validation"},
		{"expected not validated", rf1, standardLong1, long(1), []*thriftgen.Column{{Name: b("x")}}, []*thriftgen.Column{}, SERIAL, ONE, ""},
		{"serial CL", rf1, standard1, b("k"), []*thriftgen.Column{}, up, ONE, SERIAL, "Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL"},
		{"commit CL", rf1, standard1, b("k"), []*thriftgen.Column{}, up, SERIAL, LOCAL_SERIAL,
			`LOCAL_SERIAL is not supported as conditional update commit consistency. Use ANY if you mean "make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads"`},
		{"each quorum commit", rf1, standard1, b("k"), []*thriftgen.Column{}, up, SERIAL, EACH_QUORUM,
			"consistency level EACH_QUORUM not compatible with replication strategy (org.apache.cassandra.locator.SimpleStrategy)"},
		{"each quorum commit nts", keyspace(schema.NetworkTopologyStrategy, map[string]string{"datacenter1": "1"}), standard1, b("k"), []*thriftgen.Column{}, up, SERIAL, EACH_QUORUM, ""},
		{"paxos unavailable", simple("2"), standard1, b("k"), []*thriftgen.Column{}, up, SERIAL, ANY, "UE"},
		{"commit unavailable", rf1, standard1, b("k"), []*thriftgen.Column{}, up, SERIAL, TWO, "UE"},
		{"nil updates", rf1, standard1, b("k"), []*thriftgen.Column{}, nil, SERIAL, ONE, "Required field 'updates' was not present"},
		{"ttl checked", rf1, standard1, b("k"), []*thriftgen.Column{}, []*thriftgen.Column{{Name: b("a"), Value: b("v"), Timestamp: i64(1), TTL: i32(-1)}}, SERIAL, ONE, "ttl must be greater or equal to 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, ValidateCAS(c.ks, c.tb, c.key, c.expected, c.updates, c.serial, c.commit, now, nil), c.want)
		})
	}
}
