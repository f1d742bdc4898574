package orm_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
)

// Tweet is DESIGN.md's super column model.
type Tweet struct {
	User string    `cass:",key"`
	ID   uuid.UUID `cass:",super,type=TimeUUID"`
	Body string    `cass:"body,type=UTF8"`
	Seen bool      `cass:"seen,default=true"`
}

func timeUUID(t *testing.T, sec int) uuid.UUID {
	t.Helper()
	u, err := codec.RandomTimeUUID(time.Unix(int64(1_600_000_000+sec), 0))
	noErr(t, err)
	return u
}

func TestSuperColumns(t *testing.T) {
	e := newEnv(t)
	tweets := orm.Map[Tweet, string](e.pool, "Tweets")
	var want []Tweet
	for i := range 5 {
		tw := Tweet{User: "thobbs", ID: timeUUID(t, i), Body: "tweet " + string(rune('0'+i)), Seen: i%2 == 0}
		noErr(t, tweets.Insert(bg, &tw))
		want = append(want, tw)
	}
	other := Tweet{User: "jbellis", ID: timeUUID(t, 9), Body: "hi"}
	noErr(t, tweets.Insert(bg, &other))

	// A row gives one instance per super column, in comparator (time) order.
	all := must[[]Tweet](t)(tweets.GetSuper(bg, "thobbs", orm.BufferSize(2)))
	equal(t, "row", all, want)

	// One super column is one instance.
	one := must[Tweet](t)(tweets.Get(bg, "thobbs", orm.Super(want[2].ID)))
	equal(t, "one", one, want[2])
	if _, err := tweets.Get(bg, "thobbs"); !errors.Is(err, orm.ErrSuper) {
		t.Fatalf("Get without SuperColumn: %v", err)
	}
	if _, err := tweets.Get(bg, "thobbs", orm.Super(timeUUID(t, 99))); !errors.Is(err, cassa.ErrNotFound) {
		t.Fatalf("missing super column: %v", err)
	}

	// MultiGet of one super column across rows.
	got := must[[]Tweet](t)(tweets.MultiGet(bg, []string{"jbellis", "thobbs"}, orm.Super(other.ID)))
	equal(t, "multiget", got, []Tweet{other})

	// Scan flattens super columns into instances.
	n := len(drain(t, tweets.Find(bg, query.Select{})))
	equal(t, "scan instances", n, 6)

	// Remove of the instance deletes its super column only; with Fields,
	// only those sub-columns.
	noErr(t, tweets.Remove(bg, &want[0]))
	noErr(t, tweets.Remove(bg, &want[1], orm.Fields("body")))
	left := must[[]Tweet](t)(tweets.GetSuper(bg, "thobbs"))
	if len(left) != 4 || left[0].ID != want[1].ID || left[0].Body != "" || left[0].Seen != want[1].Seen {
		t.Fatalf("after removes: %+v", left)
	}
	noErr(t, tweets.RemoveKey(bg, "thobbs", orm.Super(want[2].ID)))
	equal(t, "after RemoveKey", len(must[[]Tweet](t)(tweets.GetSuper(bg, "thobbs"))), 3)
	noErr(t, tweets.RemoveKey(bg, "thobbs"))
	if _, err := tweets.GetSuper(bg, "thobbs"); !errors.Is(err, cassa.ErrNotFound) {
		t.Fatalf("after removing the row: %v", err)
	}

	// Index queries are refused on super column families.
	for _, err := range tweets.Find(bg, query.Where("body").Eq("x")) {
		if !errors.Is(err, orm.ErrSuper) {
			t.Fatalf("Find: %v", err)
		}
	}
	// A zero TimeUUID is not a time UUID: refused before sending.
	var fe *orm.FieldError
	if err := tweets.Insert(bg, &Tweet{User: "x", Body: "b"}); !errors.As(err, &fe) || fe.Field != "ID" {
		t.Fatalf("nil TimeUUID: %v", err)
	}
}

// Clicks is a counter model.
type Clicks struct {
	Page  string `cass:",key"`
	Views int64  `cass:"views,type=Counter"`
	Likes int64  `cass:"likes,type=Counter"`
}

// DailyClicks counts per day in a super counter column family.
type DailyClicks struct {
	Page  string `cass:",key"`
	Day   string `cass:",super"`
	Views int64  `cass:"views,type=Counter"`
}

func TestCounters(t *testing.T) {
	e := newEnv(t)
	clicks := orm.Map[Clicks, string](e.pool, "Counts")
	noErr(t, clicks.Add(bg, "home", "views", 3))
	noErr(t, clicks.Add(bg, "home", "Views", 2)) // by Go field name
	noErr(t, clicks.Add(bg, "home", "likes", -1))
	equal(t, "counters", must[Clicks](t)(clicks.Get(bg, "home")), Clicks{Page: "home", Views: 5, Likes: -1})
	if err := clicks.Insert(bg, &Clicks{Page: "x", Views: 1}); !errors.Is(err, orm.ErrCounter) {
		t.Fatalf("Insert of counters: %v", err)
	}
	if err := clicks.Add(bg, "home", "nope", 1); !errors.Is(err, orm.ErrUnknownField) {
		t.Fatalf("unknown counter: %v", err)
	}
	if err := orm.Map[Extra, string](e.pool, "Plain").Add(bg, "k", "col", 1); !errors.Is(err, orm.ErrCounter) {
		t.Fatalf("Add on a non-counter: %v", err)
	}
	noErr(t, clicks.RemoveKey(bg, "home", orm.Fields("likes")))
	equal(t, "after remove", must[Clicks](t)(clicks.Get(bg, "home")), Clicks{Page: "home", Views: 5})

	daily := orm.Map[DailyClicks, string](e.pool, "SuperCounts")
	noErr(t, daily.Add(bg, "home", "views", 4, orm.Super("2024-01-01")))
	noErr(t, daily.Add(bg, "home", "views", 6, orm.Super("2024-01-02")))
	equal(t, "super counters", must[[]DailyClicks](t)(daily.GetSuper(bg, "home")),
		[]DailyClicks{{"home", "2024-01-01", 4}, {"home", "2024-01-02", 6}})
	if err := daily.Add(bg, "home", "views", 1); !errors.Is(err, orm.ErrSuper) {
		t.Fatalf("super counter without SuperColumn: %v", err)
	}
	_ = cassa.One
}

func TestSuperScanOneColumnPerRow(t *testing.T) {
	e := newEnv(t)
	tweets := orm.Map[Tweet, string](e.pool, "Tweets")
	id := timeUUID(t, 1)
	for _, user := range []string{"a", "b", "c"} {
		noErr(t, tweets.Insert(bg, &Tweet{User: user, ID: id, Body: user}))
		noErr(t, tweets.Insert(bg, &Tweet{User: user, ID: timeUUID(t, 2), Body: "other"}))
	}
	got := drain(t, tweets.Find(bg, query.Select{}, orm.Super(id)))
	var bodies []string
	for _, tw := range got {
		bodies = append(bodies, tw.Body)
		if tw.ID != id || tw.Seen {
			t.Fatalf("instance %+v", tw)
		}
	}
	equal(t, "bodies", bodies, []string{"a", "b", "c"})
	// Supers can stop early.
	for tw, err := range tweets.Supers(bg, "a") {
		noErr(t, err)
		equal(t, "first", tw.Body, "a")
		break
	}
	if _, err := orm.Map[Extra, string](e.pool, "Plain").GetSuper(bg, "k"); !errors.Is(err, orm.ErrSuper) {
		t.Fatalf("GetSuper on a standard model: %v", err)
	}
}
