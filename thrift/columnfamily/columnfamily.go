package columnfamily

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/internal/check"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// ColumnFamily is pycassa's dynamic column-family API over a Pool: reads
// and writes of one column family, with keys, column names, super column
// names and values packed from and unpacked to Go values with the codecs of
// the live schema (or the ones given as Options to Open). It is safe for
// concurrent use; open it once and share it.
//
// Reads return cassa.ErrNotFound only from Get, as pycassa does; the others
// return empty results. Writes take one client timestamp, computed before
// the first attempt, so a retried write is idempotent; counter writes are
// not retried after a failure that may have been applied unless
// RetryCounterMutations is set.
type ColumnFamily struct {
	pool   *pool.Pool
	name   string
	schema atomic.Pointer[cfSchema]

	mu  sync.Mutex       // serialises schema rebuilds and cfg.colTypes
	def *thriftgen.CfDef // the definition last read
	cfg cfConfig
}

type cfConfig struct {
	keyType, nameType, superType, valueType codec.Type
	colTypes                                []colTypeOverride
	rawKeys, rawNames, rawValues            bool
	buffer, colBuffer                       int
	readCL, writeCL                         cassa.Consistency
	clock                                   func() int64
	retryCounters                           bool
}

type colTypeOverride struct {
	name any
	t    codec.Type
}

// cfSchema is what a ColumnFamily knows of its schema, built by Reload and
// replaced whole so that readers never see half of one.
type cfSchema struct {
	super   bool
	counter bool

	// Codecs that pack and unpack (codec.Bytes where packing is off).
	key, name, superName, value codec.Type
	// keyShow is the schema's key validator, which renders packed keys in
	// messages (codec.FormatKey), with packing on or off.
	keyShow codec.Type
	// Per-column value codecs, keyed by the packed (sub-)column name.
	validators map[string]codec.Type

	// Packed names of the columns with a secondary index.
	indexed map[string]bool

	// The schema's own types, to validate raw input before sending it.
	valName, valSuper, valValue codec.Type
	valColumns                  map[string]codec.Type
	raw                         bool
}

// Open opens the column family name of p's keyspace: it reads its
// definition with describe_keyspace and picks the codecs for keys, names,
// super column names and values from it. A missing column family is a
// *cassa.UnknownTableError (errors.Is cassa.ErrUnknownTable), which is not
// cassa.ErrNotFound; so is a column family dropped after Open, on every
// call.
func Open(ctx context.Context, p *pool.Pool, name string, opts ...Option) (*ColumnFamily, error) {
	if err := check.Context(ctx, "columnfamily.Open"); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, check.Nil("columnfamily.Open", "p")
	}
	cf := &ColumnFamily{pool: p, name: name}
	for _, o := range opts {
		if o != nil {
			o.applyCF(&cf.cfg)
		}
	}
	if cf.cfg.clock == nil {
		cf.cfg.clock = MonotonicTimestamp
	}
	if cf.cfg.buffer <= 0 {
		cf.cfg.buffer = DefaultBufferSize
	}
	if cf.cfg.colBuffer <= 0 {
		cf.cfg.colBuffer = DefaultBufferSize
	}
	if err := cf.reload(ctx); err != nil {
		return nil, err
	}
	return cf, nil
}

// Name is the column family's name.
func (cf *ColumnFamily) Name() string {
	if cf == nil {
		return ""
	}
	return cf.name
}

// loaded is the schema of a ColumnFamily Open made, or an empty one (its
// codecs nil) for a nil ColumnFamily or a zero one, so that the accessors
// below answer zero values for those.
func (cf *ColumnFamily) loaded() *cfSchema {
	if cf == nil {
		return &cfSchema{}
	}
	if s := cf.schema.Load(); s != nil {
		return s
	}
	return &cfSchema{}
}

// begin checks what every call checks first, a ColumnFamily made by Open
// and a context, and returns the current schema; fn names the method.
func (cf *ColumnFamily) begin(ctx context.Context, fn string) (*cfSchema, error) {
	if cf == nil || cf.pool == nil || cf.schema.Load() == nil {
		return nil, check.Unmade(fn, "*columnfamily.ColumnFamily", "columnfamily.Open")
	}
	if err := check.Context(ctx, fn); err != nil {
		return nil, err
	}
	return cf.schema.Load(), nil
}

// IsSuper reports whether the column family is a super column family.
func (cf *ColumnFamily) IsSuper() bool { return cf.loaded().super }

// IsCounter reports whether the column family holds counters (its default
// validation class is CounterColumnType).
func (cf *ColumnFamily) IsCounter() bool { return cf.loaded().counter }

// KeyType is the codec of row keys (codec.Bytes when RawKeys is set).
func (cf *ColumnFamily) KeyType() codec.Type { return cf.loaded().key }

// NameType is the codec of column names: sub-column names in a super
// column family.
func (cf *ColumnFamily) NameType() codec.Type { return cf.loaded().name }

// SuperNameType is the codec of super column names; nil for a standard
// column family.
func (cf *ColumnFamily) SuperNameType() codec.Type { return cf.loaded().superName }

// ValueType is the codec of values of columns without their own
// validator.
func (cf *ColumnFamily) ValueType() codec.Type { return cf.loaded().value }

// ColumnValueType is the codec of the values of the column name.
func (cf *ColumnFamily) ColumnValueType(name any) (codec.Type, error) {
	s, err := cf.begin(context.Background(), "columnfamily.ColumnFamily.ColumnValueType")
	if err != nil {
		return nil, err
	}
	b, err := s.packName(cf.name, name, false, codec.NoBound)
	if err != nil {
		return nil, err
	}
	return s.valueFor(b), nil
}

// Reload reads the column family's definition again (after a schema
// change) and rebuilds its codecs; the Options given to Open
// still apply.
func (cf *ColumnFamily) Reload(ctx context.Context) error {
	if _, err := cf.begin(ctx, "columnfamily.ColumnFamily.Reload"); err != nil {
		return err
	}
	return cf.reload(ctx)
}

// reload is Reload for Open too, before there is a schema.
func (cf *ColumnFamily) reload(ctx context.Context) error {
	def, err := Describe(ctx, cf.pool, cf.name)
	if err != nil {
		return err
	}
	cf.mu.Lock()
	defer cf.mu.Unlock()
	s, err := buildSchema(def, &cf.cfg)
	if err != nil {
		return fmt.Errorf("columnfamily: column family %s: %w", cf.name, err)
	}
	cf.def = def
	cf.schema.Store(s)
	return nil
}

// Describe reads the definition of the column family name of p's keyspace
// with describe_keyspace. A column family the keyspace lacks, or a
// keyspace that no longer exists, is a *cassa.UnknownTableError naming
// both, never cassa.ErrNotFound.
func Describe(ctx context.Context, p *pool.Pool, name string) (*thriftgen.CfDef, error) {
	if err := check.Context(ctx, "columnfamily.Describe"); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, check.Nil("columnfamily.Describe", "p")
	}
	var def *thriftgen.CfDef
	err := p.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		ks := c.Keyspace()
		if ks == "" {
			return fmt.Errorf("columnfamily: column family %s: the pool has no keyspace (Config.Keyspace)", name)
		}
		kd, err := c.Client().DescribeKeyspace(ctx, ks)
		var nf *thriftgen.NotFoundException
		if errors.As(err, &nf) {
			return &cassa.UnknownTableError{Keyspace: ks, Table: name, Host: c.Server(), Op: "describe_keyspace",
				Err: fmt.Errorf("keyspace %s does not exist", ks)}
		}
		if err != nil {
			return err
		}
		for _, d := range kd.CfDefs {
			if d != nil && d.Name == name {
				def = d
				return nil
			}
		}
		return &cassa.UnknownTableError{Keyspace: ks, Table: name, Host: c.Server(), Op: "describe_keyspace"}
	})
	if err != nil {
		return nil, err
	}
	return def, nil
}

// SetColumnValueType sets the codec of the values of the column name (given
// unpacked), as pycassa's column_validators[name] = t; a nil t removes the
// column's codec, so its values use ValueType. The change outlives Reload.
func (cf *ColumnFamily) SetColumnValueType(name any, t codec.Type) error {
	if _, err := cf.begin(context.Background(), "columnfamily.ColumnFamily.SetColumnValueType"); err != nil {
		return err
	}
	cf.mu.Lock()
	defer cf.mu.Unlock()
	prev := cf.cfg.colTypes
	cf.cfg.colTypes = append(slices.Clip(prev), colTypeOverride{name, t})
	s, err := buildSchema(cf.def, &cf.cfg)
	if err != nil {
		cf.cfg.colTypes = prev
		return fmt.Errorf("columnfamily: column family %s: %w", cf.name, err)
	}
	cf.schema.Store(s)
	return nil
}

// parseClass parses a class name from the schema; classes codec does not
// know are treated as BytesType, as pycassa does.
func parseClass(class string) (codec.Type, error) {
	if class == "" {
		return codec.Bytes, nil
	}
	t, err := codec.Parse(class)
	if errors.Is(err, codec.ErrUnknownType) {
		return codec.Bytes, nil
	}
	return t, err
}

func buildSchema(def *thriftgen.CfDef, cfg *cfConfig) (*cfSchema, error) {
	s := &cfSchema{super: def.ColumnType == "Super"}
	keyT, err := parseClass(def.GetKeyValidationClass())
	if err != nil {
		return nil, err
	}
	cmp, err := parseClass(def.ComparatorType)
	if err != nil {
		return nil, err
	}
	valT, err := parseClass(def.GetDefaultValidationClass())
	if err != nil {
		return nil, err
	}
	s.counter = codec.ShortName(valT) == "CounterColumnType"
	if s.super {
		s.valSuper = cmp
		if s.valName, err = parseClass(def.GetSubcomparatorType()); err != nil {
			return nil, err
		}
	} else {
		s.valName = cmp
	}
	s.valValue = valT

	s.key, s.name, s.superName, s.value = keyT, s.valName, s.valSuper, valT
	s.keyShow = keyT
	if cfg.keyType != nil {
		s.key = cfg.keyType
	}
	if cfg.nameType != nil {
		s.name = cfg.nameType
	}
	if cfg.superType != nil && s.super {
		s.superName = cfg.superType
	}
	if cfg.valueType != nil {
		s.value = cfg.valueType
	}
	if cfg.rawKeys {
		s.key = codec.Bytes
	}
	if cfg.rawNames {
		s.name = codec.Bytes
		if s.super {
			s.superName = codec.Bytes
		}
	}
	if cfg.rawValues {
		s.value = codec.Bytes
	}
	s.raw = cfg.rawNames || cfg.rawValues

	s.validators = make(map[string]codec.Type)
	s.valColumns = make(map[string]codec.Type)
	s.indexed = make(map[string]bool)
	for _, cd := range def.ColumnMetadata {
		if cd == nil {
			continue
		}
		t, err := parseClass(cd.ValidationClass)
		if err != nil {
			return nil, err
		}
		s.valColumns[string(cd.Name)] = t
		if cd.IndexType != nil {
			s.indexed[string(cd.Name)] = true
		}
		if !cfg.rawValues {
			s.validators[string(cd.Name)] = t
		}
	}
	for _, o := range cfg.colTypes {
		b, err := s.packName("", o.name, false, codec.NoBound)
		if err != nil {
			return nil, err
		}
		if o.t == nil {
			delete(s.validators, string(b))
		} else {
			s.validators[string(b)] = o.t
		}
	}
	return s, nil
}
