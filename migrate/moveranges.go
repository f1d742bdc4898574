package migrate

import (
	"fmt"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/query"
)

// tokenRange is one piece of the ring, (start, end] as Cassandra's Range
// has it; an end equal to the minimum token runs to the end of the ring.
type tokenRange struct {
	start, end string
	// full: the whole ring, read with no token bounds (the ordered
	// partitioners, which Split keeps whole).
	full  bool
	toEnd bool // end is the minimum token: to the end of the ring
}

func (r tokenRange) String() string {
	if r.full {
		return "(whole ring)"
	}
	return "(" + r.start + ", " + r.end + "]"
}

// splitRing cuts the ring of p into about parts token ranges of even
// width (the hashing partitioners; the ordered ones give one range).
func splitRing(p partitioner.Partitioner, parts int) ([]tokenRange, error) {
	switch partitioner.ShortName(p) {
	case "Murmur3Partitioner", "RandomPartitioner":
	default:
		return []tokenRange{{full: true}}, nil
	}
	min := p.MinToken()
	toks, err := partitioner.Split(p, min, min, parts)
	if err != nil {
		return nil, fmt.Errorf("migrate: split the ring: %w", err)
	}
	out := make([]tokenRange, 0, len(toks)-1)
	for i := 0; i+1 < len(toks); i++ {
		out = append(out, tokenRange{start: toks[i].String(), end: toks[i+1].String(), toEnd: partitioner.IsMin(p, toks[i+1])})
	}
	return out, nil
}

// thriftSelect reads the rows of r over Thrift.
func (r tokenRange) thriftSelect() query.Select {
	switch {
	case r.full:
		return query.Select{}
	}
	return query.Tokens(r.start, r.end)
}

// cqlWhere restricts a CQL read of the table to r, given the token()
// call on its partition key. Tokens are the split's own numbers.
func (r tokenRange) cqlWhere(token string) string {
	switch {
	case r.full:
		return ""
	case r.toEnd:
		return " WHERE " + token + " > " + r.start
	}
	return " WHERE " + token + " > " + r.start + " AND " + token + " <= " + r.end
}
