package columnfamily

import (
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
)

// Byte-level checks of what a ColumnFamily sends, against the values
// recorded from pycassa (reference §2.5 and §2.6).

func cfTestSchema(t *testing.T, comparator string) (*ColumnFamily, *cfSchema) {
	t.Helper()
	def := thriftgen.NewCfDef()
	def.Name, def.ComparatorType = "cf", comparator
	cf := &ColumnFamily{name: "cf"}
	s, err := buildSchema(def, &cf.cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cf, s
}

func TestCFSliceEndBytes(t *testing.T) {
	cf, s := cfTestSchema(t, "CompositeType(LongType, AsciiType)")
	dt := time.Date(2010, 12, 11, 8, 2, 15, 0, time.UTC)
	tcf, ts := cfTestSchema(t, "TimeUUIDType")
	cases := []struct {
		name          string
		cf            *ColumnFamily
		s             *cfSchema
		o             readOpts
		start, finish string
	}{
		{"composite start (1,), finish (2, ('b', exclusive))", cf, s,
			readOpts{start: codec.Tuple{1}, finish: codec.Tuple{2, codec.Exclusive("b")}},
			"00080000000000000001ff", "0008000000000000000200000162ff"},
		{"reversed composite start (2,), finish (1,)", cf, s,
			readOpts{start: codec.Tuple{2}, finish: codec.Tuple{1}, reversed: true},
			"0008000000000000000201", "00080000000000000001ff"},
		{"time slice", tcf, ts, readOpts{start: dt, finish: dt},
			"f7655d8004fc11e08080808080808080", "f7655d8004fc11e0bf7f7f7f7f7f7f7f"},
		{"reversed time slice", tcf, ts, readOpts{start: dt, finish: dt, reversed: true},
			"f7655d8004fc11e0bf7f7f7f7f7f7f7f", "f7655d8004fc11e08080808080808080"},
		{"open ends", cf, s, readOpts{start: "", finish: nil}, "", ""},
	}
	for _, c := range cases {
		start, finish, err := c.cf.sliceEnds(c.s, &c.o, false)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if hex.EncodeToString(start) != c.start || hex.EncodeToString(finish) != c.finish {
			t.Errorf("%s:\n got  %x %x\n want %s %s", c.name, start, finish, c.start, c.finish)
		}
	}
	// A named composite column is packed plainly (end-of-component 00).
	p, err := cf.predicate(s, &readOpts{names: []any{codec.Tuple{1, "a"}}, named: true}, DefaultColumnCount)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(p.ColumnNames[0]); got != "000800000000000000010000016100" {
		t.Errorf("named composite: %s", got)
	}
}

func TestCFPredicateCounts(t *testing.T) {
	cf, s := cfTestSchema(t, "UTF8Type")
	for _, c := range []struct {
		o    readOpts
		def  int
		want int32
	}{
		{readOpts{}, DefaultColumnCount, 100},
		{readOpts{count: 0, countSet: true}, DefaultColumnCount, 0},
		{readOpts{count: 7, countSet: true}, DefaultColumnCount, 7},
		{readOpts{count: Unlimited, countSet: true}, DefaultColumnCount, maxCount},
		{readOpts{}, maxCount, maxCount},
	} {
		p, err := cf.predicate(s, &c.o, c.def)
		if err != nil {
			t.Fatal(err)
		}
		if p.SliceRange.Count != c.want {
			t.Errorf("%+v: count %d, want %d", c.o, p.SliceRange.Count, c.want)
		}
	}
}

// FuzzPageSize checks the paging rule: the first page never asks for more
// than the limit, and every later page asks for at least two (so it always
// brings a new item past the repeated one) and at most one more than what
// is left.
func FuzzPageSize(f *testing.F) {
	f.Add(true, 100, 0, 10)
	f.Add(false, 100, 99, 1)
	f.Add(false, -1, 5, 1)
	f.Fuzz(func(t *testing.T, first bool, limit, done, buf int) {
		if buf <= 0 || buf > 1<<20 || limit > 1<<20 || done < 0 || (limit >= 0 && done >= limit) || (first && done != 0) {
			return
		}
		if limit < -1 {
			limit = -1
		}
		n := pageSize(first, limit, done, buf)
		switch {
		case first && limit >= 0 && n != min(limit, buf):
			t.Fatalf("first page %d (limit %d, buffer %d)", n, limit, buf)
		case first && limit < 0 && n != buf:
			t.Fatalf("first unlimited page %d", n)
		case !first && n < 2:
			t.Fatalf("later page %d cannot make progress", n)
		case !first && limit >= 0 && n > limit-done+1:
			t.Fatalf("later page %d asks for more than the %d left", n, limit-done)
		}
	})
}

// BenchmarkCFCodecWork measures the client-side work a ColumnFamily adds
// to Insert and Get of one 10-column row (building the mutations, unpacking
// the slice), without the network.
func BenchmarkCFCodecWork(b *testing.B) {
	def := thriftgen.NewCfDef()
	def.Name, def.ComparatorType = "cf", "UTF8Type"
	utf8 := "UTF8Type"
	def.KeyValidationClass, def.DefaultValidationClass = &utf8, &utf8
	def.ColumnMetadata = []*thriftgen.ColumnDef{{Name: []byte("age"), ValidationClass: "LongType"}}
	cf := &ColumnFamily{name: "cf"}
	s, err := buildSchema(def, &cf.cfg)
	if err != nil {
		b.Fatal(err)
	}
	cols := Cols{"age": int64(24)}
	var result []*thriftgen.ColumnOrSuperColumn
	ts := int64(1)
	for i := 1; i < 10; i++ {
		cols[fmt.Sprintf("col%d", i)] = fmt.Sprintf("value %d", i)
	}
	for name := range cols {
		v, _ := s.packValue("cf", []byte(name.(string)), cols[name])
		result = append(result, &thriftgen.ColumnOrSuperColumn{Column: &thriftgen.Column{Name: []byte(name.(string)), Value: v, Timestamp: &ts}})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.packRowKey("cf", "thobbs"); err != nil {
			b.Fatal(err)
		}
		if _, err := s.insertMutations("cf", cols, 1, 0); err != nil {
			b.Fatal(err)
		}
		var row Row
		if err := s.unpackInto("cf", result, &row); err != nil {
			b.Fatal(err)
		}
	}
}
