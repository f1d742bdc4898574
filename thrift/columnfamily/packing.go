package columnfamily

import (
	"errors"
	"fmt"
	"slices"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
)

// PackError reports a key, name or value that could not be packed (or
// unpacked) with the column family's codec. Err is the codec's *codec.Error
// or validation error.
type PackError struct {
	CF   string // column family
	What string // "key", "column name", "super column name", "value of column X"
	Err  error
}

// Error describes the failure.
func (e *PackError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("columnfamily: %s: %s: %v", e.CF, e.What, e.Err)
}

// Unwrap returns Err.
func (e *PackError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

var (
	errNilSuper = errors.New("a super column family needs a super column name for every column")
	errEmptyKey = errors.New("key may not be empty")
)

// isOpen reports whether a slice end or key bound means "unbounded": nil or
// the empty string, which pycassa never packs.
func isOpen(v any) bool {
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

// packKey packs a row key; key bounds that are open stay empty.
func (s *cfSchema) packKey(cf string, k any) ([]byte, error) {
	if b, ok := k.([]byte); ok && s.key == codec.Bytes {
		return b, nil
	}
	b, err := s.key.Pack(k)
	if err != nil {
		return nil, &PackError{CF: cf, What: "key", Err: err}
	}
	return b, nil
}

// packKeyBound packs one end of a range of keys: empty bytes when open, as
// pycassa sends an empty string.
func (s *cfSchema) packKeyBound(cf string, k any) ([]byte, error) {
	if isOpen(k) {
		return []byte{}, nil
	}
	return s.packKey(cf, k)
}

// showKey renders a key as given to a call, for messages: through the
// schema's key type, cut when long (codec.FormatKey). A []byte under raw
// keys is the packed key itself.
func (s *cfSchema) showKey(key any) string {
	if b, ok := key.([]byte); ok && s.key == codec.Bytes {
		return codec.FormatKey(s.keyShow, b)
	}
	return codec.FormatKeyValue(s.key, key)
}

// packRowKey packs the key of a row to read or write: it may not be empty.
func (s *cfSchema) packRowKey(cf string, k any) ([]byte, error) {
	b, err := s.packKey(cf, k)
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, &PackError{CF: cf, What: "key", Err: errEmptyKey}
	}
	if len(b) > 0xffff {
		return nil, &PackError{CF: cf, What: "key", Err: fmt.Errorf("key is %d bytes, longer than 65535", len(b))}
	}
	return b, nil
}

// packName packs a column name (super: a super column name) plainly or as
// one end of a slice.
func (s *cfSchema) packName(cf string, v any, super bool, bound codec.Bound) ([]byte, error) {
	t, what, check := s.name, "column name", s.valName
	if super {
		t, what, check = s.superName, "super column name", s.valSuper
	}
	var b []byte
	var err error
	if bound == codec.NoBound {
		b, err = t.Pack(v)
	} else {
		b, err = t.PackBound(v, bound)
	}
	if err == nil && s.raw && check != nil && check != t && bound == codec.NoBound {
		err = check.Validate(b)
	}
	if err != nil {
		return nil, &PackError{CF: cf, What: what, Err: err}
	}
	return b, nil
}

// valueFor is the codec of the values of the column with the packed name.
func (s *cfSchema) valueFor(name []byte) codec.Type {
	if len(s.validators) > 0 {
		if t, ok := s.validators[string(name)]; ok {
			return t
		}
	}
	return s.value
}

func (s *cfSchema) packValue(cf string, name []byte, v any) ([]byte, error) {
	t := s.valueFor(name)
	b, err := t.Pack(v)
	if err == nil && s.raw && t == codec.Bytes {
		check := s.valValue
		if c, ok := s.valColumns[string(name)]; ok {
			check = c
		}
		if check != codec.Bytes {
			err = check.Validate(b)
		}
	}
	if err != nil {
		return nil, &PackError{CF: cf, What: "value of column " + s.showName(name), Err: err}
	}
	return b, nil
}

// showName renders a packed (sub-)column name for messages, through the
// schema's name type (codec.FormatKey).
func (s *cfSchema) showName(name []byte) string {
	t := s.valName
	if t == nil {
		t = s.name
	}
	return codec.FormatKey(t, name)
}

// showValue renders a packed value of the column with the packed name
// for messages, through the schema's validator of that column.
func (s *cfSchema) showValue(name, v []byte) string {
	t := s.valValue
	if c, ok := s.valColumns[string(name)]; ok {
		t = c
	}
	return codec.FormatKey(t, v)
}

// counterValue turns an increment into an int64.
func (s *cfSchema) counterValue(cf string, name []byte, v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	}
	b, err := codec.Long.Pack(v)
	if err == nil {
		var n int64
		if n, err = codec.DecodeLong(b); err == nil {
			return n, nil
		}
	}
	return 0, &PackError{CF: cf, What: "increment of counter " + s.showName(name), Err: err}
}

func (s *cfSchema) unpackKey(cf string, b []byte) (any, error) {
	v, err := s.key.Unpack(b)
	if err != nil {
		return nil, &PackError{CF: cf, What: "key", Err: err}
	}
	return v, nil
}

func (s *cfSchema) unpackName(cf string, b []byte, super bool) (any, error) {
	t, what := s.name, "column name"
	if super {
		t, what = s.superName, "super column name"
	}
	v, err := t.Unpack(b)
	if err != nil {
		return nil, &PackError{CF: cf, What: what, Err: err}
	}
	return v, nil
}

func (s *cfSchema) unpackColumn(cf string, c *thriftgen.Column) (Column, error) {
	name, err := s.unpackName(cf, c.Name, false)
	if err != nil {
		return Column{}, err
	}
	v, err := s.valueFor(c.Name).Unpack(c.Value)
	if err != nil {
		return Column{}, &PackError{CF: cf, What: "value of column " + s.showName(c.Name), Err: err}
	}
	out := Column{Name: name, Value: v}
	if c.Timestamp != nil {
		out.Timestamp = *c.Timestamp
	}
	if c.TTL != nil {
		out.TTL = *c.TTL
	}
	return out, nil
}

func (s *cfSchema) unpackCounter(cf string, c *thriftgen.CounterColumn) (Column, error) {
	name, err := s.unpackName(cf, c.Name, false)
	if err != nil {
		return Column{}, err
	}
	return Column{Name: name, Value: c.Value}, nil
}

// unpackInto fills row from a get_slice style result: columns, or super
// columns when the results hold them.
func (s *cfSchema) unpackInto(cf string, cs []*thriftgen.ColumnOrSuperColumn, row *Row) error {
	if len(cs) > 0 && cs[0] != nil {
		if cs[0].SuperColumn != nil || cs[0].CounterSuperColumn != nil {
			row.SuperColumns = slices.Grow(row.SuperColumns, len(cs))
		} else {
			row.Columns = slices.Grow(row.Columns, len(cs))
		}
	}
	for _, c := range cs {
		if c == nil {
			continue
		}
		if c.SuperColumn != nil || c.CounterSuperColumn != nil {
			sc, err := s.unpackSuperOf(cf, c)
			if err != nil {
				return err
			}
			row.SuperColumns = append(row.SuperColumns, sc)
			continue
		}
		col, ok, err := s.unpackColumnOf(cf, c)
		if err != nil {
			return err
		}
		if ok {
			row.Columns = append(row.Columns, col)
		}
	}
	return nil
}

// unpackColumnOf unpacks a (counter) column; ok is false when c holds
// neither.
func (s *cfSchema) unpackColumnOf(cf string, c *thriftgen.ColumnOrSuperColumn) (Column, bool, error) {
	switch {
	case c == nil:
	case c.Column != nil:
		col, err := s.unpackColumn(cf, c.Column)
		return col, err == nil, err
	case c.CounterColumn != nil:
		col, err := s.unpackCounter(cf, c.CounterColumn)
		return col, err == nil, err
	}
	return Column{}, false, nil
}

// unpackSuperOf unpacks a (counter) super column with its sub-columns.
func (s *cfSchema) unpackSuperOf(cf string, c *thriftgen.ColumnOrSuperColumn) (SuperColumn, error) {
	if c.CounterSuperColumn != nil {
		sc, err := s.unpackSuper(cf, c.CounterSuperColumn.Name, len(c.CounterSuperColumn.Columns))
		if err != nil {
			return SuperColumn{}, err
		}
		for _, sub := range c.CounterSuperColumn.Columns {
			if sub == nil {
				continue
			}
			col, err := s.unpackCounter(cf, sub)
			if err != nil {
				return SuperColumn{}, err
			}
			sc.Columns = append(sc.Columns, col)
		}
		return sc, nil
	}
	sc, err := s.unpackSuper(cf, c.SuperColumn.Name, len(c.SuperColumn.Columns))
	if err != nil {
		return SuperColumn{}, err
	}
	for _, sub := range c.SuperColumn.Columns {
		if sub == nil {
			continue
		}
		col, err := s.unpackColumn(cf, sub)
		if err != nil {
			return SuperColumn{}, err
		}
		sc.Columns = append(sc.Columns, col)
	}
	return sc, nil
}

func (s *cfSchema) unpackSuper(cf string, name []byte, n int) (SuperColumn, error) {
	v, err := s.unpackName(cf, name, true)
	if err != nil {
		return SuperColumn{}, err
	}
	return SuperColumn{Name: v, Columns: make([]Column, 0, n)}, nil
}

// cosName is the raw name of one result element, for paging.
func cosName(c *thriftgen.ColumnOrSuperColumn) []byte {
	switch {
	case c == nil:
		return nil
	case c.Column != nil:
		return c.Column.Name
	case c.CounterColumn != nil:
		return c.CounterColumn.Name
	case c.SuperColumn != nil:
		return c.SuperColumn.Name
	case c.CounterSuperColumn != nil:
		return c.CounterSuperColumn.Name
	}
	return nil
}
