package cql

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa"
)

// Column is one column of a result: its name as Cassandra returns it
// (a tuple column's elements are "name[0]", "name[1]", ... as in gocql's
// MapScan) and its type.
type Column struct {
	Name string
	Type string         // the CQL type, e.g. "int", "list<text>", "frozen<address>"
	Info gocql.TypeInfo // gocql's description of the type
}

// rawValue is one column value as it came off the wire, kept by gocql's
// Unmarshaler hook so that a row can be scanned later, by position or by
// name, with gocql's own conversion rules.
type rawValue struct {
	info gocql.TypeInfo
	data []byte // nil for NULL
}

// UnmarshalCQL keeps the value; it is called by gocql's Iter.Scan.
func (v *rawValue) UnmarshalCQL(info gocql.TypeInfo, data []byte) error {
	v.info, v.data = info, data
	return nil
}

// Row is one row of a result. A row from Rows or Query is valid until
// the iteration moves on (its values live in the page gocql read); a row
// from Get or ExecCAS is the caller's to keep.
type Row struct {
	info []gocql.ColumnInfo // the result's columns, as gocql gives them
	cols []Column           // made from info when first needed
	vals []rawValue
}

// columns returns the row's columns, describing them on first use (a row
// scanned by position never needs them).
func (r *Row) columns() []Column {
	if r == nil {
		return nil
	}
	if r.cols == nil && r.info != nil {
		r.cols = columnsOf(r.info)
	}
	return r.cols
}

// Columns returns the row's columns, in order. The slice is shared: do not
// change it.
func (r *Row) Columns() []Column { return r.columns() }

// Len is the number of columns.
func (r *Row) Len() int {
	if r == nil {
		return 0
	}
	return len(r.vals)
}

// Scan copies the row's columns, in order, into dest: one destination per
// column (a tuple column takes one per element), nil to skip one. The
// conversions are gocql's (see gocql's Iter.Scan): *string for text,
// *int64 for bigint, *time.Time for timestamp, *gocql.UUID for uuid,
// **T to tell NULL from a zero value, and so on.
func (r *Row) Scan(dest ...any) error {
	if len(dest) != r.Len() {
		return fmt.Errorf("cql: Scan of %d destinations into a row of %d columns", len(dest), r.Len())
	}
	for i, d := range dest {
		if d == nil {
			continue
		}
		if err := gocql.Unmarshal(r.vals[i].info, r.vals[i].data, d); err != nil {
			return fmt.Errorf("cql: column %s: %w", r.columns()[i].Name, err)
		}
	}
	return nil
}

// index finds a column by name (exactly as returned), or -1.
func (r *Row) index(name string) int {
	cols := r.columns()
	for i := range cols {
		if cols[i].Name == name {
			return i
		}
	}
	return -1
}

// errNoColumn is the error for a name the row does not have.
func (r *Row) errNoColumn(name string) error {
	names := make([]string, len(r.columns()))
	for i, c := range r.columns() {
		names[i] = c.Name
	}
	return fmt.Errorf("cql: no column %q in the row (columns: %s)", name, strings.Join(names, ", "))
}

// ScanColumn copies the column named name into dest, with gocql's
// conversions (as Scan does for one column).
func (r *Row) ScanColumn(name string, dest any) error {
	if r == nil {
		return &cassa.ArgumentError{Func: "cql.Row.ScanColumn", Arg: "*cql.Row", Why: "is nil"}
	}
	i := r.index(name)
	if i < 0 {
		return r.errNoColumn(name)
	}
	if err := gocql.Unmarshal(r.vals[i].info, r.vals[i].data, dest); err != nil {
		return fmt.Errorf("cql: column %s: %w", name, err)
	}
	return nil
}

// IsNull reports whether the column named name is NULL (or absent).
func (r *Row) IsNull(name string) bool {
	i := r.index(name)
	return i < 0 || r.vals[i].data == nil
}

// Value returns the column named name as the Go type gocql's MapScan
// gives it (int for int, int64 for bigint, string for text, time.Time for
// timestamp, gocql.UUID for uuid, []T and map[K]V for collections,
// map[string]any for a user type), or nil when it is NULL.
func (r *Row) Value(name string) (any, error) {
	i := r.index(name)
	if i < 0 {
		return nil, r.errNoColumn(name)
	}
	return r.vals[i].value(r.columns()[i].Name)
}

func (v *rawValue) value(name string) (any, error) {
	if v.data == nil {
		return nil, nil
	}
	zero := v.info.Zero()
	if zero == nil {
		return append([]byte(nil), v.data...), nil
	}
	p := reflect.New(reflect.TypeOf(zero))
	if err := gocql.Unmarshal(v.info, v.data, p.Interface()); err != nil {
		return nil, fmt.Errorf("cql: column %s: %w", name, err)
	}
	return p.Elem().Interface(), nil
}

// Map returns every column by name, as Value gives them.
func (r *Row) Map() (map[string]any, error) {
	cols := r.columns()
	m := make(map[string]any, len(cols))
	for i := range cols {
		v, err := r.vals[i].value(cols[i].Name)
		if err != nil {
			return nil, err
		}
		m[cols[i].Name] = v
	}
	return m, nil
}

// Col returns the column named name of row as a T, with gocql's
// conversions: Col[int64](row, "age"), Col[string](row, "name"),
// Col[*time.Time](row, "joined") (nil when NULL).
func Col[T any](row *Row, name string) (T, error) {
	var v T
	err := row.ScanColumn(name, &v)
	return v, err
}

// detach returns a copy of the row that owns its values.
func (r *Row) detach() *Row {
	n := 0
	for _, v := range r.vals {
		n += len(v.data)
	}
	buf := make([]byte, 0, n)
	out := &Row{info: r.info, cols: r.cols, vals: make([]rawValue, len(r.vals))}
	for i, v := range r.vals {
		out.vals[i].info = v.info
		if v.data != nil {
			start := len(buf)
			buf = append(buf, v.data...)
			out.vals[i].data = buf[start:len(buf):len(buf)]
		}
	}
	return out
}

// Rows is a cursor over the rows of a statement, in the manner of
// database/sql: Next, then Scan (or Row), then Close. It holds one page
// in memory; with automatic paging (the default) it reads the next page
// when the current one is used up, and with PageToken it reads one page
// only and hands out the token of the next.
//
// A Rows is for one goroutine. Close it when done; Close returns the
// error, if any, that ended the iteration.
type Rows struct {
	s      *Session
	iter   *gocql.Iter
	stmt   string
	err    error
	caps   []rawValue
	dests  []any
	row    Row
	valid  bool
	closed bool

	// for PageToken (sealed) and PagingState
	onePage bool
	sealed  bool
	shape   [32]byte
}

// newRows wraps an executed iterator (or an error from before execution).
func newRows(s *Session, iter *gocql.Iter, stmt string, err error) *Rows {
	return &Rows{s: s, iter: iter, stmt: stmt, err: err}
}

// Columns returns the result's columns (tuple columns expanded), once the
// statement has run; nil after a failure.
func (r *Rows) Columns() []Column {
	if r == nil || r.iter == nil {
		return nil
	}
	r.init()
	return r.row.columns()
}

func (r *Rows) init() {
	if r.dests != nil || r.iter == nil {
		return
	}
	info := r.iter.Columns()
	n := 0
	for _, c := range info {
		if t, ok := c.TypeInfo.(gocql.TupleTypeInfo); ok {
			n += len(t.Elems)
		} else {
			n++
		}
	}
	r.caps = make([]rawValue, n)
	r.dests = make([]any, n)
	for i := range r.caps {
		r.dests[i] = &r.caps[i]
	}
	r.row = Row{info: info, vals: r.caps}
}

// columnsOf describes gocql's result columns, expanding tuples as gocql's
// Iter.Scan does.
func columnsOf(info []gocql.ColumnInfo) []Column {
	cols := make([]Column, 0, len(info))
	for _, c := range info {
		if t, ok := c.TypeInfo.(gocql.TupleTypeInfo); ok {
			for i, e := range t.Elems {
				cols = append(cols, Column{Name: c.Name + "[" + strconv.Itoa(i) + "]", Type: typeName(e), Info: e})
			}
			continue
		}
		cols = append(cols, Column{Name: c.Name, Type: typeName(c.TypeInfo), Info: c.TypeInfo})
	}
	return cols
}

// Next moves to the next row, reading the next page when the current one
// is used up (unless PageToken asked for one page). It returns false at
// the end or on an error; Err or Close then tell which.
func (r *Rows) Next() bool {
	if r == nil {
		return false
	}
	r.valid = false
	if r.err != nil || r.closed || r.iter == nil {
		return false
	}
	r.init()
	if !r.iter.Scan(r.dests...) {
		if err := r.iter.Close(); err != nil {
			r.err = r.s.callError(err, r.iter, r.stmt)
		}
		return false
	}
	r.valid = true
	return true
}

// Scan copies the current row into dest, as Row.Scan.
func (r *Rows) Scan(dest ...any) error {
	if err := r.made(); err != nil {
		return err
	}
	if !r.valid {
		return errors.New("cql: Rows.Scan called without a successful Next")
	}
	return r.row.Scan(dest...)
}

// Row returns the current row, valid until the next call to Next; nil
// without a current row.
func (r *Rows) Row() *Row {
	if r == nil || !r.valid {
		return nil
	}
	return &r.row
}

// made refuses a Rows that Session.Rows did not make (nil, or a zero
// value).
func (r *Rows) made() error {
	if r == nil || r.s == nil && r.err == nil {
		return &cassa.ArgumentError{Func: "cql.Rows", Arg: "*cql.Rows", Why: "was not made by Session.Rows"}
	}
	return nil
}

// Err returns the error that ended the iteration, if any.
func (r *Rows) Err() error {
	if err := r.made(); err != nil {
		return err
	}
	return r.err
}

// Close ends the iteration and returns its error, if any. It may be
// called more than once.
func (r *Rows) Close() error {
	if err := r.made(); err != nil {
		return err
	}
	if !r.closed {
		r.closed = true
		r.valid = false
		if r.iter != nil {
			if err := r.iter.Close(); err != nil && r.err == nil {
				r.err = r.s.callError(err, r.iter, r.stmt)
			}
		}
	}
	return r.err
}

// PageToken returns the token of the page after this one, for PageToken:
// an opaque, URL-safe string, "" when this page is the last. It is known
// as soon as the page has arrived. Without the PageToken option (when
// Rows pages by itself) it is "".
func (r *Rows) PageToken() string {
	if r == nil || r.s == nil || !r.sealed || r.iter == nil || r.err != nil {
		return ""
	}
	return sealToken(r.s.aead, int(r.s.proto.Load()), r.shape, r.iter.PageState())
}

// PagingState returns Cassandra's paging state of the page after this
// one, for PagingState: nil when this page is the last, and without
// PagingState or PageToken (when Rows pages by itself). It is not sealed:
// it holds the last key read.
func (r *Rows) PagingState() []byte {
	if r == nil || r.s == nil || !r.onePage || r.iter == nil || r.err != nil {
		return nil
	}
	if st := r.iter.PageState(); len(st) > 0 {
		return append([]byte(nil), st...)
	}
	return nil
}

// typeName writes a gocql type in CQL syntax.
func typeName(t gocql.TypeInfo) string {
	switch x := t.(type) {
	case nil:
		return ""
	case gocql.CollectionType:
		switch x.Type() {
		case gocql.TypeList:
			return "list<" + typeName(x.Elem) + ">"
		case gocql.TypeSet:
			return "set<" + typeName(x.Elem) + ">"
		case gocql.TypeMap:
			return "map<" + typeName(x.Key) + ", " + typeName(x.Elem) + ">"
		}
	case gocql.TupleTypeInfo:
		parts := make([]string, len(x.Elems))
		for i, e := range x.Elems {
			parts[i] = typeName(e)
		}
		return "tuple<" + strings.Join(parts, ", ") + ">"
	case gocql.UDTTypeInfo:
		return x.Name
	case gocql.VectorType:
		return "vector<" + typeName(x.SubType) + ", " + strconv.Itoa(x.Dimensions) + ">"
	}
	if n, ok := nativeNames[t.Type()]; ok {
		return n
	}
	return fmt.Sprint(t)
}

var nativeNames = map[gocql.Type]string{
	gocql.TypeAscii: "ascii", gocql.TypeBigInt: "bigint", gocql.TypeBlob: "blob", gocql.TypeBoolean: "boolean",
	gocql.TypeCounter: "counter", gocql.TypeDecimal: "decimal", gocql.TypeDouble: "double", gocql.TypeFloat: "float",
	gocql.TypeInt: "int", gocql.TypeText: "text", gocql.TypeTimestamp: "timestamp", gocql.TypeUUID: "uuid",
	gocql.TypeVarchar: "text", gocql.TypeVarint: "varint", gocql.TypeTimeUUID: "timeuuid", gocql.TypeInet: "inet",
	gocql.TypeDate: "date", gocql.TypeTime: "time", gocql.TypeSmallInt: "smallint", gocql.TypeTinyInt: "tinyint",
	gocql.TypeDuration: "duration",
}
