package orm

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"sort"
	"time"
	"unsafe"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm/tags"
)

// This file encodes the CQL types that go beyond single Thrift-era
// values: smallint, tinyint, date, time and duration, and the
// collections, tuples and user types, element by element through the
// elements' own codecs, in the native protocol's format (v3 and later:
// 32-bit counts and lengths), which is also how Cassandra stores frozen
// values. Like the fast paths of fieldcodec.go they work on addresses, so
// a Go value is never boxed whole.

// newValueCodec plans the encoding of Go type gt (without a pointer) with
// the marshal type t.
func newValueCodec(gt reflect.Type, t codec.Type) (*valueCodec, error) {
	return buildCodec(gt, t, 0)
}

func buildCodec(gt reflect.Type, t codec.Type, depth int) (*valueCodec, error) {
	if depth > 32 {
		return nil, fmt.Errorf("type %s is nested too deeply", codec.CQLName(t))
	}
	class := tags.Classify(gt)
	vc := &valueCodec{gt: gt, kind: gt.Kind(), class: class, typ: t}
	vc.op = chooseOp(class, gt, t)
	if vc.op != opGeneric {
		return vc, nil
	}
	elemOf := func(et reflect.Type, ct codec.Type) (*valueCodec, bool, error) {
		ptr := et.Kind() == reflect.Pointer
		if ptr {
			et = et.Elem()
		}
		c, err := buildCodec(et, ct, depth+1)
		return c, ptr, err
	}
	var err error
	switch x := base(t).(type) {
	case *codec.CollectionType:
		switch {
		case class == tags.ClassList && x.Kind() != codec.MapKind:
			vc.op = opList
			if x.Kind() == codec.SetKind {
				vc.op, vc.keyCmp = opSet, x.Elements()
			}
			vc.elemSize = gt.Elem().Size()
			vc.elem, vc.elemPtr, err = elemOf(gt.Elem(), x.Elements())
		case class == tags.ClassMap && x.Kind() == codec.SetKind && gt.Elem().Kind() == reflect.Struct && gt.Elem().NumField() == 0:
			vc.op, vc.setMap, vc.keyCmp = opSet, true, x.Elements()
			vc.elem, vc.elemPtr, err = elemOf(gt.Key(), x.Elements())
		case class == tags.ClassMap && x.Kind() == codec.MapKind:
			vc.op, vc.keyCmp = opMap, x.Keys()
			var keyPtr bool
			if vc.key, keyPtr, err = elemOf(gt.Key(), x.Keys()); err == nil && keyPtr {
				err = fmt.Errorf("a map key cannot be a pointer (%s)", gt.Key())
			}
			if err == nil {
				vc.elem, vc.elemPtr, err = elemOf(gt.Elem(), x.Elements())
			}
		}
	case *codec.TupleType:
		if class == tags.ClassStruct {
			vc.op = opStruct
			err = vc.structFields(gt, x.Components(), depth)
		}
	case *codec.UserType:
		if class == tags.ClassStruct {
			vc.op = opStruct
			err = vc.structFields(gt, x.FieldTypes(), depth)
		}
	}
	if err != nil {
		return nil, err
	}
	return vc, nil
}

// structFields plans the fields of a struct holding a tuple or user type,
// one per component, in order (tags.StructFields gives the same fields
// that made the type).
func (vc *valueCodec) structFields(gt reflect.Type, types []codec.Type, depth int) error {
	fields, err := tags.StructFields(gt)
	if err != nil {
		return err
	}
	if len(fields) != len(types) {
		return fmt.Errorf("the Go struct %s has %d fields for the %d of %s", gt, len(fields), len(types), codec.CQLName(vc.typ))
	}
	for i, f := range fields {
		ft := f.GoType
		ptr := ft.Kind() == reflect.Pointer
		if ptr {
			ft = ft.Elem()
		}
		c, err := buildCodec(ft, types[i], depth+1)
		if err != nil {
			return err
		}
		vc.fields = append(vc.fields, structCodec{off: offsetOf(gt, f.Index), ptr: ptr, vc: c})
	}
	return nil
}

// appendLen reserves a 32-bit length in dst, to be set by setLen.
func appendLen(dst []byte) ([]byte, int) {
	return append(dst, 0, 0, 0, 0), len(dst)
}

// setLen writes the length of what follows the reserved length at at.
func setLen(dst []byte, at int) error {
	n := len(dst) - at - 4
	if n > math.MaxInt32 {
		return fmt.Errorf("a value of %d bytes: %w", n, codec.ErrRange)
	}
	binary.BigEndian.PutUint32(dst[at:], uint32(n))
	return nil
}

// encodeElem appends one element (an int32 length and its bytes) of a
// collection, tuple or user type; a nil pointer is null, which only
// tuples and user types can hold.
func encodeElem(dst []byte, vc *valueCodec, ptr bool, a unsafe.Pointer, nullOK bool) ([]byte, error) {
	if ptr {
		a = *(*unsafe.Pointer)(a)
		if a == nil {
			if !nullOK {
				return dst, fmt.Errorf("a collection cannot hold null (a nil %s)", vc.gt)
			}
			return binary.BigEndian.AppendUint32(dst, 0xffffffff), nil
		}
	}
	dst, at := appendLen(dst)
	dst, err := vc.encode(dst, a)
	if err != nil {
		return dst, err
	}
	return dst, setLen(dst, at)
}

// encodeCQL is encode for the ops of this file.
func (vc *valueCodec) encodeCQL(dst []byte, v unsafe.Pointer) ([]byte, error) {
	switch vc.op {
	case opShort, opByte:
		n, lo, hi := int64(0), int64(math.MinInt16), int64(math.MaxInt16)
		if vc.op == opByte {
			lo, hi = math.MinInt8, math.MaxInt8
		}
		if vc.class == tags.ClassUint {
			u := loadUint(v, vc.kind)
			if u > uint64(hi) {
				return dst, rangeErr(u, vc.kind)
			}
			n = int64(u)
		} else {
			n = loadInt(v, vc.kind)
		}
		if n < lo || n > hi {
			return dst, rangeErr(n, vc.kind)
		}
		if vc.op == opByte {
			return append(dst, byte(int8(n))), nil
		}
		return binary.BigEndian.AppendUint16(dst, uint16(int16(n))), nil
	case opSimpleDate:
		b, err := codec.SimpleDate.Pack(*(*time.Time)(v))
		return append(dst, b...), err
	case opTimeOfDay:
		n := loadInt(v, vc.kind)
		if n < 0 || n >= int64(24*time.Hour) {
			return dst, fmt.Errorf("time of day %d ns is outside 0 to 24h: %w", n, codec.ErrRange)
		}
		return codec.AppendLong(dst, n), nil
	case opCQLDuration:
		d := *(*time.Duration)(v)
		dst = codec.AppendVInt(dst, 0)
		dst = codec.AppendVInt(dst, 0)
		return codec.AppendVInt(dst, int64(d)), nil
	case opList, opSet:
		return vc.encodeCollection(dst, v)
	case opMap:
		return vc.encodeMap(dst, v)
	case opStruct:
		for i := range vc.fields {
			f := &vc.fields[i]
			a := unsafe.Add(v, f.off)
			if !f.ptr && (f.vc.op == opList || f.vc.op == opSet || f.vc.op == opMap) && reflectAt(f.vc.gt, a).IsNil() {
				dst = binary.BigEndian.AppendUint32(dst, 0xffffffff) // a nil collection is null
				continue
			}
			var err error
			if dst, err = encodeElem(dst, f.vc, f.ptr, a, true); err != nil {
				return dst, err
			}
		}
		return dst, nil
	}
	return dst, fmt.Errorf("no encoding of a Go %s as %s: %w", vc.gt, codec.CQLName(vc.typ), codec.ErrUnsupported)
}

// encodeCollection appends a list or set: the count, then each element.
// Set elements are sorted by their type and duplicates dropped, so equal
// sets have equal bytes (as Cassandra requires of frozen values).
func (vc *valueCodec) encodeCollection(dst []byte, v unsafe.Pointer) ([]byte, error) {
	rv := reflectAt(vc.gt, v)
	n := rv.Len()
	if n > math.MaxInt32 {
		return dst, fmt.Errorf("a collection of %d elements: %w", n, codec.ErrRange)
	}
	if vc.setMap {
		var err error
		var elems []byte
		spans := make([][2]int, 0, n)
		it := rv.MapRange()
		k := reflect.New(vc.gt.Key()).Elem()
		for it.Next() {
			k.SetIterKey(it)
			start := len(elems)
			if elems, err = encodeElem(elems, vc.elem, vc.elemPtr, k.Addr().UnsafePointer(), false); err != nil {
				return dst, err
			}
			spans = append(spans, [2]int{start, len(elems)})
		}
		return appendSorted(dst, elems, spans, nil, vc.keyCmp), nil
	}
	if vc.op == opList {
		dst = binary.BigEndian.AppendUint32(dst, uint32(n))
		base := rv.UnsafePointer()
		for i := 0; i < n; i++ {
			var err error
			if dst, err = encodeElem(dst, vc.elem, vc.elemPtr, unsafe.Add(base, uintptr(i)*vc.elemSize), false); err != nil {
				return dst, err
			}
		}
		return dst, nil
	}
	var elems []byte
	spans := make([][2]int, 0, n)
	base := rv.UnsafePointer()
	for i := 0; i < n; i++ {
		start := len(elems)
		var err error
		if elems, err = encodeElem(elems, vc.elem, vc.elemPtr, unsafe.Add(base, uintptr(i)*vc.elemSize), false); err != nil {
			return dst, err
		}
		spans = append(spans, [2]int{start, len(elems)})
	}
	return appendSorted(dst, elems, spans, nil, vc.keyCmp), nil
}

// encodeMap appends a map: the count, then each key and value, sorted by
// key.
func (vc *valueCodec) encodeMap(dst []byte, v unsafe.Pointer) ([]byte, error) {
	rv := reflectAt(vc.gt, v)
	var keys, vals []byte
	kspans := make([][2]int, 0, rv.Len())
	vspans := make([][2]int, 0, rv.Len())
	k := reflect.New(vc.gt.Key()).Elem()
	e := reflect.New(vc.gt.Elem()).Elem()
	it := rv.MapRange()
	for it.Next() {
		k.SetIterKey(it)
		e.SetIterValue(it)
		var err error
		start := len(keys)
		if keys, err = encodeElem(keys, vc.key, false, k.Addr().UnsafePointer(), false); err != nil {
			return dst, err
		}
		kspans = append(kspans, [2]int{start, len(keys)})
		start = len(vals)
		if vals, err = encodeElem(vals, vc.elem, vc.elemPtr, e.Addr().UnsafePointer(), false); err != nil {
			return dst, err
		}
		vspans = append(vspans, [2]int{start, len(vals)})
	}
	if len(kspans) > math.MaxInt32 {
		return dst, fmt.Errorf("a map of %d entries: %w", len(kspans), codec.ErrRange)
	}
	return appendSorted(dst, keys, kspans, &sortedValues{vals, vspans}, vc.keyCmp), nil
}

type sortedValues struct {
	b     []byte
	spans [][2]int
}

// appendSorted appends a count and the elements (each an int32 length and
// bytes, at spans in b) in the order of cmp with duplicates dropped (the
// last one kept, as a Go map or CQL literal would), each followed by its
// value when vals is given.
func appendSorted(dst, b []byte, spans [][2]int, vals *sortedValues, cmp codec.Type) []byte {
	order := make([]int, len(spans))
	for i := range order {
		order[i] = i
	}
	elem := func(i int) []byte { s := spans[i]; return b[s[0]+4 : s[1]] }
	sort.SliceStable(order, func(i, j int) bool { return cmp.Compare(elem(order[i]), elem(order[j])) < 0 })
	kept := order[:0]
	for _, i := range order {
		if len(kept) > 0 && cmp.Compare(elem(kept[len(kept)-1]), elem(i)) == 0 {
			kept[len(kept)-1] = i
			continue
		}
		kept = append(kept, i)
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(kept)))
	for _, i := range kept {
		dst = append(dst, b[spans[i][0]:spans[i][1]]...)
		if vals != nil {
			dst = append(dst, vals.b[vals.spans[i][0]:vals.spans[i][1]]...)
		}
	}
	return dst
}

// readElem reads one element: its bytes, or nil for null (length -1).
func readElem(b []byte) (elem, rest []byte, null bool, err error) {
	if len(b) < 4 {
		return nil, nil, false, fmt.Errorf("truncated element: %w", codec.ErrMalformed)
	}
	n := int32(binary.BigEndian.Uint32(b))
	b = b[4:]
	if n < 0 {
		return nil, b, true, nil
	}
	if int(n) > len(b) {
		return nil, nil, false, fmt.Errorf("element of %d bytes in %d: %w", n, len(b), codec.ErrMalformed)
	}
	return b[:n:n], b[n:], false, nil
}

// decodeElem decodes an element into the (pointer, if ptr) Go value at a.
func decodeElem(b []byte, null bool, vc *valueCodec, ptr bool, a unsafe.Pointer) error {
	if null {
		return nil
	}
	if ptr {
		p := reflect.New(vc.gt).UnsafePointer()
		*(*unsafe.Pointer)(a) = p
		a = p
	}
	if len(b) == 0 && vc.class != tags.ClassString && vc.class != tags.ClassBytes && vc.op != opList && vc.op != opSet && vc.op != opMap {
		return nil
	}
	return vc.decodeValue(b, a)
}

// decodeCQL is decodeValue for the ops of this file.
func (vc *valueCodec) decodeCQL(b []byte, v unsafe.Pointer) error {
	switch vc.op {
	case opShort:
		if len(b) != 2 {
			return fmt.Errorf("smallint of %d bytes: %w", len(b), codec.ErrMalformed)
		}
		return storeSigned(v, vc.kind, int64(int16(binary.BigEndian.Uint16(b))))
	case opByte:
		if len(b) != 1 {
			return fmt.Errorf("tinyint of %d bytes: %w", len(b), codec.ErrMalformed)
		}
		return storeSigned(v, vc.kind, int64(int8(b[0])))
	case opSimpleDate:
		x, err := codec.SimpleDate.Unpack(b)
		if err != nil {
			return err
		}
		if t, ok := x.(time.Time); ok {
			*(*time.Time)(v) = t
		}
		return nil
	case opTimeOfDay:
		n, err := codec.DecodeLong(b)
		if err != nil {
			return err
		}
		return storeInt(v, vc.kind, n)
	case opCQLDuration:
		m, n1, ok1 := codec.DecodeVInt(b)
		d, n2, ok2 := codec.DecodeVInt(b[n1:])
		ns, _, ok3 := codec.DecodeVInt(b[n1+n2:])
		switch {
		case !ok1 || !ok2 || !ok3:
			return fmt.Errorf("duration: %w", codec.ErrMalformed)
		case m != 0 || d != 0:
			return fmt.Errorf("a duration of %d months and %d days does not fit a time.Duration; use codec.DurationValue: %w", m, d, codec.ErrRange)
		}
		*(*time.Duration)(v) = time.Duration(ns)
		return nil
	case opList, opSet:
		return vc.decodeCollection(b, v)
	case opMap:
		return vc.decodeMap(b, v)
	case opStruct:
		rest := b
		for i := range vc.fields {
			f := &vc.fields[i]
			a := unsafe.Add(v, f.off)
			if len(rest) == 0 {
				break // fields added to the type after this value was written
			}
			elem, r, null, err := readElem(rest)
			if err != nil {
				return err
			}
			if err := decodeElem(elem, null, f.vc, f.ptr, a); err != nil {
				return err
			}
			rest = r
		}
		return nil // fields the struct does not know are left out
	}
	return fmt.Errorf("no decoding of %s into a Go %s: %w", codec.CQLName(vc.typ), vc.gt, codec.ErrUnsupported)
}

// count reads a collection's element count.
func count(b []byte, per int) (int, []byte, error) {
	if len(b) < 4 {
		return 0, nil, fmt.Errorf("truncated collection: %w", codec.ErrMalformed)
	}
	n := int32(binary.BigEndian.Uint32(b))
	if n < 0 || int(n)*per*4 > len(b)-4 {
		return 0, nil, fmt.Errorf("collection of %d elements in %d bytes: %w", n, len(b), codec.ErrMalformed)
	}
	return int(n), b[4:], nil
}

func (vc *valueCodec) decodeCollection(b []byte, v unsafe.Pointer) error {
	n, rest, err := count(b, 1)
	if err != nil {
		return err
	}
	rv := reflectAt(vc.gt, v)
	if vc.setMap {
		m := reflect.MakeMapWithSize(vc.gt, n)
		k := reflect.New(vc.gt.Key())
		empty := reflect.New(vc.gt.Elem()).Elem()
		for i := 0; i < n; i++ {
			var elem []byte
			var null bool
			if elem, rest, null, err = readElem(rest); err != nil {
				return err
			}
			k.Elem().SetZero()
			if err := decodeElem(elem, null, vc.elem, vc.elemPtr, k.UnsafePointer()); err != nil {
				return err
			}
			m.SetMapIndex(k.Elem(), empty)
		}
		rv.Set(m)
		return nil
	}
	s := reflect.MakeSlice(vc.gt, n, n)
	base := s.UnsafePointer()
	for i := 0; i < n; i++ {
		var elem []byte
		var null bool
		if elem, rest, null, err = readElem(rest); err != nil {
			return err
		}
		if err := decodeElem(elem, null, vc.elem, vc.elemPtr, unsafe.Add(base, uintptr(i)*vc.elemSize)); err != nil {
			return err
		}
	}
	rv.Set(s)
	return nil
}

func (vc *valueCodec) decodeMap(b []byte, v unsafe.Pointer) error {
	n, rest, err := count(b, 2)
	if err != nil {
		return err
	}
	m := reflect.MakeMapWithSize(vc.gt, n)
	k := reflect.New(vc.gt.Key())
	e := reflect.New(vc.gt.Elem())
	for i := 0; i < n; i++ {
		var kb, eb []byte
		var knull, enull bool
		if kb, rest, knull, err = readElem(rest); err != nil {
			return err
		}
		if eb, rest, enull, err = readElem(rest); err != nil {
			return err
		}
		k.Elem().SetZero()
		e.Elem().SetZero()
		if err := decodeElem(kb, knull, vc.key, false, k.UnsafePointer()); err != nil {
			return err
		}
		if err := decodeElem(eb, enull, vc.elem, vc.elemPtr, e.UnsafePointer()); err != nil {
			return err
		}
		m.SetMapIndex(k.Elem(), e.Elem())
	}
	reflectAt(vc.gt, v).Set(m)
	return nil
}
