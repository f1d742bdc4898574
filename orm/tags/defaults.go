package tags

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// parseDefault parses a default= literal for a field of class c and
// non-pointer Go type t. The result has type t, except for ClassBigInt
// where it is a *big.Int. The grammar, by class:
//
//	string     the text as written (quote it to keep commas or blanks)
//	[]byte     0x followed by hex digits, otherwise standard base64
//	int, uint  strconv.ParseInt/ParseUint with base prefixes (0x1f, 0o17, 0b101)
//	float      strconv.ParseFloat
//	bool       strconv.ParseBool (true, false, 1, 0, t, f)
//	time.Time  RFC 3339 (2006-01-02T15:04:05Z07:00, fractions allowed) or a date 2006-01-02 (UTC)
//	Duration   time.ParseDuration (90s, 1h30m)
//	uuid       the canonical 8-4-4-4-12 form (and what uuid.Parse accepts)
//	decimal    decimal.NewFromString (12.50, -1e3)
//	big.Int    an integer in base 10, or with a base prefix
//	net.IP     an IPv4 or IPv6 address; netip.Addr the same
func parseDefault(c GoClass, t reflect.Type, s string) (any, error) {
	var v any
	switch c {
	case ClassString:
		v = s
	case ClassBytes:
		b, err := parseBytes(s)
		if err != nil {
			return nil, err
		}
		v = b
	case ClassInt:
		n, err := strconv.ParseInt(s, 0, t.Bits())
		if err != nil {
			return nil, numErr(err)
		}
		return reflect.ValueOf(n).Convert(t).Interface(), nil
	case ClassUint:
		n, err := strconv.ParseUint(s, 0, t.Bits())
		if err != nil {
			return nil, numErr(err)
		}
		return reflect.ValueOf(n).Convert(t).Interface(), nil
	case ClassFloat:
		f, err := strconv.ParseFloat(s, t.Bits())
		if err != nil {
			return nil, numErr(err)
		}
		return reflect.ValueOf(f).Convert(t).Interface(), nil
	case ClassBool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, errors.New("want true or false")
		}
		v = b
	case ClassTime:
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			var err2 error
			if tm, err2 = time.Parse(time.DateOnly, s); err2 != nil {
				return nil, errors.New("want an RFC 3339 time such as 2006-01-02T15:04:05Z, or a date 2006-01-02")
			}
		}
		return tm, nil
	case ClassDuration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return nil, errors.New("want a duration such as 90s or 1h30m")
		}
		return d, nil
	case ClassUUID:
		u, err := uuid.Parse(s)
		if err != nil {
			return nil, errors.New("want a UUID such as 6ba7b810-9dad-11d1-80b4-00c04fd430c8")
		}
		v = [16]byte(u)
	case ClassDecimal:
		d, err := decimal.NewFromString(s)
		if err != nil {
			return nil, errors.New("want a decimal number such as 12.50")
		}
		return d, nil
	case ClassBigInt:
		n, ok := new(big.Int).SetString(s, 0)
		if !ok {
			return nil, errors.New("want an integer")
		}
		return n, nil
	case ClassIP:
		ip := net.ParseIP(s)
		if ip == nil {
			return nil, errors.New("want an IPv4 or IPv6 address")
		}
		if ip4 := ip.To4(); ip4 != nil && !strings.Contains(s, ":") {
			ip = ip4
		}
		return ip, nil
	case ClassAddr:
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, errors.New("want an IPv4 or IPv6 address")
		}
		return a, nil
	default:
		return nil, fmt.Errorf("a Go %s field cannot have a default", t)
	}
	// Named types (type Status string) take the parsed value by conversion.
	rv := reflect.ValueOf(v)
	if !rv.Type().ConvertibleTo(t) {
		return nil, fmt.Errorf("a Go %s field cannot have a default", t)
	}
	return rv.Convert(t).Interface(), nil
}

func parseBytes(s string) ([]byte, error) {
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, errors.New("want hex digits after 0x")
		}
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	if b, err := base64.RawStdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return nil, errors.New("want 0x and hex digits, or standard base64")
}

// numErr drops strconv's repetition of the input, which the TagError
// already shows.
func numErr(err error) error {
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		if errors.Is(ne.Err, strconv.ErrRange) {
			return errors.New("value out of range for the field")
		}
		return errors.New("not a number of the field's kind")
	}
	return err
}
