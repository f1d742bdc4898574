package schema

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// Defaults Cassandra 3.11 applies to a Thrift CfDef (TableParams and
// ThriftConversion.applyImplicitDefaults).
const (
	defaultDCLocalReadRepair = 0.1
	defaultGCGrace           = 864000
	defaultMinCompaction     = 4
	defaultMaxCompaction     = 32
	defaultMinIndexInterval  = 128
	defaultMaxIndexInterval  = 2048
	maxNameLength            = 48 // Schema.NAME_LENGTH

	compactionPkg  = "org.apache.cassandra.db.compaction."
	compressionPkg = "org.apache.cassandra.io.compress."
	defaultCompact = compactionPkg + "SizeTieredCompactionStrategy"
	leveledCompact = compactionPkg + "LeveledCompactionStrategy"
	customIndexOpt = "class_name" // SecondaryIndex.CUSTOM_INDEX_OPTION_NAME
)

var (
	wordRE    = regexp.MustCompile(`^\w+$`)
	nonWordRE = regexp.MustCompile(`\W`)
)

// isNameValid is CFMetaData.isNameValid: 1 to 48 word characters.
func isNameValid(s string) bool { return len(s) <= maxNameLength && wordRE.MatchString(s) }

// draft is a CfDef being turned into a Table: the parsed types, the columns
// as given, and every option describe_keyspace reports.
type draft struct {
	ks, name         string
	super            bool
	comparator, sub  codec.Type
	keyValidator     codec.Type
	defaultValidator codec.Type
	cols             []*colDraft

	comment                    string
	readRepair, dcReadRepair   float64
	gcGrace                    int32
	minCompaction, maxCompact  int32
	compaction                 string
	compactionOpts             map[string]string
	compression                map[string]string // as describe reports it
	bloom                      *float64
	keysCached                 bool
	rows                       rowCache
	memtableFlush, defaultTTL  int32
	minIndexIval, maxIndexIval int32
	speculative                string
	triggers                   []*thriftgen.TriggerDef
	keyAlias                   []byte
}

type colDraft struct {
	name      []byte
	validator codec.Type
	idxType   *thriftgen.IndexType
	idxName   *string
	idxOpts   map[string]string
}

// rowCache is CachingOptions.RowCache: off, whole partitions, or the
// first n rows (enabled even when n is 0, as in Cassandra).
type rowCache struct {
	all, head bool
	n         int
}

func (r rowCache) enabled() bool { return r.all || r.head }

// fromThrift is Cassandra 3.11's ThriftConversion.internalFromThrift:
// column type, implicit defaults, then the types and options in its
// order. Validation
// of the whole definition is validate's job.
func fromThrift(def *thriftgen.CfDef) (*draft, error) {
	colType := def.ColumnType
	if colType == "" { // unset in a Go-built CfDef: the IDL default
		colType = "Standard"
	}
	// ThriftConversion.isSuper (3.11) compares the lower-cased name.
	lower := strings.ToLower(colType)
	if lower != "standard" && lower != "super" {
		return nil, ire("Invalid column type " + colType)
	}
	d := &draft{
		ks: def.Keyspace, name: def.Name, super: lower == "super",
		dcReadRepair: defaultDCLocalReadRepair, gcGrace: defaultGCGrace,
		minCompaction: defaultMinCompaction, maxCompact: defaultMaxCompaction,
		compaction: defaultCompact, compactionOpts: map[string]string{},
		minIndexIval: defaultMinIndexInterval, speculative: "NONE",
		triggers: []*thriftgen.TriggerDef{},
	}
	var err error
	comparator := def.ComparatorType
	if comparator == "" {
		comparator = "BytesType"
	}
	if d.comparator, err = parseType(comparator); err != nil {
		return nil, err
	}
	if d.super {
		if d.sub, err = parseOptType(def.SubcomparatorType); err != nil {
			return nil, err
		}
	}
	if d.keyValidator, err = parseOptType(def.KeyValidationClass); err != nil {
		return nil, err
	}
	// 3.11's internalFromThrift parses the default validator with the
	// other types, before the column metadata and the options.
	if d.defaultValidator, err = parseOptType(def.DefaultValidationClass); err != nil {
		return nil, err
	}
	// The partition key column is named "key" unless key_alias names it
	// (ignored for a CompositeType key, as in Cassandra).
	d.keyAlias = []byte("key")
	if def.KeyAlias != nil && nodeOf(d.keyValidator).shortName() != "CompositeType" {
		d.keyAlias = bytes.Clone(def.KeyAlias)
	}
	cellType := d.comparator
	if d.super {
		cellType = d.sub
	}
	for _, cd := range def.ColumnMetadata {
		if cd == nil {
			continue
		}
		if cellType.Validate(cd.Name) != nil {
			return nil, ire(fmt.Sprintf("Column name %s is not valid for comparator %s",
				hex.EncodeToString(cd.Name), cellType.Class()))
		}
		v, err := parseType(cd.ValidationClass)
		if err != nil {
			return nil, err
		}
		c := &colDraft{name: bytes.Clone(cd.Name), validator: v, idxName: cd.IndexName,
			idxOpts: copyMap(cd.IndexOptions)}
		if c.idxName != nil && *c.idxName == "" {
			c.idxName = nil // Strings.isNullOrEmpty: a default name is generated
		}
		if t := cd.IndexType; t != nil && (*t == thriftgen.IndexType_KEYS ||
			*t == thriftgen.IndexType_CUSTOM || *t == thriftgen.IndexType_COMPOSITES) {
			c.idxType = t // an unknown enum value reads as null in Java
		}
		if _, reserved := c.idxOpts["target"]; reserved && c.idxType != nil {
			// 3.11's indexDefsFromThrift: the target is derived from the column.
			return nil, ire("Reserved index option 'target' cannot be used")
		}
		d.addColumn(c)
	}
	if def.GcGraceSeconds != nil {
		d.gcGrace = *def.GcGraceSeconds
	}
	if def.MinCompactionThreshold != nil {
		d.minCompaction = *def.MinCompactionThreshold
	}
	if def.MaxCompactionThreshold != nil {
		d.maxCompact = *def.MaxCompactionThreshold
	}
	if def.CompactionStrategy != nil {
		if d.compaction, err = compactionClass(*def.CompactionStrategy); err != nil {
			return nil, err
		}
	}
	if def.CompactionStrategyOptions != nil {
		d.compactionOpts = copyMap(def.CompactionStrategyOptions)
	}
	if def.BloomFilterFpChance != nil {
		b := *def.BloomFilterFpChance
		d.bloom = &b
	}
	if def.MemtableFlushPeriodInMs != nil {
		d.memtableFlush = *def.MemtableFlushPeriodInMs
	}
	if d.keysCached, d.rows, err = parseCaching(def.Caching, def.CellsPerRowToCache); err != nil {
		return nil, err
	}
	if def.ReadRepairChance != nil {
		d.readRepair = *def.ReadRepairChance
	}
	if def.DefaultTimeToLive != nil {
		d.defaultTTL = *def.DefaultTimeToLive
	}
	if def.DclocalReadRepairChance != 0 { // 0 is indistinguishable from unset
		d.dcReadRepair = def.DclocalReadRepairChance
	}
	switch {
	case def.MinIndexInterval != nil:
		d.minIndexIval = *def.MinIndexInterval
	case def.IndexInterval != nil: // the deprecated field seeds the default
		d.minIndexIval = *def.IndexInterval
	}
	d.maxIndexIval = max(d.minIndexIval, defaultMaxIndexInterval)
	if def.MaxIndexInterval != nil {
		d.maxIndexIval = *def.MaxIndexInterval
	}
	if d.speculative, err = parseSpeculativeRetry(def.SpeculativeRetry); err != nil {
		return nil, err
	}
	for _, t := range def.Triggers {
		if t == nil {
			continue
		}
		// TriggerDefinition keeps only the class option.
		d.triggers = append(d.triggers, &thriftgen.TriggerDef{Name: t.Name,
			Options: map[string]string{"class": t.Options["class"]}})
	}
	if def.Comment != nil {
		d.comment = *def.Comment
	}
	if d.compression, err = compressionOptions(def.CompressionOptions); err != nil {
		return nil, err
	}
	return d, nil
}

// addColumn keeps column_metadata keyed by exact name like Cassandra's map:
// a repeated name replaces the earlier entry.
func (d *draft) addColumn(c *colDraft) {
	for i, o := range d.cols {
		if bytes.Equal(o.name, c.name) {
			d.cols[i] = c
			return
		}
	}
	d.cols = append(d.cols, c)
}

func (d *draft) cellType() codec.Type {
	if d.super {
		return d.sub
	}
	return d.comparator
}

// byUnsignedName returns the columns ordered by raw name bytes, the order
// of CFMetaData's regular-column set; messages that stop at the first bad
// column then name the same one Cassandra does.
func (d *draft) byUnsignedName() []*colDraft {
	out := append([]*colDraft(nil), d.cols...)
	sort.SliceStable(out, func(i, j int) bool { return bytes.Compare(out[i].name, out[j].name) < 0 })
	return out
}

// addDefaultIndexNames is CFMetaData.addDefaultIndexNames. old is the
// existing table of the same name (an update), existing every index name
// already used in the keyspace.
func (d *draft) addDefaultIndexNames(old *Table, existing map[string]bool) error {
	if old != nil {
		for _, c := range d.byUnsignedName() {
			if c.idxType == nil {
				continue
			}
			oc := old.Column(c.name)
			if oc == nil || oc.Index == nil {
				continue
			}
			if c.idxName != nil && *c.idxName != oc.Index.Name {
				return ire(fmt.Sprintf("Can't modify index name: was '%s' changed to '%s'.", oc.Index.Name, *c.idxName))
			}
			n := oc.Index.Name
			c.idxName = &n
		}
	}
	for _, c := range d.byUnsignedName() {
		if c.idxType == nil || c.idxName != nil {
			continue
		}
		base := nonWordRE.ReplaceAllString(d.name+"_"+renderName(d.cellType(), c.name)+"_idx", "")
		n := base
		for i := 1; existing[n]; i++ {
			n = base + "_" + strconv.Itoa(i)
		}
		c.idxName = &n
	}
	return nil
}

// validate is Cassandra 3.11's CFMetaData.validate, in its order: names,
// TableParams.validate, counters, indexes. others holds the index names
// used by the keyspace's other column families.
func (d *draft) validate(others map[string]bool) error {
	if !isNameValid(d.ks) {
		return ire(fmt.Sprintf("Keyspace name must not be empty, more than %d characters long, or contain non-alphanumeric-underscore characters (got \"%s\")", maxNameLength, d.ks))
	}
	if !isNameValid(d.name) {
		return ire(fmt.Sprintf("ColumnFamily name must not be empty, more than %d characters long, or contain non-alphanumeric-underscore characters (got \"%s\")", maxNameLength, d.name))
	}
	// TableParams.validate, with 3.11's messages: compaction (thresholds;
	// 0 no longer disables compaction), bloom_filter_fp_chance, read
	// repair chances, default_time_to_live, gc_grace_seconds, index
	// intervals, memtable_flush_period_in_ms.
	if err := d.params().validate(); err != nil {
		return ire(err.Error())
	}
	if d.comparatorHasCounter() {
		return ire("CounterColumnType is not a valid comparator")
	}
	if isCounter(d.keyValidator) {
		return ire("CounterColumnType is not a valid key validator")
	}
	counterCF := isCounter(d.defaultValidator)
	for _, c := range d.byUnsignedName() {
		switch {
		case counterCF && !isCounter(c.validator):
			return ire(fmt.Sprintf("Cannot add a non counter column (%s) in a counter column family", renderName(d.cellType(), c.name)))
		case !counterCF && isCounter(c.validator):
			return ire(fmt.Sprintf("Cannot add a counter column (%s) in a non counter column family", renderName(d.cellType(), c.name)))
		}
	}
	names := make(map[string]bool, len(others))
	for n := range others {
		names[n] = true
	}
	for _, c := range d.byUnsignedName() {
		if c.idxType == nil {
			continue // 3.11's indexDefsFromThrift ignores an index_name without index_type
		}
		if d.super {
			return ire("Secondary indexes are not supported on super column families")
		}
		name := "null"
		if c.idxName != nil {
			name = *c.idxName
		}
		if c.idxName == nil || !wordRE.MatchString(name) {
			return ire("Illegal index name " + name)
		}
		if names[name] {
			return ire("Duplicate index name " + name)
		}
		names[name] = true
		if *c.idxType == thriftgen.IndexType_CUSTOM {
			if _, ok := c.idxOpts[customIndexOpt]; !ok {
				return ire("Required index option missing: " + customIndexOpt)
			}
		}
	}
	return nil
}

// comparatorHasCounter checks every component of the cell-name type: the
// comparator and subcomparator of a super CF, each component of a
// CompositeType comparator, else the comparator itself.
func (d *draft) comparatorHasCounter() bool {
	if d.super {
		return isCounter(d.comparator) || isCounter(d.sub)
	}
	n := nodeOf(d.comparator)
	if n.shortName() == "CompositeType" && strings.HasPrefix(n.class, marshalPkg) {
		for _, p := range n.params {
			if p.String() == marshalPkg+"CounterColumnType" {
				return true
			}
		}
		return false
	}
	return isCounter(d.comparator)
}

// indexNames adds the index names of t to set.
func indexNames(set map[string]bool, t *Table) {
	for _, c := range t.Columns {
		if c.Index != nil {
			set[c.Index.Name] = true
		}
	}
}

// keyspaceIndexNames returns the index names of every table in tables
// except the one named exclude ("" excludes none).
func keyspaceIndexNames(tables map[string]*Table, exclude string) map[string]bool {
	set := map[string]bool{}
	for n, t := range tables {
		if n != exclude {
			indexNames(set, t)
		}
	}
	return set
}

// finish turns a validated draft into the immutable Table's Thrift view:
// types, validators and column_metadata in comparator order (the caller
// sets the model and Def).
func (d *draft) finish(id uuid.UUID) *Table {
	t := &Table{
		Keyspace: d.ks, Name: d.name, ID: id, Super: d.super,
		Counter:    isCounter(d.defaultValidator),
		Comparator: d.comparator, SubComparator: d.sub,
		KeyValidator: d.keyValidator, DefaultValidator: d.defaultValidator,
		DefaultTTL: d.defaultTTL, GCGraceSeconds: d.gcGrace,
		MinIndexInterval: d.minIndexIval,
		byName:           make(map[string]*Column, len(d.cols)),
	}
	cell := d.cellType()
	cols := append([]*colDraft(nil), d.cols...)
	sort.SliceStable(cols, func(i, j int) bool { return cell.Compare(cols[i].name, cols[j].name) < 0 })
	for _, c := range cols {
		col := &Column{Name: c.name, Validator: c.validator}
		if c.idxType != nil {
			opts := copyMap(c.idxOpts)
			if opts == nil {
				opts = map[string]string{}
			}
			col.Index = &Index{Name: *c.idxName, Type: *c.idxType, Options: opts}
			t.indexed = append(t.indexed, col)
		}
		t.Columns = append(t.Columns, col)
		t.byName[string(c.name)] = col
	}
	return t
}

// effectiveBloom is the bloom_filter_fp_chance of a Thrift definition:
// the one set, else 0.01. Cassandra 3.11's internalFromThrift builds the
// table parameters with the default (size-tiered) compaction, which fixes
// the default at 0.01, before setting the CfDef's strategy, so a leveled
// table keeps 0.01 too (2.x's getBloomFilterFpChance gave it 0.1).
func (d *draft) effectiveBloom() float64 {
	if d.bloom != nil {
		return *d.bloom
	}
	return 0.01
}

// parseCaching is Cassandra 3.11's ThriftConversion.cachingFromThrift: a
// legacy caching keyword (anything else is "Invalid value <x> for caching
// parameter"; 2.x also took a JSON map), then cells_per_row_to_cache when
// the row cache is on.
func parseCaching(caching, cells string) (keys bool, rows rowCache, err error) {
	if caching == "" { // unset in a Go-built CfDef: the IDL default
		caching = "keys_only"
	}
	if cells == "" {
		cells = "100"
	}
	switch strings.ToUpper(caching) {
	case "ALL":
		keys, rows = true, rowCache{all: true}
	case "KEYS_ONLY":
		keys = true
	case "ROWS_ONLY":
		rows = rowCache{all: true}
	case "NONE":
	default:
		return false, rows, ire(fmt.Sprintf("Invalid value %s for caching parameter", caching))
	}
	if rows.enabled() {
		if rows, err = parseRowCache(cells); err != nil {
			return false, rows, err
		}
	}
	return keys, rows, nil
}

// isNumeric is commons-lang StringUtils.isNumeric: one or more digits.
func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseRowCache is 3.11's ThriftConversion.fromThriftCellsPerRow: "ALL"
// (exactly) or a row count.
func parseRowCache(s string) (rowCache, error) {
	if s == "ALL" {
		return rowCache{all: true}, nil
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		// Cassandra fails with Integer.parseInt's NumberFormatException
		// (an unchecked exception: a dropped connection); the emulator
		// answers an InvalidRequestException with its message.
		return rowCache{}, ire(fmt.Sprintf("For input string: \"%s\"", s))
	}
	return rowCache{head: true, n: int(n)}, nil
}

// parseSpeculativeRetry is Cassandra 3.11's SpeculativeRetryParam.fromString
// (NONE and ALWAYS in upper case only, <n>PERCENTILE between 0 and 100,
// <n>ms) followed by its toString, so describe shows the value the way 3.11
// renders it ("99PERCENTILE", "10.0ms").
func parseSpeculativeRetry(s string) (string, error) {
	if s == "" { // unset in a Go-built CfDef: the IDL default
		s = "NONE"
	}
	sr, err := speculativeRetryFromString(s)
	if err != nil {
		return "", ire(err.Error())
	}
	return sr.String(), nil
}

// compactionClass is CFMetaData.createCompactionStrategy: a short name is
// in org.apache.cassandra.db.compaction; the strategies are 3.11's
// (compactionOptions3).
func compactionClass(name string) (string, error) {
	fq := name
	if !strings.Contains(name, ".") {
		fq = compactionPkg + name
	}
	short, ok := strings.CutPrefix(fq, compactionPkg)
	if _, known := compactionOptions3[short]; !ok || !known {
		return "", ire(fmt.Sprintf("Unable to find compaction strategy class '%s'", fq))
	}
	return fq, nil
}

// validateCompactionOptions is the CompactionParams.validate that 3.11's
// system_add_column_family and system_update_column_family run right after
// converting the CfDef: unknown options, then the thresholds.
func (d *draft) validateCompactionOptions() error {
	if err := d.params().Compaction.validate(); err != nil {
		return ire(err.Error())
	}
	return nil
}

// compressionOptions is CompressionParameters.create followed by
// asThriftOptions: nil means the LZ4 default; an empty or missing
// sstable_compression means no compression (and drops chunk_length_kb).
func compressionOptions(in map[string]string) (map[string]string, error) {
	if in == nil {
		return map[string]string{"sstable_compression": compressionPkg + "LZ4Compressor"}, nil
	}
	out := copyMap(in)
	class, chunk := out["sstable_compression"], out["chunk_length_kb"]
	_, hasChunk := out["chunk_length_kb"]
	delete(out, "sstable_compression")
	delete(out, "chunk_length_kb")
	if hasChunk {
		n, err := strconv.ParseInt(chunk, 10, 32)
		if err != nil {
			return nil, ire(fmt.Sprintf("Invalid value %s for chunk_length_kb", chunk))
		}
		if n <= 0 {
			return nil, ire("Invalid negative or null chunk_length_kb")
		}
		if n&(n-1) != 0 {
			return nil, ire("chunk_length_kb must be a power of 2")
		}
		chunk = strconv.FormatInt(n, 10)
	}
	if class == "" {
		return out, nil
	}
	if !strings.Contains(class, ".") {
		class = compressionPkg + class
	}
	out["sstable_compression"] = class
	if hasChunk {
		out["chunk_length_kb"] = chunk
	}
	return out, nil
}
