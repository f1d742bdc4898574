package layout

import (
	"bytes"
	"fmt"
	"math"

	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
)

// Source is the storage a read runs on; *store.Store is one.
type Source interface {
	ReadPartition(t *schema.Table, key []byte, fn func(*store.Partition)) error
	ScanPartitions(t *schema.Table, r store.PartitionRange, fn func(*store.Partition) bool) error
}

var _ Source = (*store.Store)(nil)

// Query is one SELECT's read, after the executor has resolved its WHERE
// clause: which partitions, which rows of them, in which order, how many.
type Query struct {
	// Keys lists the partitions of a single- or multi-partition query
	// (= or IN on the partition key), read in this order: the executor
	// sorts and de-duplicates IN values as Cassandra does. When Keys is nil
	// the query reads Range in ring order.
	Keys  [][]byte
	Range store.PartitionRange
	// Selection restricts the clustering columns.
	Selection Selection
	// Reversed reads each partition's rows in reverse clustering order.
	Reversed bool
	// Limit caps the rows of the whole query (all pages), PerPartitionLimit
	// the rows of each partition; 0 means no limit. SELECT DISTINCT is a
	// PerPartitionLimit of 1 with StaticRows.
	Limit, PerPartitionLimit int
	// StaticRows makes a partition with live statics but no live row yield
	// one row (3.11's queriesFullPartitions: no clustering and no
	// regular-column restriction). StaticCompact tables always do.
	StaticRows bool
	// PageSize > 0 pages the result, unless Limit is set and no larger
	// (3.11 then answers unpaged); 0 reads everything.
	PageSize int
	// State resumes a paged query where the previous page stopped. As in
	// 3.11, a query of one partition (one key in Keys) writes no partition
	// key into its states and resumes by the row mark alone, whatever key a
	// state names (SinglePartitionPager); a query of several keys resumes in
	// the state's partition, and reads nothing when that partition is not
	// one of its keys (MultiPartitionPager).
	State *PagingState
}

// Result is what Read did.
type Result struct {
	// Rows is how many rows emit accepted.
	Rows int
	// State is non-nil when the page is full and the query may have more
	// rows (Has_more_pages): the next request sends it back. As in 3.11, a
	// page that ends exactly with the data still has a State, and the next
	// page is empty.
	State *PagingState
}

// Read runs q and calls emit with every row in result order. emit reports
// whether the row counts toward limits and the page (false: the executor
// filtered it out); an error stops the read and is returned. Each partition
// is read in isolation, and emit runs while its partition is locked: it
// must not call the store. At most one page of rows is produced per call.
func (l *Layout) Read(src Source, t *schema.Table, q Query, emit func(*Row) (bool, error)) (Result, error) {
	slices, err := l.Slices(q.Selection)
	if err != nil {
		return Result{}, err
	}
	subFilter := l.shape == Super && l.needsRowFilter(q.Selection)
	r := &reader{l: l, q: &q, slices: slices, subFilter: subFilter, emit: emit}
	r.remaining = math.MaxInt32
	if q.Limit > 0 {
		r.remaining = q.Limit
	}
	r.perPartition = math.MaxInt32
	if q.PerPartitionLimit > 0 {
		r.perPartition = q.PerPartitionLimit
	}
	r.pageLeft = math.MaxInt32
	if q.PageSize > 0 && (q.Limit <= 0 || q.Limit > q.PageSize) {
		r.pageLeft = q.PageSize
		r.paged = true
	}
	if st := q.State; st != nil && r.paged {
		r.remaining = int(st.Remaining)
		if err := r.resumeFrom(st); err != nil {
			return Result{}, err
		}
	}
	r.asm = l.NewAssembler(q.Reversed, r.onRow)
	if r.remaining <= 0 {
		return Result{}, nil
	}
	if q.Keys != nil {
		err = r.readKeys(src, t)
	} else {
		err = r.readRange(src, t)
	}
	if err != nil {
		return Result{Rows: r.rows}, err
	}
	res := Result{Rows: r.rows}
	if r.full && r.remaining > 0 {
		res.State = r.state()
	}
	return res, nil
}

// needsRowFilter reports whether the selection restricts the sub-column of
// a super column family, which the store's slices cannot.
func (l *Layout) needsRowFilter(sel Selection) bool {
	if len(sel.Prefixes) > 0 && len(sel.Prefixes[0]) > 1 {
		return true
	}
	for _, b := range []*Bound{sel.Lower, sel.Upper} {
		if b != nil && (len(b.Values) > 1 || len(sel.Prefixes) > 0) {
			return true
		}
	}
	return false
}

// reader is one Read in progress.
type reader struct {
	l         *Layout
	q         *Query
	slices    []store.Slice
	subFilter bool
	emit      func(*Row) (bool, error)
	asm       *Assembler

	paged        bool
	remaining    int // rows the LIMIT still allows
	perPartition int // rows a fresh partition may give
	pageLeft     int
	rows         int
	full         bool // the page or the limit is used up
	err          error

	// the partition being read
	partLeft int // rows this partition may still give
	lastKey  []byte
	lastMark [][]byte // clustering of the last counted row
	hasMark  bool     // false after a static row
	// resume point
	resumeKey     []byte
	resumeMark    [][]byte
	resumeLeft    int
	resumeSkipKey bool // the resume partition is done: start after it
}

// single reports whether q reads one partition, which 3.11 pages with a
// SinglePartitionPager.
func (q *Query) single() bool { return len(q.Keys) == 1 }

// resumeFrom reads a paging state: which partition to go on with, and
// from where in it.
func (r *reader) resumeFrom(st *PagingState) error {
	if st.Remaining <= 0 {
		r.remaining = 0
		return nil
	}
	key := st.PartitionKey
	switch {
	case r.q.single():
		// SinglePartitionPager restores its state on the command's key;
		// without a row mark it reads the partition from its start.
		if st.RowMark == nil {
			return nil
		}
		key = r.q.Keys[0]
	case key == nil && r.q.Keys != nil:
		// MultiPartitionPager finds no partition equal to a null key: the
		// pager is exhausted.
		r.remaining = 0
		return nil
	case key == nil:
		return fmt.Errorf("%w: no partition key", ErrBadPagingState)
	}
	r.resumeKey = key
	r.resumeLeft = int(st.RemainingInPartition)
	if st.RowMark == nil || r.resumeLeft <= 0 {
		r.resumeSkipKey = true
		return nil
	}
	mark, err := r.l.DecodeRowMark(st.RowMark)
	if err != nil {
		return err
	}
	r.resumeMark = mark
	return nil
}

func (r *reader) readKeys(src Source, t *schema.Table) error {
	keys := r.q.Keys
	if r.resumeKey != nil {
		i := 0
		for i < len(keys) && !bytes.Equal(keys[i], r.resumeKey) {
			i++
		}
		if i == len(keys) {
			// MultiPartitionPager: no pager for that partition, nothing
			// left to read.
			return nil
		}
		if r.resumeSkipKey {
			i++
		}
		keys = keys[i:]
	}
	for i, k := range keys {
		resuming := i == 0 && r.resumeKey != nil && !r.resumeSkipKey
		err := src.ReadPartition(t, k, func(p *store.Partition) {
			r.partition(p, resuming)
		})
		if err != nil {
			return err
		}
		if r.err != nil {
			return r.err
		}
		if r.full {
			return nil
		}
	}
	return nil
}

func (r *reader) readRange(src Source, t *schema.Table) error {
	pr := r.q.Range
	if r.resumeKey != nil {
		pr.Start = &store.Position{Key: r.resumeKey}
		pr.StartExclusive = r.resumeSkipKey
	}
	first := r.resumeKey != nil && !r.resumeSkipKey
	err := src.ScanPartitions(t, pr, func(p *store.Partition) bool {
		resuming := first && bytes.Equal(p.Key, r.resumeKey)
		first = false
		return r.partition(p, resuming)
	})
	if err != nil {
		return err
	}
	return r.err
}

// partition reads one partition; resuming means it is the one the paging
// state stopped in. It reports whether to go on.
func (r *reader) partition(p *store.Partition, resuming bool) bool {
	r.partLeft = r.perPartition
	slices := r.slices
	if resuming {
		r.partLeft = r.resumeLeft
		slices = r.l.resumeSlices(slices, r.resumeMark, r.q.Reversed)
	}
	if r.partLeft <= 0 {
		return true
	}
	r.lastKey = p.Key
	staticRow := r.q.StaticRows && !resuming
	// The assembler stops at the partition's limit too; only a full page,
	// a used-up LIMIT or an error stop the read.
	if _, err := r.asm.Partition(p, slices, staticRow); err != nil {
		r.err = err
		return false
	}
	return !r.full && r.err == nil
}

// onRow is the assembler's emit: it filters, counts and stops.
func (r *reader) onRow(row *Row) bool {
	if r.subFilter && !row.Static && !r.l.Matches(r.q.Selection, row.Clustering) {
		return true
	}
	if r.resumeMark != nil && r.l.shape == Super && !row.Static && row.Key != nil &&
		bytes.Equal(row.Key, r.resumeKey) && !r.l.afterMark(row.Clustering, r.resumeMark, r.q.Reversed) {
		return true
	}
	ok, err := r.emit(row)
	if err != nil {
		r.err = err
		return false
	}
	if !ok {
		return true
	}
	r.rows++
	r.remaining--
	r.pageLeft--
	r.partLeft--
	// Keys and clustering values alias stored bytes, which never change:
	// keeping the slices is enough.
	r.hasMark = !row.Static
	r.lastMark = append(r.lastMark[:0], row.Clustering...)
	r.lastKey = row.Key
	if r.remaining <= 0 || r.pageLeft <= 0 {
		r.full = true
		return false
	}
	return r.partLeft > 0
}

// state is where the next page starts, nil when nothing can follow.
func (r *reader) state() *PagingState {
	var mark [][]byte
	if r.hasMark {
		mark = r.lastMark
	}
	return r.l.NextPage(r.q, r.lastKey, mark, r.remaining, r.partLeft)
}

// NextPage is the paging state after a page of q that ended with the row
// of partition key and clustering mark (nil for a static row), with
// remaining rows of LIMIT and partLeft of PER PARTITION LIMIT left; nil
// when nothing can follow. As 3.11's AbstractQueryPager, a partition whose
// last row was its static row or the row of a table without clustering
// columns has nothing left in it; when it is the last partition of a
// query of keys the pager is exhausted (SinglePartitionPager.isExhausted,
// MultiPartitionPager.isExhausted). A query of one partition writes no
// partition key.
func (l *Layout) NextPage(q *Query, key []byte, mark [][]byte, remaining, partLeft int) *PagingState {
	if remaining <= 0 {
		return nil
	}
	partLeft = max(0, min(partLeft, math.MaxInt32))
	if len(mark) == 0 {
		partLeft = 0
	}
	if partLeft == 0 && len(q.Keys) > 0 && bytes.Equal(key, q.Keys[len(q.Keys)-1]) {
		return nil
	}
	st := &PagingState{
		PartitionKey:         key,
		Remaining:            int32(min(remaining, math.MaxInt32)),
		RemainingInPartition: int32(partLeft),
	}
	if q.single() {
		st.PartitionKey = nil
	}
	if mark != nil {
		st.RowMark = l.EncodeRowMark(mark)
	}
	return st
}

// afterMark reports whether clustering ck comes after mark in read order.
func (l *Layout) afterMark(ck, mark [][]byte, reversed bool) bool {
	c := l.compareClustering(ck, mark)
	if reversed {
		return c < 0
	}
	return c > 0
}

// resumeSlices narrows slices to the rows after mark in read order.
func (l *Layout) resumeSlices(slices []store.Slice, mark [][]byte, reversed bool) []store.Slice {
	if mark == nil {
		return slices
	}
	var rest store.Slice
	switch l.shape {
	case Super:
		// Slices cover super columns: keep the mark's, filter rows in it.
		if reversed {
			rest.Finish = mark[0]
		} else {
			rest.Start = mark[0]
		}
	case DenseSimple, SuperSparse:
		if reversed {
			rest.Finish, rest.FinishExclusive = mark[0], true
		} else {
			rest.Start, rest.StartExclusive = mark[0], true
		}
	case DenseCompound:
		// The exact cell name of the marked row, excluded.
		name := compositePrefix(nil, nonNilPrefix(mark), eocNone)
		if reversed {
			rest.Finish, rest.FinishExclusive = name, true
		} else {
			rest.Start, rest.StartExclusive = name, true
		}
	default:
		if reversed {
			rest.Start, _ = l.prefixStart(nil)
			rest.Finish = compositePrefix(nil, mark, eocStart)
		} else {
			rest.Start = compositePrefix(nil, mark, eocEnd)
		}
	}
	return l.intersect(slices, []store.Slice{rest})
}

func nonNilPrefix(ck [][]byte) [][]byte {
	for i, v := range ck {
		if v == nil {
			return ck[:i]
		}
	}
	return ck
}

// ReadList returns the live elements of list column col in row ck of the
// partition key, in list order, for the operations that read before they
// write (l[i] = x, DELETE l[i], l = l - [...]).
func (l *Layout) ReadList(src Source, t *schema.Table, key []byte, ck [][]byte, col *Column) ([]ListElement, error) {
	if err := needCollection(col, List); err != nil {
		return nil, err
	}
	u := Update{l: l}
	s, err := u.collectionSlice(ck, col)
	if err != nil {
		return nil, err
	}
	var out []ListElement
	err = src.ReadPartition(t, key, func(p *store.Partition) {
		p.Cells([]store.Slice{s}, false, func(c *store.Cell) bool {
			var n Name
			if l.decodeName(&n, nil, c.Name, nil) == nil && n.HasElement {
				out = append(out, ListElement{ID: n.Element, Value: c.Value})
			}
			return true
		})
	})
	return out, err
}
