package migrate

import (
	"fmt"
	"strings"

	"github.com/cassa-go/cassa/codec"
)

const (
	marshalPkg     = "org.apache.cassandra.db.marshal."
	locatorPkg     = "org.apache.cassandra.locator."
	compactionPkg  = "org.apache.cassandra.db.compaction."
	compressionPkg = "org.apache.cassandra.io.compress."
)

// Replication strategies, by the short names Cassandra also accepts.
const (
	SimpleStrategy             = "SimpleStrategy"
	NetworkTopologyStrategy    = "NetworkTopologyStrategy"
	OldNetworkTopologyStrategy = "OldNetworkTopologyStrategy"
)

// parseType turns a comparator or validator given as a codec.Type or a
// class name into its codec.Type. nil and "" are nil (the caller picks the
// default). Names may be short ("UTF8Type"), fully qualified, or the short
// form without "Type" ("UTF8", "Long"), as struct tags write them.
func parseType(field string, v any) (codec.Type, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case codec.Type:
		return t, nil
	case string:
		if strings.TrimSpace(t) == "" {
			return nil, nil
		}
		ct, err := codec.Parse(t)
		if err == nil {
			return ct, nil
		}
		if !strings.ContainsAny(t, ".()") && !strings.HasSuffix(t, "Type") {
			if ct, err2 := codec.Parse(t + "Type"); err2 == nil {
				return ct, nil
			}
		}
		return nil, &TypeError{Field: field, Value: v, Err: err}
	}
	return nil, &TypeError{Field: field, Value: v}
}

// qualify is parseType printed as Cassandra reports it, fully qualified;
// nil and "" give "".
func qualify(field string, v any) (string, error) {
	t, err := parseType(field, v)
	if err != nil || t == nil {
		return "", err
	}
	return t.Class(), nil
}

// canonType is the canonical class of a name Cassandra reported or a spec
// gave, with "" meaning BytesType as in Cassandra. Names that do not parse
// are returned unchanged, so a comparison still works on exact text.
func canonType(s string) string {
	t, err := parseType("", s)
	if err != nil {
		return s
	}
	if t == nil {
		return codec.Bytes.Class()
	}
	return t.Class()
}

// shortType is a class name for people: "LongType",
// "CompositeType(LongType, UTF8Type)".
func shortType(s string) string {
	t, err := parseType("", s)
	if err != nil {
		return s
	}
	if t == nil {
		return "BytesType"
	}
	return codec.ShortName(t)
}

// qualifyIn prefixes pkg to a bare class name, as Cassandra does for
// strategy, compaction and compression classes.
func qualifyIn(pkg, name string) string {
	if name == "" || strings.Contains(name, ".") {
		return name
	}
	return pkg + name
}

// shortClass drops the package of a class name.
func shortClass(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// compatible reports whether Cassandra accepts changing a comparator (or a
// key validator) from old to next without rewriting data: it is
// AbstractType.isCompatibleWith. A type is compatible with itself;
// BytesType accepts AsciiType and UTF8Type, UTF8Type accepts AsciiType,
// DateType and TimestampType accept each other; a CompositeType may append
// components to compatible ones; ReversedType needs a compatible base; a
// DynamicCompositeType may add aliases but not change them.
func compatible(next, old codec.Type) bool {
	if next.Class() == old.Class() {
		return true
	}
	switch n := next.(type) {
	case *codec.CompositeType:
		o, ok := old.(*codec.CompositeType)
		if !ok {
			return false
		}
		nc, oc := n.Components(), o.Components()
		if len(nc) < len(oc) {
			return false
		}
		for i := range oc {
			if !compatible(nc[i], oc[i]) {
				return false
			}
		}
		return true
	case *codec.ReversedType:
		o, ok := old.(*codec.ReversedType)
		return ok && compatible(n.Base(), o.Base())
	case *codec.DynamicCompositeType:
		o, ok := old.(*codec.DynamicCompositeType)
		if !ok {
			return false
		}
		have := make(map[byte]string)
		for _, a := range n.Aliases() {
			have[a.Alias] = a.Type.Class()
		}
		for _, a := range o.Aliases() {
			if have[a.Alias] != a.Type.Class() {
				return false
			}
		}
		return true
	}
	ns, os := next.Class(), old.Class()
	if !strings.HasPrefix(ns, marshalPkg) || !strings.HasPrefix(os, marshalPkg) {
		return false
	}
	ns, os = ns[len(marshalPkg):], os[len(marshalPkg):]
	switch ns {
	case "BytesType":
		return os == "AsciiType" || os == "UTF8Type"
	case "UTF8Type":
		return os == "AsciiType"
	case "DateType":
		return os == "TimestampType"
	case "TimestampType":
		return os == "DateType"
	}
	return false
}

// sameOrder reports whether names that compare under old compare the same
// under next, for a comparator change compatible allows: DateType compares
// its longs unsigned and TimestampType signed (TimestampType.compare), so
// the two disagree on dates before 1970; BytesType, AsciiType and UTF8Type
// all compare bytes.
func sameOrder(next, old codec.Type) bool {
	if next.Class() == old.Class() {
		return true
	}
	switch n := next.(type) {
	case *codec.CompositeType:
		if o, ok := old.(*codec.CompositeType); ok {
			nc, oc := n.Components(), o.Components()
			for i := range min(len(nc), len(oc)) {
				if !sameOrder(nc[i], oc[i]) {
					return false
				}
			}
		}
		return true
	case *codec.ReversedType:
		if o, ok := old.(*codec.ReversedType); ok {
			return sameOrder(n.Base(), o.Base())
		}
		return true
	}
	ns := strings.TrimPrefix(next.Class(), marshalPkg)
	os := strings.TrimPrefix(old.Class(), marshalPkg)
	dates := map[string]bool{"DateType": true, "TimestampType": true}
	return !(dates[ns] && dates[os])
}

// valueCompatible reports whether values (row keys) written under old stay
// valid and mean the same under next: AbstractType.isValueCompatibleWith.
// It is compatible plus the cases where only the ordering would differ,
// which does not matter for keys (the partitioner orders them): BytesType
// accepts anything, LongType accepts DateType and TimestampType and the
// other way round, IntegerType accepts Int32Type and LongType.
func valueCompatible(next, old codec.Type) bool {
	if compatible(next, old) {
		return true
	}
	if r, ok := next.(*codec.ReversedType); ok {
		next = r.Base()
	}
	if r, ok := old.(*codec.ReversedType); ok {
		old = r.Base()
	}
	ns := strings.TrimPrefix(next.Class(), marshalPkg)
	os := strings.TrimPrefix(old.Class(), marshalPkg)
	if ns == os {
		return true
	}
	switch ns {
	case "BytesType":
		return true
	case "LongType":
		return os == "DateType" || os == "TimestampType"
	case "DateType", "TimestampType":
		return os == "LongType" || os == "DateType" || os == "TimestampType"
	case "IntegerType":
		return os == "Int32Type" || os == "LongType"
	}
	return false
}

// compatibleNames is compatible on class names; names that do not parse
// are compatible only with themselves.
func compatibleNames(next, old string) bool {
	return compareNames(next, old, compatible)
}

// valueCompatibleNames is valueCompatible on class names.
func valueCompatibleNames(next, old string) bool {
	return compareNames(next, old, valueCompatible)
}

func compareNames(next, old string, rule func(next, old codec.Type) bool) bool {
	n, err1 := parseType("", next)
	o, err2 := parseType("", old)
	if err1 != nil || err2 != nil {
		return canonType(next) == canonType(old)
	}
	if n == nil {
		n = codec.Bytes
	}
	if o == nil {
		o = codec.Bytes
	}
	return rule(n, o)
}

// packName packs a column name for a comparator. Values the comparator
// packs directly are used as they are; strings from schema files are also
// read as the comparator's text form (numbers, booleans, UUIDs), so
// "42" names column 42 of a LongType comparator. A []byte is always taken
// as the raw name.
func packName(t codec.Type, name any) ([]byte, error) {
	if t == nil {
		t = codec.Bytes
	}
	if b, ok := name.([]byte); ok {
		return append([]byte(nil), b...), nil
	}
	b, err := t.Pack(name)
	if err == nil {
		return b, nil
	}
	if s, ok := name.(string); ok {
		if v, ok := fromText(t, s); ok {
			if b, err2 := t.Pack(v); err2 == nil {
				return b, nil
			}
		}
	}
	return nil, fmt.Errorf("column name %#v for comparator %s: %w", name, codec.ShortName(t), err)
}

// fromText reads s as a value of t's natural Go type where t's Pack does
// not take strings: integers, floats and booleans.
func fromText(t codec.Type, s string) (any, bool) {
	base := t
	if r, ok := t.(*codec.ReversedType); ok {
		base = r.Base()
	}
	switch strings.TrimPrefix(base.Class(), marshalPkg) {
	case "LongType", "Int32Type", "IntegerType", "CounterColumnType":
		var n int64
		if _, err := fmt.Sscan(s, &n); err == nil {
			return n, true
		}
	case "DoubleType", "FloatType":
		var f float64
		if _, err := fmt.Sscan(s, &f); err == nil {
			return f, true
		}
	case "BooleanType":
		switch strings.ToLower(s) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return nil, false
}

// formatName prints a packed column name the way the comparator's getString
// does.
func formatName(t codec.Type, b []byte) string {
	if t == nil {
		t = codec.Bytes
	}
	return codec.Format(t, b)
}
