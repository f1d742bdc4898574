package cqlquery

import (
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
)

// source returns where the rows of tb are read: the node's store, or for
// a virtual system table a small store filled with the rows VirtualTables
// hands out, so that every SELECT feature (restrictions, filtering,
// ordering, paging) works the same on both.
func (env *Env) source(tb *table) (layout.Source, *schema.Table, error) {
	if !tb.t.Virtual {
		if env.Store == nil {
			return nil, nil, &Error{Code: CodeServer, Message: "no store"}
		}
		return env.Store, tb.t, nil
	}
	if env.Virtual == nil {
		return nil, nil, invalidf("unconfigured table %s", tb.t.Name)
	}
	if vs, ok := env.Virtual.(VirtualSnapshots); ok {
		if key, rows, ok := vs.Snapshot(tb.t); ok {
			return env.snapshotSource(tb, key, rows)
		}
	}
	rows, err := env.Virtual.Rows(tb.t)
	if err != nil {
		return nil, nil, toError(err)
	}
	return env.virtualStore(tb, rows)
}

// virtualSnapshot is one virtual table's rows of one snapshot key, in a
// store built once, on first use, and read concurrently after that (a
// store's reads take its locks).
type virtualSnapshot struct {
	key  any
	tb   *table
	once sync.Once
	st   *store.Store
	t    *schema.Table
	err  error
}

// snapshotSource returns the store of tb's rows at key: the cached one
// when its key and table are the same, else a new one, which replaces the
// cached entry. Two reads that see different keys at once each get their
// own snapshot's rows, and the entry keeps the last one built; reads of
// the current catalog settle it there.
func (env *Env) snapshotSource(tb *table, key any, rows func() ([]map[string][]byte, error)) (layout.Source, *schema.Table, error) {
	name := tb.t.Keyspace + "." + tb.t.Name
	snap := &virtualSnapshot{key: key, tb: tb}
	if v, loaded := env.virtual.LoadOrStore(name, snap); loaded {
		cur := v.(*virtualSnapshot)
		if cur.key == key && cur.tb.t == tb.t {
			snap = cur
		} else {
			env.virtual.CompareAndSwap(name, cur, snap)
		}
	}
	snap.once.Do(func() {
		var rs []map[string][]byte
		if rs, snap.err = rows(); snap.err != nil {
			snap.err = toError(snap.err)
			return
		}
		snap.st, snap.t, snap.err = env.virtualStore(tb, rs)
	})
	if snap.err != nil {
		// Not kept: a later read asks again.
		env.virtual.CompareAndDelete(name, snap)
		return nil, nil, snap.err
	}
	return snap.st, snap.t, nil
}

// virtualStore fills a new store with the rows of virtual table tb.
func (env *Env) virtualStore(tb *table, rows []map[string][]byte) (*store.Store, *schema.Table, error) {
	st := store.New(env.partitioner(), store.Options{Clock: clockOf(env)})
	t := *tb.t
	t.ID = uuid.New()
	t.Comparator = tb.lay.Comparator()
	t.KeyValidator = tb.lay.KeyType()
	st.CreateTable(&t)
	muts := make([]store.RowMutation, 0, len(rows))
	for _, row := range rows {
		key := make([][]byte, len(tb.pk))
		for i, c := range tb.pk {
			key[i] = row[c.name]
			if key[i] == nil {
				key[i] = []byte{}
			}
		}
		pk, err := tb.lay.PartitionKey(key)
		if err != nil || len(pk) == 0 {
			continue
		}
		ck := make([][]byte, len(tb.ck))
		for i, c := range tb.ck {
			ck[i] = row[c.name]
			if ck[i] == nil {
				ck[i] = []byte{}
			}
		}
		u := tb.lay.NewUpdate(1, 0, nil)
		if err := u.Insert(ck); err != nil {
			return nil, nil, toError(err)
		}
		for _, c := range append(append([]*column{}, tb.statics...), tb.regulars...) {
			if v, ok := row[c.name]; ok && v != nil {
				if err := u.Set(ck, c.lc, v); err != nil {
					return nil, nil, toError(err)
				}
			}
		}
		muts = append(muts, u.Mutation(&t, pk))
	}
	if err := st.Apply(muts...); err != nil {
		return nil, nil, toError(err)
	}
	return st, &t, nil
}

type envClock struct{ env *Env }

func (c envClock) Now() time.Time { return c.env.now() }

func clockOf(env *Env) store.Clock { return envClock{env} }
