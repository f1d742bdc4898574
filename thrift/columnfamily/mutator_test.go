package columnfamily_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

func TestMutatorQueueSize(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	cases := []struct {
		name    string
		opts    []columnfamily.BatchOption
		inserts int
		sent    int64 // requests sent by the inserts
		left    int   // still queued
	}{
		{"queue size 2", []columnfamily.BatchOption{columnfamily.QueueSize(2)}, 3, 1, 1},
		{"default 100", nil, 150, 1, 50},
		{"zero means default", []columnfamily.BatchOption{columnfamily.QueueSize(0)}, 99, 0, 99},
		{"no auto send", []columnfamily.BatchOption{columnfamily.QueueSize(columnfamily.NoAutoSend)}, 150, 0, 150},
	}
	for _, c := range cases {
		noErr(t, cf.Truncate(bg))
		b := cf.Batch(c.opts...)
		n := requests(e.pool, func() {
			for i := 0; i < c.inserts; i++ {
				must(b.Insert(bg, fmt.Sprintf("row%03d", i), columnfamily.Cols{"c": "v"}))(t)
			}
		})
		if n != c.sent || b.Len() != c.left {
			t.Fatalf("%s: %d requests, %d queued; want %d, %d", c.name, n, b.Len(), c.sent, c.left)
		}
		stored := len(collect(t, cf.GetRange(bg, query.Select{})))
		equal(t, c.name+": rows stored before Send", stored, c.inserts-c.left)
		noErr(t, b.Send(bg))
		equal(t, c.name+": queue after Send", b.Len(), 0)
		equal(t, c.name+": rows after Send", len(collect(t, cf.GetRange(bg, query.Select{}))), c.inserts)
		n = requests(e.pool, func() { noErr(t, b.Send(bg)) })
		equal(t, c.name+": empty Send sends nothing", n, int64(0))
	}
	// Empty columns queue nothing.
	b := cf.Batch()
	must(b.Insert(bg, "x", columnfamily.Cols{}))(t)
	equal(t, "empty insert", b.Len(), 0)
}

func TestMutatorAcrossColumnFamilies(t *testing.T) {
	e := newEnv(t)
	std, sup, cnt := e.cf(t, "Std"), e.cf(t, "Super"), e.cf(t, "Counter")
	must(std.Insert(bg, "gone", columnfamily.Cols{"a": "b"}))(t)
	for _, atomic := range []bool{false, true} {
		var opts []columnfamily.BatchOption
		if atomic {
			opts = append(opts, columnfamily.Atomic())
		}
		m := columnfamily.NewMutator(e.pool, opts...)
		k := fmt.Sprintf("k-%v", atomic)
		must(m.Insert(bg, std, k, columnfamily.Cols{"name": "Tyler", "age": 24}))(t)
		must(m.Insert(bg, std, k, columnfamily.Cols{"extra": "1"}))(t)
		must(m.Insert(bg, sup, k, columnfamily.SuperCols{"sc": {"sub": "v"}}))(t)
		if atomic {
			_, err := m.Insert(bg, cnt, "k", columnfamily.Cols{"hits": 3})
			var me *columnfamily.MutationError
			if !errors.As(err, &me) || !errors.Is(err, columnfamily.ErrInvalidOption) || me.CF != "Counter" {
				t.Fatalf("counter in an atomic batch: %v", err)
			}
		} else {
			must(m.Insert(bg, cnt, "c", columnfamily.Cols{"hits": 3}))(t)
		}
		must(m.Remove(bg, std, "gone", query.Select{}))(t)
		n := requests(e.pool, func() { noErr(t, m.Send(bg)) })
		equal(t, "one request", n, int64(1))
		row := must(std.Get(bg, k, query.Select{}))(t)
		equal(t, "std row", names(row.Columns), []any{"age", "extra", "name"})
		equal(t, "super row", must(sup.Get(bg, k, query.Select{}, columnfamily.Super("sc")))(t).Value("sub"), "v")
		_, err := std.Get(bg, "gone", query.Select{})
		isNotFound(t, err)
		must(std.Insert(bg, "gone", columnfamily.Cols{"a": "b"}))(t) // for the next round
	}
	equal(t, "counter incremented once", must(cnt.Get(bg, "c", query.Select{}))(t).Value("hits"), int64(3))

	// Batch removes: super column, sub-columns, columns.
	b := sup.Batch()
	must(sup.Insert(bg, "r", columnfamily.SuperCols{"1": {"a": "x", "b": "y"}, "2": {"a": "z"}}))(t)
	must(b.Remove(bg, "r", query.Columns("a"), columnfamily.Super("1")))(t)
	must(b.Remove(bg, "r", query.Select{}, columnfamily.Super("2")))(t)
	noErr(t, b.Send(bg))
	row := must(sup.Get(bg, "r", query.Select{}))(t)
	equal(t, "after batch removes", len(row.SuperColumns), 1)
	equal(t, "left", names(row.SuperColumns[0].Columns), []any{"b"})
}

func TestMutatorErrors(t *testing.T) {
	e := newEnv(t)
	std, long := e.cf(t, "Std"), e.cf(t, "Long")
	m := columnfamily.NewMutator(e.pool, columnfamily.QueueSize(columnfamily.NoAutoSend))
	// Refused before queueing: the error names the mutation.
	_, err := m.Insert(bg, long, "not a long", columnfamily.Cols{1: 2})
	var me *columnfamily.MutationError
	if !errors.As(err, &me) || me.CF != "Long" || me.Key != "not a long" || me.Op != "insert" {
		t.Fatalf("bad key: %v", err)
	}
	_, err = m.Insert(bg, std, "k", columnfamily.Cols{"age": "not a number"})
	if !errors.As(err, &me) || me.Key != "k" {
		t.Fatalf("bad value: %v", err)
	}
	var pe *columnfamily.PackError
	if !errors.As(err, &pe) || pe.CF != "Std" {
		t.Fatalf("bad value, no PackError: %v", err)
	}
	equal(t, "nothing queued", m.Len(), 0)

	// A batch the server refuses: every mutation is listed.
	must(m.Insert(bg, std, "ok", columnfamily.Cols{"a": "b"}))(t)
	must(m.Insert(bg, std, "old", columnfamily.Cols{"a": "b"}, columnfamily.Timestamp(1)))(t)
	must(m.Insert(bg, std, "ok2", columnfamily.Cols{"a": "b"}, columnfamily.TTL(0)))(t)
	ttlTooBig := columnfamily.ColumnList{{Name: "x", Value: "y", TTL: 1 << 30}}
	must(m.Insert(bg, std, "ttl", ttlTooBig))(t)
	err = m.Send(bg)
	var be *columnfamily.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("want *BatchError, got %v", err)
	}
	var ire *cassa.InvalidRequestError
	if !errors.As(err, &ire) {
		t.Fatalf("want an invalid request inside, got %v", err)
	}
	equal(t, "listed", len(be.Mutations), 4)
	last := be.Mutations[3]
	equal(t, "last listed", []any{last.CF, last.Key, last.Op, last.Columns}, []any{"Std", "ttl", "insert", 1})
	equal(t, "batch kept", m.Len(), 4)
	equal(t, "discarded", m.Discard(), 4)
	equal(t, "queue emptied", m.Len(), 0)
}

func TestMutatorConcurrent(t *testing.T) {
	e := newEnv(t)
	cf := e.cf(t, "Std")
	b := cf.Batch(columnfamily.QueueSize(7))
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if _, err := b.Insert(bg, fmt.Sprintf("g%d-%02d", g, i), columnfamily.Cols{"c": "v"}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	noErr(t, b.Send(bg))
	equal(t, "all rows", len(collect(t, cf.GetRange(bg, query.Select{}))), 200)
}
