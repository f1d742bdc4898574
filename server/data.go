package server

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server/internal/expiry"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
	"github.com/cassa-go/cassa/server/internal/validate"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// The data methods share one shape: under the node's shared DDL lock, take
// the current catalog once, resolve the session keyspace and the column
// family (keyspace, table, then login), run the method's validation (which ends
// with the CL and availability checks), then read from or write to the
// store. Errors come back as Thrift exceptions and are moved into the
// result's declared fields.

// onTable runs f for column family cf of the session keyspace, with the
// catalog pinned and schema changes held off until f returns.
func (c *conn) onTable(cf string, f func(ks *schema.Keyspace, t *schema.Table) error) error {
	n := c.srv.node
	n.ddl.RLock()
	defer n.ddl.RUnlock()
	ks, t, e := validate.ResolveTable(n.schema.Current(), c.sess.keyspace, cf)
	if e != nil {
		return e
	}
	if err := c.requireLogin(); err != nil {
		return err
	}
	return thriftErr(f(ks, t))
}

func (c *conn) now() time.Time { return c.srv.cfg.Clock() }

// insertTTL is Cassandra 3.11's CassandraServer.getTtl, the TTL of a cell
// written by insert: an unset ttl takes the column family's
// default_time_to_live, and an explicit 0 means no TTL (3.6+).
func insertTTL(t *schema.Table, ttl *int32) int32 {
	if ttl == nil {
		return t.DefaultTTL
	}
	return *ttl
}

// batchTTL is the TTL of a cell written by batch_mutate (3.11's
// CassandraServer.toLegacyCell): the column's own TTL when positive, else
// none. The default_time_to_live is not applied.
func batchTTL(ttl *int32) int32 {
	if ttl == nil || *ttl < 0 {
		return 0
	}
	return *ttl
}

// expiry is the node's expiration-date overflow policy.
func (c *conn) expiry() *expiry.Guard { return c.srv.node.store.Expiry() }

func parentCF(p *tg.ColumnParent) string {
	if p == nil {
		return ""
	}
	return p.ColumnFamily
}

func pathCF(p *tg.ColumnPath) string {
	if p == nil {
		return ""
	}
	return p.ColumnFamily
}

func (c *conn) get(_ context.Context, a *tg.CassandraGetArgs) (thrift.TStruct, error) {
	r := &tg.CassandraGetResult{}
	err := c.onTable(pathCF(a.ColumnPath), func(ks *schema.Keyspace, t *schema.Table) error {
		if err := validate.ValidateGet(ks, t, a.Key, a.ColumnPath, a.ConsistencyLevel); err != nil {
			return err
		}
		v, err := c.srv.node.store.Get(t, a.Key, a.ColumnPath.SuperColumn, a.ColumnPath.Column)
		r.Success = v
		return err
	})
	return r, declare(err, &r.Ire, &r.Nfe, &r.Ue, &r.Te)
}

func (c *conn) getSlice(_ context.Context, a *tg.CassandraGetSliceArgs) (thrift.TStruct, error) {
	r := &tg.CassandraGetSliceResult{}
	err := c.onTable(parentCF(a.ColumnParent), func(ks *schema.Keyspace, t *schema.Table) error {
		if err := validate.ValidateGetSlice(ks, t, a.Key, a.ColumnParent, a.Predicate, a.ConsistencyLevel); err != nil {
			return err
		}
		v, err := c.srv.node.store.GetSlice(t, a.Key, a.ColumnParent.SuperColumn, a.Predicate)
		r.Success = v
		return err
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

func (c *conn) getCount(_ context.Context, a *tg.CassandraGetCountArgs) (thrift.TStruct, error) {
	r := &tg.CassandraGetCountResult{}
	err := c.onTable(parentCF(a.ColumnParent), func(ks *schema.Keyspace, t *schema.Table) error {
		if err := validate.ValidateGetCount(ks, t, a.Key, a.ColumnParent, a.Predicate, a.ConsistencyLevel); err != nil {
			return err
		}
		v, err := c.srv.node.store.GetCount(t, a.Key, a.ColumnParent.SuperColumn, a.Predicate)
		r.Success = &v
		return err
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

func (c *conn) multigetSlice(_ context.Context, a *tg.CassandraMultigetSliceArgs) (thrift.TStruct, error) {
	r := &tg.CassandraMultigetSliceResult{}
	err := c.onTable(parentCF(a.ColumnParent), func(ks *schema.Keyspace, t *schema.Table) error {
		if err := validate.ValidateMultiget(ks, t, a.Keys, a.ColumnParent, a.Predicate, a.ConsistencyLevel); err != nil {
			return err
		}
		v, err := c.srv.node.store.MultigetSlice(t, a.Keys, a.ColumnParent.SuperColumn, a.Predicate)
		r.Success = v
		return err
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

func (c *conn) multigetCount(_ context.Context, a *tg.CassandraMultigetCountArgs) (thrift.TStruct, error) {
	r := &tg.CassandraMultigetCountResult{}
	err := c.onTable(parentCF(a.ColumnParent), func(ks *schema.Keyspace, t *schema.Table) error {
		if err := validate.ValidateMultiget(ks, t, a.Keys, a.ColumnParent, a.Predicate, a.ConsistencyLevel); err != nil {
			return err
		}
		v, err := c.srv.node.store.MultigetCount(t, a.Keys, a.ColumnParent.SuperColumn, a.Predicate)
		r.Success = v
		return err
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

func (c *conn) getRangeSlices(_ context.Context, a *tg.CassandraGetRangeSlicesArgs) (thrift.TStruct, error) {
	r := &tg.CassandraGetRangeSlicesResult{}
	err := c.onTable(parentCF(a.ColumnParent), func(ks *schema.Keyspace, t *schema.Table) error {
		n := c.srv.node
		if err := checkIndexOps(a.Range.GetRowFilter()); err != nil {
			return err
		}
		if err := validate.ValidateRangeSlices(ks, t, n.part, a.ColumnParent, a.Predicate, a.Range, a.ConsistencyLevel); err != nil {
			return err
		}
		v, err := n.store.GetRangeSlices(t, a.ColumnParent.SuperColumn, a.Predicate, a.Range)
		r.Success = v
		return err
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

func (c *conn) getPagedSlice(_ context.Context, a *tg.CassandraGetPagedSliceArgs) (thrift.TStruct, error) {
	r := &tg.CassandraGetPagedSliceResult{}
	err := c.onTable(a.ColumnFamily, func(ks *schema.Keyspace, t *schema.Table) error {
		n := c.srv.node
		if err := checkIndexOps(a.Range.GetRowFilter()); err != nil {
			return err
		}
		if err := validate.ValidatePagedSlice(ks, t, n.part, a.Range, a.StartColumn, a.ConsistencyLevel); err != nil {
			return err
		}
		v, err := n.store.GetPagedSlice(t, a.Range, a.StartColumn)
		r.Success = v
		return err
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

func (c *conn) getIndexedSlices(_ context.Context, a *tg.CassandraGetIndexedSlicesArgs) (thrift.TStruct, error) {
	r := &tg.CassandraGetIndexedSlicesResult{}
	err := c.onTable(parentCF(a.ColumnParent), func(ks *schema.Keyspace, t *schema.Table) error {
		if a.IndexClause != nil {
			if err := checkIndexOps(a.IndexClause.Expressions); err != nil {
				return err
			}
		}
		if err := validate.ValidateIndexedSlices(ks, t, a.ColumnParent, a.IndexClause, a.ColumnPredicate, a.ConsistencyLevel); err != nil {
			return err
		}
		v, err := c.srv.node.store.GetIndexedSlices(t, a.IndexClause, a.ColumnPredicate)
		r.Success = v
		return err
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

// checkIndexOps rejects an IndexExpression whose op is not one of the
// IndexOperator values. Java decodes an unknown value of this required
// enum as null and fails the struct check, which libthrift answers with
// TApplicationException PROTOCOL_ERROR.
func checkIndexOps(exprs []*tg.IndexExpression) error {
	for _, e := range exprs {
		if e != nil && (e.Op < tg.IndexOperator_EQ || e.Op > tg.IndexOperator_LT) {
			return &protocolError{msg: "Required field 'op' was not present! Struct: IndexExpression"}
		}
	}
	return nil
}

func (c *conn) getMultiSlice(_ context.Context, a *tg.CassandraGetMultiSliceArgs) (thrift.TStruct, error) {
	r := &tg.CassandraGetMultiSliceResult{}
	cf, e := validate.ValidateMultiSliceTable(a.Request)
	if e != nil {
		return r, declare(e, &r.Ire)
	}
	err := c.onTable(cf, func(ks *schema.Keyspace, t *schema.Table) error {
		req := a.Request
		if err := validate.ValidateMultiSlice(ks, t, req); err != nil {
			return err
		}
		v, err := c.srv.node.store.GetMultiSlice(t, req.Key, req.ColumnSlices, req.Reversed, req.Count)
		r.Success = v
		return err
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

func (c *conn) insert(_ context.Context, a *tg.CassandraInsertArgs) (thrift.TStruct, error) {
	r := &tg.CassandraInsertResult{}
	err := c.onTable(parentCF(a.ColumnParent), func(ks *schema.Keyspace, t *schema.Table) error {
		if err := validate.ValidateInsert(ks, t, a.Key, a.ColumnParent, a.Column, a.ConsistencyLevel, c.now(), c.expiry()); err != nil {
			return err
		}
		m := store.NewRowMutation(t, a.Key, putOp(t, a.ColumnParent.SuperColumn, a.Column, insertTTL(t, a.Column.TTL)))
		return c.srv.node.w.Apply([]store.RowMutation{m})
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

// putOp turns a validated Column into a write with the given TTL.
func putOp(t *schema.Table, super []byte, col *tg.Column, ttl int32) store.Op {
	return store.Op{
		Kind:      store.OpPut,
		Super:     super,
		Name:      cellName(t, col.Name),
		Value:     col.Value,
		Timestamp: *col.Timestamp,
		TTL:       ttl,
	}
}

// cellName is the name a Thrift write gives a cell of t. For a CQL table
// 3.11 decodes the name into the cell of a row (LegacyLayout
// .decodeCellName) and encodes it again when Thrift reads it
// (encodeCellName), so the name is stored as that round trip leaves it:
// end-of-component bytes 0, and a name holding only the clustering of a
// table with key columns only becomes its row marker (an empty column
// component). Other tables keep names as written.
func cellName(t *schema.Table, name []byte) []byte {
	if !t.IsCQLTable() {
		return name
	}
	static := len(name) >= 2 && name[0] == 0xff && name[1] == 0xff
	var comps [][]byte
	rest := name
	if static {
		rest = rest[2:]
	}
	for len(rest) >= 3 {
		n := int(binary.BigEndian.Uint16(rest))
		if len(rest) < 3+n {
			return name // validation refused this already
		}
		comps, rest = append(comps, rest[2:2+n]), rest[3+n:]
	}
	if len(comps) == len(t.Clustering) {
		comps = append(comps, []byte{})
	}
	out := make([]byte, 0, len(name)+3)
	if static {
		out = append(out, 0xff, 0xff)
	}
	for _, c := range comps {
		out = binary.BigEndian.AppendUint16(out, uint16(len(c)))
		out = append(append(out, c...), 0)
	}
	return out
}

func (c *conn) add(_ context.Context, a *tg.CassandraAddArgs) (thrift.TStruct, error) {
	r := &tg.CassandraAddResult{}
	err := c.onTable(parentCF(a.ColumnParent), func(ks *schema.Keyspace, t *schema.Table) error {
		if err := validate.ValidateAdd(ks, t, a.Key, a.ColumnParent, a.Column, a.ConsistencyLevel); err != nil {
			return err
		}
		op := store.Op{Kind: store.OpAddCounter, Super: a.ColumnParent.SuperColumn, Name: cellName(t, a.Column.Name), Delta: a.Column.Value}
		return c.srv.node.w.Apply([]store.RowMutation{store.NewRowMutation(t, a.Key, op)})
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

// removeOp maps a validated remove path to a deletion at ts.
func removeOp(t *schema.Table, path *tg.ColumnPath, ts int64) store.Op {
	switch {
	case path.SuperColumn == nil && path.Column == nil:
		return store.Op{Kind: store.OpDeleteRow, Timestamp: ts}
	case path.Column == nil:
		return store.Op{Kind: store.OpDeleteSuper, Super: path.SuperColumn, Timestamp: ts}
	default:
		return store.Op{Kind: store.OpDeleteColumn, Super: path.SuperColumn, Name: cellName(t, path.Column), Timestamp: ts}
	}
}

func (c *conn) remove(_ context.Context, a *tg.CassandraRemoveArgs) (thrift.TStruct, error) {
	r := &tg.CassandraRemoveResult{}
	err := c.onTable(pathCF(a.ColumnPath), func(ks *schema.Keyspace, t *schema.Table) error {
		if err := validate.ValidateRemove(ks, t, a.Key, a.ColumnPath, a.ConsistencyLevel); err != nil {
			return err
		}
		m := store.NewRowMutation(t, a.Key, removeOp(t, a.ColumnPath, a.Timestamp))
		return c.srv.node.w.Apply([]store.RowMutation{m})
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

func (c *conn) removeCounter(_ context.Context, a *tg.CassandraRemoveCounterArgs) (thrift.TStruct, error) {
	r := &tg.CassandraRemoveCounterResult{}
	err := c.onTable(pathCF(a.Path), func(ks *schema.Keyspace, t *schema.Table) error {
		if err := validate.ValidateRemoveCounter(ks, t, a.Key, a.Path, a.ConsistencyLevel); err != nil {
			return err
		}
		// Cassandra 3.11 stamps counter deletions with the server's
		// FBUtilities.timestampMicros(), the clock counter updates are
		// stamped with: a row deletion hides the counters updated before
		// it and not those updated after (a cell tombstone beats a counter
		// whatever the timestamps).
		m := store.NewRowMutation(t, a.Key, removeOp(t, a.Path, c.srv.node.store.NowMicros()))
		return c.srv.node.w.Apply([]store.RowMutation{m})
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

func (c *conn) batchMutate(_ context.Context, a *tg.CassandraBatchMutateArgs) (thrift.TStruct, error) {
	r := &tg.CassandraBatchMutateResult{}
	err := c.mutate(a.MutationMap, a.ConsistencyLevel, false)
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

func (c *conn) atomicBatchMutate(_ context.Context, a *tg.CassandraAtomicBatchMutateArgs) (thrift.TStruct, error) {
	r := &tg.CassandraAtomicBatchMutateResult{}
	err := c.mutate(a.MutationMap, a.ConsistencyLevel, true)
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

// mutate is batch_mutate and atomic_batch_mutate: everything is validated
// before anything is converted or applied, so one bad mutation rejects the
// whole call. On one node the batch is applied in one call of the write
// path, each row atomically; a failure there would be a bug (the schema
// cannot change under the shared DDL lock).
func (c *conn) mutate(mm map[string]map[string][]*tg.Mutation, cl tg.ConsistencyLevel, atomic bool) error {
	n := c.srv.node
	n.ddl.RLock()
	defer n.ddl.RUnlock()
	cat := n.schema.Current()
	now := c.now()
	if c.sess.user == "" {
		// Cassandra checks the login with the first column family's
		// access, right after that column family's keyspace and table checks.
		if err := c.firstTableThenLogin(cat, mm); err != nil {
			return err
		}
	}
	if err := validate.ValidateBatchMutate(cat, c.sess.keyspace, mm, cl, atomic, now, c.expiry()); err != nil {
		return err
	}
	ks := cat.Keyspace(c.sess.keyspace)
	muts := make([]store.RowMutation, 0, len(mm))
	for key, byCF := range mm {
		for cf, ms := range byCF {
			t := ks.Table(cf)
			ops := make([]store.Op, 0, len(ms))
			for _, m := range ms {
				ops = appendMutationOps(ops, t, m, n.store.NowMicros)
			}
			muts = append(muts, store.NewRowMutation(t, []byte(key), ops...))
		}
	}
	return thriftErr(n.w.Apply(muts))
}

// firstTableThenLogin runs the keyspace and table checks for the first
// column family a batch names (in the order validation visits them) and
// then the login check.
func (c *conn) firstTableThenLogin(cat *schema.Catalog, mm map[string]map[string][]*tg.Mutation) error {
	if e := validate.RequireKeyspace(c.sess.keyspace); e != nil {
		return e
	}
	var key, cf string
	found := false
	for k, byCF := range mm {
		for name := range byCF {
			if !found || k < key || (k == key && name < cf) {
				key, cf, found = k, name, true
			}
		}
	}
	if !found {
		return nil // nothing to write: only the CL is checked
	}
	if _, _, e := validate.ResolveTable(cat, c.sess.keyspace, cf); e != nil {
		return e
	}
	return c.requireLogin()
}

// appendMutationOps converts one validated Mutation to store operations.
// micros is the server clock counter deletions are stamped with.
func appendMutationOps(ops []store.Op, t *schema.Table, m *tg.Mutation, micros func() int64) []store.Op {
	if cosc := m.ColumnOrSupercolumn; cosc != nil {
		switch {
		case cosc.Column != nil:
			return append(ops, putOp(t, nil, cosc.Column, batchTTL(cosc.Column.TTL)))
		case cosc.SuperColumn != nil:
			for _, col := range cosc.SuperColumn.Columns {
				ops = append(ops, putOp(t, cosc.SuperColumn.Name, col, batchTTL(col.TTL)))
			}
			return ops
		case cosc.CounterColumn != nil:
			return append(ops, store.Op{Kind: store.OpAddCounter, Name: cellName(t, cosc.CounterColumn.Name), Delta: cosc.CounterColumn.Value})
		case cosc.CounterSuperColumn != nil:
			for _, col := range cosc.CounterSuperColumn.Columns {
				ops = append(ops, store.Op{Kind: store.OpAddCounter, Super: cosc.CounterSuperColumn.Name, Name: col.Name, Delta: col.Value})
			}
			return ops
		}
		return ops
	}
	d := m.Deletion
	if d == nil {
		return ops
	}
	var ts int64
	if t.Counter || d.Timestamp == nil {
		// ThriftValidation.validateDeletion overwrites a counter
		// deletion's timestamp with the server's time in microseconds
		// (3.x's FBUtilities.timestampMicros); a missing one on a normal
		// CF was rejected already.
		ts = micros()
	} else {
		ts = *d.Timestamp
	}
	p := d.Predicate
	switch {
	case p == nil && d.SuperColumn == nil:
		return append(ops, store.Op{Kind: store.OpDeleteRow, Timestamp: ts})
	case p == nil:
		return append(ops, store.Op{Kind: store.OpDeleteSuper, Super: d.SuperColumn, Timestamp: ts})
	case p.ColumnNames != nil: // takes precedence over slice_range
		for _, name := range p.ColumnNames {
			ops = append(ops, store.Op{Kind: store.OpDeleteColumn, Super: d.SuperColumn, Name: cellName(t, name), Timestamp: ts})
		}
		return ops
	case p.SliceRange != nil:
		// count and reversed are ignored when a range deletion is
		// applied: [start, finish] is taken as given, as Cassandra's
		// deleteColumnOrSuperColumn does (so a reversed range, which
		// names its high end first, covers nothing).
		return append(ops, store.Op{Kind: store.OpDeleteRange, Super: d.SuperColumn,
			Start: p.SliceRange.Start, Finish: p.SliceRange.Finish, Timestamp: ts})
	}
	return ops
}

func (c *conn) cas(_ context.Context, a *tg.CassandraCasArgs) (thrift.TStruct, error) {
	r := &tg.CassandraCasResult{}
	err := c.onTable(a.ColumnFamily, func(ks *schema.Keyspace, t *schema.Table) error {
		if err := validate.ValidateCAS(ks, t, a.Key, a.Expected, a.Updates, a.SerialConsistencyLevel, a.CommitConsistencyLevel, c.now(), c.expiry()); err != nil {
			return err
		}
		updates := a.Updates
		if t.IsCQLTable() {
			updates = make([]*tg.Column, len(a.Updates))
			for i, col := range a.Updates {
				cp := *col
				cp.Name = cellName(t, col.Name)
				updates[i] = &cp
			}
		}
		v, err := c.srv.node.w.Cas(t, a.Key, a.Expected, updates)
		r.Success = v
		return err
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}

func (c *conn) truncate(_ context.Context, a *tg.CassandraTruncateArgs) (thrift.TStruct, error) {
	r := &tg.CassandraTruncateResult{}
	err := c.onTable(a.Cfname, func(_ *schema.Keyspace, t *schema.Table) error {
		// Cassandra 3.11's truncate validates the column family as a
		// non-counter operation (validateColumnFamily(ks, cf, false)).
		if ire := validate.CheckCounterness(t, false); ire != nil {
			return ire
		}
		return c.srv.node.w.Truncate(t)
	})
	return r, declare(err, &r.Ire, &r.Ue, &r.Te)
}
