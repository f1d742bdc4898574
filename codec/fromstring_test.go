package codec

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestFromString(t *testing.T) {
	dyn := DynamicComposite(DynamicAlias{'l', Long})
	tests := []struct {
		typ  Type
		in   string
		want string // hex
	}{
		{Bytes, "00ff", "00ff"},
		{Bytes, "abc", "0abc"},
		{Long, "", ""},
		{Long, "-1", "ffffffffffffffff"},
		{Int32, "-2", "fffffffe"},
		{Integer, "-129", "ff7f"},
		{Integer, "18446744073709551616", "010000000000000000"},
		{Decimal, "1.5", "00000001 0f"},
		{Decimal, "1E+3", "fffffffd 01"},
		{Double, "1.5", "3ff8000000000000"},
		{Double, "-Infinity", "fff0000000000000"},
		{Float, "1.5", "3fc00000"},
		{Boolean, "TRUE", "01"},
		{Boolean, "false", "00"},
		{Date, "1330909323456", "00000135e060a0c0"},
		{Date, "2012-03-05 01:02:03.456", "00000135e060a0c0"},
		{Timestamp, "2012-03-05T03:02:03.456+02:00", "00000135e060a0c0"},
		{Date, "2012-01-01", "000001349690d000"},
		{TimeUUID, "f7655d80-04fc-11e0-8080-808080808080", "f7655d8004fc11e08080808080808080"},
		{TimeUUID, "2010-12-11 08:02:15", "f7655d8004fc11e08080808080808080"},
		{LexicalUUID, "f7655d80-04fc-11e0-8080-808080808080", "f7655d8004fc11e08080808080808080"},
		{InetAddress, "10.0.0.1", "0a000001"},
		{InetAddress, "::1", "00000000000000000000000000000001"},
		{Reversed(Long), "7", "0000000000000007"},
		{Composite(Long, UTF8), `1:a\:b`, "0008 0000000000000001 00 0003 613a62 00"},
		{Composite(Long, UTF8), "1:_", "0008 0000000000000001 ff"},
		{Composite(Long, UTF8), "1:!", "0008 0000000000000001 01"},
		{Composite(Long, UTF8), "1:a!!", "0008 0000000000000001 00 0002 6121 00"},
		{dyn, "l@1:LongType@2", "806c 0008 0000000000000001 00 0008 4c6f6e6754797065 0008 0000000000000002 00"},
	}
	for _, tt := range tests {
		got, err := FromString(tt.typ, tt.in)
		if err != nil {
			t.Errorf("FromString(%s, %q): %v", ShortName(tt.typ), tt.in, err)
			continue
		}
		if want := unhex(t, tt.want); !bytes.Equal(got, want) || got == nil {
			t.Errorf("FromString(%s, %q) = %x, want %x", ShortName(tt.typ), tt.in, got, want)
		}
		// Format reads it back (dates aside: Cassandra's format drops seconds).
		if _, isDate := tt.typ.(dateType); !isDate {
			// A decimal's plain form keeps its value, not its scale ("1E+3" → "1000").
			if back, err := FromString(tt.typ, Format(tt.typ, got)); err != nil || (!bytes.Equal(back, got) && (tt.typ != Decimal || tt.typ.Compare(back, got) != 0)) {
				if _, isUUID := tt.typ.(uuidType); !isUUID || err != nil {
					t.Errorf("FromString(Format(%x)) = %x, %v", got, back, err)
				}
			}
		}
	}
	bad := []struct {
		typ    Type
		in     string
		reason error
	}{
		{Long, "x", ErrMalformed},
		{Long, "99999999999999999999", ErrRange},
		{Int32, "3000000000", ErrRange},
		{Bytes, "zz", ErrMalformed},
		{Ascii, "é", ErrMalformed},
		{Boolean, "yes", ErrMalformed},
		{Date, "yesterday", ErrMalformed},
		{LexicalUUID, "now", ErrMalformed},
		{InetAddress, "host.example", ErrMalformed},
		{Composite(Long), "1:2", ErrMalformed},
		{Composite(Long), "x", ErrMalformed},
		{Composite(Long), "!", ErrMalformed},
		{dyn, "1", ErrMalformed},
		{dyn, "Nope@1", ErrUnknownType},
	}
	for _, tt := range bad {
		_, err := FromString(tt.typ, tt.in)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, tt.reason) {
			t.Errorf("FromString(%s, %q) = %v, want *Error with %v", ShortName(tt.typ), tt.in, err, tt.reason)
		}
	}
	if b, err := FromString(TimeUUID, "now"); err != nil || len(b) != 16 || b[6]>>4 != 1 {
		t.Errorf("now: %x %v", b, err)
	}
}

// A number out of range says which number and which range, once.
func TestFromStringRangeMessages(t *testing.T) {
	for _, tc := range []struct {
		t    Type
		s    string
		want string
	}{
		{Long, "99999999999999999999", "99999999999999999999 is out of the range of LongType (-9223372036854775808 to 9223372036854775807)"},
		{Int32, "3000000000", "3000000000 is out of the range of Int32Type (-2147483648 to 2147483647)"},
		{Int32, "-3000000000", "-3000000000 is out of the range of Int32Type (-2147483648 to 2147483647)"},
		{Float, "1e39", "1e39 is out of the range of FloatType (±3.4028235e+38)"},
		{Double, "1e400", "1e400 is out of the range of DoubleType (±1.7976931348623157e+308)"},
	} {
		_, err := FromString(tc.t, tc.s)
		if err == nil || !errors.Is(err, ErrRange) {
			t.Errorf("%s %s: %v, want ErrRange", ShortName(tc.t), tc.s, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tc.want) || strings.Count(msg, "out of range") > 1 {
			t.Errorf("%s %s: %q, want it to say %q once", ShortName(tc.t), tc.s, msg, tc.want)
		}
	}
}
