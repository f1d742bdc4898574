package migrate

import (
	"bytes"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/partitioner"
)

func TestRemainingTTL(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	micros := func(d time.Duration) int64 { return now.Add(d).UnixMicro() }
	for _, tc := range []struct {
		name string
		ts   int64
		ttl  int32
		want int32
		ok   bool
	}{
		{"no TTL", micros(-time.Hour), 0, 0, true},
		{"written now", micros(0), 600, 600, true},
		{"ten minutes of an hour gone", micros(-10 * time.Minute), 3600, 3000, true},
		{"rounded up", micros(-10*time.Minute - 500*time.Millisecond), 3600, 3000, true},
		{"expired", micros(-2 * time.Hour), 3600, 0, false},
		{"just expired", micros(-time.Hour), 3600, 0, false},
		{"a clock a little ahead", micros(30 * time.Second), 60, 60, true},
		{"not a microsecond clock", 42, 60, 60, true},
		{"far future", micros(48 * time.Hour), 60, 60, true},
	} {
		got, ok := remainingTTL(tc.ts, tc.ttl, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %d %v, want %d %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSplitRing(t *testing.T) {
	for _, tc := range []struct {
		p     partitioner.Partitioner
		parts int
		want  int
		full  bool
	}{
		{partitioner.Murmur3Partitioner{}, 64, 64, false},
		{partitioner.Murmur3Partitioner{}, 1, 1, false},
		{partitioner.RandomPartitioner{}, 16, 16, false},
		{partitioner.ByteOrderedPartitioner{}, 16, 1, true},
		{partitioner.OrderPreservingPartitioner{}, 16, 1, true},
	} {
		rs, err := splitRing(tc.p, tc.parts)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != tc.want || rs[0].full != tc.full {
			t.Errorf("%s / %d: %v", partitioner.ShortName(tc.p), tc.parts, rs)
			continue
		}
		if tc.full {
			if rs[0].cqlWhere("token(k)") != "" {
				t.Errorf("whole ring restricted: %q", rs[0].cqlWhere("token(k)"))
			}
			continue
		}
		min := tc.p.MinToken().String()
		if rs[0].start != min || rs[len(rs)-1].end != min || !rs[len(rs)-1].toEnd {
			t.Errorf("%s: ring not covered: %v", partitioner.ShortName(tc.p), rs)
		}
		for i := 1; i < len(rs); i++ {
			if rs[i].start != rs[i-1].end || rs[i-1].toEnd {
				t.Errorf("%s: gap between %v and %v", partitioner.ShortName(tc.p), rs[i-1], rs[i])
			}
		}
		if w := rs[len(rs)-1].cqlWhere("token(k)"); w != " WHERE token(k) > "+rs[len(rs)-1].start {
			t.Errorf("last range: %q", w)
		}
	}
}

func TestSplitComposite(t *testing.T) {
	name := []byte{0, 1, 'a', 0, 0, 2, 'b', 'c', 0}
	parts, static, err := splitComposite(name, 2)
	if err != nil || static || len(parts) != 2 || string(parts[0]) != "a" || string(parts[1]) != "bc" {
		t.Fatalf("%q %v %v", parts, static, err)
	}
	parts, static, err = splitComposite(append([]byte{0xff, 0xff, 0, 0, 0}, 0, 1, 'x', 0), 2)
	if err != nil || !static || len(parts) != 2 || len(parts[0]) != 0 || string(parts[1]) != "x" {
		t.Fatalf("static: %q %v %v", parts, static, err)
	}
	for _, bad := range [][]byte{{0}, {0, 5, 'a', 0}, name[:len(name)-1]} {
		if _, _, err := splitComposite(bad, 2); err == nil {
			t.Errorf("%x: no error", bad)
		}
	}
	if _, _, err := splitComposite(name, 1); err == nil {
		t.Error("too many components: no error")
	}
}

func TestSplitTuple(t *testing.T) {
	b := []byte{0, 0, 0, 1, 7, 0xff, 0xff, 0xff, 0xff}
	parts, err := splitTuple(b, 3)
	if err != nil || len(parts) != 3 {
		t.Fatal(parts, err)
	}
	if p := parts[0].(*cql.RawValue); !bytes.Equal(p.Bytes, []byte{7}) {
		t.Errorf("component 0: %+v", p)
	}
	if parts[1].(*cql.RawValue).Bytes != nil || parts[2].(*cql.RawValue).Bytes != nil {
		t.Errorf("null components: %+v", parts)
	}
	for _, bad := range [][]byte{{0, 0}, {0, 0, 0, 9, 1}} {
		if _, err := splitTuple(bad, 2); err == nil {
			t.Errorf("%x: no error", bad)
		}
	}
}

// FuzzMoveCells: no Thrift name, key or tuple value makes the move's
// decoders panic.
func FuzzMoveCells(f *testing.F) {
	f.Add([]byte{0, 1, 'a', 0, 0, 2, 'b', 'c', 0}, 2)
	f.Add([]byte{0xff, 0xff, 0, 0, 0, 0, 1, 'x', 0}, 2)
	f.Add([]byte{0, 0, 0, 1, 7, 0xff, 0xff, 0xff, 0xff}, 3)
	f.Fuzz(func(t *testing.T, b []byte, n int) {
		n = n%8 + 1
		if n < 1 {
			n = -n + 1
		}
		_, _, _ = splitComposite(b, n)
		_, _ = splitTuple(b, n)
		m := &moveMap{pk: make([]string, n), keyParts: n > 1, superParts: 1, superComp: true, nameParts: n, nameComp: true}
		_, _ = m.splitKey(b)
		_, _, _ = m.path(b, b)
	})
}
