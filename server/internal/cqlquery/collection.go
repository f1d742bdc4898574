package cqlquery

import (
	"bytes"
	"encoding/binary"
	"sort"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/layout"
)

// Collection, tuple and user type literals (Lists.Literal, Sets.Literal,
// Maps.Literal, Tuples.Literal, UserTypes.Literal): the literal's shape
// must fit the receiver, its elements are prepared for the element
// receivers ("value(c)", "key(c)", "c[i]", "c.f"), and the value is
// serialized in the native protocol's v3+ form when bound. Bind markers
// may stand for tuple components and user type fields, not for
// collection elements, as in 3.11.

// compositeTerm serializes its parts when bound.
type compositeTerm struct {
	kind  cqlparse.Term // the literal's kind, for messages
	name  string        // the receiver name
	typ   codec.Type
	elems []term // list/set elements, map keys and values alternating, tuple/UDT components
}

func (t *compositeTerm) containsMarker() bool {
	for _, e := range t.elems {
		if e != nil && e.containsMarker() {
			return true
		}
	}
	return false
}

func (t *compositeTerm) bind(c *bindCtx) (Value, error) {
	vals := make([][]byte, len(t.elems))
	for i, e := range t.elems {
		if e == nil {
			continue
		}
		v, err := e.bind(c)
		if err != nil {
			return Value{}, err
		}
		if v.Unset {
			switch t.typ.(type) {
			case *codec.UserType:
				u := t.typ.(*codec.UserType)
				return Value{}, invalidf("Invalid unset value for field '%s' of user defined type %s", u.FieldNames()[i], u.Name)
			case *codec.TupleType:
				return Value{}, invalidf("Invalid unset value for tuple field number %d", i)
			}
		}
		vals[i] = v.Bytes
	}
	switch ct := base(t.typ).(type) {
	case *codec.CollectionType:
		for _, v := range vals {
			if v == nil {
				return Value{}, invalid("null is not supported inside collections")
			}
		}
		switch ct.Kind() {
		case codec.ListKind:
			return Value{Bytes: layout.AppendCollection(nil, vals)}, nil
		case codec.SetKind:
			return Value{Bytes: layout.AppendCollection(nil, sortUnique(ct.Elements(), vals))}, nil
		default:
			return Value{Bytes: layout.AppendMap(nil, sortEntries(ct.Keys(), vals))}, nil
		}
	default: // tuple, user type: [int32 len][bytes], -1 for null
		out := []byte{}
		for _, v := range vals {
			if v == nil {
				out = binary.BigEndian.AppendUint32(out, 0xFFFFFFFF)
				continue
			}
			out = binary.BigEndian.AppendUint32(out, uint32(len(v)))
			out = append(out, v...)
		}
		return Value{Bytes: out}, nil
	}
}

// sortUnique sorts set elements by the element type and drops duplicates.
func sortUnique(t codec.Type, vals [][]byte) [][]byte {
	sort.SliceStable(vals, func(i, j int) bool { return t.Compare(vals[i], vals[j]) < 0 })
	out := vals[:0]
	for i, v := range vals {
		if i > 0 && t.Compare(out[len(out)-1], v) == 0 {
			continue
		}
		out = append(out, v)
	}
	return out
}

// sortEntries sorts map entries (keys and values alternating) by key; the
// last of equal keys wins.
func sortEntries(kt codec.Type, kv [][]byte) [][]byte {
	type entry struct{ k, v []byte }
	es := make([]entry, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		es = append(es, entry{kv[i], kv[i+1]})
	}
	sort.SliceStable(es, func(i, j int) bool { return kt.Compare(es[i].k, es[j].k) < 0 })
	out := make([][]byte, 0, len(kv))
	for i, e := range es {
		if i+1 < len(es) && kt.Compare(e.k, es[i+1].k) == 0 {
			continue
		}
		out = append(out, e.k, e.v)
	}
	return out
}

func prepareCollectionLiteral(p *prep, raw cqlparse.Term, r *receiver) (term, error) {
	typ := base(r.typ)
	ct, _ := typ.(*codec.CollectionType)
	rtype := codec.CQLName(r.typ)
	elemRecv := func(name string, t codec.Type) *receiver { return r.derived(name+"("+r.name+")", t) }
	prepElems := func(what string, elems []cqlparse.Term, er *receiver, kind string) ([]term, error) {
		out := make([]term, len(elems))
		for i, e := range elems {
			if testAssignment(p, e, er) == notAssignable {
				return nil, invalidf("Invalid %s literal for %s: %s %s is not of type %s", what, r.name, kind, termText(e), codec.CQLName(er.typ))
			}
			t, err := p.prepareTerm(e, er)
			if err != nil {
				return nil, err
			}
			if t.containsMarker() {
				return nil, invalidf("Invalid %s literal for %s: bind variables are not supported inside collection literals", what, r.name)
			}
			out[i] = t
		}
		return out, nil
	}
	switch x := raw.(type) {
	case *cqlparse.ListLiteral:
		if ct == nil || ct.Kind() != codec.ListKind {
			return nil, invalidf("Invalid list literal for %s of type %s", r.name, rtype)
		}
		elems, err := prepElems("list", x.Elems, elemRecv("value", ct.Elements()), "value")
		if err != nil {
			return nil, err
		}
		return &compositeTerm{kind: raw, name: r.name, typ: typ, elems: elems}, nil
	case *cqlparse.SetLiteral:
		if ct != nil && ct.Kind() == codec.MapKind && len(x.Elems) == 0 {
			return &constant{v: layout.AppendMap(nil, nil)}, nil
		}
		if ct == nil || ct.Kind() != codec.SetKind {
			return nil, invalidf("Invalid set literal for %s of type %s", r.name, rtype)
		}
		elems, err := prepElems("set", x.Elems, elemRecv("value", ct.Elements()), "value")
		if err != nil {
			return nil, err
		}
		return &compositeTerm{kind: raw, name: r.name, typ: typ, elems: elems}, nil
	case *cqlparse.MapLiteral:
		if ct == nil || ct.Kind() != codec.MapKind {
			return nil, invalidf("Invalid map literal for %s of type %s", r.name, rtype)
		}
		kr, vr := elemRecv("key", ct.Keys()), elemRecv("value", ct.Elements())
		var elems []term
		for _, e := range x.Entries {
			k, err := prepElems("map", []cqlparse.Term{e.Key}, kr, "key")
			if err != nil {
				return nil, err
			}
			v, err := prepElems("map", []cqlparse.Term{e.Value}, vr, "value")
			if err != nil {
				return nil, err
			}
			elems = append(elems, k[0], v[0])
		}
		return &compositeTerm{kind: raw, name: r.name, typ: typ, elems: elems}, nil
	case *cqlparse.TupleLiteral:
		tt, ok := typ.(*codec.TupleType)
		if !ok {
			return nil, invalidf("Invalid tuple type literal for %s of type %s", r.name, rtype)
		}
		comps := tt.Components()
		if len(x.Elems) > len(comps) {
			return nil, invalidf("Invalid tuple literal for %s: too many elements. Type %s expects %d but got %d",
				r.name, rtype, len(comps), len(x.Elems))
		}
		elems := make([]term, len(x.Elems))
		for i, e := range x.Elems {
			er := r.derived(r.name+"["+itoa(i)+"]", comps[i])
			if testAssignment(p, e, er) == notAssignable {
				return nil, invalidf("Invalid tuple literal for %s: component %d is not of type %s", r.name, i, codec.CQLName(comps[i]))
			}
			t, err := p.prepareTerm(e, er)
			if err != nil {
				return nil, err
			}
			elems[i] = t
		}
		return &compositeTerm{kind: raw, name: r.name, typ: typ, elems: elems}, nil
	case *cqlparse.UDTLiteral:
		ut, ok := typ.(*codec.UserType)
		if !ok {
			return nil, invalidf("Invalid user type literal for %s of type %s", r.name, rtype)
		}
		names, types := ut.FieldNames(), ut.FieldTypes()
		elems := make([]term, len(names))
		for _, f := range x.Fields {
			i := ut.FieldIndex(f.Name.Name)
			if i < 0 {
				return nil, invalidf("Unknown field '%s' in value of user defined type %s", f.Name.Name, ut.Name)
			}
			er := r.derived(r.name+"."+names[i], types[i])
			if testAssignment(p, f.Value, er) == notAssignable {
				return nil, invalidf("Invalid user type literal for %s: field %s is not of type %s", r.name, names[i], codec.CQLName(types[i]))
			}
			t, err := p.prepareTerm(f.Value, er)
			if err != nil {
				return nil, err
			}
			elems[i] = t
		}
		// Every field of the type is in the value, a missing one as null
		// (UserTypes.Literal.prepare fills in NULL_LITERAL).
		return &compositeTerm{kind: raw, name: r.name, typ: typ, elems: elems}, nil
	}
	return nil, invalidf("Invalid term %s for %s", termText(raw), r.name)
}

// compositeAssignment is testAssignment for collection, tuple and user
// type literals.
func compositeAssignment(p *prep, raw cqlparse.Term, r *receiver) assignability {
	typ := base(r.typ)
	ct, _ := typ.(*codec.CollectionType)
	all := func(elems []cqlparse.Term, er *receiver) assignability {
		res := exactMatch
		for _, e := range elems {
			switch testAssignment(p, e, er) {
			case notAssignable:
				return notAssignable
			case weaklyAssignable:
				res = weaklyAssignable
			}
		}
		if len(elems) == 0 {
			return weaklyAssignable
		}
		return res
	}
	switch x := raw.(type) {
	case *cqlparse.ListLiteral:
		if ct == nil || ct.Kind() != codec.ListKind {
			return notAssignable
		}
		return all(x.Elems, r.derived("", ct.Elements()))
	case *cqlparse.SetLiteral:
		if ct != nil && ct.Kind() == codec.MapKind && len(x.Elems) == 0 {
			return weaklyAssignable
		}
		if ct == nil || ct.Kind() != codec.SetKind {
			return notAssignable
		}
		return all(x.Elems, r.derived("", ct.Elements()))
	case *cqlparse.MapLiteral:
		if ct == nil || ct.Kind() != codec.MapKind {
			return notAssignable
		}
		var ks, vs []cqlparse.Term
		for _, e := range x.Entries {
			ks, vs = append(ks, e.Key), append(vs, e.Value)
		}
		a, b := all(ks, r.derived("", ct.Keys())), all(vs, r.derived("", ct.Elements()))
		return min(a, b)
	case *cqlparse.TupleLiteral:
		tt, ok := typ.(*codec.TupleType)
		if !ok || len(x.Elems) > len(tt.Components()) {
			return notAssignable
		}
		res := weaklyAssignable
		for i, e := range x.Elems {
			if testAssignment(p, e, r.derived("", tt.Components()[i])) == notAssignable {
				return notAssignable
			}
		}
		return res
	case *cqlparse.UDTLiteral:
		ut, ok := typ.(*codec.UserType)
		if !ok {
			return notAssignable
		}
		for _, f := range x.Fields {
			i := ut.FieldIndex(f.Name.Name)
			if i < 0 || testAssignment(p, f.Value, r.derived("", ut.FieldTypes()[i])) == notAssignable {
				return notAssignable
			}
		}
		return weaklyAssignable
	}
	return notAssignable
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	neg := i < 0
	if neg {
		i = -i
	}
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			break
		}
	}
	if neg {
		n--
		b[n] = '-'
	}
	return string(b[n:])
}

var _ = bytes.Equal
