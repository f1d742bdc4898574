package columnfamily

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thriftgen"
)

// Byte-level checks of what a ColumnFamily sends for a query.Select: the
// slice ends are the bytes pycassa packs for the same slices
// (ColumnFamily._pack_name with slice_start and slice_end), and the index
// clauses and key ranges what Cassandra's Thrift interface takes.

// testSchema builds the schema of a column family "cf" without a server:
// comparator as given, UTF8 keys and values, a LongType "birthdate" column
// with a KEYS index.
func testSchema(t *testing.T, comparator string) (*ColumnFamily, *cfSchema) {
	t.Helper()
	utf8 := "UTF8Type"
	def := thriftgen.NewCfDef()
	def.Name, def.ComparatorType = "cf", comparator
	def.KeyValidationClass, def.DefaultValidationClass = &utf8, &utf8
	def.ColumnMetadata = []*thriftgen.ColumnDef{{Name: []byte("birthdate"), ValidationClass: "LongType",
		IndexType: thriftgen.IndexTypePtr(thriftgen.IndexType_KEYS)}}
	cf := &ColumnFamily{name: "cf"}
	s, err := buildSchema(def, &cf.cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cf, s
}

// partsOf takes q apart as a range read would, failing the test on error.
func partsOf(t *testing.T, q query.Select) *query.Parts {
	t.Helper()
	p, err := parts(q, "test", true)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCFSliceEndBytes(t *testing.T) {
	cf, s := testSchema(t, "CompositeType(LongType, AsciiType)")
	when := time.Date(2010, 12, 11, 8, 2, 15, 0, time.UTC)
	tcf, ts := testSchema(t, "TimeUUIDType")
	cases := []struct {
		name          string
		cf            *ColumnFamily
		s             *cfSchema
		q             query.Select
		start, finish string
	}{
		{"composite start (1,), finish (2, ('b', exclusive))", cf, s,
			query.Slice(codec.Tuple{1}, codec.Tuple{2, codec.Exclusive("b")}),
			"00080000000000000001ff", "0008000000000000000200000162ff"},
		{"reversed composite start (2,), finish (1,)", cf, s,
			query.Slice(codec.Tuple{2}, codec.Tuple{1}).Reversed(),
			"0008000000000000000201", "00080000000000000001ff"},
		{"composite prefix (1,) to (1, exclusive 'm')", cf, s,
			query.Slice(codec.Tuple{int64(1)}, codec.Tuple{int64(1), codec.Exclusive("m")}),
			"00080000000000000001ff", "000800000000000000010000016dff"},
		{"time slice", tcf, ts, query.Slice(when, when),
			"f7655d8004fc11e08080808080808080", "f7655d8004fc11e0bf7f7f7f7f7f7f7f"},
		{"reversed time slice", tcf, ts, query.Slice(when, when).Reversed(),
			"f7655d8004fc11e0bf7f7f7f7f7f7f7f", "f7655d8004fc11e08080808080808080"},
		{"open ends", cf, s, query.Slice("", nil), "", ""},
	}
	for _, c := range cases {
		start, finish, err := c.cf.sliceEnds(c.s, partsOf(t, c.q), false)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if hex.EncodeToString(start) != c.start || hex.EncodeToString(finish) != c.finish {
			t.Errorf("%s:\n got  %x %x\n want %s %s", c.name, start, finish, c.start, c.finish)
		}
	}
	// A named composite column is packed plainly (end-of-component 00).
	p, err := cf.predicate(s, partsOf(t, query.Columns(codec.Tuple{1, "a"})), false, DefaultColumnCount)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(p.ColumnNames[0]); got != "000800000000000000010000016100" {
		t.Errorf("named composite: %s", got)
	}
}

func TestCFPredicate(t *testing.T) {
	cf, s := testSchema(t, "UTF8Type")
	for _, c := range []struct {
		q    query.Select
		def  int
		want *thriftgen.SlicePredicate
	}{
		{query.Select{}, DefaultColumnCount,
			&thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: []byte{}, Finish: []byte{}, Count: 100}}},
		{query.Slice("a", "m").PerPartitionLimit(7), DefaultColumnCount,
			&thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: []byte("a"), Finish: []byte("m"), Count: 7}}},
		{query.Slice("m", "a").Reversed().PerPartitionLimit(query.Unlimited), DefaultColumnCount,
			&thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: []byte("m"), Finish: []byte("a"), Reversed: true, Count: maxCount}}},
		{query.Slice([]byte{}, "z"), maxCount,
			&thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: []byte{}, Finish: []byte("z"), Count: maxCount}}},
		{query.Columns("b", "a"), DefaultColumnCount,
			&thriftgen.SlicePredicate{ColumnNames: [][]byte{[]byte("b"), []byte("a")}}},
		{query.Columns(), DefaultColumnCount, &thriftgen.SlicePredicate{ColumnNames: [][]byte{}}},
	} {
		p, err := cf.predicate(s, partsOf(t, c.q), false, c.def)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Equals(c.want) || p.IsSetColumnNames() != c.want.IsSetColumnNames() {
			t.Errorf("%v: predicate %v, want %v", c.q, p, c.want)
		}
	}
}

func strp(s string) *string { return &s }

func TestCFKeyRange(t *testing.T) {
	cf, s := testSchema(t, "UTF8Type")
	for _, c := range []struct {
		q    query.Select
		want *thriftgen.KeyRange
	}{
		{query.Select{}, &thriftgen.KeyRange{Count: 100, StartKey: []byte{}, EndKey: []byte{}}},
		{query.Keys("a", "m"), &thriftgen.KeyRange{Count: 100, StartKey: []byte("a"), EndKey: []byte("m")}},
		{query.Keys("", nil), &thriftgen.KeyRange{Count: 100, StartKey: []byte{}, EndKey: []byte{}}},
		{query.Tokens("100", "200"), &thriftgen.KeyRange{Count: 100, StartToken: strp("100"), EndToken: strp("200")}},
		// pycassa sends end_token = finish_token or ''.
		{query.Tokens("100", ""), &thriftgen.KeyRange{Count: 100, StartToken: strp("100"), EndToken: strp("")}},
		{query.Keys("c", nil).UntilToken("900"), &thriftgen.KeyRange{Count: 100, StartKey: []byte("c"), EndToken: strp("900")}},
		{query.Tokens("100", "200").StartKey("k"), &thriftgen.KeyRange{Count: 100, StartKey: []byte("k"), EndToken: strp("200")}},
		{query.Where("birthdate").Gt(1970), &thriftgen.KeyRange{Count: 100, StartKey: []byte{}, EndKey: []byte{},
			RowFilter: []*thriftgen.IndexExpression{{ColumnName: []byte("birthdate"), Op: thriftgen.IndexOperator_GT,
				Value: []byte{0, 0, 0, 0, 0, 0, 7, 0xb2}}}}},
	} {
		kr, err := cf.keyRange(s, partsOf(t, c.q))
		if err != nil {
			t.Fatal(err)
		}
		if !kr.Equals(c.want) || kr.IsSetStartKey() != c.want.IsSetStartKey() || kr.IsSetEndKey() != c.want.IsSetEndKey() ||
			kr.IsSetStartToken() != c.want.IsSetStartToken() || kr.IsSetEndToken() != c.want.IsSetEndToken() {
			t.Errorf("%v: key range %v, want %v", c.q, kr, c.want)
		}
	}
}

func TestCFIndexClause(t *testing.T) {
	cf, s := testSchema(t, "UTF8Type")
	c, err := cf.indexClause(s, partsOf(t, query.Where("state").Eq("UT").And("birthdate").Gt(1970).StartKey("jsmith")))
	if err != nil {
		t.Fatal(err)
	}
	want := &thriftgen.IndexClause{
		Expressions: []*thriftgen.IndexExpression{
			{ColumnName: []byte("state"), Op: thriftgen.IndexOperator_EQ, Value: []byte("UT")},
			{ColumnName: []byte("birthdate"), Op: thriftgen.IndexOperator_GT, Value: []byte{0, 0, 0, 0, 0, 0, 7, 0xb2}},
		},
		StartKey: []byte("jsmith"),
		Count:    100, // the IDL's default; each page sets its own
	}
	if !c.Equals(want) {
		t.Fatalf("got %v\nwant %v", c, want)
	}
	for op, thr := range map[query.Op]thriftgen.IndexOperator{query.OpEq: thriftgen.IndexOperator_EQ,
		query.OpGt: thriftgen.IndexOperator_GT, query.OpGte: thriftgen.IndexOperator_GTE,
		query.OpLt: thriftgen.IndexOperator_LT, query.OpLte: thriftgen.IndexOperator_LTE} {
		x, err := cf.expressions(s, []query.Relation{{Column: "a", Op: op, Value: "v"}})
		if err != nil || x[0].Op != thr {
			t.Errorf("%v: %v, %v", op, x, err)
		}
	}
	// A 64K value is Cassandra's limit, and accepted.
	if _, err := cf.expressions(s, []query.Relation{{Column: "a", Op: query.OpEq, Value: make([]byte, 65535)}}); err != nil {
		t.Error(err)
	}
}

// TestCFSelectRefused: selects a read cannot send are refused with
// ErrInvalidOption (or their builder error) before anything is sent.
func TestCFSelectRefused(t *testing.T) {
	cf, s := testSchema(t, "UTF8Type")
	for _, c := range []struct {
		name string
		run  func() error
		text string
	}{
		{"relations on a row read", func() error { _, err := parts(query.Where("a").Eq(1), "Get", false); return err }, "Get reads rows by key; its select may not hold relations"},
		{"keys on a row read", func() error { _, err := parts(query.Keys("a", "b"), "MultiGet", false); return err }, "a key or token range"},
		{"limit on a row read", func() error { _, err := parts(query.Select{}.Limit(3), "GetCount", false); return err }, "a row Limit"},
		{"filtering on a row read", func() error { _, err := parts(query.Select{}.AllowFiltering(), "XGet", false); return err }, "AllowFiltering"},
		{"named columns and a slice", func() error { _, err := parts(query.Columns("a").Slice("a", "b"), "Get", false); return err }, "named columns take no Slice"},
		{"named columns reversed", func() error { _, err := parts(query.Columns("a").Reversed(), "GetRange", true); return err }, "named columns take no Slice, Reversed"},
		{"builder error", func() error { _, err := parts(query.Where(nil).Eq(1), "GetRange", true); return err }, "nil column"},
		{"IN over Thrift", func() error {
			_, err := cf.keyRange(s, partsOf(t, query.Where("a").In("x", "y")))
			return err
		}, "Thrift compares columns with =, >, >=, < and <= only"},
		{"value over 64K", func() error {
			_, err := cf.keyRange(s, partsOf(t, query.Where("a").Eq(make([]byte, 65536))))
			return err
		}, "packs to 65536 bytes"},
		{"finish key on an index query", func() error {
			_, err := cf.indexClause(s, partsOf(t, query.Where("a").Eq("x").Keys("a", "m")))
			return err
		}, "takes no finish key or tokens"},
		{"filtering on an index query", func() error {
			_, err := cf.indexClause(s, partsOf(t, query.Where("a").Eq("x").AllowFiltering()))
			return err
		}, "GetRange filters rows without an index"},
		{"slice in a deletion", func() error {
			_, err := s.deletion("cf", query.Slice("a", "b"), &writeOpts{}, 1)
			return err
		}, "Remove deletes named columns"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.run()
			if err == nil || !strings.Contains(err.Error(), c.text) {
				t.Fatalf("got %v, want an error containing %q", err, c.text)
			}
			if !errors.Is(err, ErrInvalidOption) && !errors.Is(err, query.ErrInvalid) {
				t.Errorf("%v is neither ErrInvalidOption nor query.ErrInvalid", err)
			}
		})
	}
}

// FuzzPageSize checks the paging rule: the first page never asks for more
// than the limit, and every later page asks for at least two (so it always
// brings a new item past the repeated one) and at most one more than what
// is left.
func FuzzPageSize(f *testing.F) {
	f.Add(true, 100, 0, 10)
	f.Add(false, 100, 99, 1)
	f.Add(false, -1, 5, 1)
	f.Fuzz(func(t *testing.T, first bool, limit, done, buf int) {
		if buf <= 0 || buf > 1<<20 || limit > 1<<20 || done < 0 || (limit >= 0 && done >= limit) || (first && done != 0) {
			return
		}
		if limit < -1 {
			limit = -1
		}
		n := pageSize(first, limit, done, buf)
		switch {
		case first && limit >= 0 && n != min(limit, buf):
			t.Fatalf("first page %d (limit %d, buffer %d)", n, limit, buf)
		case first && limit < 0 && n != buf:
			t.Fatalf("first unlimited page %d", n)
		case !first && n < 2:
			t.Fatalf("later page %d cannot make progress", n)
		case !first && limit >= 0 && n > limit-done+1:
			t.Fatalf("later page %d asks for more than the %d left", n, limit-done)
		}
	})
}

// BenchmarkCFCodecWork measures the client-side work a ColumnFamily adds
// to Insert and Get of one 10-column row (building the mutations, unpacking
// the slice), without the network.
func BenchmarkCFCodecWork(b *testing.B) {
	def := thriftgen.NewCfDef()
	def.Name, def.ComparatorType = "cf", "UTF8Type"
	utf8 := "UTF8Type"
	def.KeyValidationClass, def.DefaultValidationClass = &utf8, &utf8
	def.ColumnMetadata = []*thriftgen.ColumnDef{{Name: []byte("age"), ValidationClass: "LongType"}}
	cf := &ColumnFamily{name: "cf"}
	s, err := buildSchema(def, &cf.cfg)
	if err != nil {
		b.Fatal(err)
	}
	cols := Cols{"age": int64(24)}
	var result []*thriftgen.ColumnOrSuperColumn
	ts := int64(1)
	for i := 1; i < 10; i++ {
		cols[fmt.Sprintf("col%d", i)] = fmt.Sprintf("value %d", i)
	}
	for name := range cols {
		v, _ := s.packValue("cf", []byte(name.(string)), cols[name])
		result = append(result, &thriftgen.ColumnOrSuperColumn{Column: &thriftgen.Column{Name: []byte(name.(string)), Value: v, Timestamp: &ts}})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.packRowKey("cf", "thobbs"); err != nil {
			b.Fatal(err)
		}
		if _, err := s.insertMutations("cf", cols, 1, 0); err != nil {
			b.Fatal(err)
		}
		var row Row
		if err := s.unpackInto("cf", result, &row); err != nil {
			b.Fatal(err)
		}
	}
}
