package orm_test

import (
	"testing"

	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

// CountColumns counts a row's columns, those the model reads; Count counts
// the instances a select gives, as many as Find would yield.
func TestCount(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	for i, st := range []string{"UT", "CA", "UT", "TX", "UT"} {
		u := sampleUser(string(rune('a'+i)), st, 1980)
		noErr(t, users.Insert(bg, &u))
	}
	// User has a raw field, so every column counts.
	equal(t, "columns", must[int](t)(users.CountColumns(bg, "a")), 7)
	equal(t, "some columns", must[int](t)(users.CountColumns(bg, "a", orm.Fields("name", "State"))), 2)
	equal(t, "missing row", must[int](t)(users.CountColumns(bg, "nobody")), 0)
	equal(t, "rows", must[int](t)(users.Count(bg, query.Select{})), 5)
	equal(t, "indexed", must[int](t)(users.Count(bg, query.Where("state").Eq("UT"))), 3)
	equal(t, "limited", must[int](t)(users.Count(bg, query.Select{}.Limit(2))), 2)
	if _, err := users.Count(bg, query.Where("name").Eq("x")); err == nil {
		t.Fatal("Count of an index query without an indexed EQ: no error")
	}

	// Without a raw field, only the model's columns count.
	_, err := e.rawCF(t, "Plain").Insert(bg, "k", columnfamily.Cols{"col": "v", "other": "x"})
	noErr(t, err)
	equal(t, "model's columns", must[int](t)(orm.Map[Extra, string](e.pool, "Plain").CountColumns(bg, "k")), 1)

	// A super model: a row's super columns are its instances.
	tweets := orm.Map[Tweet, string](e.pool, "Tweets")
	ids := []any{}
	for i := range 3 {
		tw := Tweet{User: "u", ID: timeUUID(t, i), Body: "b"}
		noErr(t, tweets.Insert(bg, &tw))
		ids = append(ids, tw.ID)
	}
	noErr(t, tweets.Insert(bg, &Tweet{User: "v", ID: timeUUID(t, 9), Body: "b"}))
	equal(t, "super columns", must[int](t)(tweets.CountColumns(bg, "u")), 3)
	equal(t, "in a super column", must[int](t)(tweets.CountColumns(bg, "u", orm.Super(ids[0]))), 2)
	equal(t, "super instances", must[int](t)(tweets.Count(bg, query.Select{})), 4)
}
