package validate

import (
	"time"

	"github.com/cassa-go/cassa/server/internal/expiry"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// MaxTTL is Attributes.MAX_TTL: 20 years in seconds.
const MaxTTL = 630720000

// maxIndexedSize is FBUtilities.MAX_UNSIGNED_SHORT, the built-in indexes'
// limit: an indexed value must be shorter.
const maxIndexedSize = 65535

// CheckTTL is validateTtl (Cassandra 3.11). A set ttl must be at least 0
// (0 means no TTL, overriding the table's default_time_to_live: 3.6+) and
// at most MaxTTL; then the TTL, or the table's default_time_to_live when
// none is set, goes through the expiration-date overflow policy g
// (ExpirationDateOverflowHandling.maybeApplyExpirationDateOverflowPolicy;
// nil g: REJECT).
func CheckTTL(t *schema.Table, ttl *int32, now time.Time, g *expiry.Guard) *thriftgen.InvalidRequestException {
	if ttl != nil {
		if *ttl < 0 {
			return Invalid("ttl must be greater or equal to 0")
		}
		if *ttl > MaxTTL {
			return invalidf("ttl is too large. requested (%d) maximum (%d)", *ttl, MaxTTL)
		}
		return checkExpirationOverflow(t, *ttl, false, now, g)
	}
	return checkExpirationOverflow(t, t.DefaultTTL, true, now, g)
}

// checkExpirationOverflow applies the overflow policy; REJECT's error
// becomes an InvalidRequestException, CAP's client warning has no way to
// the Thrift client (the guard logs it).
func checkExpirationOverflow(t *schema.Table, ttl int32, isDefault bool, now time.Time, g *expiry.Guard) *thriftgen.InvalidRequestException {
	if _, err := g.Check(t.Keyspace, t.Name, ttl, isDefault, now); err != nil {
		return Invalid(err.Error())
	}
	return nil
}

// CheckColumnData is validateColumnData: TTL (with the overflow policy g
// at now), value and timestamp present, the value valid for its
// validator; then the index size check 3.11 runs on the update
// (SecondaryIndexManager.validate). superColumn is the super column the
// column is written into (nil for a standard table).
func CheckColumnData(t *schema.Table, superColumn []byte, col *thriftgen.Column, now time.Time, g *expiry.Guard) *thriftgen.InvalidRequestException {
	if col == nil {
		return missing("column")
	}
	if ire := CheckTTL(t, col.TTL, now, g); ire != nil {
		return ire
	}
	if col.Value == nil {
		return Invalid("Column value is required")
	}
	if col.Timestamp == nil {
		return Invalid("Column timestamp is required")
	}
	if v := t.ValueValidator(col.Name); v != nil {
		if err := v.Validate(col.Value); err != nil {
			return invalidf("(%s) [%s][%s][%s] failed validation", MarshalMessage(err), t.Keyspace, t.Name,
				RenderName(comparatorFor(t, superColumn != nil), col.Name))
		}
	}
	return checkIndexedSize(t, col)
}

// checkIndexedSize is SecondaryIndexManager.validate for the built-in
// (KEYS and COMPOSITES) indexes of Cassandra 3.11,
// CassandraIndex.validateIndexedValue: an indexed value must be shorter
// than 65535 bytes. The index is on a declared column, never the
// partition key, so the key is not checked (2.2 checked it too).
func checkIndexedSize(t *schema.Table, col *thriftgen.Column) *thriftgen.InvalidRequestException {
	c := t.Column(col.Name)
	if c == nil || c.Index == nil || c.Index.Type == thriftgen.IndexType_CUSTOM {
		return nil
	}
	if len(col.Value) < maxIndexedSize {
		return nil
	}
	return invalidf("Cannot index value of size %d for index %s on %s.%s(%s) (maximum allowed size=%d)",
		len(col.Value), c.Index.Name, t.Keyspace, t.Name, columnText(t, col.Name), maxIndexedSize)
}

// columnText is ColumnIdentifier.toString of a declared column: its name
// as the CQL model shows it (the comparator's rendering of the bytes).
func columnText(t *schema.Table, name []byte) string {
	for _, c := range append(append([]*schema.ColumnDefinition(nil), t.Statics...), t.Regulars...) {
		if string(c.NameBytes) == string(name) {
			return c.Name
		}
	}
	return RenderName(t.CellComparator(), name)
}
