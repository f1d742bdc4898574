package columnfamily

import (
	"bytes"
	"reflect"
)

// Column is one column as read or written. Name and Value are Go values,
// unpacked with the column family's codecs ([]byte when packing is off);
// a counter's Value is its int64 total (in writes, its increment).
type Column struct {
	Name  any
	Value any
	// Timestamp is the write timestamp the server holds (microseconds by
	// convention); zero for counters. Ignored by writes, which take the
	// timestamp of the whole operation.
	Timestamp int64
	// TTL is the column's time to live in seconds as written, zero when it
	// does not expire. In a ColumnList written by Insert a non-zero TTL
	// overrides the operation's.
	TTL int32
}

// SuperColumn is one super column with its sub-columns, in comparator
// order.
type SuperColumn struct {
	Name    any
	Columns []Column
}

// Row is a row as read: its key, and either its columns (a standard column
// family, or a super column family read with Super) or its super
// columns (a super column family read whole), in comparator order.
type Row struct {
	Key          any
	Columns      []Column
	SuperColumns []SuperColumn
}

// Len is the number of columns, or of super columns, in the row.
func (r Row) Len() int { return len(r.Columns) + len(r.SuperColumns) }

// Column returns the column called name, comparing unpacked names.
func (r Row) Column(name any) (Column, bool) { return findColumn(r.Columns, name) }

// Value returns the value of the column called name, or nil.
func (r Row) Value(name any) any {
	c, _ := r.Column(name)
	return c.Value
}

// Super returns the super column called name.
func (r Row) Super(name any) (SuperColumn, bool) {
	for _, s := range r.SuperColumns {
		if sameValue(s.Name, name) {
			return s, true
		}
	}
	return SuperColumn{}, false
}

// Column returns the sub-column called name.
func (s SuperColumn) Column(name any) (Column, bool) { return findColumn(s.Columns, name) }

func findColumn(cols []Column, name any) (Column, bool) {
	for _, c := range cols {
		if sameValue(c.Name, name) {
			return c, true
		}
	}
	return Column{}, false
}

// sameValue compares unpacked values: == for comparable ones, bytes for
// []byte against []byte or string, deep equality otherwise (tuples).
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case []byte:
		switch y := b.(type) {
		case []byte:
			return bytes.Equal(x, y)
		case string:
			return string(x) == y
		}
		return false
	case string:
		switch y := b.(type) {
		case string:
			return x == y
		case []byte:
			return x == string(y)
		}
		return false
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	}
	return reflect.DeepEqual(a, b)
}

// KeyCount is the column count of one row, as MultiGetCount returns it.
type KeyCount struct {
	Key   any
	Count int
}

// Values are the columns of one row that Insert writes: Cols,
// ColumnList, SuperCols or SuperColumnList.
type Values interface {
	// each calls f for every column with its super column name (nil in a
	// standard column family).
	each(f func(super any, c Column) error) error
	size() int
}

// Cols maps column names to values. Names must be comparable Go values;
// use a ColumnList for composite (codec.Tuple) names. On a counter column
// family the values are increments.
type Cols map[any]any

func (m Cols) each(f func(any, Column) error) error {
	for k, v := range m {
		if err := f(nil, Column{Name: k, Value: v}); err != nil {
			return err
		}
	}
	return nil
}

func (m Cols) size() int { return len(m) }

// ColumnList is an ordered list of columns to write; names may be any
// value, composites included. A column's non-zero TTL overrides the
// operation's TTL; its Timestamp is ignored.
type ColumnList []Column

func (l ColumnList) each(f func(any, Column) error) error {
	for _, c := range l {
		if err := f(nil, c); err != nil {
			return err
		}
	}
	return nil
}

func (l ColumnList) size() int { return len(l) }

// SuperCols maps super column names to their sub-columns, for a super
// column family.
type SuperCols map[any]Cols

func (m SuperCols) each(f func(any, Column) error) error {
	for sc, cols := range m {
		if err := superEach(sc, cols, f); err != nil {
			return err
		}
	}
	return nil
}

func (m SuperCols) size() int {
	n := 0
	for _, c := range m {
		n += len(c)
	}
	return n
}

// SuperColumnList is an ordered list of super columns to write.
type SuperColumnList []SuperColumn

func (l SuperColumnList) each(f func(any, Column) error) error {
	for _, s := range l {
		if err := superEach(s.Name, ColumnList(s.Columns), f); err != nil {
			return err
		}
	}
	return nil
}

func (l SuperColumnList) size() int {
	n := 0
	for _, s := range l {
		n += len(s.Columns)
	}
	return n
}

func superEach(sc any, cols Values, f func(any, Column) error) error {
	if sc == nil {
		return errNilSuper
	}
	return cols.each(func(_ any, c Column) error { return f(sc, c) })
}
