package cqlquery

import (
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/layout"
)

// The field operations of non-frozen user types (Operation.SetField,
// Operation.FieldDeletion, UserTypes.SetterByField and DeleterByField)
// and field selection (Selectable.WithFieldSelection). A non-frozen user
// type keeps one cell per field (see package layout), so a field is
// written or deleted without reading the others.

// prepareSetField is Operation.SetField.prepare for u.f = v, once the
// column is known to be a non-frozen user type.
func prepareSetField(p *prep, tb *table, c *column, ut *codec.UserType, a cqlparse.Assignment) (*operation, error) {
	i := ut.FieldIndex(a.Field.Name)
	if i < 0 {
		return nil, invalidf("UDT column %s does not have a field named %s", c.name, a.Field.Name)
	}
	// UserTypes.fieldSpecOf: the receiver is named "u.f".
	v, err := p.prepareTerm(a.Value, tb.receiver(c).derived(c.name+"."+ut.FieldNames()[i], ut.FieldTypes()[i]))
	if err != nil {
		return nil, err
	}
	return &operation{kind: opSetField, col: c, value: v, field: i}, nil
}

// prepareDeleteField is Operation.FieldDeletion.prepare for DELETE u.f.
func prepareDeleteField(c *column, ut *codec.UserType, d cqlparse.Deletion) (*operation, error) {
	i := ut.FieldIndex(d.Field.Name)
	if i < 0 {
		return nil, invalidf("UDT column %s does not have a field named %s", c.name, d.Field.Name)
	}
	return &operation{kind: opDeleteField, col: c, field: i}, nil
}

// applyField writes or deletes one field: a null value deletes it, an
// unset one leaves it alone.
func applyField(u *layout.Update, ck [][]byte, col *layout.Column, o *operation, v Value) error {
	if o.kind == opDeleteField {
		return toError(u.SetField(ck, col, o.field, nil))
	}
	if v.Unset {
		return nil
	}
	return toError(u.SetField(ck, col, o.field, v.Bytes))
}

// fieldOf returns field i of a serialized user type value: null when the
// value is null or stops before the field (FieldSelector).
func fieldOf(v []byte, i, n int) []byte {
	if v == nil {
		return nil
	}
	fs, err := layout.DecodeFields(v, n)
	if err != nil || i >= len(fs) {
		return nil
	}
	return fs[i]
}
