package query

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
)

// schemaPacker packs like a column family of UTF8 names, a LongType
// validator for birthdate and UTF8 for the rest, and LongType keys; it
// records the bounds it was asked for.
type schemaPacker struct {
	bounds []codec.Bound
}

func (p *schemaPacker) PackName(n any, b codec.Bound) ([]byte, error) {
	p.bounds = append(p.bounds, b)
	return codec.UTF8.PackBound(n, b)
}

func (p *schemaPacker) PackValue(col, v any) ([]byte, error) {
	if col == "birthdate" {
		return codec.Long.Pack(v)
	}
	return codec.UTF8.Pack(v)
}

func (p *schemaPacker) PackKey(k any) ([]byte, error) { return codec.Long.Pack(k) }

func TestIndexQueryBuild(t *testing.T) {
	q := Where("state").Eq("UT").And("birthdate").Gt(1970).StartKey(int64(5)).Limit(20)
	c, err := q.Build(&schemaPacker{})
	if err != nil {
		t.Fatal(err)
	}
	want := &thriftgen.IndexClause{
		Expressions: []*thriftgen.IndexExpression{
			{ColumnName: []byte("state"), Op: thriftgen.IndexOperator_EQ, Value: []byte("UT")},
			{ColumnName: []byte("birthdate"), Op: thriftgen.IndexOperator_GT, Value: []byte{0, 0, 0, 0, 0, 0, 7, 0xb2}},
		},
		StartKey: []byte{0, 0, 0, 0, 0, 0, 0, 5},
		Count:    20,
	}
	if !c.Equals(want) {
		t.Fatalf("got %v\nwant %v", c, want)
	}
}

func TestIndexQueryOperators(t *testing.T) {
	tests := []struct {
		q    IndexQuery
		op   Op
		thr  thriftgen.IndexOperator
		text string
	}{
		{Where("a").Eq(1), EQ, thriftgen.IndexOperator_EQ, "a = 1"},
		{Where("a").Gte(1), GTE, thriftgen.IndexOperator_GTE, "a >= 1"},
		{Where("a").Gt(1), GT, thriftgen.IndexOperator_GT, "a > 1"},
		{Where("a").Lte(1), LTE, thriftgen.IndexOperator_LTE, "a <= 1"},
		{Where("a").Lt(1), LT, thriftgen.IndexOperator_LT, "a < 1"},
		{Where("a").Op(GT, 1), GT, thriftgen.IndexOperator_GT, "a > 1"},
	}
	for _, tc := range tests {
		s, err := tc.q.Spec()
		if err != nil {
			t.Fatal(err)
		}
		if s.Expressions[0].Op != tc.op || int(tc.op) != int(tc.thr) {
			t.Errorf("%v: op %v", tc.q, s.Expressions[0].Op)
		}
		if got := s.Expressions[0].String(); got != tc.text {
			t.Errorf("String %q, want %q", got, tc.text)
		}
		c, err := tc.q.Build(PackFuncs{Value: func(_, v any) ([]byte, error) { return codec.Long.Pack(v) }})
		if err != nil {
			t.Fatal(err)
		}
		if c.Expressions[0].Op != tc.thr {
			t.Errorf("thrift op %v, want %v", c.Expressions[0].Op, tc.thr)
		}
	}
	if Op(9).String() != "Op(9)" {
		t.Error(Op(9).String())
	}
}

func TestIndexQueryDefaults(t *testing.T) {
	q := Where("state").Eq("UT")
	s, err := q.Spec()
	if err != nil {
		t.Fatal(err)
	}
	if s.Count != DefaultLimit || s.StartKey != nil || len(s.Expressions) != 1 {
		t.Fatalf("%+v", s)
	}
	c, err := q.Build(Raw)
	if err != nil {
		t.Fatal(err)
	}
	if c.Count != 100 || c.StartKey == nil || len(c.StartKey) != 0 {
		t.Fatalf("%v", c)
	}
	// An unbounded start key is never packed.
	c, err = q.StartKey("").Build(PackFuncs{Key: func(any) ([]byte, error) { return nil, errors.New("packed") }})
	if err != nil || len(c.StartKey) != 0 {
		t.Fatal(c, err)
	}
	u := q.Limit(5).Unlimited()
	if s, _ := u.Spec(); s.Count != NoLimit {
		t.Fatal(s.Count)
	}
	if c, _ := u.Build(Raw); c.Count != math.MaxInt32 {
		t.Fatal(c.Count)
	}
	if s, _ := u.Limit(7).Spec(); s.Count != 7 {
		t.Fatal(s.Count)
	}
}

func TestIndexQueryImmutable(t *testing.T) {
	base := Where("state").Eq("UT")
	a := base.And("birthdate").Gt(1970)
	b := base.And("birthdate").Lt(1980)
	_ = base.Limit(3).StartKey("x")
	for _, tc := range []struct {
		q    IndexQuery
		want string
	}{
		{base, `state = "UT" LIMIT 100`},
		{a, `state = "UT" AND birthdate > 1970 LIMIT 100`},
		{b, `state = "UT" AND birthdate < 1980 LIMIT 100`},
	} {
		if got := tc.q.String(); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
	// Spec returns a copy.
	s, _ := a.Spec()
	s.Expressions[0].Value = "CA"
	if a.String() != `state = "UT" AND birthdate > 1970 LIMIT 100` {
		t.Fatal("Spec shares the expressions")
	}
	// Concurrent extension of one base (run with -race).
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := base.And("n").Eq(i)
			if s, _ := q.Spec(); len(s.Expressions) != 2 || s.Expressions[1].Value != i {
				t.Error("bad extension")
			}
		}()
	}
	wg.Wait()
	if got := base.StartKey("k").String(); got != `state = "UT" FROM k LIMIT 100` {
		t.Fatal(got)
	}
}

func TestValidate(t *testing.T) {
	indexed := func(col any) bool { return col == "state" || col == "birthdate" }
	tests := []struct {
		name string
		q    IndexQuery
		err  error
		text string
	}{
		{"eq on indexed", Where("state").Eq("UT").And("age").Gt(3), nil, ""},
		{"eq on indexed second", Where("age").Gt(3).And("birthdate").Eq(1970), nil, ""},
		{"empty", IndexQuery{}, ErrEmpty, "query: index clause has no expressions"},
		{"no eq", Where("state").Gt("UT").And("birthdate").Gte(1970), ErrNoIndexedEQ,
			`state > "UT" AND birthdate >= 1970 (EQ on: none; indexed: state, birthdate)`},
		{"eq on unindexed", Where("name").Eq("bob").And("birthdate").Lt(1970), ErrNoIndexedEQ,
			`name = "bob" AND birthdate < 1970 (EQ on: name; indexed: birthdate)`},
		{"nothing indexed", Where("name").Eq("bob"), ErrNoIndexedEQ, `(EQ on: name; indexed: none)`},
		{"repeated indexed column listed once", Where("state").Gt("A").And("state").Lt("Z"), ErrNoIndexedEQ, `indexed: state)`},
		{"builder error first", Where(nil).Eq(1), ErrInvalid, "nil column"},
		{"nil value", Where("state").Eq(nil), ErrInvalid, "nil value for column state"},
		{"bad limit", Where("state").Eq("UT").Limit(0), ErrInvalid, "Limit(0)"},
		{"huge limit", Where("state").Eq("UT").Limit(math.MaxInt32 + 1), ErrInvalid, "Limit("},
		{"bad op", Where("state").Op(Op(7), "UT"), ErrInvalid, "unknown operator 7"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.q.Validate(indexed)
			if tc.err == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("%v is not %v", err, tc.err)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("%q lacks %q", err, tc.text)
			}
			if tc.err == ErrNoIndexedEQ || tc.err == ErrEmpty {
				var ce *ClauseError
				if !errors.As(err, &ce) {
					t.Fatalf("%T is not *ClauseError", err)
				}
				if tc.err == ErrNoIndexedEQ && len(ce.Exprs) == 0 {
					t.Fatal("no expressions listed")
				}
			}
			if _, err := tc.q.Spec(); tc.err == ErrInvalid && !errors.Is(err, ErrInvalid) {
				t.Fatal("Spec hides the builder error")
			}
		})
	}
	// Without a schema any EQ passes, and no EQ fails.
	if err := Where("x").Eq(1).Validate(nil); err != nil {
		t.Fatal(err)
	}
	if err := Where("x").Gt(1).Validate(nil); !errors.Is(err, ErrNoIndexedEQ) {
		t.Fatal(err)
	}
	// Byte-slice column names do not break the bookkeeping.
	err := Where([]byte("a")).Gt(1).And([]byte("a")).Lt(2).Validate(func(any) bool { return true })
	var ce *ClauseError
	if !errors.As(err, &ce) || len(ce.Indexed) != 1 {
		t.Fatal(err)
	}
}

func TestBuildErrors(t *testing.T) {
	fail := errors.New("boom")
	tests := []struct {
		name string
		q    IndexQuery
		p    Packer
		err  error
		text string
	}{
		{"empty", IndexQuery{}, Raw, ErrEmpty, "no expressions"},
		{"builder", Where("a").Eq(nil), Raw, ErrInvalid, "nil value"},
		{"name", Where("a").Eq("x"), PackFuncs{Name: func(any, codec.Bound) ([]byte, error) { return nil, fail }}, fail, "packing column name a"},
		{"value", Where("a").Eq("x"), PackFuncs{Value: func(_, _ any) ([]byte, error) { return nil, fail }}, fail, "packing value of column a"},
		{"key", Where("a").Eq("x").StartKey("k"), PackFuncs{Key: func(any) ([]byte, error) { return nil, fail }}, fail, "packing start key k"},
		{"raw rejects ints", Where("a").Eq(1), Raw, nil, "raw packer takes []byte or string, not int"},
		{"value over 64K", Where("a").Eq(make([]byte, 65536)), Raw, ErrInvalid, "packs to 65536 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.q.Build(tc.p)
			if err == nil || (tc.err != nil && !errors.Is(err, tc.err)) || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("got %v, want %v containing %q", err, tc.err, tc.text)
			}
		})
	}
}

func TestColumnSlice(t *testing.T) {
	tests := []struct {
		name   string
		s      ColumnSlice
		spec   SliceSpec
		pred   *thriftgen.SlicePredicate
		bounds []codec.Bound
	}{
		{"zero value", ColumnSlice{},
			SliceSpec{Count: 100},
			&thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: []byte{}, Finish: []byte{}, Count: 100}}, nil},
		{"range", Slice("a", "m").Count(10),
			SliceSpec{Start: "a", Finish: "m", Count: 10},
			&thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: []byte("a"), Finish: []byte("m"), Count: 10}},
			[]codec.Bound{codec.SliceStart, codec.SliceFinish}},
		{"reversed swaps bounds", Slice("m", "a").Reversed(),
			SliceSpec{Start: "m", Finish: "a", Reversed: true, Count: 100},
			&thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: []byte("m"), Finish: []byte("a"), Reversed: true, Count: 100}},
			[]codec.Bound{codec.SliceFinish, codec.SliceStart}},
		{"open ends not packed", Slice("", nil).Count(0),
			SliceSpec{Count: 0},
			&thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: []byte{}, Finish: []byte{}, Count: 0}}, nil},
		{"open start only", Slice([]byte{}, "z"),
			SliceSpec{Finish: "z", Count: 100},
			&thriftgen.SlicePredicate{SliceRange: &thriftgen.SliceRange{Start: []byte{}, Finish: []byte("z"), Count: 100}},
			[]codec.Bound{codec.SliceFinish}},
		{"names", Columns("b", "a"),
			SliceSpec{Named: true, Names: []any{"b", "a"}},
			&thriftgen.SlicePredicate{ColumnNames: [][]byte{[]byte("b"), []byte("a")}},
			[]codec.Bound{codec.NoBound, codec.NoBound}},
		{"no names", Columns(),
			SliceSpec{Named: true, Names: []any{}},
			&thriftgen.SlicePredicate{ColumnNames: [][]byte{}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sp, err := tc.s.Spec()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(sp, tc.spec) {
				t.Fatalf("spec %+v, want %+v", sp, tc.spec)
			}
			p := &schemaPacker{}
			pred, err := tc.s.Predicate(p)
			if err != nil {
				t.Fatal(err)
			}
			if !pred.Equals(tc.pred) || pred.IsSetColumnNames() != tc.pred.IsSetColumnNames() {
				t.Fatalf("predicate %v, want %v", pred, tc.pred)
			}
			if !reflect.DeepEqual(p.bounds, tc.bounds) {
				t.Fatalf("bounds %v, want %v", p.bounds, tc.bounds)
			}
		})
	}
}

func TestColumnSliceComposite(t *testing.T) {
	comp := codec.Composite(codec.Long, codec.UTF8)
	p := PackFuncs{Name: func(n any, b codec.Bound) ([]byte, error) { return comp.PackBound(n, b) }}
	pred, err := Slice(codec.Tuple{int64(1)}, codec.Tuple{int64(1), codec.Exclusive("m")}).Predicate(p)
	if err != nil {
		t.Fatal(err)
	}
	// Start: bare last component, SliceStart: end-of-component ff.
	wantStart := []byte{0, 8, 0, 0, 0, 0, 0, 0, 0, 1, 0xff}
	// Finish: Exclusive at SliceFinish: ff after "m".
	wantFinish := []byte{0, 8, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 'm', 0xff}
	if !bytes.Equal(pred.SliceRange.Start, wantStart) || !bytes.Equal(pred.SliceRange.Finish, wantFinish) {
		t.Fatalf("start %x finish %x", pred.SliceRange.Start, pred.SliceRange.Finish)
	}
}

func TestColumnSliceErrors(t *testing.T) {
	fail := errors.New("boom")
	bad := PackFuncs{Name: func(any, codec.Bound) ([]byte, error) { return nil, fail }}
	tests := []struct {
		name string
		s    ColumnSlice
		p    Packer
		err  error
		text string
	}{
		{"negative count", Slice("a", "b").Count(-1), Raw, ErrInvalid, "Count(-1)"},
		{"count on names", Columns("a").Count(3), Raw, ErrInvalid, "Count applies to a range"},
		{"reversed names", Columns("a").Reversed(), Raw, ErrInvalid, "Reversed applies to a range"},
		{"nil name", Columns("a", nil), Raw, ErrInvalid, "nil name"},
		{"name pack", Columns("a"), bad, fail, "packing column name a"},
		{"start pack", Slice("a", nil), bad, fail, "packing slice start a"},
		{"finish pack", Slice(nil, "z"), bad, fail, "packing slice finish z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.s.Predicate(tc.p)
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("got %v, want %v containing %q", err, tc.err, tc.text)
			}
			if tc.err == ErrInvalid {
				if _, err := tc.s.Spec(); !errors.Is(err, ErrInvalid) || tc.s.Err() == nil {
					t.Fatal("Spec/Err hide the builder error")
				}
			}
		})
	}
}

func strp(s string) *string { return &s }

func TestRowRange(t *testing.T) {
	tests := []struct {
		name string
		r    RowRange
		spec RangeSpec
		kr   *thriftgen.KeyRange
	}{
		{"zero value", RowRange{}, RangeSpec{},
			&thriftgen.KeyRange{StartKey: []byte{}, EndKey: []byte{}, Count: 10}},
		{"keys", Keys(int64(1), int64(2)).RowCount(50),
			RangeSpec{StartKey: int64(1), FinishKey: int64(2), RowCount: 50},
			&thriftgen.KeyRange{StartKey: []byte{0, 0, 0, 0, 0, 0, 0, 1}, EndKey: []byte{0, 0, 0, 0, 0, 0, 0, 2}, Count: 10}},
		{"open keys", Keys("", nil), RangeSpec{},
			&thriftgen.KeyRange{StartKey: []byte{}, EndKey: []byte{}, Count: 10}},
		{"tokens", Tokens("100", "200"),
			RangeSpec{StartToken: "100", FinishToken: "200", HasStartToken: true, HasFinishToken: true},
			&thriftgen.KeyRange{StartToken: strp("100"), EndToken: strp("200"), Count: 10}},
		{"token to the end", Tokens("100", ""),
			RangeSpec{StartToken: "100", HasStartToken: true},
			&thriftgen.KeyRange{StartToken: strp("100"), EndToken: strp(""), Count: 10}},
		{"key until token", Keys(int64(3), nil).UntilToken("900"),
			RangeSpec{StartKey: int64(3), FinishToken: "900", HasFinishToken: true},
			&thriftgen.KeyRange{StartKey: []byte{0, 0, 0, 0, 0, 0, 0, 3}, EndToken: strp("900"), Count: 10}},
		{"next page of a token range", Tokens("100", "200").From(int64(7)),
			RangeSpec{StartKey: int64(7), FinishToken: "200", HasFinishToken: true},
			&thriftgen.KeyRange{StartKey: []byte{0, 0, 0, 0, 0, 0, 0, 7}, EndToken: strp("200"), Count: 10}},
		{"filter", Keys(nil, nil).Filter(Where("birthdate").Gt(1970)),
			RangeSpec{Filter: []Expr{{Column: "birthdate", Op: GT, Value: 1970}}},
			&thriftgen.KeyRange{StartKey: []byte{}, EndKey: []byte{}, Count: 10, RowFilter: []*thriftgen.IndexExpression{
				{ColumnName: []byte("birthdate"), Op: thriftgen.IndexOperator_GT, Value: []byte{0, 0, 0, 0, 0, 0, 7, 0xb2}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sp, err := tc.r.Spec()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(sp, tc.spec) {
				t.Fatalf("spec %+v, want %+v", sp, tc.spec)
			}
			kr, err := tc.r.KeyRange(&schemaPacker{}, 10)
			if err != nil {
				t.Fatal(err)
			}
			if !kr.Equals(tc.kr) || kr.IsSetStartKey() != tc.kr.IsSetStartKey() || kr.IsSetEndKey() != tc.kr.IsSetEndKey() ||
				kr.IsSetStartToken() != tc.kr.IsSetStartToken() || kr.IsSetEndToken() != tc.kr.IsSetEndToken() {
				t.Fatalf("key range %v, want %v", kr, tc.kr)
			}
		})
	}
}

func TestRowRangeErrors(t *testing.T) {
	fail := errors.New("boom")
	badKey := PackFuncs{Key: func(any) ([]byte, error) { return nil, fail }}
	badVal := PackFuncs{Value: func(_, _ any) ([]byte, error) { return nil, fail }}
	tests := []struct {
		name  string
		r     RowRange
		p     Packer
		count int
		err   error
		text  string
	}{
		{"finish key and token", Keys("a", "b").UntilToken("5"), Raw, 1, ErrInvalid, "'finish_token' may not be used with 'finish'"},
		{"row count", Keys(nil, nil).RowCount(0), Raw, 1, ErrInvalid, "RowCount(0)"},
		{"page count", Keys(nil, nil), Raw, 0, ErrInvalid, "KeyRange count 0"},
		{"filter error", Keys(nil, nil).Filter(Where(nil).Eq(1)), Raw, 1, ErrInvalid, "nil column"},
		{"start key", Keys("a", nil), badKey, 1, fail, "packing start key a"},
		{"finish key", Keys(nil, "z"), badKey, 1, fail, "packing finish key z"},
		{"filter value", Keys(nil, nil).Filter(Where("c").Eq("v")), badVal, 1, fail, "packing value of column c"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.r.KeyRange(tc.p, tc.count)
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("got %v, want %v containing %q", err, tc.err, tc.text)
			}
		})
	}
	if _, err := Keys("a", "b").UntilToken("5").Spec(); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
	if Keys(nil, nil).RowCount(-1).Err() == nil {
		t.Fatal("Err is nil")
	}
}

func TestErrAccessors(t *testing.T) {
	if Where("a").Eq(1).Err() != nil || Slice(nil, nil).Err() != nil || Keys(nil, nil).Err() != nil {
		t.Fatal("unexpected error")
	}
	if (&ClauseError{Err: ErrEmpty}).Error() != "query: index clause has no expressions" {
		t.Fatal("ClauseError text")
	}
	if got := Where([]byte{1, 2}).Eq([]byte{0xff}).StartKey([]byte{3}).String(); got != "0x0102 = 0xff FROM 0x03 LIMIT 100" {
		t.Fatal(got)
	}
}

func BenchmarkIndexQueryBuild(b *testing.B) {
	p := &schemaPacker{}
	b.ReportAllocs()
	for b.Loop() {
		q := Where("state").Eq("UT").And("birthdate").Gt(1970).Limit(20)
		if _, err := q.Build(p); err != nil {
			b.Fatal(err)
		}
		p.bounds = p.bounds[:0]
	}
}

func BenchmarkSlicePredicate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Slice("a", "m").Reversed().Count(10).Predicate(Raw); err != nil {
			b.Fatal(err)
		}
	}
}

func TestValueOf64KIsAccepted(t *testing.T) {
	if _, err := Where("a").Eq(make([]byte, 65535)).Build(Raw); err != nil {
		t.Fatal(err)
	}
}

func TestZeroCond(t *testing.T) {
	if err := (Cond{}).Eq(1).Err(); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
}
