package layout

import (
	"fmt"
	"sort"

	"github.com/cassa-go/cassa/server/internal/store"
)

// Bound bounds a run of clustering columns as a tuple: (c_p, ..., c_q) >
// (v_p, ..., v_q) for a lower bound, < for an upper one, with = as well
// when Inclusive. Tuples compare column by column in value order (each
// column's type, whatever its CLUSTERING ORDER), as CQL's multi-column
// relations do; a single-column relation c > v is a one-value tuple.
type Bound struct {
	Values    [][]byte
	Inclusive bool
}

// Selection is the clustering part of a WHERE clause.
//
// Prefixes lists the values of the leading clustering columns restricted
// by = or IN, with IN already expanded into every combination; all have
// the same length. No prefix (nil) means no equality restriction. Lower
// and Upper then bound the clustering columns that follow the prefix
// (nil: unbounded). IN on the full clustering is a list of full prefixes.
type Selection struct {
	Prefixes [][][]byte
	Lower    *Bound
	Upper    *Bound
}

// prefixes returns the prefixes to expand, one empty prefix when none.
func (s *Selection) prefixes() [][][]byte {
	if s.Prefixes == nil {
		return [][][]byte{nil}
	}
	return s.Prefixes
}

// check validates the selection's shape against the layout.
func (l *Layout) checkSelection(sel *Selection) (int, error) {
	p := -1
	for _, pr := range sel.Prefixes {
		if p >= 0 && len(pr) != p {
			return 0, fmt.Errorf("layout: clustering prefixes of different lengths (%d, %d)", p, len(pr))
		}
		p = len(pr)
		if err := l.checkClustering(pr); err != nil {
			return 0, err
		}
	}
	if p < 0 {
		p = 0
	}
	if p > len(l.ck) {
		return 0, fmt.Errorf("layout: a prefix of %d values for %d clustering columns", p, len(l.ck))
	}
	for _, b := range []*Bound{sel.Lower, sel.Upper} {
		if b == nil {
			continue
		}
		if len(b.Values) == 0 || p+len(b.Values) > len(l.ck) {
			return 0, fmt.Errorf("layout: a bound of %d values after a prefix of %d, for %d clustering columns", len(b.Values), p, len(l.ck))
		}
		if err := l.checkClustering(append(make([][]byte, p), b.Values...)); err != nil {
			return 0, err
		}
	}
	return p, nil
}

// Slices turns a clustering selection into store slices over the rows it
// selects, disjoint and in ascending comparator order (Composite.EOC
// bounds of 2.2: start of a prefix -1, end of a prefix +1, after a value
// +1, before a value -1). Static cells are never included: read them with
// StaticSlices. A DESC column reverses the comparator, so c > v on it
// becomes an upper comparator bound; multi-column bounds over columns of
// mixed order become several slices. On a super column family the slices
// cover the selected super columns; restrictions on the sub-column are
// applied by Read and Rows, which filter rows with Matches.
func (l *Layout) Slices(sel Selection) ([]store.Slice, error) {
	p, err := l.checkSelection(&sel)
	if err != nil {
		return nil, err
	}
	if l.shape == StaticCompact {
		return nil, nil // one row per partition, made of its statics
	}
	if sel.Prefixes != nil && len(sel.Prefixes) == 0 {
		return []store.Slice{}, nil // IN (): no row
	}
	if l.shape == Super {
		sel = l.superSelection(sel, p)
	}
	var out []store.Slice
	for _, pr := range sel.prefixes() {
		ivs := []store.Slice{l.prefixInterval(pr)}
		if sel.Lower != nil {
			ivs = l.intersect(ivs, l.tupleIntervals(pr, sel.Lower, true))
		}
		if sel.Upper != nil {
			ivs = l.intersect(ivs, l.tupleIntervals(pr, sel.Upper, false))
		}
		out = append(out, ivs...)
	}
	// Never nil: to the store, nil slices mean the whole partition.
	return append(make([]store.Slice, 0, len(out)), l.normalize(out)...), nil
}

// superSelection narrows a selection to the super column names (the first
// clustering column), which is what the store can slice on.
func (l *Layout) superSelection(sel Selection, p int) Selection {
	var out Selection
	if p > 0 {
		for _, pr := range sel.Prefixes {
			out.Prefixes = append(out.Prefixes, pr[:1])
		}
		return out
	}
	cut := func(b *Bound) *Bound {
		if b == nil {
			return nil
		}
		return &Bound{Values: b.Values[:1], Inclusive: b.Inclusive || len(b.Values) > 1}
	}
	out.Lower, out.Upper = cut(sel.Lower), cut(sel.Upper)
	return out
}

// StaticSlices returns the slices holding a Sparse table's static cells
// (nil for tables without them).
func (l *Layout) StaticSlices() []store.Slice {
	if l.afterStatics == nil {
		return nil
	}
	return []store.Slice{{Finish: l.afterStatics}}
}

// composite reports whether the comparator is a composite of clustering
// values, whose bounds carry end-of-component bytes.
func (l *Layout) composite() bool { return l.shape == Sparse || l.shape == DenseCompound }

// prefixStart is the slice start before every row of prefix q.
func (l *Layout) prefixStart(q [][]byte) (b []byte, excl bool) {
	if len(q) == 0 {
		if l.shape == Sparse {
			return l.afterStatics, false
		}
		return nil, false
	}
	if !l.composite() {
		return q[0], false
	}
	return compositePrefix(nil, q, eocStart), false
}

// prefixFinish is the slice finish after every row of prefix q.
func (l *Layout) prefixFinish(q [][]byte) (b []byte, excl bool) {
	if len(q) == 0 {
		return nil, false
	}
	if !l.composite() {
		return q[0], false
	}
	return compositePrefix(nil, q, eocEnd), false
}

// after is the slice start just after every row whose clustering begins
// with q then v.
func (l *Layout) after(q [][]byte, v []byte) ([]byte, bool) {
	if !l.composite() {
		return v, true
	}
	return compositePrefix(compositePrefix(nil, q, eocNone), [][]byte{v}, eocEnd), false
}

// before is the slice finish just before every row whose clustering begins
// with q then v.
func (l *Layout) before(q [][]byte, v []byte) ([]byte, bool) {
	if !l.composite() {
		return v, true
	}
	return compositePrefix(compositePrefix(nil, q, eocNone), [][]byte{v}, eocStart), false
}

// prefixInterval is every row of prefix q.
func (l *Layout) prefixInterval(q [][]byte) store.Slice {
	var s store.Slice
	s.Start, s.StartExclusive = l.prefixStart(q)
	s.Finish, s.FinishExclusive = l.prefixFinish(q)
	return s
}

// greater is the rows of prefix q whose next column (index len(q)) is
// greater than v in value order: after v in comparator order for an ASC
// column, before it for a DESC one.
func (l *Layout) greater(q [][]byte, v []byte) store.Slice {
	s := l.prefixInterval(q)
	if l.ck[len(q)].Desc {
		s.Finish, s.FinishExclusive = l.before(q, v)
	} else {
		s.Start, s.StartExclusive = l.after(q, v)
	}
	return s
}

// less is the rows of prefix q whose next column is less than v.
func (l *Layout) less(q [][]byte, v []byte) store.Slice {
	s := l.prefixInterval(q)
	if l.ck[len(q)].Desc {
		s.Start, s.StartExclusive = l.after(q, v)
	} else {
		s.Finish, s.FinishExclusive = l.before(q, v)
	}
	return s
}

// tupleIntervals decomposes a tuple bound after prefix p:
// (x_0..x_m) > (v_0..v_m) is the union over j of x_0..x_{j-1} = v_0..v_{j-1}
// and x_j > v_j, plus x = v when inclusive.
func (l *Layout) tupleIntervals(p [][]byte, b *Bound, lower bool) []store.Slice {
	out := make([]store.Slice, 0, len(b.Values)+1)
	q := append(make([][]byte, 0, len(p)+len(b.Values)), p...)
	for _, v := range b.Values {
		if lower {
			out = append(out, l.greater(q, v))
		} else {
			out = append(out, l.less(q, v))
		}
		q = append(q, v)
	}
	if b.Inclusive {
		out = append(out, l.prefixInterval(q))
	}
	return l.normalize(out)
}

// ---- interval algebra over comparator order ----

func (l *Layout) emptySlice(s *store.Slice) bool {
	if len(s.Start) == 0 || len(s.Finish) == 0 {
		return false
	}
	c := l.cmp.Compare(s.Start, s.Finish)
	return c > 0 || (c == 0 && (s.StartExclusive || s.FinishExclusive))
}

// cmpStart orders slice starts: open first; at the same name an inclusive
// start comes before an exclusive one.
func (l *Layout) cmpStart(a, b *store.Slice) int {
	switch {
	case len(a.Start) == 0 && len(b.Start) == 0:
		return 0
	case len(a.Start) == 0:
		return -1
	case len(b.Start) == 0:
		return 1
	}
	if c := l.cmp.Compare(a.Start, b.Start); c != 0 {
		return c
	}
	return boolCmp(a.StartExclusive, b.StartExclusive)
}

// cmpFinish orders slice finishes: open last; at the same name an
// exclusive finish comes before an inclusive one.
func (l *Layout) cmpFinish(a, b *store.Slice) int {
	switch {
	case len(a.Finish) == 0 && len(b.Finish) == 0:
		return 0
	case len(a.Finish) == 0:
		return 1
	case len(b.Finish) == 0:
		return -1
	}
	if c := l.cmp.Compare(a.Finish, b.Finish); c != 0 {
		return c
	}
	return boolCmp(b.FinishExclusive, a.FinishExclusive)
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// normalize sorts slices, drops empty ones and merges those that overlap or
// touch.
func (l *Layout) normalize(in []store.Slice) []store.Slice {
	out := in[:0]
	for _, s := range in {
		if !l.emptySlice(&s) {
			out = append(out, s)
		}
	}
	if len(out) <= 1 {
		return out
	}
	sort.SliceStable(out, func(i, j int) bool { return l.cmpStart(&out[i], &out[j]) < 0 })
	merged := out[:1]
	for _, s := range out[1:] {
		last := &merged[len(merged)-1]
		if l.touches(last, &s) {
			if l.cmpFinish(last, &s) < 0 {
				last.Finish, last.FinishExclusive = s.Finish, s.FinishExclusive
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// touches reports whether b (starting no earlier than a) overlaps a or
// continues it without a gap.
func (l *Layout) touches(a, b *store.Slice) bool {
	if len(a.Finish) == 0 || len(b.Start) == 0 {
		return true
	}
	c := l.cmp.Compare(b.Start, a.Finish)
	return c < 0 || (c == 0 && !(a.FinishExclusive && b.StartExclusive))
}

// intersect intersects two normalized lists of slices.
func (l *Layout) intersect(a, b []store.Slice) []store.Slice {
	out := []store.Slice{}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		s := a[i]
		if l.cmpStart(&b[j], &s) > 0 {
			s.Start, s.StartExclusive = b[j].Start, b[j].StartExclusive
		}
		if l.cmpFinish(&b[j], &s) < 0 {
			s.Finish, s.FinishExclusive = b[j].Finish, b[j].FinishExclusive
		}
		if !l.emptySlice(&s) {
			out = append(out, s)
		}
		if l.cmpFinish(&a[i], &b[j]) < 0 {
			i++
		} else {
			j++
		}
	}
	return out
}

// ---- rows against a selection, in value order ----

// Matches reports whether a row's clustering satisfies the selection. Read
// uses it where slices cannot say everything (a super column family's
// sub-columns); an executor may use it to filter too.
func (l *Layout) Matches(sel Selection, ck [][]byte) bool {
	p := 0
	if sel.Prefixes != nil {
		if len(sel.Prefixes) == 0 {
			return false
		}
		p = len(sel.Prefixes[0])
		found := false
		for _, pr := range sel.Prefixes {
			if l.equalPrefix(pr, ck) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	rest := ck[min(p, len(ck)):]
	if b := sel.Lower; b != nil {
		c := l.compareTuple(rest, b.Values, p)
		if c < 0 || (c == 0 && !b.Inclusive) {
			return false
		}
	}
	if b := sel.Upper; b != nil {
		c := l.compareTuple(rest, b.Values, p)
		if c > 0 || (c == 0 && !b.Inclusive) {
			return false
		}
	}
	return true
}

func (l *Layout) equalPrefix(pr, ck [][]byte) bool {
	for i, v := range pr {
		if i >= len(ck) || i >= len(l.ck) || ck[i] == nil || l.ck[i].Type.Compare(ck[i], v) != 0 {
			return false
		}
	}
	return true
}

// compareTuple compares the first len(vals) values of x with vals in value
// order; x's columns start at clustering position from. A missing (nil)
// value sorts first.
func (l *Layout) compareTuple(x, vals [][]byte, from int) int {
	for i, v := range vals {
		if from+i >= len(l.ck) {
			return 0 // more values than columns: the rest cannot matter
		}
		if i >= len(x) || x[i] == nil {
			return -1
		}
		if c := l.ck[from+i].Type.Compare(x[i], v); c != 0 {
			return c
		}
	}
	return 0
}

// compareClustering orders two full clusterings as the comparator orders
// their rows.
func (l *Layout) compareClustering(a, b [][]byte) int {
	for i := range l.ck {
		var x, y []byte
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x == nil || y == nil {
			if x == nil && y == nil {
				continue
			}
			if x == nil {
				return -1
			}
			return 1
		}
		if c := l.ckTypes[i].Compare(x, y); c != 0 {
			return c
		}
	}
	return 0
}
