package orm_test

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"testing"

	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/pool"
)

// pages reads every page of q, size at a time, returning the IDs of each
// page and the tokens handed out.
func pages(t *testing.T, m *orm.Mapper[User, string], q query.Select, size int) ([][]string, []string) {
	t.Helper()
	var out [][]string
	var tokens []string
	token := ""
	for range 100 {
		items, next, err := m.Page(bg, q, size, token)
		noErr(t, err)
		var ids []string
		for _, u := range items {
			ids = append(ids, u.ID)
		}
		out = append(out, ids)
		if next == "" {
			return out, tokens
		}
		tokens = append(tokens, next)
		token = next
	}
	t.Fatal("no last page after 100")
	return nil, nil
}

var urlSafe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Page reads a select a page at a time and hands out an opaque, URL-safe
// token that continues it, on any connection, in any process; a token
// made for one select does not continue another, and an edited one is
// refused.
func TestPageTokens(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	var batch []*User
	for i := range 25 {
		st := "UT"
		if i%3 == 0 {
			st = "CA"
		}
		u := sampleUser(fmt.Sprintf("u%02d", i), st, int64(1970+i))
		batch = append(batch, &u)
	}
	noErr(t, users.BatchInsert(bg, batch))
	want := func(q query.Select) []string {
		var ids []string
		for _, u := range drain(t, users.Find(bg, q)) {
			ids = append(ids, u.ID)
		}
		return ids
	}
	flat := func(ps [][]string) []string {
		var all []string
		for _, p := range ps {
			all = append(all, p...)
		}
		return all
	}

	// A page size far beyond the rows reserves nothing for them.
	huge, last, err := users.Page(bg, query.Select{}, math.MaxInt32-1, "")
	noErr(t, err)
	equal(t, "one huge page", []any{len(huge), last}, []any{25, ""})

	got, tokens := pages(t, users, query.Select{}, 10)
	equal(t, "page sizes", []int{len(got[0]), len(got[1]), len(got[2])}, []int{10, 10, 5})
	equal(t, "every row once, in order", flat(got), want(query.Select{}))
	for _, tok := range tokens {
		if !urlSafe.MatchString(tok) {
			t.Fatalf("token %q is not URL-safe", tok)
		}
	}

	// Another pool (another connection, as another process would have)
	// continues from a token.
	db2, err := pool.Open(bg, pool.Config{Servers: e.ts.Addrs(), Keyspace: e.ks, PoolSize: 1})
	noErr(t, err)
	defer db2.Close(bg)
	elsewhere := orm.Map[User, string](db2, "Users")
	second, _, err := elsewhere.Page(bg, query.Select{}, 10, tokens[0])
	noErr(t, err)
	equal(t, "continued elsewhere", len(second), 10)
	equal(t, "from where it stopped", second[0].ID, got[1][0])

	// An index query, a filtered scan, and a Limit over all pages.
	idx := query.Where("state").Eq("UT")
	got, _ = pages(t, users, idx, 4)
	equal(t, "index query", flat(got), want(idx))
	filtered := query.Where("birthdate").Gt(1980).AllowFiltering()
	got, _ = pages(t, users, filtered, 3)
	equal(t, "filtered scan", flat(got), want(filtered))
	got, _ = pages(t, users, query.Select{}.Limit(15), 10)
	equal(t, "limit", []int{len(got[0]), len(got[1])}, []int{10, 5})

	// A token belongs to its select, mapper and options.
	if _, _, err := users.Page(bg, idx, 10, tokens[0]); !errors.Is(err, orm.ErrPageToken) || !errors.Is(err, orm.ErrArgument) {
		t.Fatalf("a token of another select: %v", err)
	}
	if _, _, err := users.Page(bg, query.Select{}, 10, tokens[0], orm.Fields("name")); !errors.Is(err, orm.ErrPageToken) {
		t.Fatalf("a token of other fields: %v", err)
	}
	edited := []byte(tokens[0])
	edited[len(edited)-1] ^= 1
	for _, bad := range []string{string(edited), tokens[0][:len(tokens[0])-2], "!!", "AA"} {
		if _, _, err := users.Page(bg, query.Select{}, 10, bad); !errors.Is(err, orm.ErrPageToken) {
			t.Fatalf("token %q: %v", bad, err)
		}
	}
	if _, _, err := users.Page(bg, query.Select{}, 0, ""); !errors.Is(err, orm.ErrArgument) {
		t.Fatalf("page size 0: %v", err)
	}

	// With a key, tokens are signed by it: another key refuses them.
	signed := orm.Map[User, string](e.pool, "Users", orm.PageTokenKey([]byte("secret one")))
	_, next, err := signed.Page(bg, query.Select{}, 10, "")
	noErr(t, err)
	if _, _, err := users.Page(bg, query.Select{}, 10, next); !errors.Is(err, orm.ErrPageToken) {
		t.Fatalf("a signed token without the key: %v", err)
	}
	other := orm.Map[User, string](e.pool, "Users", orm.PageTokenKey([]byte("secret two")))
	if _, _, err := other.Page(bg, query.Select{}, 10, next); !errors.Is(err, orm.ErrPageToken) {
		t.Fatalf("a signed token with another key: %v", err)
	}
	again := orm.Map[User, string](e.pool, "Users", orm.PageTokenKey([]byte("secret one")))
	if _, _, err := again.Page(bg, query.Select{}, 10, next); err != nil {
		t.Fatalf("a signed token with the same key: %v", err)
	}
}

// A super model pages through super columns, resuming inside a row.
func TestPageSuperColumns(t *testing.T) {
	e := newEnv(t)
	tweets := orm.Map[Tweet, string](e.pool, "Tweets")
	var want []Tweet
	for _, user := range []string{"a", "b"} {
		for i := range 3 {
			tw := Tweet{User: user, ID: timeUUID(t, i), Body: fmt.Sprint(user, i)}
			noErr(t, tweets.Insert(bg, &tw))
			want = append(want, tw)
		}
	}
	var got []Tweet
	token := ""
	for range 10 {
		items, next, err := tweets.Page(bg, query.Select{}, 2, token)
		noErr(t, err)
		got = append(got, items...)
		if next == "" {
			break
		}
		token = next
	}
	equal(t, "every super column once", got, want)
}
