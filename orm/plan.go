package orm

import (
	"fmt"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm/tags"
	"github.com/cassa-go/cassa/query"
)

// plan is everything the mapper needs to move one struct type to and from
// columns, built once per type from its tags and cached in plans.
type plan struct {
	st   *tags.Struct
	typ  reflect.Type
	cols []*fieldPlan // in declaration order

	// sorted holds cols in byte order of their names: Cassandra returns
	// columns sorted by a UTF8/Ascii/Bytes comparator, so decoding walks
	// both lists together and only looks in byName when they disagree.
	sorted []*fieldPlan
	byName map[string]*fieldPlan
	byGo   map[string]*fieldPlan // Go field name -> field, for options naming fields

	readNames []any // column names in comparator (byte) order, boxed once, for query.Columns
	// defaultRead selects what a plain read asks for: the model's columns,
	// or every column for a model with a raw field (built once; a read
	// with options builds its own).
	defaultRead query.Select

	// pk is the partition key, ck the clustering columns, in key order;
	// key is pk[0], the row key of a model with one key field. keyType
	// packs the partition key as Thrift stores it: the key field's type,
	// or a CompositeType of the partition key's types.
	pk, ck     []*fieldPlan
	key, super *fieldPlan
	keyType    codec.Type
	// ckType orders clustering prefixes, comparator the Thrift column
	// names of a model with clustering columns (nil without).
	ckType, comparator codec.Type
	// anyByName and anyByGo find every field with a column (key,
	// clustering and the others) by column name and Go field name, for
	// queries.
	anyByName, anyByGo map[string]*fieldPlan
	statics            bool // some column is static
	raw                *rawPlan
	ttl                *fieldPlan
	counter            bool
	defaults           []*fieldPlan // columns with default=
	sizeHint           int          // a first guess at the packed size of a row
}

// valueCodec is how one Go type's values are encoded with one marshal
// type: a fast path (op) for single values, or the codecs of the elements
// of a collection, a tuple or a user type.
type valueCodec struct {
	op    op
	kind  reflect.Kind // kind of gt
	gt    reflect.Type // the Go type (without the field's pointer)
	class tags.GoClass // class of gt
	typ   codec.Type   // the marshal type, for the generic path

	// Collections: the element (list, set; map values) and key codecs,
	// and whether elements are pointers. A set may live in a
	// map[K]struct{} (setMap).
	elem, key      *valueCodec
	elemPtr        bool
	setMap         bool
	elemSize       uintptr
	keyCmp, valCmp codec.Type // orders the packed elements of sets and map keys
	// Tuples and user types held in a struct: one entry per component.
	fields []structCodec
}

// structCodec is one field of a struct holding a tuple or a user type.
type structCodec struct {
	off uintptr
	ptr bool
	vc  *valueCodec
}

// fieldPlan is one mapped field: where it lives in the struct and how its
// value is encoded.
type fieldPlan struct {
	valueCodec
	f         *tags.Field
	name      string // column name
	nameAny   any    // name boxed once
	nameBytes []byte // name as bytes, for the transport
	off       uintptr
	ptr       bool // a pointer field: nil is an absent column
	pos       int  // index in plan.cols

	// mayBeAbsent is set for pointers and for the types absent looks into;
	// the others always have a value, so pack skips the check.
	mayBeAbsent bool
	// emptyIsNil: empty bytes on read mean no value (every type but text).
	emptyIsNil bool
	null       tags.NullMode // tag option null=, copied from f for the write loop
	// zeroIsEmpty: a zero value is empty, as a nil pointer is (omitempty;
	// null=skip or null=delete on a field that cannot be nil; see
	// tags.NullMode).
	zeroIsEmpty bool
}

// rawPlan is the field collecting unmapped columns.
type rawPlan struct {
	f   *tags.Field
	off uintptr
	any bool // map[string]any rather than map[string][]byte
}

// plans caches a plan (or the error building it) per struct type. Entries
// are stored on success and on failure alike, so a type is parsed once; the
// benchmark BenchmarkPlanCache fails if lookups stop hitting.
var plans sync.Map // reflect.Type -> *planEntry

type planEntry struct {
	p   *plan
	err error
}

// planBuilds counts plan builds, so tests can check the cache hits.
var planBuilds atomic.Int64

// planFor returns the cached plan of t, building it on first use.
func planFor(t reflect.Type) (*plan, error) {
	if e, ok := plans.Load(t); ok {
		pe := e.(*planEntry)
		return pe.p, pe.err
	}
	p, err := buildPlan(t)
	e, _ := plans.LoadOrStore(t, &planEntry{p: p, err: err})
	pe := e.(*planEntry)
	return pe.p, pe.err
}

func buildPlan(t reflect.Type) (*plan, error) {
	planBuilds.Add(1)
	st, err := tags.ParseStruct(t)
	if err != nil {
		return nil, err
	}
	p := &plan{st: st, typ: st.Type, byName: map[string]*fieldPlan{}, byGo: map[string]*fieldPlan{},
		anyByName: map[string]*fieldPlan{}, anyByGo: map[string]*fieldPlan{}, counter: st.Counter}
	// The field plans lie side by side, so that a row's encoding and
	// decoding walk one block of memory.
	fields := make([]fieldPlan, len(st.Columns))
	for i := range st.Columns {
		fp := &fields[i]
		if err := fp.init(st.Type, &st.Columns[i]); err != nil {
			return nil, err
		}
		fp.pos = len(p.cols)
		p.sizeHint += fp.sizeGuess()
		p.cols = append(p.cols, fp)
		p.byName[fp.name] = fp
		p.byGo[fp.f.GoName] = fp
		if fp.f.HasDefault {
			p.defaults = append(p.defaults, fp)
		}
	}
	p.sorted = append([]*fieldPlan(nil), p.cols...)
	sort.Slice(p.sorted, func(i, j int) bool { return p.sorted[i].name < p.sorted[j].name })
	for _, fp := range p.sorted {
		p.readNames = append(p.readNames, fp.nameAny)
	}
	if st.Raw != nil || len(p.cols) == 0 {
		p.defaultRead = query.Select{}.PerPartitionLimit(query.Unlimited)
	} else {
		p.defaultRead = query.Columns(p.readNames...)
	}
	for i := range st.PartitionKey {
		fp, err := newFieldPlan(st.Type, &st.PartitionKey[i])
		if err != nil {
			return nil, err
		}
		fp.setName(st.KeyColumn(i))
		fp.pos = i
		p.pk = append(p.pk, fp)
	}
	for i := range st.Clustering {
		fp, err := newFieldPlan(st.Type, &st.Clustering[i])
		if err != nil {
			return nil, err
		}
		fp.pos = i
		p.ck = append(p.ck, fp)
	}
	if len(p.ck) > 0 {
		types := make([]codec.Type, len(p.ck))
		for i, fp := range p.ck {
			types[i] = fp.typ
			if fp.f.Descending {
				types[i] = codec.Reversed(fp.typ)
			}
		}
		p.ckType = codec.Composite(types...)
		p.comparator = codec.Composite(append(types, codec.UTF8)...)
	}
	if len(p.pk) > 0 {
		p.key = p.pk[0]
		p.keyType = p.pk[0].typ
		if len(p.pk) > 1 {
			types := make([]codec.Type, len(p.pk))
			for i, fp := range p.pk {
				types[i] = fp.typ
			}
			p.keyType = codec.Composite(types...)
		}
	}
	for _, fp := range append(append(append([]*fieldPlan(nil), p.pk...), p.ck...), p.cols...) {
		p.anyByName[fp.name] = fp
		if _, dup := p.anyByName[fp.f.GoName]; !dup {
			p.anyByGo[fp.f.GoName] = fp
		}
	}
	for _, fp := range p.cols {
		if fp.f.Static {
			p.statics = true
		}
	}
	if st.Super != nil {
		if p.super, err = newFieldPlan(st.Type, st.Super); err != nil {
			return nil, err
		}
	}
	if st.TTL != nil {
		fp := &fieldPlan{f: st.TTL, off: offsetOf(st.Type, st.TTL.Index), ptr: st.TTL.Nullable}
		fp.kind, fp.gt, fp.class = st.TTL.BaseType.Kind(), st.TTL.BaseType, st.TTL.Class
		p.ttl = fp
	}
	if st.Raw != nil {
		p.raw = &rawPlan{f: st.Raw, off: offsetOf(st.Type, st.Raw.Index), any: st.Raw.RawAny}
	}
	return p, nil
}

// setName renames a field's column (partition key fields without a name
// in their tag get Cassandra's defaults).
func (fp *fieldPlan) setName(n string) {
	fp.name, fp.nameAny, fp.nameBytes = n, n, []byte(n)
}

// offsetOf sums the offsets along an index path. ParseStruct refuses
// embedded pointers, so every step is a value inside its parent and the
// field's address is the struct's plus this constant.
func offsetOf(t reflect.Type, index []int) uintptr {
	var off uintptr
	for _, i := range index {
		sf := t.Field(i)
		off += sf.Offset
		t = sf.Type
	}
	return off
}

func newFieldPlan(st reflect.Type, f *tags.Field) (*fieldPlan, error) {
	fp := new(fieldPlan)
	if err := fp.init(st, f); err != nil {
		return nil, err
	}
	return fp, nil
}

// init plans the field f of the struct type st.
func (fp *fieldPlan) init(st reflect.Type, f *tags.Field) error {
	*fp = fieldPlan{f: f, name: f.Name, nameAny: f.Name, nameBytes: []byte(f.Name), off: offsetOf(st, f.Index),
		ptr: f.GoType.Kind() == reflect.Pointer, null: f.Null}
	if f.Type != nil {
		vc, err := newValueCodec(f.BaseType, f.Type)
		if err != nil {
			return &tags.TagError{Struct: f.Struct, Field: f.GoName, Tag: f.Tag, Problem: err.Error(), Err: tags.ErrType}
		}
		fp.valueCodec = *vc
	} else {
		fp.valueCodec = valueCodec{gt: f.BaseType, kind: f.BaseType.Kind(), class: f.Class}
	}
	switch f.Class {
	case tags.ClassAny, tags.ClassIP, tags.ClassTuple, tags.ClassAddr, tags.ClassList, tags.ClassMap:
		fp.mayBeAbsent = true
	}
	fp.mayBeAbsent = fp.mayBeAbsent || fp.ptr
	fp.emptyIsNil = f.Class != tags.ClassString && f.Class != tags.ClassBytes
	fp.zeroIsEmpty = f.OmitEmpty || !fp.mayBeAbsent && (f.Null == tags.NullSkip || f.Null == tags.NullDelete)
	if fp.op == opGeneric && f.Type == nil {
		return &tags.TagError{Struct: f.Struct, Field: f.GoName, Tag: f.Tag,
			Problem: fmt.Sprintf("no marshal type for a Go %s; add type=", f.GoType), Err: tags.ErrType}
	}
	return nil
}

// base strips ReversedType, which changes order but not bytes.
func base(t codec.Type) codec.Type {
	for {
		r, ok := t.(*codec.ReversedType)
		if !ok {
			return t
		}
		t = r.Base()
	}
}

// op is a fast encoding path: a Go class paired with a marshal type whose
// bytes the mapper writes and reads itself, with no boxing.
type op uint8

const (
	opGeneric  op = iota // box the value and call the codec
	opString             // string kinds as UTF8, Ascii or Bytes
	opBytes              // []byte kinds as UTF8, Ascii or Bytes
	opLong               // int kinds and time.Duration as LongType
	opLongU              // uint kinds as LongType
	opInt32              // int kinds as Int32Type
	opInt32U             // uint kinds as Int32Type
	opVarint             // int kinds and time.Duration as IntegerType
	opVarintU            // uint kinds as IntegerType
	opDouble             // float kinds as DoubleType
	opFloat              // float kinds as FloatType
	opBool               // bool kinds as BooleanType
	opTime               // time.Time as DateType or TimestampType
	opUUID               // [16]byte kinds as UUIDType or LexicalUUIDType
	opTimeUUID           // [16]byte kinds as TimeUUIDType (version 1 checked)
	opDecimal            // decimal.Decimal as DecimalType
	opBigInt             // big.Int as IntegerType
	opCounter            // int kinds as CounterColumnType (read only)

	// The CQL types; encodeCQL and decodeCQL handle them.
	opShort       // int and uint kinds as ShortType (smallint)
	opByte        // int and uint kinds as ByteType (tinyint)
	opSimpleDate  // time.Time as SimpleDateType (date)
	opTimeOfDay   // time.Duration and int kinds as TimeType (time)
	opCQLDuration // time.Duration as DurationType (duration)
	opList        // slices as ListType (and SetType)
	opSet         // slices and map[K]struct{} as SetType
	opMap         // maps as MapType
	opStruct      // structs as TupleType or UserType
)

func chooseOp(class tags.GoClass, gt reflect.Type, t codec.Type) op {
	t = base(t)
	if t == nil {
		return opGeneric
	}
	text := t == codec.UTF8 || t == codec.Ascii || t == codec.Bytes
	switch t {
	case codec.Short:
		if class == tags.ClassInt || class == tags.ClassUint {
			return opShort
		}
	case codec.Byte:
		if class == tags.ClassInt || class == tags.ClassUint {
			return opByte
		}
	case codec.SimpleDate:
		if class == tags.ClassTime {
			return opSimpleDate
		}
	case codec.Time:
		if class == tags.ClassInt || class == tags.ClassDuration {
			return opTimeOfDay
		}
	case codec.Duration:
		if class == tags.ClassDuration {
			return opCQLDuration
		}
	}
	switch t.(type) {
	case *codec.CollectionType, *codec.TupleType, *codec.UserType:
		return opGeneric // newValueCodec decides
	}
	switch class {
	case tags.ClassString:
		if text {
			return opString
		}
	case tags.ClassBytes:
		if text && gt.Elem() == reflect.TypeFor[byte]() {
			return opBytes
		}
	case tags.ClassInt, tags.ClassDuration:
		switch t {
		case codec.Long:
			return opLong
		case codec.Int32:
			return opInt32
		case codec.Integer:
			return opVarint
		case codec.CounterColumn:
			return opCounter
		}
	case tags.ClassUint:
		switch t {
		case codec.Long:
			return opLongU
		case codec.Int32:
			return opInt32U
		case codec.Integer:
			return opVarintU
		}
	case tags.ClassFloat:
		switch t {
		case codec.Double:
			return opDouble
		case codec.Float:
			return opFloat
		}
	case tags.ClassBool:
		if t == codec.Boolean {
			return opBool
		}
	case tags.ClassTime:
		if t == codec.Date || t == codec.Timestamp {
			return opTime
		}
	case tags.ClassUUID:
		switch t {
		case codec.UUID, codec.LexicalUUID:
			return opUUID
		case codec.TimeUUID:
			return opTimeUUID
		}
	case tags.ClassDecimal:
		if t == codec.Decimal {
			return opDecimal
		}
	case tags.ClassBigInt:
		if t == codec.Integer {
			return opBigInt
		}
	}
	return opGeneric
}

// sizeGuess is the bytes a value of the field usually packs to.
func (fp *fieldPlan) sizeGuess() int {
	switch fp.op {
	case opLong, opLongU, opDouble, opTime:
		return 8
	case opInt32, opInt32U, opFloat:
		return 4
	case opBool:
		return 1
	case opUUID, opTimeUUID:
		return 16
	}
	return 16
}

// addr is the address of the field in the struct at p; for a pointer
// field, the address of the pointer.
func (fp *fieldPlan) addr(p unsafe.Pointer) unsafe.Pointer { return unsafe.Add(p, fp.off) }

// value returns the address of the field's value, or nil for a nil
// pointer field.
func (fp *fieldPlan) value(p unsafe.Pointer) unsafe.Pointer { return fp.valueAt(fp.addr(p)) }

// valueAt is value for the field at a: a itself, or what a pointer field
// at a points to.
func (fp *fieldPlan) valueAt(a unsafe.Pointer) unsafe.Pointer {
	if fp.ptr {
		return *(*unsafe.Pointer)(a)
	}
	return a
}

// target returns the address to decode into, allocating the pointee of a
// pointer field. The common non-pointer case stays small enough to inline.
func (fp *fieldPlan) target(p unsafe.Pointer) unsafe.Pointer {
	a := unsafe.Add(p, fp.off)
	if fp.ptr {
		return fp.alloc(a)
	}
	return a
}

func (fp *fieldPlan) alloc(a unsafe.Pointer) unsafe.Pointer {
	v := reflect.New(fp.f.BaseType).UnsafePointer()
	*(*unsafe.Pointer)(a) = v
	return v
}

// noescape hides p from escape analysis. The mapper decodes into the
// caller's T through unsafe.Pointer, and the reflect calls on its slow
// paths would otherwise make every instance escape to the heap (one
// allocation per row read). None of those paths keeps p after returning.
//
//go:nosplit
func noescape(p unsafe.Pointer) unsafe.Pointer {
	x := uintptr(p)
	return *(*unsafe.Pointer)(unsafe.Pointer(&x))
}

// reflectAt is the field as a settable reflect.Value (slow paths).
func reflectAt(t reflect.Type, p unsafe.Pointer) reflect.Value {
	return reflect.NewAt(t, p).Elem()
}
