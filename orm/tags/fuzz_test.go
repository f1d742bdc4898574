package tags

import (
	"math/big"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/codec"
)

// fuzzTypes are the Go types the fuzzer parses tags against.
var fuzzTypes = []reflect.Type{
	reflect.TypeFor[string](), reflect.TypeFor[[]byte](), reflect.TypeFor[int](),
	reflect.TypeFor[int8](), reflect.TypeFor[uint64](), reflect.TypeFor[float32](),
	reflect.TypeFor[bool](), reflect.TypeFor[time.Time](), reflect.TypeFor[time.Duration](),
	reflect.TypeFor[uuid.UUID](), reflect.TypeFor[*big.Int](), reflect.TypeFor[codec.Tuple](),
	reflect.TypeFor[any](), reflect.TypeFor[map[string][]byte](), reflect.TypeFor[*string](),
	reflect.TypeFor[struct{ A int }](), reflect.TypeFor[[]string](), reflect.TypeFor[map[string]int32](),
	reflect.TypeFor[map[string]struct{}](), reflect.TypeFor[Address](), reflect.TypeFor[pair](),
	reflect.TypeFor[[]Address](), reflect.TypeFor[Loop](),
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "-", "-,", "name", "name,type=UTF8", ",key", ",super,type=TimeUUID", ",raw", ",ttl",
		"age,type=Integer,default=0", "tags,default='a,b'", "q,default='it''s'",
		"c,type=Composite(Long,Reversed(UTF8)),index,omitempty",
		"d,type=DynamicComposite(a=>Ascii,b=>Bytes)", "x,type=UTF8(reversed=true)",
		"n,type=org.apache.cassandra.db.marshal.LongType", "hits,type=Counter,default=0",
		"'a,b'", "n,type=Composite(", "n,default='", "n,,", "b,default=0xcafe",
		"t,default=2012-03-04T05:06:07Z", "u,default=6ba7b810-9dad-11d1-80b4-00c04fd430c8",
		"l,type=list<int>", "s,type=set<text>", "m,type=map<text, frozen<list<int>>>", "a,type=frozen<address>",
		"p,type=tuple<int, text>", "c,clustering=desc", "p,partition", "st,static", "f,frozen", "s,set",
		"d,type=date", "x,type=list<", "x,type=map<text>", "x,type=tuple<>", "x,type=\"Quoted\"",
	} {
		for i := range fuzzTypes {
			f.Add(s, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, tag string, ti uint8) {
		typ := fuzzTypes[int(ti)%len(fuzzTypes)]
		fd, err := Parse("S", "F", typ, tag)
		if err != nil {
			if _, ok := err.(*TagError); !ok {
				t.Fatalf("error %T is not *TagError", err)
			}
			if err.Error() == "" {
				t.Fatal("empty message")
			}
			return
		}
		if fd.Skip {
			return
		}
		if (fd.Role == Column || fd.Role == Key || fd.Role == Super) && fd.Type == nil {
			t.Fatalf("no type for %q on %s", tag, typ)
		}
		if fd.Role == Column && fd.Name == "" {
			t.Fatalf("column without a name for %q", tag)
		}
		if v, ok := fd.DefaultValue(); ok && !v.Type().AssignableTo(typ) {
			t.Fatalf("default %v not assignable to %s", v, typ)
		}
	})
}

// FuzzParseStruct builds a three-field struct type at run time with fuzzed
// tags and checks that ParseStruct answers with a spec or a *TagError.
func FuzzParseStruct(f *testing.F) {
	f.Add(",key", "name,type=UTF8", "name", uint8(0), uint8(1), uint8(2))
	f.Add(",key", ",key", "-", uint8(0), uint8(0), uint8(0))
	f.Add("a,index", "a", ",raw", uint8(0), uint8(0), uint8(13))
	f.Add(",super,type=TimeUUID", "b,default='x,y'", ",ttl", uint8(9), uint8(0), uint8(2))
	f.Fuzz(func(t *testing.T, t1, t2, t3 string, y1, y2, y3 uint8) {
		tags := []string{t1, t2, t3}
		types := []uint8{y1, y2, y3}
		var fields []reflect.StructField
		for i := range tags {
			fields = append(fields, reflect.StructField{
				Name: string(rune('A' + i)),
				Type: fuzzTypes[int(types[i])%len(fuzzTypes)],
				Tag:  reflect.StructTag(`cass:"` + escapeTag(tags[i]) + `"`),
			})
		}
		typ := reflect.StructOf(fields)
		s, err := ParseStruct(typ)
		if err != nil {
			if _, ok := err.(*TagError); !ok {
				t.Fatalf("error %T is not *TagError", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, c := range s.Columns {
			if seen[c.Name] {
				t.Fatalf("column %q twice", c.Name)
			}
			seen[c.Name] = true
			if fc, ok := s.Column(c.Name); !ok || fc.GoName != c.GoName {
				t.Fatalf("Column(%q) lookup broken", c.Name)
			}
		}
	})
}

// escapeTag writes s so that StructTag.Get gives it back.
func escapeTag(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
