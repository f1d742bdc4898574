package tags

import (
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

type Base struct {
	Created time.Time `cass:"created"`
	Note    string    `cass:"note,default=none"`
}

type base2 struct {
	Hidden string `cass:"hidden"`
}

type User struct {
	Base
	base2
	ID      uuid.UUID         `cass:",key"`
	Name    string            `cass:"name,type=UTF8"`
	State   string            `cass:"state,type=UTF8,index"`
	Born    int64             `cass:"birthdate,type=Long,index"`
	Age     int               `cass:"age,type=Integer,default=0"`
	Height  float32           `cass:"height,type=Float"`
	Credit  decimal.Decimal   `cass:"credit,type=Decimal"`
	Note    string            `cass:"note"` // overrides Base's column "note"
	Plain   bool              // untagged: column "Plain"
	Extra   map[string][]byte `cass:",raw"`
	Life    time.Duration     `cass:",ttl"`
	Skipped chan int          `cass:"-"`
	private int
}

func TestParseStructUser(t *testing.T) {
	s, err := ParseStruct(reflect.TypeFor[*User]())
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "User" || s.Type != reflect.TypeFor[User]() {
		t.Fatal(s.Name, s.Type)
	}
	want := "created hidden name state birthdate age height credit note Plain"
	if got := strings.Join(s.Names(), " "); got != want {
		t.Fatalf("columns %q, want %q", got, want)
	}
	if s.Key == nil || s.Key.GoName != "ID" || s.Raw == nil || s.TTL == nil || s.Super != nil {
		t.Fatalf("roles: %+v", s)
	}
	note, ok := s.Column("note")
	if !ok || note.Struct != "User" || note.HasDefault {
		t.Fatalf("note should be User's own field: %+v", note)
	}
	created, _ := s.Column("created")
	if !reflect.DeepEqual(created.Index, []int{0, 0}) || created.Struct != "Base" {
		t.Fatalf("created: %+v", created)
	}
	hidden, _ := s.Column("hidden")
	if !reflect.DeepEqual(hidden.Index, []int{1, 0}) {
		t.Fatalf("hidden index %v", hidden.Index)
	}
	// Index paths reach the fields through reflect.
	var u User
	v := reflect.ValueOf(&u).Elem()
	for _, f := range s.Columns {
		if fv := v.FieldByIndex(f.Index); !fv.CanSet() || fv.Type() != f.GoType {
			t.Fatalf("%s: field by index %v not settable or of type %s", f.Name, f.Index, fv.Type())
		}
	}
	if _, ok := s.Column("nope"); ok {
		t.Fatal("found nope")
	}
	if got := strings.Join(s.Indexed(), ","); got != "state,birthdate" {
		t.Fatal(got)
	}
	if err := s.RequireKey(); err != nil {
		t.Fatal(err)
	}
}

func TestParseStructSuper(t *testing.T) {
	type Tweet struct {
		User string    `cass:",key"`
		ID   uuid.UUID `cass:",super,type=TimeUUID"`
		Body string    `cass:"body,type=UTF8"`
	}
	s, err := ParseStruct(reflect.TypeFor[Tweet]())
	if err != nil {
		t.Fatal(err)
	}
	if s.Super == nil || s.Super.GoName != "ID" || len(s.Columns) != 1 {
		t.Fatalf("%+v", s)
	}
}

type Inner struct {
	A string `cass:"a"`
}
type Middle struct {
	Inner
	B string `cass:"b"`
}
type Outer struct {
	Middle
	A int64 `cass:"a"` // shallower: overrides Inner.A
}

func TestParseStructDeepEmbedding(t *testing.T) {
	s, err := ParseStruct(reflect.TypeFor[Outer]())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.Column("a")
	if a.Struct != "Outer" || a.BaseType != reflect.TypeFor[int64]() {
		t.Fatalf("%+v", a)
	}
	b, _ := s.Column("b")
	if !reflect.DeepEqual(b.Index, []int{0, 1}) {
		t.Fatal(b.Index)
	}
	if err := s.RequireKey(); !errors.Is(err, ErrNoKey) || !strings.Contains(err.Error(), "Outer") {
		t.Fatalf("RequireKey: %v", err)
	}
}

type KeyA struct {
	K string `cass:",key"`
}
type KeyB struct {
	K2 string `cass:",key"`
}
type SameA struct {
	X string `cass:"x"`
}
type SameB struct {
	Y string `cass:"x"`
}

func TestParseStructErrors(t *testing.T) {
	tests := []struct {
		name string
		typ  reflect.Type
		err  error
		text string
	}{
		{"not a struct", reflect.TypeFor[int](), ErrType, "not a struct"},
		{"nil", nil, ErrType, "not a struct"},
		{"duplicate column", reflect.TypeFor[struct {
			A string `cass:"x"`
			B string `cass:"x"`
		}](), ErrConflict, `column "x" is also mapped by`},
		{"duplicate through embedding", reflect.TypeFor[struct {
			SameA
			SameB
		}](), ErrConflict, "SameA.X"},
		{"two unnamed keys clash with a column", reflect.TypeFor[struct {
			A string `cass:",key"`
			B string `cass:",key"`
			C string `cass:"key2"`
		}](), ErrConflict, `column "key2" is also mapped by`},
		{"clustering named like a column", reflect.TypeFor[struct {
			A string `cass:",key"`
			B string `cass:"x,clustering"`
			C string `cass:"x"`
		}](), ErrConflict, `column "x" is also mapped by`},
		{"clustering and super", reflect.TypeFor[struct {
			A  string `cass:",key"`
			SC string `cass:",super"`
			B  string `cass:"b,clustering"`
		}](), ErrConflict, "two forms of a wide row"},
		{"clustering and raw", reflect.TypeFor[struct {
			A string            `cass:",key"`
			B string            `cass:"b,clustering"`
			R map[string][]byte `cass:",raw"`
		}](), ErrConflict, "no raw field"},
		{"static without clustering", reflect.TypeFor[struct {
			A string `cass:",key"`
			S string `cass:"s,static"`
		}](), ErrConflict, "static column needs clustering"},
		{"two raws", reflect.TypeFor[struct {
			A map[string][]byte `cass:",raw"`
			B map[string]any    `cass:",raw"`
		}](), ErrConflict, "second raw"},
		{"bad field tag", reflect.TypeFor[struct {
			A string `cass:"a,type=Long"`
		}](), ErrType, ".A (cass:"},
		{"tagged unexported", reflect.TypeFor[struct {
			a string `cass:"a"`
		}](), ErrConflict, "unexported"},
		{"embedded pointer", reflect.TypeFor[struct {
			*Inner
		}](), ErrType, "embedded pointer *Inner"},
		{"counter mixed with plain", reflect.TypeFor[struct {
			Hits  int64  `cass:"hits,type=Counter"`
			Title string `cass:"title"`
		}](), ErrConflict, `column "title" is not a counter`},
		{"counter with ttl", reflect.TypeFor[struct {
			Hits int64 `cass:"hits,type=Counter"`
			Life int   `cass:",ttl"`
		}](), ErrConflict, "counters have no TTL"},
		{"index in a super model", reflect.TypeFor[struct {
			SC   string `cass:",super"`
			Body string `cass:"body,index"`
		}](), ErrConflict, "no secondary indexes on those"},
		{"untagged unsupported type", reflect.TypeFor[struct {
			C chan int
		}](), ErrType, "no marshal type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseStruct(tc.typ)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v is not %v", err, tc.err)
			}
			var te *TagError
			if !errors.As(err, &te) {
				t.Fatalf("%T", err)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("%q lacks %q", err, tc.text)
			}
		})
	}
}

func TestParseStructValueEmbeds(t *testing.T) {
	type Stamp struct {
		time.Time // a value: column "Time"
		big.Int   `cass:"n"`
		*base2                              // unexported pointer: ignored
		Inner     `cass:"inner,type=Bytes"` // tagged embedded struct: a field, which Bytes cannot hold
	}
	_, err := ParseStruct(reflect.TypeFor[Stamp]())
	if !errors.Is(err, ErrType) || !strings.Contains(err.Error(), "Stamp.Inner") {
		t.Fatalf("%v", err)
	}
	type Stamp2 struct {
		time.Time
		big.Int `cass:"n"`
		*base2
	}
	s, err := ParseStruct(reflect.TypeFor[Stamp2]())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Columns) != 2 || s.Columns[0].Name != "Time" || s.Columns[1].Name != "n" {
		t.Fatalf("%+v", s.Columns)
	}
}

func BenchmarkParse(b *testing.B) {
	typ := reflect.TypeFor[int64]()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("User", "Born", typ, "birthdate,type=Long,index,default=1970"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseStruct(b *testing.B) {
	typ := reflect.TypeFor[User]()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseStruct(typ); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseStructCounter(t *testing.T) {
	type Stats struct {
		Page  string `cass:",key"`
		Hits  int64  `cass:"hits,type=Counter"`
		Likes int64  `cass:"likes,type=CounterColumnType,default=0"`
	}
	s, err := ParseStruct(reflect.TypeFor[Stats]())
	if err != nil {
		t.Fatal(err)
	}
	if !s.Counter || len(s.Columns) != 2 {
		t.Fatalf("%+v", s)
	}
	if u, _ := ParseStruct(reflect.TypeFor[User]()); u.Counter {
		t.Fatal("User is not a counter model")
	}
}

// The models of DESIGN.md, verbatim.
type designUser struct {
	ID     uuid.UUID         `cass:",key"`
	Name   string            `cass:"name,type=UTF8"`
	State  string            `cass:"state,type=UTF8,index"`
	Born   int64             `cass:"birthdate,type=Long,index"`
	Age    int               `cass:"age,type=Integer,default=0"`
	Height float32           `cass:"height,type=Float"`
	Joined time.Time         `cass:"joined,type=Date"`
	Credit decimal.Decimal   `cass:"credit,type=Decimal"`
	Extra  map[string][]byte `cass:",raw"`
}

type designTweet struct {
	User string    `cass:",key"`
	ID   uuid.UUID `cass:",super,type=TimeUUID"`
	Body string    `cass:"body,type=UTF8"`
}

func TestDesignModels(t *testing.T) {
	u, err := ParseStruct(reflect.TypeFor[designUser]())
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, f := range u.Columns {
		got = append(got, f.Name+":"+f.Type.Class()[len("org.apache.cassandra.db.marshal."):])
	}
	want := "name:UTF8Type state:UTF8Type birthdate:LongType age:IntegerType height:FloatType joined:DateType credit:DecimalType"
	if strings.Join(got, " ") != want {
		t.Fatalf("%v", got)
	}
	if u.Key.Type.Class() != "org.apache.cassandra.db.marshal.UUIDType" || u.Raw == nil || u.Raw.RawAny {
		t.Fatalf("%+v", u)
	}
	age, _ := u.Column("age")
	if age.Default != 0 {
		t.Fatal(age.Default)
	}
	tw, err := ParseStruct(reflect.TypeFor[designTweet]())
	if err != nil {
		t.Fatal(err)
	}
	if tw.Super.Type.Class() != "org.apache.cassandra.db.marshal.TimeUUIDType" || tw.Key.GoName != "User" {
		t.Fatalf("%+v", tw)
	}
}
