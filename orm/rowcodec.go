package orm

import (
	"fmt"
	"math"
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/cassa-go/cassa/orm/tags"
)

// pack encodes the fields of the struct at p into buf, appending a span
// per column to write to spans, in the order of their names (Cassandra's
// order for a standard model's text names, which the server then has no
// need to sort), and lists in dels
// the columns to delete: every selected field with a value is written, and
// an empty one (see tags.NullMode) skipped or deleted as its mode says;
// nulls is the mode of fields whose tags choose none. It allocates nothing
// when buf and spans have room and nothing is deleted.
func (pl *plan) pack(p unsafe.Pointer, sel []bool, nulls tags.NullMode, ttl int32, buf []byte, spans []span) ([]byte, []span, []int32, error) {
	var dels []int32
	for _, fp := range pl.sorted {
		if sel != nil && !sel[fp.pos] {
			continue
		}
		mode := fp.null
		if mode == tags.NullDefault {
			mode = nulls
		}
		empty := fp.mayBeAbsent && fp.absent(p)
		var v unsafe.Pointer
		if !empty {
			v = fp.value(p)
			empty = mode != tags.NullWrite && fp.zeroIsEmpty && fp.empty(v)
		}
		if empty {
			if mode == tags.NullDelete || mode == tags.NullWrite {
				dels = append(dels, int32(fp.pos))
			}
			continue
		}
		start := len(buf)
		var err error
		if buf, err = fp.encode(buf, v); err != nil {
			return buf, spans, dels, fp.err("pack", err)
		}
		if len(buf) > math.MaxInt32 {
			return buf, spans, dels, fp.err("pack", fmt.Errorf("a row of %d bytes", len(buf)))
		}
		spans = append(spans, span{col: int32(fp.pos), ttl: ttl, start: int32(start), end: int32(len(buf))})
	}
	return buf, spans, dels, nil
}

// spanBufs recycles the span lists of writes, which live only until the
// transport has turned them into its request.
var spanBufs = sync.Pool{New: func() any { b := make([]span, 0, 16); return &b }}

// cellBufs recycles the cell slices of reads, which live only until the
// row is decoded. A slice put back still refers to the values it held
// until it is reused or the pool drops it at a collection.
var cellBufs = sync.Pool{New: func() any { b := make([]cell, 0, 16); return &b }}

func getCells() *[]cell { return cellBufs.Get().(*[]cell) }

func putCells(b *[]cell, used []cell) {
	if cap(used) > 0 {
		*b = used[:0]
	}
	cellBufs.Put(b)
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

// rawCells packs the entries of the raw field that no field maps.
func (pl *plan) rawCells(p unsafe.Pointer, info *tableInfo, ttl int32) ([]cell, error) {
	var dst []cell
	rp := pl.raw
	if rp == nil {
		return dst, nil
	}
	m := reflectAt(rp.f.GoType, unsafe.Add(p, rp.off))
	if m.Len() == 0 {
		return dst, nil
	}
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
			var err error
			if b, err = info.typeOf(name).Pack(x); err != nil {
				return dst, &FieldError{Struct: rp.f.Struct, Field: rp.f.GoName, Column: name, Op: "pack", Err: err}
			}
		} else {
			b = it.Value().Bytes()
		}
		dst = append(dst, cell{name: []byte(name), value: b, ttl: ttl})
	}
	return dst, nil
}

// unpack fills the struct at p from the cells of a row, then fills the
// columns it did not see with their defaults. Unmapped columns go to the
// raw field, or are ignored without one.
func (pl *plan) unpack(p unsafe.Pointer, cells []cell, info *tableInfo) error {
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
	for i := range cells {
		c := &cells[i]
		var fp *fieldPlan
		if next < len(pl.sorted) && pl.sorted[next].name == string(c.name) {
			fp = pl.sorted[next]
			next++
		} else if fp = pl.byName[string(c.name)]; fp == nil {
			if err := pl.unpackRaw(p, c, info); err != nil {
				return err
			}
			continue
		}
		if seen != nil {
			pos := uint(fp.pos)
			seen[pos/64] |= 1 << (pos % 64)
		}
		var err error
		if c.isCounter {
			err = fp.decodeCounter(c.counter, p)
		} else {
			err = fp.decode(c.value, p)
		}
		if err != nil {
			return fp.err("unpack", err)
		}
		ttl = max(ttl, c.ttl)
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
func (pl *plan) unpackRaw(p unsafe.Pointer, c *cell, info *tableInfo) error {
	rp := pl.raw
	if rp == nil {
		return nil
	}
	name := string(c.name)
	m := reflectAt(rp.f.GoType, unsafe.Add(p, rp.off))
	if m.IsNil() {
		m.Set(reflect.MakeMap(rp.f.GoType))
	}
	var x reflect.Value
	switch {
	case c.isCounter:
		x = reflect.ValueOf(c.counter)
	case rp.any:
		v, err := info.typeOf(name).Unpack(c.value)
		if err != nil {
			return &FieldError{Struct: rp.f.Struct, Field: rp.f.GoName, Column: name, Op: "unpack", Err: err}
		}
		if v == nil {
			x = reflect.Zero(rp.f.GoType.Elem())
		} else {
			x = reflect.ValueOf(v)
		}
	default:
		x = reflect.ValueOf(c.value)
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

// decodeKey stores a packed key (or super column name) in its field.
func (fp *fieldPlan) decodeKey(b []byte, p unsafe.Pointer) error {
	if err := fp.decode(b, p); err != nil {
		return fp.err("unpack", err)
	}
	return nil
}
