package server_test

import (
	"bytes"
	"math"
	"math/big"
	"net"
	"reflect"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"gopkg.in/inf.v0"

	"github.com/cassa-go/cassa/server"
)

// Every scalar CQL type round trips through gocql's marshalling, bound
// and as a CQL literal (3.11's marshal types and each type's fromString /
// Constants.Literal), null included.

const typesTable = `CREATE TABLE types (k int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, d date,
	de decimal, db double, du duration, f float, i inet, s smallint, t text, tm time, ts timestamp,
	tu timeuuid, ti tinyint, u uuid, vc varchar, vi varint)`

const typesColumns = "a, b, bl, bo, d, de, db, du, f, i, s, t, tm, ts, tu, ti, u, vc, vi"

// typesRow holds one row of the types table in gocql's Go types.
type typesRow struct {
	A  string
	B  int64
	Bl []byte
	Bo bool
	D  time.Time
	De *inf.Dec
	Db float64
	Du gocql.Duration
	F  float32
	I  net.IP
	S  int16
	T  string
	Tm time.Duration
	Ts time.Time
	Tu gocql.UUID
	Ti int8
	U  gocql.UUID
	Vc string
	Vi *big.Int
}

func (r *typesRow) values() []any {
	return []any{r.A, r.B, r.Bl, r.Bo, r.D, r.De, r.Db, r.Du, r.F, r.I, r.S, r.T, r.Tm, r.Ts, r.Tu, r.Ti, r.U, r.Vc, r.Vi}
}

func (r *typesRow) pointers() []any {
	return []any{&r.A, &r.B, &r.Bl, &r.Bo, &r.D, &r.De, &r.Db, &r.Du, &r.F, &r.I, &r.S, &r.T, &r.Tm, &r.Ts, &r.Tu, &r.Ti, &r.U, &r.Vc, &r.Vi}
}

func readTypes(t *testing.T, s *gocql.Session, k int) *typesRow {
	t.Helper()
	r := &typesRow{}
	if err := s.Query("SELECT "+typesColumns+" FROM types WHERE k = ?", k).Scan(r.pointers()...); err != nil {
		t.Fatalf("read %d: %v", k, err)
	}
	return r
}

// sameTypes compares field by field, decimals and varints by value.
func sameTypes(t *testing.T, what string, got, want *typesRow) {
	t.Helper()
	gv, wv := got.values(), want.values()
	names := []string{"ascii", "bigint", "blob", "boolean", "date", "decimal", "double", "duration", "float", "inet",
		"smallint", "text", "time", "timestamp", "timeuuid", "tinyint", "uuid", "varchar", "varint"}
	for i := range gv {
		same := reflect.DeepEqual(gv[i], wv[i])
		switch g := gv[i].(type) {
		case *inf.Dec:
			same = g != nil && wv[i].(*inf.Dec) != nil && g.Cmp(wv[i].(*inf.Dec)) == 0 && g.Scale() == wv[i].(*inf.Dec).Scale()
		case *big.Int:
			same = g != nil && g.Cmp(wv[i].(*big.Int)) == 0
		case time.Time:
			same = g.Equal(wv[i].(time.Time))
		case net.IP:
			same = g.Equal(wv[i].(net.IP))
		case float64:
			w := wv[i].(float64)
			same = g == w || math.IsNaN(g) && math.IsNaN(w)
		}
		if !same {
			t.Errorf("%s: %s: got %v, want %v", what, names[i], gv[i], wv[i])
		}
	}
}

func TestCQLScalarTypes(t *testing.T) {
	srv := startCQL(t, server.Config{})
	s := newKeyspace(t, srv, "typ")
	mustExec(t, s, typesTable)
	placeholders := "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"

	tu, err := gocql.ParseUUID("50554d6e-29bb-11e5-b345-feff819cdc9f")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := gocql.ParseUUID("550e8400-e29b-41d4-a716-446655440000")
	huge, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	bound := &typesRow{
		A: "ascii", B: math.MinInt64, Bl: []byte{0, 1, 0xff}, Bo: true,
		D:  time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		De: inf.NewDec(-123456789, 4), Db: math.Inf(-1),
		Du: gocql.Duration{Months: 14, Days: 3, Nanoseconds: 5_000_000_007},
		F:  1.5, I: net.ParseIP("2001:db8::1"), S: math.MinInt16, T: "text ünïcode",
		Tm: 13*time.Hour + 14*time.Minute + 15*time.Second + 123456789,
		Ts: time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC), Tu: tu, Ti: math.MinInt8, U: u, Vc: "", Vi: huge,
	}
	mustExec(t, s, "INSERT INTO types (k, "+typesColumns+") VALUES (?, "+placeholders+")", append([]any{1}, bound.values()...)...)
	sameTypes(t, "bound", readTypes(t, s, 1), bound)

	// The same values as literals, in the forms 3.11 accepts.
	mustExec(t, s, `INSERT INTO types (k, `+typesColumns+`) VALUES (2, 'ascii', -9223372036854775808, 0x0001ff, true,
		'2024-02-29', -12345.6789, -Infinity, 1y2mo3d5s7ns, 1.5, '2001:db8::1', -32768, 'text ünïcode', '13:14:15.123456789',
		'2024-05-06 07:08:09.123+0000', 50554d6e-29bb-11e5-b345-feff819cdc9f, -128, 550e8400-e29b-41d4-a716-446655440000, '',
		-123456789012345678901234567890)`)
	sameTypes(t, "literal", readTypes(t, s, 2), bound)

	mustExec(t, s, `INSERT INTO types (k, du, d, ts, tm, db, f, b, i) VALUES (3, P1Y2M3DT4H5M6S, '1970-01-01', 1714979289123, 3600000000000, NaN, -2.5E-3, 0, '10.1.2.3')`)
	var du gocql.Duration
	var d, ts time.Time
	var tm time.Duration
	var db float64
	var f float32
	var b int64
	var ip net.IP
	if err := s.Query("SELECT du, d, ts, tm, db, f, b, i FROM types WHERE k = 3").Scan(&du, &d, &ts, &tm, &db, &f, &b, &ip); err != nil {
		t.Fatal(err)
	}
	if du != (gocql.Duration{Months: 14, Days: 3, Nanoseconds: int64(4*time.Hour + 5*time.Minute + 6*time.Second)}) ||
		!d.Equal(time.Unix(0, 0)) || ts.UnixMilli() != 1714979289123 || tm != time.Hour || !math.IsNaN(db) || f != -0.0025 ||
		!ip.Equal(net.IPv4(10, 1, 2, 3)) {
		t.Errorf("other literal forms: %v %v %v %v %v %v %v %v", du, d, ts, tm, db, f, b, ip)
	}
	// DurationType.validate: one sign for the three parts.
	expectError(t, s, 0x2200, "The duration months, days and nanoseconds must be all of the same sign (1, -1, 0)",
		"INSERT INTO types (k, du) VALUES (?, ?)", 5, gocql.Duration{Months: 1, Days: -1})
	mustExec(t, s, "INSERT INTO types (k, du) VALUES (5, -1mo2d)")
	if err := s.Query("SELECT du FROM types WHERE k = 5").Scan(&du); err != nil || du != (gocql.Duration{Months: -1, Days: -2}) {
		t.Errorf("negative duration: %v %v", du, err)
	}

	// Nulls: every column of a row that sets none reads as null.
	mustExec(t, s, "INSERT INTO types (k) VALUES (4)")
	var nulls struct {
		a, t, vc *string
		b        *int64
		bl       *[]byte
		bo       *bool
		d, ts    *time.Time
		db       *float64
		f        *float32
		s        *int16
		ti       *int8
		tu, u    *gocql.UUID
		tm       *time.Duration
		i        *net.IP
		vi       *big.Int
		de       *inf.Dec
		du       *gocql.Duration
	}
	if err := s.Query("SELECT "+typesColumns+" FROM types WHERE k = 4").Scan(&nulls.a, &nulls.b, &nulls.bl, &nulls.bo, &nulls.d,
		&nulls.de, &nulls.db, &nulls.du, &nulls.f, &nulls.i, &nulls.s, &nulls.t, &nulls.tm, &nulls.ts, &nulls.tu, &nulls.ti,
		&nulls.u, &nulls.vc, &nulls.vi); err != nil {
		t.Fatal(err)
	}
	if nulls.a != nil || nulls.b != nil || nulls.bl != nil || nulls.bo != nil || nulls.d != nil || nulls.de != nil ||
		nulls.db != nil || nulls.du != nil || nulls.f != nil || nulls.i != nil || nulls.s != nil || nulls.t != nil ||
		nulls.tm != nil || nulls.ts != nil || nulls.tu != nil || nulls.ti != nil || nulls.u != nil || nulls.vc != nil || nulls.vi != nil {
		t.Errorf("nulls: %+v", nulls)
	}
	// An empty blob and an empty string are values, not nulls.
	var bl *[]byte
	var vc *string
	if err := s.Query("SELECT bl, vc FROM types WHERE k = 1").Scan(&bl, &vc); err != nil || vc == nil || *vc != "" {
		t.Errorf("empty string: %v %v", vc, err)
	}
	mustExec(t, s, "UPDATE types SET bl = ? WHERE k = 4", []byte{})
	if err := s.Query("SELECT bl FROM types WHERE k = 4").Scan(&bl); err != nil || bl == nil || len(*bl) != 0 {
		t.Errorf("empty blob: %v %v", bl, err)
	}

	// Every type as a clustering column keeps its type's order.
	for _, typ := range []string{"bigint", "blob", "boolean", "date", "decimal", "double", "float", "inet", "int", "smallint",
		"text", "time", "timestamp", "timeuuid", "tinyint", "uuid", "varint", "ascii"} {
		mustExec(t, s, "CREATE TABLE c_"+typ+" (k int, c "+typ+", PRIMARY KEY (k, c))")
	}
	orders := []struct {
		typ    string
		values []any // ascending
	}{
		{"bigint", []any{int64(math.MinInt64), int64(-1), int64(0), int64(math.MaxInt64)}},
		{"blob", []any{[]byte{}, []byte{0}, []byte{0, 1}, []byte{0xff}}},
		{"boolean", []any{false, true}},
		{"date", []any{time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), time.Unix(0, 0).UTC(), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"decimal", []any{inf.NewDec(-15, 1), inf.NewDec(1, 2), inf.NewDec(10, 0)}},
		{"double", []any{math.Inf(-1), -1.5, 0.0, 2.25, math.Inf(1)}},
		{"float", []any{float32(-3), float32(0.5), float32(7)}},
		// InetAddressType compares the address bytes: IPv6's leading zeros first.
		{"inet", []any{net.ParseIP("::1"), net.ParseIP("10.0.0.1").To4(), net.ParseIP("10.0.0.2").To4()}},
		{"int", []any{math.MinInt32, -1, 0, math.MaxInt32}},
		{"smallint", []any{int16(-300), int16(2), int16(300)}},
		{"text", []any{"", "A", "a", "b", "é"}},
		{"ascii", []any{"", "A", "a", "b"}},
		{"time", []any{time.Duration(0), time.Second, time.Hour}},
		{"timestamp", []any{time.UnixMilli(-1000).UTC(), time.UnixMilli(0).UTC(), time.UnixMilli(1e12).UTC()}},
		{"tinyint", []any{int8(-128), int8(0), int8(127)}},
		{"varint", []any{big.NewInt(-1000), big.NewInt(-1), big.NewInt(0), huge.Neg(huge)}},
		{"timeuuid", []any{gocql.UUIDFromTime(time.Unix(1, 0)), gocql.UUIDFromTime(time.Unix(2, 0)), gocql.UUIDFromTime(time.Unix(1e9, 0))}},
		{"uuid", []any{mustUUID(t, "00000000-0000-1000-8000-000000000000"), mustUUID(t, "00000000-0000-4000-8000-000000000000"), mustUUID(t, "ffffffff-0000-4000-8000-000000000000")}},
	}
	for _, o := range orders {
		for i := len(o.values) - 1; i >= 0; i-- {
			mustExec(t, s, "INSERT INTO c_"+o.typ+" (k, c) VALUES (1, ?)", o.values[i])
		}
		_, rows := selectRows(t, s, "SELECT c FROM c_"+o.typ+" WHERE k = 1")
		if len(rows) != len(o.values) {
			t.Errorf("%s: %d rows, want %d", o.typ, len(rows), len(o.values))
			continue
		}
		for i, r := range rows {
			if !sameValue(r[0], o.values[i]) {
				t.Errorf("%s: row %d is %v, want %v", o.typ, i, r[0], o.values[i])
			}
		}
	}
}

func mustUUID(t *testing.T, s string) gocql.UUID {
	u, err := gocql.ParseUUID(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func sameValue(got, want any) bool {
	switch w := want.(type) {
	case *inf.Dec:
		g, ok := got.(*inf.Dec)
		return ok && g.Cmp(w) == 0
	case *big.Int:
		g, ok := got.(*big.Int)
		return ok && g.Cmp(w) == 0
	case time.Time:
		g, ok := got.(time.Time)
		return ok && g.Equal(w)
	case net.IP:
		g, ok := got.(net.IP)
		return ok && g.Equal(w)
	case []byte:
		g, ok := got.([]byte)
		return ok && bytes.Equal(g, w)
	}
	return reflect.DeepEqual(got, want)
}
