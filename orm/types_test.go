package orm_test

import (
	"errors"
	"math"
	"math/big"
	"net"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm"
)

type Status string
type Level int8

// AllTypes has a field of every supported Go type.
type AllTypes struct {
	Key string `cass:",key"`

	S     string
	B     []byte
	I     int
	I8    int8
	I16   int16
	I32   int32
	I64   int64
	U     uint
	U8    uint8
	U16   uint16
	U32   uint32
	U64   uint64
	F32   float32
	F64   float64
	Bool  bool
	T     time.Time
	TS    time.Time `cass:",type=Timestamp"`
	D     time.Duration
	ID    uuid.UUID
	TID   uuid.UUID `cass:",type=TimeUUID,omitempty"`
	LID   uuid.UUID `cass:",type=LexicalUUID"`
	Dec   decimal.Decimal
	Big   big.Int
	BigP  *big.Int
	BigL  big.Int `cass:",type=Long"`
	IP4   net.IP
	IP6   net.IP
	Addr  netip.Addr
	Named Status
	Lvl   Level `cass:",type=Int32"`
	IntL  int32 `cass:",type=Long"`
	IntV  int   `cass:",type=Integer"`
	UBig  uint64
	Asc   string      `cass:",type=Ascii"`
	Bin   string      `cass:",type=Bytes"`
	TxtB  []byte      `cass:",type=UTF8"`
	Dbl32 float32     `cass:",type=Double"`
	Rev   int64       `cass:",type=Reversed(Long)"`
	Comp  codec.Tuple `cass:",type=Composite(Long,UTF8)"`
	AnyV  any         `cass:",type=UTF8"`
	PS    *string
	PI    *int64
	PT    *time.Time
	PU    *uuid.UUID
	PD    *decimal.Decimal
	PB    *bool
}

func fullTypes(t *testing.T) AllTypes {
	tid, err := codec.RandomTimeUUID(time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC))
	noErr(t, err)
	s, i, tm, u, d, bo := "p", int64(-5), time.UnixMilli(1_700_000_000_123).UTC(), uuid.New(), decimal.New(-31415, -4), true
	var big1 big.Int
	big1.SetString("123456789012345678901234567890", 10)
	return AllTypes{
		Key: "full", S: "héllo", B: []byte{0, 1, 2}, I: math.MinInt64, I8: math.MinInt8, I16: math.MaxInt16,
		I32: math.MinInt32, I64: math.MaxInt64, U: math.MaxUint64, U8: math.MaxUint8, U16: math.MaxUint16,
		U32: math.MaxUint32, U64: math.MaxUint64, F32: -1.5, F64: math.Pi, Bool: true,
		T: time.Date(1969, 7, 20, 20, 17, 40, 0, time.UTC), TS: tm, D: 90 * time.Minute,
		ID: u, TID: tid, LID: uuid.New(), Dec: decimal.New(1250, -2), Big: big1,
		BigP: big.NewInt(-129), BigL: *big.NewInt(-1 << 62), IP4: net.IPv4(10, 0, 0, 1).To4(), IP6: net.ParseIP("2001:db8::1"),
		Addr: netip.MustParseAddr("192.168.1.1"), Named: "active", Lvl: -7, IntL: math.MaxInt32,
		IntV: -1 << 40, UBig: 1 << 63, Asc: "ascii", Bin: "\x00bin", TxtB: []byte("text"), Dbl32: 0.25,
		Rev: -9, Comp: codec.Tuple{int64(5), "x"}, AnyV: "any", PS: &s, PI: &i, PT: &tm, PU: &u, PD: &d, PB: &bo,
	}
}

func TestEveryTypeRoundTrips(t *testing.T) {
	e := newEnv(t)
	m := orm.Map[AllTypes, string](e.pool, "Types")
	noErr(t, m.Err())
	tests := []struct {
		name string
		v    AllTypes
	}{
		{"full", fullTypes(t)},
		{"zero", AllTypes{Key: "zero"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			noErr(t, m.Insert(bg, &tc.v))
			got := must[AllTypes](t)(m.Get(bg, tc.v.Key))
			compareAll(t, got, tc.v)
		})
	}
	// Zero values are written (but nil pointers and invalid addresses are
	// not, and the omitempty TimeUUID).
	cols := e.columnNames(t, "Types", "zero")
	for _, absent := range []string{"TID", "BigP", "IP4", "IP6", "Addr", "Comp", "AnyV", "PS", "PI", "PT", "PU", "PD", "PB"} {
		for _, c := range cols {
			if c == absent {
				t.Errorf("column %s written for a nil/empty field", c)
			}
		}
	}
	if len(cols) != 33 {
		t.Errorf("zero instance wrote %d columns: %v", len(cols), cols)
	}
}

// compareAll compares field by field, decimals and big integers by value.
func compareAll(t *testing.T, got, want AllTypes) {
	t.Helper()
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range gv.NumField() {
		name := gv.Type().Field(i).Name
		g, w := gv.Field(i).Interface(), wv.Field(i).Interface()
		switch x := w.(type) {
		case decimal.Decimal:
			if !x.Equal(g.(decimal.Decimal)) {
				t.Errorf("%s: got %v want %v", name, g, w)
			}
			continue
		case *decimal.Decimal:
			if (x == nil) != (g.(*decimal.Decimal) == nil) || x != nil && !x.Equal(*g.(*decimal.Decimal)) {
				t.Errorf("%s: got %v want %v", name, g, w)
			}
			continue
		case big.Int:
			gb := g.(big.Int)
			if x.Cmp(&gb) != 0 {
				t.Errorf("%s: got %v want %v", name, &gb, &x)
			}
			continue
		case *big.Int:
			if (x == nil) != (g.(*big.Int) == nil) || x != nil && x.Cmp(g.(*big.Int)) != 0 {
				t.Errorf("%s: got %v want %v", name, g, w)
			}
			continue
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: got %#v want %#v", name, g, w)
		}
	}
}

func TestValueErrors(t *testing.T) {
	e := newEnv(t)
	type Narrow struct {
		Key string    `cass:",key"`
		N   int64     `cass:"n,type=Int32"`
		U   uint64    `cass:"u,type=Long"`
		F   float64   `cass:"f,type=Float"`
		T   uuid.UUID `cass:"t,type=TimeUUID"`
	}
	m := orm.Map[Narrow, string](e.pool, "Types")
	ok := Narrow{Key: "k", T: must[uuid.UUID](t)(codec.RandomTimeUUID(time.Now()))}
	tests := []struct {
		name  string
		edit  func(*Narrow)
		field string
		want  error
	}{
		{"int32 overflow", func(v *Narrow) { v.N = 1 << 40 }, "N", codec.ErrRange},
		{"uint over long", func(v *Narrow) { v.U = math.MaxUint64 }, "U", codec.ErrRange},
		{"float overflow", func(v *Narrow) { v.F = 1e300 }, "F", codec.ErrRange},
		{"not a time uuid", func(v *Narrow) { v.T = uuid.New() }, "T", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := ok
			tc.edit(&v)
			err := m.Insert(bg, &v)
			var fe *orm.FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field || fe.Op != "pack" {
				t.Fatalf("want a pack FieldError on %s, got %v", tc.field, err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("want %v, got %v", tc.want, err)
			}
		})
	}
	// Reading a value that does not fit the field is an unpack error.
	type Wide struct {
		Key string `cass:",key"`
		N   int64  `cass:"n,type=Long"`
	}
	type Small struct {
		Key string `cass:",key"`
		N   int8   `cass:"n,type=Long"`
	}
	noErr(t, orm.Map[Wide, string](e.pool, "Types").Insert(bg, &Wide{Key: "w", N: 1000}))
	_, err := orm.Map[Small, string](e.pool, "Types").Get(bg, "w")
	var fe *orm.FieldError
	if !errors.As(err, &fe) || fe.Op != "unpack" || !errors.Is(err, codec.ErrRange) {
		t.Fatalf("narrow read: %v", err)
	}
}
