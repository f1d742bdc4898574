package orm

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"slices"
	"time"
	"unsafe"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

// packedCol is one encoded column: its field and where its value lies in
// the shared buffer (offsets, because the buffer may move as it grows).
type packedCol struct {
	pos        int // the field's index in plan.cols: no pointer, so
	start, end int // storing a packedCol needs no write barrier
}

// pack encodes the fields of the struct at p into buf, one entry per
// column to write: every selected field that has a value (nil pointers are
// skipped) and is not an omitempty zero, in declaration order (grouped by
// kind when packFast applies). It allocates nothing when buf and cols have
// room.
func (pl *plan) pack(p unsafe.Pointer, sel []bool, buf []byte, cols []packedCol) ([]byte, []packedCol, error) {
	if sel == nil && pl.allFast {
		b, c, ok := pl.packFast(p, buf, cols)
		if ok {
			return b, c, nil
		}
		// A value the fast loop cannot take: start again the careful way.
		buf, cols = b[:len(buf)], c[:len(cols)]
	}
	for _, fp := range pl.cols {
		if sel != nil && !sel[fp.pos] {
			continue
		}
		var v unsafe.Pointer
		if fp.slow {
			if fp.mayBeAbsent && fp.absent(p) {
				continue
			}
			v = fp.value(p)
			if fp.omitEmpty && fp.empty(v) {
				continue
			}
		} else {
			v = unsafe.Add(p, fp.off)
		}
		start := len(buf)
		// The commonest encodings inline; the rest call encode.
		switch fp.fast {
		case fastString:
			buf = append(buf, *(*string)(v)...)
		case fastBytes:
			buf = append(buf, *(*[]byte)(v)...)
		case fastLong:
			buf = codec.AppendLong(buf, *(*int64)(v))
		case fastInt32:
			buf = codec.AppendInt32(buf, *(*int32)(v))
		case fastDouble:
			buf = codec.AppendDouble(buf, *(*float64)(v))
		case fastFloat:
			buf = codec.AppendFloat(buf, *(*float32)(v))
		case fastBool:
			buf = codec.AppendBool(buf, *(*bool)(v))
		case fastUUID:
			buf = codec.AppendUUID(buf, *(*uuid.UUID)(v))
		case fastTime:
			var err error
			if buf, err = codec.AppendTimestamp(buf, *(*time.Time)(v)); err != nil {
				return buf, cols, fp.err("pack", err)
			}
		default:
			var err error
			buf, err = fp.encode(buf, v)
			if err != nil {
				return buf, cols, fp.err("pack", err)
			}
		}
		cols = append(cols, packedCol{pos: fp.pos, start: start, end: len(buf)})
	}
	return buf, cols, nil
}

// maxMilliSec bounds the times whose milliseconds fit an int64.
const maxMilliSec = math.MaxInt64 / 1000

// packFast is pack for models whose every field has an inline encoding and
// is neither a pointer nor omitempty. It encodes the fields a kind at a
// time, each kind in a loop of its own with no switch, so no branch depends
// on the field's type. Room for every column, and for the fixed-size
// values, is made once up front, so only the strings' and bytes' appends
// may call out; they come last, so the other loops, which call nothing,
// keep the slices in registers. The
// columns come out grouped by kind, which the server does not mind. It
// reports false, having written part of a row, when a value needs the
// careful path (a time out of range).
func (pl *plan) packFast(p unsafe.Pointer, buf []byte, cols []packedCol) ([]byte, []packedCol, bool) {
	g := &pl.groups
	k := len(cols)
	cols = slices.Grow(cols, len(pl.cols))[:k+len(pl.cols)]
	// The fixed-size values go into room made once, so their loops call
	// nothing (and the full slice expressions spare the compiler masking
	// pointers to empty slices).
	buf = slices.Grow(buf, g.fixed)
	for _, f := range g.w8 {
		n := len(buf)
		buf = buf[:n+8]
		binary.BigEndian.PutUint64(buf[n:n+8:n+8], *(*uint64)(unsafe.Add(p, f.off)))
		cols[k] = packedCol{pos: f.pos, start: n, end: n + 8}
		k++
	}
	for _, f := range g.w4 {
		n := len(buf)
		buf = buf[:n+4]
		binary.BigEndian.PutUint32(buf[n:n+4:n+4], *(*uint32)(unsafe.Add(p, f.off)))
		cols[k] = packedCol{pos: f.pos, start: n, end: n + 4}
		k++
	}
	for _, f := range g.bools {
		n := len(buf)
		buf = buf[:n+1]
		buf[n] = *(*byte)(unsafe.Add(p, f.off)) // a Go bool is stored as 0 or 1
		cols[k] = packedCol{pos: f.pos, start: n, end: n + 1}
		k++
	}
	for _, f := range g.uuids {
		n := len(buf)
		buf = buf[:n+16]
		*(*[16]byte)(buf[n : n+16 : n+16]) = *(*[16]byte)(unsafe.Add(p, f.off))
		cols[k] = packedCol{pos: f.pos, start: n, end: n + 16}
		k++
	}
	for _, f := range g.times {
		t := (*time.Time)(unsafe.Add(p, f.off))
		if sec := t.Unix(); sec >= maxMilliSec || sec <= -maxMilliSec {
			return buf, cols[:k], false
		}
		n := len(buf)
		buf = buf[:n+8]
		binary.BigEndian.PutUint64(buf[n:n+8:n+8], uint64(t.UnixMilli()))
		cols[k] = packedCol{pos: f.pos, start: n, end: n + 8}
		k++
	}
	for _, f := range g.texts { // strings, and []byte read by their string-shaped head
		start := len(buf)
		buf = append(buf, *(*string)(unsafe.Add(p, f.off))...)
		cols[k] = packedCol{pos: f.pos, start: start, end: len(buf)}
		k++
	}
	return buf, cols, true
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
	if pl.allFastDec && pl.unpackFast(p, cols) {
		return nil
	}
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
		if next < len(pl.dec) && pl.dec[next].sameName(name) {
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
		if v, ok := c.Value.([]byte); ok {
			// The commonest decodings inline; the rest call decode.
			switch a := unsafe.Add(p, fp.off); fp.fastDec {
			case fastString:
				*(*string)(a) = string(v)
			case fastLong:
				if len(v) == 8 {
					*(*int64)(a) = int64(binary.BigEndian.Uint64(v))
				} else if len(v) != 0 {
					err = fp.decode(v, p)
				}
			case fastInt32:
				if len(v) == 4 {
					*(*int32)(a) = int32(binary.BigEndian.Uint32(v))
				} else if len(v) != 0 {
					err = fp.decode(v, p)
				}
			case fastDouble:
				if len(v) == 8 {
					*(*float64)(a) = math.Float64frombits(binary.BigEndian.Uint64(v))
				} else if len(v) != 0 {
					err = fp.decode(v, p)
				}
			case fastBytes:
				if len(v) == 0 {
					v = nil
				}
				*(*[]byte)(a) = v
			case fastBool:
				if len(v) != 0 {
					*(*bool)(a), err = codec.DecodeBool(v)
				}
			case fastFloat:
				if len(v) == 4 {
					*(*float32)(a) = math.Float32frombits(binary.BigEndian.Uint32(v))
				} else if len(v) != 0 {
					err = fp.decode(v, p)
				}
			case fastTime:
				if len(v) != 0 {
					*(*time.Time)(a), err = codec.DecodeTimestamp(v)
				}
			case fastUUID:
				if len(v) == 16 {
					*(*[16]byte)(a) = [16]byte(v)
				} else if len(v) != 0 {
					err = fp.decode(v, p)
				}
			default:
				err = fp.decode(v, p)
			}
		} else {
			switch v := c.Value.(type) {
			case int64:
				err = fp.decodeCounter(v, p)
			case string:
				err = fp.decode([]byte(v), p)
			default:
				err = fmt.Errorf("unexpected %T from the column family", c.Value)
			}
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

// unpackFast is unpack for models without defaults, raw or ttl fields
// whose every field has an inline decoding, when the columns arrive in
// name order with values of the expected sizes: a loop that calls nothing
// but the string conversion. It reports false, having decoded part of the
// row, when anything needs the careful path, which then starts over (the
// same fields are simply decoded again).
func (pl *plan) unpackFast(p unsafe.Pointer, cols []columnfamily.Column) bool {
	// The columns must be the fields, in order, or the row's first ones.
	dec := pl.dec
	if len(cols) > len(dec) {
		return false
	}
	dec = dec[:len(cols)]
	for i := range dec {
		d, c := &dec[i], &cols[i]
		// d.sameName(name), spelt out: it is too big to inline.
		name, ok := c.Name.([]byte)
		if !ok || len(name) != len(d.name) {
			return false
		}
		if x, y := nameWords(name); x != d.x || y != d.y || len(name) > 16 && string(name) != d.name {
			return false
		}
		v, ok := c.Value.([]byte)
		if !ok {
			return false
		}
		a := unsafe.Add(p, d.off)
		switch n := len(v); d.op {
		case fastString:
			*(*string)(a) = string(v)
		case fastBytes:
			if n == 0 {
				v = nil
			}
			*(*[]byte)(a) = v
		case fastLong:
			if n != 8 {
				return false
			}
			*(*int64)(a) = int64(binary.BigEndian.Uint64(v))
		case fastInt32:
			if n != 4 {
				return false
			}
			*(*int32)(a) = int32(binary.BigEndian.Uint32(v))
		case fastDouble:
			if n != 8 {
				return false
			}
			*(*float64)(a) = math.Float64frombits(binary.BigEndian.Uint64(v))
		case fastFloat:
			if n != 4 {
				return false
			}
			*(*float32)(a) = math.Float32frombits(binary.BigEndian.Uint32(v))
		case fastBool:
			if n != 1 {
				return false
			}
			*(*bool)(a) = v[0] != 0
		case fastUUID:
			if n != 16 {
				return false
			}
			*(*[16]byte)(a) = [16]byte(v)
		case fastTime:
			if n != 8 {
				return false
			}
			*(*time.Time)(a) = time.UnixMilli(int64(binary.BigEndian.Uint64(v))).UTC()
		default:
			return false
		}
	}
	return true
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
