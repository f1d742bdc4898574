package server

import (
	"regexp"
	"strings"
	"unicode"
)

// The generated Go code reports a missing required field as
// "Required field ColumnPath is not set", prefixed with
// "*thriftgen.X error reading struct: " for each enclosing struct. Java's
// generated code, which Cassandra clients see, says
// "Required field 'column_path' was not present! Struct: get_args(...)"
// for objects and "... was not found in serialized data! ..." for
// primitives. javaRequiredFieldMessage rewrites the first form into the
// second, without Java's dump of the struct's field values.

var (
	goRequired  = regexp.MustCompile(`Required field (\w+) is not set`)
	goStructPfx = regexp.MustCompile(`\*thriftgen\.(\w+) error reading struct: `)
)

// requiredPrimitives are the required fields of primitive type in the IDL
// (Java checks them with isset bits, hence the other wording).
var requiredPrimitives = map[string]bool{
	"reversed": true, "count": true, "value": true, "timestamp": true,
	"keys_per_split": true, "itemId": true, "success": true, "row_count": true,
}

func javaRequiredFieldMessage(method, goMsg string) string {
	m := goRequired.FindStringSubmatch(goMsg)
	if m == nil {
		return goMsg
	}
	structName := method + "_args"
	if all := goStructPfx.FindAllStringSubmatch(goMsg, -1); len(all) > 0 {
		structName = all[len(all)-1][1]
	}
	field := snake(m[1])
	if field == "item_id" {
		field = "itemId" // the one camelCase name in the IDL
	}
	how := "was not present!"
	if requiredPrimitives[field] {
		how = "was not found in serialized data!"
	}
	return "Required field '" + field + "' " + how + " Struct: " + structName
}

// snake turns a generated Go field name back into the IDL name.
func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			// Start a new word unless inside an acronym (RPCEndpoints).
			if i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
