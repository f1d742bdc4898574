package orm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/internal/errinfo"
)

var (
	// ErrCounter means a write that counters do not allow: Insert on a
	// counter model (counters change with Add), or Add on a model that has
	// no counters.
	ErrCounter = errors.New("orm: counters change with Add only")
	// ErrSuper means a call that needs a super column name on a super
	// column family (or one given on a standard column family).
	ErrSuper = errors.New("orm: super column mismatch")
	// ErrUnknownField means an option or query named a field or column the
	// model does not map.
	ErrUnknownField = errors.New("orm: unknown field")
	// ErrSchema means the model cannot work with the live column family at
	// all (a super model on a standard column family, counters on a column
	// family that holds none, or the reverse). Verify reports every
	// difference; this is only the fatal ones, found when the mapper opens.
	ErrSchema = errors.New("orm: model does not fit the column family")
	// ErrNilInstance means a nil pointer was passed where an instance was
	// expected.
	ErrNilInstance = errors.New("orm: nil instance")
	// ErrArgument means an argument no call can work with: a nil context
	// or batch, a batch of another transport's type, a page size below 1,
	// a negative TTL, a bad page token (ErrPageToken), two keys to
	// CompareAndSwap. It matches cassa.ErrInvalidArgument, as the
	// argument errors of every other package do.
	ErrArgument = errinfo.Sentinel("orm: invalid argument", cassa.ErrInvalidArgument)
	// ErrPageToken means a page token Page cannot continue from: made for
	// another select, mapper or key, edited, or not a token. It matches
	// ErrArgument too.
	ErrPageToken = fmt.Errorf("%w: page token", ErrArgument)
	// ErrUnsupported means a call the transport cannot carry out as asked,
	// such as a compare-and-set that would delete a column.
	ErrUnsupported = errors.New("orm: not supported")
	// ErrSchemaDiff matches every *VerifyError.
	ErrSchemaDiff = errors.New("orm: model differs from the live schema")
)

// FieldError is a field value that could not be packed or unpacked. It
// names the struct, the Go field, the column and the operation; Err is the
// codec's error (errors.Is codec.ErrRange and friends work through it).
type FieldError struct {
	Struct string // Go struct type name
	Field  string // Go field name
	Column string // column name ("" for the key or super column field)
	Op     string // "pack" or "unpack"
	Err    error
}

// Error reads e.g. `orm: User.Age (column "age"): pack: …`.
func (e *FieldError) Error() string {
	if e == nil {
		return "<nil>"
	}
	col := ""
	if e.Column != "" {
		col = fmt.Sprintf(" (column %q)", e.Column)
	}
	return fmt.Sprintf("orm: %s.%s%s: %s: %v", e.Struct, e.Field, col, e.Op, e.Err)
}

// Unwrap returns Err.
func (e *FieldError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Diff is one difference between a model and the live column family.
type Diff struct {
	What  string // what differs: "comparator", "column age validator", "index on state", …
	Model string // what the model declares
	Live  string // what the column family has
}

// String reads e.g. `column "age" validator: model LongType, live UTF8Type (column metadata)`.
func (d Diff) String() string {
	return fmt.Sprintf("%s: model %s, live %s", d.What, d.Model, d.Live)
}

// VerifyError lists every difference Verify found between a model and the
// live column family or CQL table. It matches ErrSchemaDiff with errors.Is.
type VerifyError struct {
	CF    string // column family
	Model string // Go struct type name
	Diffs []Diff
}

// Error lists the differences, one a line.
func (e *VerifyError) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "orm: model %s differs from column family (table) %s in %d way(s):", e.Model, e.CF, len(e.Diffs))
	for _, d := range e.Diffs {
		b.WriteString("\n  - ")
		b.WriteString(d.String())
	}
	return b.String()
}

// Is reports whether target is ErrSchemaDiff.
func (e *VerifyError) Is(target error) bool { return target == ErrSchemaDiff }
