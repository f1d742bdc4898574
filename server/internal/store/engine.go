package store

import (
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// Engine is everything the server asks of storage. *Store implements it; a
// commit log wraps an Engine, recording Prepare'd mutations and table
// changes before passing them on.
type Engine interface {
	CreateTable(t *schema.Table)
	UpdateTable(old, updated *schema.Table)
	DropTable(t *schema.Table)
	DropKeyspace(keyspace string)
	Truncate(t *schema.Table) error

	NowMicros() int64
	Prepare(muts []RowMutation)
	Apply(muts ...RowMutation) error

	Get(t *schema.Table, key, super, column []byte) (*thriftgen.ColumnOrSuperColumn, error)
	GetSlice(t *schema.Table, key, super []byte, pred *thriftgen.SlicePredicate) ([]*thriftgen.ColumnOrSuperColumn, error)
	MultigetSlice(t *schema.Table, keys [][]byte, super []byte, pred *thriftgen.SlicePredicate) (map[string][]*thriftgen.ColumnOrSuperColumn, error)
	GetCount(t *schema.Table, key, super []byte, pred *thriftgen.SlicePredicate) (int32, error)
	MultigetCount(t *schema.Table, keys [][]byte, super []byte, pred *thriftgen.SlicePredicate) (map[string]int32, error)
	GetMultiSlice(t *schema.Table, key []byte, slices []*thriftgen.ColumnSlice, reversed bool, count int32) ([]*thriftgen.ColumnOrSuperColumn, error)
	GetRangeSlices(t *schema.Table, super []byte, pred *thriftgen.SlicePredicate, kr *thriftgen.KeyRange) ([]*thriftgen.KeySlice, error)
	GetPagedSlice(t *schema.Table, kr *thriftgen.KeyRange, startColumn []byte) ([]*thriftgen.KeySlice, error)
	GetIndexedSlices(t *schema.Table, clause *thriftgen.IndexClause, pred *thriftgen.SlicePredicate) ([]*thriftgen.KeySlice, error)
	Cas(t *schema.Table, key []byte, expected, updates []*thriftgen.Column) (*thriftgen.CASResult_, error)
}

var _ Engine = (*Store)(nil)
