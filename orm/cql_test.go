package orm_test

import (
	"errors"
	"math/big"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
)

// Tests of what only the CQL transport does: CQL's own types, statements
// and schema. Like every CQL test here they run on the embedded server, or
// on the cluster CASSA_TEST_CQL_HOSTS names.

// Geo is a user type nested in another.
type Geo struct {
	Lat, Lon float64
}

// Address is a user type with a nested one, a collection and a nullable
// field.
type Address struct {
	Street string
	City   string   `cass:"city"`
	Zip    *int32   `cass:"zip,type=int"`
	Lines  []string `cass:"lines"`
	Geo    Geo      `cass:"geo"`
}

// Pair is a tuple held in a struct, component by component.
type Pair struct {
	N int32
	S string
}

// Everything holds a value of every kind of CQL type.
type Everything struct {
	ID       uuid.UUID           `cass:"id,key"`
	Text     string              `cass:"text"`
	ASCII    string              `cass:"ascii,type=ascii"`
	Big      int64               `cass:"big"`
	Int      int32               `cass:"int"`
	Small    int16               `cass:"small,type=smallint"`
	Tiny     int8                `cass:"tiny,type=tinyint"`
	Var      big.Int             `cass:"var"`
	Dec      decimal.Decimal     `cass:"dec"`
	Dbl      float64             `cass:"dbl"`
	Flt      float32             `cass:"flt"`
	Bool     bool                `cass:"bool"`
	Blob     []byte              `cass:"blob"`
	TS       time.Time           `cass:"ts,type=timestamp"`
	Day      time.Time           `cass:"day,type=date"`
	Clock    time.Duration       `cass:"clock,type=time"`
	Span     codec.DurationValue `cass:"span"`
	Short    time.Duration       `cass:"short,type=duration"`
	TUUID    uuid.UUID           `cass:"tuuid,type=timeuuid"`
	IP       netip.Addr          `cass:"ip"`
	List     []int64             `cass:"list"`
	Set      map[string]struct{} `cass:"aset"`
	SetList  []string            `cass:"setlist,set"`
	Map      map[string]float64  `cass:"map"`
	Frozen   []int32             `cass:"froze,frozen"`
	Nested   map[string][]string `cass:"nested"`
	Home     Address             `cass:"home"`
	Homes    []Address           `cass:"homes"`
	Pair     Pair                `cass:"pair,type=tuple<int, text>"`
	Loose    []any               `cass:"loose,type=tuple<bigint, text>"`
	Nick     *string             `cass:"nick"`
	NilList  []string            `cass:"nil_list"`
	NilPoint *Address            `cass:"nil_point"`
}

func everything() Everything {
	zip := int32(84101)
	var v big.Int
	v.SetString("123456789012345678901234567890", 10)
	return Everything{ID: uuid.New(), Text: "héllo", ASCII: "plain", Big: -1 << 40, Int: -7, Small: 300, Tiny: -3,
		Var: v, Dec: decimal.RequireFromString("12.345"), Dbl: 2.5, Flt: 1.25, Bool: true, Blob: []byte{0, 1, 2},
		TS: time.UnixMilli(1717171717171).UTC(), Day: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
		Clock: 13*time.Hour + 5*time.Second, Span: codec.DurationValue{Months: 1, Days: 2, Nanos: 3},
		Short: 90 * time.Second, TUUID: uuid.Must(uuid.NewUUID()), IP: netip.MustParseAddr("10.1.2.3"),
		List: []int64{3, 1, 2}, Set: map[string]struct{}{"b": {}, "a": {}}, SetList: []string{"a", "b"},
		Map: map[string]float64{"x": 1.5}, Frozen: []int32{9}, Nested: map[string][]string{"k": {"v1", "v2"}},
		Home:  Address{Street: "Main", City: "SLC", Zip: &zip, Lines: []string{"apt 1"}, Geo: Geo{40.7, -111.9}},
		Homes: []Address{{Street: "A", Geo: Geo{1, 2}}, {Street: "B"}},
		Pair:  Pair{7, "seven"}, Loose: []any{int64(5), "five"}}
}

func TestCQLTypesRoundTrip(t *testing.T) {
	e := newCQLEnv(t, orm.Model[Everything]())
	all := orm.Map[Everything, uuid.UUID](e.db, "Everything")
	v := everything()
	noErr(t, all.Insert(bg, &v))
	got := must[Everything](t)(all.Get(bg, v.ID))
	if got.Var.Cmp(&v.Var) != 0 {
		t.Fatalf("varint %v, want %v", &got.Var, &v.Var)
	}
	got.Var, v.Var = big.Int{}, big.Int{}
	equal(t, "round trip", got, v)
	noErr(t, all.Verify(bg))

	// The same through Find, and through a raw CQL read.
	found := drain(t, all.Find(bg, query.Select{}))
	found[0].Var = big.Int{}
	equal(t, "find", found[0], v)
	row, err := e.db.Get(bg, `SELECT home, pair, aset FROM "Everything" WHERE id = ?`, v.ID.String())
	noErr(t, err)
	home, err := row.Value("home")
	noErr(t, err)
	if m, ok := home.(map[string]any); !ok || m["city"] != "SLC" {
		t.Fatalf("home as CQL sees it: %#v", home)
	}
	if p, _ := row.Value("pair[1]"); p != "seven" {
		t.Fatalf("pair as CQL sees it: %#v", p)
	}
}

// Relations on collections and clustering ranges compile to CQL and run:
// CONTAINS, CONTAINS KEY, token ranges, ORDER BY, PER PARTITION LIMIT.
type Tagged struct {
	Owner string            `cass:"owner,partition"`
	Seq   int32             `cass:"seq,clustering"`
	Tags  []string          `cass:"tags,set,index"`
	Attrs map[string]string `cass:"attrs"`
}

func TestCQLQueries(t *testing.T) {
	e := newCQLEnv(t, orm.Model[Tagged]())
	e.exec(t, "CREATE INDEX ON "+e.ks+`."Tagged" (keys(attrs))`)
	tagged := orm.Map[Tagged, Tagged](e.db, "Tagged")
	for _, o := range []string{"ann", "bob", "cy"} {
		for seq := int32(1); seq <= 3; seq++ {
			v := Tagged{Owner: o, Seq: seq, Tags: []string{"t" + string(rune('0'+seq))}, Attrs: map[string]string{"k" + o: "v"}}
			noErr(t, tagged.Insert(bg, &v))
		}
	}
	t2 := drain(t, tagged.Find(bg, query.Where("tags").Contains("t2")))
	equal(t, "CONTAINS", len(t2), 3)
	bob := drain(t, tagged.Find(bg, query.Where("attrs").ContainsKey("kbob")))
	equal(t, "CONTAINS KEY", len(bob), 3)
	firsts := drain(t, tagged.Find(bg, query.Select{}.PerPartitionLimit(1)))
	equal(t, "PER PARTITION LIMIT", len(firsts), 3)
	desc := drain(t, tagged.Find(bg, query.Where("owner").Eq("ann").Reversed()))
	equal(t, "ORDER BY DESC", []int32{desc[0].Seq, desc[2].Seq}, []int32{3, 1})
	in := drain(t, tagged.Find(bg, query.Where("owner").In("ann", "cy").And("seq").Eq(int32(3))))
	equal(t, "IN", len(in), 2)
	sliced := drain(t, tagged.Find(bg, query.Where("owner").Eq("ann").Slice(int32(2), nil)))
	equal(t, "Slice", len(sliced), 2)
	var total int
	for _, r := range [][2]string{{"-9223372036854775808", "0"}, {"0", ""}} {
		total += len(drain(t, tagged.Find(bg, query.Tokens(r[0], r[1]))))
	}
	equal(t, "the ring in two token ranges", total, 9)
	fromKey := drain(t, tagged.Find(bg, query.Keys("bob", nil)))
	if len(fromKey) == 0 || len(fromKey)%3 != 0 {
		t.Fatalf("token(owner) >= token('bob'): %d rows", len(fromKey))
	}

	// What Cassandra would refuse is refused before sending, with its
	// message.
	_, err := tagged.Count(bg, query.Where("attrs").ContainsKey("x").And("tags").Contains("t1"))
	var ire *cassa.InvalidRequestError
	if !errors.As(err, &ire) || !strings.Contains(ire.Why, "ALLOW FILTERING") || !strings.HasPrefix(ire.Op, "compile") {
		t.Fatalf("two index restrictions without ALLOW FILTERING: %v", err)
	}
	_, err = tagged.Count(bg, query.Where("seq").Eq(int32(1)))
	if !errors.As(err, &ire) {
		t.Fatalf("clustering column without partition key: %v", err)
	}
	noErr(t, func() error {
		_, err := tagged.Count(bg, query.Where("seq").Eq(int32(1)).AllowFiltering())
		return err
	}())

	// Never SELECT *: every statement names its columns.
	stmt, err := orm.CompiledFind(tagged, query.Where("owner").Eq("ann"))
	noErr(t, err)
	if strings.Contains(stmt, "*") || !strings.Contains(stmt, "tags") {
		t.Fatalf("Find sends %q", stmt)
	}
	for _, s := range orm.StatementsOf(tagged) {
		if strings.Contains(s, "*") {
			t.Fatalf("statement %q", s)
		}
	}
}

// A statement is made once per shape, whatever the number of calls, so
// gocql prepares it once.
func TestCQLStatementsPerShape(t *testing.T) {
	e := newCQLEnv(t, orm.Model[Tagged]())
	tagged := orm.Map[Tagged, Tagged](e.db, "Tagged")
	for i := int32(0); i < 20; i++ {
		v := Tagged{Owner: "ann", Seq: i, Tags: []string{"x"}}
		if i%2 == 0 {
			v.Attrs = map[string]string{"a": "b"} // Attrs unset or set: one statement either way
		}
		noErr(t, tagged.Insert(bg, &v))
		_ = must[Tagged](t)(tagged.Get(bg, v))
	}
	n := len(orm.StatementsOf(tagged))
	if e.db.ProtocolVersion() >= 4 && n != 2 {
		t.Fatalf("%d statements for one insert shape and one get shape: %q", n, orm.StatementsOf(tagged))
	}
	for i := int32(0); i < 5; i++ {
		_ = must[Tagged](t)(tagged.Get(bg, Tagged{Owner: "ann", Seq: i}))
		noErr(t, tagged.RemoveKey(bg, Tagged{Owner: "ann", Seq: i}))
	}
	if got := len(orm.StatementsOf(tagged)); got != n+1 {
		t.Fatalf("after deletes: %d statements, want %d", got, n+1)
	}
}

// Statements follow ALTER TABLE: an added column changes nothing (every
// statement names its columns), a dropped one is left out of reads once
// Cassandra says it is gone, writes of it fail, and Verify reports it.
func TestCQLAlterTable(t *testing.T) {
	e := newCQLEnv(t, modelNamed[Member]("members"))
	members := orm.Map[Member, string](e.db, "members")
	m := member("ann", "UT", 1980)
	noErr(t, members.Insert(bg, &m))
	_ = must[Member](t)(members.Get(bg, "ann"))

	e.exec(t, "ALTER TABLE "+e.ks+".members ADD extra text")
	equal(t, "after ADD", must[Member](t)(members.Get(bg, "ann")), m)

	e.exec(t, "ALTER TABLE "+e.ks+".members DROP email")
	got := must[Member](t)(members.Get(bg, "ann"))
	if got.Email != nil || got.Name != m.Name {
		t.Fatalf("after DROP: %+v", got)
	}
	equal(t, "find after DROP", len(drain(t, members.Find(bg, query.Select{}))), 1)
	if err := members.Insert(bg, &m); !errors.Is(err, orm.ErrSchema) {
		t.Fatalf("writing a dropped column: %v", err)
	}
	noMail := m
	noMail.Email = nil
	noErr(t, members.Insert(bg, &noMail))
	var ve *orm.VerifyError
	if err := members.Verify(bg); !errors.As(err, &ve) || !strings.Contains(err.Error(), `column "email"`) {
		t.Fatalf("Verify: %v", err)
	}
}

// A model that cannot fit the table fails when the mapper opens it.
func TestCQLOpenErrors(t *testing.T) {
	e := newCQLEnv(t, modelNamed[Member]("members"), modelNamed[Post]("posts"))
	if _, err := orm.Open[Member, string](bg, e.db, "nope"); !errors.Is(err, cassa.ErrUnknownTable) {
		t.Fatalf("missing table: %v", err)
	}
	if _, err := orm.Open[Post, Post](bg, e.db, "members"); !errors.Is(err, orm.ErrSchema) || !strings.Contains(err.Error(), "primary key") {
		t.Fatalf("another primary key: %v", err)
	}
	if _, err := orm.Open[Tweet, string](bg, e.db, "members"); !errors.Is(err, orm.ErrSchema) || !strings.Contains(err.Error(), "Thrift only") {
		t.Fatalf("a super model: %v", err)
	}
	if _, err := orm.Open[Member, string](bg, e.db, "members", orm.Verified()); err != nil {
		t.Fatalf("a model that fits: %v", err)
	}
}

// Raw fields read the live table's columns no field maps, and write them
// back.
type MemberRaw struct {
	ID   string            `cass:"id,key"`
	Name string            `cass:"name"`
	Rest map[string][]byte `cass:",raw"`
}

func TestCQLRawField(t *testing.T) {
	e := newCQLEnv(t, modelNamed[Member]("members"))
	members := orm.Map[Member, string](e.db, "members")
	m := member("ann", "UT", 1980)
	noErr(t, members.Insert(bg, &m))
	raws := orm.Map[MemberRaw, string](e.db, "members")
	r := must[MemberRaw](t)(raws.Get(bg, "ann"))
	if string(r.Rest["state"]) != "UT" || r.Rest["born"] == nil {
		t.Fatalf("raw columns: %v", r.Rest)
	}
	r.Rest["state"] = []byte("TX")
	noErr(t, raws.Insert(bg, &r))
	equal(t, "written back", must[Member](t)(members.Get(bg, "ann")).State, "TX")
	r.Rest["nope"] = []byte("x")
	if err := raws.Insert(bg, &r); !errors.Is(err, orm.ErrSchema) {
		t.Fatalf("a raw entry the table lacks: %v", err)
	}
}

// A logged batch of more than Cassandra's batch_size_fail_threshold (50
// KiB) across partitions goes through: the session splits it.
func TestCQLBatchSplits(t *testing.T) {
	e := newCQLEnv(t, modelNamed[Member]("members"))
	members := orm.Map[Member, string](e.db, "members")
	var vs []*Member
	for i := 0; i < 60; i++ {
		m := member(strings.Repeat("x", 4)+string(rune('A'+i)), "UT", 1980)
		m.Name = strings.Repeat("n", 2000)
		vs = append(vs, &m)
	}
	noErr(t, members.BatchInsert(bg, vs))
	equal(t, "rows", len(drain(t, members.Find(bg, query.Select{}))), 60)
	b := orm.NewBatch(e.db)
	if _, ok := b.(*cql.Batch); !ok {
		t.Fatalf("NewBatch on a session: %T", b)
	}
}

// InsertIfNotExists fills current from the row Cassandra returns.
func TestCQLInsertIfNotExistsCurrent(t *testing.T) {
	e := newCQLEnv(t, orm.Model[Everything]())
	all := orm.Map[Everything, uuid.UUID](e.db, "Everything")
	v := everything()
	applied, _, err := all.InsertIfNotExists(bg, &v)
	noErr(t, err)
	if !applied {
		t.Fatal("not applied")
	}
	w := v
	w.Text = "other"
	applied, cur, err := all.InsertIfNotExists(bg, &w)
	noErr(t, err)
	if applied || cur.Text != v.Text || !slices.Equal(cur.List, v.List) || cur.Pair != v.Pair {
		t.Fatalf("applied %v, current %+v", applied, cur)
	}
}

// MemberPlus is Member with two fields the table gets later, by ALTER
// TABLE ADD.
type MemberPlus struct {
	Member
	Nick  *string `cass:"nick"`
	Score *int64  `cass:"score"`
}

// A column added after the mapper read the table, that a field maps, is
// read and written from then on: the mapper reads the table again when the
// session has seen a schema change (its own at once; another client's when
// the cluster's schema event arrives), and its statements, which name
// their columns, are prepared anew.
func TestCQLAlterTableAddsMappedColumn(t *testing.T) {
	e := newCQLEnv(t, modelNamed[Member]("members"))
	members := orm.Map[MemberPlus, string](e.db, "members")
	m := MemberPlus{Member: member("ann", "UT", 1980)}
	noErr(t, members.Insert(bg, &m))
	equal(t, "before ADD", must[MemberPlus](t)(members.Get(bg, "ann")), m)
	seven := int64(7)
	m.Score = &seven
	if err := members.Insert(bg, &m); !errors.Is(err, orm.ErrSchema) {
		t.Fatalf("writing a column the table lacks: %v", err)
	}

	// This session's own ALTER: seen on the next call.
	noErr(t, e.db.Exec(bg, "ALTER TABLE members ADD score bigint"))
	noErr(t, e.db.AwaitSchemaAgreement(bg))
	noErr(t, members.Insert(bg, &m))
	equal(t, "after this session's ADD", must[MemberPlus](t)(members.Get(bg, "ann")), m)

	// Another client's ALTER: seen once gocql reports the schema event.
	e.exec(t, "ALTER TABLE "+e.ks+".members ADD nick text")
	m.Nick = strPtr("annie")
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := members.Insert(bg, &m)
		if err == nil {
			break
		}
		if !errors.Is(err, orm.ErrSchema) || time.Now().After(deadline) {
			t.Fatalf("writing the column another client added: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	equal(t, "after another client's ADD", must[MemberPlus](t)(members.Get(bg, "ann")), m)
	found := drain(t, members.Find(bg, query.Where("id").Eq("ann")))
	if len(found) != 1 || found[0].Nick == nil || *found[0].Nick != "annie" || found[0].Score == nil || *found[0].Score != 7 {
		t.Fatalf("Find after ADD: %+v", found)
	}
	row, err := e.db.Get(bg, "SELECT nick, score FROM members WHERE id = 'ann'")
	noErr(t, err)
	var nick string
	var score int64
	noErr(t, row.Scan(&nick, &score))
	equal(t, "stored", []any{nick, score}, []any{"annie", int64(7)})
}
