package shell

import (
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cassa-go/cassa/codec"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// FormatValue renders stored bytes through the type t for people:
// text as is, numbers in decimal, dates as RFC 3339 with milliseconds,
// UUIDs in their usual form, composites with ':' between components.
// BytesType shows printable UTF-8 as text and anything else as 0x-prefixed
// hex. Bytes that do not decode as t are shown as hex with a note, never an
// error: a shell must show what is there.
func FormatValue(t codec.Type, b []byte) string {
	if t == nil || isBytesType(t) {
		return formatBytes(b)
	}
	bt := baseType(t)
	switch bt.Class() {
	case codec.Date.Class(), codec.Timestamp.Class():
		if len(b) == 0 {
			return ""
		}
		tm, err := codec.DecodeTimestamp(b)
		if err != nil {
			return badBytes(b)
		}
		return tm.UTC().Format("2006-01-02T15:04:05.000Z07:00")
	case codec.CounterColumn.Class():
		if v, err := codec.DecodeLong(b); err == nil {
			return strconv.FormatInt(v, 10)
		}
		return badBytes(b)
	case codec.UTF8.Class(), codec.Ascii.Class():
		if err := bt.Validate(b); err != nil {
			return badBytes(b)
		}
		return safeText(string(b))
	}
	if err := bt.Validate(b); err != nil {
		return badBytes(b)
	}
	return safeText(codec.Format(bt, b))
}

// formatGo renders a value session returned unpacked (counters come back
// as int64 even with raw values).
func formatGo(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return formatBytes(x)
	case string:
		return safeText(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case *big.Int:
		return x.String()
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000Z07:00")
	}
	return fmt.Sprint(v)
}

func formatBytes(b []byte) string {
	if len(b) > 0 && utf8.Valid(b) && printable(string(b)) {
		return string(b)
	}
	return "0x" + hex.EncodeToString(b)
}

// safeText returns s, or s quoted Go-style when it holds control or
// unprintable characters: a stored value must not move the cursor or send
// escape sequences to the user's terminal.
func safeText(s string) string {
	if printable(s) {
		return s
	}
	return strconv.Quote(s)
}

func badBytes(b []byte) string {
	return "0x" + hex.EncodeToString(b) + " (undecodable)"
}

func printable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// ColumnLine renders one column as cassandra-cli does:
// => (name=age, value=24, timestamp=1700000000000000, ttl=60).
func ColumnLine(name, value string, timestamp int64, ttl int32) string {
	s := fmt.Sprintf("=> (name=%s, value=%s, timestamp=%d", name, value, timestamp)
	if ttl > 0 {
		s += fmt.Sprintf(", ttl=%d", ttl)
	}
	return s + ")"
}

// CounterLine renders one counter column: => (counter=hits, value=3).
func CounterLine(name, value string) string {
	return fmt.Sprintf("=> (counter=%s, value=%s)", name, value)
}

// describeLabel writes "label:" padded as pycassaShell prints it: Python's
// print "label:", spaces, value puts the value at column 37, the label
// padded to 35 plus print's two separating spaces.
func describeLabel(w io.Writer, label string, value any) {
	fmt.Fprintf(w, "%-35s  %v\n", label, value)
}

// shortClass is a class name after its last '.', as pycassaShell prints
// types and strategies; parameterised types keep their short parameters.
func shortClass(class string) string {
	if t, err := codec.Parse(class); err == nil {
		return codec.ShortName(t)
	}
	if i := strings.LastIndexByte(class, '.'); i >= 0 && !strings.ContainsAny(class, "(") {
		return class[i+1:]
	}
	return class
}

// pyDict renders a map as Python prints a dict of strings, sorted by key:
// {'replication_factor': '1'}.
func pyDict(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "'%s': '%s'", k, m[k])
	}
	b.WriteByte('}')
	return b.String()
}

// PrintKeyspace writes pycassaShell's describe_keyspace layout: Name,
// Replication Strategy (short class), Strategy Options when there are any,
// Durable Writes, then the column families, sorted, indented two spaces.
func PrintKeyspace(w io.Writer, ks *tg.KsDef) {
	fmt.Fprintln(w)
	describeLabel(w, "Name:", ks.Name)
	fmt.Fprintln(w)
	describeLabel(w, "Replication Strategy:", shortClass(ks.StrategyClass))
	if len(ks.StrategyOptions) > 0 {
		describeLabel(w, "Strategy Options:", pyDict(ks.StrategyOptions))
	}
	describeLabel(w, "Durable Writes:", ks.DurableWrites)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Column Families:")
	names := make([]string, 0, len(ks.CfDefs))
	for _, cf := range ks.CfDefs {
		if cf != nil {
			names = append(names, cf.Name)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %s\n", n)
	}
	fmt.Fprintln(w)
}

// PrintColumnFamily writes pycassaShell's describe_column_family
// layout. Sections whose CfDef fields the server leaves unset (old cache
// sizes, memtable thresholds, cache save periods: gone since Cassandra 1.1)
// are printed only when set, instead of failing as pycassaShell did.
func PrintColumnFamily(w io.Writer, cf *tg.CfDef) {
	fmt.Fprintln(w)
	describeLabel(w, "Name:", cf.Name)
	describeLabel(w, "Description:", deref(cf.Comment, ""))
	describeLabel(w, "Column Type:", orDefault(cf.ColumnType, "Standard"))
	fmt.Fprintln(w)
	describeLabel(w, "Comparator Type:", shortClass(orDefault(cf.ComparatorType, "BytesType")))
	if cf.ColumnType == "Super" {
		describeLabel(w, "Subcomparator Type:", shortClass(deref(cf.SubcomparatorType, "BytesType")))
	}
	describeLabel(w, "Default Validation Class:", shortClass(deref(cf.DefaultValidationClass, "BytesType")))
	describeLabel(w, "Key Validation Class:", shortClass(deref(cf.KeyValidationClass, "BytesType")))
	fmt.Fprintln(w)

	if cf.RowCacheSize != nil || cf.KeyCacheSize != nil {
		fmt.Fprintln(w, "Cache Sizes")
		describeLabel(w, "  Row Cache:", cacheSize(cf.RowCacheSize, "rows"))
		describeLabel(w, "  Key Cache:", cacheSize(cf.KeyCacheSize, "keys"))
		fmt.Fprintln(w)
	}
	if cf.Caching != "" {
		describeLabel(w, "Caching:", cf.Caching)
		fmt.Fprintln(w)
	}

	rrc := "Disabled"
	if cf.ReadRepairChance != nil && *cf.ReadRepairChance != 0 {
		rrc = strconv.FormatFloat(*cf.ReadRepairChance*100, 'f', -1, 64) + "%"
	}
	describeLabel(w, "Read Repair Chance:", rrc)
	fmt.Fprintln(w)
	if cf.GcGraceSeconds != nil {
		describeLabel(w, "GC Grace Seconds:", *cf.GcGraceSeconds)
		fmt.Fprintln(w)
	}

	if cf.MinCompactionThreshold != nil || cf.MaxCompactionThreshold != nil {
		minT, maxT := deref(cf.MinCompactionThreshold, 0), deref(cf.MaxCompactionThreshold, 0)
		fmt.Fprintln(w, "Compaction Thresholds")
		if minT == 0 || maxT == 0 {
			describeLabel(w, "  Min:", "Minor Compactions Disabled")
			describeLabel(w, "  Max:", "Minor Compactions Disabled")
		} else {
			describeLabel(w, "  Min:", minT)
			describeLabel(w, "  Max:", maxT)
		}
		fmt.Fprintln(w)
	}

	if cf.MemtableThroughputInMb != nil || cf.MemtableOperationsInMillions != nil || cf.MemtableFlushAfterMins != nil {
		fmt.Fprintln(w, "Memtable Flush After Thresholds")
		if cf.MemtableThroughputInMb != nil {
			describeLabel(w, "  Throughput:", fmt.Sprintf("%d MiB", *cf.MemtableThroughputInMb))
		}
		if cf.MemtableOperationsInMillions != nil {
			describeLabel(w, "  Operations:", fmt.Sprintf("%d operations", int64(*cf.MemtableOperationsInMillions*1e6)))
		}
		if cf.MemtableFlushAfterMins != nil {
			describeLabel(w, "  Time:", fmt.Sprintf("%d minutes", *cf.MemtableFlushAfterMins))
		}
		fmt.Fprintln(w)
	}

	if cf.RowCacheSavePeriodInSeconds != nil || cf.KeyCacheSavePeriodInSeconds != nil {
		fmt.Fprintln(w, "Cache Save Periods")
		describeLabel(w, "  Row Cache:", savePeriod(cf.RowCacheSavePeriodInSeconds))
		describeLabel(w, "  Key Cache:", savePeriod(cf.KeyCacheSavePeriodInSeconds))
		fmt.Fprintln(w)
	}

	if len(cf.ColumnMetadata) > 0 {
		nameType := columnNameType(cf)
		fmt.Fprintln(w, "Column Metadata")
		for _, cd := range cf.ColumnMetadata {
			if cd == nil {
				continue
			}
			describeLabel(w, "  - Name:", FormatValue(nameType, cd.Name))
			describeLabel(w, "    Value Type:", shortClass(cd.ValidationClass))
			if cd.IndexType != nil {
				describeLabel(w, "    Index Type:", cd.IndexType.String())
				describeLabel(w, "    Index Name:", deref(cd.IndexName, ""))
			}
			fmt.Fprintln(w)
		}
	}
}

// columnNameType is the type metadata column names are written in: the
// subcomparator of a super column family, else the comparator.
func columnNameType(cf *tg.CfDef) codec.Type {
	class := cf.ComparatorType
	if cf.ColumnType == "Super" {
		class = deref(cf.SubcomparatorType, "")
	}
	t, err := codec.Parse(class)
	if err != nil {
		return codec.Bytes
	}
	return t
}

func cacheSize(v *float64, unit string) string {
	switch {
	case v == nil || *v == 0:
		return "Disabled"
	case *v >= 1:
		return fmt.Sprintf("%d %s", int64(*v), unit)
	}
	return strconv.FormatFloat(*v, 'f', -1, 64) + "%"
}

func savePeriod(v *int32) string {
	if v == nil || *v == 0 {
		return "Disabled"
	}
	return fmt.Sprintf("%d seconds", *v)
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
