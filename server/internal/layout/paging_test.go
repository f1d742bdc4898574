package layout

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/store"
)

func TestUvint(t *testing.T) {
	cases := []struct {
		v   uint64
		hex string
	}{
		{0, "00"}, {1, "01"}, {127, "7f"}, {128, "8080"}, {16383, "bfff"}, {16384, "c04000"},
		{math.MaxInt32, "f07fffffff"}, {math.MaxUint64, "ffffffffffffffffff"},
	}
	for _, c := range cases {
		got := hex.EncodeToString(appendUvint(nil, c.v))
		if got != c.hex {
			t.Errorf("%d: %s, want %s", c.v, got, c.hex)
		}
		d := vintReader{b: appendUvint(nil, c.v)}
		if back := d.uvint(); back != c.v || d.err != nil || len(d.b) != 0 {
			t.Errorf("%d: read back %d %v", c.v, back, d.err)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 10000; i++ {
		v := r.Uint64() >> r.UintN(64)
		d := vintReader{b: appendUvint(nil, v)}
		if back := d.uvint(); back != v || len(d.b) != 0 {
			t.Fatalf("%d: %d", v, back)
		}
	}
}

func TestPagingStateEncoding(t *testing.T) {
	l := mustLayout(t, Spec{Compound: true, Columns: []ColumnSpec{
		{Name: "k", Kind: PartitionKey, Type: codec.UTF8},
		{Name: "a", Kind: Clustering, Type: codec.Int32},
		{Name: "b", Kind: Clustering, Type: codec.UTF8},
		{Name: "v", Kind: Regular, Type: codec.Int32}}})
	mark := l.EncodeRowMark([][]byte{i32(1), {}})
	if got := hex.EncodeToString(mark); got != "040400000001" {
		t.Errorf("row mark %s", got)
	}
	st := &PagingState{PartitionKey: txt("k"), RowMark: mark, Remaining: 10, RemainingInPartition: math.MaxInt32}
	enc := st.Encode()
	if got := hex.EncodeToString(enc); got != "016b"+"06040400000001"+"0a"+"f07fffffff" {
		t.Errorf("state %s", got)
	}
	back, err := DecodePagingState(enc)
	if err != nil || !bytes.Equal(back.PartitionKey, st.PartitionKey) || !bytes.Equal(back.RowMark, mark) ||
		back.Remaining != 10 || back.RemainingInPartition != math.MaxInt32 {
		t.Fatalf("decode %+v %v", back, err)
	}
	ck, err := l.DecodeRowMark(back.RowMark)
	if err != nil || !bytes.Equal(ck[0], i32(1)) || ck[1] == nil || len(ck[1]) != 0 {
		t.Errorf("row mark back %q %v", ck, err)
	}
	null := l.EncodeRowMark([][]byte{i32(1), nil})
	if ck, err := l.DecodeRowMark(null); err != nil || ck[1] != nil {
		t.Errorf("null value %q %v", ck, err)
	}
	for _, bad := range []string{
		"", "00", "0000", "000000", "0000000000", // too short / trailing
		"05 6b",               // key longer than the state
		"00 00 f0ffffffff 00", // remaining beyond an int
		"016b 00 01 01 00",    // trailing byte
	} {
		b, _ := hex.DecodeString(strings.ReplaceAll(bad, " ", ""))
		if _, err := DecodePagingState(b); !errors.Is(err, ErrBadPagingState) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	for _, bad := range []string{
		"", "0c", "03", "00 04 000001", "00 0400000001 00", "10", "00 03000001 0161", "00 0400000001 04 616161",
	} {
		b, _ := hex.DecodeString(strings.ReplaceAll(bad, " ", ""))
		if _, err := l.DecodeRowMark(b); !errors.Is(err, ErrBadPagingState) {
			t.Errorf("row mark %q: %v", bad, err)
		}
	}
}

// pagingFixture is a random table with random partitions.
type pagingFixture struct {
	e    *env
	keys [][]byte
	cs   ckSchema
}

func newPagingFixture(t *testing.T, r *rand.Rand) *pagingFixture {
	cs := randomSchema(r)
	e := newEnv(t, cs.l)
	f := &pagingFixture{e: e, cs: cs}
	nParts := 1 + r.IntN(6)
	for p := 0; p < nParts; p++ {
		key := i32(int32(p))
		f.keys = append(f.keys, key)
		e.update(key, 0, 0, func(u *Update) error {
			if s := cs.l.Column("s"); s != nil && r.IntN(3) > 0 {
				if err := u.Set(nil, s, i32(int32(100+p))); err != nil {
					return err
				}
			}
			for i := r.IntN(12); i > 0; i-- {
				ck := make([][]byte, cs.n)
				for j := range ck {
					ck[j] = i32(r.Int32N(4))
				}
				if r.IntN(2) == 0 {
					if err := u.Insert(ck); err != nil {
						return err
					}
				}
				if err := u.Set(ck, cs.l.Column("v"), i32(r.Int32N(1000))); err != nil {
					return err
				}
			}
			return nil
		})
	}
	// One key that has no partition.
	f.keys = append(f.keys, i32(999))
	return f
}

func (f *pagingFixture) render(r *Row) string {
	return hex.EncodeToString(r.Key) + "/" + f.e.render(r)
}

// readAll reads q in pages of pageSize, sending each page's state back
// encoded, and returns the rows and the page lengths.
func (f *pagingFixture) readAll(t *testing.T, q Query, pageSize int) ([]string, []int) {
	t.Helper()
	var rows []string
	var pages []int
	q.PageSize = pageSize
	for n := 0; ; n++ {
		if n > 1000 {
			t.Fatal("paging does not end")
		}
		var page []string
		res, err := f.e.l.Read(f.e.st, f.e.tbl, q, func(r *Row) (bool, error) {
			page = append(page, f.render(r))
			return true, nil
		})
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		rows = append(rows, page...)
		pages = append(pages, len(page))
		if res.Rows != len(page) {
			t.Fatalf("Rows %d for %d rows", res.Rows, len(page))
		}
		if res.State == nil {
			return rows, pages
		}
		st, err := DecodePagingState(res.State.Encode())
		if err != nil {
			t.Fatalf("state does not decode: %v", err)
		}
		q.State = st
	}
}

func randomQuery(r *rand.Rand, f *pagingFixture) Query {
	var q Query
	if r.IntN(2) == 0 {
		q.Keys = append([][]byte(nil), f.keys...)
		r.Shuffle(len(q.Keys), func(i, j int) { q.Keys[i], q.Keys[j] = q.Keys[j], q.Keys[i] })
		q.Keys = q.Keys[:1+r.IntN(len(q.Keys))]
		q.Reversed = r.IntN(2) == 0
	}
	if r.IntN(3) == 0 {
		q.Selection = randomSelection(r, f.cs.n, 5)
	} else {
		q.StaticRows = r.IntN(4) > 0
	}
	if r.IntN(2) == 0 {
		q.Limit = 1 + r.IntN(20)
	}
	if r.IntN(3) == 0 {
		q.PerPartitionLimit = 1 + r.IntN(4)
	}
	return q
}

// TestPagingJoinsToFullRead: on random tables, random queries (key lists
// and ranges, selections, reversed, LIMIT, PER PARTITION LIMIT, static rows)
// read in random page sizes, resuming from the encoded state each time,
// give exactly the rows of one unpaged read; every page is full but the
// last, and a query whose LIMIT fits a page is answered unpaged.
func TestPagingJoinsToFullRead(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for iter := 0; iter < 120; iter++ {
		f := newPagingFixture(t, r)
		for j := 0; j < 15; j++ {
			q := randomQuery(r, f)
			full, _ := f.readAll(t, q, 0)
			pageSize := 1 + r.IntN(7)
			got, pages := f.readAll(t, q, pageSize)
			if strings.Join(got, " ") != strings.Join(full, " ") {
				t.Fatalf("shape %v query %+v page %d\n got %v\nfull %v", f.cs.shape, q, pageSize, got, full)
			}
			paged := q.Limit == 0 || q.Limit > pageSize
			for i, n := range pages {
				last := i == len(pages)-1
				if n > pageSize && paged || (!last && n != pageSize) {
					t.Fatalf("page sizes %v for page size %d", pages, pageSize)
				}
			}
			if !paged && len(pages) != 1 {
				t.Fatalf("LIMIT %d within page %d should be unpaged: %v", q.Limit, pageSize, pages)
			}
		}
	}
}

// TestPagingWithDeletes: rows deleted between pages are not returned
// later, the others still are, in order and without repeats.
func TestPagingWithDeletes(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for iter := 0; iter < 80; iter++ {
		f := newPagingFixture(t, r)
		q := randomQuery(r, f)
		q.Limit, q.PerPartitionLimit = 0, 0
		var all []string
		var rows []struct {
			key []byte
			ck  [][]byte
		}
		_, _ = f.e.l.Read(f.e.st, f.e.tbl, q, func(row *Row) (bool, error) {
			all = append(all, f.render(row))
			var ck [][]byte
			if !row.Static {
				ck = append(ck, row.Clustering...)
			}
			rows = append(rows, struct {
				key []byte
				ck  [][]byte
			}{row.Key, ck})
			return true, nil
		})
		if len(all) < 2 {
			continue
		}
		pageSize := 1 + r.IntN(len(all)-1)
		q.PageSize = pageSize
		var first []string
		res, _ := f.e.l.Read(f.e.st, f.e.tbl, q, func(row *Row) (bool, error) {
			first = append(first, f.render(row))
			return true, nil
		})
		if res.State == nil {
			t.Fatalf("no state after a full page")
		}
		// Delete some rows, before and after the page boundary.
		deleted := map[string]bool{}
		for i, row := range rows {
			if row.ck == nil || r.IntN(3) != 0 {
				continue
			}
			deleted[all[i]] = true
			f.e.update(row.key, 0, 0, func(u *Update) error { return u.DeleteRow(row.ck) })
		}
		want := append([]string(nil), first...)
		for _, s := range all[pageSize:] {
			if !deleted[s] {
				want = append(want, s)
			}
		}
		st, _ := DecodePagingState(res.State.Encode())
		q.State = st
		got := append([]string(nil), first...)
		for q.State != nil {
			res, err := f.e.l.Read(f.e.st, f.e.tbl, q, func(row *Row) (bool, error) {
				got = append(got, f.render(row))
				return true, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			q.State = res.State
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("query %+v page %d\n got %v\nwant %v", q, pageSize, got, want)
		}
	}
}

// TestPagingFilteredRows: rows the executor rejects do not count.
func TestPagingFilteredRows(t *testing.T) {
	l := cql3Table(t)
	e := newEnv(t, l)
	k := i32(1)
	e.update(k, 0, 0, func(u *Update) error {
		for i := 0; i < 10; i++ {
			if err := u.Set([][]byte{txt(fmt.Sprint(i))}, l.Column("v"), i32(int32(i))); err != nil {
				return err
			}
		}
		return nil
	})
	q := Query{Keys: [][]byte{k}, PageSize: 2}
	var got []string
	for {
		res, err := l.Read(e.st, e.tbl, q, func(r *Row) (bool, error) {
			v, _ := codec.DecodeInt32(r.Values[l.Column("v").Index].Bytes)
			if v%3 != 0 {
				return false, nil
			}
			got = append(got, fmt.Sprint(v))
			return true, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.State == nil {
			break
		}
		q.State = res.State
	}
	if strings.Join(got, ",") != "0,3,6,9" {
		t.Errorf("got %v", got)
	}
	// A state naming another partition: a query of one partition resumes
	// by the row mark in its own (SinglePartitionPager), a query of several
	// reads nothing when the state's partition is not one of its keys
	// (MultiPartitionPager).
	mark := l.EncodeRowMark([][]byte{txt("5")})
	q.State = &PagingState{PartitionKey: i32(2), RowMark: mark, Remaining: 5, RemainingInPartition: 5}
	got = got[:0]
	res, err := l.Read(e.st, e.tbl, q, func(r *Row) (bool, error) {
		got = append(got, string(r.Clustering[0]))
		return true, nil
	})
	if err != nil || strings.Join(got, ",") != "6,7" || res.State == nil || res.State.PartitionKey != nil {
		t.Errorf("single partition, foreign key: %v %v %+v", got, err, res.State)
	}
	q.Keys = [][]byte{k, i32(3)}
	res, err = l.Read(e.st, e.tbl, q, func(*Row) (bool, error) { return true, nil })
	if err != nil || res.Rows != 0 || res.State != nil {
		t.Errorf("IN, foreign key: %d rows, %v, %+v", res.Rows, err, res.State)
	}
	q.State.PartitionKey = nil
	res, err = l.Read(e.st, e.tbl, q, func(*Row) (bool, error) { return true, nil })
	if err != nil || res.Rows != 0 || res.State != nil {
		t.Errorf("IN, no key: %d rows, %v, %+v", res.Rows, err, res.State)
	}
	if _, err := l.Read(e.st, e.tbl, Query{PageSize: 2, State: q.State}, func(*Row) (bool, error) { return true, nil }); !errors.Is(err, ErrBadPagingState) {
		t.Errorf("range, no key: %v", err)
	}
	// An error from emit stops the read.
	boom := errors.New("boom")
	if _, err := l.Read(e.st, e.tbl, Query{Keys: [][]byte{k}}, func(*Row) (bool, error) { return false, boom }); !errors.Is(err, boom) {
		t.Errorf("emit error: %v", err)
	}
}

// TestRangeReads: a token range in ring order.
func TestRangeReads(t *testing.T) {
	l := cql3Table(t)
	e := newEnv(t, l)
	for i := int32(0); i < 20; i++ {
		e.update(i32(i), 0, 0, func(u *Update) error { return u.Insert([][]byte{txt("a")}) })
	}
	var keys [][]byte
	_, _ = l.Read(e.st, e.tbl, Query{}, func(r *Row) (bool, error) { keys = append(keys, r.Key); return true, nil })
	if len(keys) != 20 {
		t.Fatalf("%d partitions", len(keys))
	}
	p := e.st.Partitioner()
	for i := 1; i < len(keys); i++ {
		if p.CompareKeys(keys[i-1], keys[i]) >= 0 {
			t.Fatalf("not in ring order")
		}
	}
	// (token(keys[4]), token(keys[9])]
	q := Query{Range: store.PartitionRange{Start: &store.Position{Token: p.Token(keys[4])}, StartExclusive: true,
		End: &store.Position{Token: p.Token(keys[9])}}}
	var got [][]byte
	_, _ = l.Read(e.st, e.tbl, q, func(r *Row) (bool, error) { got = append(got, r.Key); return true, nil })
	if len(got) != 5 || !bytes.Equal(got[0], keys[5]) || !bytes.Equal(got[4], keys[9]) {
		t.Errorf("token range: %x", got)
	}
}
