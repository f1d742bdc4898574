package orm_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/orm/tags"
	"github.com/cassa-go/cassa/query"
)

// Keys are typed by the model: Map[T, K] takes K, the key field's type
// (or a struct holding the key fields), and every call that names a row
// takes a K, so a []string of keys is passed as it is.
func TestTypedKeys(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	noErr(t, users.Err())
	for _, id := range []string{"a", "b", "c"} {
		u := sampleUser(id, "UT", 1980)
		noErr(t, users.Insert(bg, &u))
	}
	ids := []string{"c", "a", "missing"}
	got := must[[]User](t)(users.MultiGet(bg, ids))
	equal(t, "multiget", []string{got[0].ID, got[1].ID}, []string{"c", "a"})
	equal(t, "get", must[User](t)(users.Get(bg, "b")).ID, "b")
	noErr(t, users.RemoveKey(bg, "b"))

	type UUIDKey struct {
		ID   uuid.UUID `cass:",key"`
		Name string    `cass:"name"`
	}
	byID := orm.Map[UUIDKey, uuid.UUID](e.pool, "UUIDKeys")
	id := uuid.New()
	noErr(t, byID.Insert(bg, &UUIDKey{ID: id, Name: "n"}))
	equal(t, "uuid key", must[UUIDKey](t)(byID.Get(bg, id)), UUIDKey{id, "n"})

	// K may be a struct holding the key fields by name (what a composite
	// key will be), or the model itself.
	type UserKey struct{ ID string }
	byStruct := orm.Map[User, UserKey](e.pool, "Users")
	equal(t, "struct key", must[User](t)(byStruct.Get(bg, UserKey{ID: "a"})).Name, "Tyler a")
	byModel := orm.Map[User, User](e.pool, "Users")
	equal(t, "model as key", must[User](t)(byModel.Get(bg, User{ID: "c"})).Name, "Tyler c")

	// Query key ranges stay untyped values, packed with the key's type.
	equal(t, "range", len(drain(t, users.Find(bg, query.Keys("a", "c")))), 2)
}

func TestKeyTypeMismatch(t *testing.T) {
	type WrongField struct{ Key string }
	for _, err := range []error{
		orm.Map[User, int64](noPool, "Users").Err(),
		orm.Map[User, WrongField](noPool, "Users").Err(),
		orm.Map[User, *string](noPool, "Users").Err(),
	} {
		var te *tags.TagError
		if !errors.As(err, &te) || !errors.Is(err, tags.ErrType) || te.Field != "ID" ||
			!strings.Contains(err.Error(), "K") {
			t.Errorf("want a TagError on User.ID naming K, got %v", err)
		}
	}
}
