package cqlquery

import (
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
)

// Secondary index queries read the store's index of the chosen
// restriction (store.ScanIndex) instead of scanning: the index hands over
// the partitions, and the rows in them, that hold the searched value, in
// ring order then clustering order, which is the order 3.11 answers index
// queries in. Every restriction, the indexed one included, is still
// applied to the rows read, so entries whose cells expired or changed
// since they were written (3.11's stale entries) never show.

// indexCandidate is one index that can serve a query, with the value to
// look up (two components for a map entry).
type indexCandidate struct {
	name  string
	value [][]byte
}

// indexCandidates lists, in restriction order (partition key, clustering,
// other columns), the indexes that support the query's filter
// expressions (CassandraIndex.supportsExpression).
func indexCandidates(filters []filterExpr) []indexCandidate {
	var out []indexCandidate
	for i := range filters {
		f := &filters[i]
		ct, isColl := base(f.col.typ).(*codec.CollectionType)
		multi := isColl && ct.MultiCell()
		for j, kind := range f.col.indexes {
			if kind == "" && multi {
				kind = "values"
			}
			ok := false
			switch f.op {
			case fEQ:
				ok = (kind == "" || kind == "full") && !multi
			case fContains:
				ok = kind == "values"
			case fContainsKey:
				ok = kind == "keys"
			case fEntry:
				ok = kind == "entries"
			}
			if !ok {
				continue
			}
			c := indexCandidate{name: f.col.indexNames[j], value: [][]byte{f.val}}
			if f.op == fEntry {
				c.value = [][]byte{f.key, f.val}
			}
			out = append(out, c)
		}
	}
	return out
}

// chooseIndex is SecondaryIndexManager.getBestIndexFor: among the indexes
// the store keeps that can serve the query, the one expected to return
// the fewest rows. 3.11 estimates that from SSTable statistics (the mean
// size of an index partition); the store knows the exact number of entries
// under the searched value, and the first candidate in restriction order
// wins ties. nil when no kept index applies (the query then scans).
func chooseIndex(st *store.Store, t *schema.Table, filters []filterExpr) *indexCandidate {
	if st == nil {
		return nil
	}
	var best *indexCandidate
	bestN := 0
	for _, c := range indexCandidates(filters) {
		if !st.HasIndex(t, c.name) {
			continue
		}
		limit := 0
		if best != nil {
			limit = bestN
		}
		n, err := st.IndexCount(t, c.name, c.value, limit)
		if err != nil {
			continue
		}
		if best == nil || n < bestN {
			c := c
			best, bestN = &c, n
		}
	}
	return best
}

// readSource is the source a SELECT reads: its table's, or the index
// that serves it.
func (s *selectStmt) readSource(c *bindCtx, filters []filterExpr) (layout.Source, *schema.Table, error) {
	src, t, err := c.env.source(s.tb)
	if err != nil || !s.w.usesIndex || t.Virtual {
		return src, t, err
	}
	if ix := chooseIndex(c.env.Store, t, filters); ix != nil {
		src = &indexSource{st: c.env.Store, lay: s.tb.lay, ix: *ix}
	}
	return src, t, nil
}

// indexSource is a layout.Source that reads the partitions an index
// names, each narrowed to the rows the index names in it (and its static
// cells).
type indexSource struct {
	st  *store.Store
	lay *layout.Layout
	ix  indexCandidate
}

var _ layout.Source = (*indexSource)(nil)

func (s *indexSource) ReadPartition(t *schema.Table, key []byte, fn func(*store.Partition)) error {
	pos := &store.Position{Key: key}
	return s.scan(t, store.PartitionRange{Start: pos, End: pos}, func(p *store.Partition) bool {
		fn(p)
		return false
	})
}

func (s *indexSource) ScanPartitions(t *schema.Table, pr store.PartitionRange, fn func(*store.Partition) bool) error {
	return s.scan(t, pr, fn)
}

func (s *indexSource) scan(t *schema.Table, pr store.PartitionRange, fn func(*store.Partition) bool) error {
	var ferr error
	err := s.st.ScanIndex(t, s.ix.name, s.ix.value, pr, func(p *store.Partition, rows [][][]byte) bool {
		if rows != nil {
			sl, err := s.lay.Slices(layout.Selection{Prefixes: rows})
			if err != nil {
				ferr = err
				return false
			}
			p.Restrict(append(sl, s.lay.StaticSlices()...))
		}
		return fn(p)
	})
	if err != nil {
		return err
	}
	return ferr
}
