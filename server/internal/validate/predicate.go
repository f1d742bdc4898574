package validate

import (
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// CheckPredicate is validatePredicate, the read predicate of get_slice,
// multiget_*, get_range_slices and get_indexed_slices: exactly one of
// column_names and slice_range, then that one is checked against the
// names under superColumn (the ColumnParent's super_column, nil if none).
func CheckPredicate(t *schema.Table, superColumn []byte, pred *thriftgen.SlicePredicate) *thriftgen.InvalidRequestException {
	if pred == nil {
		return missing("predicate")
	}
	if pred.ColumnNames == nil && pred.SliceRange == nil {
		return Invalid("predicate column_names and slice_range may not both be null")
	}
	if pred.ColumnNames != nil && pred.SliceRange != nil {
		return Invalid("predicate column_names and slice_range may not both be present")
	}
	if pred.SliceRange != nil {
		return CheckSliceRange(t, superColumn, pred.SliceRange)
	}
	return CheckColumnNames(t, superColumn, pred.ColumnNames)
}

// CheckSliceRange is validateRange: a non-negative count, bounds of at most
// 65535 bytes that are valid names (empty is always valid and means open),
// and, when both bounds are set, start not after finish in the order of
// traversal: comparator order, reversed when r.Reversed, so a reversed
// slice starts at its high end.
func CheckSliceRange(t *schema.Table, superColumn []byte, r *thriftgen.SliceRange) *thriftgen.InvalidRequestException {
	if r == nil {
		return missing("slice_range")
	}
	if r.Count < 0 {
		return Invalid("get_slice requires non-negative count")
	}
	if len(r.Start) > MaxNameLength {
		return invalidf("range start length cannot be larger than %d", MaxNameLength)
	}
	if len(r.Finish) > MaxNameLength {
		return invalidf("range finish length cannot be larger than %d", MaxNameLength)
	}
	cmp := comparatorFor(t, superColumn != nil)
	if ire := validateWith(cmp, r.Start); ire != nil {
		return ire
	}
	if ire := validateWith(cmp, r.Finish); ire != nil {
		return ire
	}
	if len(r.Start) > 0 && len(r.Finish) > 0 && cmp != nil {
		c := cmp.Compare(r.Start, r.Finish)
		if r.Reversed {
			c = -c
		}
		if c > 0 {
			return Invalid("range finish must come after start in the order of traversal")
		}
	}
	return nil
}

// CheckDeletionPredicate is validateSlicePredicate, the predicate of a
// Deletion: at least one of the two fields (both are allowed), the range
// checked before the names.
func CheckDeletionPredicate(t *schema.Table, superColumn []byte, pred *thriftgen.SlicePredicate) *thriftgen.InvalidRequestException {
	if pred == nil {
		return missing("predicate")
	}
	if pred.ColumnNames == nil && pred.SliceRange == nil {
		return Invalid("A SlicePredicate must be given a list of Columns, a SliceRange, or both")
	}
	if pred.SliceRange != nil {
		if ire := CheckSliceRange(t, superColumn, pred.SliceRange); ire != nil {
			return ire
		}
	}
	if pred.ColumnNames != nil {
		return CheckColumnNames(t, superColumn, pred.ColumnNames)
	}
	return nil
}
