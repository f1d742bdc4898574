package store

import (
	"errors"

	"github.com/cassa-go/cassa/server/internal/schema"
)

// ErrNoIndex is returned by ScanIndex and IndexCount for an index the
// store does not keep (never created, dropped meanwhile, or CUSTOM).
var ErrNoIndex = errors.New("store: no such index")

// HasIndex reports whether the store keeps the secondary index called
// name on table t, so that ScanIndex can serve it.
func (s *Store) HasIndex(t *schema.Table, name string) bool {
	tb, err := s.table(t)
	if err != nil {
		return false
	}
	tb.mu.RLock()
	defer tb.mu.RUnlock()
	return tb.indexNamed(name) != nil
}

// IndexCount counts the entries of index name under value, stopping at
// limit (<= 0: no limit). value has one component, or two (map key and
// value) for an entries() index. The count includes entries whose cells
// expired since they were written.
func (s *Store) IndexCount(t *schema.Table, name string, value [][]byte, limit int) (int, error) {
	tb, err := s.table(t)
	if err != nil {
		return 0, err
	}
	tb.mu.RLock()
	defer tb.mu.RUnlock()
	ix := tb.indexNamed(name)
	if ix == nil {
		return 0, ErrNoIndex
	}
	v, ok := ix.lookupValue(value)
	if !ok {
		return 0, &InvalidError{Why: "wrong number of index value components"}
	}
	n := 0
	ix.mu.RLock()
	ix.entries.AscendGreaterOrEqual(indexEntry{value: v, vbound: -1}, func(e indexEntry) bool {
		if ix.valueType.Compare(e.value, v) != 0 {
			return false
		}
		n++
		return limit <= 0 || n < limit
	})
	ix.mu.RUnlock()
	return n, nil
}

// ScanIndex calls fn with each partition of the range pr that index name
// holds entries for under value, in index order (ring order of the
// partitions), until fn returns false. rows lists the clusterings of the
// CQL rows the entries name, in clustering order and without repeats; it
// is nil when the entries name the whole partition (KEYS, static column
// and partition key component indexes). value has one component, or two
// (map key and value) for an entries() index.
//
// Entries are hits, not answers: a hit's cell may have expired or been
// overwritten since (the caller checks the live data, as 3.11's index
// searchers do). Each call runs with the partition locked for reading,
// as ScanPartitions does; fn must not call the Store. A partition is
// handed over once, with all its hits, however many there are.
func (s *Store) ScanIndex(t *schema.Table, name string, value [][]byte, pr PartitionRange, fn func(p *Partition, rows [][][]byte) bool) error {
	tb, err := s.table(t)
	if err != nil {
		return err
	}
	if (pr.Start != nil && len(pr.Start.Key) == 0 && pr.Start.Token == nil) ||
		(pr.End != nil && len(pr.End.Key) == 0 && pr.End.Token == nil) {
		return &InvalidError{Why: "a range bound needs a key or a token"}
	}
	sg := s.segment(pr)
	now := s.nowSec()

	tb.mu.RLock()
	ix := tb.indexNamed(name)
	tb.mu.RUnlock()
	if ix == nil {
		return ErrNoIndex
	}
	v, ok := ix.lookupValue(value)
	if !ok {
		return &InvalidError{Why: "wrong number of index value components"}
	}
	pivot := indexEntry{value: v, vbound: -1}
	if sg.from != nil {
		pivot = indexEntry{value: v, r: sg.from, bound: -1}
		if sg.fromExcl {
			pivot.bound = +1
		}
	}
	type hit struct {
		r    *row
		rows [][][]byte
	}
	for {
		var hits []hit
		done := true
		tb.mu.RLock()
		if tb.indexNamed(name) != ix { // redefined meanwhile
			tb.mu.RUnlock()
			return nil
		}
		ix.mu.RLock()
		ix.entries.AscendGreaterOrEqual(pivot, func(e indexEntry) bool {
			if ix.valueType.Compare(e.value, v) != 0 {
				return false
			}
			if sg.to != nil && (rowLess(sg.to, e.r) || (sg.toExcl && !rowLess(e.r, sg.to))) {
				return false
			}
			if n := len(hits); n > 0 && hits[n-1].r == e.r {
				h := &hits[n-1]
				if e.ck != nil && (len(h.rows) == 0 || ix.compareCK(h.rows[len(h.rows)-1], e.ck) != 0) {
					h.rows = append(h.rows, e.ck)
				}
				return true
			}
			if len(hits) >= scanBatch {
				done = false
				return false
			}
			h := hit{r: e.r}
			if e.ck != nil {
				h.rows = [][][]byte{e.ck}
			}
			hits = append(hits, h)
			return true
		})
		ix.mu.RUnlock()
		// As a scan does, the table lock stays held while the partitions
		// of the batch are read, so that a truncate cannot slip between
		// the hits and their data.
		more := true
		for _, h := range hits {
			h.r.mu.RLock()
			more = fn(&Partition{Key: h.r.key, Token: h.r.token, tb: tb, r: h.r, now: now}, h.rows)
			h.r.mu.RUnlock()
			if !more {
				break
			}
		}
		tb.mu.RUnlock()
		if !more || done || len(hits) == 0 {
			return nil
		}
		last := hits[len(hits)-1].r
		pivot = indexEntry{value: v, r: &row{key: last.key, token: last.token}, bound: +1}
	}
}
