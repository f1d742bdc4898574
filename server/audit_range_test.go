package server_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Audit: KeyRange bounds on hashing partitioners (§4.2), ghosts with
// filters (§4.4), get_paged_slice (§4.5) and index matching (§5).

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

func TestAuditTokenRangesHashing(t *testing.T) {
	// Anchor the partitioner used for expectations on published vectors
	// (gocql token_test.go and murmur_test.go), so the audit does not just
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
			// A bad token string is an IRE (Rec) and the connection survives.
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

func TestAuditRangeFiltersAndGhosts(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Indexed4") // a: LongType indexed, z: UTF8Type, others BytesType
	put := func(key string, a int64, z string) {
		c.insert(t, key, p, bcol([]byte("a"), string(longBytes(a)), 1), col("z", z, 1), col("other", "x", 1))
	}
	put("k1", -5, "b")
	put("k2", 3, "a")
	put("k3", 3, "c")
	put("k4", 10, "é")
	must(t, c.Remove(ctx, []byte("k0"), path("Indexed4", nil, nil), 1, ONE)) // a ghost
	expr := func(name string, op tg.IndexOperator, v []byte) *tg.IndexExpression {
		return &tg.IndexExpression{ColumnName: []byte(name), Op: op, Value: v}
	}
	filtered := func(count int32, pred *tg.SlicePredicate, exprs ...*tg.IndexExpression) string {
		t.Helper()
		kr := keyRange("", "", count)
		kr.RowFilter = exprs
		rows, err := c.GetRangeSlices(ctx, p, pred, kr, ONE)
		must(t, err)
		var out []string
		for _, r := range rows {
			out = append(out, string(r.Key)+":"+strings.Join(colNames(t, r.Columns), ","))
		}
		return strings.Join(out, " ")
	}
	all := columnRange("", "", false, 100)
	for _, tc := range []struct {
		name  string
		count int32
		pred  *tg.SlicePredicate
		exprs []*tg.IndexExpression
		want  string
	}{
		// Values compare with the column's validator: LongType is signed.
		{"GT -6 signed", 100, names("a"), []*tg.IndexExpression{expr("a", tg.IndexOperator_GT, longBytes(-6))}, "k1:a k2:a k3:a k4:a"},
		{"LT 0 signed", 100, names("a"), []*tg.IndexExpression{expr("a", tg.IndexOperator_LT, longBytes(0))}, "k1:a"},
		{"LTE 3", 100, names("a"), []*tg.IndexExpression{expr("a", tg.IndexOperator_LTE, longBytes(3))}, "k1:a k2:a k3:a"},
		// UTF8Type compares code points (unsigned bytes).
		{"z GTE b", 100, names("z"), []*tg.IndexExpression{expr("z", tg.IndexOperator_GTE, []byte("b"))}, "k1:z k3:z k4:z"},
		// AND of expressions, filtered column outside the predicate.
		{"AND", 100, names("other"), []*tg.IndexExpression{expr("a", tg.IndexOperator_EQ, longBytes(3)), expr("z", tg.IndexOperator_GT, []byte("a"))}, "k3:other"},
		// count counts matching rows; ghosts never match a filter.
		{"count 2", 2, all, []*tg.IndexExpression{expr("a", tg.IndexOperator_GTE, longBytes(3))}, "k2:a,other,z k3:a,other,z"},
		// A missing column never matches, even with LT.
		{"missing column", 100, all, []*tg.IndexExpression{expr("nope", tg.IndexOperator_LT, []byte("zzz"))}, ""},
		// The predicate may select nothing in a matching row: it is still returned.
		{"empty predicate result", 100, names("nothing"), []*tg.IndexExpression{expr("a", tg.IndexOperator_EQ, longBytes(10))}, "k4:"},
	} {
		if got := filtered(tc.count, tc.pred, tc.exprs...); got != tc.want {
			t.Errorf("%s: got %q want %q", tc.name, got, tc.want)
		}
	}
	// Without a filter the ghost shows and counts.
	kr := keyRange("", "", 2)
	rows, err := c.GetRangeSlices(ctx, p, names("a"), kr, ONE)
	must(t, err)
	if strings.Join(rowKeys(rows), ",") != "k0,k1" || len(rows[0].Columns) != 0 {
		t.Fatalf("ghost: %v", rows)
	}
	// get_indexed_slices: the same filters behind an indexed EQ.
	got := indexedKeys(t, c, "Indexed4", indexClause("", 100, eqExpr("a", longBytes(3)), expr("z", tg.IndexOperator_LT, []byte("b"))))
	if strings.Join(got, ",") != "k2" {
		t.Fatalf("indexed + filter: %v", got)
	}
	// Only non-EQ on the indexed column, or EQ only on unindexed ones: refused.
	for _, cl := range []*tg.IndexClause{
		indexClause("", 10, expr("a", tg.IndexOperator_GTE, longBytes(3))),
		indexClause("", 10, eqExpr("z", []byte("a"))),
		indexClause("", 10, eqExpr("other", []byte("x")), expr("a", tg.IndexOperator_LT, longBytes(3))),
	} {
		_, err := c.GetIndexedSlices(ctx, p, cl, names("a"), ONE)
		mustIRE(t, err, "No indexed columns present in index clause with operator EQ")
	}
	// Expression validation wording (§5.1).
	_, err = c.GetIndexedSlices(ctx, p, indexClause("", 10, eqExpr("a", []byte("abc"))), names("a"), ONE)
	mustIRE(t, err, "[61]=[616263] failed value validation (Expected 8 or 0 byte long (3))")
	_, err = c.GetIndexedSlices(ctx, p, indexClause("", 10, eqExpr("a", make([]byte, 65536))), names("a"), ONE)
	mustIRE(t, err, "Index expression values may not be larger than 64K")
	// The column predicate is validated before the index clause.
	_, err = c.GetIndexedSlices(ctx, parent("Indexed2"), indexClause("", 10, eqExpr("short", longBytes(1))), names("a"), ONE)
	mustIRE(t, err, "UUID should be 16 or 0 bytes (1)")
	_, err = c.GetIndexedSlices(ctx, parent("Indexed2"), indexClause("", 10, eqExpr("short", longBytes(1))), columnRange("", "", false, 10), ONE)
	mustIRE(t, err, "[73686f7274]=[0000000000000001] failed name validation (UUID should be 16 or 0 bytes (5))")
}

func TestAuditIndexedSlicesRingOrderAndTies(t *testing.T) {
	m3 := partitioner.Murmur3Partitioner{}
	c := dtestClient(t, server.Config{Partitioner: "Murmur3Partitioner"})
	p := parent("Indexed1")
	var keys []string
	for i := 0; i < 10; i++ {
		k := fmt.Sprintf("row%d", i)
		keys = append(keys, k)
		c.insert(t, k, p, bcol([]byte("birthdate"), string(longBytes(1)), 5))
	}
	ring, _ := ringKeys(t, m3, keys)
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1)))); strings.Join(got, " ") != strings.Join(ring, " ") {
		t.Fatalf("ring order: %v, want %v", got, ring)
	}
	// start_key is inclusive, in ring order, and the scan runs to the end
	// of the ring (no wrap).
	if got := indexedKeys(t, c, "Indexed1", indexClause(ring[6], 100, eqExpr("birthdate", longBytes(1)))); strings.Join(got, " ") != strings.Join(ring[6:], " ") {
		t.Fatalf("start_key: %v, want %v", got, ring[6:])
	}
	if got := indexedKeys(t, c, "Indexed1", indexClause(ring[2], 3, eqExpr("birthdate", longBytes(1)))); strings.Join(got, " ") != strings.Join(ring[2:5], " ") {
		t.Fatalf("count: %v", got)
	}
	// Index updates follow reconciliation: at equal timestamps the
	// signed-greater value wins (0x7f.. beats 0x80..).
	k := ring[0]
	c.insert(t, k, p, bcol([]byte("birthdate"), string(longBytes(-1)), 5)) // 0xff.. < 0x00..01 signed
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(-1)))); len(got) != 0 {
		t.Fatalf("losing tie value indexed: %v", got)
	}
	c.insert(t, k, p, bcol([]byte("birthdate"), string(longBytes(2)), 5))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(2)))); strings.Join(got, ",") != k {
		t.Fatalf("winning tie value not indexed: %v", got)
	}
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(1)))); len(got) != 9 {
		t.Fatalf("old value still indexed: %v", got)
	}
	// A tombstone older than the value leaves it indexed; a tie removes it.
	must(t, c.Remove(ctx, []byte(k), colPath("Indexed1", "birthdate"), 4, ONE))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(2)))); len(got) != 1 {
		t.Fatalf("older tombstone unindexed: %v", got)
	}
	must(t, c.Remove(ctx, []byte(k), colPath("Indexed1", "birthdate"), 5, ONE))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(2)))); len(got) != 0 {
		t.Fatalf("tie tombstone left it indexed: %v", got)
	}
	// A batch with several writes to the indexed column: only the winner.
	must(t, c.BatchMutate(ctx, mutationMap{"b": {"Indexed1": {
		mutCol(bcol([]byte("birthdate"), string(longBytes(7)), 9)),
		mutCol(bcol([]byte("birthdate"), string(longBytes(8)), 8)),
	}}}, ONE))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(8)))); len(got) != 0 {
		t.Fatalf("batch loser indexed: %v", got)
	}
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 100, eqExpr("birthdate", longBytes(7)))); strings.Join(got, ",") != "b" {
		t.Fatalf("batch winner: %v", got)
	}
}

func TestAuditPagedSliceEdges(t *testing.T) {
	c := dtestClient(t, server.Config{})
	p := parent("Standard1")
	for _, k := range []string{"a", "b", "c"} {
		for i := 1; i <= 3; i++ {
			c.insert(t, k, p, col(fmt.Sprint("c", i), "v", 1))
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
	for _, tc := range []struct {
		kr       *tg.KeyRange
		startCol string
		want     string
	}{
		// count smaller than the first row: that row is cut short.
		{keyRange("", "", 2), "", "a:c1,c2"},
		// start_column past every column of the start row: that row comes
		// back empty (like a range ghost, as 2.x ColumnFamilyStore.filter
		// keeps rows whose filtered CF is empty) and the next row follows.
		{keyRange("a", "", 2), "c9", "a: b:c1,c2"},
		// start_column inclusive.
		{keyRange("a", "", 2), "c3", "a:c3 b:c1"},
		// An end key bounds the rows.
		{keyRange("a", "b", 100), "c2", "a:c2,c3 b:c1,c2,c3"},
		// exactly fitting count.
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

func TestAuditRangeKeysAreNotValidated(t *testing.T) {
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
