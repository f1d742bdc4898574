package codec

import (
	"bytes"
	"encoding/hex"
	"net"
	"net/netip"
)

// marshalPkg is the Java package of Cassandra's built-in types; a class
// name without a dot lives there.
const marshalPkg = "org.apache.cassandra.db.marshal."

// The built-in types without parameters.
var (
	// Bytes is BytesType: raw bytes, unsigned lexicographic order.
	Bytes Type = bytesType{}
	// Ascii is AsciiType: 7-bit text.
	Ascii Type = asciiType{}
	// UTF8 is UTF8Type: UTF-8 text in code-point (unsigned byte) order.
	UTF8 Type = utf8Type{}
	// InetAddress is InetAddressType: a 4- or 16-byte IP address.
	InetAddress Type = inetType{}
)

// ---- BytesType

type bytesType struct{}

func (bytesType) Class() string                              { return marshalPkg + "BytesType" }
func (t bytesType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (bytesType) Compare(a, b []byte) int                    { return bytes.Compare(a, b) }
func (bytesType) Validate([]byte) error                      { return nil }

func (t bytesType) Pack(v any) ([]byte, error) { return packText(t, v) }
func (t bytesType) appendPack(dst []byte, v any, _ Bound) ([]byte, error) {
	return appendText(t, dst, v)
}

// packText copies text into a new slice of exactly its length (never nil,
// so an empty value is still a value on the wire).
func packText(t Type, v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		return append(make([]byte, 0, len(x)), x...), nil
	case []byte:
		return append(make([]byte, 0, len(x)), x...), nil
	}
	return appendText(t, []byte{}, v)
}

func appendText(t Type, dst []byte, v any) ([]byte, error) {
	b, s, ok := toBytes(v)
	if !ok {
		return nil, packErr(t, v, ErrUnsupported)
	}
	if b != nil {
		return append(dst, b...), nil
	}
	return append(dst, s...), nil
}

func (bytesType) Unpack(b []byte) (any, error) { return append(make([]byte, 0, len(b)), b...), nil }

// ---- AsciiType

type asciiType struct{}

func (asciiType) Class() string                              { return marshalPkg + "AsciiType" }
func (t asciiType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (asciiType) Compare(a, b []byte) int                    { return bytes.Compare(a, b) }
func (asciiType) Unpack(b []byte) (any, error)               { return string(b), nil }

// Pack passes text through unchanged, as pycassa does; Validate (or the
// server) rejects bytes above 127.
func (t asciiType) Pack(v any) ([]byte, error) { return packText(t, v) }

func (t asciiType) appendPack(dst []byte, v any, _ Bound) ([]byte, error) {
	return appendText(t, dst, v)
}

func (t asciiType) Validate(b []byte) error {
	for _, c := range b {
		if c > 127 {
			// Java prints the signed byte: 0x80 is "-128".
			return invalid(t, "Invalid byte for ascii: %d", int8(c))
		}
	}
	return nil
}

// ---- UTF8Type

type utf8Type struct{}

func (utf8Type) Class() string                              { return marshalPkg + "UTF8Type" }
func (t utf8Type) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (utf8Type) Compare(a, b []byte) int                    { return bytes.Compare(a, b) }
func (utf8Type) Unpack(b []byte) (any, error)               { return string(b), nil }

// Pack encodes a Go string (already UTF-8) or passes bytes through, as
// pycassa passes a non-ASCII byte string through.
func (t utf8Type) Pack(v any) ([]byte, error) { return packText(t, v) }

func (t utf8Type) appendPack(dst []byte, v any, _ Bound) ([]byte, error) {
	return appendText(t, dst, v)
}

func (t utf8Type) Validate(b []byte) error {
	if !validUTF8(b) {
		return invalid(t, "String didn't validate.")
	}
	return nil
}

// validUTF8 is Cassandra's UTF8Serializer state machine. It is more lenient
// than utf8.Valid: it accepts surrogates (ED A0..BF ..), lead bytes F5..F7,
// any second byte after E0 except 80..9F, any second byte after F0 with bit
// 0x30 set, and the modified-UTF-8 NUL C0 80.
func validUTF8(b []byte) bool {
	const (
		start = iota
		two
		two80
		threeA0BF
		three80BF1
		three80BF2
		four90BF
		four80BF3
	)
	state := start
	for _, c := range b {
		switch state {
		case start:
			switch {
			case c < 0x80:
			case c&0xe0 == 0xc0:
				if c == 0xc0 {
					state = two80
				} else if c&0x1e == 0 {
					return false
				} else {
					state = two
				}
			case c&0xf0 == 0xe0:
				if c == 0xe0 {
					state = threeA0BF
				} else {
					state = three80BF2
				}
			case c&0xf8 == 0xf0:
				if c == 0xf0 {
					state = four90BF
				} else {
					state = four80BF3
				}
			default:
				return false
			}
		case two:
			if c&0xc0 != 0x80 {
				return false
			}
			state = start
		case two80:
			if c != 0x80 {
				return false
			}
			state = start
		case threeA0BF:
			if c&0xe0 == 0x80 {
				return false
			}
			state = three80BF1
		case three80BF1:
			if c&0xc0 != 0x80 {
				return false
			}
			state = start
		case three80BF2:
			if c&0xc0 != 0x80 {
				return false
			}
			state = three80BF1
		case four90BF:
			if c&0x30 == 0 {
				return false
			}
			state = three80BF2
		case four80BF3:
			if c&0xc0 != 0x80 {
				return false
			}
			state = three80BF2
		}
	}
	return state == start
}

// ---- InetAddressType

type inetType struct{}

func (inetType) Class() string                              { return marshalPkg + "InetAddressType" }
func (t inetType) PackBound(v any, _ Bound) ([]byte, error) { return t.Pack(v) }
func (inetType) Compare(a, b []byte) int                    { return bytes.Compare(a, b) }

// Pack writes IPv4 addresses (also IPv4-mapped net.IPs) as 4 bytes and
// IPv6 as 16, as Java's InetAddress.getAddress does.
func (t inetType) Pack(v any) ([]byte, error) {
	switch x := v.(type) {
	case net.IP:
		if v4 := x.To4(); v4 != nil {
			return append([]byte(nil), v4...), nil
		}
		if len(x) == net.IPv6len {
			return append([]byte(nil), x...), nil
		}
		return nil, packErr(t, v, reason(ErrLength, "an IP has 4 or 16 bytes, not %d", len(x)))
	case netip.Addr:
		if !x.IsValid() {
			return nil, packErr(t, v, reason(ErrRange, "the zero netip.Addr is not an address"))
		}
		return x.Unmap().AsSlice(), nil
	case string:
		a, err := netip.ParseAddr(x)
		if err != nil {
			return nil, packErr(t, v, reason(ErrMalformed, "%v", err))
		}
		return t.Pack(a)
	case []byte:
		if len(x) != 4 && len(x) != 16 {
			return nil, packErr(t, v, reason(ErrLength, "an IP has 4 or 16 bytes, not %d", len(x)))
		}
		return append([]byte(nil), x...), nil
	}
	return nil, packErr(t, v, ErrUnsupported)
}

// Unpack gives a net.IP (nil for empty input).
func (t inetType) Unpack(b []byte) (any, error) {
	switch len(b) {
	case 0:
		return nil, nil
	case 4, 16:
		return net.IP(append([]byte(nil), b...)), nil
	}
	return nil, unpackErr(t, b, reason(ErrLength, "an IP has 4 or 16 bytes"))
}

func (t inetType) Validate(b []byte) error {
	switch len(b) {
	case 0, 4, 16:
		return nil
	}
	return invalid(t, "Expected 4 or 16 byte inetaddress; got %s", hex.EncodeToString(b))
}
