package orm

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/codec"
)

// Bench10 is the 10-field model of the pack/unpack benchmarks.
type Bench10 struct {
	Key    string    `cass:",key"`
	Name   string    `cass:"name"`
	Email  string    `cass:"email"`
	Age    int32     `cass:"age"`
	Born   int64     `cass:"born"`
	Score  float64   `cass:"score"`
	Height float32   `cass:"height"`
	Active bool      `cass:"active"`
	Joined time.Time `cass:"joined"`
	ID     uuid.UUID `cass:"id"`
	Data   []byte    `cass:"data"`
}

func bench10() Bench10 {
	return Bench10{Key: "k", Name: "Tyler Hobbs", Email: "tyler@example.com", Age: 24, Born: 1988,
		Score: 99.5, Height: 1.8, Active: true, Joined: time.UnixMilli(1_700_000_000_000).UTC(),
		ID: uuid.MustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), Data: []byte{1, 2, 3, 4}}
}

// handCol is what the hand-written encoder produces: a named span.
type handCol struct {
	name       string
	start, end int
}

// handPack is the hand-written encoder the mapper is measured against:
// the same codec calls, field by field, into a reused buffer.
func handPack(v *Bench10, buf []byte, cols []handCol) ([]byte, []handCol, error) {
	add := func(name string, start int) { cols = append(cols, handCol{name, start, len(buf)}) }
	s := len(buf)
	buf = append(buf, v.Name...)
	add("name", s)
	s = len(buf)
	buf = append(buf, v.Email...)
	add("email", s)
	s = len(buf)
	buf = codec.AppendInt32(buf, v.Age)
	add("age", s)
	s = len(buf)
	buf = codec.AppendLong(buf, v.Born)
	add("born", s)
	s = len(buf)
	buf = codec.AppendDouble(buf, v.Score)
	add("score", s)
	s = len(buf)
	buf = codec.AppendFloat(buf, v.Height)
	add("height", s)
	s = len(buf)
	buf = codec.AppendBool(buf, v.Active)
	add("active", s)
	s = len(buf)
	var err error
	if buf, err = codec.AppendTimestamp(buf, v.Joined); err != nil {
		return buf, cols, err
	}
	add("joined", s)
	s = len(buf)
	buf = codec.AppendUUID(buf, v.ID)
	add("id", s)
	s = len(buf)
	buf = append(buf, v.Data...)
	add("data", s)
	return buf, cols, nil
}

// handUnpack is the hand-written decoder: a switch on the column name.
func handUnpack(v *Bench10, cols []cell) error {
	var err error
	for i := range cols {
		b := cols[i].value
		switch string(cols[i].name) {
		case "name":
			v.Name = string(b)
		case "email":
			v.Email = string(b)
		case "age":
			v.Age, err = codec.DecodeInt32(b)
		case "born":
			v.Born, err = codec.DecodeLong(b)
		case "score":
			v.Score, err = codec.DecodeDouble(b)
		case "height":
			v.Height, err = codec.DecodeFloat(b)
		case "active":
			v.Active, err = codec.DecodeBool(b)
		case "joined":
			v.Joined, err = codec.DecodeTimestamp(b)
		case "id":
			v.ID, err = codec.DecodeUUID(b)
		case "data":
			v.Data = b
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// benchColumns is a row as a transport returns it, sorted by name as
// Cassandra's UTF8 comparator returns it.
func benchColumns(tb testing.TB) []cell {
	v := bench10()
	buf, cols, err := handPack(&v, nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]cell, 0, len(cols))
	for _, c := range cols {
		out = append(out, cell{name: []byte(c.name), value: buf[c.start:c.end:c.end]})
	}
	slices.SortFunc(out, func(a, b cell) int { return bytes.Compare(a.name, b.name) })
	return out
}

func TestBenchEncodersAgree(t *testing.T) {
	p, err := planFor(reflect.TypeFor[Bench10]())
	if err != nil {
		t.Fatal(err)
	}
	v := bench10()
	mb, mc, _, err := p.pack(unsafe.Pointer(&v), nil, 0, 0, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	hb, hc, _ := handPack(&v, nil, nil)
	want := map[string]string{}
	for _, c := range hc {
		want[c.name] = string(hb[c.start:c.end])
	}
	if !reflect.DeepEqual(packedMap(p, mb, mc), want) {
		t.Fatalf("encoders disagree:\n%x\n%x", packedMap(p, mb, mc), want)
	}
	var a, b Bench10
	cols := benchColumns(t)
	if err := p.unpack(unsafe.Pointer(&a), cols, nil); err != nil {
		t.Fatal(err)
	}
	if err := handUnpack(&b, cols); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("decoders disagree:\n%+v\n%+v", a, b)
	}
}

// BenchmarkPack10 compares the mapper's encoding of a 10-field struct with
// hand-written codec calls (run both: go test -bench 'Pack10|Unpack10').
func BenchmarkPack10(b *testing.B) {
	p, err := planFor(reflect.TypeFor[Bench10]())
	if err != nil {
		b.Fatal(err)
	}
	v := bench10()
	b.Run("mapper", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		var cols []span
		for b.Loop() {
			buf, cols, _, err = p.pack(unsafe.Pointer(&v), nil, 0, 0, buf[:0], cols[:0])
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		var cols []handCol
		for b.Loop() {
			buf, cols, err = handPack(&v, buf[:0], cols[:0])
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkUnpack10 compares decoding a row into a 10-field struct.
func BenchmarkUnpack10(b *testing.B) {
	p, err := planFor(reflect.TypeFor[Bench10]())
	if err != nil {
		b.Fatal(err)
	}
	cols := benchColumns(b)
	b.Run("mapper", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v Bench10
			if err := p.unpack(noescape(unsafe.Pointer(&v)), cols, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v Bench10
			if err := handUnpack(&v, cols); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPlanCache measures the per-call plan lookup and fails if the
// cache never hits (gossie's inspectStruct cached only on error, so every
// call re-parsed the struct).
func BenchmarkPlanCache(b *testing.B) {
	t := reflect.TypeFor[Bench10]()
	if _, err := planFor(t); err != nil {
		b.Fatal(err)
	}
	before := planBuilds.Load()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := planFor(t); err != nil {
			b.Fatal(err)
		}
	}
	if n := planBuilds.Load() - before; n != 0 {
		b.Fatalf("the plan cache missed: %d plans built in %d lookups", n, b.N)
	}
}

func TestPlanCacheHits(t *testing.T) {
	type Once struct {
		K string `cass:",key"`
		A string
	}
	type Bad struct {
		K string `cass:",key"`
		A string `cass:"a,type=Long"`
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[Once](), reflect.TypeFor[Bad]()} {
		p1, err1 := planFor(typ) // builds, unless an earlier -count run did
		before := planBuilds.Load()
		p2, err2 := planFor(typ)
		Map[Once, string](noPool, "x")
		_ = Model[Once]()
		if p1 != p2 || err1 != err2 {
			t.Fatalf("%v: second lookup returned a different plan", typ)
		}
		if n := planBuilds.Load() - before; n != 0 {
			t.Fatalf("%v: %d more builds after the first lookup", typ, n)
		}
	}
}

// packedMap maps column names to packed values.
func packedMap(p *plan, buf []byte, cols []span) map[string]string {
	out := map[string]string{}
	for _, c := range cols {
		out[p.cols[c.col].name] = string(buf[c.start:c.end])
	}
	return out
}
