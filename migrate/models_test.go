package migrate_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/orm"
	"github.com/cassa-go/cassa/orm/tags"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

type mUser struct {
	Name  string `cass:",key"`
	Full  string `cass:"full_name"`
	State string `cass:"state,index"`
	Born  int64  `cass:"birthdate,type=Long,index"`
	Blob  []byte `cass:"blob"`
}

func (mUser) CFName() string { return "Users" }

// mUserV2 is mUser one release later: a new indexed column.
type mUserV2 struct {
	Name  string `cass:",key"`
	Full  string `cass:"full_name"`
	State string `cass:"state,index"`
	Born  int64  `cass:"birthdate,type=Long,index"`
	Blob  []byte `cass:"blob"`
	City  string `cass:"city,index"`
}

func (mUserV2) CFName() string { return "Users" }

// mUserName reads only part of a Users row.
type mUserName struct {
	Name string `cass:",key"`
	Full string `cass:"full_name"`
}

func (mUserName) CFName() string { return "Users" }

// mUserBlob disagrees with mUser about full_name, a column that gets
// column metadata in mUser only.
type mUserBlob struct {
	Name string `cass:",key"`
	Full []byte `cass:"full_name"`
}

func (mUserBlob) CFName() string { return "Users" }

// mUserClash disagrees with mUser about the type of birthdate.
type mUserClash struct {
	Name string `cass:",key"`
	Born string `cass:"birthdate"`
}

func (mUserClash) CFName() string { return "Users" }

type mTweet struct {
	User string    `cass:",key"`
	ID   uuid.UUID `cass:",super,type=TimeUUID"`
	Body string    `cass:"body"`
	At   time.Time `cass:"at"`
}

func (mTweet) CFName() string { return "Tweets" }

type mCounts struct {
	User   string `cass:",key"`
	Tweets int64  `cass:"tweets,type=Counter"`
	Likes  int64  `cass:"likes,type=Counter"`
}

func (mCounts) CFName() string { return "Counts" }

type mBad struct {
	Name string `cass:",key"`
	Age  string `cass:"age,type=Long"`
}

func TestModelsSpec(t *testing.T) {
	spec, err := migrate.ModelsSpec("KS", orm.Model[mUser](), orm.Model[mTweet](), orm.Model[mCounts]())
	if err != nil {
		t.Fatal(err)
	}
	if spec.Name != "KS" || len(spec.Tables) != 3 || spec.OwnsKeyspace {
		t.Fatalf("spec = %+v", spec)
	}
	class := func(v any) string {
		if v == nil {
			return ""
		}
		return codec.ShortName(v.(codec.Type))
	}
	tests := []struct {
		table, comparator, sub, key, def string
		super                            bool
		columns                          []string // name:validator[:index]
	}{
		{"Users", "UTF8Type", "", "UTF8Type", "BytesType", false,
			[]string{"full_name:UTF8Type", "state:UTF8Type:index", "birthdate:LongType:index"}},
		{"Tweets", "TimeUUIDType", "UTF8Type", "UTF8Type", "BytesType", true,
			[]string{"body:UTF8Type", "at:DateType"}},
		{"Counts", "UTF8Type", "", "UTF8Type", "CounterColumnType", false, nil},
	}
	for i, tt := range tests {
		tb := spec.Tables[i]
		t.Run(tt.table, func(t *testing.T) {
			if tb.Name != tt.table || tb.Super != tt.super {
				t.Fatalf("table %q super %v", tb.Name, tb.Super)
			}
			got := []string{class(tb.Comparator), class(tb.Subcomparator), class(tb.KeyValidation), class(tb.DefaultValidation)}
			want := []string{tt.comparator, tt.sub, tt.key, tt.def}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("types = %v, want %v", got, want)
			}
			var cols []string
			for _, c := range tb.Columns {
				s := c.Name.(string) + ":" + class(c.Validator)
				if c.Index {
					s += ":index"
				}
				cols = append(cols, s)
			}
			if strings.Join(cols, " ") != strings.Join(tt.columns, " ") {
				t.Errorf("columns = %v, want %v", cols, tt.columns)
			}
		})
	}
}

func TestModelsSpecErrors(t *testing.T) {
	tests := []struct {
		name   string
		models []orm.ModelDef
		want   string
	}{
		{"tag error", []orm.ModelDef{orm.Model[mBad]()}, "models[0]"},
		{"no name", []orm.ModelDef{{GoType: "x"}}, "names no column family"},
		{"clash", []orm.ModelDef{orm.Model[mUser](), orm.Model[mUserClash]()}, "birthdate"},
		{"clash without metadata", []orm.ModelDef{orm.Model[mUser](), orm.Model[mUserBlob]()}, "full_name"},
		{"clash without metadata, reversed", []orm.ModelDef{orm.Model[mUserBlob](), orm.Model[mUser]()}, "full_name"},
		{"super vs standard", []orm.ModelDef{orm.Model[mUser](), func() orm.ModelDef {
			d := orm.Model[mTweet]()
			d.Name = "Users"
			return d
		}()}, "super"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := migrate.ModelsSpec("KS", tt.models...)
			var se *migrate.SpecError
			if !errors.As(err, &se) || !errors.Is(err, migrate.ErrInvalidSpec) {
				t.Fatalf("err = %v, want a *SpecError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	_, err := migrate.ModelsSpec("KS", orm.Model[mBad]())
	var te *tags.TagError
	if !errors.As(err, &te) || !errors.Is(err, tags.ErrType) {
		t.Errorf("tag error not wrapped: %v", err)
	}
}

func TestModelsSpecMerge(t *testing.T) {
	spec, err := migrate.ModelsSpec("KS", orm.Model[mUserName](), orm.Model[mUser]())
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Tables) != 1 || len(spec.Tables[0].Columns) != 3 {
		t.Fatalf("merged spec = %+v", spec.Tables)
	}
}

// connect starts an embedded server and returns a SystemManager on it.
func connect(t *testing.T) (context.Context, *migrate.SystemManager, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	srv := cassatest.Start(t)
	sys, err := migrate.Connect(ctx, pool.Config{Servers: []string{srv.Addr()}, PoolSize: 2},
		migrate.AgreementPoll(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sys.Close(context.Background()) })
	return ctx, sys, srv.Addr()
}

func kinds(p *migrate.Plan) map[migrate.StepKind]int {
	n := map[migrate.StepKind]int{}
	for _, s := range p.Steps {
		n[s.Kind]++
	}
	return n
}

func TestPlanModels(t *testing.T) {
	ctx, sys, addr := connect(t)
	models := []orm.ModelDef{orm.Model[mUser](), orm.Model[mTweet](), orm.Model[mCounts]()}

	plan, err := migrate.PlanModels(ctx, sys, "Models", models...)
	if err != nil {
		t.Fatal(err)
	}
	k := kinds(plan)
	if k[migrate.StepCreateKeyspace] != 1 || k[migrate.StepAddColumnFamily] != 3 {
		t.Fatalf("plan for a new keyspace:\n%v", plan)
	}
	if err := plan.Apply(ctx); err != nil {
		t.Fatalf("apply: %v\n%v", err, plan)
	}

	// The live schema now matches: planning again finds nothing to do.
	again, err := migrate.PlanModels(ctx, sys, "Models", models...)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() {
		t.Fatalf("re-plan is not empty:\n%v", again)
	}

	// The mappers agree with what was created, indexes included.
	db, err := pool.Open(ctx, pool.Config{Servers: []string{addr}, Keyspace: "Models", PoolSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	for _, v := range []interface{ Verify(context.Context) error }{
		orm.Map[mUser, string](db, "Users"), orm.Map[mTweet, string](db, "Tweets"), orm.Map[mCounts, string](db, "Counts"),
	} {
		if err := v.Verify(ctx); err != nil {
			t.Errorf("verify: %v", err)
		}
	}
	cf, err := columnfamily.Open(ctx, db, "Users")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cf.Insert(ctx, "ann", columnfamily.Cols{"state": "UT", "birthdate": int64(1980)}); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range cf.GetIndexedSlices(ctx, query.Where("state").Eq("UT")) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("index query found %d rows, want 1", n)
	}

	// A model change shows as its steps (column metadata, then the index), and applying it empties the plan again.
	changed, err := migrate.PlanModels(ctx, sys, "Models", orm.Model[mUserV2](), orm.Model[mTweet](), orm.Model[mCounts]())
	if err != nil {
		t.Fatal(err)
	}
	k = kinds(changed)
	if len(changed.Steps) != 2 || k[migrate.StepAddColumn] != 1 || k[migrate.StepCreateIndex] != 1 {
		t.Fatalf("plan after adding an indexed column:\n%v", changed)
	}
	for _, s := range changed.Steps {
		if s.ColumnFamily != "Users" || !strings.Contains(s.String(), "city") {
			t.Errorf("step %v is not about Users.city", s)
		}
	}
	if err := changed.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	if again, err = migrate.PlanModels(ctx, sys, "Models", orm.Model[mUserV2]()); err != nil || !again.Empty() {
		t.Fatalf("after applying the change: %v\n%v", err, again)
	}
}

func TestPlanModelsTagError(t *testing.T) {
	ctx, sys, _ := connect(t)
	if _, err := migrate.PlanModels(ctx, sys, "Models", orm.Model[mBad]()); !errors.Is(err, migrate.ErrInvalidSpec) {
		t.Fatalf("err = %v, want ErrInvalidSpec", err)
	}
}
