package migrate

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
)

// TestCompatibleMatchesServer checks the client-side comparator rule that
// makes plan steps "refused" against what the server actually accepts.
func TestCompatibleMatchesServer(t *testing.T) {
	types := []string{
		"BytesType", "AsciiType", "UTF8Type", "LongType", "DateType", "TimestampType",
		"CompositeType(LongType)", "CompositeType(LongType,UTF8Type)", "CompositeType(UTF8Type)",
		"CompositeType(AsciiType,LongType)", "CompositeType(UTF8Type,LongType)",
		"ReversedType(UTF8Type)", "ReversedType(AsciiType)",
		"DynamicCompositeType(a=>AsciiType)", "DynamicCompositeType(a=>AsciiType,b=>LongType)", "DynamicCompositeType(a=>LongType)",
	}
	ctx, sys := setup(t, "KS")
	n := 0
	for _, old := range types {
		for _, next := range types {
			n++
			name := fmt.Sprintf("c%d", n)
			must(t, sys.CreateColumnFamily(ctx, "KS", name, ColumnFamilyDef{Comparator: old}))
			err := sys.AlterColumnFamily(ctx, "KS", name, ColumnFamilyDef{Comparator: next})
			var ire *cassa.InvalidRequestError
			if err != nil && !errors.As(err, &ire) {
				t.Fatal(err)
			}
			server := err == nil
			if client := compatibleNames(next, old); client != server {
				t.Errorf("%s -> %s: client says %v, server %v (%v)", old, next, client, server, err)
			}
			must(t, sys.DropColumnFamily(ctx, "KS", name))
		}
	}
}

func TestPackName(t *testing.T) {
	long42, _ := codec.Long.Pack(int64(42))
	dbl, _ := codec.Double.Pack(1.5)
	yes, _ := codec.Boolean.Pack(true)
	i32, _ := codec.Int32.Pack(int32(-7))
	tests := []struct {
		t    codec.Type
		name any
		want []byte
	}{
		{codec.Long, "42", long42},
		{codec.Long, int64(42), long42},
		{codec.Long, 42.0, long42}, // JSON numbers
		{codec.Reversed(codec.Long), "42", long42},
		{codec.Double, "1.5", dbl},
		{codec.Boolean, "true", yes},
		{codec.Int32, "-7", i32},
		{codec.UTF8, "42", []byte("42")},
		{codec.Long, []byte{1, 2}, []byte{1, 2}}, // raw bytes pass as they are
		{nil, "x", []byte("x")},
	}
	for _, tt := range tests {
		got, err := packName(tt.t, tt.name)
		if err != nil || !bytes.Equal(got, tt.want) {
			t.Errorf("packName(%v, %#v) = %x, %v; want %x", tt.t, tt.name, got, err, tt.want)
		}
	}
	for _, bad := range []struct {
		t    codec.Type
		name any
	}{{codec.Long, "x"}, {codec.Double, "x"}, {codec.UUID, "nope"}} {
		if _, err := packName(bad.t, bad.name); err == nil {
			t.Errorf("packName(%v, %#v) accepted", bad.t, bad.name)
		}
	}
}

func TestParseType(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, ""},
		{"", ""},
		{" ", ""},
		{"UTF8Type", marshalPkg + "UTF8Type"},
		{"UTF8", marshalPkg + "UTF8Type"},
		{"Long", marshalPkg + "LongType"},
		{"TimeUUID", marshalPkg + "TimeUUIDType"},
		{marshalPkg + "AsciiType", marshalPkg + "AsciiType"},
		{codec.Reversed(codec.Long), marshalPkg + "ReversedType(" + marshalPkg + "LongType)"},
		{"LongType(reversed=true)", marshalPkg + "ReversedType(" + marshalPkg + "LongType)"},
	}
	for _, tt := range tests {
		got, err := qualify("comparator", tt.in)
		if err != nil || got != tt.want {
			t.Errorf("qualify(%#v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []any{123, "NoSuch", "Composite(", codec.Composite, 1.5, []byte("UTF8Type")} {
		if _, err := qualify("comparator", bad); !errors.Is(err, ErrBadType) {
			t.Errorf("qualify(%#v): %v", bad, err)
		}
	}
	if canonType("") != codec.Bytes.Class() || canonType("garbage(") != "garbage(" || shortType("") != "BytesType" || shortType("x(") != "x(" {
		t.Error("canonType/shortType edge cases")
	}
}

func TestValueCompatible(t *testing.T) {
	tests := []struct {
		next, old string
		want      bool
	}{
		{"BytesType", "LongType", true},
		{"BytesType", "UUIDType", true},
		{"UTF8Type", "AsciiType", true},
		{"AsciiType", "UTF8Type", false},
		{"LongType", "DateType", true},
		{"DateType", "LongType", true},
		{"TimestampType", "LongType", true},
		{"IntegerType", "LongType", true},
		{"IntegerType", "Int32Type", true},
		{"LongType", "IntegerType", false},
		{"LongType", "UTF8Type", false},
		{"UUIDType", "TimeUUIDType", false},
		{"ReversedType(LongType)", "LongType", true},
		{"CompositeType(LongType,UTF8Type)", "CompositeType(LongType)", true},
	}
	for _, tt := range tests {
		if got := valueCompatibleNames(tt.next, tt.old); got != tt.want {
			t.Errorf("%s <- %s: %v, want %v", tt.next, tt.old, got, tt.want)
		}
	}
}
