package server_test

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/google/uuid"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// The property: on one store, whatever either protocol writes, the other
// reads back byte for byte. For every kind of table (every cell-name
// layout 3.11 knows: static and dense COMPACT STORAGE tables, simple,
// reversed and compound comparators, Thrift column families with dynamic,
// composite and non-UTF-8 declared names, both kinds of super column
// family, a CQL table with statics), a random sequence of writes and
// deletions (values, timestamps, TTLs) goes half through Thrift and half
// through CQL, and a model of the cells says what must be there. Thrift's
// get_range_slices must return exactly the model's cells (names, values,
// timestamps, TTLs) and CQL's SELECT, with writetime() and ttl(), exactly
// the model's rows, compared as the raw bytes of the native protocol.

// propCell is one cell: where the store keeps it (key, super column, name)
// and how CQL addresses it (the values of its primary key columns, and
// its column).
type propCell struct {
	key, super, name []byte
	pk               [][]byte // CQL: partition key then clustering values
	col              string   // CQL column ("" for a dense table's value)
}

func (c propCell) id() string {
	return hex.EncodeToString(c.key) + "|" + hex.EncodeToString(c.super) + "|" + hex.EncodeToString(c.name)
}

// propLayout is one table and how each protocol addresses its cells.
type propLayout struct {
	name   string
	table  string
	create func(t *testing.T, e *propEnv)
	pick   func(r *rand.Rand) propCell
	value  func(r *rand.Rand, c propCell) []byte
	// put and del are the CQL statements writing or deleting one cell;
	// their markers are the primary key values (and the value), then the
	// timestamp (and the TTL).
	put, del func(c propCell) string
	// putValues orders the values of put (default: pk..., value).
	putValues func(c propCell, v []byte) [][]byte
	// read selects every cell with writetime and ttl; cells turns a row
	// into the cells it shows.
	read  string
	cells func(row [][]byte) []propState
}

type propState struct {
	cell  propCell
	value []byte
	ts    int64
	ttl   int32
}

func (s propState) String() string {
	return fmt.Sprintf("%s = %x @%d ttl %d", s.cell.id(), s.value, s.ts, s.ttl)
}

type propEnv struct {
	th  *client
	cql *nativeConn
}

func be32(n int32) []byte { return binary.BigEndian.AppendUint32(nil, uint32(n)) }
func be64(n int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(n)) }

func randText(r *rand.Rand, n int) []byte {
	b := make([]byte, r.Intn(n+1))
	for i := range b {
		b[i] = byte('a' + r.Intn(26))
	}
	return b
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, r.Intn(n+1))
	r.Read(b)
	return b
}

// comp is a composite of components with end-of-component 0.
func comp(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = binary.BigEndian.AppendUint16(out, uint16(len(p)))
		out = append(append(out, p...), 0)
	}
	return out
}

// cellsOf reads a row whose columns after the first skip are (value,
// writetime, ttl) triples of the columns cols, for tables whose cells are
// named by their column.
func triples(row [][]byte, from int, mk func(col string) propCell, cols ...string) []propState {
	var out []propState
	for i, col := range cols {
		v, ts, ttl := row[from+3*i], row[from+3*i+1], row[from+3*i+2]
		if v == nil {
			continue
		}
		s := propState{cell: mk(col), value: v, ts: int64(binary.BigEndian.Uint64(ts))}
		if ttl != nil {
			s.ttl = int32(binary.BigEndian.Uint32(ttl))
		}
		out = append(out, s)
	}
	return out
}

func propThriftCF(ks, name, comparator, sub, key, def string, super bool, meta ...*tg.ColumnDef) *tg.CfDef {
	d := cfDef(ks, name)
	d.ComparatorType, d.KeyValidationClass, d.DefaultValidationClass = comparator, strp(key), strp(def)
	if super {
		d.ColumnType, d.SubcomparatorType = "Super", strp(sub)
	}
	d.ColumnMetadata = meta
	return d
}

func propLayouts() []propLayout {
	timeuuids := make([][]byte, 8)
	for i := range timeuuids {
		u := uuid.Must(uuid.NewUUID())
		timeuuids[i] = u[:]
	}
	cqlTable := func(ddl string) func(t *testing.T, e *propEnv) {
		return func(t *testing.T, e *propEnv) { cqlExecRaw(t, e.cql, ddl) }
	}
	thriftCF := func(d *tg.CfDef) func(t *testing.T, e *propEnv) {
		return func(t *testing.T, e *propEnv) {
			_, err := e.th.SystemAddColumnFamily(ctx, d)
			must(t, err)
		}
	}
	key := func(r *rand.Rand) []byte { return []byte(fmt.Sprintf("k%d", r.Intn(4))) }
	dense := func(row [][]byte, mk func(row [][]byte) propCell) []propState {
		return triples(row, len(row)-3, func(string) propCell { return mk(row) }, "")
	}
	return []propLayout{{
		name: "static COMPACT STORAGE (CQL)", table: "a",
		create: cqlTable("CREATE TABLE prop.a (k text PRIMARY KEY, x int, y text) WITH COMPACT STORAGE"),
		pick: func(r *rand.Rand) propCell {
			k, col := key(r), []string{"x", "y"}[r.Intn(2)]
			return propCell{key: k, name: []byte(col), pk: [][]byte{k}, col: col}
		},
		value: func(r *rand.Rand, c propCell) []byte {
			if c.col == "x" {
				return be32(r.Int31() - 1<<30)
			}
			return randText(r, 8)
		},
		put: func(c propCell) string {
			return "INSERT INTO prop.a (k, " + c.col + ") VALUES (?, ?) USING TIMESTAMP ? AND TTL ?"
		},
		del:  func(c propCell) string { return "DELETE " + c.col + " FROM prop.a USING TIMESTAMP ? WHERE k = ?" },
		read: "SELECT k, x, writetime(x), ttl(x), y, writetime(y), ttl(y) FROM prop.a",
		cells: func(row [][]byte) []propState {
			return triples(row, 1, func(col string) propCell { return propCell{key: row[0], name: []byte(col)} }, "x", "y")
		},
	}, {
		name: "dense COMPACT STORAGE, one clustering column (CQL)", table: "b",
		create: cqlTable("CREATE TABLE prop.b (k blob, c bigint, v blob, PRIMARY KEY (k, c)) WITH COMPACT STORAGE"),
		pick: func(r *rand.Rand) propCell {
			k := []byte{byte(1 + r.Intn(3))}
			c := be64(int64(r.Intn(6)) - 3)
			return propCell{key: k, name: c, pk: [][]byte{k, c}}
		},
		value: func(r *rand.Rand, _ propCell) []byte { return randBytes(r, 6) },
		put: func(propCell) string {
			return "INSERT INTO prop.b (k, c, v) VALUES (?, ?, ?) USING TIMESTAMP ? AND TTL ?"
		},
		del:  func(propCell) string { return "DELETE FROM prop.b USING TIMESTAMP ? WHERE k = ? AND c = ?" },
		read: "SELECT k, c, v, writetime(v), ttl(v) FROM prop.b",
		cells: func(row [][]byte) []propState {
			return dense(row, func(row [][]byte) propCell { return propCell{key: row[0], name: row[1]} })
		},
	}, {
		name: "dense COMPACT STORAGE, DESC clustering (CQL)", table: "c",
		create: cqlTable("CREATE TABLE prop.c (k int, c timeuuid, v text, PRIMARY KEY (k, c)) WITH COMPACT STORAGE AND CLUSTERING ORDER BY (c DESC)"),
		pick: func(r *rand.Rand) propCell {
			k, c := be32(int32(r.Intn(3))), timeuuids[r.Intn(len(timeuuids))]
			return propCell{key: k, name: c, pk: [][]byte{k, c}}
		},
		value: func(r *rand.Rand, _ propCell) []byte { return randText(r, 6) },
		put: func(propCell) string {
			return "INSERT INTO prop.c (k, c, v) VALUES (?, ?, ?) USING TIMESTAMP ? AND TTL ?"
		},
		del:  func(propCell) string { return "DELETE FROM prop.c USING TIMESTAMP ? WHERE k = ? AND c = ?" },
		read: "SELECT k, c, v, writetime(v), ttl(v) FROM prop.c",
		cells: func(row [][]byte) []propState {
			return dense(row, func(row [][]byte) propCell { return propCell{key: row[0], name: row[1]} })
		},
	}, {
		name: "dense COMPACT STORAGE, compound (CQL)", table: "d",
		create: cqlTable("CREATE TABLE prop.d (k text, c1 int, c2 text, v text, PRIMARY KEY (k, c1, c2)) WITH COMPACT STORAGE"),
		pick: func(r *rand.Rand) propCell {
			k, c1, c2 := key(r), be32(int32(r.Intn(3))), randText(r, 2)
			return propCell{key: k, name: comp(c1, c2), pk: [][]byte{k, c1, c2}}
		},
		value: func(r *rand.Rand, _ propCell) []byte { return randText(r, 6) },
		put: func(propCell) string {
			return "INSERT INTO prop.d (k, c1, c2, v) VALUES (?, ?, ?, ?) USING TIMESTAMP ? AND TTL ?"
		},
		del:  func(propCell) string { return "DELETE FROM prop.d USING TIMESTAMP ? WHERE k = ? AND c1 = ? AND c2 = ?" },
		read: "SELECT k, c1, c2, v, writetime(v), ttl(v) FROM prop.d",
		cells: func(row [][]byte) []propState {
			return dense(row, func(row [][]byte) propCell { return propCell{key: row[0], name: comp(row[1], row[2])} })
		},
	}, {
		name: "Thrift column family, UTF8Type names", table: "E",
		create: thriftCF(propThriftCF("prop", "E", "UTF8Type", "", "UTF8Type", "BytesType", false)),
		pick: func(r *rand.Rand) propCell {
			k, n := key(r), append([]byte("n"), randText(r, 2)...)
			return propCell{key: k, name: n, pk: [][]byte{k, n}}
		},
		value: func(r *rand.Rand, _ propCell) []byte { return randBytes(r, 6) },
		put: func(propCell) string {
			return `INSERT INTO prop."E" (key, column1, value) VALUES (?, ?, ?) USING TIMESTAMP ? AND TTL ?`
		},
		del:  func(propCell) string { return `DELETE FROM prop."E" USING TIMESTAMP ? WHERE key = ? AND column1 = ?` },
		read: `SELECT key, column1, value, writetime(value), ttl(value) FROM prop."E"`,
		cells: func(row [][]byte) []propState {
			return dense(row, func(row [][]byte) propCell { return propCell{key: row[0], name: row[1]} })
		},
	}, {
		name: "Thrift column family, CompositeType names", table: "F",
		create: thriftCF(propThriftCF("prop", "F", "CompositeType(LongType,UTF8Type)", "", "BytesType", "UTF8Type", false)),
		pick: func(r *rand.Rand) propCell {
			k, c1, c2 := []byte{byte(r.Intn(3))}, be64(int64(r.Intn(4))), randText(r, 2)
			return propCell{key: k, name: comp(c1, c2), pk: [][]byte{k, c1, c2}}
		},
		value: func(r *rand.Rand, _ propCell) []byte { return randText(r, 6) },
		put: func(propCell) string {
			return `INSERT INTO prop."F" (key, column1, column2, value) VALUES (?, ?, ?, ?) USING TIMESTAMP ? AND TTL ?`
		},
		del: func(propCell) string {
			return `DELETE FROM prop."F" USING TIMESTAMP ? WHERE key = ? AND column1 = ? AND column2 = ?`
		},
		read: `SELECT key, column1, column2, value, writetime(value), ttl(value) FROM prop."F"`,
		cells: func(row [][]byte) []propState {
			return dense(row, func(row [][]byte) propCell { return propCell{key: row[0], name: comp(row[1], row[2])} })
		},
	}, {
		name: "Thrift column family, LongType names declared in column_metadata", table: "I",
		create: thriftCF(propThriftCF("prop", "I", "LongType", "", "UTF8Type", "BytesType", false,
			&tg.ColumnDef{Name: be64(5), ValidationClass: "Int32Type"}, &tg.ColumnDef{Name: be64(6), ValidationClass: "UTF8Type"})),
		pick: func(r *rand.Rand) propCell {
			k, n := key(r), int64(5+r.Intn(2))
			return propCell{key: k, name: be64(n), pk: [][]byte{k}, col: fmt.Sprint(n)}
		},
		value: func(r *rand.Rand, c propCell) []byte {
			if c.col == "5" {
				return be32(r.Int31())
			}
			return randText(r, 6)
		},
		put: func(c propCell) string {
			return `INSERT INTO prop."I" (key, "` + c.col + `") VALUES (?, ?) USING TIMESTAMP ? AND TTL ?`
		},
		del:  func(c propCell) string { return `DELETE "` + c.col + `" FROM prop."I" USING TIMESTAMP ? WHERE key = ?` },
		read: `SELECT key, "5", writetime("5"), ttl("5"), "6", writetime("6"), ttl("6") FROM prop."I"`,
		cells: func(row [][]byte) []propState {
			return triples(row, 1, func(col string) propCell {
				return propCell{key: row[0], name: be64(int64(col[0] - '0'))}
			}, "5", "6")
		},
	}, {
		name: "Thrift super column family (dense)", table: "G",
		create: thriftCF(propThriftCF("prop", "G", "UTF8Type", "LongType", "UTF8Type", "BytesType", true)),
		pick: func(r *rand.Rand) propCell {
			k, sc, n := key(r), append([]byte("s"), randText(r, 1)...), be64(int64(r.Intn(4)))
			return propCell{key: k, super: sc, name: n, pk: [][]byte{k, sc, n}}
		},
		value: func(r *rand.Rand, _ propCell) []byte { return randBytes(r, 6) },
		put: func(propCell) string {
			return `INSERT INTO prop."G" (key, column1, column2, value) VALUES (?, ?, ?, ?) USING TIMESTAMP ? AND TTL ?`
		},
		del: func(propCell) string {
			return `DELETE FROM prop."G" USING TIMESTAMP ? WHERE key = ? AND column1 = ? AND column2 = ?`
		},
		read: `SELECT key, column1, column2, value, writetime(value), ttl(value) FROM prop."G"`,
		cells: func(row [][]byte) []propState {
			return dense(row, func(row [][]byte) propCell { return propCell{key: row[0], super: row[1], name: row[2]} })
		},
	}, {
		name: "Thrift super column family with column_metadata", table: "H",
		create: thriftCF(propThriftCF("prop", "H", "UTF8Type", "UTF8Type", "UTF8Type", "BytesType", true,
			&tg.ColumnDef{Name: []byte("age"), ValidationClass: "Int32Type"}, &tg.ColumnDef{Name: []byte("city"), ValidationClass: "UTF8Type"})),
		pick: func(r *rand.Rand) propCell {
			k, sc, col := key(r), append([]byte("s"), randText(r, 1)...), []string{"age", "city"}[r.Intn(2)]
			return propCell{key: k, super: sc, name: []byte(col), pk: [][]byte{k, sc}, col: col}
		},
		value: func(r *rand.Rand, c propCell) []byte {
			if c.col == "age" {
				return be32(r.Int31())
			}
			return randText(r, 6)
		},
		put: func(c propCell) string {
			return `INSERT INTO prop."H" (key, column1, ` + c.col + `) VALUES (?, ?, ?) USING TIMESTAMP ? AND TTL ?`
		},
		del: func(c propCell) string {
			return `DELETE ` + c.col + ` FROM prop."H" USING TIMESTAMP ? WHERE key = ? AND column1 = ?`
		},
		read: `SELECT key, column1, age, writetime(age), ttl(age), city, writetime(city), ttl(city) FROM prop."H"`,
		cells: func(row [][]byte) []propState {
			return triples(row, 2, func(col string) propCell { return propCell{key: row[0], super: row[1], name: []byte(col)} }, "age", "city")
		},
	}, {
		name: "CQL table with a static column (hidden from describe)", table: "j",
		create: cqlTable("CREATE TABLE prop.j (k text, c int, s text static, v blob, PRIMARY KEY (k, c))"),
		pick: func(r *rand.Rand) propCell {
			k := key(r)
			if r.Intn(4) == 0 {
				return propCell{key: k, name: append([]byte{0xff, 0xff, 0, 0, 0}, comp([]byte("s"))...), pk: [][]byte{k}, col: "s"}
			}
			c := be32(int32(r.Intn(4)))
			return propCell{key: k, name: comp(c, []byte("v")), pk: [][]byte{k, c}, col: "v"}
		},
		value: func(r *rand.Rand, c propCell) []byte {
			if c.col == "s" {
				return randText(r, 6)
			}
			return randBytes(r, 6)
		},
		put: func(c propCell) string {
			if c.col == "s" {
				return "UPDATE prop.j USING TIMESTAMP ? AND TTL ? SET s = ? WHERE k = ?"
			}
			return "UPDATE prop.j USING TIMESTAMP ? AND TTL ? SET v = ? WHERE k = ? AND c = ?"
		},
		putValues: func(c propCell, v []byte) [][]byte { return append([][]byte{v}, c.pk...) },
		del: func(c propCell) string {
			if c.col == "s" {
				return "DELETE s FROM prop.j USING TIMESTAMP ? WHERE k = ?"
			}
			return "DELETE v FROM prop.j USING TIMESTAMP ? WHERE k = ? AND c = ?"
		},
		read: "SELECT k, c, v, writetime(v), ttl(v), s, writetime(s), ttl(s) FROM prop.j",
		cells: func(row [][]byte) []propState {
			return triples(row, 2, func(col string) propCell {
				if col == "s" {
					return propCell{key: row[0], name: append([]byte{0xff, 0xff, 0, 0, 0}, comp([]byte("s"))...)}
				}
				return propCell{key: row[0], name: comp(row[1], []byte("v"))}
			}, "v", "s")
		},
	}}
}

func TestCQLThriftOneStoreProperty(t *testing.T) {
	const ops = 150
	srv := startCQL(t, server.Config{Clock: cassatest.NewClock(clockStart).Now})
	th := dial(t, srv.Addr())
	_, err := th.SystemAddKeyspace(ctx, ksDef("prop", simple, rf1))
	must(t, err)
	must(t, th.SetKeyspace(ctx, "prop"))
	e := &propEnv{th: th, cql: dialNative(t, srv.CQLAddr(), nil)}
	for li, l := range propLayouts() {
		t.Run(l.name, func(t *testing.T) {
			l.create(t, e)
			r := rand.New(rand.NewSource(int64(li) + 1))
			model := map[string]propState{}
			ts := int64(1000)
			for i := 0; i < ops; i++ {
				ts++
				c := l.pick(r)
				viaCQL := r.Intn(2) == 0
				if r.Intn(10) < 7 {
					v := l.value(r, c)
					var ttl int32
					if r.Intn(3) == 0 {
						ttl = int32(100 + r.Intn(10000))
					}
					model[c.id()] = propState{cell: c, value: v, ts: ts, ttl: ttl}
					if viaCQL {
						vals := append(append([][]byte(nil), c.pk...), v)
						if l.putValues != nil {
							vals = l.putValues(c, v)
							vals = append([][]byte{be64(ts), be32(ttl)}, vals...)
						} else {
							vals = append(vals, be64(ts), be32(ttl))
						}
						cqlExecRaw(t, e.cql, l.put(c), vals...)
					} else {
						col := &tg.Column{Name: c.name, Value: v, Timestamp: &ts}
						if ttl > 0 {
							col.TTL = &ttl
						}
						must(t, th.Insert(ctx, c.key, &tg.ColumnParent{ColumnFamily: l.table, SuperColumn: c.super}, col, ONE))
					}
				} else {
					if len(model) > 0 && r.Intn(4) > 0 { // mostly cells that exist
						ids := make([]string, 0, len(model))
						for id := range model {
							ids = append(ids, id)
						}
						slices.Sort(ids)
						c = model[ids[r.Intn(len(ids))]].cell
					}
					delete(model, c.id())
					if viaCQL {
						cqlExecRaw(t, e.cql, l.del(c), append([][]byte{be64(ts)}, c.pk...)...)
					} else {
						must(t, th.Remove(ctx, c.key, &tg.ColumnPath{ColumnFamily: l.table, SuperColumn: c.super, Column: c.name}, ts, ONE))
					}
				}
				if i%50 == 49 || i == ops-1 {
					compareProp(t, e, l, model, i)
				}
			}
		})
	}
}

// compareProp checks both protocols' view against the model.
func compareProp(t *testing.T, e *propEnv, l propLayout, model map[string]propState, step int) {
	t.Helper()
	var want []string
	for _, s := range model {
		want = append(want, s.String())
	}
	slices.Sort(want)

	// Thrift: every cell of every row.
	var got []string
	res, err := e.th.GetRangeSlices(ctx, parent(l.table), columnRange("", "", false, 100000), keyRange("", "", 100000), ONE)
	must(t, err)
	for _, ks := range res {
		for _, cs := range ks.Columns {
			add := func(super []byte, c *tg.Column) {
				var ttl int32
				if c.TTL != nil {
					ttl = *c.TTL
				}
				got = append(got, propState{cell: propCell{key: ks.Key, super: super, name: c.Name}, value: c.Value, ts: *c.Timestamp, ttl: ttl}.String())
			}
			if cs.SuperColumn != nil {
				for _, c := range cs.SuperColumn.Columns {
					add(cs.SuperColumn.Name, c)
				}
			} else {
				add(nil, cs.Column)
			}
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("after %d operations, Thrift reads\n  %s\nwant\n  %s", step+1, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}

	// CQL: the raw bytes of every row.
	seen := map[string]bool{}
	got = got[:0]
	for _, row := range cqlRowsRaw(t, e.cql, l.read) {
		for _, s := range l.cells(row) {
			if str := s.String(); !seen[str] { // a static repeats on every row
				seen[str] = true
				got = append(got, str)
			}
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("after %d operations, CQL reads\n  %s\nwant\n  %s", step+1, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// cqlExecRaw runs a statement with raw values over the native protocol.
func cqlExecRaw(t *testing.T, c *nativeConn, q string, values ...[]byte) {
	t.Helper()
	if m := c.query(q, values...); m.GetOpCode() != 0x08 {
		t.Fatalf("%s %x: %v", q, values, m)
	}
}

// cqlRowsRaw runs a SELECT and returns its rows as the wire carries them.
func cqlRowsRaw(t *testing.T, c *nativeConn, q string) [][][]byte {
	t.Helper()
	m := c.query(q)
	rows, ok := m.(*message.RowsResult)
	if !ok {
		t.Fatalf("%s: %v", q, m)
	}
	out := make([][][]byte, len(rows.Data))
	for i, r := range rows.Data {
		out[i] = r
	}
	return out
}
