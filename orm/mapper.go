package orm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm/tags"
	"github.com/cassa-go/cassa/thrift/columnfamily"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// Mapper maps the struct type T to the rows of one column family. It is
// safe for concurrent use; create one per model and column family and
// share it.
//
// A Mapper made by Map opens its column family on first use, so
// construction needs no context; errors in T's tags are kept and returned
// by every call (and by Err at once), and the column family's schema errors
// by the first call that needs it. Open does both up front.
type Mapper[T any] struct {
	plan    *plan
	planErr error
	pool    *pool.Pool
	name    string
	cfg     mapConfig

	mu   sync.Mutex // serialises opening
	live atomic.Pointer[liveCF]
}

// liveCF is the column family as opened: the columnfamily handle (keys, names
// and values unpacked: the mapper packs them itself) and what the live
// definition says about it.
type liveCF struct {
	cf        *columnfamily.ColumnFamily
	def       *thriftgen.CfDef
	super     bool
	indexed   map[string]bool
	colTypes  map[string]codec.Type // column_metadata validators by name
	valueType codec.Type            // default_validation_class
}

// Option configures a Mapper. Options are values of this interface,
// made by the functions below.
type Option interface{ applyMap(*mapConfig) }

type mapConfig struct {
	cfOpts []columnfamily.Option
	verify bool
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

// Map returns a mapper of T over the column family name of p's keyspace.
// It does no I/O: the column family is opened by the first call that
// needs it. Errors in T's tags are returned by Err and by every call.
//
//	users := orm.Map[User](pool, "Users")
//	err := users.Insert(ctx, &u)
func Map[T any](p *pool.Pool, name string, opts ...Option) *Mapper[T] {
	m := &Mapper[T]{pool: p, name: name}
	for _, o := range opts {
		if o != nil {
			o.applyMap(&m.cfg)
		}
	}
	m.plan, m.planErr = modelPlan[T]()
	return m
}

// modelPlan returns the plan of T, which must be a struct type with a key
// field. A pointer type is refused: instances are values the mapper
// decodes into, and *T parameters already take pointers.
func modelPlan[T any]() (*plan, error) {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		return nil, &tags.TagError{Struct: t.String(), Problem: "a model is a struct type (use Map[User], not Map[*User])", Err: tags.ErrType}
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

// Open is Map followed by opening the column family now, so that bad tags,
// a missing column family or a model that cannot fit it fail here (and,
// with Verified, any difference from the live schema).
func Open[T any](ctx context.Context, p *pool.Pool, name string, opts ...Option) (*Mapper[T], error) {
	m := Map[T](p, name, opts...)
	if _, err := m.open(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// errZeroMapper is the error of a Mapper not made by Map, Open or From.
var errZeroMapper = errors.New("orm: a Mapper must be made with orm.Map or orm.Open")

// Err returns the error in T's tags, if any, without I/O.
func (m *Mapper[T]) Err() error {
	if m.plan == nil && m.planErr == nil {
		return errZeroMapper
	}
	return m.planErr
}

// Name is the column family's name.
func (m *Mapper[T]) Name() string { return m.name }

// ColumnFamily returns the column family handle the mapper uses (opening
// it if needed). Its keys, names and values are raw bytes.
func (m *Mapper[T]) ColumnFamily(ctx context.Context) (*columnfamily.ColumnFamily, error) {
	l, err := m.open(ctx)
	if err != nil {
		return nil, err
	}
	return l.cf, nil
}

// open returns the live column family, opening it on first use. A failed
// open is not remembered: the next call tries again (the column family may
// have been created meanwhile).
func (m *Mapper[T]) open(ctx context.Context) (*liveCF, error) {
	if l := m.live.Load(); l != nil {
		return l, nil
	}
	if err := m.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if l := m.live.Load(); l != nil {
		return l, nil
	}
	return m.load(ctx)
}

// Reload reads the column family's definition again (after a schema
// change: a new index, a changed validator) and checks the model against
// it as opening does. Calls already running keep the old view.
func (m *Mapper[T]) Reload(ctx context.Context) error {
	if err := m.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if l := m.live.Load(); l != nil {
		if err := l.cf.Reload(ctx); err != nil {
			return err
		}
	}
	_, err := m.load(ctx)
	return err
}

// load opens (or reopens) the column family; m.mu is held.
func (m *Mapper[T]) load(ctx context.Context) (*liveCF, error) {
	if m.pool == nil {
		return nil, fmt.Errorf("orm: mapper of %s has no pool", m.name)
	}
	def, err := describeCF(ctx, m.pool, m.name)
	if err != nil {
		return nil, err
	}
	var cf *columnfamily.ColumnFamily
	if old := m.live.Load(); old != nil {
		cf = old.cf // reloaded by Reload already
	}
	if cf == nil {
		opts := append(append([]columnfamily.Option(nil), m.cfg.cfOpts...),
			columnfamily.RawKeys(), columnfamily.RawNames(), columnfamily.RawValues())
		if cf, err = columnfamily.Open(ctx, m.pool, m.name, opts...); err != nil {
			return nil, err
		}
	}
	l, err := newLive(cf, def)
	if err != nil {
		return nil, err
	}
	diffs := m.diff(def)
	if m.cfg.verify && len(diffs) > 0 {
		return nil, &VerifyError{CF: m.name, Model: m.plan.st.Name, Diffs: diffs}
	}
	if err := m.fatal(l); err != nil {
		return nil, err
	}
	m.live.Store(l)
	return l, nil
}

// fatal reports the mismatches no call could work around.
func (m *Mapper[T]) fatal(l *liveCF) error {
	p := m.plan
	switch {
	case p.super != nil && !l.super:
		return fmt.Errorf("%w: %s has a super field (%s) but column family %s is standard", ErrSchema, p.st.Name, p.super.f.GoName, m.name)
	case p.super == nil && l.super:
		return fmt.Errorf("%w: column family %s is a super column family; give %s a field tagged super to hold the super column name", ErrSchema, m.name, p.st.Name)
	case p.counter && !l.cf.IsCounter():
		return fmt.Errorf("%w: %s has counter fields but column family %s holds no counters", ErrSchema, p.st.Name, m.name)
	case !p.counter && len(p.cols) > 0 && l.cf.IsCounter():
		return fmt.Errorf("%w: column family %s holds counters; tag %s's fields type=Counter", ErrSchema, m.name, p.st.Name)
	}
	return nil
}

func newLive(cf *columnfamily.ColumnFamily, def *thriftgen.CfDef) (*liveCF, error) {
	l := &liveCF{cf: cf, def: def, super: def.ColumnType == "Super", indexed: map[string]bool{},
		colTypes: map[string]codec.Type{}}
	l.valueType = parseLive(def.GetDefaultValidationClass())
	for _, cd := range def.ColumnMetadata {
		if cd == nil {
			continue
		}
		l.colTypes[string(cd.Name)] = parseLive(cd.ValidationClass)
		if cd.IndexType != nil {
			l.indexed[string(cd.Name)] = true
		}
	}
	return l, nil
}

// parseLive parses a class from the live schema; unknown classes are
// bytes, as in columnfamily and pycassa.
func parseLive(class string) codec.Type {
	if class == "" {
		return codec.Bytes
	}
	t, err := codec.Parse(class)
	if err != nil {
		return codec.Bytes
	}
	return t
}

// describeCF reads the live definition of the column family name.
func describeCF(ctx context.Context, p *pool.Pool, name string) (*thriftgen.CfDef, error) {
	var def *thriftgen.CfDef
	err := p.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		ks := c.Keyspace()
		if ks == "" {
			return fmt.Errorf("orm: column family %s: the pool has no keyspace (pool.Config.Keyspace)", name)
		}
		kd, err := c.Client().DescribeKeyspace(ctx, ks)
		if err != nil {
			return err
		}
		for _, d := range kd.CfDefs {
			if d != nil && d.Name == name {
				def = d
				return nil
			}
		}
		return fmt.Errorf("orm: column family %s not found in keyspace %s: %w", name, ks, cassa.ErrNotFound)
	})
	if err != nil {
		var nf *thriftgen.NotFoundException
		if errors.As(err, &nf) {
			return nil, fmt.Errorf("orm: column family %s: keyspace not found: %w", name, cassa.ErrNotFound)
		}
		return nil, err
	}
	return def, nil
}
