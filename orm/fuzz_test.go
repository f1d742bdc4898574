package orm

import (
	"math/big"
	"net"
	"net/netip"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/cassa-go/cassa/codec"
)

// fuzzModel has a field of each decoding path.
type fuzzModel struct {
	Key  string `cass:",key"`
	S    string
	B    []byte
	I8   int8  `cass:",type=Long"`
	I16  int16 `cass:",type=Int32"`
	I    int   `cass:",type=Integer"`
	U8   uint8 `cass:",type=Integer"`
	U64  uint64
	F32  float32 `cass:",type=Double"`
	F64  float64 `cass:",type=Float"`
	Bool bool
	T    time.Time
	D    time.Duration
	ID   uuid.UUID `cass:",type=TimeUUID"`
	Dec  decimal.Decimal
	Big  big.Int
	BigP *big.Int
	IP   net.IP
	Addr netip.Addr
	Comp codec.Tuple `cass:",type=Composite(Long,UTF8)"`
	Any  any         `cass:",type=Long"`
	P    *int32
	Cnt  int64          `cass:"-"`
	Raw  map[string]any `cass:",raw"`
	TTL  uint16         `cass:",ttl"`
	// The CQL types.
	Sm    int16               `cass:",type=smallint"`
	Ti    uint8               `cass:",type=tinyint"`
	Day   time.Time           `cass:",type=date"`
	Tod   time.Duration       `cass:",type=time"`
	Dur   time.Duration       `cass:",type=duration"`
	L     []string            `cass:",type=list<text>"`
	Set   map[int32]struct{}  `cass:",type=set<int>"`
	M     map[string][]*int64 `cass:",type=map<text, frozen<list<bigint>>>"`
	Home  fuzzAddr
	Tup   fuzzPair `cass:",type=tuple<int, text>"`
	Homes []fuzzAddr
}

type fuzzAddr struct {
	Street string
	Zip    *int32
	Lines  []string
}

type fuzzPair struct {
	N int32
	S string
}

// FuzzUnpack feeds arbitrary values (and names, counters and TTLs) to the
// row decoder: it may return errors, never panic. A row that decodes
// packs again.
func FuzzUnpack(f *testing.F) {
	p, err := planFor(reflect.TypeFor[fuzzModel]())
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte{0, 8, 0, 0, 0, 0, 0, 0, 0, 1, 3, 2, 0x00, 0x80})
	f.Add([]byte{4, 4, 1, 2, 3, 4, 20, 3, 'x', 'y', 'z'})
	f.Add([]byte{})
	live := &tableInfo{valueType: codec.Bytes, colTypes: map[string]codec.Type{"x": codec.Long}}
	f.Fuzz(func(t *testing.T, data []byte) {
		var cols []cell
		for len(data) >= 2 {
			i, n := int(data[0]), int(data[1])
			data = data[2:]
			if n > len(data) {
				n = len(data)
			}
			v := data[:n:n]
			data = data[n:]
			var name []byte
			if i < len(p.cols) {
				name = []byte(p.cols[i].name)
			} else {
				name = []byte{byte(i)}
			}
			c := cell{name: name, value: v, ttl: int32(i) - 100}
			if i%17 == 0 {
				c.value, c.counter, c.isCounter = nil, int64(n)-3, true // a counter total
			}
			cols = append(cols, c)
		}
		var m fuzzModel
		if err := p.unpack(unsafe.Pointer(&m), cols, live); err != nil {
			return
		}
		m.Key = "k"
		if _, _, _, err := p.pack(unsafe.Pointer(&m), nil, 0, 0, nil, nil); err != nil {
			// Values that decoded may still not encode (a TimeUUID of
			// another version); that is an error, not a panic.
			return
		}
	})
}

// FuzzPageToken feeds arbitrary tokens to Page's decoder and arbitrary
// positions to the Thrift transport's: errors, never panics, and a token
// that opens was sealed for the shape.
func FuzzPageToken(f *testing.F) {
	m := Map[fuzzModel, string](noPool, "x")
	if err := m.Err(); err != nil {
		f.Fatal(err)
	}
	f.Add("shape", m.sealToken("shape", 3, encodePosition([]byte("k"), []byte("s"))))
	f.Add("shape", "AQ")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, shape, token string) {
		done, pos, err := m.openToken(shape, token)
		if err != nil {
			return
		}
		if again := m.sealToken(shape, done, pos); again != token {
			t.Fatalf("token %q opened but seals as %q", token, again)
		}
		_, _, _ = decodePosition(pos)
	})
}
