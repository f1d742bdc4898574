package migrate

import (
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Table options are compared the way system_schema.tables shows them: a
// spec names some options and only those are managed; numbers compare as
// numbers ('864000' is 864000); class names compare fully qualified
// (LeveledCompactionStrategy is org.apache.cassandra.db.compaction.
// LeveledCompactionStrategy); the legacy compression keys read as 3.0's
// (sstable_compression is class, chunk_length_kb is chunk_length_in_kb);
// in a map option only the keys the spec names are compared, since
// Cassandra fills in the others (compaction's min_threshold, caching's
// rows_per_partition); caching values and speculative retry compare in
// any case and in either of their spellings ("99PERCENTILE" is "99p",
// "10ms" is "10.0ms").

// optionText is a scalar option value as text: numbers in their shortest
// form, booleans as true or false, strings as they are.
func optionText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []byte:
		return "0x" + hex.EncodeToString(x)
	}
	return fmt.Sprint(v)
}

// optionMap is a map option's value as strings, or false when v is not a
// map.
func optionMap(v any) (map[string]string, bool) {
	switch x := v.(type) {
	case map[string]string:
		return x, true
	case map[string]any:
		out := make(map[string]string, len(x))
		for k, e := range x {
			out[k] = optionText(e)
		}
		return out, true
	case map[string][]byte:
		out := make(map[string]string, len(x))
		for k, e := range x {
			out[k] = optionText(e)
		}
		return out, true
	}
	return nil, false
}

// optionLiteral is a spec's option value as a CQL term: strings quoted,
// numbers and booleans bare, maps as map literals of strings.
func optionLiteral(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return quoteString(x), nil
	case bool, int, int32, int64, uint64, float32, float64:
		return optionText(x), nil
	case map[string]string, map[string]any:
		m, _ := optionMap(x)
		if mm, ok := x.(map[string]any); ok {
			for k, e := range mm {
				switch e.(type) {
				case string, bool, int, int32, int64, uint64, float32, float64:
				default:
					return "", fmt.Errorf("map option key %q: want a string, number or boolean, got %T", k, e)
				}
			}
		}
		keys := slices.Sorted(maps.Keys(m))
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = quoteString(k) + ": " + quoteString(m[k])
		}
		return "{" + strings.Join(parts, ", ") + "}", nil
	}
	return "", fmt.Errorf("want a string, number, boolean or map, got %T", v)
}

// quoteString is a CQL string literal.
func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// canonOptionMap is a map option as system_schema shows it, for the
// options whose keys or classes Cassandra rewrites.
func canonOptionMap(name string, m map[string]string) map[string]string {
	out := maps.Clone(m)
	switch name {
	case "compaction":
		if c, ok := out["class"]; ok {
			out["class"] = qualifyIn(compactionPkg, c)
		}
	case "compression":
		if c, ok := out["sstable_compression"]; ok {
			delete(out, "sstable_compression")
			out["class"] = c
		}
		if c, ok := out["chunk_length_kb"]; ok {
			delete(out, "chunk_length_kb")
			out["chunk_length_in_kb"] = c
		}
		if c, ok := out["class"]; ok && c != "" {
			out["class"] = qualifyIn(compressionPkg, c)
		}
	}
	return out
}

// sendableOption is an option as a statement sends it: map options with
// the keys every version takes (Cassandra 4.0 dropped compression's
// sstable_compression and chunk_length_kb, which 3.x reads as class and
// chunk_length_in_kb); short class names are left short.
func sendableOption(name string, v any) any {
	m, ok := optionMap(v)
	if !ok || name != "compression" {
		return v
	}
	out := maps.Clone(m)
	for legacy, current := range map[string]string{"sstable_compression": "class", "chunk_length_kb": "chunk_length_in_kb"} {
		if x, ok := out[legacy]; ok {
			delete(out, legacy)
			out[current] = x
		}
	}
	return out
}

// sameOptionValue compares one scalar, or one value inside a map option.
func sameOptionValue(name, want, live string) bool {
	if want == live {
		return true
	}
	if w, err1 := strconv.ParseFloat(want, 64); err1 == nil {
		if l, err2 := strconv.ParseFloat(live, 64); err2 == nil {
			return w == l
		}
	}
	if w, err1 := strconv.ParseBool(want); err1 == nil {
		if l, err2 := strconv.ParseBool(live); err2 == nil {
			return w == l
		}
	}
	switch name {
	case "caching", "speculative_retry", "additional_write_policy", "read_repair":
		return canonRetry(want) == canonRetry(live)
	}
	return false
}

// canonRetry reads a speculative retry policy in 3.x's and 4.0's
// spellings ("99PERCENTILE", "99p", "10ms", "10.0ms", "ALWAYS", "NONE")
// into one form; other text is upper-cased.
func canonRetry(s string) string {
	u := strings.ToUpper(strings.TrimSpace(s))
	num := func(t string) (string, bool) {
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return "", false
		}
		return strconv.FormatFloat(f, 'g', -1, 64), true
	}
	switch {
	case strings.HasSuffix(u, "PERCENTILE"):
		if n, ok := num(strings.TrimSuffix(u, "PERCENTILE")); ok {
			return n + "P"
		}
	case strings.HasSuffix(u, "MS"):
		if n, ok := num(strings.TrimSuffix(u, "MS")); ok {
			return n + "MS"
		}
	case strings.HasSuffix(u, "P"):
		if n, ok := num(strings.TrimSuffix(u, "P")); ok {
			return n + "P"
		}
	}
	return u
}

// optionDiff compares a spec's option with the live one (nil when the live
// table has none) and, when they differ, returns the change to show.
func optionDiff(name string, want, live any) (Change, bool) {
	if wm, ok := optionMap(want); ok {
		wm = canonOptionMap(name, wm)
		lm, _ := optionMap(live)
		lm = canonOptionMap(name, lm)
		seen := map[string]string{}
		differ := false
		for k, w := range wm {
			l, ok := lm[k]
			if ok {
				seen[k] = l
			}
			if !ok || !sameOptionValue(name, w, l) {
				differ = true
			}
		}
		if !differ {
			return Change{}, false
		}
		from := ""
		if live != nil {
			from = formatOptionMap(seen)
		}
		return Change{Attribute: name, From: from, To: formatOptionMap(wm)}, true
	}
	w := optionText(want)
	if live != nil {
		if _, isMap := optionMap(live); !isMap && sameOptionValue(name, w, optionText(live)) {
			return Change{}, false
		}
	}
	show := func(v any) string {
		s := optionText(v)
		if _, isString := v.(string); isString {
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				return strconv.Quote(s)
			}
		}
		return s
	}
	c := Change{Attribute: name, To: show(want)}
	if live != nil {
		c.From = show(live)
	}
	return c, true
}

// formatOptionMap prints a map option for people, with short class names.
func formatOptionMap(m map[string]string) string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if k == "class" {
			v = shortClass(v)
		}
		out[k] = v
	}
	return formatMap(out)
}

// optionWarnings are the warnings of an option change on a table holding
// data.
func optionWarnings(ks, table, name string, want, live any) []Warning {
	target := ks + "." + table
	switch name {
	case "compaction":
		wm, _ := optionMap(want)
		lm, _ := optionMap(live)
		wc := canonOptionMap(name, wm)["class"]
		lc := canonOptionMap(name, lm)["class"]
		if wc != "" && wc != lc {
			return []Warning{{Class: WarnRewritesData, Message: fmt.Sprintf(
				"%s moves from %s to %s: Cassandra recompacts all its SSTables under the new strategy, which reads and rewrites all its data",
				target, shortClass(lc), shortClass(wc))}}
		}
	case "compression":
		return []Warning{{Class: WarnRewritesData, Message: fmt.Sprintf(
			"the new compression of %s applies to SSTables written from now on; existing ones keep the old until compaction rewrites them "+
				"(nodetool upgradesstables -a %s %s rewrites them all now)", target, ks, table)}}
	}
	return nil
}
