package codec

import (
	"errors"
	"strings"
	"testing"
)

// TestValidate checks Cassandra's exact messages (each type's
// TypeSerializer.validate).
func TestValidate(t *testing.T) {
	comp := Composite(Long, UTF8)
	dyn := DynamicComposite(DynamicAlias{'l', Long}, DynamicAlias{'s', UTF8})
	tests := []struct {
		typ Type
		hex string
		msg string // "" = valid
	}{
		{Bytes, "ff00", ""},
		{Ascii, "61627f", ""},
		{Ascii, "6180", "Invalid byte for ascii: -128"},
		{Ascii, "61ff", "Invalid byte for ascii: -1"},
		{UTF8, "", ""},
		{UTF8, "6261c99472", ""},
		{UTF8, "f09f9880", ""},                    // U+1F600
		{UTF8, "eda080", ""},                      // a surrogate: Cassandra accepts it
		{UTF8, "f5808080", ""},                    // lead byte F5: accepted
		{UTF8, "f7bfbfbf", ""},                    // lead byte F7: accepted
		{UTF8, "c080", ""},                        // modified UTF-8 NUL
		{UTF8, "e04180", ""},                      // E0 then a non-continuation byte not in 80..9F: accepted
		{UTF8, "f0308080", ""},                    // F0 then a byte with bit 0x30: accepted
		{UTF8, "c081", "String didn't validate."}, // only C0 80 after C0
		{UTF8, "c1bf", "String didn't validate."},
		{UTF8, "e08080", "String didn't validate."},
		{UTF8, "f0808080", "String didn't validate."},
		{UTF8, "f8808080", "String didn't validate."},
		{UTF8, "80", "String didn't validate."},
		{UTF8, "c3", "String didn't validate."},
		{UTF8, "e282", "String didn't validate."},
		{Long, "", ""},
		{Long, "0000000000000001", ""},
		{Long, "010203", "Expected 8 or 0 byte long (3)"},
		{CounterColumn, "01", "Expected 8 or 0 byte long (1)"},
		{Int32, "00000001", ""},
		{Int32, "0001", "Expected 4 or 0 byte int (2)"},
		{Integer, "000001", ""},
		{Double, "01", "Expected 8 or 0 byte value for a double (1)"},
		{Float, "0102030405", "Expected 4 or 0 byte value for a float (5)"},
		{Decimal, "000000", "Expected 0 or at least 4 bytes (3)"},
		{Decimal, "00000000", ""},
		{Boolean, "0101", "Expected 1 or 0 byte value (2)"},
		{Date, "00", "Expected 8 or 0 byte long for date (1)"},
		{Timestamp, "0000000000", "Expected 8 or 0 byte long for date (5)"},
		{UUID, "00", "UUID should be 16 or 0 bytes (1)"},
		{UUID, "00000000000040008000000000000000", ""},
		{LexicalUUID, "00000000000040008000000000000000", ""},
		{TimeUUID, "00000000000040008000000000000000", "Invalid version for TimeUUID type."},
		{TimeUUID, "f7655d8004fc11e08080808080808080", ""},
		{TimeUUID, "0102", "UUID should be 16 or 0 bytes (2)"},
		{InetAddress, "7f000001", ""},
		{InetAddress, "7f0000", "Expected 4 or 16 byte inetaddress; got 7f0000"},
		{Reversed(Long), "01", "Expected 8 or 0 byte long (1)"},

		{comp, "0008 0000000000000001 00 0001 61 00", ""},
		{comp, "0008 0000000000000001 ff", ""},
		{comp, "0008 0000000000000001 00 0001 61 00 0001 61 00", "Too many bytes for comparator"},
		{comp, "00", "Not enough bytes to read value size of component 0"},
		{comp, "0008 0000000000000001 00 00", "Not enough bytes to read value size of component 1"},
		{comp, "0008 00000000", "Not enough bytes to read value of component 0"},
		{comp, "0008 0000000000000001", "Not enough bytes to read the end-of-component byte of component0"},
		{comp, "0008 0000000000000001 01 0001 61 00", "Invalid bytes remaining after an end-of-component at component0"},
		{comp, "0003 010203 00", "Expected 8 or 0 byte long (3)"},
		{comp, "0008 0000000000000001 00 0001 ff 00", "String didn't validate."},
		{comp, "ffff 0008 0000000000000001 00", ""}, // a static name

		{dyn, "806c 0008 0000000000000001 00 8073 0001 61 00", ""},
		{dyn, "0008 4c6f6e6754797065 0008 0000000000000001 00", ""},
		{dyn, "80", "Not enough bytes to header of the comparator part of component 0"},
		{dyn, "0008 4c6f6e67", "Not enough bytes to read comparator name of component 0"},
		{dyn, "8078 0001 61 00", "Cannot find comparator for component 0"},
		{dyn, "806c 0008 0000000000000001 00 0003 466f6f 0001 61 00", "Cannot find comparator for component 1"},
		{dyn, "806c 0002 0000 00", "Expected 8 or 0 byte long (2)"},
		{dyn, "806c 0008 0000000000000001", "Not enough bytes to read the end-of-component byte of component0"},
	}
	for _, tt := range tests {
		err := tt.typ.Validate(unhex(t, tt.hex))
		if tt.msg == "" {
			if err != nil {
				t.Errorf("%s.Validate(%s) = %v, want nil", ShortName(tt.typ), tt.hex, err)
			}
			continue
		}
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s.Validate(%s) = %v, want %q", ShortName(tt.typ), tt.hex, err, tt.msg)
			continue
		}
		if ve.Msg != tt.msg {
			t.Errorf("%s.Validate(%s).Msg = %q, want %q", ShortName(tt.typ), tt.hex, ve.Msg, tt.msg)
		}
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), ShortName(tt.typ)) {
			t.Errorf("%s: error %q should match ErrInvalid and name the type", ShortName(tt.typ), err)
		}
	}
}

// TestPackErrors: values that do not fit are errors naming type, value and reason.
func TestPackErrors(t *testing.T) {
	type myInt int64
	tests := []struct {
		typ    Type
		v      any
		reason error
		text   string
	}{
		{Long, "abc", ErrUnsupported, `codec: LongType: cannot pack string "abc": unsupported Go type`},
		{Long, uint64(1 << 63), ErrRange, "codec: LongType: cannot pack uint64 9223372036854775808: value out of range"},
		{Long, 1e19, ErrRange, ""},
		{Long, nil, ErrUnsupported, "codec: LongType: cannot pack nil: unsupported Go type"},
		{Int32, int64(1) << 40, ErrRange, "codec: Int32Type: cannot pack int64 1099511627776: value out of range"},
		{Int32, myInt(1) << 40, ErrRange, ""},
		{Int32, uint32(1 << 31), ErrRange, ""},
		{Float, 1e300, ErrRange, ""},
		{Double, "1.5", ErrUnsupported, ""},
		{Decimal, "abc", ErrMalformed, ""},
		{Date, "2012-01-01", ErrUnsupported, ""},
		{Date, 1e300, ErrRange, ""},
		{TimeUUID, "not a uuid", ErrMalformed, ""},
		{TimeUUID, []byte{1, 2}, ErrLength, ""},
		{TimeUUID, true, ErrUnsupported, ""},
		{InetAddress, "999.1.1.1", ErrMalformed, ""},
		{Bytes, 12, ErrUnsupported, ""},
		{UTF8, 12, ErrUnsupported, ""},
		{Boolean, nil, ErrUnsupported, ""},
		{Long, (*int64)(nil), ErrUnsupported, ""},
		{Composite(Long), Tuple{1, 2}, ErrRange, ""},
		{Composite(Long, Int32), Tuple{1, int64(1) << 40}, ErrRange, ""},
		{Composite(Bytes), Tuple{make([]byte, 70000)}, ErrRange, ""},
		{DynamicComposite(), Tuple{ByAlias('x', 1)}, ErrUnsupported, ""},
		{DynamicComposite(), Tuple{1}, ErrUnsupported, ""},
		{DynamicComposite(), Tuple{ByName("NoSuchType", 1)}, ErrUnknownType, ""},
	}
	for _, tt := range tests {
		_, err := tt.typ.Pack(tt.v)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, tt.reason) {
			t.Errorf("%s.Pack(%#v) = %v, want *Error with %v", ShortName(tt.typ), tt.v, err, tt.reason)
			continue
		}
		if e.Op != "pack" || !strings.Contains(err.Error(), ShortName(tt.typ)) {
			t.Errorf("error %q does not name the type", err)
		}
		if tt.text != "" && !strings.HasPrefix(err.Error(), tt.text) {
			t.Errorf("%s.Pack(%#v) error %q, want prefix %q", ShortName(tt.typ), tt.v, err, tt.text)
		}
	}
}

func TestUnpackErrors(t *testing.T) {
	tests := []struct {
		typ Type
		hex string
	}{
		{Long, "0102"}, {Int32, "01"}, {Double, "01"}, {Float, "01"}, {Boolean, "0101"},
		{Date, "01"}, {UUID, "01"}, {InetAddress, "010203"}, {Decimal, "01"}, {CounterColumn, "01"},
		{Decimal, "80000000 01"},
		{Composite(Long), "0008 00"}, {Composite(Long), "0002 0102 00"},
		{DynamicComposite(), "8061 0001 61 00"}, {DynamicComposite(), "00"},
	}
	for _, tt := range tests {
		_, err := tt.typ.Unpack(unhex(t, tt.hex))
		var e *Error
		if !errors.As(err, &e) || e.Op != "unpack" || !strings.Contains(err.Error(), ShortName(tt.typ)) {
			t.Errorf("%s.Unpack(%s) = %v, want *Error", ShortName(tt.typ), tt.hex, err)
		}
	}
}
