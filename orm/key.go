package orm

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/cassa-go/cassa/orm/tags"
)

// keyPlan packs a K, the key type of a Mapper[T, K]: the key field's own
// type, or a struct holding the key field by its Go name (T itself is
// one). The key field's value lies at off within a K.
type keyPlan struct {
	fp  *fieldPlan // T's key field
	off uintptr
	// copied: K is the key field's type and holds no references, so a
	// read by key sets the field to the key given instead of decoding it.
	copied bool
}

// newKeyPlan checks that K can name a row of the model p.
func newKeyPlan(p *plan, k reflect.Type) (*keyPlan, error) {
	fp := p.key
	if k == fp.f.GoType {
		return &keyPlan{fp: fp, copied: plainValue(k)}, nil
	}
	fail := func(why string) error {
		return &tags.TagError{Struct: fp.f.Struct, Field: fp.f.GoName, Tag: fp.f.Tag, Err: tags.ErrType,
			Problem: fmt.Sprintf("Map[%s, %s]: the key type K must be %s (the key field's type) or a struct with a field %s %s; %s",
				p.typ, k, fp.f.GoType, fp.f.GoName, fp.f.GoType, why)}
	}
	if k == nil || k.Kind() != reflect.Struct || tags.Classify(k) != tags.ClassOther {
		return nil, fail(fmt.Sprintf("%v is neither", k))
	}
	sf, ok := k.FieldByName(fp.f.GoName)
	if !ok || sf.Type != fp.f.GoType {
		return nil, fail(fmt.Sprintf("%s has no such field", k))
	}
	// The field's address is K's plus the sum of the offsets along its
	// path, unless the path goes through an embedded pointer.
	var off uintptr
	t := k
	for _, i := range sf.Index {
		if t.Kind() != reflect.Struct {
			return nil, fail(fmt.Sprintf("%s reaches %s through a pointer", k, fp.f.GoName))
		}
		f := t.Field(i)
		off += f.Offset
		t = f.Type
	}
	return &keyPlan{fp: fp, off: off}, nil
}

// pack packs the key at k (a *K).
func (kp *keyPlan) pack(k unsafe.Pointer) ([]byte, error) {
	fp := kp.fp
	a := unsafe.Add(k, kp.off)
	if fp.absentAt(a) {
		return nil, fp.err("pack", fmt.Errorf("the row key is nil"))
	}
	b, err := fp.encode(nil, fp.valueAt(a))
	if err != nil {
		return nil, fp.err("pack", err)
	}
	if len(b) == 0 {
		return nil, fp.err("pack", fmt.Errorf("the row key is empty"))
	}
	return b, nil
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
