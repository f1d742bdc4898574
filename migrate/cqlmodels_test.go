package migrate

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/orm"
)

type modelAddress struct {
	Street string `cass:"street"`
	Zip    int32  `cass:"zip"`
}

// modelPost is a timeline: a partition per user, newest first, a static
// bio, a user type and an indexed column.
type modelPost struct {
	User   string       `cass:"user,partition"`
	Posted uuid.UUID    `cass:"posted,clustering=desc,type=timeuuid"`
	Body   string       `cass:"body"`
	Tags   []string     `cass:"tags,set"`
	Bio    string       `cass:"bio,static"`
	Home   modelAddress `cass:"home"`
	State  string       `cass:"state,index"`
}

func (modelPost) CFName() string { return "posts" }

type modelPostV2Flat struct {
	User   string       `cass:"user,partition"`
	Posted uuid.UUID    `cass:"posted,clustering=desc,type=timeuuid"`
	Body   string       `cass:"body"`
	Tags   []string     `cass:"tags,set"`
	Bio    string       `cass:"bio,static"`
	Home   modelAddress `cass:"home"`
	State  string       `cass:"state,index"`
	Likes  int64        `cass:"likes"`
}

func (modelPostV2Flat) CFName() string { return "posts" }

// A model's table plans over CQL: the user type before the table, the
// table with its clustering order and static column, its index; planned
// again, nothing; a field added to the model, one add-column step.
func TestPlanCQLModels(t *testing.T) {
	ctx, db, ks := cqlSetup(t)
	p, err := PlanCQLModels(ctx, db, ks, orm.Model[modelPost]())
	must(t, err)
	want := []StepKind{StepCreateKeyspace, StepCreateType, StepCreateTable, StepCreateIndex}
	if got := kinds(p); !reflect.DeepEqual(got, want) {
		t.Fatalf("steps %v, want %v\n%s", got, want, p)
	}
	if s := strings.Join(p.Steps[2].CQL, "\n"); !strings.Contains(s, "CLUSTERING ORDER BY (posted DESC)") || !strings.Contains(s, "bio text STATIC") || !strings.Contains(s, "frozen<model_address>") {
		t.Fatalf("create table:\n%s", s)
	}
	must(t, p.Apply(ctx))
	if p, err = PlanCQLModels(ctx, db, ks, orm.Model[modelPost]()); err != nil || !p.Empty() {
		t.Fatalf("re-plan: %v\n%s", err, p)
	}

	p, err = PlanCQLModels(ctx, db, ks, orm.Model[modelPostV2Flat]())
	must(t, err)
	if got := kinds(p); !reflect.DeepEqual(got, []StepKind{StepAddColumn}) || p.Steps[0].Column != "likes" {
		t.Fatalf("add a field:\n%s", p)
	}
	must(t, p.Apply(ctx))
	// Both models together plan nothing more: they merge.
	if p, err = PlanCQLModels(ctx, db, ks, orm.Model[modelPost](), orm.Model[modelPostV2Flat]()); err != nil || !p.Empty() {
		t.Fatalf("re-plan both: %v\n%s", err, p)
	}
}

type modelSuper struct {
	User string    `cass:",key"`
	ID   uuid.UUID `cass:",super,type=TimeUUID"`
	Body string    `cass:"body,type=UTF8"`
}

type modelOtherKey struct {
	User string `cass:"user,partition"`
	Body string `cass:"body"`
}

func (modelOtherKey) CFName() string { return "posts" }

type modelBadTag struct {
	A string `cass:"a,type=Long"`
}

func TestCQLModelsSpecErrors(t *testing.T) {
	for name, models := range map[string][]orm.ModelDef{
		"tag error":   {orm.Model[modelBadTag]()},
		"super":       {orm.Model[modelSuper]()},
		"disagreeing": {orm.Model[modelPost](), orm.Model[modelOtherKey]()},
	} {
		_, err := CQLModelsSpec("ks", models...)
		var se *SpecError
		if !errors.As(err, &se) {
			t.Errorf("%s: %v, want a *SpecError", name, err)
		}
	}
	spec, err := CQLModelsSpec("ks", orm.Model[modelPost](), orm.Model[modelPostV2Flat]())
	must(t, err)
	if len(spec.Tables) != 1 || len(spec.Tables[0].Columns) != 8 || len(spec.Types) != 1 || spec.Types[0].Name != "model_address" {
		t.Fatalf("merged spec %+v", spec)
	}
}
