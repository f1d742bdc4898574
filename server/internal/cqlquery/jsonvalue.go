package cqlquery

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cassa-go/cassa/codec"
)

// JSON documents as 3.11 reads them: Jackson's ObjectMapper maps a
// document onto plain Java objects (readValue(text, Object.class)), and
// each type's fromJSONObject then looks at the Java class it got. The
// classes matter for the messages ("Expected an int value, but got a
// Long: 3000000000"), so the decoder keeps them: an integer is an Integer
// when it fits 32 bits, a Long when it fits 64, else a BigInteger; any
// number with a fraction or an exponent is a Double; objects keep their
// keys in order (LinkedHashMap, a repeated key keeps its first place and
// its last value).

type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonString
	jsonInteger // java.lang.Integer
	jsonLong    // java.lang.Long
	jsonBigInt  // java.math.BigInteger
	jsonDouble  // java.lang.Double
	jsonBoolean
	jsonList // java.util.ArrayList
	jsonMap  // java.util.LinkedHashMap
)

// jsonValue is one decoded JSON value.
type jsonValue struct {
	kind jsonKind
	str  string // string; the number's text for numbers
	num  int64  // Integer, Long
	big  *big.Int
	f    float64
	b    bool
	list []*jsonValue
	keys []string // map keys in order
	vals map[string]*jsonValue
}

// className is getClass().getSimpleName() of the Java object.
func (v *jsonValue) className() string {
	switch v.kind {
	case jsonString:
		return "String"
	case jsonInteger:
		return "Integer"
	case jsonLong:
		return "Long"
	case jsonBigInt:
		return "BigInteger"
	case jsonDouble:
		return "Double"
	case jsonBoolean:
		return "Boolean"
	case jsonList:
		return "ArrayList"
	case jsonMap:
		return "LinkedHashMap"
	}
	return "null"
}

// String is the Java object's toString: "[1, 2]" for a list, "{a=1}" for
// a map, Double.toString for a double.
func (v *jsonValue) String() string {
	var sb strings.Builder
	v.writeJava(&sb)
	return sb.String()
}

func (v *jsonValue) writeJava(sb *strings.Builder) {
	switch v.kind {
	case jsonNull:
		sb.WriteString("null")
	case jsonString:
		sb.WriteString(v.str)
	case jsonInteger, jsonLong:
		sb.WriteString(strconv.FormatInt(v.num, 10))
	case jsonBigInt:
		sb.WriteString(v.big.String())
	case jsonDouble:
		sb.WriteString(javaDouble(v.f))
	case jsonBoolean:
		sb.WriteString(strconv.FormatBool(v.b))
	case jsonList:
		sb.WriteByte('[')
		for i, e := range v.list {
			if i > 0 {
				sb.WriteString(", ")
			}
			e.writeJava(sb)
		}
		sb.WriteByte(']')
	case jsonMap:
		sb.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(k)
			sb.WriteByte('=')
			v.vals[k].writeJava(sb)
		}
		sb.WriteByte('}')
	}
}

// javaDouble is Double.toString.
func javaDouble(f float64) string { return codec.Format(codec.Double, codec.AppendDouble(nil, f)) }

// mapGet returns the value of key in a map, nil when absent.
func (v *jsonValue) mapGet(key string) (*jsonValue, bool) {
	x, ok := v.vals[key]
	return x, ok
}

// mapPut sets key, keeping the place of an existing key.
func (v *jsonValue) mapPut(key string, x *jsonValue) {
	if v.vals == nil {
		v.vals = map[string]*jsonValue{}
	}
	if _, ok := v.vals[key]; !ok {
		v.keys = append(v.keys, key)
	}
	v.vals[key] = x
}

// mapRemove deletes key.
func (v *jsonValue) mapRemove(key string) {
	if _, ok := v.vals[key]; !ok {
		return
	}
	delete(v.vals, key)
	for i, k := range v.keys {
		if k == key {
			v.keys = append(v.keys[:i:i], v.keys[i+1:]...)
			break
		}
	}
}

// maxJSONDepth bounds nesting, so that a hostile document cannot exhaust
// the stack.
const maxJSONDepth = 1000

// errJSONSyntax is a document Jackson would not parse; the message names
// what and where, in Jackson's manner.
type jsonSyntaxError struct{ msg string }

func (e *jsonSyntaxError) Error() string { return e.msg }

// decodeJSON parses a whole document; trailing content after the first
// value is ignored, as readValue does.
func decodeJSON(s string) (*jsonValue, error) {
	// Java decodes the text's bytes into a String first, replacing
	// malformed UTF-8.
	s = strings.ToValidUTF8(s, "\uFFFD")
	p := &jsonParser{s: s}
	p.space()
	if p.i >= len(p.s) {
		return nil, &jsonSyntaxError{"No content to map due to end-of-input"}
	}
	return p.value(0)
}

type jsonParser struct {
	s string
	i int
}

func (p *jsonParser) fail(format string, args ...any) error {
	return &jsonSyntaxError{msg: fmt.Sprintf(format, args...) + " at character " + strconv.Itoa(p.i)}
}

func (p *jsonParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (*jsonValue, error) {
	if depth > maxJSONDepth {
		return nil, p.fail("Document nested too deeply")
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, p.fail("Unexpected end-of-input")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &jsonValue{kind: jsonString, str: s}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case strings.HasPrefix(p.s[p.i:], "true"):
		p.i += 4
		return &jsonValue{kind: jsonBoolean, b: true}, nil
	case strings.HasPrefix(p.s[p.i:], "false"):
		p.i += 5
		return &jsonValue{kind: jsonBoolean}, nil
	case strings.HasPrefix(p.s[p.i:], "null"):
		p.i += 4
		return &jsonValue{kind: jsonNull}, nil
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return nil, p.fail("Unexpected character ('%c' (code %d))", r, r)
}

func (p *jsonParser) object(depth int) (*jsonValue, error) {
	p.i++ // {
	v := &jsonValue{kind: jsonMap, vals: map[string]*jsonValue{}}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return v, nil
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, p.fail("Unexpected character: was expecting double-quote to start field name")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, p.fail("Unexpected character: was expecting a colon to separate field name and value")
		}
		p.i++
		x, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		v.mapPut(k, x)
		p.space()
		if p.i >= len(p.s) {
			return nil, p.fail("Unexpected end-of-input: expected close marker for OBJECT")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return v, nil
		default:
			return nil, p.fail("Unexpected character: was expecting comma to separate OBJECT entries")
		}
	}
}

func (p *jsonParser) array(depth int) (*jsonValue, error) {
	p.i++ // [
	v := &jsonValue{kind: jsonList, list: []*jsonValue{}}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return v, nil
	}
	for {
		x, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		v.list = append(v.list, x)
		p.space()
		if p.i >= len(p.s) {
			return nil, p.fail("Unexpected end-of-input: expected close marker for ARRAY")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return v, nil
		default:
			return nil, p.fail("Unexpected character: was expecting comma to separate ARRAY entries")
		}
	}
}

func (p *jsonParser) str() (string, error) {
	p.i++ // opening quote
	var sb strings.Builder
	for {
		if p.i >= len(p.s) {
			return "", p.fail("Unexpected end-of-input: was expecting closing quote for a string value")
		}
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return sb.String(), nil
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return "", p.fail("Unexpected end-of-input in character escape sequence")
			}
			e := p.s[p.i+1]
			p.i += 2
			switch e {
			case '"', '\\', '/':
				sb.WriteByte(e)
			case 'b':
				sb.WriteByte('\b')
			case 'f':
				sb.WriteByte('\f')
			case 'n':
				sb.WriteByte('\n')
			case 'r':
				sb.WriteByte('\r')
			case 't':
				sb.WriteByte('\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.fail("Unexpected character: expected a hex-digit for character escape sequence")
				}
				if utf16.IsSurrogate(r) && strings.HasPrefix(p.s[p.i:], `\u`) {
					save := p.i
					p.i += 2
					if r2, ok := p.hex4(); ok && utf16.DecodeRune(r, r2) != utf8.RuneError {
						r = utf16.DecodeRune(r, r2)
					} else {
						p.i = save
					}
				}
				sb.WriteRune(r)
			default:
				return "", p.fail("Unrecognized character escape '%c' (code %d)", e, e)
			}
		case c < 0x20:
			return "", p.fail("Illegal unquoted character ((CTRL-CHAR, code %d)): has to be escaped using backslash to be included in string value", c)
		default:
			sb.WriteByte(c)
			p.i++
		}
	}
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(n), true
}

func (p *jsonParser) number() (*jsonValue, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		j := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		return p.i - j
	}
	intStart := p.i
	n := digits()
	if n == 0 {
		return nil, p.fail("Unexpected character: expected digit (0-9) to follow minus sign, for valid numeric value")
	}
	if n > 1 && p.s[intStart] == '0' {
		return nil, p.fail("Invalid numeric value: Leading zeroes not allowed")
	}
	isFloat := false
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, p.fail("Unexpected character: Decimal point not followed by a digit")
		}
		isFloat = true
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, p.fail("Unexpected character: Exponent indicator not followed by a digit")
		}
		isFloat = true
	}
	text := p.s[start:p.i]
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, p.fail("Invalid numeric value %s", text)
		}
		return &jsonValue{kind: jsonDouble, f: f, str: text}, nil
	}
	if x, err := strconv.ParseInt(text, 10, 64); err == nil {
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return &jsonValue{kind: jsonInteger, num: x, str: text}, nil
		}
		return &jsonValue{kind: jsonLong, num: x, str: text}, nil
	}
	b, _ := new(big.Int).SetString(text, 10)
	return &jsonValue{kind: jsonBigInt, big: b, str: text}, nil
}

// quoteJSON is Json.quoteAsJsonString (Jackson's JsonStringEncoder): '"'
// and '\' escaped, control characters as \b \t \n \f \r or \u00XX, the
// rest as is.
func quoteJSON(sb *strings.Builder, s string) {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c >= 0x20:
			sb.WriteByte(c)
		case c == '\b':
			sb.WriteString(`\b`)
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\f':
			sb.WriteString(`\f`)
		case c == '\r':
			sb.WriteString(`\r`)
		default:
			sb.WriteString(`\u00`)
			sb.WriteByte(hexDigits[c>>4])
			sb.WriteByte(hexDigits[c&15])
		}
	}
}
