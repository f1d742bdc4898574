package tags

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/codec"
)

type Address struct {
	Street string
	City   string `cass:"city"`
	Zip    *int32 `cass:"zip,type=int"`
}

type HomeAddress struct {
	Lines []string
	Geo   Point
}

type Point struct{ X, Y float64 }

type pair struct {
	N int32
	S string
}

type Loop struct {
	Next []Loop
}

// TestCQLTypes: the CQL type names and the collections, tuples and user
// types that type= writes or the Go type implies, as Cassandra prints them.
func TestCQLTypes(t *testing.T) {
	tests := []struct {
		name  string
		goTyp reflect.Type
		tag   string
		cql   string
	}{
		{"text", typeOf[string](), "n,type=text", "text"},
		{"varchar", typeOf[string](), "n,type=varchar", "text"},
		{"timeuuid", typeOf[uuid.UUID](), "n,type=timeuuid", "timeuuid"},
		{"CQL date", typeOf[time.Time](), "n,type=date", "date"},
		{"class Date is the legacy timestamp", typeOf[time.Time](), "n,type=Date", "timestamp"},
		{"time of day", typeOf[time.Duration](), "n,type=time", "time"},
		{"smallint", typeOf[int16](), "n,type=smallint", "smallint"},
		{"tinyint", typeOf[int8](), "n,type=tinyint", "tinyint"},
		{"duration", typeOf[time.Duration](), "n,type=duration", "duration"},
		{"duration value", typeOf[codec.DurationValue](), "n", "duration"},
		{"inferred list", typeOf[[]string](), "n", "list<text>"},
		{"inferred map", typeOf[map[string]int64](), "n", "map<text, bigint>"},
		{"inferred set", typeOf[map[uuid.UUID]struct{}](), "n", "set<uuid>"},
		{"set option", typeOf[[]int32](), "n,set", "set<int>"},
		{"frozen option", typeOf[[]int32](), "n,frozen", "frozen<list<int>>"},
		{"list<int>", typeOf[[]int32](), "n,type=list<int>", "list<int>"},
		{"set<text> on a slice", typeOf[[]string](), "n,type=set<text>", "set<text>"},
		{"frozen map of lists", typeOf[map[string][]int32](), "n,type=map<text, frozen<list<int>>>", "map<text, frozen<list<int>>>"},
		{"nested frozen automatically", typeOf[[][]string](), "n", "list<frozen<list<text>>>"},
		{"tuple struct", typeOf[pair](), "n,type=tuple<int, text>", "frozen<tuple<int, text>>"},
		{"tuple any", typeOf[[]any](), "n,type=tuple<int,text>", "frozen<tuple<int, text>>"},
		{"inferred user type", typeOf[Address](), "n", "frozen<address>"},
		{"named user type", typeOf[Address](), "n,type=frozen<addr>", "frozen<addr>"},
		{"non-frozen user type", typeOf[Address](), "n,type=addr", "addr"},
		{"snake case", typeOf[HomeAddress](), "n", "frozen<home_address>"},
		{"list of user types", typeOf[[]Address](), "n", "list<frozen<address>>"},
		{"key is frozen", typeOf[[]string](), ",key", "frozen<list<text>>"},
		{"clustering desc", typeOf[time.Time](), "ts,clustering=desc,type=timestamp", "timestamp"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("S", "F", tc.goTyp, tc.tag)
			if err != nil {
				t.Fatal(err)
			}
			if got := codec.CQLName(f.Type); got != tc.cql {
				t.Fatalf("type %s, want %s", got, tc.cql)
			}
		})
	}
	f, err := Parse("S", "F", typeOf[time.Time](), "ts,clustering=DESC")
	if err != nil || f.Role != Clustering || !f.Descending || f.Name != "ts" {
		t.Fatalf("%+v %v", f, err)
	}
	u, err := UserTypeOf(typeOf[Address](), "address")
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Type.FieldNames(); !reflect.DeepEqual(got, []string{"Street", "city", "zip"}) {
		t.Fatal(got)
	}
	if got := codec.CQLName(u.Type.FieldTypes()[2]); got != "int" {
		t.Fatal(got)
	}
	h, err := UserTypeOf(typeOf[HomeAddress](), "home_address")
	if err != nil {
		t.Fatal(err)
	}
	if got := codec.CQLName(h.Type.FieldTypes()[1]); got != "frozen<point>" {
		t.Fatal(got)
	}
}

func TestCQLTypeErrors(t *testing.T) {
	tests := []struct {
		name  string
		goTyp reflect.Type
		tag   string
		err   error
		text  string
	}{
		{"list on a string", typeOf[string](), "n,type=list<text>", ErrType, "use a slice"},
		{"map on a slice", typeOf[[]string](), "n,type=map<text, text>", ErrType, "use a map"},
		{"element mismatch", typeOf[[]string](), "n,type=list<int>", ErrType, "cannot be stored in a Go string"},
		{"tuple arity", typeOf[pair](), "n,type=tuple<int>", ErrType, "has 1 components"},
		{"list arity", typeOf[[]int](), "n,type=list<int, int>", ErrType, "takes 1 type parameter"},
		{"unclosed", typeOf[[]int](), "n,type=list<int", ErrSyntax, "unbalanced '<'"},
		{"unopened", typeOf[[]int](), "n,type=list<int>>", ErrSyntax, "unbalanced '>'"},
		{"missing bracket", typeOf[[]int](), "n,type=list<int x>", ErrType, "'>' expected"},
		{"unknown CQL name", typeOf[[]int](), "n,type=list<integerish>", ErrType, "unknown type"},
		{"user type on a string", typeOf[string](), "n,type=frozen<address>", ErrType, "unknown type address"},
		{"recursive user type", typeOf[Loop](), "n", ErrType, "contains itself"},
		{"set on a map", typeOf[map[string]int](), "n,set", ErrType, "set applies to a list"},
		{"static on a key", typeOf[string](), ",key,static", ErrConflict, "static applies to columns"},
		{"clustering order", typeOf[string](), "c,clustering=up", ErrSyntax, "want asc or desc"},
		{"pointer clustering", typeOf[*string](), "c,clustering", ErrType, "cannot be a pointer"},
		{"vector", typeOf[[]float32](), "n,type=vector<float, 3>", ErrType, "not supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("User", "Field", tc.goTyp, tc.tag)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v is not %v", err, tc.err)
			}
			var te *TagError
			if !errors.As(err, &te) {
				t.Fatalf("not a *TagError: %#v", err)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("message %q lacks %q", err, tc.text)
			}
		})
	}
}

type Timeline struct {
	User   string    `cass:"user,partition"`
	Day    string    `cass:"day,partition"`
	Posted uuid.UUID `cass:"posted,clustering=desc,type=timeuuid"`
	Seq    int32     `cass:"seq,clustering"`
	Owner  string    `cass:"owner,static"`
	Body   string    `cass:"body"`
	Tags   []string  `cass:"tags,type=set<text>"`
}

func TestParseStructPrimaryKey(t *testing.T) {
	s, err := ParseStruct(typeOf[Timeline]())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.PartitionKey) != 2 || s.Key != &s.PartitionKey[0] || s.KeyColumn(1) != "day" {
		t.Fatalf("partition key %+v", s.PartitionKey)
	}
	if len(s.Clustering) != 2 || !s.Clustering[0].Descending || s.Clustering[1].Descending {
		t.Fatalf("clustering %+v", s.Clustering)
	}
	if names := s.Names(); !reflect.DeepEqual(names, []string{"owner", "body", "tags"}) {
		t.Fatal(names)
	}
	if !s.Columns[0].Static {
		t.Fatal("owner is not static")
	}
	type unnamed struct {
		A string `cass:",key"`
		B int64  `cass:",key"`
	}
	u, err := ParseStruct(typeOf[unnamed]())
	if err != nil || u.KeyColumn(0) != "key" || u.KeyColumn(1) != "key2" || u.KeyColumn(2) != "" {
		t.Fatalf("%v %v", u, err)
	}
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{"Address": "address", "HomeAddress": "home_address",
		"HTTPServer": "http_server", "V2Point": "v2_point", "already_snake": "already_snake", "ID": "id"} {
		if got := SnakeCase(in); got != want {
			t.Errorf("SnakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}
