package orm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/orm/tags"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
)

// Mapper maps the struct type T to the rows of one table: a Thrift column
// family or a CQL table; K is the type of its keys (see Map). It is safe
// for concurrent use; create one per model and table and share it.
//
// A Mapper made by Map opens its table on first use, so construction
// needs no context; errors in T's tags are kept and returned by every call
// (and by Err at once), and the table's schema errors by the first call
// that needs it. Open does both up front.
type Mapper[T, K any] struct {
	plan    *plan
	keys    *keyPlan
	planErr error
	name    string
	cfg     mapConfig
	tx      transport

	mu sync.Mutex // serialises opening
	// openKeyspace is the keyspace the table was read in when the session
	// has none: the first call's Keyspace; guarded by mu.
	openKeyspace string
	live         atomic.Pointer[tableInfo]
}

// Option configures a Mapper. Options are values of this interface,
// made by the functions below.
type Option interface{ applyMap(*mapConfig) }

type mapConfig struct {
	cfOpts   []columnfamily.Option
	verify   bool
	nulls    tags.NullMode
	tokenKey []byte
}

type mapFunc func(*mapConfig)

func (f mapFunc) applyMap(c *mapConfig) { f(c) }

// ColumnFamilyOptions passes options to the column family the mapper
// opens: columnfamily.ReadConsistency and WriteConsistency for default
// consistency levels, columnfamily.TimestampSource, RowBufferSize,
// RetryCounterMutations. Codec overrides (KeyType, NameType, ValueType…)
// have no effect: the mapper packs with the model's types.
func ColumnFamilyOptions(opts ...columnfamily.Option) Option {
	return mapFunc(func(c *mapConfig) { c.cfOpts = append(c.cfOpts, opts...) })
}

// Verified makes opening the mapper fail with a *VerifyError when the
// model differs from the live column family in any way Verify reports.
// Without it only differences the mapper cannot work with at all are
// errors (ErrSchema).
func Verified() Option {
	return mapFunc(func(c *mapConfig) { c.verify = true })
}

// Conn is what a mapper reaches its table through: a Thrift pool
// (*pool.Pool, whose keyspace holds the column family) or a CQL session
// (*cql.Session, whose keyspace holds the table). It is a constraint,
// inferred from the argument, so one call serves both transports and the
// compiler checks it:
//
//	users := orm.Map[User, string](db, "users") // db is a *pool.Pool or a *cql.Session
//
// Code that works on either takes a type parameter of its own:
//
//	func newStore[C orm.Conn](db C) *Store { return &Store{users: orm.Map[User, string](db, "users")} }
type Conn interface {
	*pool.Pool | *cql.Session
}

// Map returns a mapper of T over the table name: a column family of a
// Thrift pool's keyspace, or a CQL table of a session's keyspace. It does
// no I/O: the table is opened by the first call that needs it. Errors in
// T's tags are returned by Err and by every call.
//
// K is the type of the keys that name rows in Get, MultiGet, RemoveKey,
// Add and the other calls that take one: the key field's Go type, or a
// struct with a field of the key field's name and type (T itself is one,
// so a partly filled instance can name its row). A model whose primary
// key has several fields (a composite partition key, clustering columns)
// takes the struct form, with every primary key field. A K that is neither
// is a *tags.TagError (tags.ErrType) from Err.
//
//	users := orm.Map[User, uuid.UUID](db, "Users")
//	err := users.Insert(ctx, &u)
//	u, err := users.Get(ctx, id)
func Map[T, K any, C Conn](conn C, name string, opts ...Option) *Mapper[T, K] {
	m := &Mapper[T, K]{name: name}
	for _, o := range opts {
		if o != nil {
			o.applyMap(&m.cfg)
		}
	}
	m.plan, m.planErr = modelPlan[T]()
	if m.planErr == nil {
		m.keys, m.planErr = newKeyPlan(m.plan, reflect.TypeFor[K]())
	}
	if m.planErr != nil {
		m.plan = nil
	}
	switch c := any(conn).(type) {
	case *pool.Pool:
		m.tx = newThriftTable(c, name, m.cfg.cfOpts, m.plan)
	case *cql.Session:
		m.tx = newCQLTable(c, name, m.plan)
	}
	return m
}

// modelPlan returns the plan of T, which must be a struct type with a key
// field. A pointer type is refused: instances are values the mapper
// decodes into, and *T parameters already take pointers.
func modelPlan[T any]() (*plan, error) {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		return nil, &tags.TagError{Struct: t.String(), Problem: "a model is a struct type (use Map[User, K], not Map[*User, K])", Err: tags.ErrType}
	}
	p, err := planFor(t)
	if err == nil {
		err = p.st.RequireKey()
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Open is Map followed by opening the table now, so that bad tags, a
// missing table or a model that cannot fit it fail here (and, with
// Verified, any difference from the live schema).
func Open[T, K any, C Conn](ctx context.Context, conn C, name string, opts ...Option) (*Mapper[T, K], error) {
	m := Map[T, K](conn, name, opts...)
	if _, err := m.open(ctx, nil); err != nil {
		return nil, err
	}
	return m, nil
}

// errZeroMapper is the error of a Mapper not made by Map or Open.
var errZeroMapper = errors.New("orm: a Mapper must be made with orm.Map or orm.Open")

// errNilContext is the error of a call given a nil context.
var errNilContext = fmt.Errorf("%w: nil context", ErrArgument)

// Err returns the error in T's tags, if any, without I/O.
func (m *Mapper[T, K]) Err() error {
	if m == nil || m.plan == nil && m.planErr == nil {
		return errZeroMapper
	}
	return m.planErr
}

// ready is what every call needs before anything else: a mapper made by
// Map or Open, tags without errors, and a context.
func (m *Mapper[T, K]) ready(ctx context.Context) error {
	if err := m.Err(); err != nil {
		return err
	}
	if ctx == nil {
		return errNilContext
	}
	return nil
}

// Name is the column family's name.
func (m *Mapper[T, K]) Name() string {
	if m == nil {
		return ""
	}
	return m.name
}

// ColumnFamily returns the column family handle the mapper uses (opening
// it if needed). Its keys, names and values are raw bytes.
func (m *Mapper[T, K]) ColumnFamily(ctx context.Context) (*columnfamily.ColumnFamily, error) {
	if _, err := m.open(ctx, nil); err != nil {
		return nil, err
	}
	t, ok := m.tx.(*thriftTable)
	if !ok {
		return nil, fmt.Errorf("%w: column family %s is not reached over Thrift", ErrArgument, m.name)
	}
	return t.handle(), nil
}

// open returns the live table, opening it on first use. A failed open is
// not remembered: the next call tries again (the column family may have
// been created meanwhile).
func (m *Mapper[T, K]) open(ctx context.Context, opts []CallOption) (*tableInfo, error) {
	if err := m.ready(ctx); err != nil {
		return nil, err
	}
	if l := m.live.Load(); l != nil {
		return l, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if l := m.live.Load(); l != nil {
		return l, nil
	}
	// The first call's keyspace (Keyspace) is where the table is read
	// when the session has none of its own.
	m.openKeyspace = collect(opts).keyspace
	return m.load(ctx, false)
}

// Reload reads the column family's definition again (after a schema
// change: a new index, a changed validator) and checks the model against
// it as opening does. Calls already running keep the old view.
func (m *Mapper[T, K]) Reload(ctx context.Context) error {
	if err := m.ready(ctx); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	_, err := m.load(ctx, m.live.Load() != nil)
	return err
}

// load opens (or reopens) the table; m.mu is held.
func (m *Mapper[T, K]) load(ctx context.Context, reload bool) (*tableInfo, error) {
	d := m.plan.model(m.name)
	info, err := m.tx.open(ctx, &d, m.openKeyspace, reload)
	if err != nil {
		return nil, err
	}
	if m.cfg.verify && len(info.diffs) > 0 {
		return nil, &VerifyError{CF: m.name, Model: m.plan.st.Name, Diffs: info.diffs}
	}
	if err := m.fatal(info); err != nil {
		return nil, err
	}
	m.live.Store(info)
	return info, nil
}

// fatal reports the mismatches no call could work around.
func (m *Mapper[T, K]) fatal(l *tableInfo) error {
	p := m.plan
	switch {
	case p.super != nil && !l.super:
		return fmt.Errorf("%w: %s has a super field (%s) but column family %s is standard", ErrSchema, p.st.Name, p.super.f.GoName, m.name)
	case p.super == nil && l.super:
		return fmt.Errorf("%w: column family %s is a super column family; give %s a field tagged super to hold the super column name", ErrSchema, m.name, p.st.Name)
	case p.counter && !l.counter:
		return fmt.Errorf("%w: %s has counter fields but column family %s holds no counters", ErrSchema, p.st.Name, m.name)
	case !p.counter && len(p.cols) > 0 && l.counter:
		return fmt.Errorf("%w: column family %s holds counters; tag %s's fields type=Counter", ErrSchema, m.name, p.st.Name)
	}
	return nil
}
