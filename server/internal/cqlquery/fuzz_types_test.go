package cqlquery

import (
	"bytes"
	"testing"

	"github.com/cassa-go/cassa/codec"
)

// fuzzTypes are the types the JSON and cast fuzz targets try.
var fuzzTypes = func() []codec.Type {
	var ts []codec.Type
	for _, n := range []string{"ascii", "bigint", "blob", "boolean", "counter", "date", "decimal", "double", "duration",
		"float", "inet", "int", "smallint", "text", "time", "timestamp", "timeuuid", "tinyint", "uuid", "varint"} {
		t, _ := codec.NativeCQLType(n)
		ts = append(ts, t)
	}
	u := codec.NewUserType("ks", "u", []string{"a", "B", "c"}, []codec.Type{codec.Int32, codec.UTF8, codec.List(codec.Int32, false)}, false)
	ts = append(ts,
		codec.List(codec.Int32, true), codec.Set(codec.UTF8, false), codec.Map(codec.UTF8, codec.Int32, true),
		codec.Map(codec.NewTuple(codec.Int32, codec.UTF8), codec.Boolean, false), codec.NewTuple(codec.Int32, codec.UTF8, codec.Double),
		u, codec.NewUserType("ks", "u", []string{"a", "B", "c"}, []codec.Type{codec.Int32, codec.UTF8, codec.List(codec.Int32, false)}, true),
		codec.List(u, false))
	return ts
}()

// FuzzJSONValue reads any document as a value of each type (INSERT JSON,
// fromJson): nothing panics, and a value read once renders (toJson) to a
// document that reads back to the same value.
func FuzzJSONValue(f *testing.F) {
	for _, s := range []string{`1`, `"a"`, `[1, 2]`, `{"a": 1, "\"B\"": "x", "c": [1]}`, `[1, "x", 1.5]`, `{"[1, \"a\"]": true}`,
		`"0x0102"`, `123123123123123123123123`, `-1.5e300`, `"2014-01-01 10:00:00+0000"`, `"P1Y2M"`, `"::1"`,
		`"6bddc89a-5644-11e4-97fc-56847afe9799"`, `null`, `true`, `"\ud83d\ude00"`, `[[[[[]]]]]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		v, err := decodeJSON(doc)
		if err != nil {
			return
		}
		_ = v.String()
		for _, typ := range fuzzTypes {
			if v.kind == jsonNull {
				break
			}
			b, err := fromJSON(typ, v, nil)
			if err != nil {
				continue
			}
			if len(b) > 0 && typ.Validate(b) != nil {
				t.Fatalf("%s from %q: invalid value %x", codec.CQLName(typ), doc, b)
			}
			out := toJSON(typ, b)
			w, err := decodeJSON(out)
			if err != nil {
				t.Fatalf("%s: toJson gave %q, which does not parse: %v", codec.CQLName(typ), out, err)
			}
			if w.kind == jsonNull || out == `""` || nativeName(typ) == "decimal" {
				// NaN and infinities; a zero duration's empty text; a
				// decimal read back as a double (Jackson's number).
				continue
			}
			b2, err := fromJSON(typ, w, nil)
			if err != nil {
				if nativeName(typ) == "timestamp" || nativeName(typ) == "date" {
					continue // dates outside the years 0-9999 have no round trip
				}
				t.Fatalf("%s: %q read back from %q: %v", codec.CQLName(typ), out, doc, err)
			}
			if !bytes.Equal(b, b2) && typ.Compare(b, b2) != 0 && nativeName(typ) != "timestamp" && nativeName(typ) != "date" {
				t.Fatalf("%s: %x became %q then %x", codec.CQLName(typ), b, out, b2)
			}
		}
	})
}

// FuzzTypedBytes renders arbitrary bytes as each type's JSON, casts them
// and aggregates them: malformed values must not panic.
func FuzzTypedBytes(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1})
	f.Add([]byte{0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1, 5})
	f.Add([]byte{0, 0, 0, 2, 0, 0, 0, 1, 'a', 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, typ := range fuzzTypes {
			_ = toJSON(typ, b)
			for _, to := range []string{"tinyint", "int", "bigint", "float", "double", "decimal", "varint", "text", "date", "timestamp"} {
				if fn := castFunction(typ, to); fn != nil {
					_, _ = fn.exec(nil, [][]byte{b})
				}
			}
			for _, fn := range []*function{sumOf(typ), avgOf(typ), countOf(typ), extremeOf("max", typ)} {
				if fn == nil {
					continue
				}
				a := fn.newAgg()
				_ = a.add([][]byte{b})
				_ = a.add([][]byte{b})
				_ = a.result()
			}
		}
	})
}

// FuzzInsertJSONDocument reads documents as INSERT JSON does.
func FuzzInsertJSONDocument(f *testing.F) {
	f.Add(`{"k": 0, "v": 1, "l": [1], "m": {"a": 1}, "\"Foo\"": 2}`)
	f.Add(`{"K": 0, "zzz": 0}`)
	f.Add(`[1]`)
	fx := newFixture(f)
	fx.ddl(`CREATE TABLE t (k int PRIMARY KEY, v int, l list<int>, m map<text, int>, "Foo" int)`)
	tb, err := fx.env.tableOf(fx.env.Catalog().FindTable("ks", "t"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		_, _ = parseJSONDoc(tb, doc, nil)
	})
}

// FuzzPrepareTypes prepares and runs statements on user types, tuples,
// JSON, aggregates, CAST and GROUP BY with odd values and paging states:
// nothing may panic.
func FuzzPrepareTypes(f *testing.F) {
	for _, s := range []string{
		"INSERT INTO t JSON ? DEFAULT UNSET",
		`INSERT INTO t JSON '{"k": 1, "c": 2, "a": {"city": "x"}, "tp": [1, "a"], "l": [1]}'`,
		"UPDATE t SET a.zip = ?, a.city = ? WHERE k = ? AND c = ?",
		"DELETE a.zip FROM t WHERE k = ? AND c = ?",
		"UPDATE t SET a = ?, tp = ?, l = l + ? WHERE k = ? AND c = ?",
		"SELECT JSON a.city, toJson(tp), CAST(c AS text), fromJson FROM t",
		"SELECT k, c, sum(c), avg(c), max(a.zip), CAST(sum(c) AS text) FROM t GROUP BY k, c",
		"SELECT k, count(*) FROM t WHERE k = ? GROUP BY k PER PARTITION LIMIT ? LIMIT ?",
		"SELECT JSON * FROM t WHERE k IN ? GROUP BY k",
		"INSERT INTO t (k, c, a) VALUES (?, ?, fromJson(?))",
	} {
		f.Add(s, []byte{0, 0, 0, 1})
	}
	fx := newFixture(f)
	fx.createType("CREATE TYPE addr (street text, city text, zip int)")
	fx.ddl("CREATE TABLE t (k int, c int, a addr, fa frozen<addr>, tp tuple<int, text>, l list<int>, PRIMARY KEY (k, c))")
	for i := 0; i < 4; i++ {
		fx.exec("INSERT INTO t (k, c, a, tp, l) VALUES (?, ?, {zip: 1}, (1, 'a'), [1])", i%2, i)
	}
	f.Fuzz(func(t *testing.T, q string, val []byte) {
		prepareAndExecute(fx, q, val, 0, 1)
	})
}
