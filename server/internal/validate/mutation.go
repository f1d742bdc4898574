package validate

import (
	"strconv"
	"strings"
	"time"

	"github.com/cassa-go/cassa/server/internal/expiry"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// CheckColumnOrSuperColumn is validateColumnOrSuperColumn, one write of a
// batch_mutate Mutation: exactly one field set, its kind matching the
// table's counter-ness, then path and data checks per column.
func CheckColumnOrSuperColumn(t *schema.Table, cosc *thriftgen.ColumnOrSuperColumn, now time.Time, g *expiry.Guard) *thriftgen.InvalidRequestException {
	if cosc == nil {
		return missing("column_or_supercolumn")
	}
	set := 0
	for _, isSet := range []bool{cosc.Column != nil, cosc.SuperColumn != nil, cosc.CounterColumn != nil, cosc.CounterSuperColumn != nil} {
		if isSet {
			set++
		}
	}
	if set != 1 {
		return Invalid("ColumnOrSuperColumn must have one (and only one) of column, super_column, counter and counter_super_column")
	}
	switch {
	case cosc.Column != nil:
		if t.Counter {
			return invalidf("invalid operation for commutative table %s", t.Name)
		}
		c := cosc.Column
		if ire := CheckTTL(t, c.TTL, now, g); ire != nil {
			return ire
		}
		if ire := CheckColumnPath(t, &thriftgen.ColumnPath{ColumnFamily: t.Name, Column: nonNil(c.Name)}); ire != nil {
			return ire
		}
		return CheckColumnData(t, nil, c, now, g)
	case cosc.SuperColumn != nil:
		if t.Counter {
			return invalidf("invalid operation for commutative table %s", t.Name)
		}
		sc := cosc.SuperColumn
		for _, c := range sc.Columns {
			if c == nil {
				return missing("column")
			}
			if ire := CheckColumnPath(t, &thriftgen.ColumnPath{ColumnFamily: t.Name, SuperColumn: nonNil(sc.Name), Column: nonNil(c.Name)}); ire != nil {
				return ire
			}
			if ire := CheckColumnData(t, nonNil(sc.Name), c, now, g); ire != nil {
				return ire
			}
		}
	case cosc.CounterColumn != nil:
		if !t.Counter {
			return invalidf("invalid operation for non commutative table %s", t.Name)
		}
		return CheckColumnPath(t, &thriftgen.ColumnPath{ColumnFamily: t.Name, Column: nonNil(cosc.CounterColumn.Name)})
	default:
		if !t.Counter {
			return invalidf("invalid operation for non commutative table %s", t.Name)
		}
		sc := cosc.CounterSuperColumn
		for _, c := range sc.Columns {
			if c == nil {
				return missing("column")
			}
			if ire := CheckColumnPath(t, &thriftgen.ColumnPath{ColumnFamily: t.Name, SuperColumn: nonNil(sc.Name), Column: nonNil(c.Name)}); ire != nil {
				return ire
			}
		}
	}
	return nil
}

// nonNil turns an absent required binary (which Thrift would have refused)
// into an empty one, so that it reads as "set but empty" in path checks.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// CheckMutation is validateMutation: exactly one of column_or_supercolumn
// and deletion, then that one is checked; then, for a deletion, what
// CassandraServer.deleteColumnOrSuperColumn refuses while converting it
// (CheckDeletionApply).
func CheckMutation(t *schema.Table, m *thriftgen.Mutation, now time.Time, g *expiry.Guard) *thriftgen.InvalidRequestException {
	if m == nil || (m.ColumnOrSupercolumn == nil) == (m.Deletion == nil) {
		return Invalid("mutation must have one and only one of column_or_supercolumn or deletion")
	}
	if m.ColumnOrSupercolumn != nil {
		return CheckColumnOrSuperColumn(t, m.ColumnOrSupercolumn, now, g)
	}
	if ire := CheckDeletion(t, m.Deletion); ire != nil {
		return ire
	}
	return CheckDeletionApply(m.Deletion)
}

// CheckDeletionApply is the refusal in Cassandra 3.11's
// CassandraServer.deleteColumnOrSuperColumn: a slice_range deletion inside
// a super column (sub-columns live in a map, which has no range
// tombstones). column_names takes precedence over slice_range, so a
// deletion with both is not refused.
func CheckDeletionApply(d *thriftgen.Deletion) *thriftgen.InvalidRequestException {
	if p := d.Predicate; p != nil && p.ColumnNames == nil && p.SliceRange != nil && d.SuperColumn != nil {
		return Invalid("Cannot delete a range of subcolumns in a super column")
	}
	return nil
}

// CheckDeletion is validateDeletion. The super column is checked as a name,
// then the predicate; a super column on a standard table is refused with
// the Deletion printed as Java's Thrift toString prints it. A counter
// table needs no timestamp: the caller must overwrite it with the server's
// time in microseconds (FBUtilities.timestampMicros, Cassandra 3.x), even
// when one was sent.
func CheckDeletion(t *schema.Table, d *thriftgen.Deletion) *thriftgen.InvalidRequestException {
	if d == nil {
		return missing("deletion")
	}
	if d.SuperColumn != nil {
		if ire := CheckColumnNames(t, nil, [][]byte{d.SuperColumn}); ire != nil {
			return ire
		}
	}
	if d.Predicate != nil {
		if ire := CheckDeletionPredicate(t, d.SuperColumn, d.Predicate); ire != nil {
			return ire
		}
	}
	if !t.Super && d.SuperColumn != nil {
		return invalidf("Deletion of super columns is not possible on a standard table (KeySpace=%s Table=%s Deletion=%s)",
			t.Keyspace, t.Name, DeletionString(d))
	}
	if !t.Counter && d.Timestamp == nil {
		return invalidf("Deletion timestamp is not optional for non commutative table %s", t.Name)
	}
	return nil
}

// DeletionString renders a Deletion as the toString of Cassandra's
// libthrift-0.9.2-generated Java class does: set optional fields only,
// binary fields as upper-case hex byte pairs separated by spaces (at most
// 128 bytes, then "..."). Java prints the column_names list elements with
// ByteBuffer.toString, which shows buffer positions inside the request
// frame that a decoded request no longer has; they are rendered here as
// if each name had its own buffer: java.nio.HeapByteBuffer[pos=0 lim=n cap=n].
func DeletionString(d *thriftgen.Deletion) string {
	if d == nil {
		return "null"
	}
	var sb strings.Builder
	sb.WriteString("Deletion(")
	first := true
	sep := func() {
		if !first {
			sb.WriteString(", ")
		}
		first = false
	}
	if d.Timestamp != nil {
		sep()
		sb.WriteString("timestamp:")
		sb.WriteString(strconv.FormatInt(*d.Timestamp, 10))
	}
	if d.SuperColumn != nil {
		sep()
		sb.WriteString("super_column:")
		writeThriftBinary(&sb, d.SuperColumn)
	}
	if d.Predicate != nil {
		sep()
		sb.WriteString("predicate:")
		writeSlicePredicate(&sb, d.Predicate)
	}
	sb.WriteString(")")
	return sb.String()
}

func writeSlicePredicate(sb *strings.Builder, p *thriftgen.SlicePredicate) {
	sb.WriteString("SlicePredicate(")
	first := true
	if p.ColumnNames != nil {
		sb.WriteString("column_names:[")
		for i, n := range p.ColumnNames {
			if i > 0 {
				sb.WriteString(", ")
			}
			l := strconv.Itoa(len(n))
			sb.WriteString("java.nio.HeapByteBuffer[pos=0 lim=" + l + " cap=" + l + "]")
		}
		sb.WriteString("]")
		first = false
	}
	if r := p.SliceRange; r != nil {
		if !first {
			sb.WriteString(", ")
		}
		sb.WriteString("slice_range:SliceRange(start:")
		writeThriftBinary(sb, r.Start)
		sb.WriteString(", finish:")
		writeThriftBinary(sb, r.Finish)
		sb.WriteString(", reversed:")
		sb.WriteString(strconv.FormatBool(r.Reversed))
		sb.WriteString(", count:")
		sb.WriteString(strconv.Itoa(int(r.Count)))
		sb.WriteString(")")
	}
	sb.WriteString(")")
}

// writeThriftBinary is TBaseHelper.toString(ByteBuffer, StringBuilder). A
// nil slice prints as empty: decoded requests never hold nil in the
// required fields printed here.
func writeThriftBinary(sb *strings.Builder, b []byte) {
	const limit = 128
	const digits = "0123456789ABCDEF"
	for i, c := range b {
		if i == limit {
			sb.WriteString("...")
			break
		}
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteByte(digits[c>>4])
		sb.WriteByte(digits[c&15])
	}
}
