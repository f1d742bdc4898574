package orm_test

import (
	"testing"

	"github.com/cassa-go/cassa/orm"
)

// With MissingAsZero a row that does not exist reads as a zero instance
// with its key (and defaults), as counters nobody has touched yet are
// zeros; without it, cassa.ErrNotFound. A column family that does not
// exist is still an error.
func TestMissingAsZero(t *testing.T) {
	e := newEnv(t)
	clicks := orm.Map[Clicks, string](e.pool, "Counts")
	noErr(t, clicks.Add(bg, "home", "views", 3))
	if _, err := clicks.Get(bg, "never"); err == nil {
		t.Fatal("a missing row read without MissingAsZero")
	}
	equal(t, "zeros", must[Clicks](t)(clicks.Get(bg, "never", orm.MissingAsZero())), Clicks{Page: "never"})
	equal(t, "multiget", must[[]Clicks](t)(clicks.MultiGet(bg, []string{"never", "home", "never"}, orm.MissingAsZero())),
		[]Clicks{{Page: "never"}, {Page: "home", Views: 3}, {Page: "never"}})
	equal(t, "defaults", must[Sparse](t)(orm.Map[Sparse, string](e.pool, "Plain").Get(bg, "none", orm.MissingAsZero())),
		Sparse{Key: "none", A: "hello", B: 42, E: []byte{0xca, 0xfe}})

	daily := orm.Map[DailyClicks, string](e.pool, "SuperCounts")
	equal(t, "super", must[DailyClicks](t)(daily.Get(bg, "home", orm.Super("2024-01-03"), orm.MissingAsZero())),
		DailyClicks{Page: "home", Day: "2024-01-03"})

	if _, err := orm.Map[Clicks, string](e.pool, "Nope").Get(bg, "x", orm.MissingAsZero()); err == nil {
		t.Fatal("a missing column family read as zeros")
	}
}
