package codec

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

const mp = "org.apache.cassandra.db.marshal."

func TestParse(t *testing.T) {
	tests := []struct {
		in, class, short string
	}{
		{"", mp + "BytesType", "BytesType"},
		{"   ", mp + "BytesType", "BytesType"},
		{"UTF8Type", mp + "UTF8Type", "UTF8Type"},
		{mp + "LongType", mp + "LongType", "LongType"},
		{" \tTimestampType\n ", mp + "TimestampType", "TimestampType"},
		{"LongType()", mp + "LongType", "LongType"},
		{"UTF8Type(reversed=true)", mp + "ReversedType(" + mp + "UTF8Type)", "ReversedType(UTF8Type)"},
		{"UTF8Type(reversed=false)", mp + "UTF8Type", "UTF8Type"},
		{"LongType( reversed = true , other=x)", mp + "ReversedType(" + mp + "LongType)", "ReversedType(LongType)"},
		{"ReversedType(LongType)", mp + "ReversedType(" + mp + "LongType)", "ReversedType(LongType)"},
		{mp + "ReversedType(" + mp + "LongType)", mp + "ReversedType(" + mp + "LongType)", "ReversedType(LongType)"},
		{"CompositeType(LongType,ReversedType(UTF8Type))",
			mp + "CompositeType(" + mp + "LongType," + mp + "ReversedType(" + mp + "UTF8Type))",
			"CompositeType(LongType, ReversedType(UTF8Type))"},
		{mp + "CompositeType(" + mp + "LongType," + mp + "AsciiType)",
			mp + "CompositeType(" + mp + "LongType," + mp + "AsciiType)", "CompositeType(LongType, AsciiType)"},
		{" CompositeType ( LongType , UTF8Type(reversed=true) ) ",
			mp + "CompositeType(" + mp + "LongType," + mp + "ReversedType(" + mp + "UTF8Type))",
			"CompositeType(LongType, ReversedType(UTF8Type))"},
		{"CompositeType(CompositeType(LongType,UTF8Type),IntegerType)",
			mp + "CompositeType(" + mp + "CompositeType(" + mp + "LongType," + mp + "UTF8Type)," + mp + "IntegerType)",
			"CompositeType(CompositeType(LongType, UTF8Type), IntegerType)"},
		{"DynamicCompositeType(a=>AsciiType,b=>BytesType)",
			mp + "DynamicCompositeType(a=>" + mp + "AsciiType,b=>" + mp + "BytesType)",
			"DynamicCompositeType(a=>AsciiType, b=>BytesType)"},
		{mp + "DynamicCompositeType(b => " + mp + "BytesType, a=>AsciiType)",
			mp + "DynamicCompositeType(a=>" + mp + "AsciiType,b=>" + mp + "BytesType)",
			"DynamicCompositeType(a=>AsciiType, b=>BytesType)"},
		// Java HashMap order: bucket 'a'&15=1, 'T'&15=4, 'q'&15=1 after 'a'.
		{"DynamicCompositeType(T=>TimeUUIDType,q=>LongType,a=>AsciiType)",
			mp + "DynamicCompositeType(q=>" + mp + "LongType,a=>" + mp + "AsciiType,T=>" + mp + "TimeUUIDType)",
			"DynamicCompositeType(q=>LongType, a=>AsciiType, T=>TimeUUIDType)"},
		{"DynamicCompositeType", mp + "DynamicCompositeType()", "DynamicCompositeType()"},
		{"DynamicCompositeType(l=>ReversedType(LongType))",
			mp + "DynamicCompositeType(l=>" + mp + "ReversedType(" + mp + "LongType))",
			"DynamicCompositeType(l=>ReversedType(LongType))"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got.Class() != tt.class {
			t.Errorf("Parse(%q).Class() = %q, want %q", tt.in, got.Class(), tt.class)
		}
		if ShortName(got) != tt.short {
			t.Errorf("ShortName(Parse(%q)) = %q, want %q", tt.in, ShortName(got), tt.short)
		}
		// Class() parses back to the same type.
		again, err := Parse(got.Class())
		if err != nil || again.Class() != got.Class() {
			t.Errorf("Parse(Class()) of %q = %v, %v", tt.in, again, err)
		}
	}
	for _, typ := range []Type{Bytes, Ascii, UTF8, Long, Int32, Integer, Double, Float, Decimal, Boolean,
		Date, Timestamp, UUID, TimeUUID, LexicalUUID, InetAddress, CounterColumn} {
		short := strings.TrimPrefix(typ.Class(), mp)
		if got, err := Parse(short); err != nil || got != typ {
			t.Errorf("Parse(%q) = %v, %v", short, got, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, msg string
		unknown bool
	}{
		{"FooType", "Unable to find abstract-type class 'org.apache.cassandra.db.marshal.FooType'", true},
		{mp + "FooType", "Unable to find abstract-type class 'org.apache.cassandra.db.marshal.FooType'", true},
		{"com.example.Foo", "Unable to find abstract-type class 'com.example.Foo'", true},
		{"utf8type", "Unable to find abstract-type class 'org.apache.cassandra.db.marshal.utf8type'", true},
		{"CompositeType(LongType,BarType)", "Unable to find abstract-type class 'org.apache.cassandra.db.marshal.BarType'", true},
		{"CompositeType(LongType", "Syntax error parsing 'CompositeType(LongType' at char 22: unexpected end of string", false},
		{"CompositeType(LongType))", "Syntax error parsing 'CompositeType(LongType))' at char 23: unexpected character ')' after the type", false},
		{"DynamicCompositeType(ab=>LongType)", "Syntax error parsing 'DynamicCompositeType(ab=>LongType)' at char 23: An alias should be a single character", false},
		{"DynamicCompositeType(a LongType)", "Syntax error parsing 'DynamicCompositeType(a LongType)' at char 23: expecting '=>' token", false},
		{"ReversedType(LongType,UTF8Type)", "ReversedType takes exactly one argument, 2 given", false},
		{"CompositeType()", "CompositeType needs at least one component type", false},
		{"LongType(reversed=true", "Syntax error parsing 'LongType(reversed=true' at char 22: unexpected end of string", false},
		{"(LongType)", "Syntax error parsing '(LongType)' at char 0: unexpected character '(', expecting a type name", false},
		{"LongType UTF8Type", "Syntax error parsing 'LongType UTF8Type' at char 9: unexpected character 'U' after the type", false},
		{strings.Repeat("ReversedType(", 100) + "LongType" + strings.Repeat(")", 100), "", false},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error = %v, want *ParseError", tt.in, err)
			continue
		}
		if tt.msg != "" && pe.Error() != tt.msg {
			t.Errorf("Parse(%q) error = %q, want %q", tt.in, pe.Error(), tt.msg)
		}
		if errors.Is(err, ErrUnknownType) != tt.unknown {
			t.Errorf("Parse(%q): errors.Is(ErrUnknownType) = %v", tt.in, !tt.unknown)
		}
	}
}

func TestRegister(t *testing.T) {
	intString := &CustomType{
		Name: "com.example.IntString",
		Base: UTF8,
		PackFunc: func(v any) ([]byte, error) {
			i, err := toInt64(v)
			if err != nil {
				return nil, err
			}
			return []byte(strconv.FormatInt(i, 10)), nil
		},
		UnpackFunc: func(b []byte) (any, error) { return strconv.ParseInt(string(b), 10, 64) },
	}
	if err := Register("com.example.IntString", intString); err != nil {
		t.Fatal(err)
	}
	if err := Register("com.example.IntString", intString); err == nil {
		t.Error("second Register should fail")
	}
	if err := Register("LongType", intString); err == nil {
		t.Error("registering over a built-in should fail")
	}
	pair := func(ps []Type) (Type, error) {
		if len(ps) != 2 {
			return nil, errors.New("PairType takes two types")
		}
		return Composite(ps...), nil
	}
	if err := Register("PairType", pair); err != nil {
		t.Fatal(err)
	}
	typ, err := Parse("CompositeType(com.example.IntString, PairType(LongType,UTF8Type), com.example.IntString(reversed=true))")
	if err != nil {
		t.Fatal(err)
	}
	b, err := typ.Pack(Tuple{42, Tuple{1, "x"}, 7})
	if err != nil {
		t.Fatal(err)
	}
	v, err := typ.Unpack(b)
	if err != nil {
		t.Fatal(err)
	}
	tu := v.(Tuple)
	if tu[0] != int64(42) || tu[2] != int64(7) {
		t.Errorf("unpacked %v", tu)
	}
	if _, err := Parse("PairType(LongType)"); err == nil || !strings.Contains(err.Error(), "PairType takes two types") {
		t.Errorf("factory error: %v", err)
	}
	if got := ShortName(intString); got != "com.example.IntString" {
		t.Errorf("ShortName = %q", got)
	}
	if _, err := intString.Pack("abc"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("custom pack error %v", err)
	}
}

// TestDynamicAliasOrder: Class lists aliases in java.util.HashMap order,
// which changes when the table grows past 12 entries.
func TestDynamicAliasOrder(t *testing.T) {
	var as []DynamicAlias
	for c := byte('a'); c <= 'l'; c++ { // 12 aliases: a table of 16
		as = append(as, DynamicAlias{c, Bytes})
	}
	as = append([]DynamicAlias{{'q', Bytes}}, as...) // 'q'&15 == 'a'&15
	order := func(d *DynamicCompositeType) string {
		var sb strings.Builder
		for _, a := range d.Aliases() {
			sb.WriteByte(a.Alias)
		}
		return sb.String()
	}
	// 13 entries: 32 buckets, 'q' (17) sorts after 'l' (12).
	if got := order(DynamicComposite(as...)); got != "abcdefghijklq" {
		t.Errorf("13 aliases: %s", got)
	}
	// 12 entries: 16 buckets, 'q' and 'a' share bucket 1 in insertion order.
	if got := order(DynamicComposite(as[:12]...)); got != "qabcdefghijk" {
		t.Errorf("12 aliases: %s", got)
	}
	// A repeated alias keeps its first place and takes the last type.
	d := DynamicComposite(DynamicAlias{'b', Long}, DynamicAlias{'a', Ascii}, DynamicAlias{'b', UTF8})
	if d.Class() != mp+"DynamicCompositeType(a=>"+mp+"AsciiType,b=>"+mp+"UTF8Type)" {
		t.Errorf("duplicate alias: %s", d.Class())
	}
}

func TestParseConcurrent(t *testing.T) {
	done := make(chan struct{})
	for g := 0; g < 8; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 200; i++ {
				typ, err := Parse("CompositeType(LongType,ReversedType(UTF8Type))")
				if err != nil || typ.Compare([]byte{0, 1, 1, 0}, []byte{0, 1, 2, 0}) == 0 {
					t.Error("concurrent parse", err)
					return
				}
			}
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}
