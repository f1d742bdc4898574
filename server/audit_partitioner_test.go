package server_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Audit: row order under OrderPreservingPartitioner (§4.1: UTF-16 code
// unit order, invalid UTF-8 keys use their hex string), and ghosts made
// by expiry and in paged slices (§4.4, §4.5).

func TestAuditOrderPreservingRowOrder(t *testing.T) {
	c := dtestClient(t, server.Config{Partitioner: "OrderPreservingPartitioner"})
	keys := []string{
		"a",
		"g",
		"\xff",             // invalid UTF-8: token "ff"
		"\xef\xbf\xbd",     // U+FFFD, UTF-16 0xFFFD
		"\xf0\x9f\x98\x80", // U+1F600, UTF-16 0xD83D 0xDE00: before U+FFFD
		"fe",
	}
	for _, k := range keys {
		c.insert(t, k, parent("Standard1"), col("c", "v", 1))
	}
	got := rangeKeys(t, c, "Standard1", keyRange("", "", 100))
	// "a" < "fe" < "ff"(= token of \xff; equal tokens order by raw key
	// bytes, so "fe" first... "ff" is the hex of \xff) < "g" < U+1F600 < U+FFFD.
	want := []string{"a", "fe", "\xff", "g", "\xf0\x9f\x98\x80", "\xef\xbf\xbd"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("OPP order %q, want %q", got, want)
	}
	// Token strings are the keys themselves (or their hex).
	tm, err := c.DescribePartitioner(ctx)
	must(t, err)
	if tm != "org.apache.cassandra.dht.OrderPreservingPartitioner" {
		t.Fatalf("partitioner %s", tm)
	}
	if got := rangeKeys(t, c, "Standard1", tokenRange("fe", "g", 100)); strings.Join(got, "|") != "\xff|g" {
		t.Fatalf("(fe, g]: %q", got)
	}
	_, err = c.GetRangeSlices(ctx, parent("Standard1"), names("c"), keyRange("g", "a", 10), ONE)
	mustIRE(t, err, "start key must sort before (or equal to) finish key in your partitioner!")
}

func TestAuditGhostsFromExpiryAndPaging(t *testing.T) {
	clk := cassatest.NewClock(clockStart)
	c := dtestClient(t, server.Config{Clock: clk.Now})
	p := parent("Standard1")
	c.insert(t, "a", p, col("c1", "v", 1), col("c2", "v", 1))
	c.insert(t, "b", p, ttlCol("c1", "v", 1, 1))
	c.insert(t, "c", p, col("c1", "v", 1))
	must(t, c.Remove(ctx, []byte("d"), path("Standard1", nil, nil), 1, ONE))
	c.insert(t, "e", p, col("c1", "v", 1))
	clk.Advance(2 * time.Second)
	// A row whose only cell expired is a ghost, like a deleted row.
	rows, err := c.GetRangeSlices(ctx, p, columnRange("", "", false, 100), keyRange("", "", 100), ONE)
	must(t, err)
	var parts []string
	for _, r := range rows {
		parts = append(parts, fmt.Sprintf("%s:%d", r.Key, len(r.Columns)))
	}
	if got := strings.Join(parts, " "); got != "a:2 b:0 c:1 d:0 e:1" {
		t.Fatalf("ghosts: %s", got)
	}
	// get_range_slices count includes the ghosts.
	rows, err = c.GetRangeSlices(ctx, p, columnRange("", "", false, 100), keyRange("b", "", 3), ONE)
	must(t, err)
	if strings.Join(rowKeys(rows), ",") != "b,c,d" {
		t.Fatalf("count with ghosts: %v", rowKeys(rows))
	}
	// get_paged_slice: ghosts come back empty and add no columns.
	rows, err = c.GetPagedSlice(ctx, "Standard1", keyRange("", "", 4), nil, ONE)
	must(t, err)
	parts = nil
	for _, r := range rows {
		parts = append(parts, fmt.Sprintf("%s:%d", r.Key, len(r.Columns)))
	}
	if got := strings.Join(parts, " "); got != "a:2 b:0 c:1 d:0 e:1" {
		t.Errorf("paged with ghosts: %s", got)
	}
	// multiget_slice and get_count see nothing in the expired row.
	n, err := c.GetCount(ctx, []byte("b"), p, columnRange("", "", false, 100), ONE)
	must(t, err)
	if n != 0 {
		t.Fatalf("count of expired row %d", n)
	}
	// get_indexed_slices never returns ghosts.
	c.insert(t, "i1", parent("Indexed1"), bcol([]byte("birthdate"), string(longBytes(1)), 1))
	must(t, c.Remove(ctx, []byte("i2"), path("Indexed1", nil, nil), 1, ONE))
	if got := indexedKeys(t, c, "Indexed1", indexClause("", 10, eqExpr("birthdate", longBytes(1)))); strings.Join(got, ",") != "i1" {
		t.Fatalf("indexed with a ghost around: %v", got)
	}
	// A super column parent on a row without that super column: ghost.
	c.insert(t, "s1", superParent("Super1", []byte("sc1")), bcol(longBytes(1), "v", 1))
	c.insert(t, "s2", superParent("Super1", []byte("sc2")), bcol(longBytes(1), "v", 1))
	rows, err = c.GetRangeSlices(ctx, superParent("Super1", []byte("sc1")), columnRange("", "", false, 10), keyRange("", "", 10), ONE)
	must(t, err)
	if len(rows) != 2 || string(rows[1].Key) != "s2" || len(rows[1].Columns) != 0 || len(rows[0].Columns) != 1 {
		t.Fatalf("super parent ghost: %v", rows)
	}
	// get_count with column_names counts like get_slice (duplicates collapse).
	n, err = c.GetCount(ctx, []byte("a"), p, names("c1", "c1", "zz"), ONE)
	must(t, err)
	if n != 1 {
		t.Fatalf("get_count by names %d", n)
	}
	var ire *tg.InvalidRequestException
	_, err = c.GetCount(ctx, []byte("a"), p, names(""), ONE)
	if !errors.As(err, &ire) {
		t.Fatalf("get_count with an empty name: %v", err)
	}
}
