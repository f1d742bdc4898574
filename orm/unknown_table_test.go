package orm_test

import (
	"errors"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
)

// A misspelled or not yet migrated column family is a
// *cassa.UnknownTableError naming keyspace and column family, never
// cassa.ErrNotFound (which means a missing row): a caller's 404 path must
// not fire, and counters must not read as zeros.
func TestUnknownColumnFamilyIsNotAMissingRow(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[Clicks, string](e.pool, "Nope")
	check := func(what string, err error) {
		t.Helper()
		var ut *cassa.UnknownTableError
		if !errors.As(err, &ut) || ut.Table != "Nope" || ut.Keyspace == "" {
			t.Errorf("%s: %v, want *cassa.UnknownTableError naming the keyspace and Nope", what, err)
		}
		if errors.Is(err, cassa.ErrNotFound) {
			t.Errorf("%s: %v matches cassa.ErrNotFound", what, err)
		}
	}
	_, err := users.Get(bg, "x")
	check("Get", err)
	_, err = users.Get(bg, "x", orm.MissingAsZero())
	check("Get with MissingAsZero", err)
	check("Add", users.Add(bg, "home", "views", 1))
	check("Insert", users.Insert(bg, &Clicks{Page: "x"}))
	for _, err := range users.Find(bg, query.Select{}) {
		check("Find", err)
		break
	}
}
