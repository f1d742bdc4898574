package orm_test

import (
	"errors"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/orm/tags"
	"github.com/cassa-go/cassa/query"
)

// The suite's models. One struct each, mapped to a Thrift column family
// and to a CQL table alike.

// Member is a row of scalars, a nullable field, collections and a TTL,
// with an index.
type Member struct {
	ID    string            `cass:"id,key"`
	Name  string            `cass:"name"`
	State string            `cass:"state,index"`
	Born  int64             `cass:"born"`
	Email *string           `cass:"email"`
	Tags  []string          `cass:"tags"`
	Prefs map[string]string `cass:"prefs"`
	Life  time.Duration     `cass:",ttl"`
}

// Post is a wide row: a user's posts, newest first, with a static bio.
type Post struct {
	User   string    `cass:"user,partition"`
	Posted uuid.UUID `cass:"posted,clustering=desc,type=timeuuid"`
	Body   string    `cass:"body"`
	Likes  int32     `cass:"likes"`
	Bio    string    `cass:"bio,static"`
}

// Reading has a composite partition key and an ascending clustering
// column.
type Reading struct {
	Sensor string  `cass:"sensor,partition"`
	Day    string  `cass:"day,partition"`
	Seq    int32   `cass:"seq,clustering"`
	Value  float64 `cass:"value"`
}

// Hits holds counters.
type Hits struct {
	Page  string `cass:"page,key"`
	Views int64  `cass:"views,type=counter"`
	Likes int64  `cass:"likes,type=counter"`
}

func strPtr(s string) *string { return &s }

func member(id, state string, born int64) Member {
	return Member{ID: id, Name: "Name " + id, State: state, Born: born, Email: strPtr(id + "@example.com"),
		Tags: []string{"a", id}, Prefs: map[string]string{"lang": "en"}}
}

func sortedIDs(ms []Member) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	sort.Strings(out)
	return out
}

// bothCases is the one table of cases both transports run. notOn names a
// transport that cannot do what the case does; there the case checks the
// mapper's refusal (errors.Is refused) instead of running body.
var bothCases = []struct {
	name    string
	notOn   string
	refused error
	body    func(t *testing.T, b *backend)
}{
	{name: "insert and get", body: func(t *testing.T, b *backend) {
		members := mapOn[Member, string](b, "members")
		m := member("ann", "UT", 1980)
		noErr(t, members.Insert(bg, &m))
		equal(t, "get", must[Member](t)(members.Get(bg, "ann")), m)
		_, err := members.Get(bg, "nobody")
		if !errors.Is(err, cassa.ErrNotFound) {
			t.Fatalf("missing row: %v", err)
		}
		noErr(t, members.Verify(bg))
	}},
	{name: "defaults of columns without a value", body: func(t *testing.T, b *backend) {
		m := mapOn[Sparse, string](b, "sparse")
		noErr(t, m.Insert(bg, &Sparse{Key: "k2", Other: "only", A: "not written"}, orm.Fields("other")))
		equal(t, "defaults", must[Sparse](t)(m.Get(bg, "k2")),
			Sparse{Key: "k2", A: "hello", B: 42, E: []byte{0xca, 0xfe}, Other: "only"})
		s := "set"
		v := Sparse{Key: "k4", A: "a", B: 7, C: &s, D: 3, E: []byte{1}, Other: "o"}
		noErr(t, m.Insert(bg, &v))
		equal(t, "every column", must[Sparse](t)(m.Get(bg, "k4")), v)
		equal(t, "missing as zero", must[Sparse](t)(m.Get(bg, "none", orm.MissingAsZero())),
			Sparse{Key: "none", A: "hello", B: 42, E: []byte{0xca, 0xfe}})
	}},
	{name: "multi-get keeps order and drops missing", body: func(t *testing.T, b *backend) {
		members := mapOn[Member, string](b, "members")
		for _, id := range []string{"a", "b", "c"} {
			m := member(id, "TX", 1990)
			noErr(t, members.Insert(bg, &m))
		}
		got := must[[]Member](t)(members.MultiGet(bg, []string{"c", "x", "a"}))
		equal(t, "ids", []string{got[0].ID, got[1].ID}, []string{"c", "a"})
		zeros := must[[]Member](t)(members.MultiGet(bg, []string{"x", "b"}, orm.MissingAsZero()))
		equal(t, "with zeros", []string{zeros[0].ID, zeros[1].ID, zeros[1].Name}, []string{"x", "b", "Name b"})
	}},
	{name: "find by index, filtering, scan and count", body: func(t *testing.T, b *backend) {
		members := mapOn[Member, string](b, "members")
		for i, st := range []string{"UT", "TX", "UT", "CA"} {
			m := member(string(rune('a'+i)), st, int64(1970+10*i))
			noErr(t, members.Insert(bg, &m))
		}
		ut := drain(t, members.Find(bg, query.Where("state").Eq("UT")))
		equal(t, "state = UT", sortedIDs(ut), []string{"a", "c"})
		equal(t, "count", must[int](t)(members.Count(bg, query.Where("state").Eq("UT"))), 2)
		young := drain(t, members.Find(bg, query.Where("born").Gt(int64(1985)).AllowFiltering()))
		equal(t, "born > 1985", sortedIDs(young), []string{"c", "d"})
		all := drain(t, members.Find(bg, query.Select{}))
		equal(t, "every row", sortedIDs(all), []string{"a", "b", "c", "d"})
		equal(t, "limit", len(drain(t, members.Find(bg, query.Select{}.Limit(3)))), 3)
		equal(t, "count", must[int](t)(members.Count(bg, query.Where("born").Lt(int64(1985)).AllowFiltering())), 2)
		_, err := members.Count(bg, query.Where("born").Gt(int64(1985)))
		if err == nil {
			t.Fatal("a select that needs ALLOW FILTERING was sent")
		}
		if b.isCQL() { // a Thrift row takes any column name; a CQL table has its columns
			_, err := members.Count(bg, query.Where("nosuch").Eq(1).AllowFiltering())
			if !errors.Is(err, orm.ErrUnknownField) || !strings.Contains(err.Error(), "Undefined column name nosuch") {
				t.Fatalf("a query on no column: %v", err)
			}
		}
	}},
	{name: "remove the row and fields", body: func(t *testing.T, b *backend) {
		members := mapOn[Member, string](b, "members")
		m := member("ann", "UT", 1980)
		noErr(t, members.Insert(bg, &m))
		noErr(t, members.Remove(bg, &m, orm.Fields("email", "Tags")))
		got := must[Member](t)(members.Get(bg, "ann"))
		if got.Email != nil || got.Tags != nil || got.Name != m.Name {
			t.Fatalf("after removing fields: %+v", got)
		}
		noErr(t, members.RemoveKey(bg, "ann"))
		if _, err := members.Get(bg, "ann"); !errors.Is(err, cassa.ErrNotFound) {
			t.Fatalf("after RemoveKey: %v", err)
		}
	}},
	{name: "nulls per call, model and field", body: func(t *testing.T, b *backend) {
		members := mapOn[Member, string](b, "members")
		m := member("ann", "UT", 1980)
		noErr(t, members.Insert(bg, &m))
		bare := Member{ID: "ann", Name: "Ann", State: "UT"} // Email and collections nil
		noErr(t, members.Insert(bg, &bare))                 // skip: nothing written for them
		got := must[Member](t)(members.Get(bg, "ann"))
		if got.Email == nil || *got.Email != *m.Email || len(got.Tags) != 2 {
			t.Fatalf("skip wrote the empty values: %+v", got)
		}
		noErr(t, members.Insert(bg, &bare, orm.Nulls(tags.NullDelete)))
		got = must[Member](t)(members.Get(bg, "ann"))
		if got.Email != nil || got.Tags != nil || got.Prefs != nil {
			t.Fatalf("delete left values: %+v", got)
		}
		deleting := mapOn[Member, string](b, "members", orm.Nulls(tags.NullDelete))
		noErr(t, members.Insert(bg, &m))
		noErr(t, deleting.Insert(bg, &bare))
		got = must[Member](t)(members.Get(bg, "ann"))
		if got.Email != nil {
			t.Fatalf("the mapper's NullDelete left the email: %+v", got)
		}
		noErr(t, deleting.Insert(bg, &m))
		noErr(t, deleting.Insert(bg, &bare, orm.Nulls(tags.NullSkip))) // the call's choice wins
		got = must[Member](t)(members.Get(bg, "ann"))
		if got.Email == nil {
			t.Fatalf("the call's NullSkip deleted the email: %+v", got)
		}
	}},
	{name: "nulls per field tag", body: func(t *testing.T, b *backend) {
		// Profile's fields choose, one by one (null=skip, delete, write;
		// omitempty), what an empty value does; the same on both
		// transports.
		profiles := mapOn[Profile, string](b, "profiles")
		cleared := func(key string) *Profile { return &Profile{Key: key} }
		all := []string{"age", "bio", "code", "level", "mood", "nick", "note", "tag"}

		noErr(t, profiles.Insert(bg, fullProfile("default")))
		equal(t, "written whole", storedProfile(t, b, "default"), all)
		noErr(t, profiles.Insert(bg, cleared("default")))
		equal(t, "default: the tags' choices, the rest skipped", storedProfile(t, b, "default"),
			[]string{"age", "code", "level", "mood", "nick"})
		equal(t, "default read back", must[Profile](t)(profiles.Get(bg, "default")),
			Profile{Key: "default", Nick: strPtr("n"), Level: 3, Code: "c", Mood: "m"})

		noErr(t, profiles.Insert(bg, fullProfile("call")))
		noErr(t, profiles.Insert(bg, cleared("call"), orm.Nulls(tags.NullDelete)))
		equal(t, "a call's NullDelete; null=skip fields kept", storedProfile(t, b, "call"), []string{"age", "level", "mood"})

		noErr(t, profiles.Insert(bg, fullProfile("write")))
		noErr(t, profiles.Insert(bg, cleared("write"), orm.Nulls(tags.NullWrite)))
		equal(t, "a call's NullWrite: empty strings written, nil deleted", storedProfile(t, b, "write"),
			[]string{"age", "code", "level", "mood"})
		equal(t, "write read back", must[Profile](t)(profiles.Get(bg, "write")), Profile{Key: "write", Level: 3, Mood: "m"})
	}},
	{name: "ttl and timestamps", body: func(t *testing.T, b *backend) {
		members := mapOn[Member, string](b, "members")
		m := member("ann", "UT", 1980)
		m.Life = time.Hour
		noErr(t, members.Insert(bg, &m))
		got := must[Member](t)(members.Get(bg, "ann"))
		if got.Life <= 59*time.Minute || got.Life > time.Hour {
			t.Fatalf("ttl read back as %v", got.Life)
		}
		// A negative TTL is refused before anything is written, on both
		// transports, and as an argument error of every package.
		if err := members.Insert(bg, &Member{ID: "neg", Name: "Neg"}, orm.TTL(-5*time.Second)); !errors.Is(err, cassa.ErrInvalidArgument) {
			t.Fatalf("negative TTL: %v", err)
		}
		if _, err := members.Get(bg, "neg"); !errors.Is(err, cassa.ErrNotFound) {
			t.Fatalf("the write with a negative TTL went through: %v", err)
		}
		noErr(t, members.Insert(bg, &Member{ID: "bob", Name: "Bob"}, orm.TTL(time.Minute)))
		b.advance(t, 2*time.Minute)
		if _, err := members.Get(bg, "bob"); !errors.Is(err, cassa.ErrNotFound) {
			t.Fatalf("expired row: %v", err)
		}
		old := Member{ID: "cy", Name: "new"}
		noErr(t, members.Insert(bg, &old, orm.Timestamp(2000)))
		stale := Member{ID: "cy", Name: "stale"}
		noErr(t, members.Insert(bg, &stale, orm.Timestamp(1000)))
		equal(t, "older timestamp loses", must[Member](t)(members.Get(bg, "cy", orm.Consistency(cassa.One))).Name, "new")
	}},
	{name: "batches", body: func(t *testing.T, b *backend) {
		members := mapOn[Member, string](b, "members")
		var vs []*Member
		for _, id := range []string{"a", "b", "c"} {
			m := member(id, "UT", 1980)
			vs = append(vs, &m)
		}
		noErr(t, members.BatchInsert(bg, vs))
		equal(t, "batch insert", len(drain(t, members.Find(bg, query.Select{}))), 3)
		hits := mapOn[Post, Post](b, "posts")
		batch := b.newBatch(orm.QueueSize(orm.NoAutoSend))
		p := Post{User: "ann", Posted: uuid.Must(uuid.NewUUID()), Body: "hi"}
		noErr(t, hits.Queue(bg, batch, &p))
		noErr(t, members.QueueRemove(bg, batch, vs[0]))
		d := member("d", "CA", 1999)
		noErr(t, members.Queue(bg, batch, &d))
		if batch.Len() == 0 {
			t.Fatal("nothing queued")
		}
		noErr(t, batch.Send(bg))
		equal(t, "after the queued batch", sortedIDs(drain(t, members.Find(bg, query.Select{}))), []string{"b", "c", "d"})
		equal(t, "post", must[Post](t)(hits.Get(bg, p)).Body, "hi")
		if err := members.Queue(bg, nil, &d); !errors.Is(err, orm.ErrArgument) {
			t.Fatalf("Queue into nil: %v", err)
		}
	}},
	{name: "counters", body: func(t *testing.T, b *backend) {
		hits := mapOn[Hits, string](b, "hits")
		noErr(t, hits.Add(bg, "home", "views", 3))
		noErr(t, hits.Add(bg, "home", "Likes", 1))
		noErr(t, hits.Add(bg, "home", "views", -1))
		equal(t, "counters", must[Hits](t)(hits.Get(bg, "home")), Hits{Page: "home", Views: 2, Likes: 1})
		equal(t, "missing as zero", must[Hits](t)(hits.Get(bg, "none", orm.MissingAsZero())), Hits{Page: "none"})
		if err := hits.Insert(bg, &Hits{Page: "x"}); !errors.Is(err, orm.ErrCounter) {
			t.Fatalf("Insert of counters: %v", err)
		}
	}},
	{name: "insert if not exists and compare-and-swap", body: func(t *testing.T, b *backend) {
		accounts := mapOn[Account, string](b, "accounts")
		first := Account{ID: "acc", Owner: "ann", Balance: 10}
		applied, cur, err := accounts.InsertIfNotExists(bg, &first)
		noErr(t, err)
		if !applied || cur != (Account{}) {
			t.Fatalf("first: applied %v current %+v", applied, cur)
		}
		second := Account{ID: "acc", Owner: "bob", Balance: 99}
		applied, cur, err = accounts.InsertIfNotExists(bg, &second)
		noErr(t, err)
		if applied {
			t.Fatal("second insert applied")
		}
		equal(t, "current", cur, first)
		next := first
		next.Balance = 5
		swapped, _, err := accounts.CompareAndSwap(bg, &first, &next)
		noErr(t, err)
		if !swapped {
			t.Fatal("swap from what was read did not apply")
		}
		stale := first
		stale.Balance = 1000
		swapped, cur, err = accounts.CompareAndSwap(bg, &first, &stale)
		noErr(t, err)
		if swapped {
			t.Fatal("stale swap applied")
		}
		equal(t, "current after a refused swap", cur, next)
	}},
	{name: "update if exists", notOn: "thrift", refused: orm.ErrUnsupported, body: func(t *testing.T, b *backend) {
		accounts := mapOn[Account, string](b, "accounts")
		a := Account{ID: "acc", Owner: "ann", Balance: 10}
		applied, cur, err := accounts.UpdateIfExists(bg, &a)
		noErr(t, err)
		if applied || cur != (Account{}) {
			t.Fatalf("update of a missing row: %v %+v", applied, cur)
		}
		noErr(t, accounts.Insert(bg, &a))
		a.Balance = 20
		applied, _, err = accounts.UpdateIfExists(bg, &a)
		noErr(t, err)
		if !applied {
			t.Fatal("update of a present row did not apply")
		}
		equal(t, "updated", must[Account](t)(accounts.Get(bg, "acc")).Balance, int64(20))
	}},
	{name: "remove if exists and compare-and-remove", notOn: "thrift", refused: orm.ErrUnsupported, body: func(t *testing.T, b *backend) {
		accounts := mapOn[Account, string](b, "accounts")
		a := Account{ID: "acc", Owner: "ann", Balance: 10}
		noErr(t, accounts.Insert(bg, &a))
		stale := a
		stale.Balance = 11
		removed, cur, err := accounts.CompareAndRemove(bg, &stale)
		noErr(t, err)
		if removed {
			t.Fatal("removed from a stale read")
		}
		equal(t, "current", cur, a)
		removed, _, err = accounts.CompareAndRemove(bg, &a)
		noErr(t, err)
		if !removed {
			t.Fatal("compare-and-remove did not apply")
		}
		ok, err := accounts.RemoveIfExists(bg, &a)
		noErr(t, err)
		if ok {
			t.Fatal("removed a missing row")
		}
	}},
	{name: "page tokens", body: func(t *testing.T, b *backend) {
		members := mapOn[Member, string](b, "members", orm.PageTokenKey([]byte("secret")))
		for i := 0; i < 5; i++ {
			m := member(string(rune('a'+i)), "UT", 1980)
			noErr(t, members.Insert(bg, &m))
		}
		q := query.Where("born").Eq(int64(1980)).AllowFiltering()
		// A page size far beyond the rows reserves nothing for them.
		huge, last, err := members.Page(bg, q, math.MaxInt32-1, "")
		noErr(t, err)
		equal(t, "one huge page", []any{len(huge), last}, []any{5, ""})
		var all []Member
		token := ""
		for pages := 0; ; pages++ {
			items, next, err := members.Page(bg, q, 2, token)
			noErr(t, err)
			all = append(all, items...)
			if next == "" {
				break
			}
			if pages > 5 {
				t.Fatal("too many pages")
			}
			if _, _, err := members.Page(bg, query.Where("born").Eq(int64(1990)).AllowFiltering(), 2, next); !errors.Is(err, orm.ErrPageToken) {
				t.Fatalf("token of another select: %v", err)
			}
			token = next
		}
		equal(t, "every row once", sortedIDs(all), []string{"a", "b", "c", "d", "e"})
		if _, _, err := members.Page(bg, q, 2, "AAAA"+token); !errors.Is(err, orm.ErrPageToken) {
			t.Fatalf("edited token: %v", err)
		}
		if strings.Trim(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			t.Fatalf("token %q is not URL-safe", token)
		}

		// A token resumes the select on another connection with the same
		// key, and nowhere else.
		first, next, err := members.Page(bg, q, 2, "")
		noErr(t, err)
		elsewhere := mapOnNewConn[Member, string](t, b, "members", orm.PageTokenKey([]byte("secret")))
		rest := first
		for next != "" {
			var items []Member
			items, next, err = elsewhere.Page(bg, q, 2, next)
			noErr(t, err)
			rest = append(rest, items...)
		}
		equal(t, "resumed on another connection", sortedIDs(rest), []string{"a", "b", "c", "d", "e"})
		_, next, err = members.Page(bg, q, 2, "")
		noErr(t, err)
		otherKey := mapOnNewConn[Member, string](t, b, "members", orm.PageTokenKey([]byte("other")))
		if _, _, err := otherKey.Page(bg, q, 2, next); !errors.Is(err, orm.ErrPageToken) {
			t.Fatalf("a token under another key: %v", err)
		}
	}},
	{name: "keyspace per call", notOn: "thrift", refused: orm.ErrUnsupported, body: func(t *testing.T, b *backend) {
		members := mapOn[Member, string](b, "members")
		other := b.cql.newKeyspace(t)
		b.cql.create(t, other, modelNamed[Member]("members"))
		m := member("ann", "UT", 1980)
		noErr(t, members.Insert(bg, &m, orm.Keyspace(other)))
		if _, err := members.Get(bg, "ann"); !errors.Is(err, cassa.ErrNotFound) {
			t.Fatalf("the session's keyspace has the row: %v", err)
		}
		equal(t, "tenant", must[Member](t)(members.Get(bg, "ann", orm.Keyspace(other))), m)
		equal(t, "tenant find", len(drain(t, members.Find(bg, query.Select{}, orm.Keyspace(other)))), 1)
		noErr(t, members.RemoveKey(bg, "ann", orm.Keyspace(other)))
		if _, err := members.Get(bg, "ann", orm.Keyspace(other)); !errors.Is(err, cassa.ErrNotFound) {
			t.Fatalf("after remove: %v", err)
		}

		// The other verbs take the keyspace too: batches, compare-and-set,
		// counts and pages, whose tokens are bound to it.
		var batch []*Member
		for _, id := range []string{"a", "b", "c"} {
			v := member(id, "UT", 1980)
			batch = append(batch, &v)
		}
		noErr(t, members.BatchInsert(bg, batch, orm.Keyspace(other)))
		applied, _, err := members.InsertIfNotExists(bg, batch[0], orm.Keyspace(other))
		noErr(t, err)
		if applied {
			t.Fatal("InsertIfNotExists in the tenant's keyspace applied over an existing row")
		}
		equal(t, "tenant count", must[int](t)(members.Count(bg, query.Select{}, orm.Keyspace(other))), 3)
		equal(t, "own count", must[int](t)(members.Count(bg, query.Select{})), 0)
		paging := mapOn[Member, string](b, "members", orm.PageTokenKey([]byte("secret")))
		page, next, err := paging.Page(bg, query.Select{}, 2, "", orm.Keyspace(other))
		noErr(t, err)
		if len(page) != 2 || next == "" {
			t.Fatalf("first tenant page: %d rows, token %q", len(page), next)
		}
		if _, _, err := paging.Page(bg, query.Select{}, 2, next); !errors.Is(err, orm.ErrPageToken) {
			t.Fatalf("a tenant's token in another keyspace: %v", err)
		}
		rest, last, err := paging.Page(bg, query.Select{}, 2, next, orm.Keyspace(other))
		noErr(t, err)
		if len(rest) != 1 || last != "" {
			t.Fatalf("second tenant page: %d rows, token %q", len(rest), last)
		}

		// A session without a keyspace of its own: every call names one,
		// and the first call's is where the mapper reads the table.
		tenants := orm.Map[Member, string](b.cql.admin, "members")
		equal(t, "no session keyspace, tenant's row", must[Member](t)(tenants.Get(bg, "a", orm.Keyspace(other))).ID, "a")
		d := member("d", "CA", 1990)
		noErr(t, tenants.Insert(bg, &d, orm.Keyspace(other)))
		equal(t, "no session keyspace, count", must[int](t)(tenants.Count(bg, query.Select{}, orm.Keyspace(other))), 4)
	}},
	{name: "wide rows: a timeline of typed rows", body: func(t *testing.T, b *backend) {
		posts := mapOn[Post, Post](b, "posts")
		var ids []uuid.UUID
		for i := 0; i < 5; i++ {
			id := uuid.Must(uuid.NewUUID())
			ids = append(ids, id)
			p := Post{User: "ann", Posted: id, Body: "post " + string(rune('0'+i)), Likes: int32(i), Bio: "climber"}
			noErr(t, posts.Insert(bg, &p))
		}
		other := Post{User: "bob", Posted: uuid.Must(uuid.NewUUID()), Body: "bob's", Bio: "b"}
		noErr(t, posts.Insert(bg, &other))
		line := drain(t, posts.Find(bg, query.Where("user").Eq("ann")))
		if len(line) != 5 || line[0].Posted != ids[4] || line[4].Posted != ids[0] || line[0].Bio != "climber" {
			t.Fatalf("timeline, newest first: %+v", line)
		}
		top := drain(t, posts.Find(bg, query.Where("user").Eq("ann").Limit(2)))
		equal(t, "limit", []uuid.UUID{top[0].Posted, top[1].Posted}, []uuid.UUID{ids[4], ids[3]})
		oldest := drain(t, posts.Find(bg, query.Where("user").Eq("ann").Reversed().Limit(1)))
		equal(t, "reversed", oldest[0].Posted, ids[0])
		since := drain(t, posts.Find(bg, query.Where("user").Eq("ann").And("posted").Gt(ids[2])))
		equal(t, "after the third", len(since), 2)
		between := drain(t, posts.Find(bg, query.Where("user").Eq("ann").And("posted").Gte(ids[1]).And("posted").Lte(ids[3])))
		equal(t, "between", []uuid.UUID{between[0].Posted, between[2].Posted}, []uuid.UUID{ids[3], ids[1]})
		one := must[Post](t)(posts.Get(bg, Post{User: "ann", Posted: ids[2]}))
		equal(t, "get by primary key", one.Body, "post 2")
		noErr(t, posts.RemoveKey(bg, Post{User: "ann", Posted: ids[2]}))
		if _, err := posts.Get(bg, Post{User: "ann", Posted: ids[2]}); !errors.Is(err, cassa.ErrNotFound) {
			t.Fatalf("removed row: %v", err)
		}
		equal(t, "count of the partition", must[int](t)(posts.Count(bg, query.Where("user").Eq("ann"))), 4)
		items, next, err := posts.Page(bg, query.Where("user").Eq("ann"), 3, "")
		noErr(t, err)
		rest, last, err := posts.Page(bg, query.Where("user").Eq("ann"), 3, next)
		noErr(t, err)
		if len(items) != 3 || len(rest) != 1 || last != "" || rest[0].Posted != ids[0] {
			t.Fatalf("pages: %d then %d (%q)", len(items), len(rest), last)
		}
		all := drain(t, posts.Find(bg, query.Select{}))
		equal(t, "scan of every partition", len(all), 5)
	}},
	{name: "composite partition key", body: func(t *testing.T, b *backend) {
		readings := mapOn[Reading, Reading](b, "readings")
		for seq := int32(3); seq >= 1; seq-- {
			r := Reading{Sensor: "s1", Day: "2024-06-01", Seq: seq, Value: float64(seq) / 2}
			noErr(t, readings.Insert(bg, &r))
		}
		r := Reading{Sensor: "s1", Day: "2024-06-02", Seq: 1, Value: 9}
		noErr(t, readings.Insert(bg, &r))
		day := drain(t, readings.Find(bg, query.Where("sensor").Eq("s1").And("day").Eq("2024-06-01")))
		equal(t, "ascending", []int32{day[0].Seq, day[1].Seq, day[2].Seq}, []int32{1, 2, 3})
		equal(t, "get", must[Reading](t)(readings.Get(bg, Reading{Sensor: "s1", Day: "2024-06-02", Seq: 1})).Value, 9.0)
		from2 := drain(t, readings.Find(bg, query.Where("Sensor").Eq("s1").And("Day").Eq("2024-06-01").And("Seq").Gte(int32(2))))
		equal(t, "range by Go field names", len(from2), 2)
		got := must[[]Reading](t)(readings.MultiGet(bg, []Reading{{Sensor: "s1", Day: "2024-06-02", Seq: 1}, {Sensor: "s1", Day: "x", Seq: 1}}))
		equal(t, "multi-get", len(got), 1)
	}},
	{name: "fields", body: func(t *testing.T, b *backend) {
		members := mapOn[Member, string](b, "members")
		m := member("ann", "UT", 1980)
		noErr(t, members.Insert(bg, &m))
		renamed := Member{ID: "ann", Name: "Anna", State: "XX"}
		noErr(t, members.Insert(bg, &renamed, orm.Fields("Name")))
		got := must[Member](t)(members.Get(bg, "ann"))
		if got.Name != "Anna" || got.State != "UT" {
			t.Fatalf("Fields(Name) wrote more: %+v", got)
		}
		only := must[Member](t)(members.Get(bg, "ann", orm.Fields("state")))
		if only.Name != "" || only.State != "UT" {
			t.Fatalf("Fields(state) read %+v", only)
		}
		equal(t, "count columns", must[int](t)(members.CountColumns(bg, "ann", orm.Fields("name", "state", "email"))), 3)
	}},
	{name: "model description", body: func(t *testing.T, b *backend) {
		d := orm.Model[Post]()
		equal(t, "partition key", d.Table.PartitionKey, []string{"user"})
		if len(d.Table.Clustering) != 1 || !d.Table.Clustering[0].Descending {
			t.Fatalf("clustering %+v", d.Table.Clustering)
		}
		if !strings.HasPrefix(codec.ShortName(d.Comparator), "CompositeType(ReversedType(TimeUUIDType)") {
			t.Fatalf("Thrift comparator %s", codec.ShortName(d.Comparator))
		}
		noErr(t, mapOn[Post, Post](b, "posts").Verify(bg))
		noErr(t, mapOn[Reading, Reading](b, "readings").Verify(bg))
	}},
}

// TestBothTransports runs bothCases on Thrift and on CQL.
func TestBothTransports(t *testing.T) {
	for _, c := range bothCases {
		t.Run(c.name, func(t *testing.T) {
			runBoth(t, func(t *testing.T, b *backend) {
				if c.notOn == b.name {
					checkRefused(t, b, c.refused)
					return
				}
				c.body(t, b)
			})
		})
	}
}

// checkRefused: on a transport that cannot do them, the CQL-only verbs
// fail cleanly, before anything is written.
func checkRefused(t *testing.T, b *backend, want error) {
	accounts := mapOn[Account, string](b, "accounts")
	a := Account{ID: "acc", Owner: "ann"}
	_, _, err1 := accounts.UpdateIfExists(bg, &a)
	_, err2 := accounts.RemoveIfExists(bg, &a)
	_, _, err3 := accounts.CompareAndRemove(bg, &a)
	_, err4 := accounts.Get(bg, "acc", orm.Keyspace("other"))
	for i, err := range []error{err1, err2, err3, err4} {
		if !errors.Is(err, want) {
			t.Errorf("refusal %d: %v, want %v", i+1, err, want)
		}
	}
	if slices.Contains([]string{b.name}, "") {
		t.Fatal("unreachable")
	}
}

// storedProfile lists the columns of a profile row that hold a value, as
// the transport stores them (a deleted or never written column is absent;
// an empty string is a value).
func storedProfile(t *testing.T, b *backend, key string) []string {
	t.Helper()
	if !b.isCQL() {
		return b.thrift.columnNames(t, "profiles", key)
	}
	cols := []string{"age", "bio", "code", "level", "mood", "nick", "note", "tag"}
	row, err := b.db.Get(bg, "SELECT "+strings.Join(cols, ", ")+" FROM profiles WHERE key = ?", key)
	noErr(t, err)
	var out []string
	for _, c := range cols {
		if !row.IsNull(c) {
			out = append(out, c)
		}
	}
	return out
}
