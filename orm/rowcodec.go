package orm

import (
	"fmt"
	"reflect"
	"time"
	"unsafe"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

// packedCol is one encoded column: its field and where its value lies in
// the shared buffer (offsets, because the buffer may move as it grows).
type packedCol struct {
	pos        int // the field's index in plan.cols
	start, end int
}

// pack encodes the fields of the struct at p into buf, one entry per
// column to write: every selected field that has a value (nil pointers are
// skipped) and is not an omitempty zero, in declaration order. It
// allocates nothing when buf and cols have room.
func (pl *plan) pack(p unsafe.Pointer, sel []bool, buf []byte, cols []packedCol) ([]byte, []packedCol, error) {
	for _, fp := range pl.cols {
		if sel != nil && !sel[fp.pos] {
			continue
		}
		if fp.mayBeAbsent && fp.absent(p) {
			continue
		}
		v := fp.value(p)
		if fp.omitEmpty && fp.empty(v) {
			continue
		}
		start := len(buf)
		var err error
		if buf, err = fp.encode(buf, v); err != nil {
			return buf, cols, fp.err("pack", err)
		}
		cols = append(cols, packedCol{pos: fp.pos, start: start, end: len(buf)})
	}
	return buf, cols, nil
}

func (fp *fieldPlan) err(op string, err error) error {
	return &FieldError{Struct: fp.f.Struct, Field: fp.f.GoName, Column: fp.name, Op: op, Err: err}
}

// packOne encodes a key or super column field on its own.
func (fp *fieldPlan) packOne(p unsafe.Pointer, what string) ([]byte, error) {
	if fp.absent(p) {
		return nil, fp.err("pack", fmt.Errorf("the %s is nil", what))
	}
	b, err := fp.encode(nil, fp.value(p))
	if err != nil {
		return nil, fp.err("pack", err)
	}
	if len(b) == 0 && what == "row key" {
		return nil, fp.err("pack", fmt.Errorf("the row key is empty"))
	}
	return b, nil
}

// ttlOf reads the instance's ttl field in whole seconds (rounded up, as
// columnfamily.TTL does); zero when the model has none or it is zero.
func (pl *plan) ttlOf(p unsafe.Pointer) (int32, error) {
	fp := pl.ttl
	if fp == nil || fp.absent(p) {
		return 0, nil
	}
	v := fp.value(p)
	var secs int64
	if fp.f.BaseType == reflect.TypeFor[time.Duration]() {
		d := *(*time.Duration)(v)
		secs = int64((d + time.Second - 1) / time.Second)
	} else if k := fp.kind; k >= reflect.Uint && k <= reflect.Uintptr {
		u := loadUint(v, k)
		if u > 1<<31-1 {
			return 0, fp.err("pack", rangeErr(u, reflect.Int32))
		}
		secs = int64(u)
	} else {
		secs = loadInt(v, k)
	}
	if secs < 0 || secs > 1<<31-1 {
		return 0, fp.err("pack", fmt.Errorf("ttl %d s is out of range", secs))
	}
	return int32(secs), nil
}

// columnList turns packed columns into the column family's form. Each value is
// a sub-slice of buf capped at its end, so nothing is copied.
func (pl *plan) columnList(buf []byte, cols []packedCol, ttl int32) columnfamily.ColumnList {
	out := make(columnfamily.ColumnList, len(cols))
	for i, c := range cols {
		out[i] = columnfamily.Column{Name: pl.cols[c.pos].nameAny, Value: buf[c.start:c.end:c.end], TTL: ttl}
	}
	return out
}

// rawColumns packs the entries of the raw field that no field maps.
func (pl *plan) rawColumns(p unsafe.Pointer, l *liveCF, ttl int32) (columnfamily.ColumnList, error) {
	rp := pl.raw
	if rp == nil {
		return nil, nil
	}
	m := reflectAt(rp.f.GoType, unsafe.Add(p, rp.off))
	if m.Len() == 0 {
		return nil, nil
	}
	var out columnfamily.ColumnList
	it := m.MapRange()
	for it.Next() {
		name := it.Key().String()
		if _, mapped := pl.byName[name]; mapped {
			continue // the field wins; it was written already
		}
		var b []byte
		if rp.any {
			x := it.Value().Interface()
			if x == nil {
				continue
			}
			t := l.valueType
			if ct, ok := l.colTypes[name]; ok {
				t = ct
			}
			var err error
			if b, err = t.Pack(x); err != nil {
				return nil, &FieldError{Struct: rp.f.Struct, Field: rp.f.GoName, Column: name, Op: "pack", Err: err}
			}
		} else {
			b = it.Value().Bytes()
		}
		out = append(out, columnfamily.Column{Name: name, Value: b, TTL: ttl})
	}
	return out, nil
}

// unpack fills the struct at p from the columns of a row as the column family
// returns them in raw mode (names and values []byte, counters int64),
// then fills the columns it did not see with their defaults. Unmapped
// columns go to the raw field, or are ignored without one.
func (pl *plan) unpack(p unsafe.Pointer, cols []columnfamily.Column, l *liveCF) error {
	// seen is only needed to apply defaults.
	var seenBuf [2]uint64
	var seen []uint64
	if len(pl.defaults) > 0 {
		seen = seenBuf[:]
		if n := (len(pl.cols) + 63) / 64; n > len(seen) {
			seen = make([]uint64, n)
		}
	}
	next := 0 // cursor into pl.sorted: columns usually arrive in its order
	var ttl int32
	for i := range cols {
		c := &cols[i]
		name, ok := c.Name.([]byte)
		if !ok {
			name = nameBytes(c.Name)
		}
		var fp *fieldPlan
		if next < len(pl.sorted) && pl.sorted[next].name == string(name) {
			fp = pl.sorted[next]
			next++
		} else if fp = pl.byName[string(name)]; fp == nil {
			if err := pl.unpackRaw(p, string(name), c.Value, l); err != nil {
				return err
			}
			continue
		}
		if seen != nil {
			pos := uint(fp.pos)
			seen[pos/64] |= 1 << (pos % 64)
		}
		var err error
		switch v := c.Value.(type) {
		case []byte:
			err = fp.decode(v, p)
		case int64:
			err = fp.decodeCounter(v, p)
		case string:
			err = fp.decode([]byte(v), p)
		default:
			err = fmt.Errorf("unexpected %T from the column family", c.Value)
		}
		if err != nil {
			return fp.err("unpack", err)
		}
		if c.TTL > ttl {
			ttl = c.TTL
		}
	}
	for _, fp := range pl.defaults {
		pos := uint(fp.pos)
		if seen[pos/64]&(1<<(pos%64)) != 0 {
			continue
		}
		if d, ok := fp.f.DefaultValue(); ok {
			reflectAt(fp.f.GoType, fp.addr(p)).Set(d)
		}
	}
	if pl.ttl != nil && ttl > 0 {
		pl.setTTL(p, ttl)
	}
	return nil
}

func (pl *plan) setTTL(p unsafe.Pointer, secs int32) {
	fp := pl.ttl
	v := fp.target(p)
	if fp.f.BaseType == reflect.TypeFor[time.Duration]() {
		*(*time.Duration)(v) = time.Duration(secs) * time.Second
		return
	}
	_ = storeSigned(v, fp.kind, int64(secs))
}

// unpackRaw stores an unmapped column in the raw field.
func (pl *plan) unpackRaw(p unsafe.Pointer, name string, value any, l *liveCF) error {
	rp := pl.raw
	if rp == nil {
		return nil
	}
	m := reflectAt(rp.f.GoType, unsafe.Add(p, rp.off))
	if m.IsNil() {
		m.Set(reflect.MakeMap(rp.f.GoType))
	}
	var x reflect.Value
	b, isBytes := value.([]byte)
	switch {
	case !isBytes:
		x = reflect.ValueOf(value) // a counter
	case rp.any:
		t := codec.Bytes
		if l != nil {
			t = l.valueType
			if ct, ok := l.colTypes[name]; ok {
				t = ct
			}
		}
		v, err := t.Unpack(b)
		if err != nil {
			return &FieldError{Struct: rp.f.Struct, Field: rp.f.GoName, Column: name, Op: "unpack", Err: err}
		}
		if v == nil {
			x = reflect.Zero(rp.f.GoType.Elem())
		} else {
			x = reflect.ValueOf(v)
		}
	default:
		x = reflect.ValueOf(b)
	}
	if !x.Type().AssignableTo(rp.f.GoType.Elem()) {
		if !x.Type().ConvertibleTo(rp.f.GoType.Elem()) {
			return &FieldError{Struct: rp.f.Struct, Field: rp.f.GoName, Column: name, Op: "unpack",
				Err: fmt.Errorf("a %s cannot hold a %s", rp.f.GoType.Elem(), x.Type())}
		}
		x = x.Convert(rp.f.GoType.Elem())
	}
	m.SetMapIndex(reflect.ValueOf(name).Convert(rp.f.GoType.Key()), x)
	return nil
}

// nameBytes returns a raw-mode name as bytes.
func nameBytes(n any) []byte {
	switch x := n.(type) {
	case []byte:
		return x
	case string:
		return unsafe.Slice(unsafe.StringData(x), len(x))
	}
	return nil
}

// decodeRaw stores a raw key (or super column name) in its field.
func (fp *fieldPlan) decodeRaw(k any, p unsafe.Pointer) error {
	var b []byte
	switch x := k.(type) {
	case []byte:
		b = x
	case string:
		b = []byte(x) // a copy: a []byte field must not alias a string
	}
	if err := fp.decode(b, p); err != nil {
		return fp.err("unpack", err)
	}
	return nil
}
