package orm_test

import (
	"errors"
	"testing"

	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/orm/tags"
)

// Account is a row updated with compare-and-set.
type Account struct {
	ID      string  `cass:",key"`
	Owner   string  `cass:"owner"`
	Balance int64   `cass:"balance"`
	Note    *string `cass:"note"`
}

// InsertIfNotExists and CompareAndSwap go through Thrift's cas: they say
// whether they wrote, and when they did not, what the row holds.
func TestCompareAndSet(t *testing.T) {
	e := newEnv(t)
	accounts := orm.Map[Account, string](e.pool, "Plain")

	first := Account{ID: "acc", Owner: "ann", Balance: 10}
	applied, cur, err := accounts.InsertIfNotExists(bg, &first)
	noErr(t, err)
	if !applied || cur != (Account{}) {
		t.Fatalf("first insert: applied %v, current %+v", applied, cur)
	}
	second := Account{ID: "acc", Owner: "bob", Balance: 99}
	applied, cur, err = accounts.InsertIfNotExists(bg, &second)
	noErr(t, err)
	if applied {
		t.Fatal("second insert applied")
	}
	equal(t, "current after a refused insert", cur, first)
	equal(t, "row unchanged", must[Account](t)(accounts.Get(bg, "acc")), first)

	// Update if unchanged: old is what the caller read.
	read := must[Account](t)(accounts.Get(bg, "acc"))
	next := read
	next.Balance = 5
	swapped, cur, err := accounts.CompareAndSwap(bg, &read, &next)
	noErr(t, err)
	if !swapped {
		t.Fatalf("swap from what was read: current %+v", cur)
	}
	stale := read
	stale.Balance = 1000
	swapped, cur, err = accounts.CompareAndSwap(bg, &read, &stale)
	noErr(t, err)
	if swapped {
		t.Fatal("swap from a stale read applied")
	}
	equal(t, "current after a refused swap", cur, next)
	equal(t, "row after", must[Account](t)(accounts.Get(bg, "acc")), next)

	// Fields narrows what is compared and written; a nil field of old is
	// not compared.
	note := "vip"
	withNote := Account{ID: "acc", Note: &note}
	swapped, _, err = accounts.CompareAndSwap(bg, &Account{ID: "acc", Balance: 5}, &withNote, orm.Fields("balance", "note"))
	noErr(t, err)
	if !swapped {
		t.Fatal("swap on balance alone")
	}
	got := must[Account](t)(accounts.Get(bg, "acc"))
	if got.Note == nil || *got.Note != "vip" || got.Owner != "ann" || got.Balance != 0 {
		t.Fatalf("after the narrow swap: %+v", got)
	}

	// What cas cannot do is refused before sending.
	other := Account{ID: "other"}
	if _, _, err := accounts.CompareAndSwap(bg, &read, &other); !errors.Is(err, orm.ErrArgument) {
		t.Fatalf("different keys: %v", err)
	}
	if _, _, err := accounts.InsertIfNotExists(bg, &Account{ID: "n"}, orm.Nulls(tags.NullDelete)); !errors.Is(err, orm.ErrUnsupported) {
		t.Fatalf("a deletion in cas: %v", err)
	}
	if _, _, err := orm.Map[Tweet, string](e.pool, "Tweets").InsertIfNotExists(bg, &Tweet{User: "u", ID: timeUUID(t, 1)}); !errors.Is(err, orm.ErrSuper) {
		t.Fatalf("cas on a super column family: %v", err)
	}
	if _, _, err := orm.Map[Clicks, string](e.pool, "Counts").InsertIfNotExists(bg, &Clicks{Page: "p"}); !errors.Is(err, orm.ErrCounter) {
		t.Fatalf("cas on counters: %v", err)
	}
	if _, _, err := accounts.CompareAndSwap(bg, nil, &read); !errors.Is(err, orm.ErrNilInstance) {
		t.Fatalf("nil old: %v", err)
	}
}
