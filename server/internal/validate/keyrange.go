package validate

import (
	"encoding/hex"
	"strings"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

// The KeyRange messages, kept verbatim (note the two spaces).
const (
	msgKeyRangeBounds  = "exactly one each of {start key, start token} and {end key, end token} must be specified"
	msgTokenKeyRange   = "start token + end key is not a supported key range"
	msgOrderedKeyOrder = "start key must sort before (or equal to) finish key in your partitioner!"
	msgHashedKeyOrder  = "start key's token sorts after end key's token.  this is not allowed; you probably should not specify end key at all except with an ordered partitioner"
	msgKeyAfterToken   = "Start key's token sorts after end token"
)

// preservesOrder reports IPartitioner.preservesOrder(): true for the
// byte-ordered and order-preserving partitioners. A partitioner may also
// say so itself with a PreservesOrder method.
func preservesOrder(p partitioner.Partitioner) bool {
	if o, ok := p.(interface{ PreservesOrder() bool }); ok {
		return o.PreservesOrder()
	}
	c := p.Class()
	return strings.HasSuffix(c, ".ByteOrderedPartitioner") || strings.HasSuffix(c, ".OrderPreservingPartitioner")
}

func isMinimum(p partitioner.Partitioner, tok partitioner.Token) bool {
	return tok.Compare(p.MinToken()) == 0
}

// parseToken parses a KeyRange token. Cassandra does not validate token
// strings and drops the connection on a bad one; the emulator answers an
// InvalidRequestException with the partitioner's message instead (a
// deliberate deviation: Murmur3Partitioner.getTokenFactory().fromString
// throws a NumberFormatException there).
func parseToken(p partitioner.Partitioner, s string) (partitioner.Token, *thriftgen.InvalidRequestException) {
	tok, err := p.ParseToken(s)
	if err != nil {
		return nil, Invalid(err.Error())
	}
	return tok, nil
}

// CheckKeyRange is validateKeyRange for get_range_slices (superColumn is
// the ColumnParent's super_column) and get_paged_slice (superColumn nil):
// the bound combination, key and token order, the row_filter expressions,
// and a positive count.
func CheckKeyRange(t *schema.Table, p partitioner.Partitioner, superColumn []byte, kr *thriftgen.KeyRange) *thriftgen.InvalidRequestException {
	if kr == nil {
		return missing("range")
	}
	if (kr.StartKey == nil) == (kr.StartToken == nil) || (kr.EndKey == nil) == (kr.EndToken == nil) {
		return Invalid(msgKeyRangeBounds)
	}
	if kr.StartToken != nil && kr.EndKey != nil {
		return Invalid(msgTokenKeyRange)
	}
	switch {
	case kr.StartKey != nil && kr.EndKey != nil:
		start, end := p.Token(kr.StartKey), p.Token(kr.EndKey)
		if start.Compare(end) > 0 && !isMinimum(p, end) {
			if preservesOrder(p) {
				return Invalid(msgOrderedKeyOrder)
			}
			return Invalid(msgHashedKeyOrder)
		}
	case kr.StartKey != nil: // and an end token
		end, ire := parseToken(p, *kr.EndToken)
		if ire != nil {
			return ire
		}
		if p.Token(kr.StartKey).Compare(end) > 0 && !isMinimum(p, end) {
			return Invalid(msgKeyAfterToken)
		}
	default: // two tokens: Cassandra parses them only later, when it reads
		if _, ire := parseToken(p, *kr.StartToken); ire != nil {
			return ire
		}
		if _, ire := parseToken(p, *kr.EndToken); ire != nil {
			return ire
		}
	}
	if _, ire := CheckFilterClauses(t, kr.RowFilter); ire != nil {
		return ire
	}
	if len(kr.RowFilter) > 0 && superColumn != nil {
		return Invalid("super columns are not supported for indexing")
	}
	if kr.Count <= 0 {
		return Invalid("maxRows must be positive")
	}
	return nil
}

// CheckFilterClauses is validateFilterClauses, for KeyRange.row_filter and
// IndexClause.expressions. Each expression's name must be valid for the
// comparator, its value at most 65535 bytes and valid for the column's
// validator. It reports whether some expression is an EQ on an indexed
// column (what get_indexed_slices requires).
func CheckFilterClauses(t *schema.Table, exprs []*thriftgen.IndexExpression) (bool, *thriftgen.InvalidRequestException) {
	indexed := false
	for _, e := range exprs {
		if e == nil {
			return false, missing("expression")
		}
		if err := validateErr(t.Comparator, e.ColumnName); err != nil {
			return false, invalidf("[%s]=[%s] failed name validation (%s)",
				hex.EncodeToString(e.ColumnName), hex.EncodeToString(e.Value), MarshalMessage(err))
		}
		if len(e.Value) > 0xFFFF {
			return false, Invalid("Index expression values may not be larger than 64K")
		}
		if err := validateErr(t.ValueValidator(e.ColumnName), e.Value); err != nil {
			return false, invalidf("[%s]=[%s] failed value validation (%s)",
				hex.EncodeToString(e.ColumnName), hex.EncodeToString(e.Value), MarshalMessage(err))
		}
		if e.Op == thriftgen.IndexOperator_EQ {
			if c := t.Column(e.ColumnName); c != nil && c.Index != nil {
				indexed = true
			}
		}
	}
	return indexed, nil
}

func validateErr(v interface{ Validate([]byte) error }, b []byte) error {
	if v == nil {
		return nil
	}
	return v.Validate(b)
}

// CheckIndexClause is validateIndexClauses for get_indexed_slices: at least
// one expression, all valid, and one of them an EQ on an indexed column.
func CheckIndexClause(t *schema.Table, clause *thriftgen.IndexClause) *thriftgen.InvalidRequestException {
	if clause == nil {
		return missing("index_clause")
	}
	if len(clause.Expressions) == 0 {
		return Invalid("index clause list may not be empty")
	}
	indexed, ire := CheckFilterClauses(t, clause.Expressions)
	if ire != nil {
		return ire
	}
	if !indexed {
		return Invalid("No indexed columns present in index clause with operator EQ")
	}
	return nil
}
