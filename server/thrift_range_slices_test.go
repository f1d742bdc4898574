package server_test

import (
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

// get_range_slices and get_paged_slice: KeyRange bounds (keys inclusive,
// tokens (start, end] with wrap-around), the row order of every partitioner,
// range ghosts, paging, and their refusals.

func collationKeys() []string {
	keys := []string{"-a", "-b", "a", "b"}
	for i := 0; i < 100; i++ {
		keys = append(keys, fmt.Sprint(i))
	}
	return keys
}

// ringKeys returns keys sorted in ring order (token, then unsigned key
// bytes) with their token strings.
func ringKeys(t *testing.T, part partitioner.Partitioner, keys []string) ([]string, map[string]string) {
	t.Helper()
	sorted := append([]string(nil), keys...)
	sort.Slice(sorted, func(i, j int) bool {
		a, b := part.Token([]byte(sorted[i])), part.Token([]byte(sorted[j]))
		if c := a.Compare(b); c != 0 {
			return c < 0
		}
		return sorted[i] < sorted[j]
	})
	toks := map[string]string{}
	for _, k := range keys {
		toks[k] = part.Token([]byte(k)).String()
	}
	return sorted, toks
}

func TestThriftRangeCollationByteOrdered(t *testing.T) {
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

func TestThriftRangePartial(t *testing.T) {
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

// TestThriftRowOrderPerPartitioner checks that scans follow each partitioner's
// ring order: by token, then by key bytes.
func TestThriftRowOrderPerPartitioner(t *testing.T) {
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

func TestThriftOrderPreservingRowOrder(t *testing.T) {
	c := dtestClient(t, server.Config{Partitioner: "OrderPreservingPartitioner"})
	keys := []string{
		"a",
		"g",
		"\xff",             // invalid UTF-8: token "ff"
		"\xef\xbf\xbd",     // U+FFFD, UTF-16 0xFFFD
		"\xf0\x9f\x98\x80", // U+1F600, UTF-16 0xD83D 0xDE00: before U+FFFD
		"fe",
	}
	for _, k := range keys {
		c.insert(t, k, parent("Standard1"), col("c", "v", 1))
	}
	got := rangeKeys(t, c, "Standard1", keyRange("", "", 100))
	// "a" < "fe" < "ff"(= token of \xff; equal tokens order by raw key
	// bytes, so "fe" first... "ff" is the hex of \xff) < "g" < U+1F600 < U+FFFD.
	want := []string{"a", "fe", "\xff", "g", "\xf0\x9f\x98\x80", "\xef\xbf\xbd"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("OPP order %q, want %q", got, want)
	}
	// Token strings are the keys themselves (or their hex).
	tm, err := c.DescribePartitioner(ctx)
	must(t, err)
	if tm != "org.apache.cassandra.dht.OrderPreservingPartitioner" {
		t.Fatalf("partitioner %s", tm)
	}
	if got := rangeKeys(t, c, "Standard1", tokenRange("fe", "g", 100)); strings.Join(got, "|") != "\xff|g" {
		t.Fatalf("(fe, g]: %q", got)
	}
	_, err = c.GetRangeSlices(ctx, parent("Standard1"), names("c"), keyRange("g", "a", 10), ONE)
	mustIRE(t, err, "start key must sort before (or equal to) finish key in your partitioner!")
}

func TestThriftRangeTokensAndWrap(t *testing.T) {
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

func TestThriftTokenRangesHashing(t *testing.T) {
	// Anchor the partitioner used for expectations on published vectors
	// (gocql token_test.go and murmur_test.go), so the test does not just
	// trust the code under test.
	m3 := partitioner.Murmur3Partitioner{}
	for key, want := range map[string]string{
		"hello":      "-3758069500696749310", // 0xcbd8a7b341bd9b02
		"prefix\x00": "-5156414768376541762",
	} {
		if got := m3.Token([]byte(key)).String(); got != want {
			t.Fatalf("murmur3(%q) = %s, want %s", key, got, want)
		}
	}
	for _, tc := range []struct {
		name string
		part partitioner.Partitioner
		min  string
	}{
		{"Murmur3Partitioner", m3, "-9223372036854775808"},
		{"RandomPartitioner", partitioner.RandomPartitioner{}, "-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dtestClient(t, server.Config{Partitioner: tc.name})
			var keys []string
			for i := 0; i < 12; i++ {
				keys = append(keys, fmt.Sprintf("key%02d", i))
			}
			for _, k := range keys {
				c.insert(t, k, parent("Standard1"), col("c", "v", 1))
			}
			ring, tok := ringKeys(t, tc.part, keys)
			at := func(i int) string { return tok[ring[i]] }
			span := func(idx ...int) string {
				var out []string
				for _, i := range idx {
					out = append(out, ring[i])
				}
				return strings.Join(out, " ")
			}
			seq := func(from, to int) []int {
				var out []int
				for i := from; i <= to; i++ {
					out = append(out, i)
				}
				return out
			}
			n := len(ring)
			for _, rc := range []struct {
				name string
				kr   *tg.KeyRange
				want []int
			}{
				{"(t2, t5]", tokenRange(at(2), at(5), 100), seq(3, 5)},
				{"(t5, t5] full ring from after t5", tokenRange(at(5), at(5), 100), append(seq(6, n-1), seq(0, 5)...)},
				{"(t8, t2] wraps", tokenRange(at(8), at(2), 100), append(seq(9, n-1), seq(0, 2)...)},
				{"(t8, t2] count 4", tokenRange(at(8), at(2), 4), append(seq(9, n-1), seq(0, 2)...)[:4]},
				{"(t3, min] to the end", tokenRange(at(3), tc.min, 100), seq(4, n-1)},
				{"(min, min] all", tokenRange(tc.min, tc.min, 100), seq(0, n-1)},
				{"(min, t3]", tokenRange(tc.min, at(3), 100), seq(0, 3)},
				{"[k3, k7] keys", keyRange(ring[3], ring[7], 100), seq(3, 7)},
				{"[k7, ''] keys", keyRange(ring[7], "", 100), seq(7, n-1)},
				{"[k4, k4] one row", keyRange(ring[4], ring[4], 100), []int{4}},
				{"[k3, t7]", &tg.KeyRange{StartKey: []byte(ring[3]), EndToken: strp(at(7)), Count: 100}, seq(3, 7)},
				{"[k3, min]", &tg.KeyRange{StartKey: []byte(ring[3]), EndToken: strp(tc.min), Count: 100}, seq(3, n-1)},
				{"['', t2]", &tg.KeyRange{StartKey: []byte{}, EndToken: strp(at(2)), Count: 100}, seq(0, 2)},
			} {
				want := span(rc.want...)
				if got := strings.Join(rangeKeys(t, c, "Standard1", rc.kr), " "); got != want {
					t.Errorf("%s: got %q want %q", rc.name, got, want)
				}
			}
			// Keys out of ring order are rejected; the paging idiom works.
			_, err := c.GetRangeSlices(ctx, parent("Standard1"), names("c"), keyRange(ring[7], ring[3], 10), ONE)
			mustIRE(t, err, "start key's token sorts after end key's token.  this is not allowed; you probably should not specify end key at all except with an ordered partitioner")
			_, err = c.GetRangeSlices(ctx, parent("Standard1"), names("c"), &tg.KeyRange{StartKey: []byte(ring[7]), EndToken: strp(at(3)), Count: 10}, ONE)
			mustIRE(t, err, "Start key's token sorts after end token")
			var paged []string
			start := ""
			for {
				rows, err := c.GetRangeSlices(ctx, parent("Standard1"), names("c"), keyRange(start, "", 5), ONE)
				must(t, err)
				ks := rowKeys(rows)
				if start != "" {
					ks = ks[1:]
				}
				paged = append(paged, ks...)
				if len(rows) < 5 {
					break
				}
				start = string(rows[len(rows)-1].Key)
			}
			if got := strings.Join(paged, " "); got != span(seq(0, n-1)...) {
				t.Fatalf("paging: %s", got)
			}
			// A bad token string is an IRE (Cassandra drops the connection on
			// the NumberFormatException; a deliberate deviation) and the
			// connection survives.
			_, err = c.GetRangeSlices(ctx, parent("Standard1"), names("c"), tokenRange("abc", "0", 10), ONE)
			var ire *tg.InvalidRequestException
			if !errors.As(err, &ire) {
				t.Fatalf("bad token: %v", err)
			}
			_, err = c.DescribeVersion(ctx)
			must(t, err)
		})
	}
}

func TestThriftKeyRangeValidation(t *testing.T) {
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

func TestThriftRangeKeysAreNotValidated(t *testing.T) {
	// validateKeyRange and get_indexed_slices never run the key validator
	// on start/end keys; only single-partition reads and writes do.
	c := dtestClient(t, server.Config{})
	d := cfDef("Keyspace1", "LongKeys")
	d.KeyValidationClass = strp("LongType")
	d.ColumnMetadata = []*tg.ColumnDef{{Name: []byte("a"), ValidationClass: "BytesType", IndexType: tg.IndexTypePtr(tg.IndexType_KEYS)}}
	_, err := c.SystemAddColumnFamily(ctx, d)
	must(t, err)
	must(t, c.Insert(ctx, longBytes(5), parent("LongKeys"), col("a", "x", 1), ONE))
	rows, err := c.GetRangeSlices(ctx, parent("LongKeys"), names("a"), keyRange("abc", "", 10), ONE)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("rows after key 'abc' (0x616263 > 0x00..05): %v", rowKeys(rows))
	}
	rows, err = c.GetRangeSlices(ctx, parent("LongKeys"), names("a"), keyRange("\x00", "", 10), ONE)
	must(t, err)
	if len(rows) != 1 {
		t.Fatalf("range from a 1-byte key: %v", rows)
	}
	got := indexedKeys(t, c, "LongKeys", indexClause("\x00", 10, eqExpr("a", []byte("x"))))
	if len(got) != 1 {
		t.Fatalf("indexed from a 1-byte start key: %v", got)
	}
	_, err = c.GetPagedSlice(ctx, "LongKeys", keyRange("z", "", 10), nil, ONE)
	must(t, err)
}

func TestThriftRangeGhosts(t *testing.T) {
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

func TestThriftGetRangeSlice(t *testing.T) {
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

func TestThriftGetRangeSliceSuper(t *testing.T) {
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

// pagedSlice reads get_paged_slice on Standard1 and renders the rows as
// "key:col,col key:col".
func pagedSlice(t *testing.T, c *client, kr *tg.KeyRange, startCol string) string {
	t.Helper()
	rows, err := c.GetPagedSlice(ctx, "Standard1", kr, []byte(startCol), ONE)
	must(t, err)
	var parts []string
	for _, r := range rows {
		parts = append(parts, string(r.Key)+":"+strings.Join(colNames(t, r.Columns), ","))
	}
	return strings.Join(parts, " ")
}

func TestThriftPagedSlice(t *testing.T) {
	c := dtestClient(t, server.Config{})
	for _, k := range []string{"a", "b", "c"} {
		for i := 1; i <= 4; i++ {
			c.insert(t, k, parent("Standard1"), col(fmt.Sprint("c", i), "v", 0))
		}
	}
	page := func(kr *tg.KeyRange, startCol string) string {
		t.Helper()
		return pagedSlice(t, c, kr, startCol)
	}
	// Cassandra 3.11 counts rows, each with all its columns
	// (CassandraServer.get_paged_slice: getLimits(range.count, true,
	// Integer.MAX_VALUE)); 2.x counted columns across rows.
	if got := page(keyRange("", "", 2), ""); got != "a:c1,c2,c3,c4 b:c1,c2,c3,c4" {
		t.Fatalf("first page: %s", got)
	}
	// start_column applies to the start_key row only.
	if got := page(keyRange("b", "", 6), "c3"); got != "b:c3,c4 c:c1,c2,c3,c4" {
		t.Fatalf("second page: %s", got)
	}
	// With a token start, start_column is ignored.
	if got := page(tokenRange(fmt.Sprintf("%x", "a"), "", 1), "c3"); got != "b:c1,c2,c3,c4" {
		t.Fatalf("token page: %s", got)
	}
	kr := keyRange("", "", 10)
	kr.RowFilter = []*tg.IndexExpression{{ColumnName: []byte("c1"), Op: tg.IndexOperator_EQ, Value: []byte("v")}}
	_, err := c.GetPagedSlice(ctx, "Standard1", kr, nil, ONE)
	mustIRE(t, err, "Cross-row paging is not supported along with index clauses")
	_, err = c.GetPagedSlice(ctx, "Nope", keyRange("", "", 10), nil, ONE)
	mustIRE(t, err, "unconfigured table Nope")
}

func TestThriftPagedSliceEdges(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Standard1")
	for _, k := range []string{"a", "b", "c"} {
		for i := 1; i <= 3; i++ {
			c.insert(t, k, p, col(fmt.Sprint("c", i), "v", 1))
		}
	}
	page := func(kr *tg.KeyRange, startCol string) string {
		t.Helper()
		return pagedSlice(t, c, kr, startCol)
	}
	for _, tc := range []struct {
		kr       *tg.KeyRange
		startCol string
		want     string
	}{
		// count is a row limit (3.11): rows are never cut short.
		{keyRange("", "", 1), "", "a:c1,c2,c3"},
		// start_column past every column of the start row: that row comes
		// back empty (Thrift reads keep empty partitions) and counts.
		{keyRange("a", "", 2), "c9", "a: b:c1,c2,c3"},
		// start_column inclusive.
		{keyRange("a", "", 2), "c3", "a:c3 b:c1,c2,c3"},
		// An end key bounds the rows.
		{keyRange("a", "b", 100), "c2", "a:c2,c3 b:c1,c2,c3"},
		// More rows asked than there are.
		{keyRange("", "", 9), "", "a:c1,c2,c3 b:c1,c2,c3 c:c1,c2,c3"},
	} {
		if got := page(tc.kr, tc.startCol); got != tc.want {
			t.Errorf("%v from %q: got %q want %q", tc.kr, tc.startCol, got, tc.want)
		}
	}
	// start_column must be a valid name under the comparator.
	_, err := c.GetPagedSlice(ctx, "StandardLong1", keyRange("", "", 10), []byte("abc"), ONE)
	var ire *tg.InvalidRequestException
	if !errors.As(err, &ire) {
		t.Fatalf("bad start_column: %v", err)
	}
	// A paged slice on an empty CF is empty, not an error.
	rows, err := c.GetPagedSlice(ctx, "Standard2", keyRange("", "", 10), nil, ONE)
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("empty CF: %v", rows)
	}
}

func TestThriftGhostsFromExpiryAndPaging(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	p := parent("Standard1")
	c.insert(t, "a", p, col("c1", "v", 1), col("c2", "v", 1))
	c.insert(t, "b", p, ttlCol("c1", "v", 1, 1))
	c.insert(t, "c", p, col("c1", "v", 1))
	must(t, c.Remove(ctx, []byte("d"), path("Standard1", nil, nil), 1, ONE))
	c.insert(t, "e", p, col("c1", "v", 1))
	clk.Advance(2 * time.Second)
	// A row whose only cell expired is a ghost, like a deleted row.
	rows, err := c.GetRangeSlices(ctx, p, columnRange("", "", false, 100), keyRange("", "", 100), ONE)
	must(t, err)
	var parts []string
	for _, r := range rows {
		parts = append(parts, fmt.Sprintf("%s:%d", r.Key, len(r.Columns)))
	}
	if got := strings.Join(parts, " "); got != "a:2 b:0 c:1 d:0 e:1" {
		t.Fatalf("ghosts: %s", got)
	}
	// get_range_slices count includes the ghosts.
	rows, err = c.GetRangeSlices(ctx, p, columnRange("", "", false, 100), keyRange("b", "", 3), ONE)
	must(t, err)
	if strings.Join(rowKeys(rows), ",") != "b,c,d" {
		t.Fatalf("count with ghosts: %v", rowKeys(rows))
	}
	// get_paged_slice: ghosts come back empty and count as rows (3.11's
	// row limit counts every partition, as get_range_slices does).
	rows, err = c.GetPagedSlice(ctx, "Standard1", keyRange("", "", 4), nil, ONE)
	must(t, err)
	parts = nil
	for _, r := range rows {
		parts = append(parts, fmt.Sprintf("%s:%d", r.Key, len(r.Columns)))
	}
	if got := strings.Join(parts, " "); got != "a:2 b:0 c:1 d:0" {
		t.Errorf("paged with ghosts: %s", got)
	}
	// multiget_slice and get_count see nothing in the expired row.
	n, err := c.GetCount(ctx, []byte("b"), p, columnRange("", "", false, 100), ONE)
	must(t, err)
	if n != 0 {
		t.Fatalf("count of expired row %d", n)
	}
	// get_indexed_slices never returns ghosts.
	c.insert(t, "i1", parent("Indexed1"), bcol([]byte("birthdate"), string(longBytes(1)), 1))
	must(t, c.Remove(ctx, []byte("i2"), path("Indexed1", nil, nil), 1, ONE))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 10, eqExpr("birthdate", longBytes(1)))); strings.Join(got, ",") != "i1" {
		t.Fatalf("indexed with a ghost around: %v", got)
	}
	// A super column parent on a row without that super column: ghost.
	c.insert(t, "s1", superParent("Super1", []byte("sc1")), bcol(longBytes(1), "v", 1))
	c.insert(t, "s2", superParent("Super1", []byte("sc2")), bcol(longBytes(1), "v", 1))
	rows, err = c.GetRangeSlices(ctx, superParent("Super1", []byte("sc1")), columnRange("", "", false, 10), keyRange("", "", 10), ONE)
	must(t, err)
	if len(rows) != 2 || string(rows[1].Key) != "s2" || len(rows[1].Columns) != 0 || len(rows[0].Columns) != 1 {
		t.Fatalf("super parent ghost: %v", rows)
	}
	// get_count with column_names counts like get_slice (duplicates collapse).
	n, err = c.GetCount(ctx, []byte("a"), p, names("c1", "c1", "zz"), ONE)
	must(t, err)
	if n != 1 {
		t.Fatalf("get_count by names %d", n)
	}
	var ire *tg.InvalidRequestException
	_, err = c.GetCount(ctx, []byte("a"), p, names(""), ONE)
	if !errors.As(err, &ire) {
		t.Fatalf("get_count with an empty name: %v", err)
	}
}

func TestThriftGhostsAndCounterTombstonesPurgedAfterGCGrace(t *testing.T) {
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

// TestThriftRangeSlicesBadCalls sends get_range_slices and get_paged_slice
// requests that Cassandra refuses and checks each error: single faults (from
// dtest's test_bad_calls) and several faults at once, where the error shows
// which check Cassandra runs first.
func TestThriftRangeSlicesBadCalls(t *testing.T) {
	c := dtestClient(t, server.Config{})
	const ANY = tg.ConsistencyLevel_ANY
	anyRd := "ANY ConsistencyLevel is only supported for writes"
	empty := []byte{}
	runErrCases(t, []errCase{
		// One fault at a time (dtest's test_bad_calls).
		{"invalid CF", func() error {
			_, err := c.GetRangeSlices(ctx, parent("S"), names("", ""), keyRange("", "", 5), ONE)
			return err
		}, "unconfigured table S"},
		{"start key > end key", func() error {
			_, err := c.GetRangeSlices(ctx, parent("Standard1"), names("a"), keyRange("z", "a", 1), ONE)
			return err
		}, "start key must sort before (or equal to) finish key in your partitioner!"}, // BOP preserves order
		// Two or more faults at once: the error shows which check
		// Cassandra runs first.
		// get_range_slices: parent, predicate, KeyRange, CL.
		{"range/predicate+keyrange", func() error {
			_, err := c.GetRangeSlices(ctx, parent("Standard1"), &tg.SlicePredicate{}, &tg.KeyRange{Count: 1}, ANY)
			return err
		}, "predicate column_names and slice_range may not both be null"},
		{"range/keyrange+ANY", func() error {
			_, err := c.GetRangeSlices(ctx, parent("Standard1"), names("a"), keyRange("", "", 0), ANY)
			return err
		}, "maxRows must be positive"},
		{"range/ANY", func() error {
			_, err := c.GetRangeSlices(ctx, parent("Standard1"), names("a"), keyRange("", "", 1), ANY)
			return err
		}, anyRd},
		{"range/row_filter on super parent", func() error {
			kr := keyRange("", "", 1)
			kr.RowFilter = []*tg.IndexExpression{{ColumnName: longBytes(1), Op: tg.IndexOperator_EQ, Value: []byte("x")}}
			_, err := c.GetRangeSlices(ctx, superParent("Super1", []byte("sc")), names("\x00\x00\x00\x00\x00\x00\x00\x01"), kr, ONE)
			return err
		}, "super columns are not supported for indexing"},
		{"range/row_filter bad name before count", func() error {
			kr := keyRange("", "", 0)
			kr.RowFilter = []*tg.IndexExpression{{ColumnName: []byte("abc"), Op: tg.IndexOperator_EQ, Value: longBytes(1)}}
			_, err := c.GetRangeSlices(ctx, parent("StandardLong1"), columnRange("", "", false, 1), kr, ONE)
			return err
		}, "[616263]=[0000000000000001] failed name validation (Expected 8 or 0 byte long (3))"},
		// get_paged_slice: KeyRange, CL, then row_filter.
		{"paged/keyrange+ANY", func() error {
			_, err := c.GetPagedSlice(ctx, "Standard1", keyRange("", "", 0), empty, ANY)
			return err
		}, "maxRows must be positive"},
		{"paged/ANY+row_filter", func() error {
			kr := keyRange("", "", 5)
			kr.RowFilter = []*tg.IndexExpression{{ColumnName: []byte("a"), Op: tg.IndexOperator_EQ, Value: []byte("x")}}
			_, err := c.GetPagedSlice(ctx, "Standard1", kr, empty, ANY)
			return err
		}, anyRd},
		{"paged/row_filter", func() error {
			kr := keyRange("", "", 5)
			kr.RowFilter = []*tg.IndexExpression{{ColumnName: []byte("a"), Op: tg.IndexOperator_EQ, Value: []byte("x")}}
			_, err := c.GetPagedSlice(ctx, "Standard1", kr, empty, ONE)
			return err
		}, "Cross-row paging is not supported along with index clauses"},
		{"paged/unknown CF", func() error {
			_, err := c.GetPagedSlice(ctx, "Nope", keyRange("", "", 0), empty, ANY)
			return err
		}, "unconfigured table Nope"},
	})
}
