package store

import (
	"bytes"

	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// Cas implements the Thrift cas method on a standard CF under the row's lock
// (Cassandra 3.11, ThriftCASRequest):
//   - empty expected: succeeds iff the row has no live cell; on failure
//     current_values is the first live column of the row;
//   - otherwise: succeeds iff every expected column is live with the
//     byte-identical value; on failure current_values holds the live current
//     values of the expected names in comparator order ([] for a missing row).
//
// On success every update is written with a fresh server (ballot) timestamp
// (Commit.newProposal replaces the client timestamps). An update's TTL is
// honoured when positive, and the table's default_time_to_live does not
// apply (3.11's CassandraServer.toLegacyCell builds a regular cell unless
// ttl > 0; 2.x ignored the TTL and applied the default).
func (s *Store) Cas(t *schema.Table, key []byte, expected, updates []*thriftgen.Column) (*thriftgen.CASResult_, error) {
	return s.CasLogged(t, key, expected, updates, nil)
}

// CasLogged is Cas with a commit hook: when the condition holds, log is
// called, still under the row's lock, with the exact mutation about to be
// written (ballot timestamp and local time resolved), and the write
// happens only if it returns nil; its error is returned as is. A commit
// log records the outcome this way, so replay needs no condition check and
// no concurrent write can slip between the check and the record.
func (s *Store) CasLogged(t *schema.Table, key []byte, expected, updates []*thriftgen.Column, log func(RowMutation) error) (*thriftgen.CASResult_, error) {
	tb, err := s.table(t)
	if err != nil {
		return nil, err
	}
	now := s.nowSec()

	tb.mu.RLock()
	if r := tb.lookup(key); r != nil {
		r.mu.Lock()
		res, err := s.casRow(tb, r, key, expected, updates, now, log)
		r.mu.Unlock()
		tb.mu.RUnlock()
		return res, err
	}
	tb.mu.RUnlock()

	tb.mu.Lock()
	defer tb.mu.Unlock()
	r := tb.lookup(key)
	if r == nil {
		r = tb.pivot(key)
		res, err := s.casRow(tb, r, key, expected, updates, now, log)
		if !r.empty() {
			tb.rows.ReplaceOrInsert(r)
		}
		return res, err
	}
	return s.casRow(tb, r, key, expected, updates, now, log)
}

// casRow checks and, on success, writes. The caller holds r exclusively.
func (s *Store) casRow(tb *table, r *row, key []byte, expected, updates []*thriftgen.Column, now int64, log func(RowMutation) error) (*thriftgen.CASResult_, error) {
	if !tb.casHolds(r, expected, now) {
		return &thriftgen.CASResult_{Success: false, CurrentValues: tb.casCurrent(r, expected, now)}, nil
	}
	ts := s.NowMicros()
	ops := make([]Op, 0, len(updates))
	for _, u := range updates {
		if u == nil {
			continue
		}
		var ttl int32
		if u.TTL != nil && *u.TTL > 0 {
			ttl = *u.TTL
		}
		ops = append(ops, Op{Kind: OpPut, Name: u.Name, Value: u.Value, Timestamp: ts, TTL: ttl, LocalTime: now})
	}
	if log != nil {
		if err := log(RowMutation{Keyspace: tb.def.Keyspace, Table: tb.def.Name, TableID: tb.def.ID, Key: key, Ops: ops}); err != nil {
			return nil, err
		}
	}
	tb.applyOps(r, ops, now)
	return &thriftgen.CASResult_{Success: true}, nil
}

func (tb *table) casHolds(r *row, expected []*thriftgen.Column, now int64) bool {
	if len(expected) == 0 {
		return r.cs.firstLive(now) == nil
	}
	for _, e := range expected {
		if e == nil {
			continue
		}
		c := r.cs.get(e.Name)
		if c == nil || c.kind != kindValue || !c.live(now) || !bytes.Equal(c.value, e.Value) {
			return false
		}
	}
	return true
}

func (tb *table) casCurrent(r *row, expected []*thriftgen.Column, now int64) []*thriftgen.Column {
	out := []*thriftgen.Column{}
	if len(expected) == 0 {
		if c := r.cs.firstLive(now); c != nil {
			out = append(out, columnOf(c))
		}
		return out
	}
	names := make([][]byte, 0, len(expected))
	for _, e := range expected {
		if e != nil && len(e.Name) > 0 {
			names = append(names, e.Name)
		}
	}
	for _, n := range sortedNames(tb.cmp, names) {
		if c := r.cs.get(n); c != nil && c.kind == kindValue && c.live(now) {
			out = append(out, columnOf(c))
		}
	}
	return out
}
