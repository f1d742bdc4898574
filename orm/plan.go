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

	key, super *fieldPlan
	raw        *rawPlan
	ttl        *fieldPlan
	counter    bool
	defaults   []*fieldPlan // columns with default=
	sizeHint   int          // a first guess at the packed size of a row
}

// fieldPlan is one mapped field: where it lives in the struct and how its
// value is encoded.
type fieldPlan struct {
	f         *tags.Field
	name      string // column name
	nameAny   any    // name boxed once
	nameBytes []byte // name as bytes, for the transport
	off       uintptr
	kind      reflect.Kind // kind of f.BaseType
	ptr       bool         // a pointer field: nil is an absent column
	op        op
	typ       codec.Type // the declared type, for the generic path
	pos       int        // index in plan.cols

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
		counter: st.Counter}
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
	if st.Key != nil {
		if p.key, err = newFieldPlan(st.Type, st.Key); err != nil {
			return nil, err
		}
	}
	if st.Super != nil {
		if p.super, err = newFieldPlan(st.Type, st.Super); err != nil {
			return nil, err
		}
	}
	if st.TTL != nil {
		fp := &fieldPlan{f: st.TTL, off: offsetOf(st.Type, st.TTL.Index), kind: st.TTL.BaseType.Kind(),
			ptr: st.TTL.Nullable}
		p.ttl = fp
	}
	if st.Raw != nil {
		p.raw = &rawPlan{f: st.Raw, off: offsetOf(st.Type, st.Raw.Index), any: st.Raw.RawAny}
	}
	return p, nil
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
		kind: f.BaseType.Kind(), ptr: f.GoType.Kind() == reflect.Pointer, typ: f.Type, null: f.Null}
	fp.op = chooseOp(f)
	switch f.Class {
	case tags.ClassAny, tags.ClassIP, tags.ClassTuple, tags.ClassAddr:
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
)

func chooseOp(f *tags.Field) op {
	t := base(f.Type)
	if t == nil {
		return opGeneric
	}
	text := t == codec.UTF8 || t == codec.Ascii || t == codec.Bytes
	switch f.Class {
	case tags.ClassString:
		if text {
			return opString
		}
	case tags.ClassBytes:
		if text && f.BaseType.Elem() == reflect.TypeFor[byte]() {
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
