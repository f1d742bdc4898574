package columnfamily_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

func TestCFRemove(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	must(cf.Insert(bg, "key", columnfamily.Cols{"1": "val1", "2": "val2"}))(t)
	ts := must(cf.Remove(bg, "key", query.Columns()))(t)
	if ts <= 0 {
		t.Fatalf("remove timestamp %d", ts)
	}
	equal(t, "empty list removes nothing", names(must(cf.Get(bg, "key", query.Select{}))(t).Columns), []any{"1", "2"})
	must(cf.Remove(bg, "key", query.Columns("2")))(t)
	row := must(cf.Get(bg, "key", query.Select{}))(t)
	equal(t, "one left", names(row.Columns), []any{"1"})
	equal(t, "value", row.Value("1"), "val1")
	must(cf.Remove(bg, "key", query.Select{}))(t)
	_, err := cf.Get(bg, "key", query.Select{})
	isNotFound(t, err)

	// An older timestamp loses to a newer write; the explicit one is used.
	ts = must(cf.Insert(bg, "k2", columnfamily.Cols{"a": "x"}))(t)
	got := must(cf.Remove(bg, "k2", query.Select{}, columnfamily.Timestamp(ts-1)))(t)
	equal(t, "explicit remove timestamp", got, ts-1)
	equal(t, "survives older delete", must(cf.Get(bg, "k2", query.Select{}))(t).Value("a"), "x")
}

func TestCFInsertTimestamps(t *testing.T) {
	e := newEnv(t)
	var calls int64
	cf := e.cf(t, "Std", columnfamily.TimestampSource(func() int64 { calls++; return 1000 + calls }))
	ts := must(cf.Insert(bg, "k", columnfamily.Cols{"a": "1"}))(t)
	equal(t, "from source", ts, int64(1001))
	ts = must(cf.Insert(bg, "k", columnfamily.Cols{"a": "2"}, columnfamily.Timestamp(5)))(t)
	equal(t, "explicit", ts, int64(5))
	col, _ := must(cf.Get(bg, "k", query.Select{}))(t).Column("a")
	equal(t, "older write lost", col, columnfamily.Column{Name: "a", Value: "1", Timestamp: 1001})

	ts = must(cf.BatchInsert(bg, []columnfamily.RowValues{
		{Key: "r1", Values: columnfamily.Cols{"a": "x"}},
		{Key: "r2", Values: columnfamily.ColumnList{{Name: "b", Value: "y"}, {Name: "c", Value: "z", TTL: 60}}},
	}))(t)
	rows := must(cf.MultiGet(bg, []any{"r1", "r2"}, query.Select{}))(t)
	equal(t, "batch_insert rows", keysOf(rows), []any{"r1", "r2"})
	for _, r := range rows {
		for _, c := range r.Columns {
			if c.Timestamp != ts {
				t.Fatalf("%v/%v timestamp %d, want shared %d", r.Key, c.Name, c.Timestamp, ts)
			}
		}
	}
	c, _ := rows[1].Column("c")
	equal(t, "per-column TTL", c.TTL, int32(60))
	n := requests(e.pool, func() { must(cf.BatchInsert(bg, nil))(t) })
	equal(t, "empty batch_insert sends nothing", n, int64(0))
	// An empty insert still sends batch_mutate, as pycassa does.
	n = requests(e.pool, func() { must(cf.Insert(bg, "k", columnfamily.Cols{}))(t) })
	equal(t, "empty insert", n, int64(1))

	if _, err := cf.Insert(bg, "k", columnfamily.Cols{"a": "1"}, columnfamily.TTL(-time.Second)); !errors.Is(err, columnfamily.ErrInvalidOption) {
		t.Fatalf("negative TTL: %v", err)
	}
	if _, err := cf.Insert(bg, "", columnfamily.Cols{"a": "1"}); err == nil {
		t.Fatal("empty key accepted")
	}
}

func TestMonotonicTimestamp(t *testing.T) {
	const goroutines, each = 4, 2000
	var mu sync.Mutex
	seen := make(map[int64]bool, goroutines*each)
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]int64, each)
			for i := range local {
				local[i] = columnfamily.MonotonicTimestamp()
				if i > 0 && local[i] <= local[i-1] {
					t.Errorf("not increasing: %d after %d", local[i], local[i-1])
					return
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for _, ts := range local {
				if seen[ts] {
					t.Errorf("timestamp %d handed out twice", ts)
				}
				seen[ts] = true
			}
		}()
	}
	wg.Wait()
	now := time.Now().UnixMicro()
	if ts := columnfamily.MonotonicTimestamp(); ts < now-1_000_000 {
		t.Fatalf("timestamp %d is not microseconds near %d", ts, now)
	}
}

func TestCFTTLExpiry(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	must(cf.Insert(bg, "k", columnfamily.Cols{"short": "x"}, columnfamily.TTL(time.Second)))(t)
	must(cf.Insert(bg, "k", columnfamily.Cols{"kept": "y"}))(t)
	row := must(cf.Get(bg, "k", query.Select{}))(t)
	c, _ := row.Column("short")
	equal(t, "ttl read back", c.TTL, int32(1))
	c, _ = row.Column("kept")
	equal(t, "no ttl", c.TTL, int32(0))
	e.clock.Advance(2 * time.Second)
	row = must(cf.Get(bg, "k", query.Select{}))(t)
	equal(t, "expired", names(row.Columns), []any{"kept"})
	// Sub-second TTLs round up to one second.
	must(cf.Insert(bg, "k2", columnfamily.Cols{"a": "x"}, columnfamily.TTL(10*time.Millisecond)))(t)
	c, _ = must(cf.Get(bg, "k2", query.Select{}))(t).Column("a")
	equal(t, "rounded", c.TTL, int32(1))
	e.clock.Advance(1500 * time.Millisecond)
	_, err := cf.Get(bg, "k2", query.Select{})
	isNotFound(t, err)
}

func TestCFCounters(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Counter")
	noErr(t, cf.Add(bg, "key", "col", 1))
	noErr(t, cf.Add(bg, "key", "col", 1))
	noErr(t, cf.Add(bg, "key", "col2", 1))
	row := must(cf.Get(bg, "key", query.Select{}))(t)
	equal(t, "test_add", row.Columns, []columnfamily.Column{{Name: "col", Value: int64(2)}, {Name: "col2", Value: int64(1)}})
	noErr(t, cf.Add(bg, "key", "col", -5))
	equal(t, "negative delta", must(cf.Get(bg, "key", query.Columns("col")))(t).Value("col"), int64(-3))

	must(cf.Insert(bg, "ins", columnfamily.Cols{"col1": 1}))(t)
	must(cf.Insert(bg, "ins", columnfamily.Cols{"col1": 1, "col2": int32(1)}, columnfamily.TTL(time.Second)))(t)
	row = must(cf.Get(bg, "ins", query.Select{}))(t)
	equal(t, "test_insert_counters", row.Columns, []columnfamily.Column{{Name: "col1", Value: int64(2)}, {Name: "col2", Value: int64(1)}})
	if _, err := cf.Insert(bg, "ins", columnfamily.Cols{"col1": "one"}); err == nil {
		t.Fatal("a string increment was accepted")
	}

	noErr(t, cf.RemoveCounter(bg, "ins", "col1"))
	equal(t, "remove_counter", names(must(cf.Get(bg, "ins", query.Select{}))(t).Columns), []any{"col2"})

	sc := e.cf(t, "SuperCounter")
	noErr(t, sc.Add(bg, "key", "col1", 1, columnfamily.Super("scol")))
	must(sc.Insert(bg, "key", columnfamily.SuperCols{"scol": {"col2": 2}}))(t)
	row = must(sc.Get(bg, "key", query.Select{}))(t)
	equal(t, "super counters", row.SuperColumns, []columnfamily.SuperColumn{{Name: "scol",
		Columns: []columnfamily.Column{{Name: "col1", Value: int64(1)}, {Name: "col2", Value: int64(2)}}}})
	noErr(t, sc.RemoveCounter(bg, "key", "col1", columnfamily.Super("scol")))
	row = must(sc.Get(bg, "key", query.Select{}, columnfamily.Super("scol")))(t)
	equal(t, "super remove_counter", names(row.Columns), []any{"col2"})
	rows := must(sc.MultiGet(bg, []any{"key"}, query.Select{}))(t)
	equal(t, "multiget super counter", rows[0].SuperColumns[0].Columns[0].Value, int64(2))
}

func TestCFTruncate(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	for i := 0; i < 5; i++ {
		must(cf.Insert(bg, fmt.Sprint(i), columnfamily.Cols{"a": "b"}))(t)
	}
	noErr(t, cf.Truncate(bg))
	equal(t, "after truncate", len(collect(t, cf.GetRange(bg, query.Select{}))), 0)
}
