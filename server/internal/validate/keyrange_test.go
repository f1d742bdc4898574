package validate

import (
	"testing"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

var (
	murmur3 partitioner.Partitioner = partitioner.Murmur3Partitioner{}
	bop     partitioner.Partitioner = partitioner.ByteOrderedPartitioner{}
	opp     partitioner.Partitioner = partitioner.OrderPreservingPartitioner{}
	random  partitioner.Partitioner = partitioner.RandomPartitioner{}
)

// orderedPair returns two keys a, b with token(a) > token(b) under p.
func orderedPair(t *testing.T, p partitioner.Partitioner) (hi, lo []byte) {
	t.Helper()
	a, c := b("a"), b("b")
	if p.Token(a).Compare(p.Token(c)) > 0 {
		return a, c
	}
	return c, a
}

func TestCheckKeyRange(t *testing.T) {
	const (
		bounds  = "exactly one each of {start key, start token} and {end key, end token} must be specified"
		tokKey  = "start token + end key is not a supported key range"
		ordered = "start key must sort before (or equal to) finish key in your partitioner!"
		hashed  = "start key's token sorts after end key's token.  this is not allowed; you probably should not specify end key at all except with an ordered partitioner"
	)
	mhi, mlo := orderedPair(t, murmur3)
	mhiTok := murmur3.Token(mhi).String()
	mloTok := murmur3.Token(mlo).String()
	minTok := murmur3.MinToken().String()
	kr := func(sk, ek []byte, st, et *string, count int32, filter ...*thriftgen.IndexExpression) *thriftgen.KeyRange {
		return &thriftgen.KeyRange{StartKey: sk, EndKey: ek, StartToken: st, EndToken: et, Count: count, RowFilter: filter}
	}
	goodExpr := expr(b("birthdate"), thriftgen.IndexOperator_EQ, long(1))
	cases := []struct {
		name string
		tb   *schema.Table
		p    partitioner.Partitioner
		sc   []byte
		kr   *thriftgen.KeyRange
		want string
	}{
		{"nil", standard1, murmur3, nil, nil, "Required field 'range' was not present"},
		{"nothing", standard1, murmur3, nil, kr(nil, nil, nil, nil, 1), bounds},
		{"no end", standard1, murmur3, nil, kr(b(""), nil, nil, nil, 1), bounds},
		{"no start", standard1, murmur3, nil, kr(nil, b(""), nil, nil, 1), bounds},
		{"two starts", standard1, murmur3, nil, kr(b(""), b(""), str("0"), nil, 1), bounds},
		{"two ends", standard1, murmur3, nil, kr(b(""), b(""), nil, str("0"), 1), bounds},
		{"bounds before count", standard1, murmur3, nil, kr(nil, nil, nil, nil, 0), bounds},
		{"token and key", standard1, murmur3, nil, kr(nil, b("a"), str("0"), nil, 1), tokKey},
		{"whole ring by keys", standard1, murmur3, nil, kr(b(""), b(""), nil, nil, 1), ""},
		{"keys in order", standard1, murmur3, nil, kr(mlo, mhi, nil, nil, 1), ""},
		{"same key", standard1, murmur3, nil, kr(mhi, mhi, nil, nil, 1), ""},
		{"keys out of order murmur3", standard1, murmur3, nil, kr(mhi, mlo, nil, nil, 1), hashed},
		{"empty end key is the end", standard1, murmur3, nil, kr(mhi, b(""), nil, nil, 1), ""},
		{"keys out of order bop", standard1, bop, nil, kr(b("b"), b("a"), nil, nil, 1), ordered},
		{"keys out of order opp", standard1, opp, nil, kr(b("b"), b("a"), nil, nil, 1), ordered},
		{"keys in order bop", standard1, bop, nil, kr(b("a"), b("b"), nil, nil, 1), ""},
		{"key then token", standard1, murmur3, nil, kr(mlo, nil, nil, str(mhiTok), 1), ""},
		{"key on its token", standard1, murmur3, nil, kr(mhi, nil, nil, str(mhiTok), 1), ""},
		{"key after token", standard1, murmur3, nil, kr(mhi, nil, nil, str(mloTok), 1), "Start key's token sorts after end token"},
		{"key to minimum token", standard1, murmur3, nil, kr(mhi, nil, nil, str(minTok), 1), ""},
		{"key after token bop", standard1, bop, nil, kr(b("b"), nil, nil, str("61"), 1), "Start key's token sorts after end token"},
		{"bad end token with key", standard1, murmur3, nil, kr(b("a"), nil, nil, str("abc"), 1), `invalid Murmur3Partitioner token "abc": expected a signed 64-bit decimal integer`},
		{"tokens", standard1, murmur3, nil, kr(nil, nil, str(mhiTok), str(mloTok), 1), ""},
		{"wrapping tokens", standard1, murmur3, nil, kr(nil, nil, str("10"), str("-10"), 1), ""},
		{"bad start token", standard1, murmur3, nil, kr(nil, nil, str("x"), str("0"), 1), `invalid Murmur3Partitioner token "x": expected a signed 64-bit decimal integer`},
		{"bad end token", standard1, murmur3, nil, kr(nil, nil, str("0"), str(""), 1), `invalid Murmur3Partitioner token "": expected a signed 64-bit decimal integer`},
		{"random tokens", standard1, random, nil, kr(nil, nil, str("0"), str("170141183460469231731687303715884105728"), 1), ""},
		{"zero count", standard1, murmur3, nil, kr(b(""), b(""), nil, nil, 0), "maxRows must be positive"},
		{"negative count", standard1, murmur3, nil, kr(b(""), b(""), nil, nil, -1), "maxRows must be positive"},
		{"row filter", indexed1, murmur3, nil, kr(b(""), b(""), nil, nil, 1, goodExpr), ""},
		{"row filter bad value", indexed1, murmur3, nil, kr(b(""), b(""), nil, nil, 0, expr(b("birthdate"), thriftgen.IndexOperator_EQ, b("x"))),
			"[626972746864617465]=[78] failed value validation (Expected 8 or 0 byte long (1))"},
		{"row filter with super column", super1, murmur3, b("sc"), kr(b(""), b(""), nil, nil, 0, expr(b("a"), thriftgen.IndexOperator_EQ, b("x"))),
			"super columns are not supported for indexing"},
		{"empty row filter with super column", super1, murmur3, b("sc"), kr(b(""), b(""), nil, nil, 1), ""},
		{"row filter needs no index", indexed1, murmur3, nil, kr(b(""), b(""), nil, nil, 1, expr(b("state"), thriftgen.IndexOperator_GT, b("UT"))), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantIRE(t, CheckKeyRange(c.tb, c.p, c.sc, c.kr), c.want) })
	}
}

func TestCheckIndexClause(t *testing.T) {
	clause := func(e ...*thriftgen.IndexExpression) *thriftgen.IndexClause {
		return &thriftgen.IndexClause{Expressions: e, StartKey: []byte{}, Count: 100}
	}
	eq := thriftgen.IndexOperator_EQ
	cases := []struct {
		name string
		tb   *schema.Table
		c    *thriftgen.IndexClause
		want string
	}{
		{"nil", indexed1, nil, "Required field 'index_clause' was not present"},
		{"empty", indexed1, clause(), "index clause list may not be empty"},
		{"nil list", indexed1, &thriftgen.IndexClause{}, "index clause list may not be empty"},
		{"eq on index", indexed1, clause(expr(b("birthdate"), eq, long(1))), ""},
		{"eq on custom index", indexed1, clause(expr(b("custom"), eq, b("x"))), ""},
		{"filter plus eq", indexed1, clause(expr(b("state"), thriftgen.IndexOperator_GT, b("A")), expr(b("birthdate"), eq, long(1))), ""},
		{"gt on index", indexed1, clause(expr(b("birthdate"), thriftgen.IndexOperator_GT, long(1))), "No indexed columns present in index clause with operator EQ"},
		{"eq without index", indexed1, clause(expr(b("state"), eq, b("UT"))), "No indexed columns present in index clause with operator EQ"},
		{"eq on unknown column", indexed1, clause(expr(b("nope"), eq, b("UT"))), "No indexed columns present in index clause with operator EQ"},
		{"bad name", standardLong1, clause(expr(b("ab"), eq, b("v"))), "[6162]=[76] failed name validation (Expected 8 or 0 byte long (2))"},
		{"value too big", indexed1, clause(expr(b("state"), eq, make([]byte, 65536))), "Index expression values may not be larger than 64K"},
		{"value at 64K", indexed1, clause(expr(b("email"), eq, make([]byte, 65535))), ""},
		{"size before value validation", indexed1, clause(expr(b("birthdate"), eq, make([]byte, 65536))), "Index expression values may not be larger than 64K"},
		{"bad value", indexed1, clause(expr(b("birthdate"), eq, b("abc"))), "[626972746864617465]=[616263] failed value validation (Expected 8 or 0 byte long (3))"},
		{"default validator", standardUTF8, clause(expr(b("n"), eq, b("abc"))), "[6e]=[616263] failed value validation (Expected 8 or 0 byte long (3))"},
		{"utf8 column validator", standardUTF8, clause(expr(b("utf"), eq, []byte{0xff})), "[757466]=[ff] failed value validation (String didn't validate.)"},
		{"first bad expression wins", indexed1, clause(expr(b("birthdate"), eq, b("x")), expr(b("state"), eq, make([]byte, 70000))),
			"[626972746864617465]=[78] failed value validation (Expected 8 or 0 byte long (1))"},
		{"validation before the index requirement", indexed1, clause(expr(b("state"), eq, []byte{0xff})), "[7374617465]=[ff] failed value validation (String didn't validate.)"},
		{"super comparator names", super1, clause(expr(b("x"), eq, b("v"))), "No indexed columns present in index clause with operator EQ"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantIRE(t, CheckIndexClause(c.tb, c.c), c.want) })
	}
}
