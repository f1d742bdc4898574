package query

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestOperators(t *testing.T) {
	tests := []struct {
		s    Select
		op   Op
		text string
	}{
		{Where("a").Eq(1), OpEq, "a = 1"},
		{Where("a").Gte(1), OpGte, "a >= 1"},
		{Where("a").Gt(1), OpGt, "a > 1"},
		{Where("a").Lte(1), OpLte, "a <= 1"},
		{Where("a").Lt(1), OpLt, "a < 1"},
		{Where("a").In(1, "x"), OpIn, `a IN (1, "x")`},
		{Where("tags").Contains("go"), OpContains, `tags CONTAINS "go"`},
		{Where("attrs").ContainsKey("color"), OpContainsKey, `attrs CONTAINS KEY "color"`},
		{Where("a").Op(OpGt, 1), OpGt, "a > 1"},
	}
	for _, tc := range tests {
		p, err := tc.s.Parts()
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Relations) != 1 || p.Relations[0].Op != tc.op {
			t.Errorf("%v: relations %v", tc.s, p.Relations)
		}
		if got := p.Relations[0].String(); got != tc.text {
			t.Errorf("String %q, want %q", got, tc.text)
		}
	}
	if Op(9).String() != "Op(9)" || Op(0).String() != "Op(0)" {
		t.Error(Op(9).String(), Op(0).String())
	}
}

func TestParts(t *testing.T) {
	tests := []struct {
		name string
		s    Select
		want Parts
	}{
		{"zero value", Select{}, Parts{}},
		{"index query", Where("state").Eq("UT").And("birthdate").Gt(1970).StartKey(int64(5)).Limit(20),
			Parts{Relations: []Relation{{"state", OpEq, "UT"}, {"birthdate", OpGt, 1970}}, StartKey: int64(5), Limit: 20}},
		{"slice", Slice("a", "m").PerPartitionLimit(10),
			Parts{Start: "a", Finish: "m", PerPartitionLimit: 10}},
		{"open ends dropped", Slice("", []byte{}).Keys(nil, ""), Parts{}},
		{"reversed", Slice("m", "a").Reversed(), Parts{Start: "m", Finish: "a", Reversed: true}},
		{"names", Columns("b", "a"), Parts{Named: true, Columns: []any{"b", "a"}}},
		{"no names", Columns(), Parts{Named: true, Columns: []any{}}},
		{"keys", Keys(int64(1), int64(2)).Limit(Unlimited), Parts{StartKey: int64(1), FinishKey: int64(2), Limit: Unlimited}},
		{"tokens", Tokens("100", "200"), Parts{StartToken: "100", FinishToken: "200", HasStartToken: true, HasFinishToken: true}},
		{"token to the end", Tokens("100", ""), Parts{StartToken: "100", HasStartToken: true}},
		{"key until token", Keys(int64(3), nil).UntilToken("900"), Parts{StartKey: int64(3), FinishToken: "900", HasFinishToken: true}},
		{"start key after tokens keeps the end", Tokens("100", "200").StartKey(int64(7)),
			Parts{StartKey: int64(7), FinishToken: "200", HasFinishToken: true}},
		{"keys replace tokens", Tokens("1", "2").Keys("a", "b"), Parts{StartKey: "a", FinishKey: "b"}},
		{"tokens replace keys", Keys("a", "b").Tokens("1", "2"),
			Parts{StartToken: "1", FinishToken: "2", HasStartToken: true, HasFinishToken: true}},
		{"filtering", Where("height").Gt(2.5).AllowFiltering(),
			Parts{Relations: []Relation{{"height", OpGt, 2.5}}, AllowFiltering: true}},
		{"in", Where("id").In(1, 2), Parts{Relations: []Relation{{"id", OpIn, []any{1, 2}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.s.Parts()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestSelectIsImmutable(t *testing.T) {
	base := Where("state").Eq("UT")
	a := base.And("birthdate").Gt(1970)
	b := base.And("birthdate").Lt(1980)
	_ = base.Limit(3).StartKey("x").Columns("n").Slice("a", "b")
	for _, tc := range []struct {
		s    Select
		want string
	}{
		{base, `state = "UT"`},
		{a, `state = "UT" AND birthdate > 1970`},
		{b, `state = "UT" AND birthdate < 1980`},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
	// Parts returns a copy.
	p, _ := a.Parts()
	p.Relations[0].Value = "CA"
	cols := Columns("x")
	cp, _ := cols.Parts()
	cp.Columns[0] = "y"
	if a.String() != `state = "UT" AND birthdate > 1970` || cols.String() != "COLUMNS (x)" {
		t.Fatal("Parts shares its slices")
	}
	// Concurrent extension of one base (run with -race).
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := base.And("n").Eq(i)
			if p, _ := s.Parts(); len(p.Relations) != 2 || p.Relations[1].Value != i {
				t.Error("bad extension")
			}
		}()
	}
	wg.Wait()
}

// Long keys and values are cut in String and in errors, as codec.FormatKey
// cuts them.
func TestStringBoundsLongValues(t *testing.T) {
	huge := strings.Repeat("k", 70000)
	for _, s := range []fmt.Stringer{
		Keys(huge, nil),
		Keys([]byte(huge), nil),
		Where("state").Eq(huge),
		Where("state").In(huge, []byte(huge)),
		Columns(huge),
	} {
		if got := s.String(); len(got) > 300 || !strings.Contains(got, "(70000 bytes)") {
			t.Errorf("String of %d bytes: %.200q", len(got), got)
		}
	}
	err := Where("state").Gt(huge).Validate(func(any) bool { return false })
	if err == nil || len(err.Error()) > 300 {
		t.Errorf("ClauseError of %d bytes", len(err.Error()))
	}
	// Columns that render alike are still told apart.
	a, b := huge+"a", huge+"b"
	if sameColumn(a, b) || !sameColumn(a, huge+"a") || sameColumn([]byte("x"), "x") {
		t.Error("sameColumn confuses long names")
	}
}

func TestString(t *testing.T) {
	for _, tc := range []struct {
		s    Select
		want string
	}{
		{Select{}, ""},
		{Where([]byte{1, 2}).Eq([]byte{0xff}).StartKey([]byte{3}), "0x0102 = 0xff KEYS [0x03, ]"},
		{Keys("a", "m").Slice("x", nil).Reversed().PerPartitionLimit(10), "KEYS [a, m] SLICE [x, ] REVERSED PER PARTITION LIMIT 10"},
		{Tokens("1", "").Limit(Unlimited), "TOKENS (1, ] LIMIT ALL"},
		{Keys("k", nil).UntilToken("9"), "TOKENS [k, 9]"},
		{Columns("a", "b").PerPartitionLimit(Unlimited), "COLUMNS (a, b) PER PARTITION LIMIT ALL"},
		{Where("h").Gt(2).AllowFiltering(), "h > 2 ALLOW FILTERING"},
		{Where(nil).Eq(1).Keys("a", nil), "nil = 1 KEYS [a, ]"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
}

func TestBuilderErrors(t *testing.T) {
	tests := []struct {
		name string
		s    Select
		text string
	}{
		{"nil column", Where(nil).Eq(1), "nil column"},
		{"zero Cond", (Cond{}).Eq(1), "nil column"},
		{"nil value", Where("state").Eq(nil), "nil value for column state"},
		{"bad op", Where("state").Op(Op(9), "UT"), "unknown operator 9"},
		{"in without values", Where("id").In(), "In on column id with no values"},
		{"nil in In", Where("id").In(1, nil), "nil value in In on column id"},
		{"limit zero", Where("state").Eq("UT").Limit(0), "Limit(0)"},
		{"huge limit", Keys(nil, nil).Limit(math.MaxInt32 + 1), "Limit("},
		{"negative per-partition limit", Slice("a", "b").PerPartitionLimit(-2), "PerPartitionLimit(-2)"},
		{"per-partition limit zero", Slice("a", "b").PerPartitionLimit(0), "PerPartitionLimit(0)"},
		{"nil name", Columns("a", nil), "nil name in Columns"},
		{"finish key and token", Keys("a", "b").UntilToken("5"), `UntilToken("5") on a range that ends at the key b`},
		{"first error kept", Where(nil).Eq(1).Limit(0), "nil column"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.s.Err()
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("got %v, want ErrInvalid containing %q", err, tc.text)
			}
			if _, perr := tc.s.Parts(); perr != err {
				t.Fatalf("Parts returns %v, Err %v", perr, err)
			}
			if verr := tc.s.Validate(nil); verr != err {
				t.Fatalf("Validate returns %v, Err %v", verr, err)
			}
		})
	}
	if Where("a").Eq(1).Err() != nil || Slice(nil, nil).Err() != nil || Keys(nil, nil).Limit(Unlimited).Err() != nil {
		t.Fatal("unexpected error")
	}
}

func TestValidate(t *testing.T) {
	indexed := func(col any) bool { return col == "state" || col == "birthdate" }
	tests := []struct {
		name string
		s    Select
		err  error
		text string
	}{
		{"eq on indexed", Where("state").Eq("UT").And("age").Gt(3), nil, ""},
		{"eq on indexed second", Where("age").Gt(3).And("birthdate").Eq(1970), nil, ""},
		{"filtering needs no index", Where("age").Gt(3).AllowFiltering(), nil, ""},
		{"empty", Select{}, ErrEmpty, "query: index query has no relations"},
		{"no eq", Where("state").Gt("UT").And("birthdate").Gte(1970), ErrNoIndexedEQ,
			`state > "UT" AND birthdate >= 1970 (EQ on: none; indexed: state, birthdate)`},
		{"eq on unindexed", Where("name").Eq("bob").And("birthdate").Lt(1970), ErrNoIndexedEQ,
			`name = "bob" AND birthdate < 1970 (EQ on: name; indexed: birthdate)`},
		{"nothing indexed", Where("name").Eq("bob"), ErrNoIndexedEQ, `(EQ on: name; indexed: none)`},
		{"IN is not EQ", Where("state").In("UT", "CA"), ErrNoIndexedEQ, `state IN ("UT", "CA")`},
		{"repeated indexed column listed once", Where("state").Gt("A").And("state").Lt("Z"), ErrNoIndexedEQ, `indexed: state)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.s.Validate(indexed)
			if tc.err == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ce *ClauseError
			if !errors.Is(err, tc.err) || !errors.As(err, &ce) {
				t.Fatalf("%v is not a *ClauseError matching %v", err, tc.err)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("%q lacks %q", err, tc.text)
			}
			if tc.err == ErrNoIndexedEQ && len(ce.Relations) == 0 {
				t.Fatal("no relations listed")
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
	// Byte-slice column names do not break the bookkeeping, and a string
	// column is not the same column as bytes that print alike.
	err := Where([]byte("a")).Gt(1).And([]byte("a")).Lt(2).And("0x61").Lt(3).Validate(func(any) bool { return true })
	var ce *ClauseError
	if !errors.As(err, &ce) || len(ce.Indexed) != 2 {
		t.Fatal(err)
	}
}

func TestResolve(t *testing.T) {
	base := Where("State").Eq("UT").And("Born").Gt(1970).Keys("a", nil).Limit(5)
	upper := func(r Relation) (Relation, error) {
		r.Column = strings.ToLower(r.Column.(string))
		r.Value = []byte(fmt.Sprint(r.Value))
		return r, nil
	}
	var keys []any
	key := func(k any) (any, error) {
		keys = append(keys, k)
		return []byte(k.(string)), nil
	}
	got, err := base.Resolve(upper, key)
	if err != nil {
		t.Fatal(err)
	}
	if want := "state = 0x5554 AND born > 0x31393730 KEYS [0x61, ] LIMIT 5"; got.String() != want {
		t.Errorf("resolved %q, want %q", got, want)
	}
	if !reflect.DeepEqual(keys, []any{"a"}) {
		t.Errorf("key called with %v; open ends must not be passed", keys)
	}
	if want := `State = "UT" AND Born > 1970 KEYS [a, ] LIMIT 5`; base.String() != want {
		t.Errorf("base changed to %q", base)
	}
	fail := errors.New("boom")
	if _, err := base.Resolve(func(Relation) (Relation, error) { return Relation{}, fail }, key); err != fail {
		t.Errorf("relation error: %v", err)
	}
	if _, err := base.Resolve(upper, func(any) (any, error) { return nil, fail }); err != fail {
		t.Errorf("key error: %v", err)
	}
	if _, err := Where(nil).Eq(1).Resolve(upper, key); !errors.Is(err, ErrInvalid) {
		t.Errorf("builder error: %v", err)
	}
}

func TestClauseErrorWithoutRelations(t *testing.T) {
	if got := (&ClauseError{Err: ErrEmpty}).Error(); got != "query: index query has no relations" {
		t.Fatal(got)
	}
}
