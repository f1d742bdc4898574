package cqlquery

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
)

// FuzzParseLiteral reads any constant of any kind as a value of each
// native type it is assignable to (Constants.Literal.parsedValue, the
// types' fromString: timestamps, dates, times, durations, inet, decimal,
// varint, floats, uuids, blobs): nothing panics, a refusal is an *Error,
// and what is accepted is a valid serialized value of the type (or the
// empty value, which fromString gives for an empty string).
func FuzzParseLiteral(f *testing.F) {
	for _, s := range []struct {
		kind cqlparse.LiteralKind
		text string
	}{
		{cqlparse.LitString, "2011-02-03T04:05:00.123+0000"}, {cqlparse.LitString, "2011-02-03 04:05"},
		{cqlparse.LitString, "now"}, {cqlparse.LitString, "-5877641-06-23"}, {cqlparse.LitString, "2147483648"},
		{cqlparse.LitString, "12:34:56.123456789"}, {cqlparse.LitString, "::ffff:1.2.3.4"}, {cqlparse.LitString, "1.2.3.4"},
		{cqlparse.LitString, "1e-400"}, {cqlparse.LitString, "abc"}, {cqlparse.LitString, ""},
		{cqlparse.LitInteger, "-9223372036854775809"}, {cqlparse.LitInteger, "123456789012345678901234567890"},
		{cqlparse.LitFloat, "NaN"}, {cqlparse.LitFloat, "-Infinity"}, {cqlparse.LitFloat, "1.5e308"}, {cqlparse.LitFloat, "1E-5"},
		{cqlparse.LitBoolean, "TRUE"}, {cqlparse.LitDuration, "1y2mo3w4d5h6m7s8ms9us10ns"},
		{cqlparse.LitDuration, "-P0001-02-03T04:05:06"}, {cqlparse.LitDuration, "P1W"}, {cqlparse.LitDuration, "PT9223372036854775807H"},
		{cqlparse.LitUUID, "6bddc89a-5644-11e4-97fc-56847afe9799"}, {cqlparse.LitHex, "0x"}, {cqlparse.LitHex, "0xabc"},
	} {
		f.Add(byte(s.kind-1), s.text)
	}
	now := func() time.Time { return time.Unix(1700000000, 0) }
	f.Fuzz(func(t *testing.T, kind byte, text string) {
		if !utf8.ValidString(text) {
			return // the native layer refuses such a query string (CBUtil.readLongString)
		}
		k := cqlparse.LiteralKind(kind%7 + 1)
		if k == cqlparse.LitHex {
			text = "0x" + text // the lexer's blob constants start so
		}
		for _, typ := range fuzzTypes {
			if !literalAssignable(k, typ) {
				continue
			}
			b, err := parseLiteral(k, text, typ, now)
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("%v %q as %v: error %T %v", k, text, typ, err, err)
				}
				continue
			}
			if k == cqlparse.LitHex || len(b) == 0 {
				continue // any bytes, or the empty value of an empty string
			}
			if err := typ.Validate(b); err != nil {
				t.Fatalf("%v %q as %v: %x does not validate: %v", k, text, typ, b, err)
			}
		}
	})
}
