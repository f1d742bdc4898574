package cqlquery

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
)

// Literal conversion: which constants a receiver accepts
// (Constants.Literal.testAssignment) and how the receiver's type reads
// them (AbstractType.fromString of each marshal type, with the
// MarshalException messages of 3.11).

// nativeName returns the CQL native type name of t ("int", "text", ...)
// with ReversedType removed, or "" for a collection, tuple, user or custom
// type.
func nativeName(t codec.Type) string {
	if r, ok := t.(*codec.ReversedType); ok {
		t = r.Base()
	}
	switch t.(type) {
	case *codec.CollectionType, *codec.TupleType, *codec.UserType:
		return ""
	}
	name := codec.CQLName(t)
	if _, ok := codec.NativeCQLType(name); !ok {
		return ""
	}
	return name
}

// isCustom reports a custom (non-CQL) marshal type, which accepts any
// constant.
func isCustom(t codec.Type) bool {
	if r, ok := t.(*codec.ReversedType); ok {
		t = r.Base()
	}
	switch t.(type) {
	case *codec.CollectionType, *codec.TupleType, *codec.UserType:
		return false
	}
	return nativeName(t) == "" && t != codec.Empty
}

// literalAssignable is Constants.Literal.testAssignment.
func literalAssignable(kind cqlparse.LiteralKind, t codec.Type) bool {
	if isCustom(t) {
		return true
	}
	switch nativeName(t) {
	case "ascii", "text", "inet":
		return kind == cqlparse.LitString
	case "date", "time", "timestamp":
		return kind == cqlparse.LitString || kind == cqlparse.LitInteger
	case "bigint", "counter", "int", "smallint", "tinyint", "varint":
		return kind == cqlparse.LitInteger
	case "decimal", "double", "float":
		return kind == cqlparse.LitInteger || kind == cqlparse.LitFloat
	case "duration":
		return kind == cqlparse.LitInteger || kind == cqlparse.LitDuration
	case "uuid", "timeuuid":
		return kind == cqlparse.LitUUID
	case "boolean":
		return kind == cqlparse.LitBoolean
	case "blob":
		return kind == cqlparse.LitHex
	}
	return false
}

// parseLiteral is Constants.Literal.parsedValue: the receiver type's
// fromString, HEX always read as bytes, counters as bigint. now is the
// clock for the timestamp literal 'now'.
func parseLiteral(kind cqlparse.LiteralKind, text string, t codec.Type, now func() time.Time) ([]byte, error) {
	if r, ok := t.(*codec.ReversedType); ok {
		t = r.Base()
	}
	if kind == cqlparse.LitHex {
		return hexBytes(text[2:])
	}
	if isCustom(t) {
		b, err := codec.FromString(t, text)
		if err != nil {
			return nil, invalid(err.Error())
		}
		return b, nil
	}
	switch nativeName(t) {
	case "int":
		if text == "" {
			return []byte{}, nil
		}
		n, err := strconv.ParseInt(text, 10, 32)
		if err != nil {
			return nil, invalidf("Unable to make int from '%s'", text)
		}
		return codec.AppendInt32(nil, int32(n)), nil
	case "bigint", "counter":
		if text == "" {
			return []byte{}, nil
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, invalidf("Unable to make long from '%s'", text)
		}
		return codec.AppendLong(nil, n), nil
	case "smallint":
		n, err := strconv.ParseInt(text, 10, 16)
		if err != nil {
			return nil, invalidf("Unable to make short from '%s'", text)
		}
		return binary.BigEndian.AppendUint16(nil, uint16(n)), nil
	case "tinyint":
		n, err := strconv.ParseInt(text, 10, 8)
		if err != nil {
			return nil, invalidf("Unable to make byte from '%s'", text)
		}
		return []byte{byte(n)}, nil
	case "varint":
		if text == "" {
			return []byte{}, nil
		}
		v, ok := new(big.Int).SetString(text, 10)
		if !ok {
			return nil, invalidf("unable to make int from '%s'", text)
		}
		return codec.AppendBigVarint(nil, v), nil
	case "decimal":
		if text == "" {
			return []byte{}, nil
		}
		b, ok := parseBigDecimal(text)
		if !ok {
			return nil, invalidf("unable to make BigDecimal from '%s'", text)
		}
		return b, nil
	case "float":
		if text == "" {
			return []byte{}, nil
		}
		f, ok := parseJavaFloat(text, 32)
		if !ok {
			return nil, invalidf("Unable to make float from '%s'", text)
		}
		return codec.AppendFloat(nil, float32(f)), nil
	case "double":
		if text == "" {
			return []byte{}, nil
		}
		f, ok := parseJavaFloat(text, 64)
		if !ok {
			return nil, invalidf("Unable to make double from '%s'", text)
		}
		return codec.AppendDouble(nil, f), nil
	case "boolean":
		switch {
		case text == "" || strings.EqualFold(text, "false"):
			return []byte{0}, nil
		case strings.EqualFold(text, "true"):
			return []byte{1}, nil
		}
		return nil, invalidf("Unable to make boolean from '%s'", text)
	case "ascii":
		for _, r := range text {
			if r >= 0x80 {
				n := 1
				if r > 0xFFFF {
					n = 2 // a surrogate pair in Java's UTF-16
				}
				return nil, invalidf("Invalid ASCII character in string literal: java.nio.charset.UnmappableCharacterException: Input length = %d", n)
			}
		}
		return []byte(text), nil
	case "text":
		return []byte(text), nil
	case "inet":
		return parseInet(text)
	case "uuid":
		if text == "" {
			return []byte{}, nil
		}
		u, err := uuid.Parse(text)
		if err != nil || len(text) != 36 {
			return nil, invalidf("Unable to make UUID from '%s'", text)
		}
		return u[:], nil
	case "timeuuid":
		if text == "" {
			return []byte{}, nil
		}
		u, err := uuid.Parse(text)
		if err != nil || len(text) != 36 {
			return nil, invalidf("Unknown timeuuid representation: %s", text)
		}
		if u.Version() != 1 {
			return nil, invalid("TimeUUID supports only version 1 UUIDs")
		}
		return u[:], nil
	case "timestamp":
		if text == "" {
			return []byte{}, nil
		}
		ms, err := parseTimestamp(text, now)
		if err != nil {
			return nil, err
		}
		return codec.AppendLong(nil, ms), nil
	case "date":
		d, err := parseDate(text)
		if err != nil {
			return nil, err
		}
		return binary.BigEndian.AppendUint32(nil, d), nil
	case "time":
		ns, err := parseTime(text)
		if err != nil {
			return nil, err
		}
		return codec.AppendLong(nil, ns), nil
	case "duration":
		if text == "" {
			return []byte{}, nil
		}
		d, err := parseDuration(text)
		if err != nil {
			return nil, err
		}
		return codec.Duration.Pack(d)
	case "blob":
		return hexBytes(text)
	}
	return nil, invalidf("cannot read a literal of type %s", codec.CQLName(t))
}

// hexBytes is BytesType.fromString over Hex.hexToBytes, which refuses an
// odd count of digits.
func hexBytes(s string) ([]byte, error) {
	h := s
	if len(h)%2 == 1 {
		return nil, invalidf("cannot parse '%s' as hex bytes", s)
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, invalidf("cannot parse '%s' as hex bytes", s)
	}
	if b == nil {
		b = []byte{}
	}
	return b, nil
}

// parseJavaFloat reads a number as Float.parseFloat or
// Double.parseDouble does: overflow gives an infinity, not an error.
func parseJavaFloat(s string, bits int) (float64, bool) {
	switch s {
	case "NaN":
		// Java's canonical NaN (Double.NaN, Float.NaN once narrowed).
		return math.Float64frombits(0x7ff8000000000000), true
	case "Infinity", "+Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9') && r != '.' && r != 'e' && r != 'E' && r != '+' && r != '-' {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

// parseBigDecimal reads a number as new BigDecimal(String) does and
// encodes it as DecimalType: a 4-byte scale, then the unscaled value.
func parseBigDecimal(s string) ([]byte, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var digits strings.Builder
	frac := 0
	seenDot, any := false, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits.WriteByte(c)
			any = true
			if seenDot {
				frac++
			}
		case c == '.' && !seenDot:
			seenDot = true
		default:
			goto exp
		}
	}
exp:
	if !any {
		return nil, false
	}
	var e int64
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return nil, false
		}
		n, err := strconv.ParseInt(s[i+1:], 10, 32)
		if err != nil || s[i+1:] == "" {
			return nil, false
		}
		e = n
	}
	scale := int64(frac) - e
	if scale < math.MinInt32 || scale > math.MaxInt32 {
		return nil, false
	}
	unscaled, ok := new(big.Int).SetString(digits.String(), 10)
	if !ok {
		return nil, false
	}
	if neg {
		unscaled.Neg(unscaled)
	}
	out := codec.AppendInt32(nil, int32(scale))
	return codec.AppendBigVarint(out, unscaled), true
}

// parseInet is InetAddressType.fromString for numeric addresses; an
// IPv4-mapped IPv6 address is an IPv4 address, as Java makes it.
func parseInet(s string) ([]byte, error) {
	if s == "" {
		return []byte{}, nil
	}
	if s == "localhost" {
		return []byte{127, 0, 0, 1}, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return nil, invalidf("Unable to make inet address from '%s'", s)
	}
	a = a.Unmap()
	return a.AsSlice(), nil
}

var (
	rawNumber = func(s string) bool {
		if strings.HasPrefix(s, "-") {
			s = s[1:]
		}
		if s == "" {
			return false
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
)

// parseTimestamp is TimestampSerializer.dateStringToTimestamp: "now",
// milliseconds since the epoch, or one of its date and time patterns.
// Strings without a zone are read in UTC (3.11 reads them in the JVM's
// zone).
func parseTimestamp(s string, now func() time.Time) (int64, error) {
	if strings.EqualFold(s, "now") {
		if now == nil {
			now = time.Now
		}
		return now().UnixMilli(), nil
	}
	if rawNumber(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, invalidf("Unable to make long (for date) from: '%s'", s)
		}
		return n, nil
	}
	ms, ok := parseDateTimeStrictly(s)
	if !ok {
		return 0, invalidf("Unable to coerce '%s' to a formatted date (long)", s)
	}
	return ms, nil
}

// digitsAt reads a run of ASCII digits at s[i:] (at most max, 0 for any).
func digitsAt(s string, i, max int) (int64, int, bool) {
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' && (max == 0 || j-i < max) {
		j++
	}
	if j == i || j-i > 18 {
		return 0, i, false
	}
	n, _ := strconv.ParseInt(s[i:j], 10, 64)
	return n, j, true
}

// parseDateTimeStrictly reads the patterns of TimestampSerializer with
// SimpleDateFormat's strict parsing: yyyy-MM-dd, optionally followed by a
// space or 'T' and HH:mm[:ss[.SSS]], optionally followed by a zone (Z,
// +hh, +hhmm, +hh:mm attached, or " UTC", " GMT+hh:mm", " +hhmm").
func parseDateTimeStrictly(s string) (int64, bool) {
	year, i, ok := digitsAt(s, 0, 0)
	if !ok || i >= len(s) || s[i] != '-' || year < 1 || year > 292278994 {
		return 0, false
	}
	month, i, ok := digitsAt(s, i+1, 0)
	if !ok || i >= len(s) || s[i] != '-' {
		return 0, false
	}
	day, i, ok := digitsAt(s, i+1, 0)
	if !ok || month < 1 || month > 12 || day < 1 || day > int64(daysIn(int(year), int(month))) {
		return 0, false
	}
	var hour, min, sec, ms int64
	if i < len(s) && (s[i] == ' ' || s[i] == 'T') && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
		hour, i, ok = digitsAt(s, i+1, 0)
		if !ok || i >= len(s) || s[i] != ':' {
			return 0, false
		}
		min, i, ok = digitsAt(s, i+1, 0)
		if !ok || hour > 23 || min > 59 {
			return 0, false
		}
		if i < len(s) && s[i] == ':' {
			sec, i, ok = digitsAt(s, i+1, 0)
			if !ok || sec > 59 {
				return 0, false
			}
			if i < len(s) && s[i] == '.' {
				ms, i, ok = digitsAt(s, i+1, 0)
				if !ok || ms > 999 {
					return 0, false
				}
			}
		}
	}
	offset, ok := parseZone(s[i:])
	if !ok {
		return 0, false
	}
	days := daysFromCivil(year, month, day)
	return ((days*24+hour)*60+min)*60000 + sec*1000 + ms - offset*60000, true
}

// parseZone reads the zone that may end a timestamp string; it returns
// the offset in minutes east of UTC.
func parseZone(z string) (int64, bool) {
	if z == "" {
		return 0, true
	}
	if z[0] == ' ' {
		z = z[1:]
		switch strings.ToUpper(z) {
		case "UTC", "GMT", "UT", "Z":
			return 0, true
		}
		if strings.HasPrefix(z, "GMT") && len(z) > 3 {
			return isoOffset(z[3:], true)
		}
		return isoOffset(z, false)
	}
	if z == "Z" {
		return 0, true
	}
	return isoOffset(z, true)
}

// isoOffset reads +hh, +hhmm or +hh:mm (colon only when allowed).
func isoOffset(z string, colon bool) (int64, bool) {
	if len(z) < 3 || (z[0] != '+' && z[0] != '-') {
		return 0, false
	}
	sign := int64(1)
	if z[0] == '-' {
		sign = -1
	}
	body := z[1:]
	var h, m int64
	switch {
	case len(body) == 2:
		h, _, _ = digitsAt(body, 0, 2)
	case len(body) == 4:
		h, _, _ = digitsAt(body, 0, 2)
		m, _, _ = digitsAt(body, 2, 2)
	case len(body) == 5 && colon && body[2] == ':':
		h, _, _ = digitsAt(body, 0, 2)
		m, _, _ = digitsAt(body, 3, 2)
	default:
		return 0, false
	}
	for i := 0; i < len(body); i++ {
		if body[i] != ':' && (body[i] < '0' || body[i] > '9') {
			return 0, false
		}
	}
	if h > 23 || m > 59 {
		return 0, false
	}
	return sign * (h*60 + m), true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// daysFromCivil is the day number of a proleptic Gregorian date, 0 on
// 1970-01-01.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// The date range SimpleDateSerializer accepts: every day an unsigned
// 32-bit count centred on the epoch can name.
const (
	minDateDays = math.MinInt32
	maxDateDays = math.MaxInt32
)

// parseDate is SimpleDateSerializer.dateStringToDays: a raw unsigned day
// count (the epoch at 2^31) or yyyy-MM-dd in UTC.
func parseDate(s string) (uint32, error) {
	if rawNumber(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > math.MaxUint32 {
			return 0, invalidf("Unable to make unsigned int (for date) from: '%s'", s)
		}
		return uint32(n), nil
	}
	neg := false
	t := s
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		neg = t[0] == '-'
		t = t[1:]
	}
	year, i, ok := digitsAt(t, 0, 9)
	if ok && i < len(t) && t[i] == '-' {
		var month, day int64
		month, i, ok = digitsAt(t, i+1, 2)
		if ok && i < len(t) && t[i] == '-' {
			day, i, ok = digitsAt(t, i+1, 2)
			if ok && i == len(t) {
				if neg {
					year = -year
				}
				if month >= 1 && month <= 12 && day >= 1 && day <= int64(daysInLong(year, month)) {
					days := daysFromCivil(year, month, day)
					if days < minDateDays {
						return 0, invalidf("Input date %s is less than min supported date %s", s, formatCivil(minDateDays))
					}
					if days > maxDateDays {
						return 0, invalidf("Input date %s is greater than max supported date %s", s, formatCivil(maxDateDays))
					}
					return uint32(days + 1<<31), nil
				}
			}
		}
	}
	return 0, invalidf("Unable to coerce '%s' to a formatted date (long)", s)
}

func daysInLong(year, month int64) int {
	switch month {
	case 2:
		if (year%4 == 0 && year%100 != 0) || year%400 == 0 {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// formatCivil renders a day number as yyyy-MM-dd (LocalDate.toString).
func formatCivil(days int64) string {
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	if y > 9999 {
		return fmt.Sprintf("+%d-%02d-%02d", y, m, d)
	}
	if y < 0 {
		return fmt.Sprintf("-%04d-%02d-%02d", -y, m, d)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

const nanosPerDay = 86400 * 1_000_000_000

// parseTime is TimeSerializer.timeStringToLong: nanoseconds since
// midnight, or hh:mm:ss[.fffffffff].
func parseTime(s string) (int64, error) {
	if rawNumber(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n >= nanosPerDay {
			return 0, invalidf("Unable to make long (for time) from: '%s'", s)
		}
		return n, nil
	}
	ns, ok := parseTimeStrictly(strings.TrimSpace(s))
	if !ok {
		return 0, invalidf("(TimeType) Unable to coerce '%s' to a formatted time (long)", s)
	}
	return ns, nil
}

// javaInt is Integer.parseInt.
func javaInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 32)
	return n, err == nil
}

func parseTimeStrictly(s string) (int64, bool) {
	first := strings.IndexByte(s, ':')
	second := -1
	if first >= 0 {
		if j := strings.IndexByte(s[first+1:], ':'); j >= 0 {
			second = first + 1 + j
		}
	}
	if !(first > 0 && second > 0 && second < len(s)-1) {
		return 0, false
	}
	hour, ok := javaInt(s[:first])
	if !ok || hour < 0 || hour >= 24 {
		return 0, false
	}
	minute, ok := javaInt(s[first+1 : second])
	if !ok || minute < 0 || minute >= 60 {
		return 0, false
	}
	var second64, nanos int64
	period := -1
	if j := strings.IndexByte(s[second+1:], '.'); j >= 0 {
		period = second + 1 + j
	}
	switch {
	case period > 0 && period < len(s)-1:
		second64, ok = javaInt(s[second+1 : period])
		if !ok || second64 < 0 || second64 >= 60 {
			return 0, false
		}
		frac := s[period+1:]
		if len(frac) > 9 || frac[0] < '0' || frac[0] > '9' {
			return 0, false
		}
		frac += strings.Repeat("0", 9-len(frac))
		nanos, ok = javaInt(frac)
		if !ok {
			return 0, false
		}
	case period > 0:
		return 0, false
	default:
		second64, ok = javaInt(s[second+1:])
		if !ok || second64 < 0 || second64 >= 60 {
			return 0, false
		}
	}
	return ((hour*60+minute)*60+second64)*1_000_000_000 + nanos, true
}

// parseDuration is Duration.from: units (12h30m), ISO 8601 with
// designators (P1DT2H), weeks (P2W) or the alternative form
// (P0001-02-03T04:05:06).
func parseDuration(input string) (codec.DurationValue, error) {
	neg := strings.HasPrefix(input, "-")
	src := input
	if neg {
		src = input[1:]
	}
	b := &durationBuilder{neg: neg}
	fail := func() (codec.DurationValue, error) {
		return codec.DurationValue{}, invalidf("Unable to convert '%s' to a duration", src)
	}
	var err error
	switch {
	case strings.HasPrefix(src, "P") && strings.HasSuffix(src, "W"):
		n, ok := allDigits(src[1 : len(src)-1])
		if !ok {
			return fail()
		}
		err = b.add(3, n)
	case strings.HasPrefix(src, "P") && strings.Contains(src, "-"):
		// PYYYY-MM-DDThh:mm:ss
		r := src[1:]
		if len(r) != 19 || r[4] != '-' || r[7] != '-' || r[10] != 'T' || r[13] != ':' || r[16] != ':' {
			return fail()
		}
		for _, f := range []struct {
			unit int
			from int
			to   int
		}{{1, 0, 4}, {2, 5, 7}, {4, 8, 10}, {5, 11, 13}, {6, 14, 16}, {7, 17, 19}} {
			n, ok := allDigits(r[f.from:f.to])
			if !ok {
				return fail()
			}
			if err = b.add(f.unit, n); err != nil {
				break
			}
		}
	case strings.HasPrefix(src, "P"):
		r := src[1:]
		date, tm, hasT := strings.Cut(r, "T")
		units := []struct {
			unit int
			d    byte
		}{{1, 'Y'}, {2, 'M'}, {4, 'D'}}
		if !parseDesignators(date, units, b, &err) {
			return fail()
		}
		if hasT && err == nil {
			if !parseDesignators(tm, []struct {
				unit int
				d    byte
			}{{5, 'H'}, {6, 'M'}, {7, 'S'}}, b, &err) {
				return fail()
			}
		}
	default:
		r := src
		if r == "" {
			return fail()
		}
		for r != "" && err == nil {
			j := 0
			for j < len(r) && r[j] >= '0' && r[j] <= '9' {
				j++
			}
			if j == 0 {
				return fail()
			}
			n, ok := allDigits(r[:j])
			if !ok {
				return fail()
			}
			r = r[j:]
			unit, size := durationUnit(r)
			if unit == 0 {
				return fail()
			}
			r = r[size:]
			err = b.add(unit, n)
		}
	}
	if err != nil {
		return codec.DurationValue{}, err
	}
	return b.build(), nil
}

// parseDesignators reads ISO 8601 nY nM nD (or nH nM nS) in order, each
// optional.
func parseDesignators(s string, units []struct {
	unit int
	d    byte
}, b *durationBuilder, err *error) bool {
	k := 0
	for s != "" {
		j := 0
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == 0 || j == len(s) {
			return false
		}
		for k < len(units) && units[k].d != s[j] {
			k++
		}
		if k == len(units) {
			return false
		}
		n, ok := allDigits(s[:j])
		if !ok {
			return false
		}
		if *err == nil {
			*err = b.add(units[k].unit, n)
		}
		k++
		s = s[j+1:]
	}
	return true
}

func allDigits(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// durationUnit reads a unit symbol of the standard format (case
// insensitive, longest first), returning its index (years = 1 ...
// nanoseconds = 10) and length.
func durationUnit(r string) (int, int) {
	l := strings.ToLower(r)
	for _, u := range []struct {
		sym  string
		unit int
	}{{"mo", 2}, {"ms", 8}, {"us", 9}, {"µs", 9}, {"ns", 10}, {"y", 1}, {"w", 3}, {"d", 4}, {"h", 5}, {"m", 6}, {"s", 7}} {
		if strings.HasPrefix(l, u.sym) {
			return u.unit, len(u.sym)
		}
	}
	return 0, 0
}

// durationBuilder is Duration.Builder: units in decreasing size, each at
// most once, totals within 32 bits (months, days) or 64 (nanoseconds).
type durationBuilder struct {
	neg          bool
	months, days int64
	nanos        int64
	current      int
}

var durationUnitNames = [...]string{"", "years", "months", "weeks", "days", "hours", "minutes", "seconds",
	"milliseconds", "microseconds", "nanoseconds"}

func (b *durationBuilder) add(unit int, n int64) error {
	if unit == b.current {
		return invalidf("Invalid duration. The %s are specified multiple times", durationUnitNames[unit])
	}
	if unit <= b.current {
		return invalidf("Invalid duration. The %s should be after %s", durationUnitNames[b.current], durationUnitNames[unit])
	}
	b.current = unit
	check := func(limit int64, name string) error {
		if n > limit {
			return invalidf("Invalid duration. The total number of %s must be less or equal to %d", name, math.MaxInt32)
		}
		return nil
	}
	switch unit {
	case 1, 2:
		per := int64(1)
		if unit == 1 {
			per = 12
		}
		if err := check((math.MaxInt32-b.months)/per, "months"); err != nil {
			return err
		}
		b.months += n * per
	case 3, 4:
		per := int64(1)
		if unit == 3 {
			per = 7
		}
		if err := check((math.MaxInt32-b.days)/per, "days"); err != nil {
			return err
		}
		b.days += n * per
	default:
		per := [...]int64{5: 3600e9, 6: 60e9, 7: 1e9, 8: 1e6, 9: 1e3, 10: 1}[unit]
		if err := check((math.MaxInt64-b.nanos)/per, "nanoseconds"); err != nil {
			return err
		}
		b.nanos += n * per
	}
	return nil
}

func (b *durationBuilder) build() codec.DurationValue {
	d := codec.DurationValue{Months: int32(b.months), Days: int32(b.days), Nanos: b.nanos}
	if b.neg {
		d = codec.DurationValue{Months: -d.Months, Days: -d.Days, Nanos: -d.Nanos}
	}
	return d
}
