package cqlquery

import (
	"encoding/binary"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
)

// The IF part of a conditional INSERT, UPDATE or DELETE (Conditions,
// ColumnConditions, IfExistsCondition, IfNotExistsCondition and
// ColumnCondition of 3.11): preparation with Cassandra's messages, binding
// and evaluation against the current values of a row.

// conditions is a statement's IF clause.
type conditions struct {
	ifExists, ifNotExists bool
	// regular and static are the column conditions, in IF order.
	regular, static []*condition
}

func (cs *conditions) empty() bool {
	return cs == nil || (!cs.ifExists && !cs.ifNotExists && len(cs.regular) == 0 && len(cs.static) == 0)
}

// isExists reports IF EXISTS or IF NOT EXISTS.
func (cs *conditions) isExists() bool { return cs != nil && (cs.ifExists || cs.ifNotExists) }

func (cs *conditions) appliesToRegular() bool { return cs != nil && len(cs.regular) > 0 }
func (cs *conditions) appliesToStatic() bool  { return cs != nil && len(cs.static) > 0 }

// columns is Conditions.getColumns: the condition columns, regular ones
// first, each in IF order; nil for IF [NOT] EXISTS, whose failure shows
// every column.
func (cs *conditions) columns() []*column {
	if cs.isExists() {
		return nil
	}
	out := make([]*column, 0, len(cs.regular)+len(cs.static))
	for _, c := range cs.regular {
		out = append(out, c.col)
	}
	for _, c := range cs.static {
		out = append(out, c.col)
	}
	return out
}

// condition is one prepared ColumnCondition: c op v, c IN (...), c IN ?,
// c[e] op v (list index or map key), c.f op v (user type field).
type condition struct {
	col        *column
	op         cqlparse.Operator
	elem       term // c[elem], nil otherwise
	field      int  // c.field: the field's position; -1 otherwise
	nfields    int  // c.field: how many fields the user type has
	value      term // the value, or the IN marker's list
	in         []term
	inIsMarker bool
	// valueType compares the condition's values with the current one: the
	// column's, the element's or the field's type.
	valueType codec.Type
}

// prepareConditions is ModificationStatement.Parsed.prepareConditions.
func prepareConditions(p *prep, tb *table, ifExists, ifNotExists bool, raw []cqlparse.Condition, ts term) (*conditions, error) {
	switch {
	case ifExists:
		return &conditions{ifExists: true}, nil
	case ifNotExists:
		return &conditions{ifNotExists: true}, nil
	case len(raw) == 0:
		return nil, nil
	}
	if ts != nil {
		return nil, invalid("Cannot provide custom timestamp for conditional updates")
	}
	cs := &conditions{}
	for i := range raw {
		rc := &raw[i]
		c := tb.column(rc.Column.Name)
		if c == nil {
			return nil, invalidf("Unknown identifier %s in IF conditions", rc.Column.Name)
		}
		cond, err := prepareCondition(p, tb, c, rc)
		if err != nil {
			return nil, err
		}
		if c.isPK() {
			return nil, invalidf("PRIMARY KEY column '%s' cannot have IF conditions", c.name)
		}
		if c.isStatic() {
			cs.static = append(cs.static, cond)
		} else {
			cs.regular = append(cs.regular, cond)
		}
	}
	return cs, nil
}

// prepareCondition is ColumnCondition.Raw.prepare.
func prepareCondition(p *prep, tb *table, c *column, rc *cqlparse.Condition) (*condition, error) {
	if c.isCounter() {
		return nil, invalid("Conditions on counters are not supported")
	}
	cond := &condition{col: c, op: rc.Op, field: -1, valueType: base(c.typ)}
	recv := tb.receiver(c)
	switch {
	case rc.Elem != nil:
		ct, ok := base(c.typ).(*codec.CollectionType)
		if !ok {
			return nil, invalidf("Invalid element access syntax for non-collection column %s", c.name)
		}
		var elemRecv, valueRecv *receiver
		switch ct.Kind() {
		case codec.ListKind:
			elemRecv = recv.derived("idx("+c.name+")", codec.Int32)
			valueRecv = recv.derived("value("+c.name+")", ct.Elements())
		case codec.MapKind:
			elemRecv = recv.derived("key("+c.name+")", ct.Keys())
			valueRecv = recv.derived("value("+c.name+")", ct.Elements())
		default:
			return nil, invalidf("Invalid element access syntax for set column %s", c.name)
		}
		cond.valueType = ct.Elements()
		if rc.Op != cqlparse.OpIN {
			if err := checkDurationSlice(valueRecv.typ, rc.Op); err != nil {
				return nil, err
			}
		}
		var err error
		if cond.elem, err = p.prepareTerm(rc.Elem, elemRecv); err != nil {
			return nil, err
		}
		return cond, p.prepareConditionValue(cond, rc, valueRecv)
	case rc.Field.Name != "":
		ut, ok := base(c.typ).(*codec.UserType)
		if !ok {
			// 3.11 casts to UserType and fails with a ClassCastException.
			return nil, invalidf("Invalid field selection: %s of type %s is not a user type", c.name, codec.CQLName(c.typ))
		}
		pos := ut.FieldIndex(rc.Field.Name)
		if pos < 0 {
			return nil, invalidf("Unknown field %s for column %s", rc.Field.Name, c.name)
		}
		ft := ut.FieldTypes()[pos]
		cond.field, cond.nfields, cond.valueType = pos, len(ut.FieldNames()), ft
		fieldRecv := recv.derived(c.name+"."+rc.Field.Name, ft)
		if rc.Op != cqlparse.OpIN {
			if err := checkDurationSlice(ft, rc.Op); err != nil {
				return nil, err
			}
		}
		return cond, p.prepareConditionValue(cond, rc, fieldRecv)
	}
	if rc.Op != cqlparse.OpIN {
		if err := checkDurationSlice(c.typ, rc.Op); err != nil {
			return nil, err
		}
	}
	return cond, p.prepareConditionValue(cond, rc, recv)
}

// prepareConditionValue prepares the value (or IN values, or IN marker)
// of a condition for receiver r.
func (p *prep) prepareConditionValue(cond *condition, rc *cqlparse.Condition, r *receiver) error {
	if rc.Op != cqlparse.OpIN {
		t, err := p.prepareTerm(rc.Value, r)
		cond.value = t
		return err
	}
	if rc.InValues == nil {
		m, ok := rc.Value.(*cqlparse.BindMarker)
		if !ok {
			return invalidf("Invalid IN value %s", termText(rc.Value))
		}
		in := r.derived("in("+r.name+")", codec.List(r.typ, false))
		p.vars.add(m, in)
		cond.value, cond.inIsMarker = &marker{idx: m.Index, typ: in.typ}, true
		return nil
	}
	cond.in = make([]term, len(rc.InValues))
	for i, v := range rc.InValues {
		t, err := p.prepareTerm(v, r)
		if err != nil {
			return err
		}
		cond.in[i] = t
	}
	return nil
}

// checkDurationSlice is ColumnCondition.Raw.validateOperationOnDurations.
func checkDurationSlice(t codec.Type, op cqlparse.Operator) error {
	if !schema.ReferencesDuration(t) {
		return nil
	}
	switch op {
	case cqlparse.OpLT, cqlparse.OpLTE, cqlparse.OpGT, cqlparse.OpGTE:
	default:
		return nil
	}
	switch base(t).(type) {
	case *codec.CollectionType:
		return invalid("Slice conditions are not supported on collections containing durations")
	case *codec.TupleType:
		return invalid("Slice conditions are not supported on tuples containing durations")
	case *codec.UserType:
		return invalid("Slice conditions are not supported on UDTs containing durations")
	}
	return invalid("Slice conditions are not supported on durations")
}

// ---------------------------------------------------------------------------
// Binding and evaluation (ColumnCondition.Bound and its kinds)

// boundCondition is a condition with one execution's values.
type boundCondition struct {
	c     *condition
	elem  Value
	value Value
	in    []Value // IN: the values; a nil Bytes is null
}

// errUnsetCondition is ColumnCondition.Bound.compareWithOperator's refusal
// of an unset value.
func errUnsetCondition() error { return invalid("Invalid 'unset' value in condition") }

// bind is ColumnCondition.bind: the values, and the IN list checks
// (Invalid null list / unset) 3.11 makes when it binds.
func (cond *condition) bind(c *bindCtx) (*boundCondition, error) {
	b := &boundCondition{c: cond}
	var err error
	if cond.elem != nil {
		if b.elem, err = cond.elem.bind(c); err != nil {
			return nil, err
		}
	}
	if cond.op != cqlparse.OpIN {
		if b.value, err = cond.value.bind(c); err != nil {
			return nil, err
		}
		return b, nil
	}
	if cond.inIsMarker {
		v, err := cond.value.bind(c)
		if err != nil {
			return nil, err
		}
		switch {
		case v.Unset:
			return nil, errUnsetCondition()
		case v.Bytes == nil:
			return nil, invalid("Invalid null list in IN condition")
		}
		elems, err := layout.DecodeCollection(layout.List, v.Bytes)
		if err != nil {
			return nil, toError(err)
		}
		for _, e := range elems {
			b.in = append(b.in, Value{Bytes: e})
		}
		return b, nil
	}
	for _, t := range cond.in {
		v, err := t.bind(c)
		if err != nil {
			return nil, err
		}
		if !v.Unset { // unset values are ignored
			b.in = append(b.in, v)
		}
	}
	return b, nil
}

// appliesTo is Bound.appliesTo: whether the condition holds for a row
// whose current values are vals (nil: no row).
func (b *boundCondition) appliesTo(vals []layout.Value) (bool, error) {
	cond := b.c
	var cur layout.Value
	if vals != nil {
		cur = vals[cond.col.lc.Index]
	}
	current := func() []byte {
		switch {
		case !cur.Set:
			return nil
		case cur.Bytes == nil:
			return []byte{} // an empty value, not null
		}
		return cur.Bytes
	}
	switch {
	case cond.elem != nil:
		if b.elem.Unset {
			return false, errUnsetCondition()
		}
		ct := base(cond.col.typ).(*codec.CollectionType)
		if b.elem.Bytes == nil {
			kind := "list"
			if ct.Kind() == codec.MapKind {
				kind = "map"
			}
			return false, invalidf("Invalid null value for %s element access", kind)
		}
		elem, err := elementOf(ct, current(), b.elem.Bytes)
		if err != nil {
			return false, err
		}
		return b.compareValue(cond.valueType, elem)
	case cond.field >= 0:
		return b.compareValue(cond.valueType, fieldOf(current(), cond.field, cond.nfields))
	}
	if ct, ok := base(cond.col.typ).(*codec.CollectionType); ok {
		return b.compareCollection(ct, current())
	}
	return b.compareValue(cond.valueType, current())
}

// compareValue evaluates a scalar (or element, field, frozen value)
// condition against the current value cur (nil: null).
func (b *boundCondition) compareValue(t codec.Type, cur []byte) (bool, error) {
	if b.c.op == cqlparse.OpIN {
		for _, v := range b.in {
			ok, err := compareWithOperator(cqlparse.OpEQ, t, v, cur)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	}
	return compareWithOperator(b.c.op, t, b.value, cur)
}

// compareWithOperator is Bound.compareWithOperator: "cur op value".
func compareWithOperator(op cqlparse.Operator, t codec.Type, value Value, cur []byte) (bool, error) {
	if ok, done, err := compareUnsetOrNull(op, value, cur); done {
		return ok, err
	}
	if cur == nil {
		return op == cqlparse.OpNEQ, nil
	}
	return satisfies(op, t.Compare(cur, value.Bytes)), nil
}

// compareUnsetOrNull answers "cur op value" when value is unset (an
// error) or null (only = and != can compare with null); done is false
// for any other value, which the caller compares.
func compareUnsetOrNull(op cqlparse.Operator, value Value, cur []byte) (ok, done bool, err error) {
	if value.Unset {
		return false, true, errUnsetCondition()
	}
	if value.Bytes != nil {
		return false, false, nil
	}
	switch op {
	case cqlparse.OpEQ:
		return cur == nil, true, nil
	case cqlparse.OpNEQ:
		return cur != nil, true, nil
	}
	return false, true, invalidf("Invalid comparison with null for operator \"%s\"", op)
}

func satisfies(op cqlparse.Operator, cmp int) bool {
	switch op {
	case cqlparse.OpEQ:
		return cmp == 0
	case cqlparse.OpLT:
		return cmp < 0
	case cqlparse.OpLTE:
		return cmp <= 0
	case cqlparse.OpGT:
		return cmp > 0
	case cqlparse.OpGTE:
		return cmp >= 0
	case cqlparse.OpNEQ:
		return cmp != 0
	}
	return false
}

// compareCollection is CollectionBound (and CollectionInBound): the whole
// collection against a value, element by element for a non-frozen one
// (setOrListAppliesTo, mapAppliesTo), by the frozen type's order
// otherwise. An empty non-frozen collection is null.
func (b *boundCondition) compareCollection(ct *codec.CollectionType, cur []byte) (bool, error) {
	if b.c.op == cqlparse.OpIN {
		for _, v := range b.in {
			var ok bool
			var err error
			if ct.MultiCell() {
				ok, err = collectionApplies(ct, cqlparse.OpEQ, v, cur)
			} else {
				ok, err = compareWithOperator(cqlparse.OpEQ, ct, v, cur)
			}
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	}
	if !ct.MultiCell() {
		return compareWithOperator(b.c.op, ct, b.value, cur)
	}
	return collectionApplies(ct, b.c.op, b.value, cur)
}

// collectionApplies compares a non-frozen collection's current value with
// a condition value.
func collectionApplies(ct *codec.CollectionType, op cqlparse.Operator, value Value, cur []byte) (bool, error) {
	if ok, done, err := compareUnsetOrNull(op, value, cur); done {
		return ok, err
	}
	kind := collectionKind(ct)
	have, err := layout.DecodeCollection(kind, cur)
	if err != nil && cur != nil {
		return false, toError(err)
	}
	want, err := layout.DecodeCollection(kind, value.Bytes)
	if err != nil {
		return false, toError(err)
	}
	types := []codec.Type{ct.Elements()}
	switch kind {
	case layout.Set:
		want = sortUnique(ct.Elements(), want)
	case layout.Map:
		types = []codec.Type{ct.Keys(), ct.Elements()}
		want = sortEntries(ct.Keys(), want)
	}
	step := len(types)
	for i := 0; i < len(have); i += step {
		if i >= len(want) {
			return op == cqlparse.OpGT || op == cqlparse.OpGTE || op == cqlparse.OpNEQ, nil
		}
		for j, t := range types {
			if c := t.Compare(have[i+j], want[i+j]); c != 0 {
				return op != cqlparse.OpEQ && satisfies(op, c), nil
			}
		}
	}
	if len(want) > len(have) {
		return op == cqlparse.OpLT || op == cqlparse.OpLTE || op == cqlparse.OpNEQ, nil
	}
	return op == cqlparse.OpEQ || op == cqlparse.OpLTE || op == cqlparse.OpGTE, nil
}

func collectionKind(ct *codec.CollectionType) layout.Collection {
	switch ct.Kind() {
	case codec.ListKind:
		return layout.List
	case codec.SetKind:
		return layout.Set
	}
	return layout.Map
}

// elementOf returns the element of the current collection value cur at
// list index or map key e (nil when absent), as ElementAccessBound reads
// it.
func elementOf(ct *codec.CollectionType, cur, e []byte) ([]byte, error) {
	if ct.Kind() == codec.ListKind {
		if len(e) != 4 {
			return nil, invalidf("Invalid list index %x", e)
		}
		idx := int32(binary.BigEndian.Uint32(e))
		if idx < 0 {
			return nil, invalidf("Invalid negative list index %d", idx)
		}
		if cur == nil {
			return nil, nil
		}
		elems, err := layout.DecodeCollection(layout.List, cur)
		if err != nil {
			return nil, toError(err)
		}
		if int(idx) >= len(elems) {
			return nil, nil
		}
		return elems[idx], nil
	}
	if cur == nil {
		return nil, nil
	}
	kv, err := layout.DecodeCollection(layout.Map, cur)
	if err != nil {
		return nil, toError(err)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if ct.Keys().Compare(kv[i], e) == 0 {
			return kv[i+1], nil
		}
	}
	return nil, nil
}
