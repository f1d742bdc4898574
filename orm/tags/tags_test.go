package tags

import (
	"errors"
	"math/big"
	"net"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/cassa-go/cassa/codec"
)

type (
	myString string
	myInt    int16
	myUUID   [16]byte
)

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

func TestParseTypes(t *testing.T) {
	tests := []struct {
		name  string
		goTyp reflect.Type
		tag   string
		want  string // short name of the resulting type
	}{
		// Inference.
		{"string", typeOf[string](), "", "UTF8Type"},
		{"named string", typeOf[myString](), "", "UTF8Type"},
		{"bytes", typeOf[[]byte](), "", "BytesType"},
		{"int", typeOf[int](), "", "LongType"},
		{"int64", typeOf[int64](), "", "LongType"},
		{"int32", typeOf[int32](), "", "Int32Type"},
		{"int16 named", typeOf[myInt](), "", "Int32Type"},
		{"int8", typeOf[int8](), "", "Int32Type"},
		{"uint8", typeOf[uint8](), "", "Int32Type"},
		{"uint16", typeOf[uint16](), "", "Int32Type"},
		{"uint32", typeOf[uint32](), "", "LongType"},
		{"uint64", typeOf[uint64](), "", "IntegerType"},
		{"uint", typeOf[uint](), "", "IntegerType"},
		{"float64", typeOf[float64](), "", "DoubleType"},
		{"float32", typeOf[float32](), "", "FloatType"},
		{"bool", typeOf[bool](), "", "BooleanType"},
		{"time", typeOf[time.Time](), "", "DateType"},
		{"duration", typeOf[time.Duration](), "", "LongType"},
		{"uuid", typeOf[uuid.UUID](), "", "UUIDType"},
		{"named uuid", typeOf[myUUID](), "", "UUIDType"},
		{"decimal", typeOf[decimal.Decimal](), "", "DecimalType"},
		{"big.Int", typeOf[big.Int](), "", "IntegerType"},
		{"*big.Int", typeOf[*big.Int](), "", "IntegerType"},
		{"net.IP", typeOf[net.IP](), "", "InetAddressType"},
		{"netip", typeOf[netip.Addr](), "", "InetAddressType"},
		{"*string", typeOf[*string](), "", "UTF8Type"},
		{"*time", typeOf[*time.Time](), "", "DateType"},
		// Declared.
		{"UTF8", typeOf[string](), "n,type=UTF8", "UTF8Type"},
		{"utf8 lower", typeOf[string](), "n,type=utf8", "UTF8Type"},
		{"Ascii", typeOf[string](), "n,type=AsciiType", "AsciiType"},
		{"UTF8 on bytes", typeOf[[]byte](), "n,type=UTF8", "UTF8Type"},
		{"Bytes on string", typeOf[string](), "n,type=Bytes", "BytesType"},
		{"Integer on int", typeOf[int](), "n,type=Integer", "IntegerType"},
		{"Int32 on int64", typeOf[int64](), "n,type=Int32", "Int32Type"},
		{"Long on uint64", typeOf[uint64](), "n,type=Long", "LongType"},
		{"Long on *big.Int", typeOf[*big.Int](), "n,type=Long", "LongType"},
		{"qualified", typeOf[int64](), "n,type=org.apache.cassandra.db.marshal.LongType", "LongType"},
		{"Timestamp", typeOf[time.Time](), "n,type=Timestamp", "TimestampType"},
		{"TimeUUID", typeOf[uuid.UUID](), "n,type=TimeUUID", "TimeUUIDType"},
		{"LexicalUUID", typeOf[uuid.UUID](), "n,type=LexicalUUIDType", "LexicalUUIDType"},
		{"Counter", typeOf[int64](), "n,type=Counter", "CounterColumnType"},
		{"CounterColumnType on int", typeOf[int](), "n,type=CounterColumnType", "CounterColumnType"},
		{"Reversed", typeOf[string](), "n,type=Reversed(UTF8)", "ReversedType(UTF8Type)"},
		{"Reversed fq", typeOf[string](), "n,type=org.apache.cassandra.db.marshal.ReversedType(org.apache.cassandra.db.marshal.UTF8Type)", "ReversedType(UTF8Type)"},
		{"Composite", typeOf[codec.Tuple](), "n,type=Composite(Long,UTF8)", "CompositeType(LongType, UTF8Type)"},
		{"Composite nested", typeOf[codec.Tuple](), "n,type=Composite(Long,Reversed(UTF8)),index", "CompositeType(LongType, ReversedType(UTF8Type))"},
		{"Composite []any", typeOf[[]any](), "n,type=CompositeType(LongType, UTF8Type)", "CompositeType(LongType, UTF8Type)"},
		{"DynamicComposite", typeOf[codec.Tuple](), "n,type=DynamicComposite(a=>Ascii,b=>Bytes)", "DynamicCompositeType(a=>AsciiType, b=>BytesType)"},
		{"reversed=true", typeOf[string](), "n,type=UTF8(reversed=true)", "ReversedType(UTF8Type)"},
		{"any field", typeOf[any](), "n,type=Long", "LongType"},
		{"Inet", typeOf[net.IP](), "n,type=Inet", "InetAddressType"},
		{"Decimal", typeOf[decimal.Decimal](), "n,type=Decimal", "DecimalType"},
		{"blanks", typeOf[string](), " n , type = UTF8 , index ", "UTF8Type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("S", "F", tc.goTyp, tc.tag)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := codec.ShortName(f.Type); got != tc.want {
				t.Fatalf("type = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParseOptions(t *testing.T) {
	tests := []struct {
		name  string
		goTyp reflect.Type
		tag   string
		check func(t *testing.T, f Field)
	}{
		{"empty name is the Go name", typeOf[string](), "", func(t *testing.T, f Field) {
			if f.Name != "F" || f.Role != Column {
				t.Fatalf("%+v", f)
			}
		}},
		{"name kept as written", typeOf[string](), "birthDate", func(t *testing.T, f Field) {
			if f.Name != "birthDate" {
				t.Fatal(f.Name)
			}
		}},
		{"quoted name", typeOf[string](), "'a,b',type=UTF8", func(t *testing.T, f Field) {
			if f.Name != "a,b" {
				t.Fatal(f.Name)
			}
		}},
		{"quoted keyword name", typeOf[string](), "'key'", func(t *testing.T, f Field) {
			if f.Name != "key" || f.Role != Column {
				t.Fatal(f.Name)
			}
		}},
		{"dash with options is a column named -", typeOf[string](), "-,index", func(t *testing.T, f Field) {
			if f.Name != "-" || f.Skip {
				t.Fatal(f.Name)
			}
		}},
		{"skip", typeOf[chan int](), "-", func(t *testing.T, f Field) {
			if !f.Skip {
				t.Fatal("not skipped")
			}
		}},
		{"key", typeOf[uuid.UUID](), ",key", func(t *testing.T, f Field) {
			if f.Role != Key || f.Name != "" || codec.ShortName(f.Type) != "UUIDType" {
				t.Fatalf("%+v", f)
			}
		}},
		{"key alias", typeOf[string](), "id,key,type=Ascii", func(t *testing.T, f Field) {
			if f.Role != Key || f.Name != "id" || f.Type != codec.Ascii {
				t.Fatalf("%+v", f)
			}
		}},
		{"super", typeOf[uuid.UUID](), ",super,type=TimeUUID", func(t *testing.T, f Field) {
			if f.Role != Super || f.Type != codec.TimeUUID {
				t.Fatalf("%+v", f)
			}
		}},
		{"raw bytes", typeOf[map[string][]byte](), ",raw", func(t *testing.T, f Field) {
			if f.Role != Raw || f.RawAny || f.Type != nil {
				t.Fatalf("%+v", f)
			}
		}},
		{"raw any", typeOf[map[string]any](), ",raw", func(t *testing.T, f Field) {
			if f.Role != Raw || !f.RawAny {
				t.Fatalf("%+v", f)
			}
		}},
		{"ttl int32", typeOf[int32](), ",ttl", func(t *testing.T, f Field) {
			if f.Role != TTL {
				t.Fatalf("%+v", f)
			}
		}},
		{"ttl duration", typeOf[time.Duration](), ",ttl", func(t *testing.T, f Field) {
			if f.Role != TTL || f.Class != ClassDuration {
				t.Fatalf("%+v", f)
			}
		}},
		{"index omitempty", typeOf[string](), "state,index,omitempty", func(t *testing.T, f Field) {
			if !f.Indexed || !f.OmitEmpty {
				t.Fatalf("%+v", f)
			}
		}},
		{"pointer nullable", typeOf[*int64](), "n", func(t *testing.T, f Field) {
			if !f.Nullable || f.BaseType != typeOf[int64]() || f.Class != ClassInt {
				t.Fatalf("%+v", f)
			}
		}},
		{"counter", typeOf[int64](), "hits,type=Counter", func(t *testing.T, f Field) {
			if !f.Counter {
				t.Fatalf("%+v", f)
			}
		}},
		{"reversed counter-free", typeOf[string](), "n,type=Reversed(UTF8)", func(t *testing.T, f Field) {
			if f.TypeName != "Reversed(UTF8)" {
				t.Fatal(f.TypeName)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("S", "F", tc.goTyp, tc.tag)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tc.check(t, f)
		})
	}
}

func TestParseDefaults(t *testing.T) {
	when := time.Date(2012, 3, 4, 5, 6, 7, 0, time.UTC)
	u := uuid.MustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8")
	tests := []struct {
		name  string
		goTyp reflect.Type
		tag   string
		want  any
	}{
		{"string", typeOf[string](), "n,default=hello", "hello"},
		{"string quoted comma", typeOf[string](), "n,default='a,b'", "a,b"},
		{"string quoted quote", typeOf[string](), "n,default='it''s'", "it's"},
		{"string quoted blanks", typeOf[string](), "n,default=' x '", " x "},
		{"string empty", typeOf[string](), "n,default=", ""},
		{"string parens", typeOf[string](), "n,default=f(a,b)", "f(a,b)"},
		{"named string", typeOf[myString](), "n,default=x", myString("x")},
		{"int", typeOf[int](), "n,default=-42", -42},
		{"int hex", typeOf[int64](), "n,default=0x10", int64(16)},
		{"int16 named", typeOf[myInt](), "n,default=7", myInt(7)},
		{"uint8", typeOf[uint8](), "n,default=255", uint8(255)},
		{"float32", typeOf[float32](), "n,default=1.5", float32(1.5)},
		{"float64", typeOf[float64](), "n,default=-2e3", -2e3},
		{"bool", typeOf[bool](), "n,default=true", true},
		{"time", typeOf[time.Time](), "n,default=2012-03-04T05:06:07Z", when},
		{"date only", typeOf[time.Time](), "n,default=2012-03-04", time.Date(2012, 3, 4, 0, 0, 0, 0, time.UTC)},
		{"duration", typeOf[time.Duration](), "n,default=90s", 90 * time.Second},
		{"uuid", typeOf[uuid.UUID](), "n,default=6ba7b810-9dad-11d1-80b4-00c04fd430c8", u},
		{"decimal", typeOf[decimal.Decimal](), "n,default=12.50", decimal.RequireFromString("12.50")},
		{"big", typeOf[*big.Int](), "n,default=123456789012345678901234567890", func() *big.Int {
			b, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
			return b
		}()},
		{"ip4", typeOf[net.IP](), "n,default=10.0.0.1", net.IP{10, 0, 0, 1}},
		{"ip6", typeOf[net.IP](), "n,default='::1'", net.IPv6loopback},
		{"netip", typeOf[netip.Addr](), "n,default=::1", netip.MustParseAddr("::1")},
		{"bytes hex", typeOf[[]byte](), "n,default=0xcafe", []byte{0xca, 0xfe}},
		{"bytes base64", typeOf[[]byte](), "n,default=AQID", []byte{1, 2, 3}},
		{"bytes base64 padded", typeOf[[]byte](), "n,default=AQ==", []byte{1}},
		{"pointer int", typeOf[*int](), "n,default=3", 3},
		{"counter", typeOf[int64](), "n,type=Counter,default=0", int64(0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("S", "F", tc.goTyp, tc.tag)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !f.HasDefault {
				t.Fatal("no default")
			}
			switch w := tc.want.(type) {
			case decimal.Decimal:
				if !w.Equal(f.Default.(decimal.Decimal)) {
					t.Fatalf("default = %v, want %v", f.Default, w)
				}
			case *big.Int:
				if w.Cmp(f.Default.(*big.Int)) != 0 {
					t.Fatalf("default = %v, want %v", f.Default, w)
				}
			case time.Time:
				if !w.Equal(f.Default.(time.Time)) {
					t.Fatalf("default = %v, want %v", f.Default, w)
				}
			default:
				if !reflect.DeepEqual(f.Default, tc.want) {
					t.Fatalf("default = %#v, want %#v", f.Default, tc.want)
				}
			}
			v, ok := f.DefaultValue()
			if !ok || !v.Type().AssignableTo(tc.goTyp) {
				t.Fatalf("DefaultValue %v not assignable to %s", v, tc.goTyp)
			}
		})
	}
}

func TestDefaultValueIsFresh(t *testing.T) {
	f, err := Parse("S", "F", typeOf[[]byte](), "n,default=0x0102")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := f.DefaultValue()
	a.Index(0).SetUint(9)
	b, _ := f.DefaultValue()
	if b.Index(0).Uint() != 1 {
		t.Fatal("defaults share their bytes")
	}
	f, err = Parse("S", "F", typeOf[*big.Int](), "n,default=5")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := f.DefaultValue()
	p.Interface().(*big.Int).SetInt64(9)
	q, _ := f.DefaultValue()
	if q.Interface().(*big.Int).Int64() != 5 {
		t.Fatal("big.Int default shared")
	}
	f, err = Parse("S", "F", typeOf[big.Int](), "n,default=5")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.DefaultValue(); v.Type() != typeOf[big.Int]() {
		t.Fatal(v.Type())
	}
	f, _ = Parse("S", "F", typeOf[string](), "n")
	if _, ok := f.DefaultValue(); ok {
		t.Fatal("default without default=")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		goTyp reflect.Type
		tag   string
		err   error
		text  string // substring of the message
	}{
		{"unterminated quote", typeOf[string](), "n,default='abc", ErrSyntax, "unterminated quote"},
		{"text after quote", typeOf[string](), "n,default='a'b", ErrSyntax, "after the quoted value"},
		{"stray quote", typeOf[string](), "n,default=a'b", ErrSyntax, "quote inside"},
		{"unbalanced open", typeOf[codec.Tuple](), "n,type=Composite(Long,UTF8", ErrSyntax, "unbalanced '('"},
		{"unbalanced close", typeOf[string](), "n,type=UTF8)", ErrSyntax, "unbalanced ')'"},
		{"empty option", typeOf[string](), "n,,index", ErrSyntax, "empty option"},
		{"trailing comma", typeOf[string](), "n,", ErrSyntax, "empty option"},
		{"unknown option", typeOf[string](), "n,indexed", ErrSyntax, `unknown option "indexed"`},
		{"option twice", typeOf[string](), "n,index,index", ErrSyntax, "given twice"},
		{"type without value", typeOf[string](), "n,type", ErrSyntax, "needs a value"},
		{"empty type", typeOf[string](), "n,type=", ErrSyntax, "type= is empty"},
		{"keyword with value", typeOf[string](), "n,key=1", ErrSyntax, "takes no value"},
		{"keyword as name", typeOf[string](), "key", ErrSyntax, `write ",key"`},
		{"option as name", typeOf[string](), "type=UTF8", ErrSyntax, "first element is the column name"},
		{"two roles", typeOf[string](), ",key,super", ErrConflict, "one role"},
		{"index on key", typeOf[string](), ",key,index", ErrConflict, "index applies to columns"},
		{"omitempty on super", typeOf[string](), ",super,omitempty", ErrConflict, "omitempty applies"},
		{"default on key", typeOf[string](), ",key,default=x", ErrDefault, "default= applies"},
		{"type on raw", typeOf[map[string][]byte](), ",raw,type=Bytes", ErrConflict, "type= does not apply"},
		{"name on super", typeOf[string](), "sc,super", ErrConflict, "no column name"},
		{"unknown type", typeOf[string](), "n,type=Foo", ErrType, "FooType"},
		{"bad type syntax", typeOf[codec.Tuple](), "n,type=Composite()", ErrType, "type=Composite()"},
		{"Long on string", typeOf[string](), "name,type=Long", ErrType, "cannot be stored in a Go string"},
		{"UTF8 on int", typeOf[int](), "n,type=UTF8", ErrType, "cannot be stored in a Go int"},
		{"Double on int", typeOf[int](), "n,type=Double", ErrType, "DoubleType"},
		{"Date on int64", typeOf[int64](), "n,type=Date", ErrType, "DateType"},
		{"TimeUUID on string", typeOf[string](), "n,type=TimeUUID", ErrType, "TimeUUIDType"},
		{"Composite on string", typeOf[string](), "n,type=Composite(Long)", ErrType, "CompositeType"},
		{"Reversed Long on string", typeOf[string](), "n,type=Reversed(Long)", ErrType, "ReversedType(LongType)"},
		{"counter on int32", typeOf[int32](), "n,type=Counter", ErrType, "int64"},
		{"counter on string", typeOf[string](), "n,type=Counter", ErrType, "CounterColumnType"},
		{"counter key", typeOf[int64](), ",key,type=Counter", ErrType, "cannot be a counter"},
		{"counter index", typeOf[int64](), "n,type=Counter,index", ErrConflict, "cannot be indexed"},
		{"tuple needs type", typeOf[codec.Tuple](), "n", ErrType, "needs an explicit type="},
		{"any needs type", typeOf[any](), "n", ErrType, "needs an explicit type="},
		{"unnamed struct", typeOf[struct{ A int }](), "n", ErrType, "needs type="},
		{"map of chan", typeOf[map[string]chan int](), "n", ErrType, "no marshal type"},
		{"chan", typeOf[chan int](), "n", ErrType, "no marshal type"},
		{"uintptr", typeOf[uintptr](), "n", ErrType, "no marshal type"},
		{"double pointer", typeOf[**int](), "n", ErrType, "pointer to a pointer"},
		{"pointer key", typeOf[*string](), ",key", ErrType, "cannot be a pointer"},
		{"raw wrong map", typeOf[map[string]string](), ",raw", ErrType, "map[string][]byte"},
		{"raw not map", typeOf[string](), ",raw", ErrType, "map[string][]byte"},
		{"ttl string", typeOf[string](), ",ttl", ErrType, "ttl field"},
		{"ttl pointer", typeOf[*int](), ",ttl", ErrType, "ttl field"},
		{"bad int default", typeOf[int](), "n,default=abc", ErrDefault, "not a number"},
		{"int default range", typeOf[int8](), "n,default=300", ErrDefault, "out of range"},
		{"uint default negative", typeOf[uint](), "n,default=-1", ErrDefault, "default="},
		{"bad bool", typeOf[bool](), "n,default=yes", ErrDefault, "true or false"},
		{"bad time", typeOf[time.Time](), "n,default=yesterday", ErrDefault, "RFC 3339"},
		{"bad duration", typeOf[time.Duration](), "n,default=soon", ErrDefault, "duration"},
		{"bad uuid", typeOf[uuid.UUID](), "n,default=xyz", ErrDefault, "UUID"},
		{"bad decimal", typeOf[decimal.Decimal](), "n,default=1.2.3", ErrDefault, "decimal"},
		{"bad big", typeOf[*big.Int](), "n,default=1.5", ErrDefault, "integer"},
		{"bad ip", typeOf[net.IP](), "n,default=999.1.1.1", ErrDefault, "address"},
		{"bad netip", typeOf[netip.Addr](), "n,default=x", ErrDefault, "address"},
		{"bad hex", typeOf[[]byte](), "n,default=0xzz", ErrDefault, "hex"},
		{"bad base64", typeOf[[]byte](), "n,default=!!", ErrDefault, "base64"},
		{"tuple default", typeOf[codec.Tuple](), "n,type=Composite(Long),default=1", ErrDefault, "cannot have a default"},
		{"nil type", nil, "n", ErrType, "no Go type"},
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
			if !errors.As(err, &te) || te.Struct != "User" || te.Field != "Field" {
				t.Fatalf("not a *TagError naming User.Field: %#v", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "tags: User.Field") || !strings.Contains(msg, tc.text) {
				t.Fatalf("message %q lacks %q", msg, tc.text)
			}
		})
	}
}

func TestUnknownTypeIsCodecError(t *testing.T) {
	_, err := Parse("S", "F", typeOf[string](), "n,type=Nope")
	var pe *codec.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, codec.ErrUnknownType) {
		t.Fatalf("want codec.ParseError inside, got %v", err)
	}
}

func TestNormalizeType(t *testing.T) {
	tests := map[string]string{
		"UTF8":     "UTF8Type",
		"LongType": "LongType",
		"long":     "LongType",
		"Counter":  "CounterColumnType",
		"org.apache.cassandra.db.marshal.UTF8Type": "org.apache.cassandra.db.marshal.UTF8Type",
		"Composite(Long, Reversed(UTF8))":          "CompositeType(LongType, ReversedType(UTF8Type))",
		"DynamicComposite(a=>Ascii,b=>Bytes)":      "DynamicCompositeType(a=>AsciiType,b=>BytesType)",
		"UTF8(reversed=true)":                      "UTF8Type(reversed=true)",
		"com.example.Pair(Long)":                   "com.example.Pair(LongType)",
		"Foo":                                      "FooType",
	}
	for in, want := range tests {
		if got := normalizeType(in); got != want {
			t.Errorf("normalizeType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseTypeRegisteredWithoutSuffix(t *testing.T) {
	if err := codec.Register("com.example.tagstest.Pair", &codec.CustomType{Name: "com.example.tagstest.Pair"}); err != nil {
		t.Fatal(err)
	}
	f, err := Parse("S", "F", typeOf[struct{ A, B int }](), "n,type=com.example.tagstest.Pair")
	if err != nil {
		t.Fatal(err)
	}
	if f.Type.Class() != "com.example.tagstest.Pair" {
		t.Fatal(f.Type.Class())
	}
}

func TestRoleAndClassStrings(t *testing.T) {
	for r, want := range map[Role]string{Column: "column", Key: "key", Super: "super", Raw: "raw", TTL: "ttl"} {
		if r.String() != want {
			t.Errorf("%d: %s", r, r)
		}
	}
	if ClassAny.String() != "any" || GoClass(99).String() != "class?" || GoClass(-1).String() != "class?" {
		t.Error("GoClass.String")
	}
}
