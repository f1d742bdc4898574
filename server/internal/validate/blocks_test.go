package validate

import (
	"strconv"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/server/internal/expiry"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

func TestResolveTable(t *testing.T) {
	cases := []struct {
		name    string
		src     KeyspaceSource
		session string
		cf      string
		want    string
	}{
		{"no keyspace", cat, "", "Standard1", "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename"},
		{"no keyspace beats empty cf", cat, "", "", "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename"},
		{"keyspace gone", cat, "Gone", "Standard1", "Keyspace Gone does not exist"},
		{"nil source", nil, "Keyspace1", "Standard1", "Keyspace Keyspace1 does not exist"},
		{"keyspace before cf", cat, "Gone", "", "Keyspace Gone does not exist"},
		{"empty cf", cat, ks1, "", "non-empty table is required"},
		{"unknown cf", cat, ks1, "Nope", "unconfigured table Nope"},
		{"case-sensitive", cat, ks1, "standard1", "unconfigured table standard1"},
		{"ok", cat, ks1, "Standard1", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ks, tb, ire := ResolveTable(c.src, c.session, c.cf)
			wantIRE(t, ire, c.want)
			if c.want == "" && (ks != rf1 || tb != standard1) {
				t.Fatalf("resolved %v %v", ks, tb)
			}
		})
	}
}

func TestCheckSetKeyspace(t *testing.T) {
	wantIRE(t, CheckSetKeyspace(cat, ks1), "")
	wantIRE(t, CheckSetKeyspace(cat, "keyspace1"), "Keyspace 'keyspace1' does not exist")
	wantIRE(t, CheckSetKeyspace(cat, ""), "Keyspace '' does not exist")
	wantIRE(t, CheckSetKeyspace(nil, "x"), "Keyspace 'x' does not exist")
}

func TestCheckCounterness(t *testing.T) {
	wantIRE(t, CheckCounterness(counter1, false), "invalid operation for commutative table Counter1")
	wantIRE(t, CheckCounterness(standard1, true), "invalid operation for non commutative table Standard1")
	wantIRE(t, CheckCounterness(counter1, true), "")
	wantIRE(t, CheckCounterness(standard1, false), "")
}

func TestCheckKey(t *testing.T) {
	cases := []struct {
		name string
		tb   *schema.Table
		key  []byte
		want string
	}{
		{"nil", standard1, nil, "Key may not be empty"},
		{"empty", standard1, []byte{}, "Key may not be empty"},
		{"max", standard1, bigName(65535), ""},
		{"too long", standard1, bigName(65536), "Key length of 65536 is longer than maximum of 65535"},
		{"length before validator", standardLong1, bigName(70000), "Key length of 70000 is longer than maximum of 65535"},
		{"validator", standardLong1, b("abc"), "Expected 8 or 0 byte long (3)"},
		{"valid long", standardLong1, long(7), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantIRE(t, CheckKey(c.tb, c.key), c.want) })
	}
}

func TestCheckColumnNames(t *testing.T) {
	cases := []struct {
		name  string
		tb    *schema.Table
		sc    []byte
		names [][]byte
		want  string
	}{
		{"ok", standard1, nil, [][]byte{b("a")}, ""},
		{"max length", standard1, nil, [][]byte{bigName(65535)}, ""},
		{"too long", standard1, nil, [][]byte{bigName(65536)}, "column name length must not be greater than 65535"},
		{"empty", standard1, nil, [][]byte{{}}, "column name must not be empty"},
		{"nil name", standard1, nil, [][]byte{nil}, "column name must not be empty"},
		{"comparator", standardLong1, nil, [][]byte{long(1), b("abc")}, "Expected 8 or 0 byte long (3)"},
		{"first bad name wins", standardLong1, nil, [][]byte{{}, b("abc")}, "column name must not be empty"},
		{"utf8", standardUTF8, nil, [][]byte{{0xff}}, "String didn't validate."},
		{"sc too long", super1, bigName(65536), [][]byte{long(1)}, "supercolumn name length must not be greater than 65535"},
		{"sc max", super1, bigName(65535), [][]byte{long(1)}, ""},
		{"sc empty", super1, []byte{}, [][]byte{long(1)}, "supercolumn name must not be empty"},
		{"sc on standard", standard1, b("sc"), [][]byte{b("a")}, "supercolumn specified to table Standard1 containing normal columns"},
		{"sc empty on standard", standard1, []byte{}, nil, "supercolumn name must not be empty"},
		{"sub names use the subcomparator", super1, b("sc"), [][]byte{b("abc")}, "Expected 8 or 0 byte long (3)"},
		{"super column names use the comparator", super1, nil, [][]byte{b("abc")}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantIRE(t, CheckColumnNames(c.tb, c.sc, c.names), c.want) })
	}
}

func TestCheckColumnPath(t *testing.T) {
	path := func(cf string, sc, c []byte) *thriftgen.ColumnPath {
		return &thriftgen.ColumnPath{ColumnFamily: cf, SuperColumn: sc, Column: c}
	}
	cases := []struct {
		name string
		tb   *schema.Table
		p    *thriftgen.ColumnPath
		want string
	}{
		{"nil", standard1, nil, "Required field 'column_path' was not present"},
		{"standard ok", standard1, path("Standard1", nil, b("c")), ""},
		{"standard with sc", standard1, path("Standard1", b("sc"), b("c")), "supercolumn parameter is invalid for standard CF Standard1"},
		{"standard with empty sc", standard1, path("Standard1", []byte{}, b("c")), "supercolumn parameter is invalid for standard CF Standard1"},
		{"standard without column", standard1, path("Standard1", nil, nil), "column parameter is not optional for standard CF Standard1"},
		{"standard empty column", standard1, path("Standard1", nil, []byte{}), "column name must not be empty"},
		{"standard bad name", standardLong1, path("StandardLong1", nil, b("x")), "Expected 8 or 0 byte long (1)"},
		{"super without sc", super1, path("Super1", nil, long(1)), "supercolumn parameter is not optional for super CF Super1"},
		{"super sc only", super1, path("Super1", b("sc"), nil), ""},
		{"super sc and column", super1, path("Super1", b("sc"), long(1)), ""},
		{"super bad subcolumn", super1, path("Super1", b("sc"), b("x")), "Expected 8 or 0 byte long (1)"},
		{"super long sc with column", super1, path("Super1", bigName(65536), long(1)), "supercolumn name length must not be greater than 65535"},
		{"super long sc alone", super1, path("Super1", bigName(65536), nil), "column name length must not be greater than 65535"},
		{"super empty sc with column", super1, path("Super1", []byte{}, long(1)), "supercolumn name must not be empty"},
		{"super empty sc alone", super1, path("Super1", []byte{}, nil), "column name must not be empty"},
		{"sub checked before sc name", super2, path("Super2", []byte{0xff}, []byte{0xfe}), "String didn't validate."},
		{"sc name validated", super2, path("Super2", []byte{0xff}, b("ok")), "String didn't validate."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantIRE(t, CheckColumnPath(c.tb, c.p), c.want) })
	}
}

func TestCheckColumnParent(t *testing.T) {
	wantIRE(t, CheckColumnParent(standard1, nil), "Required field 'column_parent' was not present")
	wantIRE(t, CheckColumnParent(standard1, parent("Standard1")), "")
	wantIRE(t, CheckColumnParent(standard1, parentSC("Standard1", b("sc"))), "table alone is required for standard CF Standard1")
	wantIRE(t, CheckColumnParent(standard1, parentSC("Standard1", []byte{})), "table alone is required for standard CF Standard1")
	wantIRE(t, CheckColumnParent(super1, parent("Super1")), "")
	wantIRE(t, CheckColumnParent(super1, parentSC("Super1", b("sc"))), "")
	wantIRE(t, CheckColumnParent(super1, parentSC("Super1", []byte{})), "column name must not be empty")
	wantIRE(t, CheckColumnParent(super1, parentSC("Super1", bigName(65536))), "column name length must not be greater than 65535")
	wantIRE(t, CheckColumnParent(super2, parentSC("Super2", []byte{0xff})), "String didn't validate.")
}

func TestCheckRemovePath(t *testing.T) {
	path := func(cf string, sc, c []byte) *thriftgen.ColumnPath {
		return &thriftgen.ColumnPath{ColumnFamily: cf, SuperColumn: sc, Column: c}
	}
	cases := []struct {
		name string
		tb   *schema.Table
		p    *thriftgen.ColumnPath
		want string
	}{
		{"row", standard1, path("Standard1", nil, nil), ""},
		{"column", standard1, path("Standard1", nil, b("c")), ""},
		{"standard sc", standard1, path("Standard1", b("sc"), nil), "supercolumn may not be specified for standard CF Standard1"},
		{"super column without sc", super1, path("Super1", nil, long(1)), "A column cannot be specified without specifying a super column for removal on super CF Super1"},
		{"super row", super1, path("Super1", nil, nil), ""},
		{"super sc", super1, path("Super1", b("sc"), nil), ""},
		{"super sub", super1, path("Super1", b("sc"), long(1)), ""},
		{"super bad sub", super1, path("Super1", b("sc"), b("x")), "Expected 8 or 0 byte long (1)"},
		{"standard bad name", standardLong1, path("StandardLong1", nil, b("x")), "Expected 8 or 0 byte long (1)"},
		{"empty column", standard1, path("Standard1", nil, []byte{}), "column name must not be empty"},
		{"nil", standard1, nil, "Required field 'column_path' was not present"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantIRE(t, CheckRemovePath(c.tb, c.p), c.want) })
	}
}

func TestCheckPredicate(t *testing.T) {
	cases := []struct {
		name string
		tb   *schema.Table
		sc   []byte
		p    *thriftgen.SlicePredicate
		want string
	}{
		{"nil", standard1, nil, nil, "Required field 'predicate' was not present"},
		{"neither", standard1, nil, &thriftgen.SlicePredicate{}, "predicate column_names and slice_range may not both be null"},
		{"both", standard1, nil, &thriftgen.SlicePredicate{ColumnNames: [][]byte{b("a")}, SliceRange: &thriftgen.SliceRange{}}, "predicate column_names and slice_range may not both be present"},
		{"empty names list is set", standard1, nil, &thriftgen.SlicePredicate{ColumnNames: [][]byte{}}, ""},
		{"names", standard1, nil, names(b("a"), b("b")), ""},
		{"bad name", standardLong1, nil, names(b("a")), "Expected 8 or 0 byte long (1)"},
		{"empty name", standard1, nil, names(b("a"), []byte{}), "column name must not be empty"},
		{"range", standard1, nil, all(), ""},
		{"bad range", standard1, nil, rng(b("b"), b("a"), false, 1), "range finish must come after start in the order of traversal"},
		{"sub names", super1, b("sc"), names(b("x")), "Expected 8 or 0 byte long (1)"},
		{"super names", super1, nil, names(b("x")), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantIRE(t, CheckPredicate(c.tb, c.sc, c.p), c.want) })
	}
}

func TestCheckSliceRange(t *testing.T) {
	const order = "range finish must come after start in the order of traversal"
	sr := func(start, finish []byte, reversed bool, count int32) *thriftgen.SliceRange {
		return &thriftgen.SliceRange{Start: start, Finish: finish, Reversed: reversed, Count: count}
	}
	cases := []struct {
		name string
		tb   *schema.Table
		sc   []byte
		r    *thriftgen.SliceRange
		want string
	}{
		{"negative count", standard1, nil, sr(nil, nil, false, -1), "get_slice requires non-negative count"},
		{"count before lengths", standard1, nil, sr(bigName(70000), nil, false, -1), "get_slice requires non-negative count"},
		{"zero count", standard1, nil, sr(nil, nil, false, 0), ""},
		{"start too long", standard1, nil, sr(bigName(65536), nil, false, 1), "range start length cannot be larger than 65535"},
		{"finish too long", standard1, nil, sr(nil, bigName(65536), false, 1), "range finish length cannot be larger than 65535"},
		{"start max", standard1, nil, sr(bigName(65535), nil, false, 1), ""},
		{"lengths before validation", standardLong1, nil, sr(b("x"), bigName(65536), false, 1), "range finish length cannot be larger than 65535"},
		{"bad start", standardLong1, nil, sr(b("x"), nil, false, 1), "Expected 8 or 0 byte long (1)"},
		{"bad finish", standardLong1, nil, sr(nil, b("xy"), false, 1), "Expected 8 or 0 byte long (2)"},
		{"validation before order", standardLong1, nil, sr(long(5), b("x"), false, 1), "Expected 8 or 0 byte long (1)"},
		{"open bounds", standardLong1, nil, sr([]byte{}, []byte{}, true, 1), ""},
		{"ascending", standard1, nil, sr(b("a"), b("b"), false, 1), ""},
		{"equal", standard1, nil, sr(b("a"), b("a"), false, 1), ""},
		{"descending", standard1, nil, sr(b("b"), b("a"), false, 1), order},
		{"reversed from high", standard1, nil, sr(b("b"), b("a"), true, 1), ""},
		{"reversed from low", standard1, nil, sr(b("a"), b("b"), true, 1), order},
		{"reversed equal", standard1, nil, sr(b("a"), b("a"), true, 1), ""},
		{"open start", standard1, nil, sr([]byte{}, b("a"), true, 1), ""},
		{"open finish", standard1, nil, sr(b("z"), []byte{}, false, 1), ""},
		// LongType orders numerically: -1 < 1 although 0xff.. > 0x00.. as bytes.
		{"long numeric", standardLong1, nil, sr(long(-1), long(1), false, 1), ""},
		{"long numeric reversed", standardLong1, nil, sr(long(-1), long(1), true, 1), order},
		{"bytes same input", standard1, nil, sr(long(-1), long(1), false, 1), order},
		// ReversedType(LongType) compares the other way round.
		{"reversed type", reversedLong, nil, sr(long(1), long(-1), false, 1), ""},
		{"reversed type reversed", reversedLong, nil, sr(long(1), long(-1), true, 1), order},
		{"sub comparator", super1, b("sc"), sr(long(2), long(1), false, 1), order},
		{"sub comparator validates", super1, b("sc"), sr(b("x"), nil, false, 1), "Expected 8 or 0 byte long (1)"},
		{"super comparator", super1, nil, sr(b("x"), nil, false, 1), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantIRE(t, CheckSliceRange(c.tb, c.sc, c.r), c.want) })
	}
}

func TestCheckDeletionPredicate(t *testing.T) {
	wantIRE(t, CheckDeletionPredicate(standard1, nil, &thriftgen.SlicePredicate{}), "A SlicePredicate must be given a list of Columns, a SliceRange, or both")
	both := &thriftgen.SlicePredicate{ColumnNames: [][]byte{b("a")}, SliceRange: &thriftgen.SliceRange{Start: b("a"), Finish: b("b")}}
	wantIRE(t, CheckDeletionPredicate(standard1, nil, both), "")
	// The range is checked before the names.
	bad := &thriftgen.SlicePredicate{ColumnNames: [][]byte{{}}, SliceRange: &thriftgen.SliceRange{Start: b("b"), Finish: b("a")}}
	wantIRE(t, CheckDeletionPredicate(standard1, nil, bad), "range finish must come after start in the order of traversal")
	bad.SliceRange.Start, bad.SliceRange.Finish = b("a"), b("b")
	wantIRE(t, CheckDeletionPredicate(standard1, nil, bad), "column name must not be empty")
}

func TestCheckTTL(t *testing.T) {
	overflow := func(ttl string, def bool) string {
		d := ""
		if def {
			d = "default "
		}
		return "Request on table Keyspace1." + map[bool]string{false: "Standard1", true: "DefaultTTL"}[def] +
			" with " + d + "ttl of " + ttl + " seconds exceeds maximum supported expiration date of 2038-01-19T03:14:06+00:00. " +
			"In order to avoid this use a lower TTL, change the expiration date overflow policy or upgrade to a version where this limitation is fixed. " +
			"See CASSANDRA-14092 for more details."
	}
	// 2038-01-19T03:14:07Z is 2^31-1 seconds; now is 2026-11-22T02:30:00Z.
	headroom := int32(2147483647 - now.Unix())
	cases := []struct {
		name string
		tb   *schema.Table
		ttl  *int32
		now  string
		want string
	}{
		{"unset", standard1, nil, "", ""},
		// 3.11's validateTtl: 0 is allowed (no TTL, 3.6+), only a negative
		// ttl is refused, with 3.11's wording.
		{"zero", standard1, i32(0), "", ""},
		{"zero on a default ttl table", defaultTTL, i32(0), "", ""},
		{"negative", standard1, i32(-5), "", "ttl must be greater or equal to 0"},
		{"one", standard1, i32(1), "", ""},
		{"too large", standard1, i32(MaxTTL + 1), "", "ttl is too large. requested (630720001) maximum (630720000)"},
		{"20 years is past 2038", standard1, i32(MaxTTL), "", overflow("630720000", false)},
		{"last second", standard1, i32(headroom), "", ""},
		{"first second over", standard1, i32(headroom + 1), "", overflow(itoa(headroom+1), false)},
		{"20 years from 2000", standard1, i32(MaxTTL), "2000", ""},
		{"default ttl overflows", defaultTTL, nil, "", overflow("400000000", true)},
		{"explicit ttl replaces the default", defaultTTL, i32(10), "", ""},
		{"default ttl fine in 2000", defaultTTL, nil, "2000", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			at := now
			if c.now == "2000" {
				at = now.AddDate(-26, 0, 0)
			}
			wantIRE(t, CheckTTL(c.tb, c.ttl, at, nil), c.want)
		})
	}
}

func itoa(v int32) string { return strconv.Itoa(int(v)) }

func TestCheckColumnData(t *testing.T) {
	c := func(name []byte, value []byte, ts *int64, ttl *int32) *thriftgen.Column {
		return &thriftgen.Column{Name: name, Value: value, Timestamp: ts, TTL: ttl}
	}
	cases := []struct {
		name string
		tb   *schema.Table
		key  []byte
		sc   []byte
		col  *thriftgen.Column
		want string
	}{
		{"ok", standard1, b("k"), nil, c(b("a"), b("v"), i64(1), nil), ""},
		{"empty value is a value", standard1, b("k"), nil, c(b("a"), []byte{}, i64(1), nil), ""},
		{"ttl first", standard1, b("k"), nil, c(b("a"), nil, nil, i32(-1)), "ttl must be greater or equal to 0"},
		{"value required", standard1, b("k"), nil, c(b("a"), nil, nil, nil), "Column value is required"},
		{"timestamp required", standard1, b("k"), nil, c(b("a"), b("v"), nil, nil), "Column timestamp is required"},
		{"negative timestamp ok", standard1, b("k"), nil, c(b("a"), b("v"), i64(-1), nil), ""},
		{"default validator, utf8 name", standardUTF8, b("k"), nil, c(b("name"), b("abc"), i64(1), nil),
			"(Expected 8 or 0 byte long (3)) [Keyspace1][StandardUTF8][name] failed validation"},
		{"column validator", standardUTF8, b("k"), nil, c(b("utf"), []byte{0xff}, i64(1), nil),
			"(String didn't validate.) [Keyspace1][StandardUTF8][utf] failed validation"},
		{"column validator ok", standardUTF8, b("k"), nil, c(b("utf"), b("text"), i64(1), nil), ""},
		{"bytes name rendered as hex", indexed1, b("k"), nil, c(b("birthdate"), b("abc"), i64(1), nil),
			"(Expected 8 or 0 byte long (3)) [Keyspace1][Indexed1][626972746864617465] failed validation"},
		{"sub name rendered by the subcomparator", super2, b("k"), b("sc"), c(b("sub"), b("x"), i64(1), nil),
			"(Expected 8 or 0 byte long (1)) [Keyspace1][Super2][sub] failed validation"},
		{"indexed value under 64K", indexed1, b("k"), nil, c(b("email"), make([]byte, 65534), i64(1), nil), ""},
		// 3.11's CassandraIndex.validateIndexedValue, naming the column as its
		// ColumnIdentifier prints it (hex under BytesType).
		{"indexed value of 65535", indexed1, b("k"), nil, c(b("email"), make([]byte, 65535), i64(1), nil),
			"Cannot index value of size 65535 for index email_index on Keyspace1.Indexed1(656d61696c) (maximum allowed size=65535)"},
		// Only the indexed value is checked in 3.11 (2.2 checked the row
		// key too).
		{"indexed row key of 65535", indexed1, bigName(65535), nil, c(b("email"), b("v"), i64(1), nil), ""},
		{"validator before index size", indexed1, b("k"), nil, c(b("birthdate"), make([]byte, 70000), i64(1), nil),
			"(Expected 8 or 0 byte long (70000)) [Keyspace1][Indexed1][626972746864617465] failed validation"},
		{"custom index not checked", indexed1, b("k"), nil, c(b("custom"), make([]byte, 70000), i64(1), nil), ""},
		{"unindexed column not checked", indexed1, b("k"), nil, c(b("state"), make([]byte, 70000), i64(1), nil), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantIRE(t, CheckColumnData(tc.tb, tc.sc, tc.col, now, nil), tc.want) })
	}
}

func TestCheckTTLOverflowPolicies(t *testing.T) {
	// ThriftValidation.validateTtl hands the TTL (or the default) to
	// ExpirationDateOverflowHandling: the CAP policies let it through.
	for _, g := range []*expiry.Guard{expiry.NewGuard(expiry.Cap, nil), expiry.NewGuard(expiry.CapNoWarn, nil)} {
		wantIRE(t, CheckTTL(standard1, i32(MaxTTL), now, g), "")
		wantIRE(t, CheckTTL(defaultTTL, nil, now, g), "")
		wantIRE(t, CheckTTL(standard1, i32(MaxTTL+1), now, g), "ttl is too large. requested (630720001) maximum (630720000)")
	}
	g := expiry.NewGuard(expiry.Reject, nil)
	if ire := CheckTTL(standard1, i32(MaxTTL), now, g); ire == nil || !strings.HasPrefix(ire.Why, "Request on table Keyspace1.Standard1 with ttl of 630720000") {
		t.Fatalf("REJECT: %v", ire)
	}
}
