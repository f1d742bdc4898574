package orm_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm"
)

// Named names its column family.
type Named struct {
	Key string `cass:",key"`
	A   string `cass:"a,index"`
}

func (Named) CFName() string { return "NamedCF" }

func TestModel(t *testing.T) {
	d := orm.Model[User]()
	noErr(t, d.Err)
	equal(t, "name", d.Name, "User")
	if d.Super || d.Counter || d.Comparator != codec.UTF8 || d.Subcomparator != nil ||
		d.KeyValidation != codec.UTF8 || d.DefaultValidation != codec.Bytes {
		t.Fatalf("model: %+v", d)
	}
	var cols []string
	for _, c := range d.Columns {
		cols = append(cols, c.Name+":"+codec.ShortName(c.Validator))
		if (c.Name == "state" || c.Name == "birthdate") != c.Index {
			t.Errorf("index flag of %s", c.Name)
		}
	}
	equal(t, "columns", cols, []string{"name:UTF8Type", "state:UTF8Type", "birthdate:LongType",
		"age:IntegerType", "height:FloatType", "joined:DateType", "credit:DecimalType"})
	equal(t, "default", d.Columns[3].Default, int(0))

	tw := orm.Model[Tweet]()
	if !tw.Super || tw.Comparator != codec.TimeUUID || tw.Subcomparator != codec.UTF8 {
		t.Fatalf("super model: %+v", tw)
	}
	c := orm.Model[Clicks]()
	if !c.Counter || c.DefaultValidation != codec.CounterColumn {
		t.Fatalf("counter model: %+v", c)
	}
	equal(t, "CFName", orm.Model[Named]().Name, "NamedCF")

	e := newEnv(t)
	equal(t, "mapper model name", orm.Map[User, string](e.pool, "Users").Model().Name, "Users")
}

func TestVerify(t *testing.T) {
	e := newEnv(t)
	// Models that match their column families.
	noErr(t, orm.Map[User, string](e.pool, "Users").Verify(bg))
	noErr(t, orm.Map[Tweet, string](e.pool, "Tweets").Verify(bg))
	noErr(t, orm.Map[Clicks, string](e.pool, "Counts").Verify(bg))
	noErr(t, orm.Map[DailyClicks, string](e.pool, "SuperCounts").Verify(bg))
	must[*orm.Mapper[User, string]](t)(orm.Open[User, string](bg, e.pool, "Users", orm.Verified()))

	// A model that differs in every way Verify checks.
	type Wrong struct {
		ID    int64  `cass:",key"`                   // key: LongType vs UTF8Type
		Name  int64  `cass:"name"`                   // validator: LongType vs UTF8Type
		State string `cass:"state"`                  // not indexed, live is
		Age   int64  `cass:"age,type=Integer,index"` // indexed, live is not
		Extra string `cass:"extra"`                  // no metadata: default BytesType
	}
	err := orm.Map[Wrong, int64](e.pool, "Users").Verify(bg)
	var ve *orm.VerifyError
	if !errors.As(err, &ve) || !errors.Is(err, orm.ErrSchemaDiff) {
		t.Fatalf("want a VerifyError, got %v", err)
	}
	var what []string
	for _, d := range ve.Diffs {
		what = append(what, d.What)
	}
	equal(t, "diffs", what, []string{"key validation class", `column "name" validator`,
		`index on column "state"`, `index on column "age"`, `column "extra" validator`})
	for _, s := range []string{"Wrong", "Users", "LongType", "UTF8Type", "not indexed"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("message does not mention %q:\n%v", s, err)
		}
	}
	// Verified makes such differences fatal when opening.
	if _, err := orm.Open[Wrong, int64](bg, e.pool, "Users", orm.Verified()); !errors.As(err, &ve) {
		t.Fatalf("Open Verified: %v", err)
	}
	// Without Verified the mapper still works where it can.
	must[*orm.Mapper[Wrong, int64]](t)(orm.Open[Wrong, int64](bg, e.pool, "Users"))

	// Structural differences.
	tests := []struct {
		name  string
		err   error
		diffs []string
	}{
		{"super on standard", orm.Map[Tweet, string](e.pool, "Plain").Verify(bg), []string{"column type", "comparator (super column names)", `column "body" validator`, `column "seen" validator`}},
		{"standard on super", orm.Map[Extra, string](e.pool, "Tweets").Verify(bg), []string{"column type", `column "col" validator`}},
		{"counter on plain", orm.Map[Clicks, string](e.pool, "Plain").Verify(bg), []string{"counter column family", `column "views" validator`, `column "likes" validator`}},
		{"long comparator", orm.Map[Extra, string](e.pool, "LongNames").Verify(bg), []string{"comparator (column names)", `column "col" validator`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ve *orm.VerifyError
			if !errors.As(tc.err, &ve) {
				t.Fatalf("want a VerifyError, got %v", tc.err)
			}
			var what []string
			for _, d := range ve.Diffs {
				what = append(what, d.What)
			}
			if !reflect.DeepEqual(what, tc.diffs) {
				t.Fatalf("diffs %q, want %q\n%v", what, tc.diffs, tc.err)
			}
		})
	}
	if err := orm.Map[User, string](e.pool, "Nope").Verify(bg); err == nil {
		t.Fatal("missing column family verified")
	}
}
