package query

import (
	"fmt"

	"github.com/cassa-go/cassa/codec"
)

// Packer turns the Go values a query holds into bytes. session/ (or orm/)
// implements it with the codecs of the live column family: names with the
// comparator, values with the column's validator, keys with the key
// validation class. query itself never packs.
type Packer interface {
	// PackName packs a column (or super column) name; b says which slice
	// end it is, NoBound for names in a list or an index expression.
	PackName(name any, b codec.Bound) ([]byte, error)
	// PackValue packs an index expression value for column.
	PackValue(column, value any) ([]byte, error)
	// PackKey packs a row key.
	PackKey(key any) ([]byte, error)
}

// PackFuncs adapts three functions to Packer. A nil function packs as Raw
// does.
type PackFuncs struct {
	Name  func(name any, b codec.Bound) ([]byte, error)
	Value func(column, value any) ([]byte, error)
	Key   func(key any) ([]byte, error)
}

// PackName calls Name.
func (p PackFuncs) PackName(name any, b codec.Bound) ([]byte, error) {
	if p.Name == nil {
		return Raw.PackName(name, b)
	}
	return p.Name(name, b)
}

// PackValue calls Value.
func (p PackFuncs) PackValue(column, value any) ([]byte, error) {
	if p.Value == nil {
		return Raw.PackValue(column, value)
	}
	return p.Value(column, value)
}

// PackKey calls Key.
func (p PackFuncs) PackKey(key any) ([]byte, error) {
	if p.Key == nil {
		return Raw.PackKey(key)
	}
	return p.Key(key)
}

// Raw is the Packer of a column family whose names, values and keys are
// all BytesType: []byte is used as is and a string as its bytes; anything
// else is an error.
var Raw Packer = rawPacker{}

type rawPacker struct{}

func (rawPacker) PackName(name any, _ codec.Bound) ([]byte, error) { return rawBytes(name) }
func (rawPacker) PackValue(_, value any) ([]byte, error)           { return rawBytes(value) }
func (rawPacker) PackKey(key any) ([]byte, error)                  { return rawBytes(key) }

func rawBytes(v any) ([]byte, error) {
	switch x := v.(type) {
	case []byte:
		return x, nil
	case string:
		return []byte(x), nil
	}
	return nil, fmt.Errorf("query: the raw packer takes []byte or string, not %T", v)
}

// packKeyBound packs one end of a key range (which is "start" or
// "finish", for the error): empty bytes when unbounded, as pycassa sends
// an empty string, else the packed key.
func packKeyBound(p Packer, v any, which string) ([]byte, error) {
	if unbounded(v) {
		return []byte{}, nil
	}
	b, err := p.PackKey(v)
	if err != nil {
		return nil, fmt.Errorf("query: packing %s key %v: %w", which, v, err)
	}
	return b, nil
}

// unbounded reports the values that mean "no bound" for a slice end or a
// key range end: nil, "" and empty bytes. They are sent as empty bytes and
// never packed, as pycassa sends ”.
func unbounded(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []byte:
		return len(x) == 0
	}
	return false
}
