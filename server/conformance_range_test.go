package server_test

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// get_range_slices and get_paged_slice: key and token bounds, wrap-around,
// ghosts, row_filter and the row order of every partitioner.

func rangeKeys(t testing.TB, c *client, cf string, kr *tg.KeyRange) []string {
	t.Helper()
	rows, err := c.GetRangeSlices(ctx, parent(cf), names("-a"), kr, ONE)
	must(t, err)
	return rowKeys(rows)
}

func collationKeys() []string {
	keys := []string{"-a", "-b", "a", "b"}
	for i := 0; i < 100; i++ {
		keys = append(keys, fmt.Sprint(i))
	}
	return keys
}

func TestRangeCollationByteOrdered(t *testing.T) {
	c := dtestClient(t, server.Config{})
	keys := collationKeys()
	for _, k := range keys {
		c.insert(t, k, parent("Standard1"), col(k, "v", 0))
	}
	want := append([]string(nil), keys...)
	sort.Strings(want) // unsigned byte order: "-a" < "0" < "10" < "2" < "a"
	if got := rangeKeys(t, c, "Standard1", keyRange("", "", 1000)); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("row order\n got %v\nwant %v", got, want)
	}
}

func TestRangePartial(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for _, k := range collationKeys() {
		c.insert(t, k, parent("Standard1"), col(k, "v", 0))
	}
	for _, tc := range []struct {
		kr   *tg.KeyRange
		want string
	}{
		{keyRange("a", "", 1000), "a b"},
		{keyRange("", "15", 1000), "-a -b 0 1 10 11 12 13 14 15"},
		{keyRange("50", "51", 1000), "50 51"},
		{keyRange("1", "", 10), "1 10 11 12 13 14 15 16 17 18"},
		{keyRange("50", "50", 1000), "50"},
	} {
		if got := strings.Join(rangeKeys(t, c, "Standard1", tc.kr), " "); got != tc.want {
			t.Errorf("%v: got %q want %q", tc.kr, got, tc.want)
		}
	}
}

// TestRowOrderPerPartitioner checks that scans follow each partitioner's
// ring order: by token, then by key bytes.
func TestRowOrderPerPartitioner(t *testing.T) {
	keys := []string{"a", "b", "hello", "prefix\x00", "\uffff", "\U0001F600", "10", "2", "-a", "key5", "key17"}
	for _, name := range []string{"Murmur3Partitioner", "RandomPartitioner", "ByteOrderedPartitioner", "OrderPreservingPartitioner"} {
		t.Run(name, func(t *testing.T) {
			c := dtestClient(t, server.Config{Partitioner: name})
			p, err := partitioner.ByName(name)
			must(t, err)
			for _, k := range keys {
				c.insert(t, k, parent("Standard1"), col("-a", "v", 0))
			}
			want := append([]string(nil), keys...)
			sort.Slice(want, func(i, j int) bool { return p.CompareKeys([]byte(want[i]), []byte(want[j])) < 0 })
			got := rangeKeys(t, c, "Standard1", keyRange("", "", 100))
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("row order\n got %q\nwant %q", got, want)
			}
			// Paging with start_key = last key returned walks the same order.
			var paged []string
			start := ""
			for {
				rows := rangeKeys(t, c, "Standard1", keyRange(start, "", 3))
				if start != "" {
					rows = rows[1:]
				}
				if len(rows) == 0 {
					break
				}
				paged = append(paged, rows...)
				start = rows[len(rows)-1]
			}
			if strings.Join(paged, "|") != strings.Join(want, "|") {
				t.Fatalf("paged order %q", paged)
			}
			part, err := c.DescribePartitioner(ctx)
			must(t, err)
			if part != "org.apache.cassandra.dht."+name {
				t.Fatalf("describe_partitioner %q", part)
			}
		})
	}
	// Known orders that do not depend on the implementation under test.
	c := dtestClient(t, server.Config{Partitioner: "OrderPreservingPartitioner"})
	for _, k := range []string{"\uffff", "\U0001F600", "a"} {
		c.insert(t, k, parent("Standard1"), col("-a", "v", 0))
	}
	// UTF-16 order: the surrogate pair of U+1F600 (D83D) sorts before U+FFFF.
	if got := rangeKeys(t, c, "Standard1", keyRange("", "", 10)); strings.Join(got, "|") != "a|\U0001F600|\uffff" {
		t.Fatalf("OPP order %q", got)
	}
	c = dtestClient(t, server.Config{Partitioner: "Murmur3Partitioner"})
	// Murmur3 tokens (gocql vectors): "hello" = 0xcbd8a7b341bd9b02 < 0 <
	// token("prefix\x00") is -5156414768376541762, so prefix\x00 comes first.
	for _, k := range []string{"hello", "prefix\x00"} {
		c.insert(t, k, parent("Standard1"), col("-a", "v", 0))
	}
	if got := rangeKeys(t, c, "Standard1", keyRange("", "", 10)); strings.Join(got, "|") != "prefix\x00|hello" {
		t.Fatalf("Murmur3 order %q", got)
	}
	rows, err := c.GetRangeSlices(ctx, parent("Standard1"), names("-a"), tokenRange("-5156414768376541763", "-5156414768376541762", 10), ONE)
	must(t, err)
	if got := rowKeys(rows); len(got) != 1 || got[0] != "prefix\x00" {
		t.Fatalf("token range around prefix\\x00: %q", got)
	}
}

func TestRangeTokensAndWrap(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		for i := 1; i <= 5; i++ {
			c.insert(t, k, parent("Standard1"), col(fmt.Sprint("col", i), "v", 0))
		}
	}
	tok := func(k string) string { return fmt.Sprintf("%x", k) }
	for _, tc := range []struct {
		kr   *tg.KeyRange
		want string
	}{
		{tokenRange(tok("e"), tok("e"), 100), "a b c d e"}, // start == end: full ring
		{tokenRange(tok("c"), tok("c"), 100), "d e a b c"}, // ...starting after start
		{tokenRange(tok("a"), tok("c"), 100), "b c"},       // (start, end]
		{tokenRange(tok("c"), tok("b"), 100), "d e a b"},   // wraps
		{tokenRange(tok("b"), "", 100), "c d e"},           // minimum end: to the end
		{tokenRange("", "", 100), "a b c d e"},             // min..min
		{tokenRange(tok("c"), tok("b"), 3), "d e a"},       // count across the wrap
		{&tg.KeyRange{StartKey: []byte("b"), EndToken: strp(tok("d")), Count: 100}, "b c d"},
		{&tg.KeyRange{StartKey: []byte("b"), EndToken: strp(""), Count: 100}, "b c d e"},
		{keyRange("key6", "", 1), ""},
	} {
		if got := strings.Join(rangeKeys(t, c, "Standard1", tc.kr), " "); got != tc.want {
			t.Errorf("%v: got %q want %q", tc.kr, got, tc.want)
		}
	}
	// dtest test_wrapped_range_slices, with the tokens of this partitioner.
	rows, err := c.GetRangeSlices(ctx, parent("Standard1"), names("col1", "col3"), tokenRange(tok("e"), tok("e"), 100), ONE)
	must(t, err)
	if len(rows) != 5 || strings.Join(colNames(t, rows[0].Columns), ",") != "col1,col3" {
		t.Fatalf("wrapped: %v", rows)
	}
}

func TestKeyRangeValidation(t *testing.T) {
	c := dtestClient(t, server.Config{Partitioner: "Murmur3Partitioner"})
	pred := names("a")
	both := keyRange("a", "", 10)
	both.StartToken = strp("0")
	for _, tc := range []struct {
		kr  *tg.KeyRange
		why string
	}{
		{both, "exactly one each of {start key, start token} and {end key, end token} must be specified"},
		{&tg.KeyRange{Count: 10}, "exactly one each of {start key, start token} and {end key, end token} must be specified"},
		{&tg.KeyRange{StartToken: strp("0"), EndKey: []byte("a"), Count: 10}, "start token + end key is not a supported key range"},
		{keyRange("hello", "prefix\x00", 10), "start key's token sorts after end key's token.  this is not allowed; you probably should not specify end key at all except with an ordered partitioner"},
		{&tg.KeyRange{StartKey: []byte("hello"), EndToken: strp("-9000000000000000000"), Count: 10}, "Start key's token sorts after end token"},
		{keyRange("", "", 0), "maxRows must be positive"},
		{keyRange("", "", -1), "maxRows must be positive"},
	} {
		_, err := c.GetRangeSlices(ctx, parent("Standard1"), pred, tc.kr, ONE)
		mustIRE(t, err, tc.why)
	}
	// An unparseable token is an InvalidRequestException (Cassandra drops
	// the connection), and the connection stays usable.
	_, err := c.GetRangeSlices(ctx, parent("Standard1"), pred, tokenRange("abc", "0", 10), ONE)
	var e *tg.InvalidRequestException
	if !errors.As(err, &e) {
		t.Fatalf("bad token: %v", err)
	}
	// start_key with a minimum end_token is fine even when it sorts after.
	_, err = c.GetRangeSlices(ctx, parent("Standard1"), pred, &tg.KeyRange{StartKey: []byte("hello"), EndToken: strp("-9223372036854775808"), Count: 10}, ONE)
	must(t, err)
	// Read CL comes after the range check.
	_, err = c.GetRangeSlices(ctx, parent("Standard1"), pred, keyRange("", "", 1), tg.ConsistencyLevel_ANY)
	mustIRE(t, err, "ANY ConsistencyLevel is only supported for writes")
	_, err = c.GetRangeSlices(ctx, parent("Standard1"), pred, keyRange("", "", 0), tg.ConsistencyLevel_ANY)
	mustIRE(t, err, "maxRows must be positive")
}

func TestRangeGhosts(t *testing.T) {
	c := dtestClient(t, server.Config{})
	insertSimple(t, c)
	rows, err := c.GetRangeSlices(ctx, parent("Standard1"), names("c1", "c1"), keyRange("key1", "", 1000), ONE)
	must(t, err)
	if len(rows) != 1 || string(rows[0].Key) != "key1" {
		t.Fatalf("before: %v", rows)
	}
	must(t, c.Remove(ctx, []byte("key1"), colPath("Standard1", "c1"), 1, ONE))
	must(t, c.Remove(ctx, []byte("key1"), colPath("Standard1", "c2"), 1, ONE))
	rows, err = c.GetRangeSlices(ctx, parent("Standard1"), names("c1", "c2"), keyRange("", "", 1000), ONE)
	must(t, err)
	if len(rows) != 1 || string(rows[0].Key) != "key1" || rows[0].Columns == nil || len(rows[0].Columns) != 0 {
		t.Fatalf("ghost after column removes: %v", rows)
	}
	// Whole-row removal leaves a ghost too.
	insertSimple(t, c, "key2")
	must(t, c.Remove(ctx, []byte("key2"), path("Standard1", nil, nil), 1, ONE))
	rows, err = c.GetRangeSlices(ctx, parent("Standard1"), names("c1"), keyRange("", "", 1000), ONE)
	must(t, err)
	if strings.Join(rowKeys(rows), ",") != "key1,key2" || len(rows[1].Columns) != 0 {
		t.Fatalf("ghost after row remove: %v", rows)
	}
	// Ghosts count towards KeyRange.count.
	insertSimple(t, c, "key3")
	rows, err = c.GetRangeSlices(ctx, parent("Standard1"), names("c1"), keyRange("", "", 2), ONE)
	must(t, err)
	if strings.Join(rowKeys(rows), ",") != "key1,key2" {
		t.Fatalf("count with ghosts: %v", rowKeys(rows))
	}
	// A row without the named column is returned with no columns.
	rows, err = c.GetRangeSlices(ctx, parent("Standard1"), names("zz"), keyRange("key3", "key3", 10), ONE)
	must(t, err)
	if len(rows) != 1 || len(rows[0].Columns) != 0 {
		t.Fatalf("row with nothing matching: %v", rows)
	}
	// Super CF: removed super column leaves a ghost row.
	c.insert(t, "key3", superParent("Super1", []byte("sc1")), bcol(longBytes(1), "v1", 0))
	must(t, c.Remove(ctx, []byte("key3"), path("Super1", []byte("sc1"), nil), 5, ONE))
	rows, err = c.GetRangeSlices(ctx, parent("Super1"), columnRange("", "", false, 1000), keyRange("", "", 1000), ONE)
	must(t, err)
	if len(rows) != 1 || string(rows[0].Key) != "key3" || len(rows[0].Columns) != 0 {
		t.Fatalf("super ghost: %v", rows)
	}
	// Rows that never existed are not returned.
	rows, err = c.GetRangeSlices(ctx, parent("Standard2"), names("c1"), keyRange("", "", 1000), ONE)
	must(t, err)
	if len(rows) != 0 || rows == nil {
		t.Fatalf("empty CF: %#v", rows)
	}
}

func TestGetRangeSlice(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for i := 1; i <= 5; i++ {
		for j := 1; j <= 5; j++ {
			c.insert(t, fmt.Sprint("key", i), parent("Standard1"), col(fmt.Sprint("col", j), fmt.Sprint("v-col", j), 0))
		}
	}
	get := func(pred *tg.SlicePredicate, kr *tg.KeyRange) []*tg.KeySlice {
		t.Helper()
		rows, err := c.GetRangeSlices(ctx, parent("Standard1"), pred, kr, ONE)
		must(t, err)
		return rows
	}
	if rows := get(names("a"), keyRange("key2", "", 1)); len(rows) != 1 || len(rows[0].Columns) != 0 {
		t.Fatalf("empty columns: %v", rows)
	}
	rows := get(names("col1", "col3"), keyRange("key2", "key4", 5))
	if len(rows) != 3 || strings.Join(colNames(t, rows[0].Columns), ",") != "col1,col3" {
		t.Fatalf("names: %v", rows)
	}
	if rows := get(names("col1", "col3"), keyRange("key2", "key4", 1)); len(rows) != 1 {
		t.Fatalf("row count: %v", rows)
	}
	rows = get(columnRange("col2", "col4", false, 5), keyRange("key1", "key2", 5))
	if strings.Join(rowKeys(rows), ",") != "key1,key2" || strings.Join(colNames(t, rows[0].Columns), ",") != "col2,col3,col4" {
		t.Fatalf("slice range: %v", rows)
	}
	if rows := get(columnRange("col2", "col4", false, 2), keyRange("key1", "key2", 5)); len(rows[0].Columns) != 2 {
		t.Fatalf("column count: %v", rows)
	}
	if rows := get(columnRange("col4", "col2", true, 5), keyRange("key1", "key2", 5)); strings.Join(colNames(t, rows[0].Columns), ",") != "col4,col3,col2" {
		t.Fatalf("reversed: %v", rows)
	}
	must(t, c.Remove(ctx, []byte("key1"), colPath("Standard1", "col1"), 1, ONE))
	rows = get(columnRange("", "", false, 100), keyRange("key1", "key2", 5))
	if len(rows) != 2 || string(rows[0].Columns[0].Column.Name) != "col2" || string(rows[1].Columns[0].Column.Name) != "col1" {
		t.Fatalf("after remove: %v", rows)
	}
}

func TestGetRangeSliceSuper(t *testing.T) {
	c := dtestClient(t, server.Config{})
	must(t, c.SetKeyspace(ctx, "Keyspace2"))
	for i := 1; i <= 5; i++ {
		for j := 1; j <= 5; j++ {
			c.insert(t, fmt.Sprint("key", i), superParent("Super3", []byte("sc1")), col(fmt.Sprint("col", j), "v", 0))
		}
	}
	rows, err := c.GetRangeSlices(ctx, superParent("Super3", []byte("sc1")), names("col1", "col3"), keyRange("key2", "key4", 5), ONE)
	must(t, err)
	if len(rows) != 3 || strings.Join(colNames(t, rows[0].Columns), ",") != "col1,col3" {
		t.Fatalf("sub-columns: %v", rows)
	}
	rows, err = c.GetRangeSlices(ctx, parent("Super3"), names("sc1"), keyRange("key2", "key4", 5), ONE)
	must(t, err)
	if len(rows) != 3 || rows[0].Columns[0].SuperColumn == nil || string(rows[0].Columns[0].SuperColumn.Name) != "sc1" {
		t.Fatalf("super columns: %v", rows)
	}
	// test_get_range_slice_after_deletion.
	for i := 1; i <= 3; i++ {
		c.insert(t, "key9", superParent("Super3", []byte(fmt.Sprint("sc", i))), col("col1", "val1", 0))
	}
	pred := columnRange("sc1", "sc3", false, 1)
	kr := keyRange("key9", "key9", 1)
	check := func(want string) {
		t.Helper()
		rows, err := c.GetRangeSlices(ctx, parent("Super3"), pred, kr, ONE)
		must(t, err)
		if len(rows[0].Columns) != 1 || string(rows[0].Columns[0].SuperColumn.Name) != want {
			t.Fatalf("got %v, want %s", rows[0].Columns, want)
		}
	}
	check("sc1")
	must(t, c.Remove(ctx, []byte("key9"), path("Super3", []byte("sc1"), nil), 1, ONE))
	check("sc2")
	c.insert(t, "key9", superParent("Super3", []byte("sc1")), col("col1", "val1", 2))
	check("sc1")
	// Super slices over an empty super CF, and a standard CF with rows.
	rows, err = c.GetRangeSlices(ctx, parent("Super4"), names("c1", "c1"), keyRange("", "", 1000), ONE)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("empty range: %v", rows)
	}
}

func TestRowFilter(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Indexed1")
	c.insert(t, "key1", p, bcol([]byte("birthdate"), string(longBytes(1)), 0))
	c.insert(t, "key2", p, bcol([]byte("birthdate"), string(longBytes(2)), 0), bcol([]byte("b"), string(longBytes(2)), 0))
	c.insert(t, "key3", p, bcol([]byte("birthdate"), string(longBytes(3)), 0), bcol([]byte("b"), string(longBytes(3)), 0))
	filter := func(exprs ...*tg.IndexExpression) *tg.KeyRange {
		kr := keyRange("", "", 100)
		kr.RowFilter = exprs
		return kr
	}
	eq := func(name string, v []byte) *tg.IndexExpression {
		return &tg.IndexExpression{ColumnName: []byte(name), Op: tg.IndexOperator_EQ, Value: v}
	}
	all := columnRange("", "", false, 100)
	rows, err := c.GetRangeSlices(ctx, p, all, filter(eq("birthdate", longBytes(1))), ONE)
	must(t, err)
	if len(rows) != 1 || string(rows[0].Key) != "key1" || len(rows[0].Columns) != 1 {
		t.Fatalf("indexed EQ: %v", rows)
	}
	rows, err = c.GetRangeSlices(ctx, p, all, filter(eq("b", longBytes(1))), ONE)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("unindexed EQ: %v", rows)
	}
	rows, err = c.GetRangeSlices(ctx, p, all, filter(eq("b", longBytes(3)), eq("birthdate", longBytes(3))), ONE)
	must(t, err)
	if len(rows) != 1 || string(rows[0].Key) != "key3" || len(rows[0].Columns) != 2 {
		t.Fatalf("mixed: %v", rows)
	}
	gt := &tg.IndexExpression{ColumnName: []byte("birthdate"), Op: tg.IndexOperator_GT, Value: longBytes(1)}
	rows, err = c.GetRangeSlices(ctx, p, all, filter(gt), ONE)
	must(t, err)
	if strings.Join(rowKeys(rows), ",") != "key2,key3" {
		t.Fatalf("GT filter: %v", rowKeys(rows))
	}
	// Expression checks (dtest test_index_scan_uuid_names).
	c.insert(t, "key1", parent("Indexed3"), bcol(uuidBytes("00000000-0000-1000-0000-000000000000"), "a", 0),
		bcol(uuidBytes("00000000-0000-1000-0000-000000000001"), "b", 0))
	kr := filter(&tg.IndexExpression{ColumnName: uuidBytes("00000000-0000-1000-0000-000000000000"), Op: tg.IndexOperator_EQ, Value: []byte("a")},
		&tg.IndexExpression{ColumnName: uuidBytes("00000000-0000-1000-0000-000000000001"), Op: tg.IndexOperator_EQ, Value: []byte("b")})
	rows, err = c.GetRangeSlices(ctx, parent("Indexed3"), all, kr, ONE)
	must(t, err)
	if len(rows) != 1 {
		t.Fatalf("uuid names: %v", rows)
	}
	_, err = c.GetRangeSlices(ctx, parent("Indexed2"), all, filter(eq("foo", uuidBytes("00000000-0000-1000-0000-000000000000"))), ONE)
	mustIRE(t, err, "[666f6f]=[00000000000010000000000000000000] failed name validation (UUID should be 16 or 0 bytes (3))")
	_, err = c.GetRangeSlices(ctx, parent("Indexed2"), all, filter(&tg.IndexExpression{ColumnName: uuidBytes("00000000-0000-1000-0000-000000000000"), Op: tg.IndexOperator_EQ, Value: []byte("foo")}), ONE)
	mustIRE(t, err, "[00000000000010000000000000000000]=[666f6f] failed value validation (Expected 8 or 0 byte long (3))")
	_, err = c.GetRangeSlices(ctx, p, all, filter(eq("birthdate", bytes.Repeat([]byte{1}, 65536))), ONE)
	mustIRE(t, err, "Index expression values may not be larger than 64K")
	// An unknown IndexOperator is a protocol error, as in Java.
	_, err = c.GetRangeSlices(ctx, p, all, filter(&tg.IndexExpression{ColumnName: []byte("b"), Op: 99, Value: longBytes(1)}), ONE)
	if err == nil {
		t.Fatal("unknown operator accepted")
	}
	_, err = c.DescribeVersion(ctx)
	must(t, err)
}

func TestPagedSlice(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for _, k := range []string{"a", "b", "c"} {
		for i := 1; i <= 4; i++ {
			c.insert(t, k, parent("Standard1"), col(fmt.Sprint("c", i), "v", 0))
		}
	}
	page := func(kr *tg.KeyRange, startCol string) string {
		t.Helper()
		rows, err := c.GetPagedSlice(ctx, "Standard1", kr, []byte(startCol), ONE)
		must(t, err)
		var parts []string
		for _, r := range rows {
			parts = append(parts, string(r.Key)+":"+strings.Join(colNames(t, r.Columns), ","))
		}
		return strings.Join(parts, " ")
	}
	// count is the total number of columns; the last row may be cut short.
	if got := page(keyRange("", "", 6), ""); got != "a:c1,c2,c3,c4 b:c1,c2" {
		t.Fatalf("first page: %s", got)
	}
	// start_column applies to the start_key row only.
	if got := page(keyRange("b", "", 6), "c3"); got != "b:c3,c4 c:c1,c2,c3,c4" {
		t.Fatalf("second page: %s", got)
	}
	// With a token start, start_column is ignored.
	if got := page(tokenRange(fmt.Sprintf("%x", "a"), "", 5), "c3"); got != "b:c1,c2,c3,c4 c:c1" {
		t.Fatalf("token page: %s", got)
	}
	kr := keyRange("", "", 10)
	kr.RowFilter = []*tg.IndexExpression{{ColumnName: []byte("c1"), Op: tg.IndexOperator_EQ, Value: []byte("v")}}
	_, err := c.GetPagedSlice(ctx, "Standard1", kr, nil, ONE)
	mustIRE(t, err, "Cross-row paging is not supported along with index clauses")
	_, err = c.GetPagedSlice(ctx, "Nope", keyRange("", "", 10), nil, ONE)
	mustIRE(t, err, "unconfigured table Nope")
}

func TestGhostsAndCounterTombstonesPurgedAfterGCGrace(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c, srv := startAndDial(t, server.Config{Clock: clk.Now, Partitioner: "ByteOrderedPartitioner"})
	for _, ks := range dtestSchema() {
		_, err := c.SystemAddKeyspace(ctx, ks)
		must(t, err)
	}
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	insertSimple(t, c, "key1", "key2")
	must(t, c.Remove(ctx, []byte("key1"), path("Standard1", nil, nil), 1, ONE))
	must(t, c.Add(ctx, []byte("k"), parent("Counter1"), counterColumn("c", 1), ONE))
	must(t, c.RemoveCounter(ctx, []byte("k"), colPath("Counter1", "c"), ONE))

	srv.PurgeTombstones() // too early: nothing changes
	if got := rangeKeys(t, c, "Standard1", keyRange("", "", 10)); strings.Join(got, ",") != "key1,key2" {
		t.Fatalf("before gc_grace: %v", got)
	}
	clk.Advance(864001 * time.Second) // default gc_grace_seconds is 864000
	srv.PurgeTombstones()
	if got := rangeKeys(t, c, "Standard1", keyRange("", "", 10)); strings.Join(got, ",") != "key2" {
		t.Fatalf("after purge: %v", got)
	}
	// Once the counter tombstone is purged, increments count again.
	must(t, c.Add(ctx, []byte("k"), parent("Counter1"), counterColumn("c", 5), ONE))
	if v := counterValue(t, c, "k", colPath("Counter1", "c")); v != 5 {
		t.Fatalf("counter after purge = %d", v)
	}
}
