package migrate

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Attributes are the tuning attributes of a column family (the CfDef
// fields beyond its types and columns). Every field is optional: nil means
// Cassandra's default when a column family is created, "keep the current
// value" when one is altered, and "not managed" in a declarative TableSpec.
// Class names may be short: a compaction strategy gets
// org.apache.cassandra.db.compaction., an sstable_compression class
// org.apache.cassandra.io.compress.
type Attributes struct {
	Comment                   *string           `json:"comment,omitempty" yaml:"comment,omitempty"`
	ReadRepairChance          *float64          `json:"read_repair_chance,omitempty" yaml:"read_repair_chance,omitempty"`
	DCLocalReadRepairChance   *float64          `json:"dclocal_read_repair_chance,omitempty" yaml:"dclocal_read_repair_chance,omitempty"`
	GCGraceSeconds            *int32            `json:"gc_grace_seconds,omitempty" yaml:"gc_grace_seconds,omitempty"`
	MinCompactionThreshold    *int32            `json:"min_compaction_threshold,omitempty" yaml:"min_compaction_threshold,omitempty"`
	MaxCompactionThreshold    *int32            `json:"max_compaction_threshold,omitempty" yaml:"max_compaction_threshold,omitempty"`
	CompactionStrategy        *string           `json:"compaction_strategy,omitempty" yaml:"compaction_strategy,omitempty"`
	CompactionStrategyOptions map[string]string `json:"compaction_strategy_options,omitempty" yaml:"compaction_strategy_options,omitempty"`
	CompressionOptions        map[string]string `json:"compression_options,omitempty" yaml:"compression_options,omitempty"`
	BloomFilterFPChance       *float64          `json:"bloom_filter_fp_chance,omitempty" yaml:"bloom_filter_fp_chance,omitempty"`
	// Caching is KEYS_ONLY, ROWS_ONLY, ALL or NONE (any case).
	Caching *string `json:"caching,omitempty" yaml:"caching,omitempty"`
	// CellsPerRowToCache is a number or "ALL"; it only matters with a row
	// cache (Cassandra reports "0" otherwise).
	CellsPerRowToCache      *string `json:"cells_per_row_to_cache,omitempty" yaml:"cells_per_row_to_cache,omitempty"`
	DefaultTimeToLive       *int32  `json:"default_time_to_live,omitempty" yaml:"default_time_to_live,omitempty"`
	MemtableFlushPeriodInMs *int32  `json:"memtable_flush_period_in_ms,omitempty" yaml:"memtable_flush_period_in_ms,omitempty"`
	// SpeculativeRetry is NONE, ALWAYS, <n>PERCENTILE or <n>ms.
	SpeculativeRetry *string `json:"speculative_retry,omitempty" yaml:"speculative_retry,omitempty"`
	MinIndexInterval *int32  `json:"min_index_interval,omitempty" yaml:"min_index_interval,omitempty"`
	MaxIndexInterval *int32  `json:"max_index_interval,omitempty" yaml:"max_index_interval,omitempty"`
}

// apply sets every attribute a holds on cf.
func (a *Attributes) apply(cf *tg.CfDef) {
	setPtr(&cf.Comment, a.Comment)
	setPtr(&cf.ReadRepairChance, a.ReadRepairChance)
	setVal(&cf.DclocalReadRepairChance, a.DCLocalReadRepairChance)
	setPtr(&cf.GcGraceSeconds, a.GCGraceSeconds)
	setPtr(&cf.MinCompactionThreshold, a.MinCompactionThreshold)
	setPtr(&cf.MaxCompactionThreshold, a.MaxCompactionThreshold)
	if a.CompactionStrategy != nil {
		cf.CompactionStrategy = Ptr(qualifyIn(compactionPkg, *a.CompactionStrategy))
	}
	if a.CompactionStrategyOptions != nil {
		cf.CompactionStrategyOptions = maps.Clone(a.CompactionStrategyOptions)
	}
	// Cassandra 3.x describes the thresholds inside
	// compaction_strategy_options too, and on update those options win
	// over min/max_compaction_threshold (ThriftConversion's
	// compactionParamsFromThrift only adds the fields when absent): keep
	// the two in step.
	for _, th := range []struct {
		key string
		v   *int32
	}{{"min_threshold", a.MinCompactionThreshold}, {"max_threshold", a.MaxCompactionThreshold}} {
		if _, ok := cf.CompactionStrategyOptions[th.key]; ok && th.v != nil {
			cf.CompactionStrategyOptions[th.key] = strconv.Itoa(int(*th.v))
		}
	}
	if a.CompressionOptions != nil {
		cf.CompressionOptions = canonCompression(a.CompressionOptions)
	}
	setPtr(&cf.BloomFilterFpChance, a.BloomFilterFPChance)
	setVal(&cf.Caching, a.Caching)
	setVal(&cf.CellsPerRowToCache, a.CellsPerRowToCache)
	// A row cache asked for without cells_per_row_to_cache takes the IDL
	// default (100): the "0" Cassandra reports while the row cache is off
	// would turn it off again in 3.x (ThriftConversion.cachingFromThrift).
	if a.Caching != nil && a.CellsPerRowToCache == nil && (cf.CellsPerRowToCache == "" || cf.CellsPerRowToCache == "0") {
		switch strings.ToUpper(*a.Caching) {
		case "ALL", "ROWS_ONLY":
			cf.CellsPerRowToCache = "100"
		}
	}
	setPtr(&cf.DefaultTimeToLive, a.DefaultTimeToLive)
	setPtr(&cf.MemtableFlushPeriodInMs, a.MemtableFlushPeriodInMs)
	if a.SpeculativeRetry != nil {
		// Cassandra 3.x takes NONE and ALWAYS in upper case only
		// (SpeculativeRetryParam.fromString).
		cf.SpeculativeRetry = *a.SpeculativeRetry
		if u := strings.ToUpper(cf.SpeculativeRetry); u == "NONE" || u == "ALWAYS" {
			cf.SpeculativeRetry = u
		}
	}
	setPtr(&cf.MinIndexInterval, a.MinIndexInterval)
	setPtr(&cf.MaxIndexInterval, a.MaxIndexInterval)
}

// setPtr points *dst at a copy of *v when v is set, so that the CfDef
// never shares memory with the Attributes it came from.
func setPtr[T any](dst **T, v *T) {
	if v != nil {
		*dst = Ptr(*v)
	}
}

// setVal sets *dst to *v when v is set (for CfDef's non-pointer fields).
func setVal[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// canonCompression qualifies the sstable_compression class.
func canonCompression(m map[string]string) map[string]string {
	out := maps.Clone(m)
	if c, ok := out["sstable_compression"]; ok {
		out["sstable_compression"] = qualifyIn(compressionPkg, c)
	}
	return out
}

// ColumnSpec is one column: of a Thrift column family, its metadata (a
// value validator and an optional secondary index); of a CQL table, its
// name, CQL type, whether it is static, and an optional index.
type ColumnSpec struct {
	// Name is a CQL column's name, exactly as stored ("userId" is what
	// CQL writes as the quoted identifier "userId"), or a Thrift column's
	// name as a value of the comparator (the subcomparator in a super
	// column family): a string, a number, a UUID, []byte for raw bytes.
	// Strings are also read as the comparator's text form, so "42" names
	// column 42 under LongType.
	Name any `json:"name" yaml:"name"`
	// Validator is the value type, a codec.Type or a class name; empty
	// means BytesType.
	Validator any `json:"validator,omitempty" yaml:"validator,omitempty"`
	// Index asks for a secondary index on the column (on a CQL table: on
	// its values, or the whole of a frozen collection).
	Index bool `json:"index,omitempty" yaml:"index,omitempty"`
	// IndexName names the index; empty lets Cassandra name it
	// <cf>_<column>_idx (and, declaratively, accepts any existing name).
	IndexName string `json:"index_name,omitempty" yaml:"index_name,omitempty"`
	// IndexType is KEYS (the default), CUSTOM or COMPOSITES.
	IndexType string `json:"index_type,omitempty" yaml:"index_type,omitempty"`
	// IndexOptions are the index's options; CUSTOM needs class_name.
	IndexOptions map[string]string `json:"index_options,omitempty" yaml:"index_options,omitempty"`
	// Type is a CQL table column's CQL type ("text", "set<text>",
	// "frozen<address>"). Thrift column families take Validator instead.
	Type string `json:"type,omitempty" yaml:"type,omitempty"`
	// Static makes a CQL table column static (one value per partition).
	Static bool `json:"static,omitempty" yaml:"static,omitempty"`
}

// columnDef packs the spec into a ColumnDef; t is the comparator names are
// packed with.
func (c *ColumnSpec) columnDef(t codec.Type) (*tg.ColumnDef, error) {
	name, err := packName(t, c.Name)
	if err != nil {
		return nil, err
	}
	v, err := qualify("validator", c.Validator)
	if err != nil {
		return nil, err
	}
	if v == "" {
		v = codec.Bytes.Class()
	}
	cd := tg.NewColumnDef()
	cd.Name = name
	cd.ValidationClass = v
	if c.Index || c.IndexName != "" || c.IndexType != "" {
		it, err := indexType(c.IndexType)
		if err != nil {
			return nil, err
		}
		cd.IndexType = &it
		if c.IndexName != "" {
			cd.IndexName = Ptr(c.IndexName)
		}
		cd.IndexOptions = maps.Clone(c.IndexOptions)
	}
	return cd, nil
}

func indexType(s string) (tg.IndexType, error) {
	if s == "" {
		return tg.IndexType_KEYS, nil
	}
	it, err := tg.IndexTypeFromString(strings.ToUpper(s))
	if err != nil {
		return 0, &TypeError{Field: "index_type", Value: s}
	}
	return it, nil
}

// ColumnFamilyDef describes a column family. In CreateColumnFamily a zero field
// means Cassandra's default (BytesType types, Standard, no column
// metadata); in AlterColumnFamily it means "keep the current value".
type ColumnFamilyDef struct {
	// Super makes a super column family (create only: Cassandra cannot
	// change the column type).
	Super bool
	// Comparator orders column names (super column names in a super
	// column family); Subcomparator orders the subcolumns of a super
	// column family; KeyValidation checks row keys; DefaultValidation
	// checks values of columns without metadata. Each is a codec.Type or a
	// class name ("LongType", "CompositeType(LongType,UTF8Type)" or fully
	// qualified).
	Comparator, Subcomparator, KeyValidation, DefaultValidation any
	// Columns are column metadata. AlterColumnFamily replaces the
	// metadata of the columns it names and keeps the others.
	Columns []ColumnSpec
	Attributes
	// Modify, when not nil, edits the CfDef last, for fields this
	// struct does not cover (triggers, key_alias, deprecated fields).
	Modify func(*tg.CfDef)
}

// setTypes sets the types opts gives on cf.
func (o *ColumnFamilyDef) setTypes(cf *tg.CfDef) error {
	for _, f := range []struct {
		name string
		v    any
		set  func(string)
	}{
		{"comparator", o.Comparator, func(s string) { cf.ComparatorType = s }},
		{"subcomparator", o.Subcomparator, func(s string) { cf.SubcomparatorType = Ptr(s) }},
		{"key_validation", o.KeyValidation, func(s string) { cf.KeyValidationClass = Ptr(s) }},
		{"default_validation", o.DefaultValidation, func(s string) { cf.DefaultValidationClass = Ptr(s) }},
	} {
		s, err := qualify(f.name, f.v)
		if err != nil {
			return err
		}
		if s != "" {
			f.set(s)
		}
	}
	return nil
}

// cellComparator is the type column metadata names are packed with: the
// subcomparator of a super column family, else the comparator.
func cellComparator(cf *tg.CfDef) (codec.Type, error) {
	name := cf.ComparatorType
	if cf.ColumnType == "Super" {
		name = cf.GetSubcomparatorType()
	}
	t, err := parseType("comparator", name)
	if err != nil {
		return nil, err
	}
	if t == nil {
		t = codec.Bytes
	}
	return t, nil
}

// upsertColumns replaces or appends column metadata by packed name.
func upsertColumns(cf *tg.CfDef, cols []ColumnSpec) error {
	if len(cols) == 0 {
		return nil
	}
	t, err := cellComparator(cf)
	if err != nil {
		return err
	}
	for i := range cols {
		cd, err := cols[i].columnDef(t)
		if err != nil {
			return err
		}
		if j := findColumn(cf, cd.Name); j >= 0 {
			cf.ColumnMetadata[j] = cd
		} else {
			cf.ColumnMetadata = append(cf.ColumnMetadata, cd)
		}
	}
	return nil
}

func findColumn(cf *tg.CfDef, name []byte) int {
	for i, cd := range cf.ColumnMetadata {
		if bytes.Equal(cd.Name, name) {
			return i
		}
	}
	return -1
}

// buildCfDef is the CfDef CreateColumnFamily sends.
func buildCfDef(keyspace, name string, opts ColumnFamilyDef) (*tg.CfDef, error) {
	cf := tg.NewCfDef()
	cf.Keyspace = keyspace
	cf.Name = name
	if opts.Super {
		cf.ColumnType = "Super"
	}
	cf.ComparatorType = codec.Bytes.Class()
	if err := opts.setTypes(cf); err != nil {
		return nil, err
	}
	if err := upsertColumns(cf, opts.Columns); err != nil {
		return nil, err
	}
	opts.Attributes.apply(cf)
	if opts.Modify != nil {
		opts.Modify(cf)
	}
	return cf, nil
}

// CreateColumnFamily creates a column family in keyspace.
func (s *SystemManager) CreateColumnFamily(ctx context.Context, keyspace, name string, opts ColumnFamilyDef) error {
	cf, err := buildCfDef(keyspace, name, opts)
	if err != nil {
		return err
	}
	return s.addColumnFamily(ctx, cf)
}

func (s *SystemManager) addColumnFamily(ctx context.Context, cf *tg.CfDef) error {
	// The server needs a session keyspace for the permission check.
	return s.change(ctx, cf.Keyspace, func(ctx context.Context, c *tg.CassandraClient) (string, error) {
		return c.SystemAddColumnFamily(ctx, cf)
	})
}

// DescribeColumnFamily returns a column family's definition. An unknown
// keyspace gives an error matching ErrKeyspaceNotFound; an unknown column
// family a *cassa.UnknownTableError (ErrColumnFamilyNotFound).
func (s *SystemManager) DescribeColumnFamily(ctx context.Context, keyspace, name string) (*tg.CfDef, error) {
	ks, err := s.DescribeKeyspace(ctx, keyspace)
	if err != nil {
		return nil, err
	}
	for _, cf := range ks.CfDefs {
		if cf.Name == name {
			return cf, nil
		}
	}
	return nil, &cassa.UnknownTableError{Keyspace: keyspace, Table: name}
}

// modifyColumnFamily is describe, modify, update: Cassandra replaces the
// whole definition on update, so every field must be sent again.
func (s *SystemManager) modifyColumnFamily(ctx context.Context, keyspace, name string, fn func(cf *tg.CfDef) (bool, error)) error {
	cf, err := s.DescribeColumnFamily(ctx, keyspace, name)
	if err != nil {
		return err
	}
	changed, err := fn(cf)
	if err != nil || !changed {
		return err
	}
	return s.change(ctx, keyspace, func(ctx context.Context, c *tg.CassandraClient) (string, error) {
		return c.SystemUpdateColumnFamily(ctx, cf)
	})
}

// AlterColumnFamily changes what opts sets on an existing column family and
// keeps everything else (comment, other columns, indexes, ...).
// opts.Super is ignored. Cassandra refuses incompatible comparator changes
// with an *cassa.InvalidRequestError.
func (s *SystemManager) AlterColumnFamily(ctx context.Context, keyspace, name string, opts ColumnFamilyDef) error {
	return s.modifyColumnFamily(ctx, keyspace, name, func(cf *tg.CfDef) (bool, error) {
		if err := opts.setTypes(cf); err != nil {
			return false, err
		}
		if err := upsertColumns(cf, opts.Columns); err != nil {
			return false, err
		}
		opts.Attributes.apply(cf)
		if opts.Modify != nil {
			opts.Modify(cf)
		}
		return true, nil
	})
}

// DropColumnFamily drops a column family and its data.
func (s *SystemManager) DropColumnFamily(ctx context.Context, keyspace, name string) error {
	return s.change(ctx, keyspace, func(ctx context.Context, c *tg.CassandraClient) (string, error) {
		return c.SystemDropColumnFamily(ctx, name)
	})
}

// AlterColumn sets the validator of one column, adding its metadata when it
// has none. The name is packed with the subcomparator in a super column
// family, else with the comparator (pycassa's alter_column on super column
// families, #45).
func (s *SystemManager) AlterColumn(ctx context.Context, keyspace, cf string, column, validator any) error {
	v, err := qualify("validator", validator)
	if err != nil {
		return err
	}
	if v == "" {
		v = codec.Bytes.Class()
	}
	return s.modifyColumnFamily(ctx, keyspace, cf, func(def *tg.CfDef) (bool, error) {
		name, _, i, err := columnIn(def, column)
		if err != nil {
			return false, err
		}
		if i >= 0 {
			def.ColumnMetadata[i].ValidationClass = v
			return true, nil
		}
		cd := tg.NewColumnDef()
		cd.Name, cd.ValidationClass = name, v
		def.ColumnMetadata = append(def.ColumnMetadata, cd)
		return true, nil
	})
}

// DropColumn removes a column's metadata (its validator and any index).
// A column without metadata gives an error matching ErrColumnNotFound.
func (s *SystemManager) DropColumn(ctx context.Context, keyspace, cf string, column any) error {
	return s.modifyColumnFamily(ctx, keyspace, cf, func(def *tg.CfDef) (bool, error) {
		i, err := lookupColumn(def, column)
		if err != nil {
			return false, err
		}
		def.ColumnMetadata = append(def.ColumnMetadata[:i], def.ColumnMetadata[i+1:]...)
		return true, nil
	})
}

// lookupColumn finds the metadata of column, which must have some.
func lookupColumn(def *tg.CfDef, column any) (int, error) {
	name, t, i, err := columnIn(def, column)
	if err != nil {
		return -1, err
	}
	if i < 0 {
		return -1, &notFoundError{what: fmt.Sprintf("column %s of %s.%s", formatName(t, name), def.Keyspace, def.Name), is: ErrColumnNotFound}
	}
	return i, nil
}

// columnIn packs column with the comparator of def's cells (t) and finds
// its metadata: i indexes def.ColumnMetadata, or is -1 when it has none.
func columnIn(def *tg.CfDef, column any) (name []byte, t codec.Type, i int, err error) {
	if t, err = cellComparator(def); err != nil {
		return nil, nil, -1, err
	}
	if name, err = packName(t, column); err != nil {
		return nil, nil, -1, err
	}
	return name, t, findColumn(def, name), nil
}

// IndexSpec describes a secondary index. The zero value is a KEYS index
// with the name Cassandra chooses.
type IndexSpec struct {
	Name    string            // empty: <cf>_<column>_idx
	Type    string            // KEYS (default), CUSTOM or COMPOSITES
	Options map[string]string // CUSTOM needs class_name
}

// CreateIndex indexes a column, setting its validator (nil keeps the
// column's current validator, or BytesType for a column without metadata).
func (s *SystemManager) CreateIndex(ctx context.Context, keyspace, cf string, column, validator any, idx IndexSpec) error {
	v, err := qualify("validator", validator)
	if err != nil {
		return err
	}
	it, err := indexType(idx.Type)
	if err != nil {
		return err
	}
	return s.modifyColumnFamily(ctx, keyspace, cf, func(def *tg.CfDef) (bool, error) {
		name, _, i, err := columnIn(def, column)
		if err != nil {
			return false, err
		}
		cd := tg.NewColumnDef()
		cd.Name = name
		switch {
		case v != "":
			cd.ValidationClass = v
		case i >= 0:
			cd.ValidationClass = def.ColumnMetadata[i].ValidationClass
		default:
			cd.ValidationClass = codec.Bytes.Class()
		}
		cd.IndexType = &it
		if idx.Name != "" {
			cd.IndexName = Ptr(idx.Name)
		}
		cd.IndexOptions = maps.Clone(idx.Options)
		if i >= 0 {
			def.ColumnMetadata[i] = cd
		} else {
			def.ColumnMetadata = append(def.ColumnMetadata, cd)
		}
		return true, nil
	})
}

// DropIndex removes the index of a column and keeps its validator. The
// name is packed like every other column name (pycassa compared it
// unpacked). A column without metadata gives an error matching
// ErrColumnNotFound; a column without an index is left alone.
func (s *SystemManager) DropIndex(ctx context.Context, keyspace, cf string, column any) error {
	return s.modifyColumnFamily(ctx, keyspace, cf, func(def *tg.CfDef) (bool, error) {
		i, err := lookupColumn(def, column)
		if err != nil {
			return false, err
		}
		cd := def.ColumnMetadata[i]
		if cd.IndexType == nil && cd.IndexName == nil {
			return false, nil
		}
		cd.IndexType, cd.IndexName, cd.IndexOptions = nil, nil, nil
		return true, nil
	})
}
