package server_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// durableConfig is a batch-sync server on dir with a fixed clock, so that
// TTL and tombstone times compare equal across restarts.
func durableConfig(dir string, clock *cassatest.Clock) server.Config {
	return server.Config{
		Addr:              "127.0.0.1:0",
		Partitioner:       "ByteOrderedPartitioner",
		DataDir:           dir,
		CommitLogSync:     "batch",
		SnapshotThreshold: -1, // snapshots only when a test asks
		Clock:             clock.Now,
	}
}

// writeCellsDeletionsCounters and writeCasTruncateSchema write every kind
// of change the write path knows: puts with and without TTL, column, row,
// range and super-column deletions, counters (standard and super), CAS,
// indexed columns, truncate, and a column family dropped and created
// again.
func writeCellsDeletionsCounters(t *testing.T, c *client) {
	t.Helper()
	for _, ks := range dtestSchema() {
		_, err := c.SystemAddKeyspace(ctx, ks)
		must(t, err)
	}
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	for i := 0; i < 10; i++ {
		key := fmt.Sprintf("k%d", i)
		c.insert(t, key, parent("Standard1"), col("c0", "a", 1), col("c1", "b", 1), col("c2", "c", 1), col("c3", "d", 1))
	}
	c.insert(t, "k1", parent("Standard1"), ttlCol("t", "ttl", 2, 100))
	must(t, c.Remove(ctx, []byte("k2"), colPath("Standard1", "c1"), 5, ONE))
	must(t, c.Remove(ctx, []byte("k3"), &tg.ColumnPath{ColumnFamily: "Standard1"}, 5, ONE))
	must(t, c.BatchMutate(ctx, mutationMap{
		"k4": {"Standard1": {mutDel(i64p(5), nil, columnRange("c1", "c2", false, 100))}},
		"s1": {"Super1": {mutSuper([]byte("sc1"), bcol(longBytes(1), "x", 1), bcol(longBytes(2), "y", 1)),
			mutSuper([]byte("sc2"), bcol(longBytes(1), "z", 1))}},
		"s2": {"Super1": {mutSuper([]byte("sc1"), bcol(longBytes(7), "w", 1))}},
	}, ONE))
	must(t, c.BatchMutate(ctx, mutationMap{
		"s1": {"Super1": {mutDel(i64p(5), []byte("sc2"), nil), mutDel(i64p(5), []byte("sc1"), byteNames(longBytes(2)))}},
		"s2": {"Super1": {mutDel(i64p(5), nil, columnRange("", "", false, 100))}},
	}, ONE))
	for i := 0; i < 3; i++ {
		must(t, c.Add(ctx, []byte("c1"), parent("Counter1"), &tg.CounterColumn{Name: []byte("n"), Value: 5}, ONE))
		must(t, c.Add(ctx, []byte("c1"), parent("Counter1"), &tg.CounterColumn{Name: []byte("m"), Value: -2}, ONE))
		must(t, c.Add(ctx, []byte("c2"), superParent("SuperCounter1", []byte("sc")), &tg.CounterColumn{Name: []byte("n"), Value: 1}, ONE))
	}
	must(t, c.RemoveCounter(ctx, []byte("c1"), colPath("Counter1", "m"), ONE))
	must(t, c.BatchMutate(ctx, mutationMap{
		"i1": {"Indexed1": {mutCol(bcol([]byte("birthdate"), string(longBytes(1)), 1))}},
		"i2": {"Indexed1": {mutCol(bcol([]byte("birthdate"), string(longBytes(2)), 1))}},
		"i3": {"Indexed1": {mutCol(bcol([]byte("birthdate"), string(longBytes(1)), 1))}},
	}, ONE))
}

func writeCasTruncateSchema(t *testing.T, c *client) {
	t.Helper()
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	r, err := c.Cas(ctx, []byte("cas"), "Standard2", nil, []*tg.Column{col("a", "1", 0)}, tg.ConsistencyLevel_SERIAL, ONE)
	must(t, err)
	if !r.Success {
		t.Fatal("cas on an empty row failed")
	}
	r, err = c.Cas(ctx, []byte("cas"), "Standard2", []*tg.Column{col("a", "1", 0)}, []*tg.Column{col("a", "2", 0), col("b", "3", 0)}, tg.ConsistencyLevel_SERIAL, ONE)
	must(t, err)
	if !r.Success {
		t.Fatal("cas with the right value failed")
	}
	c.insert(t, "tr", parent("Standard3"), col("c1", "gone", 1))
	must(t, c.Truncate(ctx, "Standard3"))
	c.insert(t, "tr", parent("Standard3"), col("c2", "kept", 0))
	c.insert(t, "old", parent("Standard4"), col("c1", "gone", 1))
	_, err = c.SystemDropColumnFamily(ctx, "Standard4")
	must(t, err)
	d := tg.NewCfDef()
	d.Keyspace, d.Name = "Keyspace1", "Standard4"
	_, err = c.SystemAddColumnFamily(ctx, d)
	must(t, err)
	c.insert(t, "new", parent("Standard4"), col("x", "kept", 1))
	c.insert(t, "e", parent("Expiring"), col("c", "v", 1))
	must(t, c.Add(ctx, []byte("c1"), parent("Counter1"), &tg.CounterColumn{Name: []byte("n"), Value: 100}, ONE))
	must(t, c.Add(ctx, []byte("c1"), parent("Counter1"), &tg.CounterColumn{Name: []byte("m"), Value: 1}, ONE))
	// A refused schema change is logged and must replay as refused.
	_, err = c.SystemAddKeyspace(ctx, dtestSchema()[1])
	if err == nil {
		t.Fatal("adding Keyspace2 twice succeeded")
	}
}

// dumpAll renders every user keyspace's schema and every row (range
// ghosts included) of every column family, in ring order.
func dumpAll(t *testing.T, c *client) string {
	t.Helper()
	kss, err := c.DescribeKeyspaces(ctx)
	must(t, err)
	sort.Slice(kss, func(i, j int) bool { return kss[i].Name < kss[j].Name })
	var b strings.Builder
	for _, ks := range kss {
		if strings.HasPrefix(ks.Name, "system") {
			continue
		}
		must(t, c.SetKeyspace(ctx, ks.Name))
		sort.Slice(ks.CfDefs, func(i, j int) bool { return ks.CfDefs[i].Name < ks.CfDefs[j].Name })
		for _, cf := range ks.CfDefs {
			fmt.Fprintf(&b, "%s.%s %s %s %d\n", ks.Name, cf.Name, cf.ColumnType, cf.ComparatorType, len(cf.ColumnMetadata))
			rows, err := c.GetRangeSlices(ctx, parent(cf.Name), columnRange("", "", false, 10000), keyRange("", "", 10000), ONE)
			must(t, err)
			for _, r := range rows {
				fmt.Fprintf(&b, "  %q:", r.Key)
				for _, it := range r.Columns {
					b.WriteString(" " + formatCOSC(it))
				}
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

func formatCOSC(it *tg.ColumnOrSuperColumn) string {
	colStr := func(c *tg.Column) string {
		return fmt.Sprintf("%x=%q@%d/%d", c.Name, c.Value, c.GetTimestamp(), c.GetTTL())
	}
	switch {
	case it.Column != nil:
		return colStr(it.Column)
	case it.SuperColumn != nil:
		var parts []string
		for _, c := range it.SuperColumn.Columns {
			parts = append(parts, colStr(c))
		}
		return fmt.Sprintf("%x{%s}", it.SuperColumn.Name, strings.Join(parts, " "))
	case it.CounterColumn != nil:
		return fmt.Sprintf("%x#%d", it.CounterColumn.Name, it.CounterColumn.Value)
	case it.CounterSuperColumn != nil:
		var parts []string
		for _, c := range it.CounterSuperColumn.Columns {
			parts = append(parts, fmt.Sprintf("%x#%d", c.Name, c.Value))
		}
		return fmt.Sprintf("%x{%s}", it.CounterSuperColumn.Name, strings.Join(parts, " "))
	}
	return "?"
}

// copyDir copies the regular files of src to a new directory: the state a
// crash at this instant would leave (batch sync: every acknowledged record
// is on disk).
func copyDir(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	ents, err := os.ReadDir(src)
	must(t, err)
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		must(t, err)
		must(t, os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644))
	}
	return dst
}

func restartAndDump(t *testing.T, dir string, clock *cassatest.Clock) string {
	t.Helper()
	c, _ := startAndDial(t, durableConfig(dir, clock))
	d := dumpAll(t, c)
	probeTombstones(t, c)
	return d
}

// probeTombstones writes under the tombstones of writeCellsDeletionsCounters
// (timestamp 3, below their 5) and expects the writes to stay hidden: the
// tombstones themselves survived, not only the cells they had removed.
func probeTombstones(t *testing.T, c *client) {
	t.Helper()
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	c.insert(t, "k2", parent("Standard1"), col("c1", "late", 3))
	c.insert(t, "k3", parent("Standard1"), col("c9", "late", 3))
	c.insert(t, "k4", parent("Standard1"), col("c2", "late", 3))
	c.insert(t, "s1", superParent("Super1", []byte("sc2")), bcol(longBytes(9), "late", 3))
	c.insert(t, "s2", superParent("Super1", []byte("sc1")), bcol(longBytes(9), "late", 3))
	for _, p := range []struct{ key, cf, sc, col string }{
		{"k2", "Standard1", "", "c1"}, {"k3", "Standard1", "", "c9"}, {"k4", "Standard1", "", "c2"},
		{"s1", "Super1", "sc2", string(longBytes(9))}, {"s2", "Super1", "sc1", string(longBytes(9))},
	} {
		cp := &tg.ColumnPath{ColumnFamily: p.cf, Column: []byte(p.col)}
		if p.sc != "" {
			cp.SuperColumn = []byte(p.sc)
		}
		_, err := c.Get(ctx, []byte(p.key), cp, ONE)
		mustNFE(t, err)
	}
}

func TestDurableReplayIsExact(t *testing.T) {
	for _, tc := range []struct {
		name     string
		snapshot bool
	}{{"log only", false}, {"snapshot and log", true}} {
		t.Run(tc.name, func(t *testing.T) {
			clock := cassatest.NewClock(clockStart)
			dir := t.TempDir()
			c, srv := startAndDial(t, durableConfig(dir, clock))
			writeCellsDeletionsCounters(t, c)
			if tc.snapshot {
				must(t, srv.Snapshot())
			}
			writeCasTruncateSchema(t, c)
			want := dumpAll(t, c)

			// A crash now: replay the log (after the snapshot, if any).
			if got := restartAndDump(t, copyDir(t, dir), clock); got != want {
				t.Fatalf("state after crash recovery differs\n--- want\n%s--- got\n%s", want, got)
			}
			// Clean shutdown: everything is in the final snapshot.
			must(t, srv.Close())
			if got := restartAndDump(t, dir, clock); got != want {
				t.Fatalf("state after clean restart differs\n--- want\n%s--- got\n%s", want, got)
			}
		})
	}
}

func TestDurableIndexesRebuilt(t *testing.T) {
	clock := cassatest.NewClock(clockStart)
	dir := t.TempDir()
	c, srv := startAndDial(t, durableConfig(dir, clock))
	writeCellsDeletionsCounters(t, c)
	must(t, srv.Close())
	c2, _ := startAndDial(t, durableConfig(dir, clock))
	must(t, c2.SetKeyspace(ctx, "Keyspace1"))
	rows, err := c2.GetIndexedSlices(ctx, parent("Indexed1"), &tg.IndexClause{
		Expressions: []*tg.IndexExpression{{ColumnName: []byte("birthdate"), Op: tg.IndexOperator_EQ, Value: longBytes(1)}},
		StartKey:    []byte{}, Count: 10,
	}, columnRange("", "", false, 10), ONE)
	must(t, err)
	if got := strings.Join(rowKeys(rows), ","); got != "i1,i3" {
		t.Fatalf("index after restart finds %q, want i1,i3", got)
	}
}

// segments lists the commit-log segment files of dir, oldest first.
func segments(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "CommitLog-*.log"))
	must(t, err)
	sort.Strings(m)
	return m
}

// recordOffsets walks a segment's records: a 16-byte header, then records
// of length(4) crc(4) payload.
func recordOffsets(t *testing.T, file string) []int64 {
	t.Helper()
	b, err := os.ReadFile(file)
	must(t, err)
	var offs []int64
	for off := 16; off+8 <= len(b); {
		offs = append(offs, int64(off))
		off += 8 + int(binary.BigEndian.Uint32(b[off:]))
	}
	return offs
}

// crashedDir makes a data dir holding a schema record and n single-column
// inserts into Keyspace1.Standard1 rows r0..r(n-1), as a crash leaves it.
func crashedDir(t *testing.T, n int) string {
	t.Helper()
	clock := cassatest.NewClock(clockStart)
	dir := t.TempDir()
	c, _ := startAndDial(t, durableConfig(dir, clock))
	_, err := c.SystemAddKeyspace(ctx, dtestSchema()[0])
	must(t, err)
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	for i := 0; i < n; i++ {
		c.insert(t, fmt.Sprintf("r%d", i), parent("Standard1"), col("c", "v", 1))
	}
	return copyDir(t, dir)
}

func flipByte(t *testing.T, file string, off int64) {
	t.Helper()
	f, err := os.OpenFile(file, os.O_RDWR, 0)
	must(t, err)
	defer f.Close()
	var b [1]byte
	_, err = f.ReadAt(b[:], off)
	must(t, err)
	b[0] ^= 0xff
	_, err = f.WriteAt(b[:], off)
	must(t, err)
}

func TestDurableCorruptTailIsSkipped(t *testing.T) {
	dir := crashedDir(t, 5)
	segs := segments(t, dir)
	last := segs[len(segs)-1]
	offs := recordOffsets(t, last)
	if len(offs) != 6 {
		t.Fatalf("want 6 records (schema + 5 inserts), found %d", len(offs))
	}
	flipByte(t, last, offs[5]+10) // inside the payload of the last insert
	c, _ := startAndDial(t, durableConfig(dir, cassatest.NewClock(clockStart)))
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	rows, err := c.GetRangeSlices(ctx, parent("Standard1"), columnRange("", "", false, 10), keyRange("", "", 100), ONE)
	must(t, err)
	if got := strings.Join(rowKeys(rows), ","); got != "r0,r1,r2,r3" {
		t.Fatalf("rows after a torn tail: %s, want r0..r3", got)
	}
}

func TestDurableCorruptMiddleStopsStart(t *testing.T) {
	dir := crashedDir(t, 5)
	segs := segments(t, dir)
	last := segs[len(segs)-1]
	offs := recordOffsets(t, last)
	flipByte(t, last, offs[2]+9) // the second insert, with three after it
	cfg := durableConfig(dir, cassatest.NewClock(clockStart))
	srv, err := server.Start(context.Background(), cfg)
	if err == nil {
		srv.Close()
		t.Fatal("Start succeeded on a log corrupt in the middle")
	}
	var ce *server.CorruptionError
	if !errors.As(err, &ce) {
		t.Fatalf("Start error %v (%T), want a *CorruptionError", err, err)
	}
	if ce.File != last || ce.Offset != offs[2] {
		t.Fatalf("corruption reported at %s:%d, want %s:%d", ce.File, ce.Offset, last, offs[2])
	}
	if msg := err.Error(); !strings.Contains(msg, filepath.Base(last)) || !strings.Contains(msg, fmt.Sprint(offs[2])) {
		t.Fatalf("error %q does not name the file and offset", msg)
	}
}
