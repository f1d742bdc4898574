package orm_test

import (
	"errors"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

// Removes go into a caller's batch as inserts do, with the same options as
// Remove: the whole row, or with Fields only those columns; on a super
// column family, the instance's super column.
func TestQueueRemove(t *testing.T) {
	e := newEnv(t)
	users := orm.Map[User, string](e.pool, "Users")
	tweets := orm.Map[Tweet, string](e.pool, "Tweets")
	for _, id := range []string{"r1", "r2", "keep"} {
		u := sampleUser(id, "UT", 1990)
		noErr(t, users.Insert(bg, &u))
	}
	tw := Tweet{User: "u", ID: timeUUID(t, 1), Body: "b"}
	other := Tweet{User: "u", ID: timeUUID(t, 2), Body: "c"}
	noErr(t, tweets.Insert(bg, &tw))
	noErr(t, tweets.Insert(bg, &other))

	b := columnfamily.NewMutator(e.pool, columnfamily.QueueSize(columnfamily.NoAutoSend))
	noErr(t, users.QueueRemove(bg, b, &User{ID: "r1"}))
	noErr(t, users.QueueRemove(bg, b, &User{ID: "r2"}, orm.Fields("height", "credit")))
	noErr(t, tweets.QueueRemove(bg, b, &tw))
	n := sampleUser("new", "NV", 2000)
	noErr(t, users.Queue(bg, b, &n))
	equal(t, "queued", b.Len(), 4)
	if _, err := users.Get(bg, "r1"); err != nil {
		t.Fatalf("removed before Send: %v", err)
	}
	noErr(t, b.Send(bg))

	if _, err := users.Get(bg, "r1"); !errors.Is(err, cassa.ErrNotFound) {
		t.Fatalf("r1 after Send: %v", err)
	}
	equal(t, "r2", e.columnNames(t, "Users", "r2"), []string{"age", "birthdate", "joined", "name", "state"})
	must[User](t)(users.Get(bg, "keep"))
	must[User](t)(users.Get(bg, "new"))
	equal(t, "super columns left", must[[]Tweet](t)(tweets.GetSuper(bg, "u")), []Tweet{other})

	if err := users.QueueRemove(bg, b, nil); !errors.Is(err, orm.ErrNilInstance) {
		t.Fatalf("nil instance: %v", err)
	}
	if err := users.QueueRemove(bg, nil, &n); !errors.Is(err, orm.ErrArgument) {
		t.Fatalf("nil batch: %v", err)
	}
}
