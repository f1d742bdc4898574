package schema

import (
	"bytes"
	"sort"
	"strconv"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// nameGenerator is CompactTables.DefaultNames: key, key2, ...; column1,
// column2, ...; value, value1, ... avoiding names in use.
type nameGenerator struct {
	used                          map[string]bool
	partition, clustering, values int
}

func newNameGenerator(used []string) *nameGenerator {
	g := &nameGenerator{used: map[string]bool{}}
	for _, n := range used {
		g.used[n] = true
	}
	return g
}

func (g *nameGenerator) next(f func(i int) string, i *int) string {
	for {
		c := f(*i)
		*i++
		if !g.used[c] {
			g.used[c] = true
			return c
		}
	}
}

func (g *nameGenerator) partitionKey() string {
	return g.next(func(i int) string {
		if i == 0 {
			return "key"
		}
		return "key" + strconv.Itoa(i+1)
	}, &g.partition)
}

func (g *nameGenerator) clusteringName() string {
	return g.next(func(i int) string { return "column" + strconv.Itoa(i+1) }, &g.clustering)
}

func (g *nameGenerator) compactValue() string {
	return g.next(func(i int) string {
		if i == 0 {
			return "value"
		}
		return "value" + strconv.Itoa(i)
	}, &g.values)
}

func componentsOf(t codec.Type) []codec.Type {
	if c, ok := t.(*codec.CompositeType); ok {
		return c.Components()
	}
	return []codec.Type{t}
}

// setModel fills t's CQL model from a Thrift definition, as
// ThriftConversion.internalFromThrift and addDefaultCQLMetadata build a
// CFMetaData for a new column family.
func (d *draft) setModel(t *Table) {
	cell := d.cellType()
	t.Dense = len(d.cols) == 0
	_, composite := d.comparator.(*codec.CompositeType)
	t.Compound = !d.super && composite
	t.Counter = isCounter(d.defaultValidator)
	t.PartitionKey, t.Clustering, t.Statics, t.Regulars = nil, nil, nil, nil
	var used []string
	for _, c := range d.cols {
		kind := Static
		if d.super {
			kind = Regular
		}
		def := &ColumnDefinition{Name: renderName(cell, c.name), NameBytes: bytes.Clone(c.name),
			Kind: kind, Position: -1, Type: c.validator}
		if kind == Static {
			t.Statics = append(t.Statics, def)
		} else {
			t.Regulars = append(t.Regulars, def)
		}
		used = append(used, def.Name)
	}
	_, compositeKey := d.keyValidator.(*codec.CompositeType)
	alias := string(d.keyAlias)
	hasAlias := !compositeKey && alias != "key"
	if hasAlias {
		used = append(used, alias)
	}
	g := newNameGenerator(used)
	if hasAlias {
		t.PartitionKey = []*ColumnDefinition{newColumn(alias, PartitionKey, 0, d.keyValidator)}
	} else {
		for i, kt := range componentsOf(d.keyValidator) {
			if !compositeKey {
				kt = d.keyValidator
			}
			t.PartitionKey = append(t.PartitionKey, newColumn(g.partitionKey(), PartitionKey, i, kt))
		}
	}
	if d.super {
		t.Clustering = append(t.Clustering, newColumn(g.clusteringName(), Clustering, 0, d.comparator))
		t.Regulars = append(t.Regulars, newColumn("", Regular, -1, codec.Map(d.sub, d.defaultValidator, true)))
		if t.Dense {
			t.Clustering = append(t.Clustering, newColumn(g.clusteringName(), Clustering, 1, d.sub))
			t.Regulars = append(t.Regulars, newColumn(g.compactValue(), Regular, -1, d.defaultValidator))
		}
	} else {
		for i, ct := range componentsOf(d.comparator) {
			if !composite {
				ct = d.comparator
			}
			t.Clustering = append(t.Clustering, newColumn(g.clusteringName(), Clustering, i, ct))
		}
		t.Regulars = append(t.Regulars, newColumn(g.compactValue(), Regular, -1, d.defaultValidator))
	}
	sortColumns(t.Statics)
	sortColumns(t.Regulars)
	t.Params = d.params()
	t.Indexes = nil
	for _, c := range d.cols {
		if c.idxType == nil || c.idxName == nil {
			continue
		}
		def := t.columnByBytes(c.name)
		opts := copyMap(c.idxOpts)
		if opts == nil {
			opts = map[string]string{}
		}
		target := codec.MaybeQuote(def.Name)
		if ct, ok := def.Type.(*codec.CollectionType); ok && !ct.MultiCell() {
			target = "full(" + target + ")"
		}
		opts["target"] = target
		kind := IndexKeys
		switch *c.idxType {
		case thriftgen.IndexType_CUSTOM:
			kind = IndexCustom
		case thriftgen.IndexType_COMPOSITES:
			kind = IndexComposites
		}
		t.Indexes = append(t.Indexes, &IndexMetadata{Name: *c.idxName, Kind: kind, Options: opts})
	}
	sortIndexes(t.Indexes)
	t.Triggers = nil
	for _, tr := range d.triggers {
		t.Triggers = append(t.Triggers, Trigger{Name: tr.Name, Class: tr.Options["class"]})
	}
	sort.Slice(t.Triggers, func(i, j int) bool { return t.Triggers[i].Name < t.Triggers[j].Name })
}

func sortIndexes(ix []*IndexMetadata) {
	sort.Slice(ix, func(i, j int) bool { return ix[i].Name < ix[j].Name })
}

func (t *Table) columnByBytes(name []byte) *ColumnDefinition {
	for _, c := range t.AllColumns() {
		if bytes.Equal(c.NameBytes, name) {
			return c
		}
	}
	return nil
}

// toCfDef is Cassandra 3.11's ThriftConversion.toThrift(CFMetaData): the
// CfDef describe_keyspace shows for a compact table, rendered from its
// model whichever protocol defined it. It differs from 2.2's rendering in
// compaction_strategy_options, which carry min_threshold and max_threshold
// (CompactionParams.options), compression_options, which carry
// chunk_length_kb, and speculative_retry ("99PERCENTILE").
func (t *Table) toCfDef() *thriftgen.CfDef {
	str := func(s string) *string { return &s }
	i32 := func(v int32) *int32 { return &v }
	f64 := func(v float64) *float64 { return &v }
	p := t.Params
	def := &thriftgen.CfDef{
		Keyspace:                t.Keyspace,
		Name:                    t.Name,
		ColumnType:              "Standard",
		ComparatorType:          t.legacyComparator().Class(),
		Comment:                 str(p.Comment),
		ReadRepairChance:        f64(p.ReadRepairChance),
		DclocalReadRepairChance: p.DCLocalReadRepairChance,
		GcGraceSeconds:          i32(p.GCGraceSeconds),
		DefaultValidationClass:  str(t.legacyDefaultValidator().Class()),
		KeyValidationClass:      str(t.legacyKeyValidator().Class()),
		CompactionStrategy:      str(p.Compaction.Class),
		BloomFilterFpChance:     f64(p.BloomFilterFpChance),
		MinIndexInterval:        i32(p.MinIndexInterval),
		MaxIndexInterval:        i32(p.MaxIndexInterval),
		MemtableFlushPeriodInMs: i32(p.MemtableFlushPeriodInMs),
		DefaultTimeToLive:       i32(p.DefaultTimeToLive),
		SpeculativeRetry:        p.SpeculativeRetry.String(),
		ColumnMetadata:          []*thriftgen.ColumnDef{},
		Triggers:                []*thriftgen.TriggerDef{},
	}
	opts := copyMap(p.Compaction.Options)
	if n, err := strconv.Atoi(opts["min_threshold"]); err == nil {
		def.MinCompactionThreshold = i32(int32(n))
	}
	if n, err := strconv.Atoi(opts["max_threshold"]); err == nil {
		def.MaxCompactionThreshold = i32(int32(n))
	}
	if opts == nil {
		opts = map[string]string{}
	}
	def.CompactionStrategyOptions = opts
	comp := map[string]string{}
	if p.Compression.Class != "" {
		for k, v := range p.Compression.Other {
			comp[k] = v
		}
		comp["sstable_compression"] = p.Compression.Class
		comp["chunk_length_kb"] = strconv.Itoa(int(p.Compression.ChunkLengthKB))
	}
	def.CompressionOptions = comp
	switch c := p.Caching; {
	case c.Keys && (c.RowsAll || c.Rows > 0):
		def.Caching = "ALL"
	case c.RowsAll || c.Rows > 0:
		def.Caching = "ROWS_ONLY"
	case c.Keys:
		def.Caching = "KEYS_ONLY"
	default:
		def.Caching = "NONE"
	}
	if p.Caching.RowsAll {
		def.CellsPerRowToCache = "ALL"
	} else {
		def.CellsPerRowToCache = strconv.Itoa(int(p.Caching.Rows))
	}
	if len(t.PartitionKey) == 1 {
		def.KeyAlias = bytes.Clone(t.PartitionKey[0].NameBytes)
	}
	declared := t.Statics
	if t.Super {
		def.ColumnType = "Super"
		def.ComparatorType = t.Clustering[0].ComparatorType().Class()
		if m, ok := t.CompactValueColumn().Type.(*codec.CollectionType); ok {
			def.SubcomparatorType = str(m.Keys().Class())
		}
		declared = nil
		for _, c := range t.Regulars {
			if c.Name != "" && !t.Dense {
				declared = append(declared, c)
			}
		}
	}
	for _, c := range declared {
		cd := &thriftgen.ColumnDef{Name: bytes.Clone(c.NameBytes), ValidationClass: c.Type.Class()}
		var match *IndexMetadata
		for _, ix := range t.Indexes {
			if col, _ := ix.Target(); col == c.Name {
				if match != nil {
					match = nil
					break
				}
				match = ix
			}
		}
		if match != nil {
			it := thriftgen.IndexType_KEYS
			switch match.Kind {
			case IndexCustom:
				it = thriftgen.IndexType_CUSTOM
			case IndexComposites:
				it = thriftgen.IndexType_COMPOSITES
			}
			name := match.Name
			cd.IndexType, cd.IndexName = &it, &name
			o := copyMap(match.Options)
			delete(o, "target")
			if len(o) > 0 {
				cd.IndexOptions = o
			}
		}
		def.ColumnMetadata = append(def.ColumnMetadata, cd)
	}
	for _, tr := range t.Triggers {
		def.Triggers = append(def.Triggers, &thriftgen.TriggerDef{Name: tr.Name, Options: map[string]string{"class": tr.Class}})
	}
	return def
}

// derive fills the Thrift view of a table whose CQL model is set:
// comparator, validators, column_metadata and, for a compact table, the
// CfDef describe_keyspace shows (built through the Thrift conversion, so
// Thrift sees it exactly as if created through Thrift; the compact
// built-in system tables get one too, as 3.11 lists them). A CQL table has
// no CfDef: Thrift does not list it (CFMetaData.isThriftCompatible).
func (t *Table) derive() error {
	t.DefaultTTL = t.Params.DefaultTimeToLive
	t.GCGraceSeconds = t.Params.GCGraceSeconds
	t.MinIndexInterval = t.Params.MinIndexInterval
	if !t.IsCompact() {
		t.Comparator = t.legacyComparator()
		t.KeyValidator = t.legacyKeyValidator()
		t.DefaultValidator = t.legacyDefaultValidator()
		t.SubComparator = nil
		t.Columns, t.indexed, t.Def = nil, nil, nil
		t.byName = map[string]*Column{}
		return nil
	}
	d, err := fromThrift(t.toCfDef())
	if err != nil {
		return err
	}
	if err := d.validate(nil); err != nil {
		return err
	}
	th := d.finish(t.ID)
	t.Comparator, t.SubComparator = th.Comparator, th.SubComparator
	t.KeyValidator, t.DefaultValidator = th.KeyValidator, th.DefaultValidator
	t.Columns, t.byName, t.indexed = th.Columns, th.byName, th.indexed
	t.Def = t.toCfDef()
	return nil
}

// copyModel returns a shallow copy of t whose column, index, dropped and
// trigger slices (and the column definitions) may be changed freely.
func (t *Table) copyModel() *Table {
	n := *t
	cp := func(cs []*ColumnDefinition) []*ColumnDefinition {
		out := make([]*ColumnDefinition, len(cs))
		for i, c := range cs {
			x := *c
			x.NameBytes = bytes.Clone(c.NameBytes)
			out[i] = &x
		}
		return out
	}
	n.PartitionKey, n.Clustering = cp(t.PartitionKey), cp(t.Clustering)
	n.Statics, n.Regulars = cp(t.Statics), cp(t.Regulars)
	n.Indexes = make([]*IndexMetadata, len(t.Indexes))
	for i, ix := range t.Indexes {
		n.Indexes[i] = &IndexMetadata{Name: ix.Name, Kind: ix.Kind, Options: copyMap(ix.Options)}
	}
	n.Dropped = make([]*DroppedColumn, len(t.Dropped))
	for i, d := range t.Dropped {
		x := *d
		n.Dropped[i] = &x
	}
	n.Triggers = append([]Trigger(nil), t.Triggers...)
	n.Params = t.Params.clone()
	return &n
}

// finishThrift builds the Table of a Thrift CfDef: the Thrift view from
// the draft, the CQL model from internalFromThrift's rules, and the
// describe CfDef from the model (toThrift), as 3.11 reports it.
func (d *draft) finishThrift(id uuid.UUID) *Table {
	t := d.finish(id)
	d.setModel(t)
	t.Def = t.thriftDef()
	return t
}

// thriftDef is the CfDef describe_keyspace lists for t: toCfDef for a
// compact table, nil for a CQL table. A column family created through
// Thrift with a CompositeType comparator and column_metadata is a CQL
// table in 3.11 (internalFromThrift makes it compound and not dense), so
// Thrift no longer lists it (CFMetaData.isThriftCompatible) nor lets
// system_update_column_family change it.
func (t *Table) thriftDef() *thriftgen.CfDef {
	if !t.IsCompact() {
		return nil
	}
	return t.toCfDef()
}

// keepCQLNames is the part of ThriftConversion.fromThriftForUpdate that
// preserves the CQL metadata Thrift cannot express: the names of the
// partition key (unless key_alias is given), clustering and compact value
// columns, the dense flag, and the dropped columns.
func keepCQLNames(prev, t *Table, keyAliasGiven bool) {
	t.Dense = prev.Dense
	if !keyAliasGiven && len(prev.PartitionKey) == len(t.PartitionKey) {
		for i, c := range t.PartitionKey {
			c.Name, c.NameBytes = prev.PartitionKey[i].Name, bytes.Clone(prev.PartitionKey[i].NameBytes)
		}
	}
	if len(prev.Clustering) == len(t.Clustering) {
		for i, c := range t.Clustering {
			c.Name, c.NameBytes = prev.Clustering[i].Name, bytes.Clone(prev.Clustering[i].NameBytes)
		}
	}
	if pv, tv := prev.CompactValueColumn(), t.CompactValueColumn(); pv != nil && tv != nil && !prev.Super {
		tv.Name, tv.NameBytes = pv.Name, bytes.Clone(pv.NameBytes)
	}
	sortColumns(t.Regulars)
	t.Dropped = prev.copyModel().Dropped
}
