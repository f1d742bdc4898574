package cqlquery

import (
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// where is a prepared WHERE clause (StatementRestrictions): the
// partition key, clustering and non-key restrictions, and what reading
// them takes (a key list or a range, slices, a row filter, an index).
type where struct {
	tb    *table
	kind  Kind
	pk    pkRestrictions
	ck    ckRestrictions
	nonPK restrictionSet

	usesIndex  bool // a secondary index serves the query
	isKeyRange bool // the read is a range of partitions
	hasRegular bool // a regular column is restricted

	// Which restriction sets the row filter evaluates
	// (filterRestrictions), and how many restrictions that makes.
	pkFiltered, ckFiltered, nonPKFiltered bool
	filterCount                           int
	customExprs                           int
}

// buildWhere is the StatementRestrictions constructor of 3.11 for one
// statement type.
func buildWhere(p *prep, tb *table, kind Kind, rels []cqlparse.Relation, onlyStatic, selectsComplex, allowFiltering bool) (*where, error) {
	w := &where{tb: tb, kind: kind, nonPK: newRestrictionSet()}
	w.pk = pkRestrictions{n: len(tb.pk), set: newRestrictionSet()}
	w.ck = ckRestrictions{set: newRestrictionSet(), allowFiltering: allowFiltering}
	var custom []*cqlparse.CustomIndexExpr
	for _, rel := range rels {
		if cr, ok := rel.(*cqlparse.ColumnRelation); ok {
			switch cr.Op {
			case cqlparse.OpIsNot:
				return nil, invalidf("Unsupported restriction: %s", relationText(rel))
			case cqlparse.OpLike:
				if _, err := w.columnOf(cr.Column); err != nil {
					return nil, err
				}
				return nil, invalidf("LIKE restriction is only supported on properly indexed columns. %s is not valid.", relationText(rel))
			}
		}
		if ce, ok := rel.(*cqlparse.CustomIndexExpr); ok {
			custom = append(custom, ce)
			continue
		}
		if err := w.add(p, rel); err != nil {
			return nil, err
		}
	}
	w.hasRegular = w.nonPK.has(func(r *restriction) bool { return r.first().isRegular() })
	allowIndexes := kind == KindSelect
	if len(custom) > 0 {
		if kind != KindSelect {
			return nil, invalid("Custom index expressions cannot be used in WHERE clauses for UPDATE or DELETE statements")
		}
		if len(custom) > 1 {
			return nil, invalid("Multiple custom index expressions in a single query are not supported")
		}
		return nil, w.customIndexError(custom[0])
	}
	hasIndexedCK, hasIndex := false, false
	if allowIndexes {
		hasIndexedCK = setSupportsIndex(&w.ck.set)
		hasIndex = hasIndexedCK || setSupportsIndex(&w.pk.set) || setSupportsIndex(&w.nonPK)
	}
	if err := w.processPartitionKey(hasIndex, allowFiltering); err != nil {
		return nil, err
	}
	if w.usesIndex || w.pk.needFiltering() {
		w.addFilterSet(&w.pkFiltered, w.pk.set.size())
	}
	if onlyStatic && !w.ck.set.empty() {
		switch kind {
		case KindUpdate, KindDelete:
			return nil, invalidf("Invalid restrictions on clustering columns since the %s statement modifies only static columns", kind)
		case KindSelect:
			return nil, invalid("Cannot restrict clustering columns when selecting only static columns")
		}
	}
	if err := w.processClustering(hasIndex, onlyStatic, selectsComplex, allowFiltering); err != nil {
		return nil, err
	}
	if w.isKeyRange && hasIndexedCK {
		w.usesIndex = true
	}
	if w.usesIndex || w.ck.needFiltering() {
		w.addFilterSet(&w.ckFiltered, w.ck.set.size())
	}
	if !w.nonPK.empty() {
		if kind != KindSelect {
			return nil, invalidf("Non PRIMARY KEY columns found in where clause: %s ", joinNames(w.nonPK.columns()))
		}
		if hasIndex {
			w.usesIndex = true
		} else if !allowFiltering && !(tb.t.Super && tb.t.Dense) {
			return nil, invalid(requiresAllowFiltering)
		}
		w.addFilterSet(&w.nonPKFiltered, w.nonPK.size())
	}
	if w.usesIndex {
		if w.pk.hasIN() {
			return nil, invalid("Select on indexed columns and with IN clause for the PRIMARY KEY are not supported")
		}
		if onlyStatic {
			return nil, invalid("Queries using 2ndary indexes don't support selecting only static columns")
		}
	}
	return w, nil
}

// allPrimaryKeyByEquality is hasAllPKColumnsRestrictedByEqualities: every
// partition key and clustering column restricted by = or IN, not by a
// token.
func (w *where) allPrimaryKeyByEquality() bool {
	return w.pk.token == nil && w.pk.set.size() == w.pk.n && w.pk.set.onlyEquality() &&
		w.ck.set.size() == len(w.tb.ck) && w.ck.set.onlyEquality()
}

// requiresAllowFiltering is StatementRestrictions.REQUIRES_ALLOW_FILTERING_MESSAGE.
const requiresAllowFiltering = "Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING"

func (w *where) addFilterSet(flag *bool, n int) {
	if !*flag {
		*flag = true
		w.filterCount += n
	}
}

// needFiltering is StatementRestrictions.needFiltering.
func (w *where) needFiltering() bool {
	n := w.filterCount + w.customExprs
	return n > 1 || (n == 0 && !w.ck.set.empty()) || (n != 0 && w.nonPK.hasMultipleContains())
}

// customIndexError answers expr(index, value): no index of this server
// is a custom one.
func (w *where) customIndexError(e *cqlparse.CustomIndexExpr) error {
	t := w.tb.t
	if t.Index(e.Index.Name) == nil {
		return invalidf("Index '%s' could not be found in any of the tables of keyspace '%s'", e.Index.Name, t.Keyspace)
	}
	return invalidf("Index %s is not a custom index", e.Index.Name)
}

func (w *where) processPartitionKey(hasIndex, allowFiltering bool) error {
	if w.kind != KindSelect {
		if w.pk.token != nil {
			return invalidf("The token function cannot be used in WHERE clauses for %s statements", w.kind)
		}
		if w.pk.hasUnrestrictedComponents() {
			var missing []*column
			for _, c := range w.tb.pk {
				if w.pk.set.byCol[c] == nil {
					missing = append(missing, c)
				}
			}
			return invalidf("Some partition key parts are missing: %s", joinNames(missing))
		}
		if w.pk.set.hasSlice() {
			return invalidf("Only EQ and IN relation are supported on the partition key (unless you use the token() function) for %s statements", w.kind)
		}
		return nil
	}
	if w.pk.onToken() {
		w.isKeyRange = true
	}
	if w.pk.empty() {
		w.isKeyRange = true
		w.usesIndex = hasIndex
	}
	if w.pk.needFiltering() {
		if !allowFiltering && !hasIndex {
			return invalid(requiresAllowFiltering)
		}
		if w.pk.set.hasIN() {
			return invalid("IN restrictions are not supported when the query involves filtering")
		}
		w.isKeyRange = true
		w.usesIndex = hasIndex
	}
	return nil
}

func (w *where) processClustering(hasIndex, onlyStatic, selectsComplex, allowFiltering bool) error {
	slices := w.kind == KindSelect || w.kind == KindDelete
	if !slices && w.ck.set.hasSlice() {
		return invalidf("Slice restrictions are not supported on the clustering columns in %s statements", w.kind)
	}
	compact := w.tb.t.IsCompact()
	if !slices && (!compact || w.ck.set.empty()) {
		if !onlyStatic && w.ck.set.size() != len(w.tb.ck) {
			var missing []*column
			for _, c := range w.tb.ck {
				if w.ck.set.byCol[c] == nil {
					missing = append(missing, c)
				}
			}
			return invalidf("Some clustering keys are missing: %s", joinNames(missing))
		}
		return nil
	}
	if w.ck.set.hasIN() && selectsComplex {
		return invalid("Cannot restrict clustering columns by IN relations when a collection is selected by the query")
	}
	if w.ck.set.hasContains() && !hasIndex && !allowFiltering {
		return invalid("Clustering columns can only be restricted with CONTAINS with a secondary index or filtering")
	}
	if !w.ck.set.empty() && w.ck.needFiltering() {
		if hasIndex {
			w.usesIndex = true
		} else if !allowFiltering {
			restricted := w.ck.set.columns()
			for i, rc := range restricted {
				if cc := w.tb.ck[i]; cc != rc {
					return invalidf("PRIMARY KEY column \"%s\" cannot be restricted as preceding column \"%s\" is not restricted", rc.name, cc.name)
				}
			}
		}
	}
	return nil
}

// columnOf resolves a column name of the WHERE clause.
func (w *where) columnOf(id cqlparse.Ident) (*column, error) {
	return lookupColumn(w.tb, id)
}

// lookupColumn is ColumnDefinition.Raw.prepare.
func lookupColumn(tb *table, id cqlparse.Ident) (*column, error) {
	if c := tb.column(id.Name); c != nil {
		return c, nil
	}
	return nil, invalidf("Undefined column name %s", identText(id.Name))
}

// add converts one relation (Relation.toRestriction) and merges it.
func (w *where) add(p *prep, rel cqlparse.Relation) error {
	switch x := rel.(type) {
	case *cqlparse.ColumnRelation:
		r, err := w.columnRestriction(p, x)
		if err != nil {
			return err
		}
		return w.merge(r)
	case *cqlparse.TokenRelation:
		t, err := w.tokenRestriction(p, x)
		if err != nil {
			return err
		}
		if w.pk.token == nil {
			w.pk.token = t
			return nil
		}
		m, err := w.pk.token.mergeWith(t)
		if err != nil {
			return err
		}
		w.pk.token = m
		return nil
	case *cqlparse.TupleRelation:
		r, err := w.tupleRestriction(p, x)
		if err != nil {
			return err
		}
		return w.merge(r)
	}
	return invalid("Unsupported relation")
}

// merge adds a restriction to the set of its first column's kind
// (StatementRestrictions.addRestriction).
func (w *where) merge(r *restriction) error {
	switch r.first().kind {
	case schema.PartitionKey:
		return w.pk.set.add(r)
	case schema.Clustering:
		return w.ck.mergeWith(r)
	}
	return w.nonPK.add(r)
}

func sliceIndex(op cqlparse.Operator) (int, bool) {
	switch op {
	case cqlparse.OpGT:
		return 0, false
	case cqlparse.OpGTE:
		return 0, true
	case cqlparse.OpLT:
		return 1, false
	case cqlparse.OpLTE:
		return 1, true
	}
	return -1, false
}

// columnRestriction is SingleColumnRelation.toRestriction.
func (w *where) columnRestriction(p *prep, rel *cqlparse.ColumnRelation) (*restriction, error) {
	switch rel.Op {
	case cqlparse.OpEQ, cqlparse.OpLT, cqlparse.OpLTE, cqlparse.OpGT, cqlparse.OpGTE, cqlparse.OpIN,
		cqlparse.OpContains, cqlparse.OpContainsKey:
	default:
		return nil, invalidf("Unsupported \"!=\" relation: %s", relationText(rel))
	}
	c, err := w.columnOf(rel.Column)
	if err != nil {
		return nil, err
	}
	r := &restriction{cols: []*column{c}}
	if i, _ := sliceIndex(rel.Op); i >= 0 {
		if schema.ReferencesDuration(c.typ) {
			switch base(c.typ).(type) {
			case *codec.CollectionType:
				return nil, invalid("Slice restrictions are not supported on collections containing durations")
			case *codec.TupleType:
				return nil, invalid("Slice restrictions are not supported on tuples containing durations")
			case *codec.UserType:
				return nil, invalid("Slice restrictions are not supported on UDTs containing durations")
			}
			return nil, invalid("Slice restrictions are not supported on duration columns")
		}
	}
	recvs, err := w.receivers(c, rel)
	if err != nil {
		return nil, err
	}
	switch rel.Op {
	case cqlparse.OpEQ:
		if rel.MapKey != nil {
			k, err := p.prepareTerm(rel.MapKey, recvs[0])
			if err != nil {
				return nil, err
			}
			v, err := p.prepareTerm(rel.Value, recvs[1])
			if err != nil {
				return nil, err
			}
			r.kind, r.entryKeys, r.entryValues = rContains, []term{k}, []term{v}
			return r, nil
		}
		t, err := p.prepareTerm(rel.Value, recvs[0])
		if err != nil {
			return nil, err
		}
		r.kind, r.eq = rEQ, t
	case cqlparse.OpIN:
		if rel.Value != nil { // IN ?
			m, ok := rel.Value.(*cqlparse.BindMarker)
			if !ok {
				return nil, invalidf("Invalid IN value %s", termText(rel.Value))
			}
			in := recvs[0].derived("in("+c.name+")", codec.List(recvs[0].typ, false))
			p.vars.add(m, in)
			r.kind, r.inMark = rIN, &inMarker{idx: m.Index, elem: recvs[0].typ}
			return r, nil
		}
		terms := make([]term, len(rel.InValues))
		for i, v := range rel.InValues {
			t, err := p.prepareTerm(v, recvs[0])
			if err != nil {
				return nil, err
			}
			terms[i] = t
		}
		if len(terms) == 1 {
			r.kind, r.eq = rEQ, terms[0]
			return r, nil
		}
		r.kind, r.in = rIN, terms
	case cqlparse.OpContains, cqlparse.OpContainsKey:
		t, err := p.prepareTerm(rel.Value, recvs[0])
		if err != nil {
			return nil, err
		}
		r.kind = rContains
		if rel.Op == cqlparse.OpContainsKey {
			r.keys = []term{t}
		} else {
			r.values = []term{t}
		}
	default:
		i, incl := sliceIndex(rel.Op)
		t, err := p.prepareTerm(rel.Value, recvs[0])
		if err != nil {
			return nil, err
		}
		r.kind = rSlice
		r.bounds[i] = &sliceBound{single: t, inclusive: incl}
	}
	return r, nil
}

// receivers is SingleColumnRelation.toReceivers.
func (w *where) receivers(c *column, rel *cqlparse.ColumnRelation) ([]*receiver, error) {
	recv := w.tb.receiver(c)
	isIN := rel.Op == cqlparse.OpIN
	if isIN && !c.isPK() && !(rel.Value == nil && len(rel.InValues) == 1) {
		return nil, invalidf("IN predicates on non-primary-key columns (%s) is not yet supported", c.name)
	}
	ct, isColl := base(c.typ).(*codec.CollectionType)
	if rel.Op == cqlparse.OpContainsKey && !(isColl && ct.Kind() == codec.MapKind) {
		return nil, invalidf("Cannot use CONTAINS KEY on non-map column %s", c.name)
	}
	if rel.Op == cqlparse.OpContains && !isColl {
		return nil, invalidf("Cannot use CONTAINS on non-collection column %s", c.name)
	}
	if rel.MapKey != nil {
		if isColl && ct.Kind() == codec.ListKind {
			return nil, invalidf("Indexes on list entries (%s[index] = value) are not currently supported.", c.name)
		}
		if !isColl || ct.Kind() != codec.MapKind {
			return nil, invalidf("Column %s cannot be used as a map", c.name)
		}
		if !ct.MultiCell() {
			return nil, invalidf("Map-entry equality predicates on frozen map column %s are not supported", c.name)
		}
		if rel.Op != cqlparse.OpEQ {
			return nil, invalid("Only EQ relations are supported on map entries")
		}
	}
	if ut, ok := base(c.typ).(*codec.UserType); ok && ut.MultiCell() {
		return nil, invalidf("Non-frozen UDT column '%s' (%s) cannot be restricted by any relation", c.name, codec.CQLName(c.typ))
	}
	if isColl {
		legal := rel.Op == cqlparse.OpContains || rel.Op == cqlparse.OpContainsKey || (rel.MapKey != nil && rel.Op == cqlparse.OpEQ)
		if ct.MultiCell() && !legal {
			return nil, invalidf("Collection column '%s' (%s) cannot be restricted by a '%s' relation", c.name, codec.CQLName(c.typ), rel.Op)
		}
		switch {
		case rel.Op == cqlparse.OpContainsKey:
			return []*receiver{recv.derived("key("+c.name+")", ct.Keys())}, nil
		case rel.Op == cqlparse.OpContains:
			return []*receiver{recv.derived("value("+c.name+")", ct.Elements())}, nil
		case ct.MultiCell() && rel.MapKey != nil:
			return []*receiver{recv.derived("key("+c.name+")", ct.Keys()), recv.derived("value("+c.name+")", ct.Elements())}, nil
		}
	}
	return []*receiver{recv}, nil
}

// tokenRestriction is TokenRelation.toRestriction.
func (w *where) tokenRestriction(p *prep, rel *cqlparse.TokenRelation) (*tokenRestriction, error) {
	switch rel.Op {
	case cqlparse.OpEQ, cqlparse.OpLT, cqlparse.OpLTE, cqlparse.OpGT, cqlparse.OpGTE:
	case cqlparse.OpIN, cqlparse.OpContains, cqlparse.OpContainsKey, cqlparse.OpIsNot, cqlparse.OpLike:
		return nil, invalidf("%s cannot be used with the token function", rel.Op)
	default:
		return nil, invalidf("Unsupported \"!=\" relation: %s", relationText(rel))
	}
	cols := make([]*column, len(rel.Columns))
	for i, id := range rel.Columns {
		c, err := w.columnOf(id)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	if !sameColumns(cols, w.tb.pk) {
		if !containsAll(cols, w.tb.pk) {
			return nil, invalid("The token() function must be applied to all partition key components or none of them")
		}
		seen := map[*column]bool{}
		for _, c := range cols {
			if seen[c] {
				return nil, invalid("The token() function contains duplicate partition key components")
			}
			seen[c] = true
		}
		if !containsAll(w.tb.pk, cols) {
			return nil, invalid("The token() function must contains only partition key components")
		}
		return nil, invalidf("The token function arguments must be in the partition key order: %s", joinNames(w.tb.pk))
	}
	recv := &receiver{ks: w.tb.t.Keyspace, table: w.tb.t.Name, name: "partition key token", typ: tokenType(p.env.partitioner())}
	t, err := p.prepareTerm(rel.Value, recv)
	if err != nil {
		return nil, err
	}
	tr := &tokenRestriction{names: joinNames(cols)}
	if rel.Op == cqlparse.OpEQ {
		tr.eq = t
	} else {
		i, incl := sliceIndex(rel.Op)
		tr.bounds[i] = &sliceBound{single: t, inclusive: incl}
	}
	return tr, nil
}

func sameColumns(a, b []*column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// containsAll reports whether every column of b is in a.
func containsAll(a, b []*column) bool {
	for _, c := range b {
		found := false
		for _, d := range a {
			if c == d {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// tupleRestriction is MultiColumnRelation.toRestriction.
func (w *where) tupleRestriction(p *prep, rel *cqlparse.TupleRelation) (*restriction, error) {
	switch rel.Op {
	case cqlparse.OpEQ, cqlparse.OpLT, cqlparse.OpLTE, cqlparse.OpGT, cqlparse.OpGTE, cqlparse.OpIN:
	case cqlparse.OpContains, cqlparse.OpContainsKey, cqlparse.OpLike:
		return nil, invalidf("%s cannot be used for multi-column relations", rel.Op)
	default:
		return nil, invalidf("Unsupported \"!=\" relation: %s", relationText(rel))
	}
	var cols []*column
	prev := -1
	for _, id := range rel.Columns {
		c, err := w.columnOf(id)
		if err != nil {
			return nil, err
		}
		if c.kind != schema.Clustering {
			return nil, invalidf("Multi-column relations can only be applied to clustering columns but was applied to: %s", c.name)
		}
		for _, d := range cols {
			if d == c {
				return nil, invalidf("Column \"%s\" appeared twice in a relation: %s", c.name, relationText(rel))
			}
		}
		if prev != -1 && c.pos != prev+1 {
			return nil, invalidf("Clustering columns must appear in the PRIMARY KEY order in multi-column relations: %s", relationText(rel))
		}
		cols = append(cols, c)
		prev = c.pos
	}
	r := &restriction{cols: cols, multi: true}
	switch rel.Op {
	case cqlparse.OpEQ:
		t, err := w.prepareTuple(p, cols, rel.Value)
		if err != nil {
			return nil, err
		}
		r.kind, r.eqT = rEQ, t
	case cqlparse.OpIN:
		if rel.Value != nil {
			m, ok := rel.Value.(*cqlparse.BindMarker)
			if !ok {
				return nil, invalidf("Invalid IN value %s", termText(rel.Value))
			}
			types := make([]codec.Type, len(cols))
			name := "in("
			for i, c := range cols {
				if c.multiCell() {
					return nil, invalid("Non-frozen collection columns do not support IN relations")
				}
				types[i] = c.typ
				if i > 0 {
					name += ","
				}
				name += c.name
			}
			recv := w.tb.receiver(cols[0]).derived(name+")", codec.List(codec.NewTuple(types...), false))
			p.vars.add(m, recv)
			r.kind, r.inMark = rIN, &inMarker{idx: m.Index, types: types}
			return r, nil
		}
		ts := make([]tupleTerm, len(rel.InValues))
		for i, v := range rel.InValues {
			t, err := w.prepareTuple(p, cols, v)
			if err != nil {
				return nil, err
			}
			ts[i] = t
		}
		if len(ts) == 1 {
			r.kind, r.eqT = rEQ, ts[0]
			return r, nil
		}
		r.kind, r.inT = rIN, ts
	default:
		t, err := w.prepareTuple(p, cols, rel.Value)
		if err != nil {
			return nil, err
		}
		i, incl := sliceIndex(rel.Op)
		r.kind = rSlice
		r.bounds[i] = &sliceBound{tuple: t, inclusive: incl}
	}
	return r, nil
}

// prepareTuple prepares the value of a multi-column relation: a tuple
// literal whose components go to the columns, or a marker bound to a
// tuple (named "(b,c)").
func (w *where) prepareTuple(p *prep, cols []*column, raw cqlparse.Term) (tupleTerm, error) {
	switch x := raw.(type) {
	case *cqlparse.TupleLiteral:
		if len(x.Elems) != len(cols) {
			return nil, invalidf("Expected %d elements in value tuple, but got %d: %s", len(cols), len(x.Elems), termText(raw))
		}
		elems := make([]term, len(cols))
		for i, e := range x.Elems {
			t, err := p.prepareTerm(e, w.tb.receiver(cols[i]))
			if err != nil {
				return nil, err
			}
			elems[i] = t
		}
		return &tupleLit{elems: elems}, nil
	case *cqlparse.BindMarker:
		types := make([]codec.Type, len(cols))
		name := "("
		for i, c := range cols {
			types[i] = c.typ
			if i > 0 {
				name += ","
			}
			name += c.name
		}
		name += ")"
		p.vars.add(x, w.tb.receiver(cols[0]).derived(name, codec.NewTuple(types...)))
		return &tupleMarker{idx: x.Index, name: name, types: types}, nil
	}
	return nil, invalidf("Invalid tuple value %s", termText(raw))
}
