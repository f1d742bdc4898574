package store

import (
	"bytes"

	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// Cas implements the Thrift cas method on a standard CF under the row's lock
// (Cassandra 2.2, ThriftCASRequest):
//   - empty expected: succeeds iff the row has no live cell; on failure
//     current_values is the first live column of the row;
//   - otherwise: succeeds iff every expected column is live with the
//     byte-identical value; on failure current_values holds the live current
//     values of the expected names in comparator order ([] for a missing row).
//
// On success every update is written with a fresh server (ballot) timestamp;
// the client timestamps and TTLs are ignored, as in 2.x, and the table's
// default_time_to_live applies.
func (s *Store) Cas(t *schema.Table, key []byte, expected, updates []*thriftgen.Column) (*thriftgen.CASResult_, error) {
	tb, err := s.table(t)
	if err != nil {
		return nil, err
	}
	now := s.nowSec()

	tb.mu.RLock()
	if r := tb.lookup(key); r != nil {
		r.mu.Lock()
		res := s.casRow(tb, r, key, expected, updates, now)
		r.mu.Unlock()
		tb.mu.RUnlock()
		return res, nil
	}
	tb.mu.RUnlock()

	tb.mu.Lock()
	defer tb.mu.Unlock()
	r := tb.lookup(key)
	if r == nil {
		r = tb.pivot(key)
		res := s.casRow(tb, r, key, expected, updates, now)
		if !r.empty() {
			tb.rows.ReplaceOrInsert(r)
		}
		return res, nil
	}
	return s.casRow(tb, r, key, expected, updates, now), nil
}

// casRow checks and, on success, writes. The caller holds r exclusively.
func (s *Store) casRow(tb *table, r *row, key []byte, expected, updates []*thriftgen.Column, now int64) *thriftgen.CASResult_ {
	if !tb.casHolds(r, expected, now) {
		return &thriftgen.CASResult_{Success: false, CurrentValues: tb.casCurrent(r, expected, now)}
	}
	ts := s.NowMicros()
	ops := make([]Op, 0, len(updates))
	for _, u := range updates {
		if u == nil {
			continue
		}
		ops = append(ops, Op{Kind: OpPut, Name: u.Name, Value: u.Value, Timestamp: ts, TTL: tb.def.DefaultTTL, LocalTime: now})
	}
	tb.applyOps(r, ops, now)
	return &thriftgen.CASResult_{Success: true}
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
