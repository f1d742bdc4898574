package validate

import (
	"time"

	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// MaxTTL is ExpiringCell.MAX_TTL: 20 years in seconds.
const MaxTTL = 630720000

// maxIndexedSize is the KEYS index limit: an indexed value (and the row key
// that becomes the index cell name) must be shorter than 65535 bytes.
const maxIndexedSize = 65535

// CheckTTL is validateTtl. A set ttl must be positive and at most MaxTTL;
// then, set or taken from the table's default_time_to_live, now + ttl must
// not pass the 2038 limit of a 32-bit expiration time (CASSANDRA-14092,
// default REJECT policy).
func CheckTTL(t *schema.Table, ttl *int32, now time.Time) *thriftgen.InvalidRequestException {
	if ttl != nil {
		if *ttl <= 0 {
			return Invalid("ttl must be positive")
		}
		if *ttl > MaxTTL {
			return invalidf("ttl is too large. requested (%d) maximum (%d)", *ttl, MaxTTL)
		}
		return checkExpirationOverflow(t, *ttl, false, now)
	}
	return checkExpirationOverflow(t, t.DefaultTTL, true, now)
}

// checkExpirationOverflow is Attributes.maybeApplyExpirationDateOverflowPolicy
// under the REJECT policy. Java adds two ints and rejects a negative sum,
// which for a positive ttl means the sum passed math.MaxInt32.
func checkExpirationOverflow(t *schema.Table, ttl int32, isDefault bool, now time.Time) *thriftgen.InvalidRequestException {
	if ttl == 0 {
		return nil
	}
	nowSecs := int32(now.UnixMilli() / 1000) // (int)(currentTimeMillis() / 1000)
	if ttl+nowSecs >= 0 {                    // int32 addition wraps, as Java's does
		return nil
	}
	def := ""
	if isDefault {
		def = "default "
	}
	return invalidf("Request on table %s.%s with %sttl of %d seconds exceeds maximum supported expiration date of 2038-01-19T03:14:06+00:00. "+
		"In order to avoid this use a lower TTL, change the expiration date overflow policy or upgrade to a version where this limitation is fixed. "+
		"See CASSANDRA-14092 for more details.", t.Keyspace, t.Name, def, ttl)
}

// CheckColumnData is validateColumnData: TTL, value and timestamp present,
// the value valid for its validator, and indexed values small enough.
// superColumn is the super column the column is written into (nil for a
// standard table); key is the row key (the index limit applies to it too).
func CheckColumnData(t *schema.Table, key, superColumn []byte, col *thriftgen.Column, now time.Time) *thriftgen.InvalidRequestException {
	if col == nil {
		return missing("column")
	}
	if ire := CheckTTL(t, col.TTL, now); ire != nil {
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
	return checkIndexedSize(t, key, col)
}

// checkIndexedSize is SecondaryIndexManager.validate for KEYS (and
// COMPOSITES) indexes: the value and the row key must each be under 64 KiB.
// Cassandra names the index by its index table, "<cf>.<index name>".
func checkIndexedSize(t *schema.Table, key []byte, col *thriftgen.Column) *thriftgen.InvalidRequestException {
	c := t.Column(col.Name)
	if c == nil || c.Index == nil || c.Index.Type == thriftgen.IndexType_CUSTOM {
		return nil
	}
	if len(col.Value) < maxIndexedSize && len(key) < maxIndexedSize {
		return nil
	}
	return invalidf("Can't index column value of size %d for index %s.%s in CF %s of KS %s",
		len(col.Value), t.Name, c.Index.Name, t.Name, t.Keyspace)
}
