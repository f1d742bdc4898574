package cqlsh

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/mattn/go-runewidth"
)

// cell is one value of a result row as the server sent it: gocql hands
// the raw bytes to UnmarshalCQL, and the shell formats them itself, as
// cqlsh's formatting.py does from the Python driver's values.
type cell struct {
	info gocql.TypeInfo
	data []byte // nil for null
}

// UnmarshalCQL keeps a copy of the value's bytes (gocql reuses its
// buffer).
func (c *cell) UnmarshalCQL(info gocql.TypeInfo, data []byte) error {
	c.info = info
	if data == nil {
		c.data = nil
		return nil
	}
	c.data = append(make([]byte, 0, len(data)), data...)
	return nil
}

// Colours of cqlsh's displaying.py (ANSI, bold).
const (
	ansiRed         = "\033[0;1;31m"
	ansiGreen       = "\033[0;1;32m"
	ansiYellow      = "\033[0;1;33m"
	ansiBlue        = "\033[0;1;34m"
	ansiMagenta     = "\033[0;1;35m"
	ansiCyan        = "\033[0;1;36m"
	ansiWhite       = "\033[0;1;37m"
	ansiDarkMagenta = "\033[0;35m"
	ansiReset       = "\033[0m"
)

// formatted is a value as shown: its text, the same with colours, and
// its width on a terminal (East Asian wide characters take two columns).
type formatted struct {
	text, colored string
	width         int
}

func plain(s string) formatted { return formatted{s, s, displayWidth(s)} }

// displayWidth is the number of terminal columns s takes, as Python's
// wcwidth.wcswidth counts them (combining marks take none, wide East
// Asian characters two).
func displayWidth(s string) int { return runewidth.StringWidth(s) }

// ljust pads v on the right to width columns.
func (v formatted) ljust(width int, color bool) string {
	return v.pick(color) + pad(width-v.width)
}

// rjust pads v on the left to width columns.
func (v formatted) rjust(width int, color bool) string {
	return pad(width-v.width) + v.pick(color)
}

func (v formatted) pick(color bool) string {
	if color {
		return v.colored
	}
	return v.text
}

func pad(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

// formatter renders values as cqlsh 3.11 does (formatting.py with the
// Python driver's types).
type formatter struct {
	floatPrecision  int // digits of float values (cqlshrc float_precision, 5)
	doublePrecision int // digits of double values (double_precision, 5)
	nullVal         string
	color           bool
	timeFormat      string // strftime format of timestamps
	boolStyle       [2]string
	decimalSep      string // COPY TO's DECIMALSEP; "" for '.'
	thousandsSep    string // COPY TO's THOUSANDSSEP; "" for none
	// errs collects values that could not be decoded, for the note
	// cqlsh prints after the rows.
	errs []string
}

// defaultTimeFormat is cqlsh's DEFAULT_TIMESTAMP_FORMAT.
const defaultTimeFormat = "%Y-%m-%d %H:%M:%S.%f%z"

func newFormatter(color bool) *formatter {
	return &formatter{
		floatPrecision:  5,
		doublePrecision: 5,
		nullVal:         "null",
		color:           color,
		timeFormat:      defaultTimeFormat,
		boolStyle:       [2]string{"True", "False"},
	}
}

// colorme is displaying.colorme: text in the colour of its kind.
func (f *formatter) colorme(text, kind string) formatted {
	return formatted{text, valueColor(kind) + text + ansiReset, displayWidth(text)}
}

func valueColor(kind string) string {
	switch kind {
	case "text", "default":
		return ansiYellow
	case "error":
		return ansiRed
	case "blob":
		return ansiDarkMagenta
	case "collection":
		return ansiBlue
	}
	return ansiGreen
}

// value formats one top-level value.
func (f *formatter) value(c cell) formatted {
	if c.data == nil {
		return f.colorme(f.nullVal, "error")
	}
	v, err := f.format(c.info, c.data, false)
	if err != nil {
		text := "0x" + hex.EncodeToString(c.data)
		f.errs = append(f.errs, fmt.Sprintf("Failed to format value %s : %v", text, err))
		return f.colorme(text, "error")
	}
	return v
}

var errShort = errors.New("value too short")

// format renders data of type info; quote is set inside collections,
// where text is quoted as a CQL literal.
func (f *formatter) format(info gocql.TypeInfo, data []byte, quote bool) (formatted, error) {
	if len(data) == 0 && !isStringType(info.Type()) && info.Type() != gocql.TypeBlob {
		// An empty value of a non-string type: the Python driver's EMPTY,
		// which format_value shows as ''.
		return f.defaultText(""), nil
	}
	switch info.Type() {
	case gocql.TypeAscii, gocql.TypeText, gocql.TypeVarchar:
		return f.text(string(data), quote), nil
	case gocql.TypeBlob:
		return f.colorme("0x"+hex.EncodeToString(data), "blob"), nil
	case gocql.TypeBoolean:
		if len(data) != 1 {
			return formatted{}, errShort
		}
		s := f.boolStyle[1]
		if data[0] != 0 {
			s = f.boolStyle[0]
		}
		return f.colorme(s, "boolean"), nil
	case gocql.TypeInt:
		if len(data) != 4 {
			return formatted{}, errShort
		}
		return f.integer(big.NewInt(int64(int32(binary.BigEndian.Uint32(data))))), nil
	case gocql.TypeBigInt, gocql.TypeCounter:
		if len(data) != 8 {
			return formatted{}, errShort
		}
		return f.integer(big.NewInt(int64(binary.BigEndian.Uint64(data)))), nil
	case gocql.TypeSmallInt:
		if len(data) != 2 {
			return formatted{}, errShort
		}
		return f.integer(big.NewInt(int64(int16(binary.BigEndian.Uint16(data))))), nil
	case gocql.TypeTinyInt:
		if len(data) != 1 {
			return formatted{}, errShort
		}
		return f.integer(big.NewInt(int64(int8(data[0])))), nil
	case gocql.TypeVarint:
		return f.integer(varint(data)), nil
	case gocql.TypeFloat:
		if len(data) != 4 {
			return formatted{}, errShort
		}
		return f.float(float64(math.Float32frombits(binary.BigEndian.Uint32(data))), f.floatPrecision), nil
	case gocql.TypeDouble:
		if len(data) != 8 {
			return formatted{}, errShort
		}
		return f.float(math.Float64frombits(binary.BigEndian.Uint64(data)), f.doublePrecision), nil
	case gocql.TypeDecimal:
		if len(data) < 4 {
			return formatted{}, errShort
		}
		s := pythonDecimal(varint(data[4:]), int32(binary.BigEndian.Uint32(data)))
		if f.decimalSep != "" && f.decimalSep != "." || f.thousandsSep != "" {
			d, _ := strconv.ParseFloat(s, 64)
			return f.float(d, f.floatPrecision), nil
		}
		return f.colorme(s, "decimal"), nil
	case gocql.TypeUUID, gocql.TypeTimeUUID:
		if len(data) != 16 {
			return formatted{}, errShort
		}
		u, _ := gocql.UUIDFromBytes(data)
		return f.colorme(u.String(), "uuid"), nil
	case gocql.TypeInet:
		a, ok := netip.AddrFromSlice(data)
		if !ok {
			return formatted{}, fmt.Errorf("bad inet address of %d bytes", len(data))
		}
		return f.quoted(a.String(), "inet", quote), nil
	case gocql.TypeTimestamp:
		if len(data) != 8 {
			return formatted{}, errShort
		}
		return f.quoted(f.timestamp(int64(binary.BigEndian.Uint64(data))), "timestamp", quote), nil
	case gocql.TypeDate:
		if len(data) != 4 {
			return formatted{}, errShort
		}
		return f.colorme(formatDate(binary.BigEndian.Uint32(data)), "date"), nil
	case gocql.TypeTime:
		if len(data) != 8 {
			return formatted{}, errShort
		}
		return f.colorme(formatTime(int64(binary.BigEndian.Uint64(data))), "time"), nil
	case gocql.TypeDuration:
		s, err := formatDuration(data)
		if err != nil {
			return formatted{}, err
		}
		return f.colorme(s, "duration"), nil
	case gocql.TypeList, gocql.TypeSet:
		ct, ok := info.(gocql.CollectionType)
		if !ok {
			break
		}
		elems, err := readCollection(data, 1)
		if err != nil {
			return formatted{}, err
		}
		if info.Type() == gocql.TypeSet {
			f.sortPython(ct.Elem, elems, 1)
		}
		return f.sequence(elems, func(int) gocql.TypeInfo { return ct.Elem }, "[", "]", info.Type() == gocql.TypeSet)
	case gocql.TypeMap:
		ct, ok := info.(gocql.CollectionType)
		if !ok {
			break
		}
		elems, err := readCollection(data, 2)
		if err != nil {
			return formatted{}, err
		}
		f.sortPython(ct.Key, elems, 2)
		return f.mapping(elems, func(i int) (formatted, error) { return f.inner(ct.Key, elems[2*i]) }, ct.Elem)
	case gocql.TypeTuple:
		tt, ok := info.(gocql.TupleTypeInfo)
		if !ok {
			break
		}
		elems, err := readFields(data, len(tt.Elems))
		if err != nil {
			return formatted{}, err
		}
		return f.sequence(elems, func(i int) gocql.TypeInfo { return tt.Elems[i] }, "(", ")", false)
	case gocql.TypeUDT:
		ut, ok := info.(gocql.UDTTypeInfo)
		if !ok {
			break
		}
		elems, err := readFields(data, len(ut.Elements))
		if err != nil {
			return formatted{}, err
		}
		pairs := make([][]byte, 0, 2*len(elems))
		for i, e := range elems {
			pairs = append(pairs, []byte(ut.Elements[i].Name), e)
		}
		return f.mapping(pairs, func(i int) (formatted, error) { return f.text(ut.Elements[i].Name, false), nil },
			nil, func(i int) gocql.TypeInfo { return ut.Elements[i].Type })
	}
	// Types the shell does not know (custom types): their bytes.
	return f.colorme("0x"+hex.EncodeToString(data), "blob"), nil
}

func isStringType(t gocql.Type) bool {
	return t == gocql.TypeAscii || t == gocql.TypeText || t == gocql.TypeVarchar
}

// inner formats an element of a collection, tuple or user type: quoted,
// and null shown as cqlsh's Python shows None inside tuples ("None") or
// its null placeholder inside user types.
func (f *formatter) inner(info gocql.TypeInfo, data []byte) (formatted, error) {
	if data == nil {
		return f.colorme("None", "error"), nil
	}
	return f.format(info, data, true)
}

// sequence joins elements as lists, sets and tuples show them.
func (f *formatter) sequence(elems [][]byte, typeOf func(int) gocql.TypeInfo, open, close string, set bool) (formatted, error) {
	if set {
		open, close = "{", "}"
	}
	var text, colored strings.Builder
	width := 0
	text.WriteString(open)
	colored.WriteString(ansiBlue + open + ansiReset)
	for i, e := range elems {
		v, err := f.inner(typeOf(i), e)
		if err != nil {
			return formatted{}, err
		}
		if i > 0 {
			text.WriteString(", ")
			colored.WriteString(ansiBlue + ", " + ansiReset)
		}
		text.WriteString(v.text)
		colored.WriteString(v.colored)
		width += v.width
	}
	text.WriteString(close)
	colored.WriteString(ansiBlue + close + ansiReset)
	// cqlsh's format_simple_collection counts the width of the
	// separators and brackets as 2 a value (so "[]" counts 0): columns
	// of collections come out narrower than their text, as in cqlsh.
	width += 2 * len(elems)
	return formatted{text.String(), colored.String(), width}, nil
}

// mapping joins key: value pairs as maps and user types show them. pairs
// holds keys and values alternately; key formats the i-th key; the values
// have type valType, or valTypeOf(i) for user types, whose null fields
// show as the null placeholder.
func (f *formatter) mapping(pairs [][]byte, key func(int) (formatted, error), valType gocql.TypeInfo, valTypeOf ...func(int) gocql.TypeInfo) (formatted, error) {
	var text, colored strings.Builder
	width := 0
	text.WriteString("{")
	colored.WriteString(ansiBlue + "{" + ansiReset)
	n := len(pairs) / 2
	for i := 0; i < n; i++ {
		k, err := key(i)
		if err != nil {
			return formatted{}, err
		}
		var v formatted
		data := pairs[2*i+1]
		switch {
		case len(valTypeOf) > 0 && data == nil:
			v = f.colorme(f.nullVal, "error")
		case len(valTypeOf) > 0:
			v, err = f.inner(valTypeOf[0](i), data)
		default:
			v, err = f.inner(valType, data)
		}
		if err != nil {
			return formatted{}, err
		}
		if i > 0 {
			text.WriteString(", ")
			colored.WriteString(ansiBlue + ", " + ansiReset)
		}
		text.WriteString(k.text + ": " + v.text)
		colored.WriteString(k.colored + ansiBlue + ": " + ansiReset + v.colored)
		width += k.width + v.width
	}
	text.WriteString("}")
	colored.WriteString(ansiBlue + "}" + ansiReset)
	width += 4 * n // as format_value_map counts it ("{}" counts 0)
	return formatted{text.String(), colored.String(), width}, nil
}

// sortPython orders the elements (groups of size elements: 1 for sets, 2
// for maps, by key) as Python's sorted() orders the values the driver
// decodes. The server keeps collections in Cassandra's order, which is the
// same for every type but these: UUIDs (Python compares them as 128-bit
// integers, Cassandra orders time UUIDs by time) and inet addresses
// (Python compares their strings).
func (f *formatter) sortPython(t gocql.TypeInfo, elems [][]byte, size int) {
	var less func(a, b []byte) bool
	switch t.Type() {
	case gocql.TypeUUID, gocql.TypeTimeUUID:
		less = func(a, b []byte) bool { return bytes.Compare(a, b) < 0 }
	case gocql.TypeInet:
		str := func(b []byte) string {
			a, _ := netip.AddrFromSlice(b)
			return a.String()
		}
		less = func(a, b []byte) bool { return str(a) < str(b) }
	default:
		return
	}
	n := len(elems) / size
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return less(elems[idx[i]*size], elems[idx[j]*size]) })
	sorted := make([][]byte, 0, len(elems))
	for _, i := range idx {
		sorted = append(sorted, elems[i*size:i*size+size]...)
	}
	copy(elems, sorted)
}

// readCollection reads a list, set (per = 1) or map (per = 2) in the
// native protocol v3+ layout: an int count, then each element as [bytes].
func readCollection(data []byte, per int) ([][]byte, error) {
	if len(data) < 4 {
		return nil, errShort
	}
	n := int(int32(binary.BigEndian.Uint32(data)))
	data = data[4:]
	if n < 0 || n > len(data)/4/per+1 {
		return nil, fmt.Errorf("bad collection size %d", n)
	}
	out := make([][]byte, 0, n*per)
	for i := 0; i < n*per; i++ {
		e, rest, err := readValue(data)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		data = rest
	}
	return out, nil
}

// readFields reads the fields of a tuple or user type: [bytes] each, up
// to n; missing trailing fields are null.
func readFields(data []byte, n int) ([][]byte, error) {
	out := make([][]byte, n)
	for i := 0; i < n && len(data) > 0; i++ {
		e, rest, err := readValue(data)
		if err != nil {
			return nil, err
		}
		out[i] = e
		data = rest
	}
	return out, nil
}

// readValue reads one [bytes]: an int length (negative for null) and the
// bytes.
func readValue(data []byte) (v, rest []byte, err error) {
	if len(data) < 4 {
		return nil, nil, errShort
	}
	n := int(int32(binary.BigEndian.Uint32(data)))
	data = data[4:]
	if n < 0 {
		return nil, data, nil
	}
	if n > len(data) {
		return nil, nil, errShort
	}
	return data[:n:n], data[n:], nil
}

// varint decodes a big-endian two's-complement integer.
func varint(b []byte) *big.Int {
	v := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return v
}

func (f *formatter) integer(v *big.Int) formatted {
	s := v.String()
	if f.thousandsSep != "" {
		s = groupThousands(s, f.thousandsSep)
	}
	return f.colorme(s, "int")
}

// groupThousands puts sep between groups of three digits.
func groupThousands(s, sep string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// float is format_floating_point_type: NaN, Infinity, or %g with the
// precision raised by the digits left of the point, so that numbers
// between 1e-4 and 1e(precision) are never shown in exponent form.
func (f *formatter) float(v float64, precision int) formatted {
	var s string
	switch {
	case math.IsNaN(v):
		s = "NaN"
	case math.IsInf(v, 1):
		s = "Infinity"
	case math.IsInf(v, -1):
		s = "-Infinity"
	case f.thousandsSep != "":
		ip, fp := math.Modf(v)
		s = groupThousands(strconv.FormatFloat(ip, 'f', 0, 64), f.thousandsSep)
		if ip == 0 && v < 0 {
			s = "-" + s
		}
		frac := strings.TrimRight(strconv.FormatFloat(math.Abs(fp), 'f', precision, 64), "0")
		if len(frac) > 2 {
			sep := f.decimalSep
			if sep == "" {
				sep = "."
			}
			s += sep + frac[2:]
		}
	default:
		if math.Abs(v) > 2.220446049250313e-16 {
			exp := int(math.Log10(math.Abs(v))) // Python's int() truncates toward zero
			if exp >= -4 && exp < precision {
				precision += exp + 1
			}
		}
		if precision == 0 {
			precision = 1
		}
		s = strconv.FormatFloat(v, 'g', precision, 64)
		if f.decimalSep != "" {
			s = strings.Replace(s, ".", f.decimalSep, 1)
		}
	}
	return f.colorme(s, "float")
}

// pythonDecimal is str() of Python's Decimal with the given unscaled
// value and scale (exponent = -scale): plain notation when the exponent
// is not positive and the adjusted exponent is at least -6, scientific
// notation otherwise.
func pythonDecimal(unscaled *big.Int, scale int32) string {
	neg := unscaled.Sign() < 0
	digits := new(big.Int).Abs(unscaled).String()
	exp := -int(scale)
	adjusted := exp + len(digits) - 1
	var s string
	switch {
	case exp <= 0 && adjusted >= -6:
		if exp == 0 {
			s = digits
		} else if point := len(digits) + exp; point > 0 {
			s = digits[:point] + "." + digits[point:]
		} else {
			s = "0." + strings.Repeat("0", -point) + digits
		}
	default:
		s = digits[:1]
		if len(digits) > 1 {
			s += "." + digits[1:]
		}
		s += "E"
		if adjusted >= 0 {
			s += "+"
		}
		s += strconv.Itoa(adjusted)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// text is format_value_text: backslashes doubled, control characters as
// Python escapes, and inside collections quoted with doubled quotes.
func (f *formatter) text(s string, quote bool) formatted {
	var b strings.Builder
	var colored strings.Builder
	if quote {
		b.WriteByte('\'')
	}
	colored.WriteString(ansiYellow)
	if quote {
		colored.WriteByte('\'')
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			esc := fmt.Sprintf(`\x%02x`, s[i])
			b.WriteString(esc)
			colored.WriteString(ansiDarkMagenta + esc + ansiYellow)
			i++
			continue
		}
		i += n
		switch {
		case r == '\\':
			b.WriteString(`\\`)
			colored.WriteString(`\`)
		case r == '\'' && quote:
			b.WriteString("''")
			colored.WriteString("''")
		case r < 0x20 || r >= 0x7f && r <= 0xa0:
			esc := pyEscape(r)
			b.WriteString(esc)
			colored.WriteString(ansiDarkMagenta + esc + ansiYellow)
		default:
			b.WriteRune(r)
			colored.WriteRune(r)
		}
	}
	if quote {
		b.WriteByte('\'')
		colored.WriteByte('\'')
	}
	colored.WriteString(ansiReset)
	text := b.String()
	return formatted{text, colored.String(), displayWidth(text)}
}

// pyEscape is how Python's repr shows a control character.
func pyEscape(r rune) string {
	switch r {
	case '\t':
		return `\t`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	}
	return fmt.Sprintf(`\x%02x`, r)
}

// defaultText is format_value_default: str() with backslashes doubled.
func (f *formatter) defaultText(s string) formatted {
	return f.colorme(strings.ReplaceAll(s, `\`, `\\`), "default")
}

// quoted is a value that collections show quoted (timestamps, inet).
func (f *formatter) quoted(s, kind string, quote bool) formatted {
	if quote {
		s = "'" + s + "'"
	}
	return f.colorme(s, kind)
}

// timestamp renders milliseconds since the epoch as the Python driver and
// cqlsh do: a datetime made by adding the seconds (a float, as the driver
// divides by 1000.0) to the epoch, formatted with strftime in UTC; values
// a datetime cannot hold (before year 1 or after 9999) are shown as the
// number of milliseconds.
func (f *formatter) timestamp(ms int64) string {
	const minMs, maxMs = -62135596800000, 253402300799999
	if ms < minMs || ms > maxMs {
		return strconv.FormatInt(ms, 10)
	}
	t := float64(ms) / 1000.0
	secs := math.Floor(t)
	us := math.RoundToEven((t - secs) * 1e6)
	if us >= 1e6 {
		secs++
		us -= 1e6
	}
	tm := time.Unix(int64(secs), int64(us)*1000).UTC()
	return strftime(f.timeFormat, tm)
}

// strftime formats tm with the directives of C's strftime that cqlsh's
// time formats use; others are copied as they are.
func strftime(format string, tm time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		switch format[i] {
		case 'Y':
			fmt.Fprintf(&b, "%d", tm.Year())
		case 'y':
			fmt.Fprintf(&b, "%02d", tm.Year()%100)
		case 'm':
			fmt.Fprintf(&b, "%02d", int(tm.Month()))
		case 'd':
			fmt.Fprintf(&b, "%02d", tm.Day())
		case 'H':
			fmt.Fprintf(&b, "%02d", tm.Hour())
		case 'I':
			h := tm.Hour() % 12
			if h == 0 {
				h = 12
			}
			fmt.Fprintf(&b, "%02d", h)
		case 'p':
			if tm.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'M':
			fmt.Fprintf(&b, "%02d", tm.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", tm.Second())
		case 'f':
			fmt.Fprintf(&b, "%06d", tm.Nanosecond()/1000)
		case 'z':
			_, off := tm.Zone()
			sign := '+'
			if off < 0 {
				sign, off = '-', -off
			}
			fmt.Fprintf(&b, "%c%02d%02d", sign, off/3600, off%3600/60)
		case 'Z':
			name, _ := tm.Zone()
			b.WriteString(name)
		case 'j':
			fmt.Fprintf(&b, "%03d", tm.YearDay())
		case 'a':
			b.WriteString(tm.Weekday().String()[:3])
		case 'A':
			b.WriteString(tm.Weekday().String())
		case 'b':
			b.WriteString(tm.Month().String()[:3])
		case 'B':
			b.WriteString(tm.Month().String())
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	return b.String()
}

// formatDate renders a date (days since the epoch, offset by 2^31) as the
// Python driver's Date does: ISO form, or the number of days when a
// Python date cannot hold it.
func formatDate(v uint32) string {
	days := int64(v) - 1<<31
	t := time.Unix(days*86400, 0).UTC()
	if t.Year() < 1 || t.Year() > 9999 {
		return strconv.FormatInt(days, 10)
	}
	return fmt.Sprintf("%04d-%02d-%02d", t.Year(), int(t.Month()), t.Day())
}

// formatTime renders nanoseconds since midnight as the driver's Time.
func formatTime(ns int64) string {
	s := ns / 1e9
	return fmt.Sprintf("%02d:%02d:%02d.%09d", s/3600, s/60%60, s%60, ns%1e9)
}

// formatDuration renders a duration (three vints: months, days,
// nanoseconds) as cqlsh's duration_as_str.
func formatDuration(data []byte) (string, error) {
	var parts [3]int64
	for i := range parts {
		v, n := readVint(data)
		if n == 0 {
			return "", errShort
		}
		parts[i] = v
		data = data[n:]
	}
	months, days, nanos := parts[0], parts[1], parts[2]
	var b strings.Builder
	if months < 0 || days < 0 || nanos < 0 {
		b.WriteByte('-')
	}
	unit := func(v, div int64, name string) int64 {
		if v == 0 || v < div {
			return v
		}
		fmt.Fprintf(&b, "%d%s", v/div, name)
		return v % div
	}
	abs := func(v int64) int64 {
		if v < 0 {
			return -v
		}
		return v
	}
	rem := unit(abs(months), 12, "y")
	unit(rem, 1, "mo")
	unit(abs(days), 1, "d")
	if nanos != 0 {
		rem = unit(abs(nanos), 3600e9, "h")
		rem = unit(rem, 60e9, "m")
		rem = unit(rem, 1e9, "s")
		rem = unit(rem, 1e6, "ms")
		rem = unit(rem, 1e3, "us")
		unit(rem, 1, "ns")
	}
	return b.String(), nil
}

// readVint reads Cassandra's zig-zag encoded unsigned vint; n is 0 when
// data is too short.
func readVint(data []byte) (v int64, n int) {
	if len(data) == 0 {
		return 0, 0
	}
	first := data[0]
	extra := 0
	for extra < 8 && first&(0x80>>extra) != 0 {
		extra++
	}
	if len(data) < 1+extra {
		return 0, 0
	}
	u := uint64(first) & (0xff >> extra)
	if extra == 8 {
		u = 0
	}
	for i := 1; i <= extra; i++ {
		u = u<<8 | uint64(data[i])
	}
	return int64(u>>1) ^ -int64(u&1), 1 + extra
}
