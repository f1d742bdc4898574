package cqlquery

import (
	"fmt"
	"strings"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
)

// INSERT JSON (UpdateStatement.ParsedInsertJson, Json.Literal,
// Json.Marker), SELECT JSON (Selection.rowToJson), toJson() (ToJsonFct)
// and fromJson() (FromJsonFct).

// jsonDoc is the document of an INSERT JSON: a literal, read when the
// statement is prepared, or a bind marker, read once per execution.
type jsonDoc struct {
	tb     *table
	values map[string]jsonCell // literal: the column values
	marker int                 // the marker's index, or -1
}

// jsonCell is one column's value in a document: present or not, and its
// serialized value (nil for an explicit null).
type jsonCell struct {
	present bool
	value   []byte
}

// cells returns the document's column values for one execution.
func (d *jsonDoc) cells(c *bindCtx) (map[string]jsonCell, error) {
	if d.marker < 0 {
		return d.values, nil
	}
	if v, ok := c.memo[d]; ok {
		return v.(map[string]jsonCell), nil
	}
	if d.marker >= len(c.values) {
		return nil, invalidf("there were %d markers(?) in CQL but %d bound variables", d.marker+1, len(c.values))
	}
	v := c.values[d.marker]
	if v.Bytes == nil && !v.Unset {
		return nil, invalid("Got null for INSERT JSON values")
	}
	cells, err := parseJSONDoc(d.tb, string(v.Bytes), c.env.now)
	if err != nil {
		return nil, err
	}
	if c.memo == nil {
		c.memo = map[any]any{}
	}
	c.memo[d] = cells
	return cells, nil
}

// parseJSONDoc is Json.parseJson: the document must be an object whose
// keys name columns (case-insensitive unless double-quoted); each value is
// read by its column's type.
func parseJSONDoc(tb *table, text string, now func() time.Time) (map[string]jsonCell, error) {
	doc, err := decodeJSON(text)
	if err == nil && doc.kind != jsonMap && doc.kind != jsonNull {
		err = &jsonSyntaxError{"Can not deserialize instance of java.util.LinkedHashMap out of " + jsonToken(doc) + " token"}
	}
	if err != nil {
		return nil, invalidf("Could not decode JSON string as a map: com.fasterxml.jackson.databind.JsonMappingException: %s. (String was: %s)", err.Error(), text)
	}
	if doc.kind == jsonNull {
		return nil, invalid("Got null for INSERT JSON values")
	}
	m := handleCaseSensitivity(doc)
	out := make(map[string]jsonCell, len(tb.cols))
	for _, c := range tb.cols {
		x, ok := m.mapGet(c.name)
		if !ok {
			continue
		}
		m.mapRemove(c.name)
		if x.kind == jsonNull {
			out[c.name] = jsonCell{present: true}
			continue
		}
		b, err := fromJSON(c.typ, x, now)
		if err != nil {
			return nil, invalidf("Error decoding JSON value for %s: %s", c.name, errorText(err))
		}
		out[c.name] = jsonCell{present: true, value: b}
	}
	if len(m.keys) > 0 {
		return nil, invalidf("JSON values map contains unrecognized column: %s", m.keys[0])
	}
	return out, nil
}

// jsonToken names the JSON token a value starts with, as Jackson does.
func jsonToken(v *jsonValue) string {
	switch v.kind {
	case jsonString:
		return "VALUE_STRING"
	case jsonInteger, jsonLong, jsonBigInt:
		return "VALUE_NUMBER_INT"
	case jsonDouble:
		return "VALUE_NUMBER_FLOAT"
	case jsonBoolean:
		if v.b {
			return "VALUE_TRUE"
		}
		return "VALUE_FALSE"
	}
	return "START_ARRAY"
}

func errorText(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Message
	}
	return err.Error()
}

// jsonColumn is one column's value taken from a document: null when the
// document leaves the column out (DEFAULT NULL), unset with DEFAULT UNSET.
type jsonColumn struct {
	doc          *jsonDoc
	col          *column
	defaultUnset bool
}

func (t *jsonColumn) containsMarker() bool { return t.doc.marker >= 0 }

func (t *jsonColumn) bind(c *bindCtx) (Value, error) {
	cells, err := t.doc.cells(c)
	if err != nil {
		return Value{}, err
	}
	cell, ok := cells[t.col.name]
	if !ok {
		return Value{Unset: t.defaultUnset}, nil
	}
	return Value{Bytes: cell.value}, nil
}

// prepareInsertJSON is ParsedInsertJson.prepareInternal: every column of
// the table takes its value from the document; the primary key columns
// become equality relations.
func prepareInsertJSON(p *prep, tb *table, st *cqlparse.InsertStmt, m *modifyStmt) (*modifyStmt, error) {
	doc := &jsonDoc{tb: tb, marker: -1}
	switch x := st.JSON.(type) {
	case *cqlparse.BindMarker:
		doc.marker = x.Index
		p.vars.add(x, &receiver{ks: tb.t.Keyspace, table: tb.t.Name, name: "[json]", typ: codec.UTF8})
	case *cqlparse.Literal:
		cells, err := parseJSONDoc(tb, x.Text, p.env.now)
		if err != nil {
			return nil, err
		}
		doc.values = cells
	default:
		return nil, invalidf("Invalid JSON value %s", termText(st.JSON))
	}
	if p.preset == nil {
		p.preset = map[cqlparse.Term]term{}
	}
	var rels []cqlparse.Relation
	for _, c := range tb.cols {
		// A placeholder raw term the preparation maps back to the
		// column's value.
		raw := &cqlparse.Literal{Kind: cqlparse.LitString, Text: "[json]"}
		p.preset[raw] = &jsonColumn{doc: doc, col: c, defaultUnset: st.DefaultUnset}
		if c.isPK() {
			rels = append(rels, &cqlparse.ColumnRelation{Column: cqlparse.Ident{Name: c.name, Quoted: true}, Op: cqlparse.OpEQ, Value: raw})
			continue
		}
		if c.isCounter() {
			return nil, invalidf("Cannot set the value of counter column %s in JSON", c.name)
		}
		o, err := prepareSetValue(p, tb, c, raw)
		if err != nil {
			return nil, err
		}
		m.addOp(o)
	}
	// Every clustering column is in the document's receivers, so a table
	// with clustering columns never inserts only statics.
	var err error
	m.w, err = buildWhere(p, tb, KindInsert, rels, len(tb.ck) == 0 && m.onlyStatic(), false, false)
	if err != nil {
		return nil, err
	}
	return m, m.validate()
}

// rowToJSON is Selection.rowToJson: one object with the result column
// names as keys (quoted again when not all lower case) and each value's
// JSON form.
func rowToJSON(names []string, types []codec.Type, row [][]byte) []byte {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, v := range row {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('"')
		quoteJSON(&sb, jsonName(names[i]))
		sb.WriteString(`": `)
		writeJSONOrNull(&sb, types[i], v)
	}
	sb.WriteByte('}')
	return []byte(sb.String())
}

// toJSONFunction is ToJsonFct for an argument of type t.
func toJSONFunction(t codec.Type) *function {
	return &function{name: "tojson", args: one(t), ret: codec.UTF8, exec: func(_ *bindCtx, a [][]byte) ([]byte, error) {
		if a[0] == nil {
			return []byte("null"), nil
		}
		return []byte(toJSON(t, a[0])), nil
	}}
}

// fromJSONFunction is FromJsonFct for a receiver of type t.
func fromJSONFunction(t codec.Type) *function {
	f := &function{name: "fromjson", args: one(codec.UTF8), ret: t}
	f.exec = func(c *bindCtx, a [][]byte) ([]byte, error) {
		if a[0] == nil {
			return nil, nil
		}
		text := string(a[0])
		v, err := decodeJSON(text)
		if err != nil {
			return nil, functionFailure(f, "Could not decode JSON string '"+text+"': com.fasterxml.jackson.core.JsonParseException: "+err.Error())
		}
		if v.kind == jsonNull {
			return nil, nil
		}
		b, err := fromJSON(t, v, c.env.now)
		if err != nil {
			return nil, functionFailure(f, "org.apache.cassandra.serializers.MarshalException: "+errorText(err))
		}
		return b, nil
	}
	return f
}

// functionFailure is FunctionExecutionException: a FUNCTION_FAILURE error
// naming the function and its argument types.
func functionFailure(f *function, detail string) *Error {
	args := make([]string, len(f.args))
	for i, a := range f.args {
		args[i] = codec.CQLName(a)
	}
	return &Error{Code: CodeFunctionFailure, Keyspace: "system", Function: f.name, Arguments: args,
		Message: fmt.Sprintf("execution of '%s[%s]' failed: %s", f.fullName(), strings.Join(args, ", "), detail)}
}
