package orm

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"unsafe"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm/tags"
)

// rowKey is where a row lives, packed as Cassandra stored CQL rows on
// Thrift: key is the partition key (the key field's bytes, or a
// CompositeType of the partition key's components), ck the clustering
// prefix (a CompositeType of the clustering values, each component ending
// in 0x00), nil for a model without clustering columns. Thrift names a
// row's columns ck followed by the column name; the CQL transport splits
// both into bound values.
type rowKey struct {
	key, ck []byte
}

// maxComponent is the most a CompositeType component can hold.
const maxComponent = 0xffff

// appendComponent appends the value at v as a CompositeType component:
// a 2-byte length, the value packed by fp, and a 0x00 end-of-component.
func appendComponent(dst []byte, fp *fieldPlan, v unsafe.Pointer) ([]byte, error) {
	at := len(dst)
	dst = append(dst, 0, 0)
	dst, err := fp.encode(dst, v)
	if err != nil {
		return dst, err
	}
	n := len(dst) - at - 2
	if n > maxComponent {
		return dst, fmt.Errorf("a key component of %d bytes, more than %d: %w", n, maxComponent, codec.ErrRange)
	}
	binary.BigEndian.PutUint16(dst[at:], uint16(n))
	return append(dst, 0), nil
}

// splitComposite appends to dst the n components of a composite b;
// components past n are an error, as are fewer.
func splitComposite(b []byte, n int, dst [][]byte) ([][]byte, error) {
	for i := 0; i < n; i++ {
		if len(b) < 3 {
			return dst, fmt.Errorf("composite key with %d of %d components: %w", i, n, codec.ErrMalformed)
		}
		l := int(binary.BigEndian.Uint16(b))
		if len(b) < 3+l {
			return dst, fmt.Errorf("truncated composite key component: %w", codec.ErrMalformed)
		}
		dst = append(dst, b[2:2+l:2+l])
		b = b[3+l:]
	}
	if len(b) != 0 {
		return dst, fmt.Errorf("composite key with more than %d components: %w", n, codec.ErrMalformed)
	}
	return dst, nil
}

// keyOf packs the primary key of the instance at p.
func (pl *plan) keyOf(p unsafe.Pointer) (rowKey, error) {
	return pl.packKeyParts(func(fp *fieldPlan) unsafe.Pointer { return fp.addr(p) })
}

// packKeyParts packs the partition key and clustering values, finding
// each field's address (of its value, or of its pointer) with at.
func (pl *plan) packKeyParts(at func(*fieldPlan) unsafe.Pointer) (rowKey, error) {
	var k rowKey
	var err error
	if len(pl.pk) == 1 {
		fp := pl.pk[0]
		a := at(fp)
		if fp.absentAt(a) {
			return k, fp.err("pack", fmt.Errorf("the row key is nil"))
		}
		if k.key, err = fp.encode(make([]byte, 0, 16), fp.valueAt(a)); err != nil {
			return k, fp.err("pack", err)
		}
	} else {
		k.key = make([]byte, 0, 16*len(pl.pk))
		for _, fp := range pl.pk {
			a := at(fp)
			if fp.absentAt(a) {
				return k, fp.err("pack", fmt.Errorf("the partition key component is nil"))
			}
			if k.key, err = appendComponent(k.key, fp, fp.valueAt(a)); err != nil {
				return k, fp.err("pack", err)
			}
		}
	}
	if len(k.key) == 0 {
		return k, pl.pk[0].err("pack", fmt.Errorf("the row key is empty"))
	}
	if len(pl.ck) > 0 {
		k.ck = make([]byte, 0, 16*len(pl.ck))
		for _, fp := range pl.ck {
			a := at(fp)
			if fp.absentAt(a) {
				return k, fp.err("pack", fmt.Errorf("the clustering column is nil"))
			}
			if k.ck, err = appendComponent(k.ck, fp, fp.valueAt(a)); err != nil {
				return k, fp.err("pack", err)
			}
		}
	}
	return k, nil
}

// decodeRowKey stores a row's partition key and clustering values in the
// instance at p.
func (pl *plan) decodeRowKey(k rowKey, p unsafe.Pointer) error {
	if len(pl.pk) == 1 {
		if err := pl.pk[0].decodeKey(k.key, p); err != nil {
			return err
		}
	} else if err := decodeComponents(pl.pk, k.key, p); err != nil {
		return err
	}
	if len(pl.ck) > 0 && k.ck != nil {
		return decodeComponents(pl.ck, k.ck, p)
	}
	return nil
}

func decodeComponents(fps []*fieldPlan, b []byte, p unsafe.Pointer) error {
	var buf [8][]byte
	parts, err := splitComposite(b, len(fps), buf[:0])
	if err != nil {
		return fps[0].err("unpack", err)
	}
	for i, fp := range fps {
		if err := fp.decodeKeyPart(parts[i], p); err != nil {
			return err
		}
	}
	return nil
}

// decodeKeyPart decodes one key component; unlike a column, an empty text
// component is a value ("" may be a clustering value).
func (fp *fieldPlan) decodeKeyPart(b []byte, p unsafe.Pointer) error {
	if err := fp.decode(b, p); err != nil {
		return fp.err("unpack", err)
	}
	return nil
}

// keyPlan packs a K, the key type of a Mapper[T, K]: the key field's own
// type (a model with one key field and no clustering columns), or a struct
// holding every primary key field (partition key and clustering columns)
// by its Go name and type (T itself is one).
type keyPlan struct {
	pl    *plan
	parts map[*fieldPlan]uintptr // field -> offset of its value in a K
	// single: K is the key field's type. copied: it also holds no
	// references, so a read by key sets the field to the key given
	// instead of decoding it.
	single, copied bool
}

// newKeyPlan checks that K can name a row of the model p.
func newKeyPlan(p *plan, k reflect.Type) (*keyPlan, error) {
	fp := p.key
	if len(p.pk) == 1 && len(p.ck) == 0 && k == fp.f.GoType {
		return &keyPlan{pl: p, single: true, copied: plainValue(k)}, nil
	}
	var want string
	for _, f := range append(append([]*fieldPlan(nil), p.pk...), p.ck...) {
		if want != "" {
			want += "; "
		}
		want += f.f.GoName + " " + f.f.GoType.String()
	}
	fail := func(why string) error {
		if len(p.pk) == 1 && len(p.ck) == 0 {
			return &tags.TagError{Struct: fp.f.Struct, Field: fp.f.GoName, Tag: fp.f.Tag, Err: tags.ErrType,
				Problem: fmt.Sprintf("Map[%s, %s]: the key type K must be %s (the key field's type) or a struct with a field %s %s; %s",
					p.typ, k, fp.f.GoType, fp.f.GoName, fp.f.GoType, why)}
		}
		return &tags.TagError{Struct: fp.f.Struct, Field: fp.f.GoName, Tag: fp.f.Tag, Err: tags.ErrType,
			Problem: fmt.Sprintf("Map[%s, %s]: the primary key has several fields, so K must be a struct with the fields %s (%s itself is one); %s",
				p.typ, k, want, p.typ, why)}
	}
	if k == nil || k.Kind() != reflect.Struct || tags.Classify(k) != tags.ClassStruct {
		return nil, fail(fmt.Sprintf("%v is not", k))
	}
	kp := &keyPlan{pl: p, parts: map[*fieldPlan]uintptr{}}
	for _, f := range append(append([]*fieldPlan(nil), p.pk...), p.ck...) {
		sf, ok := k.FieldByName(f.f.GoName)
		if !ok || sf.Type != f.f.GoType {
			return nil, fail(fmt.Sprintf("%s has no field %s %s", k, f.f.GoName, f.f.GoType))
		}
		// The field's address is K's plus the sum of the offsets along
		// its path, unless the path goes through an embedded pointer.
		var off uintptr
		t := k
		for _, i := range sf.Index {
			if t.Kind() != reflect.Struct {
				return nil, fail(fmt.Sprintf("%s reaches %s through a pointer", k, f.f.GoName))
			}
			sf := t.Field(i)
			off += sf.Offset
			t = sf.Type
		}
		kp.parts[f] = off
	}
	return kp, nil
}

// pack packs the key at k (a *K).
func (kp *keyPlan) pack(k unsafe.Pointer) (rowKey, error) {
	if kp.single {
		fp := kp.pl.key
		if fp.absentAt(k) {
			return rowKey{}, fp.err("pack", fmt.Errorf("the row key is nil"))
		}
		b, err := fp.encode(make([]byte, 0, 16), fp.valueAt(k))
		if err != nil {
			return rowKey{}, fp.err("pack", err)
		}
		if len(b) == 0 {
			return rowKey{}, fp.err("pack", fmt.Errorf("the row key is empty"))
		}
		return rowKey{key: b}, nil
	}
	return kp.pl.packKeyParts(func(fp *fieldPlan) unsafe.Pointer { return unsafe.Add(k, kp.parts[fp]) })
}

// plainValue reports types whose values hold no references a copy would
// share, but immutable strings: numbers, bools, strings and arrays of
// them (a UUID).
func plainValue(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.String:
		return true
	case reflect.Array:
		return plainValue(t.Elem())
	}
	return false
}
