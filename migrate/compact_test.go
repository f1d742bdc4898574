package migrate

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm"
)

// A column family switched over in place: one step with its warning,
// applied, then nothing to plan; the rows read over CQL.
func TestPlanDropCompactStorage(t *testing.T) {
	e := newMoveEnv(t)
	e.thriftModel(t, orm.Model[moveUser]())
	e.thriftModel(t, orm.Model[moveTweet]())
	fillUsers(t, e, 50)
	p, err := PlanDropCompactStorage(e.ctx, e.db, e.ks, "Users", "Tweets")
	must(t, err)
	if got := kinds(p); !reflect.DeepEqual(got, []StepKind{StepRefused, StepDropCompactStorage}) {
		t.Fatalf("plan:\n%s", p)
	}
	if r := p.Steps[0]; r.Table != "Tweets" || !strings.Contains(r.Reason, "super column family") {
		t.Fatalf("refusal: %+v", r)
	}
	s := p.Steps[1]
	if len(s.Warnings) != 1 || s.Warnings[0].Class != WarnChangesTable || !strings.Contains(s.Warnings[0].Message, "before 4.0") ||
		!reflect.DeepEqual(s.CQL, []string{"ALTER TABLE " + codec.MaybeQuote(e.ks) + `."Users" DROP COMPACT STORAGE`}) {
		t.Fatalf("step: %+v", s)
	}
	if err := p.Apply(e.ctx); !errors.Is(err, ErrRefused) {
		t.Fatalf("apply with a refusal: %v", err)
	}
	p, err = PlanDropCompactStorage(e.ctx, e.db, e.ks, "Users")
	must(t, err)
	t.Log(p)
	must(t, p.Apply(e.ctx))
	if p, err = PlanDropCompactStorage(e.ctx, e.db, e.ks, "Users"); err != nil || !p.Empty() {
		t.Fatalf("again: %v\n%s", err, p)
	}
	// As 3.11 switches a static column family: the declared columns are
	// static, the dynamic ones rows of column1 and value.
	live, err := e.db.Table(e.ctx, e.ks, "Users")
	must(t, err)
	if len(live.Clustering) != 1 || live.Clustering[0].Name != "column1" {
		t.Fatalf("switched table %+v", live)
	}
	row, err := e.db.Get(e.ctx, `SELECT name, age FROM "Users" WHERE key = 'user000007'`)
	must(t, err)
	var name string
	var age int64
	must(t, row.Scan(&name, &age))
	if name != "name 7" || age != 7 {
		t.Fatalf("read over CQL: %q %d", name, age)
	}
	if _, err := PlanDropCompactStorage(e.ctx, e.db, e.ks, "Nope"); !errors.Is(err, ErrInvalidSpec) {
		t.Fatalf("unknown table: %v", err)
	}
	if _, err := PlanDropCompactStorage(e.ctx, e.db, "nope_ks", "Users"); !errors.Is(err, ErrInvalidSpec) {
		t.Fatalf("unknown keyspace: %v", err)
	}
}
