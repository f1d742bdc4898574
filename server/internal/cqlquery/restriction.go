package cqlquery

import (
	"bytes"
	"sort"
	"strings"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
)

// Restrictions of a WHERE clause: one per column or run of columns, merged
// as 3.11's SingleColumnRestriction, MultiColumnRestriction and
// TokenRestriction merge, with their messages.

type restrKind uint8

const (
	rEQ restrKind = iota + 1
	rIN
	rSlice
	rContains
)

// sliceBound is one end of a slice: a single value, or a tuple over the
// first n columns of a multi-column slice.
type sliceBound struct {
	single    term
	tuple     tupleTerm
	inclusive bool
}

// width is how many columns the bound covers.
func (b *sliceBound) width() int {
	if b.tuple != nil {
		return b.tuple.size()
	}
	return 1
}

func (b *sliceBound) containsMarker() bool {
	if b.tuple != nil {
		return b.tuple.containsMarker()
	}
	return b.single.containsMarker()
}

// restriction restricts one column, or a run of clustering columns
// (multi).
type restriction struct {
	kind  restrKind
	cols  []*column
	multi bool

	eq  term      // single-column =
	eqT tupleTerm // multi-column =

	in     []term      // single-column IN (v, ...)
	inT    []tupleTerm // multi-column IN ((..), ...)
	inMark *inMarker   // IN ?

	bounds [2]*sliceBound // start, end

	// CONTAINS, CONTAINS KEY and m[k] = v, accumulated.
	values, keys, entryKeys, entryValues []term
}

func (r *restriction) first() *column { return r.cols[0] }
func (r *restriction) last() *column  { return r.cols[len(r.cols)-1] }
func (r *restriction) isSlice() bool  { return r.kind == rSlice }
func (r *restriction) isEQ() bool     { return r.kind == rEQ }
func (r *restriction) isIN() bool     { return r.kind == rIN }
func (r *restriction) isContains() bool {
	return r.kind == rContains
}

// numberOfContains counts the CONTAINS values, keys and entries.
func (r *restriction) numberOfContains() int {
	return len(r.values) + len(r.keys) + len(r.entryKeys)
}

// colNames is the columns' names joined with ", ".
func (r *restriction) colNames() string { return joinNames(r.cols) }

// toMulti converts a single-column restriction into the multi-column
// form, so that b > ? AND (b, c) < (?, ?) merge.
func (r *restriction) toMulti() *restriction {
	m := *r
	m.multi = true
	switch r.kind {
	case rEQ:
		m.eqT, m.eq = &tupleLit{elems: []term{r.eq}}, nil
	case rIN:
		m.inT = make([]tupleTerm, len(r.in))
		for i, v := range r.in {
			m.inT[i] = &tupleLit{elems: []term{v}}
		}
		m.in = nil
	case rSlice:
		for i, b := range r.bounds {
			if b != nil {
				m.bounds[i] = &sliceBound{tuple: &tupleLit{elems: []term{b.single}}, inclusive: b.inclusive}
			}
		}
	}
	return &m
}

// commonNames is MultiColumnRestriction.getColumnsInCommons: the shared
// columns joined with " ," (sic).
func commonNames(a, b *restriction) string {
	var names []string
	for _, c := range a.cols {
		for _, d := range b.cols {
			if c == d {
				names = append(names, c.name)
			}
		}
	}
	return strings.Join(names, " ,")
}

// mergeWith is Restriction.mergeWith: r is the existing restriction,
// other the new one.
func (r *restriction) mergeWith(other *restriction) (*restriction, error) {
	if !r.multi {
		if other.multi && r.kind != rContains {
			return r.toMulti().mergeWith(other)
		}
		switch r.kind {
		case rEQ:
			return nil, invalidf("%s cannot be restricted by more than one relation if it includes an Equal", r.first().name)
		case rIN:
			return nil, invalidf("%s cannot be restricted by more than one relation if it includes a IN", r.first().name)
		case rSlice:
			if !other.isSlice() {
				return nil, invalidf("Column \"%s\" cannot be restricted by both an equality and an inequality relation", r.first().name)
			}
			if r.bounds[0] != nil && other.bounds[0] != nil {
				return nil, invalidf("More than one restriction was found for the start bound on %s", r.first().name)
			}
			if r.bounds[1] != nil && other.bounds[1] != nil {
				return nil, invalidf("More than one restriction was found for the end bound on %s", r.first().name)
			}
			m := *r
			for i, b := range other.bounds {
				if b != nil {
					m.bounds[i] = b
				}
			}
			return &m, nil
		default:
			if !other.isContains() {
				return nil, invalidf("Collection column %s can only be restricted by CONTAINS, CONTAINS KEY, or map-entry equality", r.first().name)
			}
			m := *r
			m.values = append(append([]term{}, r.values...), other.values...)
			m.keys = append(append([]term{}, r.keys...), other.keys...)
			m.entryKeys = append(append([]term{}, r.entryKeys...), other.entryKeys...)
			m.entryValues = append(append([]term{}, r.entryValues...), other.entryValues...)
			return &m, nil
		}
	}
	if !other.multi && other.kind != rContains {
		other = other.toMulti()
	}
	switch r.kind {
	case rEQ:
		return nil, invalidf("%s cannot be restricted by more than one relation if it includes an Equal", commonNames(r, other))
	case rIN:
		return nil, invalidf("%s cannot be restricted by more than one relation if it includes a IN", commonNames(r, other))
	}
	if !other.isSlice() {
		return nil, invalidf("Column \"%s\" cannot be restricted by both an equality and an inequality relation", commonNames(r, other))
	}
	if r.first() != other.first() {
		c := other.first()
		if r.first().pos > c.pos {
			c = r.first()
		}
		return nil, invalidf("Column \"%s\" cannot be restricted by two inequalities not starting with the same column", c.name)
	}
	if r.bounds[0] != nil && other.bounds[0] != nil {
		return nil, invalidf("More than one restriction was found for the start bound on %s", commonNames(r, other))
	}
	if r.bounds[1] != nil && other.bounds[1] != nil {
		return nil, invalidf("More than one restriction was found for the end bound on %s", commonNames(r, other))
	}
	m := *r
	if len(other.cols) > len(r.cols) {
		m.cols = other.cols
	}
	for i, b := range other.bounds {
		if b != nil {
			m.bounds[i] = b
		}
	}
	return &m, nil
}

// restrictionSet holds restrictions by column (RestrictionSet).
type restrictionSet struct {
	byCol map[*column]*restriction
}

func newRestrictionSet() restrictionSet { return restrictionSet{byCol: map[*column]*restriction{}} }

// add merges r into the set.
func (s *restrictionSet) add(r *restriction) error {
	var existing []*restriction
	for _, c := range r.cols {
		if e := s.byCol[c]; e != nil && !containsRestriction(existing, e) {
			existing = append(existing, e)
		}
	}
	if len(existing) == 0 {
		for _, c := range r.cols {
			s.byCol[c] = r
		}
		return nil
	}
	for _, e := range existing {
		m, err := e.mergeWith(r)
		if err != nil {
			return err
		}
		for _, c := range m.cols {
			s.byCol[c] = m
		}
		for _, c := range r.cols {
			s.byCol[c] = m
		}
	}
	return nil
}

func containsRestriction(rs []*restriction, r *restriction) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// size is the number of restricted columns.
func (s *restrictionSet) size() int { return len(s.byCol) }

func (s *restrictionSet) empty() bool { return len(s.byCol) == 0 }

// columns returns the restricted columns ordered by position, then name
// (ColumnDefinition's order in RestrictionSet).
func (s *restrictionSet) columns() []*column {
	out := make([]*column, 0, len(s.byCol))
	for c := range s.byCol {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].pos != out[j].pos {
			return out[i].pos < out[j].pos
		}
		return bytes.Compare(out[i].def.NameBytes, out[j].def.NameBytes) < 0
	})
	return out
}

// list returns the distinct restrictions in column order.
func (s *restrictionSet) list() []*restriction {
	var out []*restriction
	for _, c := range s.columns() {
		if r := s.byCol[c]; !containsRestriction(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func (s *restrictionSet) has(f func(*restriction) bool) bool {
	for _, r := range s.byCol {
		if f(r) {
			return true
		}
	}
	return false
}

func (s *restrictionSet) hasIN() bool       { return s.has((*restriction).isIN) }
func (s *restrictionSet) hasSlice() bool    { return s.has((*restriction).isSlice) }
func (s *restrictionSet) hasContains() bool { return s.has((*restriction).isContains) }

// onlyEquality reports restrictions by = or IN only.
func (s *restrictionSet) onlyEquality() bool {
	return !s.has(func(r *restriction) bool { return !r.isEQ() && !r.isIN() })
}

func (s *restrictionSet) hasMultipleContains() bool {
	n := 0
	for _, r := range s.list() {
		if r.isContains() {
			n += r.numberOfContains()
		}
	}
	return n > 1
}

// tokenRestriction is a restriction on token(partition key).
type tokenRestriction struct {
	eq     term
	bounds [2]*sliceBound
	names  string // the key columns, for messages
}

func (t *tokenRestriction) mergeWith(o *tokenRestriction) (*tokenRestriction, error) {
	if t.eq != nil {
		return nil, invalidf("%s cannot be restricted by more than one relation if it includes an Equal", t.names)
	}
	if o.eq != nil {
		return nil, invalidf("Columns \"%s\" cannot be restricted by both an equality and an inequality relation", t.names)
	}
	if t.bounds[0] != nil && o.bounds[0] != nil {
		return nil, invalidf("More than one restriction was found for the start bound on %s", t.names)
	}
	if t.bounds[1] != nil && o.bounds[1] != nil {
		return nil, invalidf("More than one restriction was found for the end bound on %s", t.names)
	}
	m := *t
	for i, b := range o.bounds {
		if b != nil {
			m.bounds[i] = b
		}
	}
	return &m, nil
}

// pkRestrictions are the partition key's restrictions: per column, and a
// token restriction (together, 3.11's TokenFilter).
type pkRestrictions struct {
	n     int // partition key columns
	set   restrictionSet
	token *tokenRestriction
}

func (p *pkRestrictions) empty() bool { return p.token == nil && p.set.empty() }

// needFiltering is PartitionKeySingleRestrictionSet.needFiltering of the
// column restrictions.
func (p *pkRestrictions) needFiltering() bool {
	if p.set.empty() {
		return false
	}
	return p.set.size() < p.n || p.set.hasSlice() || p.set.hasContains()
}

// onToken is isOnToken: the read is a token range.
func (p *pkRestrictions) onToken() bool {
	if p.token == nil {
		return false
	}
	return p.set.empty() || p.needFiltering() || p.set.size() < p.n
}

func (p *pkRestrictions) hasIN() bool {
	if p.token != nil && p.onToken() {
		return false
	}
	return p.set.hasIN()
}

func (p *pkRestrictions) hasUnrestrictedComponents() bool {
	if p.token != nil && p.set.empty() {
		return false
	}
	return p.set.size() < p.n
}

// ckRestrictions are the clustering columns' restrictions
// (ClusteringColumnRestrictions).
type ckRestrictions struct {
	set            restrictionSet
	allowFiltering bool
}

// lastRestriction is the restriction of the last restricted column.
func (s *ckRestrictions) lastRestriction() *restriction {
	cols := s.set.columns()
	return s.set.byCol[cols[len(cols)-1]]
}

// nextColumn is the first restricted column after c.
func (s *ckRestrictions) nextColumn(c *column) *column {
	for _, d := range s.set.columns() {
		if d.pos > c.pos {
			return d
		}
	}
	return nil
}

func (s *ckRestrictions) mergeWith(r *restriction) error {
	prev := s.set
	if !prev.empty() {
		// the checks below look at the set before the merge
		prev = restrictionSet{byCol: make(map[*column]*restriction, len(s.set.byCol))}
		for c, x := range s.set.byCol {
			prev.byCol[c] = x
		}
	}
	if err := s.set.add(r); err != nil {
		return err
	}
	if prev.empty() || s.allowFiltering {
		return nil
	}
	old := ckRestrictions{set: prev}
	last := old.lastRestriction()
	lastStart, newStart := last.first(), r.first()
	if last.isSlice() && newStart.pos > lastStart.pos {
		return invalidf("Clustering column \"%s\" cannot be restricted (preceding column \"%s\" is restricted by a non-EQ relation)",
			newStart.name, lastStart.name)
	}
	if newStart.pos < lastStart.pos && r.isSlice() {
		next := old.nextColumn(newStart)
		return invalidf("PRIMARY KEY column \"%s\" cannot be restricted (preceding column \"%s\" is restricted by a non-EQ relation)",
			next.name, newStart.name)
	}
	return nil
}

// inFilter is ClusteringColumnRestrictions.handleInFilter: r cannot be
// served by slices when position columns precede it in the prefix.
func inFilter(r *restriction, position int) bool {
	return r.isContains() || position != r.first().pos
}

// needFiltering reports clustering restrictions that slices cannot serve.
func (s *ckRestrictions) needFiltering() bool {
	pos := 0
	for _, r := range s.set.list() {
		if inFilter(r, pos) {
			return true
		}
		if !r.isSlice() {
			pos = r.last().pos + 1
		}
	}
	return false
}

// sliceable returns the restrictions slices serve (a prefix of = and IN,
// then maybe one slice) and those that must be filtered.
func (s *ckRestrictions) split() (prefix []*restriction, slice *restriction, filters []*restriction) {
	pos := 0
	done := false
	for _, r := range s.set.list() {
		if done || inFilter(r, pos) {
			done = true
			filters = append(filters, r)
			continue
		}
		if r.isSlice() {
			slice = r
			done = true
			continue
		}
		prefix = append(prefix, r)
		pos = r.last().pos + 1
	}
	return prefix, slice, filters
}

// relationText renders a relation as its toString does in messages.
func relationText(rel cqlparse.Relation) string {
	switch x := rel.(type) {
	case *cqlparse.ColumnRelation:
		e := identText(x.Column.Name)
		if x.MapKey != nil {
			e += "[" + termText(x.MapKey) + "]"
		}
		if x.Op == cqlparse.OpIN {
			if x.Value != nil {
				return e + " IN ?"
			}
			return e + " IN " + termList(x.InValues, "[", "]")
		}
		return e + " " + x.Op.String() + " " + termText(x.Value)
	case *cqlparse.TokenRelation:
		return "token" + identList(x.Columns) + " " + x.Op.String() + " " + termText(x.Value)
	case *cqlparse.TupleRelation:
		if x.Op == cqlparse.OpIN {
			if x.Value != nil {
				return identList(x.Columns) + " IN ?"
			}
			return identList(x.Columns) + " IN " + termList(x.InValues, "(", ")")
		}
		return identList(x.Columns) + " " + x.Op.String() + " " + termText(x.Value)
	}
	return ""
}

func identList(ids []cqlparse.Ident) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = identText(id.Name)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func termList(ts []cqlparse.Term, open, close string) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = termText(t)
	}
	return open + strings.Join(parts, ", ") + close
}

// indexSupports reports whether a secondary index serves the restriction
// (Index.supportsExpression of CassandraIndex and its collection
// variants).
func indexSupports(r *restriction) bool {
	switch r.kind {
	case rEQ:
		for _, c := range r.cols {
			if columnIndexSupports(c, "eq") {
				return true
			}
		}
	case rContains:
		c := r.first()
		return (len(r.values) > 0 && columnIndexSupports(c, "contains")) ||
			(len(r.keys) > 0 && columnIndexSupports(c, "containsKey")) ||
			(len(r.entryKeys) > 0 && columnIndexSupports(c, "entry"))
	}
	return false
}

func columnIndexSupports(c *column, op string) bool {
	ct, isColl := base(c.typ).(*codec.CollectionType)
	for _, kind := range c.indexes {
		if kind == "" && isColl && ct.MultiCell() {
			kind = "values"
		}
		switch kind {
		case "", "full":
			if op == "eq" {
				return true
			}
		case "values":
			if op == "contains" {
				return true
			}
		case "keys":
			if op == "containsKey" || (op == "contains" && isColl && ct.Kind() == codec.SetKind) {
				return true
			}
		case "entries":
			if op == "entry" {
				return true
			}
		}
	}
	return false
}

func setSupportsIndex(s *restrictionSet) bool {
	return s.has(indexSupports)
}
