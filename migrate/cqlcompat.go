package migrate

import (
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/internal/cqltype"
)

// cqlValueCompatible approximates AbstractType.isValueCompatibleWith for
// CQL types: whether values written as prev read correctly as next, the
// rule Cassandra applies when a dropped column is added again
// (AlterTableStatement). udts resolves user types to their field types,
// since system_schema.dropped_columns records a user type as the tuple of
// its fields.
func cqlValueCompatible(next, prev *cqltype.Type, udts func(string) []*cqltype.Type) bool {
	if next.String() == prev.String() {
		return true
	}
	if next.Kind == "blob" && !prev.MultiCell() {
		return true
	}
	if next.MultiCell() || prev.MultiCell() {
		return false
	}
	expand := func(t *cqltype.Type) (*cqltype.Type, bool) {
		if t.Kind != "udt" || udts == nil {
			return t, true
		}
		fields := udts(t.Name)
		if fields == nil {
			return nil, false
		}
		return &cqltype.Type{Kind: "tuple", Params: fields, Frozen: true}, true
	}
	n, ok1 := expand(next)
	p, ok2 := expand(prev)
	if !ok1 || !ok2 {
		return false
	}
	switch {
	case n.Kind == "tuple" && p.Kind == "tuple":
		if len(n.Params) < len(p.Params) {
			return false
		}
		for i := range p.Params {
			if !cqlValueCompatible(n.Params[i], p.Params[i], udts) {
				return false
			}
		}
		return true
	case n.IsCollection() && n.Kind == p.Kind:
		for i := range p.Params {
			if !cqlValueCompatible(n.Params[i], p.Params[i], udts) {
				return false
			}
		}
		return true
	}
	nc, ok1 := codec.NativeCQLType(n.Kind)
	pc, ok2 := codec.NativeCQLType(p.Kind)
	if !ok1 || !ok2 {
		return n.String() == p.String()
	}
	return valueCompatible(nc, pc)
}
