package orm_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/orm/tags"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// User is DESIGN.md's model.
type User struct {
	ID     string            `cass:",key"`
	Name   string            `cass:"name,type=UTF8"`
	State  string            `cass:"state,type=UTF8,index"`
	Born   int64             `cass:"birthdate,type=Long,index"`
	Age    int               `cass:"age,type=Integer,default=0"`
	Height float32           `cass:"height,type=Float"`
	Joined time.Time         `cass:"joined,type=Date"`
	Credit decimal.Decimal   `cass:"credit,type=Decimal"`
	Extra  map[string][]byte `cass:",raw"`
}

func sampleUser(id string, state string, born int64) User {
	return User{ID: id, Name: "Tyler " + id, State: state, Born: born, Age: 24, Height: 1.8,
		Joined: time.Date(2012, 5, 1, 10, 0, 0, 0, time.UTC), Credit: decimal.RequireFromString("12.50")}
}

func TestInsertGetRoundTrip(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	noErr(t, users.Err())
	u := sampleUser("thobbs", "UT", 1988)
	noErr(t, users.Insert(bg, &u))
	got := must[User](t)(users.Get(bg, "thobbs"))
	// pycassa's test_insert_get: the instance read back equals the one
	// written (decimal compared by value, since its internal form varies).
	if !got.Credit.Equal(u.Credit) {
		t.Fatalf("credit %v, want %v", got.Credit, u.Credit)
	}
	got.Credit = u.Credit
	equal(t, "user", got, u)
	equal(t, "columns", e.columnNames(t, "Users", "thobbs"),
		[]string{"age", "birthdate", "credit", "height", "joined", "name", "state"})
}

func TestGetMissingIsNotFound(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	_, err := users.Get(bg, "nobody")
	if !errors.Is(err, cassa.ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
}

// Extra mirrors pycassa's test_does_not_insert_extra_column: struct fields
// that are not mapped never reach the server.
type Extra struct {
	Key     string `cass:",key"`
	Col     string `cass:"col"`
	Skipped string `cass:"-"`
	private string //nolint:unused // never mapped
}

func TestDoesNotInsertExtraFields(t *testing.T) {
	e := newEnv(t)
	m := orm.Map[Extra, string](e.pool, "Plain")
	v := Extra{Key: "k", Col: "c", Skipped: "s", private: "p"}
	noErr(t, m.Insert(bg, &v))
	equal(t, "columns", e.columnNames(t, "Plain", "k"), []string{"col"})
	got := must[Extra](t)(m.Get(bg, "k"))
	equal(t, "read", got, Extra{Key: "k", Col: "c"})
}

// Sparse has defaults, omitempty and nullable fields.
type Sparse struct {
	Key   string  `cass:",key"`
	A     string  `cass:"a,default=hello"`
	B     int64   `cass:"b,default=42"`
	C     *string `cass:"c"`
	D     int     `cass:"d,omitempty"`
	E     []byte  `cass:"e,default=0xcafe"`
	Zero  int32   `cass:"zero"`
	Other string  `cass:"other"`
}

func TestDefaultsOmitEmptyAndNil(t *testing.T) {
	e := newEnv(t)
	m := orm.Map[Sparse, string](e.pool, "Plain")
	// Zero values are written (Zero), nil pointers and omitempty zeros are
	// not (C, D).
	v := Sparse{Key: "k1", A: "x", Other: "o"}
	noErr(t, m.Insert(bg, &v))
	equal(t, "columns", e.columnNames(t, "Plain", "k1"), []string{"a", "b", "e", "other", "zero"})

	// Fields writes only some fields; the rest read back as defaults.
	w := Sparse{Key: "k2", Other: "only", A: "not written"}
	noErr(t, m.Insert(bg, &w, orm.Fields("other")))
	equal(t, "columns", e.columnNames(t, "Plain", "k2"), []string{"other"})
	got := must[Sparse](t)(m.Get(bg, "k2"))
	equal(t, "defaults", got, Sparse{Key: "k2", A: "hello", B: 42, E: []byte{0xca, 0xfe}, Other: "only"})

	// Go field names work in Fields too.
	noErr(t, m.Insert(bg, &Sparse{Key: "k3", B: 7}, orm.Fields("B")))
	equal(t, "by Go name", e.columnNames(t, "Plain", "k3"), []string{"b"})

	s := "set"
	noErr(t, m.Insert(bg, &Sparse{Key: "k4", C: &s, D: 3}))
	got = must[Sparse](t)(m.Get(bg, "k4"))
	if got.C == nil || *got.C != "set" || got.D != 3 {
		t.Fatalf("pointer/omitempty read back: %+v", got)
	}

	if err := m.Insert(bg, &v, orm.Fields("nope")); !errors.Is(err, orm.ErrUnknownField) {
		t.Fatalf("unknown field: %v", err)
	}
}

// WithRaw keeps unmapped columns.
type WithRaw struct {
	Key  string            `cass:",key"`
	Name string            `cass:"name"`
	Raw  map[string][]byte `cass:",raw"`
}

type WithRawAny struct {
	Key  string         `cass:",key"`
	Name string         `cass:"name"`
	Raw  map[string]any `cass:",raw"`
}

func TestRawColumns(t *testing.T) {
	e := newEnv(t)
	cf := e.rawCF(t, "Text")
	_, err := cf.Insert(bg, "k", columnfamily.Cols{"name": "n", "zz": "extra", "aa": "first"})
	noErr(t, err)

	// Without a raw field unknown columns are neither read nor kept.
	type NameOnly struct {
		Key  string `cass:",key"`
		Name string `cass:"name"`
	}
	equal(t, "no raw", must[NameOnly](t)(orm.Map[NameOnly, string](e.pool, "Text").Get(bg, "k")), NameOnly{"k", "n"})

	m := orm.Map[WithRaw, string](e.pool, "Text")
	got := must[WithRaw](t)(m.Get(bg, "k"))
	equal(t, "raw", got, WithRaw{Key: "k", Name: "n", Raw: map[string][]byte{"zz": []byte("extra"), "aa": []byte("first")}})

	// Written back, the raw columns survive a round trip.
	got.Key = "k2"
	got.Raw["new"] = []byte("v")
	noErr(t, m.Insert(bg, &got))
	equal(t, "columns", e.columnNames(t, "Text", "k2"), []string{"aa", "name", "new", "zz"})
	again := must[WithRaw](t)(m.Get(bg, "k2"))
	equal(t, "round trip", again, got)

	// map[string]any unpacks with the column family's validators (UTF8).
	ma := orm.Map[WithRawAny, string](e.pool, "Text")
	gotAny := must[WithRawAny](t)(ma.Get(bg, "k"))
	equal(t, "raw any", gotAny.Raw, map[string]any{"zz": "extra", "aa": "first"})
}

func TestMultiGetKeepsOrderDropsMissing(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	for _, id := range []string{"a", "b", "c"} {
		u := sampleUser(id, "UT", 1980)
		noErr(t, users.Insert(bg, &u))
	}
	got := must[[]User](t)(users.MultiGet(bg, []string{"c", "missing", "a", "b"}, orm.BufferSize(2)))
	var ids []string
	for _, u := range got {
		ids = append(ids, u.ID)
	}
	equal(t, "ids", ids, []string{"c", "a", "b"})
}

func TestFindScans(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	for i := range 7 {
		u := sampleUser(string(rune('a'+i)), "UT", int64(1970+i))
		noErr(t, users.Insert(bg, &u))
	}
	ids := func(us []User) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.ID)
		}
		return out
	}
	all := drain(t, users.Find(bg, query.Select{}, orm.BufferSize(2)))
	equal(t, "all", ids(all), []string{"a", "b", "c", "d", "e", "f", "g"})
	some := drain(t, users.Find(bg, query.Keys("b", "e"), orm.BufferSize(2)))
	equal(t, "b..e", ids(some), []string{"b", "c", "d", "e"})
	limited := drain(t, users.Find(bg, query.Keys("c", nil).Limit(3)))
	equal(t, "3 from c", ids(limited), []string{"c", "d", "e"})
	// Stopping early is fine.
	for u, err := range users.Find(bg, query.Select{}) {
		noErr(t, err)
		if u.ID != "a" {
			t.Fatalf("first row %q", u.ID)
		}
		break
	}
	// The mapper reads the model's columns; a select of columns is refused.
	for _, q := range []query.Select{query.Columns("name"), query.Slice("a", "m"), query.Select{}.Reversed(),
		query.Select{}.PerPartitionLimit(3)} {
		for _, err := range users.Find(bg, q) {
			if !errors.Is(err, query.ErrInvalid) || !strings.Contains(err.Error(), "orm.Fields") {
				t.Fatalf("Find(%v) = %v, want query.ErrInvalid naming orm.Fields", q, err)
			}
		}
	}
}

func TestFindFiltering(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	for i, st := range []string{"UT", "CA", "UT", "UT", "TX", "UT", "CA"} {
		u := sampleUser(string(rune('a'+i)), st, int64(1970+i))
		u.Height = float32(i)
		noErr(t, users.Insert(bg, &u))
	}
	ids := func(us []User) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		q    query.Select
		want []string
	}{
		{"indexed column", query.Where("state").Eq("UT"), []string{"a", "c", "d", "f"}},
		// height has no index: the server filters anyway, packing 2.5 as a Float.
		{"unindexed column", query.Where("height").Gt(2.5), []string{"d", "e", "f", "g"}},
		{"Go field names, two conditions", query.Where("State").Eq("CA").And("Born").Gte(int64(1975)),
			[]string{"g"}},
		{"with a key range", query.Keys("b", "e").And("state").Eq("UT"), []string{"c", "d"}},
		{"no match", query.Where("state").Eq("NV"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := drain(t, users.Find(bg, tc.q.AllowFiltering(), orm.BufferSize(2)))
			equal(t, "ids", ids(got), tc.want)
		})
	}
	// A value the field's type cannot pack is refused before anything is sent.
	n := 0
	for _, err := range users.Find(bg, query.Where("birthdate").Eq("not a number").AllowFiltering()) {
		n++
		var fe *orm.FieldError
		if !errors.As(err, &fe) || fe.Column != "birthdate" {
			t.Fatalf("bad filter value: %v", err)
		}
	}
	if n != 1 {
		t.Fatalf("bad filter value: %d results, want one error", n)
	}
}

func TestFind(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	for i, st := range []string{"UT", "CA", "UT", "UT", "TX", "UT"} {
		u := sampleUser(string(rune('a'+i)), st, int64(1965+3*i))
		noErr(t, users.Insert(bg, &u))
	}
	var ids []string
	for u, err := range users.Find(bg, query.Where("state").Eq("UT").And("birthdate").Gt(1970).Limit(20)) {
		noErr(t, err)
		ids = append(ids, u.ID)
	}
	slices.Sort(ids)
	equal(t, "UT after 1970", ids, []string{"c", "d", "f"})

	// Go field names name columns too.
	n := len(drain(t, users.Find(bg, query.Where("State").Eq("UT").And("Born").Lte(1971))))
	equal(t, "by field name", n, 2)

	// An EQ on an indexed column is required, checked before sending.
	tests := []struct {
		name string
		q    query.Select
		want error
	}{
		{"no EQ", query.Where("birthdate").Gt(1970), query.ErrNoIndexedEQ},
		{"EQ on unindexed", query.Where("name").Eq("x"), query.ErrNoIndexedEQ},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, err := range users.Find(bg, tc.q) {
				var ce *query.ClauseError
				if !errors.Is(err, tc.want) || !errors.As(err, &ce) {
					t.Fatalf("want %v, got %v", tc.want, err)
				}
				return
			}
			t.Fatal("no error yielded")
		})
	}
	// A value that does not pack with the column's type fails before sending.
	for _, err := range users.Find(bg, query.Where("state").Eq("UT").And("birthdate").Gt("soon")) {
		var fe *orm.FieldError
		if !errors.As(err, &fe) || fe.Field != "Born" {
			t.Fatalf("want a FieldError on Born, got %v", err)
		}
		break
	}
}

func TestRemove(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	u := sampleUser("r", "UT", 1990)
	noErr(t, users.Insert(bg, &u))
	noErr(t, users.Remove(bg, &u, orm.Fields("height", "Credit")))
	equal(t, "after removing fields", e.columnNames(t, "Users", "r"),
		[]string{"age", "birthdate", "joined", "name", "state"})
	noErr(t, users.Remove(bg, &u))
	if _, err := users.Get(bg, "r"); !errors.Is(err, cassa.ErrNotFound) {
		t.Fatalf("after remove: %v", err)
	}
	v := sampleUser("r2", "UT", 1990)
	noErr(t, users.Insert(bg, &v))
	noErr(t, users.RemoveKey(bg, "r2"))
	if _, err := users.Get(bg, "r2"); !errors.Is(err, cassa.ErrNotFound) {
		t.Fatalf("after RemoveKey: %v", err)
	}
	if err := users.Remove(bg, nil); !errors.Is(err, orm.ErrNilInstance) {
		t.Fatalf("nil: %v", err)
	}
}

// Expiring has a ttl field.
type Expiring struct {
	Key string        `cass:",key"`
	Val string        `cass:"val"`
	TTL time.Duration `cass:",ttl"`
}

func TestTTL(t *testing.T) {
	e := newEnv(t)
	m := orm.Map[Expiring, string](e.pool, "Plain")
	noErr(t, m.Insert(bg, &Expiring{Key: "field", Val: "v", TTL: 10 * time.Second}))
	noErr(t, m.Insert(bg, &Expiring{Key: "option", Val: "v"}, orm.TTL(30*time.Second)))
	noErr(t, m.Insert(bg, &Expiring{Key: "forever", Val: "v"}))

	got := must[Expiring](t)(m.Get(bg, "field"))
	equal(t, "ttl read back", got, Expiring{Key: "field", Val: "v", TTL: 10 * time.Second})

	e.advance(t, 11*time.Second)
	if _, err := m.Get(bg, "field"); !errors.Is(err, cassa.ErrNotFound) {
		t.Fatalf("field ttl: %v", err)
	}
	must[Expiring](t)(m.Get(bg, "option"))
	e.advance(t, 20*time.Second)
	if _, err := m.Get(bg, "option"); !errors.Is(err, cassa.ErrNotFound) {
		t.Fatalf("option ttl: %v", err)
	}
	must[Expiring](t)(m.Get(bg, "forever"))
}

func TestBatchInsertAndQueue(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	var batch []*User
	for _, id := range []string{"b1", "b2", "b3"} {
		u := sampleUser(id, "NV", 2000)
		batch = append(batch, &u)
	}
	noErr(t, users.BatchInsert(bg, batch, orm.Consistency(cassa.One)))
	got := must[[]User](t)(users.MultiGet(bg, []string{"b1", "b2", "b3"}))
	equal(t, "rows", len(got), 3)

	// Queue puts instances into a caller's batch, with other column
	// families.
	plain := orm.Map[Extra, string](e.pool, "Plain")
	b := columnfamily.NewMutator(e.pool, columnfamily.QueueSize(columnfamily.NoAutoSend))
	u := sampleUser("q1", "NV", 2001)
	noErr(t, users.Queue(bg, b, &u))
	noErr(t, plain.Queue(bg, b, &Extra{Key: "q2", Col: "x"}))
	if b.Len() != 2 {
		t.Fatalf("queued %d", b.Len())
	}
	noErr(t, b.Send(bg))
	must[User](t)(users.Get(bg, "q1"))
	must[Extra](t)(plain.Get(bg, "q2"))

	// Nothing is sent when one instance cannot be packed.
	bad := []*User{{ID: "ok"}, {ID: ""}}
	if err := users.BatchInsert(bg, bad); err == nil {
		t.Fatal("empty key accepted")
	}
	if _, err := users.Get(bg, "ok"); !errors.Is(err, cassa.ErrNotFound) {
		t.Fatalf("partial batch sent: %v", err)
	}
}

// Base and Derived: inheritance by embedding (pycassa includes inherited
// attributes among the fields).
type Base struct {
	Key     string `cass:",key"`
	BaseCol string `cass:"basecol,default=b"`
}

type Derived struct {
	Base
	IntCol int64  `cass:"intcol"`
	StrCol string `cass:"strcol"`
}

func TestEmbeddingInherits(t *testing.T) {
	e := newEnv(t)
	m := orm.Map[Derived, string](e.pool, "Plain")
	v := Derived{Base: Base{Key: "d", BaseCol: "base"}, IntCol: 5, StrCol: "s"}
	noErr(t, m.Insert(bg, &v))
	equal(t, "columns", e.columnNames(t, "Plain", "d"), []string{"basecol", "intcol", "strcol"})
	equal(t, "read", must[Derived](t)(m.Get(bg, "d")), v)
	noErr(t, m.Insert(bg, &Derived{Base: Base{Key: "d2"}, IntCol: 1}, orm.Fields("intcol")))
	equal(t, "inherited default", must[Derived](t)(m.Get(bg, "d2")).BaseCol, "b")
}

type BadType struct {
	Key string `cass:",key"`
	Age string `cass:"age,type=Long"`
}

type BadSyntax struct {
	Key string `cass:",key"`
	X   int    `cass:"x,type=Composite(Long"`
}

type NoKey struct {
	Name string `cass:"name"`
}

type BadDefault struct {
	Key string `cass:",key"`
	N   int    `cass:"n,default=many"`
}

func TestBadTags(t *testing.T) {
	e := newEnv(t)
	check := func(t *testing.T, err error, want error, mentions string) {
		t.Helper()
		var te *tags.TagError
		if !errors.Is(err, want) || !errors.As(err, &te) {
			t.Fatalf("want %v as *tags.TagError, got %v", want, err)
		}
		if !strings.Contains(err.Error(), mentions) {
			t.Fatalf("%q does not mention %q", err, mentions)
		}
	}
	tests := []struct {
		name     string
		err      func() error
		want     error
		mentions string
	}{
		{"wrong Go type", func() error { return orm.Map[BadType, string](e.pool, "Plain").Err() }, tags.ErrType, "BadType.Age"},
		{"syntax", func() error { return orm.Map[BadSyntax, string](e.pool, "Plain").Err() }, tags.ErrSyntax, "BadSyntax.X"},
		{"no key", func() error { return orm.Map[NoKey, string](e.pool, "Plain").Err() }, tags.ErrNoKey, "NoKey"},
		{"default", func() error { return orm.Map[BadDefault, string](e.pool, "Plain").Err() }, tags.ErrDefault, "BadDefault.N"},
		{"on use", func() error {
			_, err := orm.Map[BadType, string](e.pool, "Plain").Get(bg, "k")
			return err
		}, tags.ErrType, "age"},
		{"Open", func() error {
			_, err := orm.Open[BadType, string](bg, e.pool, "Plain")
			return err
		}, tags.ErrType, "type=Long"},
		{"Model", func() error { return orm.Model[BadType]().Err }, tags.ErrType, "BadType"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { check(t, tc.err(), tc.want, tc.mentions) })
	}
}

func TestOpenErrors(t *testing.T) {
	e := newEnv(t)
	if _, err := orm.Open[User, string](bg, e.pool, "Nope"); !errors.Is(err, cassa.ErrUnknownTable) || errors.Is(err, cassa.ErrNotFound) {
		t.Fatalf("missing CF: %v", err)
	}
	if _, err := orm.Open[Tweet, string](bg, e.pool, "Plain"); !errors.Is(err, orm.ErrSchema) {
		t.Fatalf("super model on standard CF: %v", err)
	}
	if _, err := orm.Open[User, string](bg, e.pool, "Tweets"); !errors.Is(err, orm.ErrSchema) {
		t.Fatalf("standard model on super CF: %v", err)
	}
	if _, err := orm.Open[Clicks, string](bg, e.pool, "Plain"); !errors.Is(err, orm.ErrSchema) {
		t.Fatalf("counter model on plain CF: %v", err)
	}
	if _, err := orm.Open[Extra, string](bg, e.pool, "Counts"); !errors.Is(err, orm.ErrSchema) {
		t.Fatalf("plain model on counter CF: %v", err)
	}
	// A failed open is retried by the next call.
	m := orm.Map[Extra, string](e.pool, "Later")
	if err := m.Insert(bg, &Extra{Key: "k", Col: "c"}); !errors.Is(err, cassa.ErrUnknownTable) {
		t.Fatalf("before create: %v", err)
	}
	noErr(t, e.pool.Do(bg, func(ctx context.Context, c *pool.Conn) error {
		_, err := c.Client().SystemAddColumnFamily(ctx, e.cfDef("Later", nil))
		return err
	}))
	noErr(t, m.Insert(bg, &Extra{Key: "k", Col: "c"}))
}

func TestMapperAndColumnFamily(t *testing.T) {
	e := newEnv(t)
	// A column family handle that packs with the schema's types reads what
	// the mapper (which packs with the model's) wrote.
	cf, err := columnfamily.Open(bg, e.pool, "Users")
	noErr(t, err)
	users := orm.Map[User, string](e.pool, "Users")
	u := sampleUser("from", "UT", 1999)
	noErr(t, users.Insert(bg, &u))
	got := must[User](t)(users.Get(bg, "from"))
	equal(t, "name", got.Name, u.Name)
	// The packing handle reads what the mapper wrote.
	row, err := cf.Get(bg, "from", query.Columns("birthdate"))
	noErr(t, err)
	equal(t, "birthdate", row.Columns[0].Value, int64(1999))
}

func TestUUIDKeysAndLongKeys(t *testing.T) {
	e := newEnv(t)
	type LongKey struct {
		ID  int64  `cass:",key"`
		Val string `cass:"val"`
	}
	m := orm.Map[LongKey, int64](e.pool, "LongKeys")
	for i := int64(1); i <= 3; i++ {
		noErr(t, m.Insert(bg, &LongKey{ID: i * 100, Val: "v"}))
	}
	equal(t, "get", must[LongKey](t)(m.Get(bg, 200)), LongKey{ID: 200, Val: "v"})
	all := drain(t, m.Find(bg, query.Keys(int64(100), int64(200))))
	equal(t, "scan", all, []LongKey{{100, "v"}, {200, "v"}})

	type UUIDKey struct {
		ID   uuid.UUID `cass:",key"`
		Name string    `cass:"name"`
	}
	um := orm.Map[UUIDKey, uuid.UUID](e.pool, "UUIDKeys")
	ids := []uuid.UUID{uuid.New(), uuid.New()}
	for _, id := range ids {
		noErr(t, um.Insert(bg, &UUIDKey{ID: id, Name: id.String()}))
	}
	got := must[UUIDKey](t)(um.Get(bg, ids[1]))
	equal(t, "uuid key", got, UUIDKey{ids[1], ids[1].String()})
	// A key of the wrong Go type does not compile: Get takes a uuid.UUID.
}

func TestConsistencyAndTimestamp(t *testing.T) {
	e := newEnv(t)
	m := orm.Map[Extra, string](e.pool, "Plain", orm.ColumnFamilyOptions(columnfamily.ReadConsistency(cassa.Quorum), columnfamily.WriteConsistency(cassa.All)))
	noErr(t, m.Insert(bg, &Extra{Key: "k", Col: "new"}, orm.Consistency(cassa.One), orm.Timestamp(2000)))
	// An older timestamp loses to the newer write (a retried write keeps
	// its timestamp, so it never overwrites a later one).
	noErr(t, m.Insert(bg, &Extra{Key: "k", Col: "old"}, orm.Timestamp(1000)))
	equal(t, "newest wins", must[Extra](t)(m.Get(bg, "k", orm.Consistency(cassa.One))).Col, "new")
	noErr(t, m.Remove(bg, &Extra{Key: "k"}, orm.Timestamp(1500)))
	equal(t, "older delete", must[Extra](t)(m.Get(bg, "k")).Col, "new")
	equal(t, "multiget CL", len(must[[]Extra](t)(m.MultiGet(bg, []string{"k"}, orm.Consistency(cassa.All)))), 1)
}

func TestConcurrentFirstUse(t *testing.T) {
	e := newEnv(t)
	m := orm.Map[Extra, string](e.pool, "Plain")
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			v := Extra{Key: string(rune('a' + i)), Col: "c"}
			if err := m.Insert(bg, &v); err != nil {
				errs <- err
				return
			}
			_, err := m.Get(bg, v.Key)
			errs <- err
		}()
	}
	for range 8 {
		noErr(t, <-errs)
	}
}

func TestReloadSeesNewIndex(t *testing.T) {
	e := newEnv(t)
	type Doc struct {
		Key  string `cass:",key"`
		Kind string `cass:"kind"`
	}
	docs := orm.Map[Doc, string](e.pool, "Plain")
	noErr(t, docs.Insert(bg, &Doc{Key: "d1", Kind: "memo"}))
	for _, err := range docs.Find(bg, query.Where("kind").Eq("memo")) {
		if !errors.Is(err, query.ErrNoIndexedEQ) {
			t.Fatalf("before the index: %v", err)
		}
	}
	// Index the column, then reload the mapper's view of the schema.
	def := e.cfDef("Plain", func(d *thriftgen.CfDef) { d.ColumnMetadata = []*thriftgen.ColumnDef{colDef("kind", "UTF8Type", true)} })
	noErr(t, e.pool.Do(bg, func(ctx context.Context, c *pool.Conn) error {
		kd, err := c.Client().DescribeKeyspace(ctx, e.ks)
		if err != nil {
			return err
		}
		for _, d := range kd.CfDefs {
			if d.Name == "Plain" {
				def.ID = d.ID
			}
		}
		_, err = c.Client().SystemUpdateColumnFamily(ctx, def)
		return err
	}))
	noErr(t, docs.Reload(bg))
	got := drain(t, docs.Find(bg, query.Where("kind").Eq("memo")))
	equal(t, "found", got, []Doc{{"d1", "memo"}})

	var nilPool *orm.Mapper[Doc, string] = orm.Map[Doc, string](noPool, "Plain")
	if _, err := nilPool.Get(bg, "d1"); err == nil {
		t.Fatal("nil pool accepted")
	}
}

func TestFindStartKeyLimitAndFields(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		u := sampleUser(id, "UT", 1990)
		noErr(t, users.Insert(bg, &u))
	}
	ids := func(us []User) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.ID)
		}
		return out
	}
	q := query.Where("state").Eq("UT")
	equal(t, "limit", len(drain(t, users.Find(bg, q.Limit(2)))), 2)
	equal(t, "unlimited, small pages", len(drain(t, users.Find(bg, q.Limit(query.Unlimited), orm.BufferSize(2)))), 5)
	from := drain(t, users.Find(bg, q.StartKey("c")))
	equal(t, "from c", ids(from), []string{"c", "d", "e"})
	// Fields reads only some columns; the others keep defaults or zeros.
	some := drain(t, users.Find(bg, q.Limit(1), orm.Fields("name")))
	equal(t, "only name", some, []User{{ID: "a", Name: "Tyler a"}})
	// Token ranges: the ByteOrderedPartitioner's tokens are the keys in hex.
	tok := drain(t, users.Find(bg, query.Tokens("62", "64")))
	equal(t, "tokens (b, d]", ids(tok), []string{"c", "d"})
}

func TestMisuseIsAnError(t *testing.T) {
	e := newEnv(t)
	if err := orm.Map[*User, string](e.pool, "Users").Err(); !errors.Is(err, tags.ErrType) {
		t.Fatalf("pointer model: %v", err)
	}
	if err := orm.Map[int, string](e.pool, "Users").Err(); !errors.Is(err, tags.ErrType) {
		t.Fatalf("int model: %v", err)
	}
	if err := orm.Model[*User]().Err; err == nil {
		t.Fatal("pointer Model accepted")
	}
	users := orm.Map[User, string](e.pool, "Users")
	if err := users.Insert(bg, nil); !errors.Is(err, orm.ErrNilInstance) {
		t.Fatalf("nil insert: %v", err)
	}
	if err := users.BatchInsert(bg, []*User{nil}); !errors.Is(err, orm.ErrNilInstance) {
		t.Fatalf("nil in batch: %v", err)
	}
	if _, err := users.Get(bg, ""); err == nil {
		t.Fatal("empty key accepted")
	}
	if _, err := users.MultiGet(bg, nil); err != nil {
		t.Fatalf("no keys: %v", err)
	}
	var zero orm.Mapper[User, string]
	if _, err := zero.Get(bg, "k"); err == nil {
		t.Fatal("zero Mapper worked")
	}
	if zero.Model().Err == nil || zero.Verify(bg) == nil || zero.Reload(bg) == nil {
		t.Fatal("zero Mapper described")
	}
}
