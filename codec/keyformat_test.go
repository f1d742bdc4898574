package codec

import (
	"math/big"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestFormatKey(t *testing.T) {
	long := strings.Repeat("x", 70000)
	u := uuid.MustParse("f7655d80-04fc-11e0-8080-808080808080")
	for _, tc := range []struct {
		name string
		t    Type
		b    []byte
		want string
	}{
		{"utf8", UTF8, []byte("nope"), `"nope"`},
		{"ascii", Ascii, []byte("a\"b"), `"a\"b"`},
		{"utf8 control", UTF8, []byte("a\nb"), `"a\nb"`},
		{"reversed utf8", Reversed(UTF8), []byte("k"), `"k"`},
		{"bytes", Bytes, []byte("nope"), "0x6e6f7065"},
		{"nil type", nil, []byte{1, 2}, "0x0102"},
		{"empty text", UTF8, nil, `""`},
		{"empty bytes", Bytes, nil, "0x"},
		{"long", Long, AppendLong(nil, 42), "42"},
		{"uuid", UUID, u[:], "f7655d80-04fc-11e0-8080-808080808080"},
		{"composite", Composite(Long, UTF8), mustPack(t, Composite(Long, UTF8), Tuple{int64(1), "a"}), "1:a"},
		{"long text", UTF8, []byte(long), `"` + long[:64] + `"... (70000 bytes)`},
		{"long bytes", Bytes, []byte(long), "0x" + strings.Repeat("78", 64) + "... (70000 bytes)"},
		{"text cut inside a rune", UTF8, []byte(strings.Repeat("a", 63) + "é" + long), `"` + strings.Repeat("a", 63) + `"... (70065 bytes)`},
	} {
		if got := FormatKey(tc.t, tc.b); got != tc.want {
			t.Errorf("%s: FormatKey = %q, want %q", tc.name, got, tc.want)
		}
	}
	big := new(big.Int).Lsh(big.NewInt(1), 8*1000)
	got := FormatKey(Integer, AppendBigVarint(nil, big))
	if !strings.HasSuffix(got, "... (1001 bytes)") || len(got) > KeyExcerpt+len("... (1001 bytes)") {
		t.Errorf("long integer: %q", got)
	}
}

func mustPack(t *testing.T, ty Type, v any) []byte {
	t.Helper()
	b, err := ty.Pack(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFormatKeyValue(t *testing.T) {
	long := strings.Repeat("y", 70000)
	for _, tc := range []struct {
		name string
		t    Type
		v    any
		want string
	}{
		{"string as utf8", UTF8, "nope", `"nope"`},
		{"bytes as utf8", UTF8, []byte("nope"), `"nope"`},
		{"bytes raw", Bytes, []byte("nope"), "0x6e6f7065"},
		{"long", Long, int64(7), "7"},
		{"no type, string", nil, "nope", `"nope"`},
		{"no type, bytes", nil, []byte("nope"), "0x6e6f7065"},
		{"no type, int", nil, 12, "12"},
		{"no type, nil", nil, nil, "nil"},
		{"does not pack", Long, "abc", `"abc"`},
		{"long string", nil, long, `"` + long[:64] + `"... (70000 bytes)`},
		{"long slice", nil, make([]int, 100), "[" + strings.Repeat("0 ", 31) + "0..."},
	} {
		if got := FormatKeyValue(tc.t, tc.v); got != tc.want {
			t.Errorf("%s: FormatKeyValue = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A codec error about a huge value stays short.
func TestErrorValueBounded(t *testing.T) {
	_, err := Long.Pack(strings.Repeat("z", 70000))
	if err == nil || len(err.Error()) > 200 {
		t.Fatalf("error of %d bytes: %.300v", len(err.Error()), err)
	}
	_, err = Long.Unpack(make([]byte, 70000))
	if err == nil || len(err.Error()) > 300 || !strings.Contains(err.Error(), "70000 bytes 0x") {
		t.Fatalf("error of %d bytes: %.300v", len(err.Error()), err)
	}
}
