package orm_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/query"
)

type SmokeAddr struct {
	Street string
	Zip    int32
}

type Smoke struct {
	ID    string              `cass:"id,key"`
	Name  string              `cass:"name"`
	Age   int64               `cass:"age"`
	Tags  []string            `cass:"tags"`
	Attrs map[string]int32    `cass:"attrs"`
	Set   map[string]struct{} `cass:"members"`
	Home  SmokeAddr           `cass:"home"`
	Pair  struct {
		A int32
		B string
	} `cass:"pair,type=tuple<int, text>"`
	When time.Time `cass:"when,type=timestamp"`
	U    uuid.UUID `cass:"u"`
	Nick *string   `cass:"nick"`
}

type SmokeLine struct {
	User   string    `cass:"user,partition"`
	Posted uuid.UUID `cass:"posted,clustering=desc,type=timeuuid"`
	Body   string    `cass:"body"`
	Owner  string    `cass:"owner,static"`
}

func TestCQLSmoke(t *testing.T) {
	e := newCQLEnv(t, orm.Model[Smoke](), orm.Model[SmokeLine]())
	for _, s := range orm.Model[Smoke]().CQLSchema("x") {
		t.Log(s)
	}
	m := orm.Map[Smoke, string](e.db, "Smoke")
	nick := "zz"
	v := Smoke{ID: "a", Name: "Ann", Age: 41, Tags: []string{"x", "y"}, Attrs: map[string]int32{"k": 1},
		Set: map[string]struct{}{"m": {}}, Home: SmokeAddr{"Main", 12345}, When: time.UnixMilli(1700000000000).UTC(), U: uuid.New(), Nick: &nick}
	v.Pair.A, v.Pair.B = 7, "seven"
	if err := m.Insert(bg, &v); err != nil {
		t.Fatal(err)
	}
	got, err := m.Get(bg, "a")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "get", got, v)
	for x, err := range m.Find(bg, query.Select{}) {
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v", x)
	}
	tl := orm.Map[SmokeLine, SmokeLine](e.db, "SmokeLine")
	for i := 0; i < 3; i++ {
		l := SmokeLine{User: "ann", Posted: uuid.Must(uuid.NewUUID()), Body: "b", Owner: "o"}
		if err := tl.Insert(bg, &l); err != nil {
			t.Fatal(err)
		}
	}
	for x, err := range tl.Find(bg, query.Where("user").Eq("ann")) {
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v", x)
	}
}
