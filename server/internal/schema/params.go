package schema

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Property is one value of a CQL WITH clause or keyspace property: a
// constant's text ('3' and 3 are both "3"), or a map literal when Map is
// non-nil.
type Property struct {
	Text string
	Map  map[string]string
}

// Properties are the properties of a statement by (lower-case) name.
type Properties map[string]Property

// TableParams are a table's options (3.11's TableParams) with 3.11's
// defaults; DefaultTableParams returns them.
type TableParams struct {
	BloomFilterFpChance     float64
	Caching                 CachingParams
	Comment                 string
	Compaction              CompactionParams
	Compression             CompressionParams
	CRCCheckChance          float64
	DCLocalReadRepairChance float64
	DefaultTimeToLive       int32
	Extensions              map[string][]byte
	GCGraceSeconds          int32
	MaxIndexInterval        int32
	MemtableFlushPeriodInMs int32
	MinIndexInterval        int32
	ReadRepairChance        float64
	SpeculativeRetry        SpeculativeRetry
	CDC                     bool
}

// CachingParams is CachingParams: keys cached or not, and how many rows
// per partition (RowsAll for all, 0 for none).
type CachingParams struct {
	Keys    bool
	Rows    int32
	RowsAll bool
}

// AsMap is system_schema.tables.caching.
func (c CachingParams) AsMap() map[string]string {
	keys, rows := "NONE", "NONE"
	if c.Keys {
		keys = "ALL"
	}
	switch {
	case c.RowsAll:
		rows = "ALL"
	case c.Rows > 0:
		rows = strconv.Itoa(int(c.Rows))
	}
	return map[string]string{"keys": keys, "rows_per_partition": rows}
}

// CompactionParams is CompactionParams: the strategy class (fully
// qualified) and its options, min_threshold and max_threshold included.
type CompactionParams struct {
	Class   string
	Options map[string]string
}

// AsMap is system_schema.tables.compaction.
func (c CompactionParams) AsMap() map[string]string {
	m := copyMap(c.Options)
	if m == nil {
		m = map[string]string{}
	}
	m["class"] = c.Class
	return m
}

// CompressionParams is CompressionParams: Class empty means disabled.
type CompressionParams struct {
	Class         string // fully qualified compressor; "" when disabled
	ChunkLengthKB int32
	Other         map[string]string
}

// AsMap is system_schema.tables.compression.
func (c CompressionParams) AsMap() map[string]string {
	if c.Class == "" {
		return map[string]string{"enabled": "false"}
	}
	m := copyMap(c.Other)
	if m == nil {
		m = map[string]string{}
	}
	m["class"] = c.Class
	m["chunk_length_in_kb"] = strconv.Itoa(int(c.ChunkLengthKB))
	return m
}

// SpeculativeRetry is SpeculativeRetryParam: NONE, ALWAYS, a percentile
// or a fixed number of milliseconds.
type SpeculativeRetry struct {
	Kind  string // "NONE", "ALWAYS", "PERCENTILE", "CUSTOM"
	Value float64
}

// String is SpeculativeRetryParam.toString as 3.11 stores it:
// "99PERCENTILE", "10.0ms", "NONE", "ALWAYS".
func (s SpeculativeRetry) String() string {
	switch s.Kind {
	case "PERCENTILE":
		return decimal5(s.Value) + "PERCENTILE"
	case "CUSTOM":
		return javaDouble(s.Value) + "ms"
	}
	return s.Kind
}

// decimal5 is new DecimalFormat("#.#####").format(v).
func decimal5(v float64) string {
	s := strconv.FormatFloat(math.Round(v*1e5)/1e5, 'f', -1, 64)
	return s
}

const (
	stcsClass = compactionPkg + "SizeTieredCompactionStrategy"
	lz4Class  = compressionPkg + "LZ4Compressor"
	maxTTL    = 630720000 // Attributes.MAX_TTL, 20 years
	// minBloomFpChance is BloomCalculations.minSupportedBloomFilterFpChance.
	minBloomFpChance = 6.71e-05
)

// DefaultTableParams returns 3.11's TableParams.DEFAULT.
func DefaultTableParams() TableParams {
	return TableParams{
		BloomFilterFpChance:     0.01,
		Caching:                 CachingParams{Keys: true},
		Compaction:              CompactionParams{Class: stcsClass, Options: map[string]string{"min_threshold": "4", "max_threshold": "32"}},
		Compression:             CompressionParams{Class: lz4Class, ChunkLengthKB: 64},
		CRCCheckChance:          1.0,
		DCLocalReadRepairChance: 0.1,
		Extensions:              map[string][]byte{},
		GCGraceSeconds:          defaultGCGrace,
		MaxIndexInterval:        defaultMaxIndexInterval,
		MinIndexInterval:        defaultMinIndexInterval,
		SpeculativeRetry:        SpeculativeRetry{Kind: "PERCENTILE", Value: 99},
	}
}

func (p TableParams) clone() TableParams {
	q := p
	q.Compaction.Options = copyMap(p.Compaction.Options)
	q.Compression.Other = copyMap(p.Compression.Other)
	q.Extensions = make(map[string][]byte, len(p.Extensions))
	for k, v := range p.Extensions {
		q.Extensions[k] = append([]byte(nil), v...)
	}
	return q
}

// tableOptionNames are TableParams.Option plus "id" (TableAttributes).
var tableOptionNames = map[string]bool{
	"bloom_filter_fp_chance": true, "caching": true, "comment": true, "compaction": true,
	"compression": true, "dclocal_read_repair_chance": true, "default_time_to_live": true,
	"extensions": true, "gc_grace_seconds": true, "max_index_interval": true,
	"memtable_flush_period_in_ms": true, "min_index_interval": true, "read_repair_chance": true,
	"speculative_retry": true, "crc_check_chance": true, "cdc": true, "id": true,
}

// applyTableProperties is TableAttributes.validate/build over base (the
// defaults for CREATE, the table's params for ALTER). It returns the new
// params, the id option (CREATE only) and the client warnings 3.11 adds.
func applyTableProperties(base TableParams, props Properties, alter bool) (TableParams, *uuid.UUID, []string, error) {
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !tableOptionNames[n] {
			return base, nil, nil, syntaxf("Unknown property '%s'", n)
		}
	}
	p := base.clone()
	var warnings []string
	simple := func(n string) (string, bool, error) {
		v, ok := props[n]
		if !ok {
			return "", false, nil
		}
		if v.Map != nil {
			return "", false, syntaxf("Invalid value for property '%s'. It should be a string", n)
		}
		return v.Text, true, nil
	}
	mapOf := func(n string) (map[string]string, bool, error) {
		v, ok := props[n]
		if !ok {
			return nil, false, nil
		}
		if v.Map == nil {
			return nil, false, syntaxf("Invalid value for property '%s'. It should be a map.", n)
		}
		return v.Map, true, nil
	}
	getDouble := func(n string, dst *float64) error {
		s, ok, err := simple(n)
		if err != nil || !ok {
			return err
		}
		f, perr := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if perr != nil {
			return syntaxf("Invalid double value %s for '%s'", s, n)
		}
		*dst = f
		return nil
	}
	getInt := func(n string, dst *int32) error {
		s, ok, err := simple(n)
		if err != nil || !ok {
			return err
		}
		i, perr := strconv.ParseInt(s, 10, 32)
		if perr != nil {
			return syntaxf("Invalid integer value %s for '%s'", s, n)
		}
		*dst = int32(i)
		return nil
	}
	var id *uuid.UUID
	if s, ok, err := simple("id"); err != nil {
		return base, nil, nil, err
	} else if ok {
		if alter {
			return base, nil, nil, configf("Cannot alter table id.")
		}
		u, perr := uuid.Parse(s)
		if perr != nil {
			return base, nil, nil, configf("Invalid table id")
		}
		id = &u
	}
	bloomSet := false
	if _, ok := props["bloom_filter_fp_chance"]; ok {
		bloomSet = true
		if err := getDouble("bloom_filter_fp_chance", &p.BloomFilterFpChance); err != nil {
			return base, nil, nil, err
		}
	}
	if m, ok, err := mapOf("caching"); err != nil {
		return base, nil, nil, err
	} else if ok {
		c, err := cachingFromMap(m)
		if err != nil {
			return base, nil, nil, err
		}
		p.Caching = c
	}
	if s, ok, err := simple("cdc"); err != nil {
		return base, nil, nil, err
	} else if ok {
		p.CDC = parseBool(s)
	}
	if s, ok, err := simple("comment"); err != nil {
		return base, nil, nil, err
	} else if ok {
		p.Comment = s
	}
	if m, ok, err := mapOf("compaction"); err != nil {
		return base, nil, nil, err
	} else if ok {
		c, err := compactionFromMap(m)
		if err != nil {
			return base, nil, nil, err
		}
		p.Compaction = c
		if !bloomSet && !alter {
			p.BloomFilterFpChance = defaultBloomFor(c.Class)
		}
	}
	if m, ok, err := mapOf("compression"); err != nil {
		return base, nil, nil, err
	} else if ok {
		if v, has := m["crc_check_chance"]; has {
			f, perr := strconv.ParseFloat(v, 64)
			if perr != nil {
				return base, nil, nil, syntaxf("Invalid double value %s for crc_check_chance.'", v)
			}
			p.CRCCheckChance = f
		}
		c, err := compressionFromMap(m)
		if err != nil {
			return base, nil, nil, err
		}
		p.Compression = c
	}
	if err := getDouble("crc_check_chance", &p.CRCCheckChance); err != nil {
		return base, nil, nil, err
	}
	if _, ok := props["dclocal_read_repair_chance"]; ok {
		if err := getDouble("dclocal_read_repair_chance", &p.DCLocalReadRepairChance); err != nil {
			return base, nil, nil, err
		}
		if p.DCLocalReadRepairChance != 0 {
			warnings = append(warnings, "dclocal_read_repair_chance table option has been deprecated and will be removed in version 4.0")
		}
	}
	if err := getInt("default_time_to_live", &p.DefaultTimeToLive); err != nil {
		return base, nil, nil, err
	}
	if _, ok := props["extensions"]; ok {
		m, _, err := mapOf("extensions")
		if err != nil {
			return base, nil, nil, err
		}
		p.Extensions = map[string][]byte{}
		for k, v := range m {
			p.Extensions[k] = []byte(v)
		}
	}
	for _, o := range []struct {
		n   string
		dst *int32
	}{{"gc_grace_seconds", &p.GCGraceSeconds}, {"max_index_interval", &p.MaxIndexInterval},
		{"memtable_flush_period_in_ms", &p.MemtableFlushPeriodInMs}, {"min_index_interval", &p.MinIndexInterval}} {
		if err := getInt(o.n, o.dst); err != nil {
			return base, nil, nil, err
		}
	}
	if _, ok := props["read_repair_chance"]; ok {
		if err := getDouble("read_repair_chance", &p.ReadRepairChance); err != nil {
			return base, nil, nil, err
		}
		if p.ReadRepairChance != 0 {
			warnings = append(warnings, "read_repair_chance table option has been deprecated and will be removed in version 4.0")
		}
	}
	if s, ok, err := simple("speculative_retry"); err != nil {
		return base, nil, nil, err
	} else if ok {
		sr, err := speculativeRetryFromString(s)
		if err != nil {
			return base, nil, nil, err
		}
		p.SpeculativeRetry = sr
	}
	if err := p.validate(); err != nil {
		return base, nil, nil, err
	}
	return p, id, warnings, nil
}

// parseBool is PropertyDefinitions.getBoolean: "1", "true" or "yes".
func parseBool(s string) bool {
	switch strings.ToLower(s) {
	case "1", "true", "yes":
		return true
	}
	return false
}

func defaultBloomFor(compactionClass string) float64 {
	if compactionClass == leveledCompact {
		return 0.1
	}
	return 0.01
}

// validate is TableParams.validate.
func (p TableParams) validate() error {
	if err := p.Compaction.validate(); err != nil {
		return err
	}
	if p.BloomFilterFpChance <= minBloomFpChance || p.BloomFilterFpChance > 1 {
		return configf("bloom_filter_fp_chance must be larger than %s and less than or equal to 1.0 (got %s)",
			javaDouble(minBloomFpChance), javaDouble(p.BloomFilterFpChance))
	}
	for _, c := range []struct {
		n string
		v float64
	}{{"dclocal_read_repair_chance", p.DCLocalReadRepairChance}, {"read_repair_chance", p.ReadRepairChance},
		{"crc_check_chance", p.CRCCheckChance}} {
		if c.v < 0 || c.v > 1 {
			return configf("%s must be larger than or equal to 0 and smaller than or equal to 1.0 (got %s)", c.n, javaDouble(c.v))
		}
	}
	if p.DefaultTimeToLive < 0 {
		return configf("default_time_to_live must be greater than or equal to 0 (got %d)", p.DefaultTimeToLive)
	}
	if p.DefaultTimeToLive > maxTTL {
		return configf("default_time_to_live must be less than or equal to %d (got %d)", maxTTL, p.DefaultTimeToLive)
	}
	if p.GCGraceSeconds < 0 {
		return configf("gc_grace_seconds must be greater than or equal to 0 (got %d)", p.GCGraceSeconds)
	}
	if p.MinIndexInterval < 1 {
		return configf("min_index_interval must be greater than or equal to 1 (got %d)", p.MinIndexInterval)
	}
	if p.MaxIndexInterval < p.MinIndexInterval {
		return configf("max_index_interval must be greater than or equal to min_index_interval (%d) (got %d)", p.MinIndexInterval, p.MaxIndexInterval)
	}
	if p.MemtableFlushPeriodInMs < 0 {
		return configf("memtable_flush_period_in_ms must be greater than or equal to 0 (got %d)", p.MemtableFlushPeriodInMs)
	}
	return nil
}

// cachingFromMap is CachingParams.fromMap.
func cachingFromMap(m map[string]string) (CachingParams, error) {
	var c CachingParams
	rest := copyMap(m)
	if k, ok := rest["keys"]; ok {
		delete(rest, "keys")
		switch strings.ToUpper(k) {
		case "ALL":
			c.Keys = true
		case "NONE":
		default:
			return c, configf("Invalid value '%s' for caching sub-option 'keys': only 'ALL' and 'NONE' are allowed", k)
		}
	}
	if r, ok := rest["rows_per_partition"]; ok {
		delete(rest, "rows_per_partition")
		switch {
		case strings.EqualFold(r, "ALL"):
			c.RowsAll = true
		case strings.EqualFold(r, "NONE"):
		case isNumeric(r):
			n, err := strconv.ParseInt(r, 10, 32)
			if err != nil {
				return c, configf("For input string: \"%s\"", r)
			}
			c.Rows = int32(n)
		default:
			return c, configf("Invalid value '%s' for caching sub-option 'rows_per_partition': only 'ALL', 'NONE', and integer values are allowed", r)
		}
	}
	if len(rest) > 0 {
		keys := make([]string, 0, len(rest))
		for k := range rest {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return c, configf("Invalid caching sub-options [%s]: only 'keys' and 'rows_per_partition' are allowed", strings.Join(keys, ", "))
	}
	return c, nil
}

// compactionOptions3 are the options each 3.11 strategy's validateOptions
// accepts, besides the common ones.
var compactionOptions3 = map[string][]string{
	"SizeTieredCompactionStrategy": {"min_sstable_size", "bucket_low", "bucket_high"},
	"LeveledCompactionStrategy":    {"sstable_size_in_mb", "min_sstable_size", "bucket_low", "bucket_high"},
	"DateTieredCompactionStrategy": {"timestamp_resolution", "base_time_seconds", "max_sstable_age_days", "max_window_size_seconds", "min_sstable_size", "bucket_low", "bucket_high"},
	"TimeWindowCompactionStrategy": {"compaction_window_unit", "compaction_window_size", "timestamp_resolution", "expired_sstable_check_frequency_seconds", "unsafe_aggressive_sstable_expiration", "min_sstable_size", "bucket_low", "bucket_high"},
}

var commonCompactionOptions3 = []string{"tombstone_threshold", "tombstone_compaction_interval",
	"unchecked_tombstone_compaction", "only_purge_repaired_tombstones", "log_all", "enabled",
	"min_threshold", "max_threshold", "provide_overlapping_tombstones"}

// compactionFromMap is CompactionParams.fromMap: the class (short names
// are in org.apache.cassandra.db.compaction), then the threshold defaults.
func compactionFromMap(m map[string]string) (CompactionParams, error) {
	opts := copyMap(m)
	class, ok := opts["class"]
	if !ok {
		return CompactionParams{}, configf("Missing sub-option 'class' for the 'compaction' option.")
	}
	delete(opts, "class")
	fq := class
	if !strings.Contains(class, ".") {
		fq = compactionPkg + class
	}
	short, inPkg := strings.CutPrefix(fq, compactionPkg)
	if _, known := compactionOptions3[short]; !inPkg || !known {
		return CompactionParams{}, configf("Could not create Compaction strategy of type %s", fq)
	}
	if _, ok := opts["min_threshold"]; !ok {
		opts["min_threshold"] = "4"
	}
	if _, ok := opts["max_threshold"]; !ok {
		opts["max_threshold"] = "32"
	}
	return CompactionParams{Class: fq, Options: opts}, nil
}

// validate is CompactionParams.validate: unknown options, then the
// thresholds.
func (c CompactionParams) validate() error {
	short := strings.TrimPrefix(c.Class, compactionPkg)
	known := map[string]bool{}
	for _, o := range append(append([]string(nil), compactionOptions3[short]...), commonCompactionOptions3...) {
		known[o] = true
	}
	var unknown []string
	for k := range c.Options {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return configf("Properties specified [%s] are not understood by %s", strings.Join(unknown, ", "), short)
	}
	minT, err1 := strconv.Atoi(c.Options["min_threshold"])
	maxT, err2 := strconv.Atoi(c.Options["max_threshold"])
	if err1 != nil {
		return configf("Invalid value %s for 'min_threshold'. Must be an integer.", c.Options["min_threshold"])
	}
	if err2 != nil {
		return configf("Invalid value %s for 'max_threshold'. Must be an integer.", c.Options["max_threshold"])
	}
	if minT <= 0 || maxT <= 0 {
		return configf("Disabling compaction by setting compaction thresholds to 0 has been removed, set the compaction option 'enabled' to false instead.")
	}
	if minT < 2 {
		return configf("Min compaction threshold cannot be less than 2 (got %d)", minT)
	}
	if minT > maxT {
		return configf("Min compaction threshold (got %d) cannot be greater than max compaction threshold (got %d)", minT, maxT)
	}
	return nil
}

var compressors = map[string]bool{"LZ4Compressor": true, "SnappyCompressor": true, "DeflateCompressor": true}

// compressionFromMap is CompressionParams.fromMap, with the pre-3.0 option
// names (sstable_compression, chunk_length_kb) accepted too.
func compressionFromMap(m map[string]string) (CompressionParams, error) {
	opts := copyMap(m)
	delete(opts, "crc_check_chance")
	if e, ok := opts["enabled"]; ok {
		delete(opts, "enabled")
		if !parseBool(e) {
			if len(opts) > 0 {
				return CompressionParams{}, configf("If the 'enabled' option is set to false no other options must be specified")
			}
			return CompressionParams{}, nil
		}
	}
	class, ok := opts["class"]
	legacy, okLegacy := opts["sstable_compression"]
	delete(opts, "class")
	delete(opts, "sstable_compression")
	if !ok {
		class, ok = legacy, okLegacy
	}
	if !ok {
		return CompressionParams{}, configf("Missing sub-option 'class' for the 'compression' option.")
	}
	if class == "" {
		return CompressionParams{}, nil
	}
	fq := class
	if !strings.Contains(class, ".") {
		fq = compressionPkg + class
	}
	if short, inPkg := strings.CutPrefix(fq, compressionPkg); !inPkg || !compressors[short] {
		return CompressionParams{}, configf("Could not create Compression for type %s", fq)
	}
	c := CompressionParams{Class: fq, ChunkLengthKB: 64}
	for _, key := range []string{"chunk_length_in_kb", "chunk_length_kb"} {
		v, ok := opts[key]
		if !ok {
			continue
		}
		delete(opts, key)
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			return CompressionParams{}, configf("Invalid value %s for chunk_length_in_kb", v)
		}
		if n <= 0 {
			return CompressionParams{}, configf("Invalid negative or null chunk_length_in_kb")
		}
		if n&(n-1) != 0 {
			return CompressionParams{}, configf("chunk_length_in_kb must be a power of 2")
		}
		c.ChunkLengthKB = int32(n)
	}
	if len(opts) > 0 {
		keys := make([]string, 0, len(opts))
		for k := range opts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return CompressionParams{}, configf("Unknown compression options %s", "["+strings.Join(keys, ", ")+"]")
	}
	return c, nil
}

// speculativeRetryFromString is SpeculativeRetryParam.fromString.
func speculativeRetryFromString(v string) (SpeculativeRetry, error) {
	bad := configf("Invalid value %s for option 'speculative_retry'", v)
	switch {
	case strings.HasSuffix(strings.ToLower(v), "ms"):
		f, err := strconv.ParseFloat(v[:len(v)-2], 64)
		if err != nil {
			return SpeculativeRetry{}, bad
		}
		return SpeculativeRetry{Kind: "CUSTOM", Value: f}, nil
	case strings.HasSuffix(strings.ToUpper(v), "PERCENTILE"):
		f, err := strconv.ParseFloat(v[:len(v)-len("PERCENTILE")], 64)
		if err != nil {
			return SpeculativeRetry{}, bad
		}
		if f < 0 || f > 100 {
			return SpeculativeRetry{}, configf("Invalid value %s for PERCENTILE option 'speculative_retry': must be between 0.0 and 100.0", v)
		}
		return SpeculativeRetry{Kind: "PERCENTILE", Value: f}, nil
	case v == "NONE" || v == "ALWAYS":
		return SpeculativeRetry{Kind: v}, nil
	}
	return SpeculativeRetry{}, bad
}

// paramsFromDraft converts a Thrift CfDef's options into 3.11's params,
// as ThriftConversion.internalFromThrift does.
func (d *draft) params() TableParams {
	p := DefaultTableParams()
	p.Comment = d.comment
	p.ReadRepairChance = d.readRepair
	p.DCLocalReadRepairChance = d.dcReadRepair
	p.GCGraceSeconds = d.gcGrace
	opts := copyMap(d.compactionOpts)
	if opts == nil {
		opts = map[string]string{}
	}
	if _, ok := opts["min_threshold"]; !ok {
		opts["min_threshold"] = strconv.Itoa(int(d.minCompaction))
	}
	if _, ok := opts["max_threshold"]; !ok {
		opts["max_threshold"] = strconv.Itoa(int(d.maxCompact))
	}
	p.Compaction = CompactionParams{Class: d.compaction, Options: opts}
	p.BloomFilterFpChance = d.effectiveBloom()
	p.MemtableFlushPeriodInMs = d.memtableFlush
	p.Caching = CachingParams{Keys: d.keysCached, RowsAll: d.rows.all}
	if d.rows.head {
		p.Caching.Rows = int32(d.rows.n)
	}
	p.DefaultTimeToLive = d.defaultTTL
	p.MinIndexInterval, p.MaxIndexInterval = d.minIndexIval, d.maxIndexIval
	p.SpeculativeRetry = speculativeFromThrift(d.speculative)
	if class, ok := d.compression["sstable_compression"]; ok && class != "" {
		c := CompressionParams{Class: class, ChunkLengthKB: 64}
		for k, v := range d.compression {
			switch k {
			case "sstable_compression":
			case "chunk_length_kb":
				if n, err := strconv.Atoi(v); err == nil {
					c.ChunkLengthKB = int32(n)
				}
			default:
				if c.Other == nil {
					c.Other = map[string]string{}
				}
				c.Other[k] = v
			}
		}
		p.Compression = c
	} else {
		p.Compression = CompressionParams{}
	}
	return p
}

// speculativeFromThrift reads a rendered speculative_retry ("99PERCENTILE",
// "99.0PERCENTILE", "10.0ms", "NONE", "ALWAYS").
func speculativeFromThrift(s string) SpeculativeRetry {
	if sr, err := speculativeRetryFromString(s); err == nil {
		return sr
	}
	return SpeculativeRetry{Kind: "NONE"}
}
