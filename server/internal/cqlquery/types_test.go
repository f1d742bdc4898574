package cqlquery

import (
	"encoding/hex"
	"testing"

	"github.com/cassa-go/cassa/codec"
)

// Every scalar type with its literals (Constants.Literal and each type's
// fromString) and bound values (the serializers' validate).
func TestLiterals(t *testing.T) {
	f := newFixture(t)
	f.ddl(`CREATE TABLE t (k int PRIMARY KEY, ac ascii, big bigint, bl blob, bo boolean, da date, de decimal,
		dbl double, du duration, fl float, ine inet, i int, si smallint, te text, ti time, ts timestamp,
		tu timeuuid, tiny tinyint, u uuid, vc varchar, vi varint)`)
	for _, tt := range []struct {
		col, lit, hex string
	}{
		{"ac", "'abc'", "616263"},
		{"big", "-9223372036854775808", "8000000000000000"},
		{"big", "42", "000000000000002a"},
		{"bl", "0xCAFE", "cafe"},
		{"bl", "0x", ""},
		{"bo", "true", "01"},
		{"bo", "FALSE", "00"},
		{"da", "'1970-01-01'", "80000000"},
		{"da", "'2011-02-03'", "80003aa0"},
		{"da", "2147483648", "80000000"},
		{"da", "0", "00000000"},
		{"da", "'-0001-01-01'", "7ff503eb"},
		{"de", "1.50", "00000002" + "0096"},
		{"de", "-1E+3", "fffffffd" + "ff"},
		{"de", "12", "00000000" + "0c"},
		{"dbl", "1.5", "3ff8000000000000"},
		{"dbl", "NaN", "7ff8000000000000"},
		{"dbl", "-Infinity", "fff0000000000000"},
		{"dbl", "3", "4008000000000000"},
		{"du", "1h30m", "0000fc09d29229e000"},
		{"du", "P1Y2M", "1c0000"},
		{"du", "-2d", "000300"},
		{"du", "P0001-02-03T00:00:01", "1c06f077359400"},
		{"du", "P2W", "001c00"},
		{"fl", "1.5", "3fc00000"},
		{"fl", "1e40", "7f800000"},
		{"fl", "NaN", "7fc00000"},
		{"ine", "'127.0.0.1'", "7f000001"},
		{"ine", "'::1'", "00000000000000000000000000000001"},
		{"ine", "'::ffff:10.0.0.1'", "0a000001"},
		{"i", "-2147483648", "80000000"},
		{"si", "-32768", "8000"},
		{"te", "'héllo'", "68c3a96c6c6f"},
		{"te", "$$it's$$", "69742773"},
		{"ti", "'08:12:54.123456789'", "00001ae5c31f8915"},
		{"ti", "'08:12:54'", "00001ae5bbc3bc00"},
		{"ti", "3600000000000", "0000034630b8a000"},
		{"ts", "'2011-02-03 04:05'", "0000012de9b1cde0"},
		{"ts", "'2011-02-03T04:05:00.5+0000'", "0000012de9b1cde5"},
		{"ts", "'2011-02-03 04:05:00.000 +0100'", "0000012de97adf60"},
		{"ts", "'2011-02-03Z'", "0000012de8d18000"},
		{"ts", "'2011-02-03'", "0000012de8d18000"},
		{"ts", "1299038700000", "0000012e74bd81e0"},
		{"ts", "'now'", "0000018bcfe56800"},
		{"tu", "d2177dd0-eaa2-11de-a572-001b779c76e3", "d2177dd0eaa211dea572001b779c76e3"},
		{"tiny", "-128", "80"},
		{"u", "550e8400-e29b-41d4-a716-446655440000", "550e8400e29b41d4a716446655440000"},
		{"vc", "''", ""},
		{"vi", "-128", "80"},
		{"vi", "128", "0080"},
		{"vi", "123456789012345678901234567890", "018ee90ff6c373e0ee4e3f0ad2"},
	} {
		f.exec("INSERT INTO t (k, " + tt.col + ") VALUES (0, " + tt.lit + ")")
		r := f.exec("SELECT " + tt.col + " FROM t WHERE k = 0")
		if got := hex.EncodeToString(r.Rows[0][0]); got != tt.hex {
			t.Errorf("%s = %s: got %s, want %s", tt.col, tt.lit, got, tt.hex)
		}
		// the same literal in a WHERE clause finds the row
		f.expect("0", "SELECT k FROM t WHERE k = 0 AND "+tt.col+" = "+tt.lit+" ALLOW FILTERING")
	}
	for _, tt := range []struct{ col, lit, msg string }{
		{"i", "'1'", `Invalid STRING constant (1) for "i" of type int`},
		{"i", "1.5", `Invalid FLOAT constant (1.5) for "i" of type int`},
		{"i", "99999999999", "Unable to make int from '99999999999'"},
		{"big", "99999999999999999999", "Unable to make long from '99999999999999999999'"},
		{"si", "40000", "Unable to make short from '40000'"},
		{"tiny", "200", "Unable to make byte from '200'"},
		{"de", "NaN", "unable to make BigDecimal from 'NaN'"},
		{"bo", "1", `Invalid INTEGER constant (1) for "bo" of type boolean`},
		{"bl", "'cafe'", `Invalid STRING constant (cafe) for "bl" of type blob`},
		{"bl", "0xabc", "cannot parse 'abc' as hex bytes"},
		{"u", "'550e8400-e29b-41d4-a716-446655440000'", `Invalid STRING constant (550e8400-e29b-41d4-a716-446655440000) for "u" of type uuid`},
		{"u", "0", `Invalid INTEGER constant (0) for "u" of type uuid`},
		{"tu", "550e8400-e29b-41d4-a716-446655440000", "TimeUUID supports only version 1 UUIDs"},
		{"ac", "'é'", "Invalid ASCII character in string literal: java.nio.charset.UnmappableCharacterException: Input length = 1"},
		{"ine", "'not an ip'", "Unable to make inet address from 'not an ip'"},
		{"ts", "'xyz'", "Unable to coerce 'xyz' to a formatted date (long)"},
		{"ts", "'2011-13-03'", "Unable to coerce '2011-13-03' to a formatted date (long)"},
		{"ts", "99999999999999999999", "Unable to make long (for date) from: '99999999999999999999'"},
		{"da", "'2011-02-30'", "Unable to coerce '2011-02-30' to a formatted date (long)"},
		{"da", "-1", "Unable to make unsigned int (for date) from: '-1'"},
		{"ti", "'25:00:00'", "(TimeType) Unable to coerce '25:00:00' to a formatted time (long)"},
		{"ti", "86400000000000", "Unable to make long (for time) from: '86400000000000'"},
		{"du", "12", "Unable to convert '12' to a duration"},
		{"du", "1d1d", "Invalid duration. The days are specified multiple times"},
		{"du", "1h1d", "Invalid duration. The hours should be after days"},
		{"du", "'1h'", `Invalid STRING constant (1h) for "du" of type duration`},
		{"te", "1", `Invalid INTEGER constant (1) for "te" of type text`},
		{"fl", "true", `Invalid BOOLEAN constant (true) for "fl" of type float`},
	} {
		f.fail(tt.msg, "INSERT INTO t (k, "+tt.col+") VALUES (0, "+tt.lit+")")
	}
}

func TestBoundValues(t *testing.T) {
	f := newFixture(t)
	f.ddl(`CREATE TABLE t (k int PRIMARY KEY, ac ascii, big bigint, bo boolean, da date, de decimal,
		dbl double, du duration, fl float, ine inet, i int, si smallint, te text, ti time, ts timestamp,
		tu timeuuid, tiny tinyint, u uuid, vi varint, bl blob)`)
	for _, tt := range []struct {
		col string
		val []byte
		msg string
	}{
		{"i", []byte{1, 2, 3}, "Expected 4 or 0 byte int (3)"},
		{"big", []byte{1}, "Expected 8 or 0 byte long (1)"},
		{"si", []byte{1, 2, 3}, "Expected 2 bytes for a smallint (3)"},
		{"tiny", []byte{1, 2}, "Expected 1 byte for a tinyint (2)"},
		{"bo", []byte{1, 2}, "Expected 1 or 0 byte value (2)"},
		{"dbl", []byte{1}, "Expected 8 or 0 byte value for a double (1)"},
		{"fl", []byte{1}, "Expected 4 or 0 byte value for a float (1)"},
		{"u", []byte{1}, "UUID should be 16 or 0 bytes (1)"},
		{"tu", make([]byte, 16), "Invalid version for TimeUUID type."},
		{"ts", []byte{1}, "Expected 8 or 0 byte long for date (1)"},
		{"da", []byte{1}, "Expected 4 byte long for date (1)"},
		{"ti", []byte{1}, "Expected 8 byte long for time (1)"},
		{"ine", []byte{1, 2, 3}, "Expected 4 or 16 byte inetaddress; got 010203"},
		{"ac", []byte{200}, "Invalid byte for ascii: -56"},
		{"te", []byte{0xff}, "String didn't validate."},
		{"de", []byte{1}, "Expected 0 or at least 4 bytes (1)"},
		{"du", []byte{1}, "Expected at least 3 bytes for a duration (1)"},
	} {
		f.fail(tt.msg, "INSERT INTO t (k, "+tt.col+") VALUES (0, ?)", tt.val)
		f.fail(tt.msg, "SELECT * FROM t WHERE k = 0 AND "+tt.col+" = ? ALLOW FILTERING", tt.val)
	}
	// Valid bound values are stored as sent, empty values included.
	for _, tt := range []struct {
		col string
		val []byte
	}{
		{"i", []byte{}}, {"big", codec.AppendLong(nil, -5)}, {"bl", []byte{}}, {"te", []byte("x")},
		{"vi", []byte{0xff, 0x00}}, {"u", make([]byte, 16)},
	} {
		f.exec("INSERT INTO t (k, "+tt.col+") VALUES (1, ?)", tt.val)
		r := f.exec("SELECT " + tt.col + " FROM t WHERE k = 1")
		if got := r.Rows[0][0]; hex.EncodeToString(got) != hex.EncodeToString(tt.val) || got == nil {
			t.Errorf("%s: got %x, want %x", tt.col, got, tt.val)
		}
	}
	// Bound WHERE values: nulls and unsets.
	f.fail("Invalid null value in condition for column k", "SELECT * FROM t WHERE k = ?", nil)
	f.fail("Invalid unset value for column k", "SELECT * FROM t WHERE k = ?", unset)
	f.fail("Invalid null value for column k", "SELECT * FROM t WHERE k IN ?", nil)
	f.fail("Invalid unset value for column k", "SELECT * FROM t WHERE k IN ?", unset)
	f.fail("Unsupported null value for column i", "SELECT * FROM t WHERE k = 0 AND i = ? ALLOW FILTERING", nil)
	f.fail("Unsupported unset value for column i", "SELECT * FROM t WHERE k = 0 AND i = ? ALLOW FILTERING", unset)
	f.fail("Invalid null value of limit", "SELECT * FROM t LIMIT ?", nil)
	f.exec("SELECT * FROM t LIMIT ?", unset)
	f.fail("Invalid null token value", "SELECT * FROM t WHERE token(k) > ?", nil)
}
