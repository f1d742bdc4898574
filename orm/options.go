package orm

import (
	"fmt"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/orm/tags"
)

// CallOption adjusts one call of a Mapper. Options a call has no use for
// are ignored. Options are values of this interface, made by the functions
// below; Option configures the Mapper itself.
type CallOption interface{ applyCall(*callOpts) }

type callOpts struct {
	cl       cassa.Consistency
	ttl      time.Duration
	hasTTL   bool
	ts       int64
	hasTS    bool
	fields   []string
	hasField bool
	super    any
	hasSuper bool
	buffer   int
	nulls    tags.NullMode
	orZero   bool
	keyspace string
}

type callFunc func(*callOpts)

func (f callFunc) applyCall(o *callOpts) { f(o) }

// Consistency sets the consistency level of one read or write (the column
// family's default otherwise, itself ONE unless set through
// ColumnFamilyOptions).
func Consistency(c cassa.Consistency) CallOption { return callFunc(func(o *callOpts) { o.cl = c }) }

// TTL makes the columns an Insert writes expire after d (whole seconds,
// rounded up). An instance's own ttl field, when not zero, takes
// precedence for that instance.
func TTL(d time.Duration) CallOption {
	return callFunc(func(o *callOpts) { o.ttl, o.hasTTL = d, true })
}

// Timestamp writes (or deletes) with the client timestamp ts, in
// microseconds, instead of one from the column family's source.
func Timestamp(ts int64) CallOption { return callFunc(func(o *callOpts) { o.ts, o.hasTS = ts, true }) }

// Fields restricts a call to some fields, named by Go field name or column
// name: Insert writes only them, Remove deletes only them, and Get,
// MultiGet and Find read only them (the others keep their defaults).
func Fields(names ...string) CallOption {
	return callFunc(func(o *callOpts) { o.fields, o.hasField = append(o.fields, names...), true })
}

// Super addresses one super column of a super column family: Get,
// MultiGet and Find read only it (one instance per row), RemoveKey deletes
// it, Add changes a counter inside it.
func Super(name any) CallOption {
	return callFunc(func(o *callOpts) { o.super, o.hasSuper = name, true })
}

// MissingAsZero makes Get and MultiGet read a row that does not exist (or
// holds none of the model's columns) as a zero instance with its key, its
// super column name and its defaults, instead of cassa.ErrNotFound: what
// the counters of a row nothing has counted yet are. A column family
// that does not exist is still an error.
func MissingAsZero() CallOption { return callFunc(func(o *callOpts) { o.orZero = true }) }

// PageTokenKey signs the mapper's page tokens (see Page) with an
// HMAC-SHA256 under key, so that no one without the key can make or edit
// one: give every process that continues the same tokens the same secret.
// Without it the MAC's key is public, so tokens are still bound to their
// select and checked for damage, but someone who knows this scheme could
// forge one that starts the same select elsewhere, such as before the
// start of its key range: set a key when tokens reach untrusted clients.
func PageTokenKey(key []byte) Option {
	k := append([]byte(nil), key...)
	return mapFunc(func(c *mapConfig) { c.tokenKey = k })
}

// MapCallOption is an option a Mapper takes as its default (given to Map
// or Open) and a call as its own (given to the call), the call's choice
// winning.
type MapCallOption interface {
	Option
	CallOption
}

// Nulls chooses what a write does with the empty values of fields whose
// tags make no choice (null=): nil pointers, and zero values of omitempty
// fields. tags.NullSkip, the default, leaves those columns as they were,
// so an instance read back after a re-insert may hold old values;
// tags.NullDelete deletes them, so what is read back is what was written
// (what cqlengine and gocqlx users expect); tags.NullWrite writes every
// value, zero values included, and nil as a deletion. A field's own null=
// wins over both.
func Nulls(m tags.NullMode) MapCallOption { return nullsOpt(m) }

type nullsOpt tags.NullMode

func (n nullsOpt) applyCall(o *callOpts) { o.nulls = tags.NullMode(n) }
func (n nullsOpt) applyMap(c *mapConfig) { c.nulls = tags.NullMode(n) }

// Keyspace makes one call reach the mapper's table in keyspace ks instead
// of the connection's: one model and one mapper serve many tenants, each
// in a keyspace of its own. On CQL the statements name the table
// "ks"."table" (so any protocol version works), and the mapper keeps a
// view of each keyspace's table; a page token is bound to its keyspace.
// A Thrift pool is bound to its keyspace, so there a call with Keyspace
// fails with ErrUnsupported: open a pool per keyspace.
func Keyspace(ks string) CallOption { return callFunc(func(o *callOpts) { o.keyspace = ks }) }

// BufferSize sets how many rows (keys, super columns) one request of a
// Find, Supers or MultiGet carries; the column family's default otherwise.
func BufferSize(n int) CallOption { return callFunc(func(o *callOpts) { o.buffer = n }) }

func collect(opts []CallOption) callOpts {
	if len(opts) == 0 {
		return callOpts{} // the common call: nothing escapes, nothing is allocated
	}
	o := new(callOpts)
	for _, f := range opts {
		if f != nil {
			f.applyCall(o)
		}
	}
	return *o
}

// selected resolves Fields into a mask over plan.cols; nil means all.
func (p *plan) selected(o *callOpts) ([]bool, error) {
	if !o.hasField {
		return nil, nil
	}
	sel := make([]bool, len(p.cols))
	for _, n := range o.fields {
		fp, ok := p.field(n)
		if !ok {
			return nil, fmt.Errorf("%w: %s has no field or column %q", ErrUnknownField, p.st.Name, n)
		}
		sel[fp.pos] = true
	}
	return sel, nil
}

// anyField finds any field with a column (partition key, clustering,
// other columns) by column name, then by Go field name.
func (p *plan) anyField(n string) (*fieldPlan, bool) {
	if fp, ok := p.anyByName[n]; ok {
		return fp, true
	}
	fp, ok := p.anyByGo[n]
	return fp, ok
}

// field finds a column field by column name, then by Go field name.
func (p *plan) field(n string) (*fieldPlan, bool) {
	if fp, ok := p.byName[n]; ok {
		return fp, true
	}
	fp, ok := p.byGo[n]
	return fp, ok
}

// selectedNames lists the names of the selected columns.
func (p *plan) selectedNames(sel []bool) []any {
	var names []any
	for _, fp := range p.cols {
		if sel[fp.pos] {
			names = append(names, fp.nameAny)
		}
	}
	return names
}

// writeSpec converts the call options of a write.
func (o *callOpts) writeSpec() writeSpec {
	return writeSpec{cl: o.cl, ttl: o.ttl, hasTTL: o.hasTTL, ts: o.ts, hasTS: o.hasTS, keyspace: o.keyspace}
}
