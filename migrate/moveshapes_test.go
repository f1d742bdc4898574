package migrate

import (
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

// movePost is a model with clustering columns: over Thrift a composite
// comparator (CompositeType(TimeUUIDType reversed, Int32Type, UTF8Type)),
// a row marker, a static column and a set stored frozen; over CQL a table
// with two clustering columns.
type movePost struct {
	User   string    `cass:"user,partition"`
	Posted uuid.UUID `cass:"posted,clustering=desc,type=timeuuid"`
	Seq    int32     `cass:"seq,clustering"`
	Body   string    `cass:"body"`
	Tags   []string  `cass:"tags,set"`
	Bio    string    `cass:"bio,static"`
}

func (movePost) CFName() string { return "Posts" }

type postKey struct {
	User   string
	Posted uuid.UUID
	Seq    int32
}

func TestMoveComposite(t *testing.T) {
	e := newMoveEnv(t)
	e.thriftModel(t, orm.Model[movePost]())
	e.cqlModel(t, orm.Model[movePost](), "posts")
	posts := orm.Map[movePost, movePost](e.p, "Posts")
	var vs []*movePost
	for u := 0; u < 20; u++ {
		// user0 holds a wide row: more columns than one page.
		n := 3
		if u == 0 {
			n = 700
		}
		for i := 0; i < n; i++ {
			vs = append(vs, &movePost{User: fmt.Sprintf("u%d", u), Posted: uuid.Must(uuid.NewUUID()), Seq: int32(i % 3),
				Body: fmt.Sprintf("post %d", i), Tags: []string{"a", fmt.Sprint(i)}, Bio: "bio of " + fmt.Sprint(u)})
		}
	}
	// An empty post: the row marker alone makes it a row.
	vs = append(vs, &movePost{User: "u1", Posted: uuid.Must(uuid.NewUUID())})
	must(t, posts.BatchInsert(e.ctx, vs))
	res, err := MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Posts", Table: "posts"}, MoveRanges(8))
	must(t, err)
	if res.Rows != int64(len(vs)) || res.Skipped != 0 {
		t.Fatalf("result %+v, want %d rows", res, len(vs))
	}
	key := func(p movePost) postKey { return postKey{p.User, p.Posted, p.Seq} }
	from := scanAll(t, e.ctx, orm.Map[movePost, movePost](e.p, "Posts"), key)
	to := scanAll(t, e.ctx, orm.Map[movePost, movePost](e.db, "posts"), key)
	if len(from) != len(vs) || len(to) != len(vs) {
		t.Fatalf("Thrift %d posts, CQL %d, want %d", len(from), len(to), len(vs))
	}
	for k, v := range from {
		w := to[k]
		if fmt.Sprint(v) != fmt.Sprint(w) {
			t.Fatalf("%v: Thrift %+v, CQL %+v", k, v, w)
		}
	}
}

// moveTweet is a super column family: a super column per tweet, its
// sub-columns the tweet's fields.
type moveTweet struct {
	User string    `cass:",key"`
	ID   uuid.UUID `cass:",super,type=TimeUUID"`
	Body string    `cass:"body,type=UTF8"`
	Via  string    `cass:"via,type=UTF8"`
}

func (moveTweet) CFName() string { return "Tweets" }

// moveTweetRow is the same data over CQL: the super column name is a
// clustering column.
type moveTweetRow struct {
	User string    `cass:",key"`
	ID   uuid.UUID `cass:"id,clustering,type=timeuuid"`
	Body string    `cass:"body"`
	Via  string    `cass:"via"`
}

func (moveTweetRow) CFName() string { return "tweets" }

func TestMoveSuper(t *testing.T) {
	e := newMoveEnv(t)
	e.thriftModel(t, orm.Model[moveTweet]())
	e.cqlModel(t, orm.Model[moveTweetRow](), "tweets")
	tweets := orm.Map[moveTweet, string](e.p, "Tweets")
	var vs []*moveTweet
	for u := 0; u < 10; u++ {
		for i := 0; i < 5; i++ {
			vs = append(vs, &moveTweet{User: fmt.Sprintf("u%d", u), ID: uuid.Must(uuid.NewUUID()), Body: fmt.Sprintf("tweet %d", i), Via: "web"})
		}
	}
	must(t, tweets.BatchInsert(e.ctx, vs))
	res, err := MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Tweets", Table: "tweets"})
	must(t, err)
	if res.Rows != 50 || res.Cells != 100 {
		t.Fatalf("result %+v", res)
	}
	rows := orm.Map[moveTweetRow, moveTweetRow](e.db, "tweets")
	for u := 0; u < 10; u++ {
		user := fmt.Sprintf("u%d", u)
		got, err := tweets.GetSuper(e.ctx, user)
		must(t, err)
		if len(got) != 5 {
			t.Fatalf("%s: %d tweets over Thrift", user, len(got))
		}
		for _, tw := range got {
			r, err := rows.Get(e.ctx, moveTweetRow{User: user, ID: tw.ID})
			must(t, err)
			if r.Body != tw.Body || r.Via != tw.Via {
				t.Fatalf("%s %v: Thrift %+v, CQL %+v", user, tw.ID, tw, r)
			}
		}
	}
}

// Column families written without a model, as Thrift-era programs did: a
// wide row of TimeUUIDType names (a clustering column and a value), and a
// super column family of LongType super columns and UTF8Type sub-columns
// (a clustering column per level and a value).
func TestMoveDense(t *testing.T) {
	e := newMoveEnv(t)
	must(t, e.sys.CreateColumnFamily(e.ctx, e.ks, "Timeline", ColumnFamilyDef{Comparator: "TimeUUIDType", KeyValidation: "UTF8Type", DefaultValidation: "UTF8Type"}))
	must(t, e.sys.CreateColumnFamily(e.ctx, e.ks, "Stats", ColumnFamilyDef{Super: true, Comparator: "LongType", Subcomparator: "UTF8Type", KeyValidation: "UTF8Type", DefaultValidation: "UTF8Type"}))
	execAll(t, e.db,
		"CREATE TABLE timeline (key text, at timeuuid, body text, PRIMARY KEY (key, at)) WITH CLUSTERING ORDER BY (at DESC)",
		"CREATE TABLE stats (key text, day bigint, name text, value text, PRIMARY KEY (key, day, name))")
	timeline, err := columnfamily.Open(e.ctx, e.p, "Timeline")
	must(t, err)
	stats, err := columnfamily.Open(e.ctx, e.p, "Stats")
	must(t, err)
	ids := map[string]uuid.UUID{}
	for i := 0; i < 30; i++ {
		id := uuid.Must(uuid.NewUUID())
		ids[fmt.Sprint(i)] = id
		_, err := timeline.Insert(e.ctx, fmt.Sprintf("k%d", i%4), columnfamily.Cols{id: fmt.Sprintf("body %d", i)})
		must(t, err)
		_, err = stats.Insert(e.ctx, fmt.Sprintf("k%d", i%3), columnfamily.SuperCols{int64(i): columnfamily.Cols{"hits": fmt.Sprint(i), "misses": "0"}})
		must(t, err)
	}
	res, err := MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Timeline", Table: "timeline"})
	must(t, err)
	if res.Rows != 30 {
		t.Fatalf("timeline: %+v", res)
	}
	res, err = MoveThriftToCQL(e.ctx, e.p, e.db, MoveSpec{ColumnFamily: "Stats", Table: "stats"})
	must(t, err)
	if res.Rows != 60 {
		t.Fatalf("stats: %+v", res)
	}
	for i, id := range ids {
		row, err := e.db.Get(e.ctx, "SELECT body FROM timeline WHERE key = ? AND at = ?", "k"+fmt.Sprint(atoi(i)%4), [16]byte(id))
		must(t, err)
		var body string
		must(t, row.Scan(&body))
		if body != "body "+i {
			t.Fatalf("timeline %s: %q", i, body)
		}
	}
	row, err := e.db.Get(e.ctx, "SELECT value FROM stats WHERE key = 'k2' AND day = 29 AND name = 'hits'")
	must(t, err)
	var v string
	must(t, row.Scan(&v))
	if v != "29" {
		t.Fatalf("stats k2/29/hits = %q", v)
	}
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}
