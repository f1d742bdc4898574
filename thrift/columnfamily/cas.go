package columnfamily

import (
	"context"
	"fmt"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/thrift/pool"
	"github.com/cassa-go/cassa/thriftgen"
)

// CompareAndSet is Cassandra's Thrift cas (CassandraServer.cas, Cassandra
// 2.0 and later): it writes updates to the row key only if the columns of
// expected hold exactly those values now; an empty (or nil) expected means
// the row must have no live column. It reports whether the write applied.
//
// The serial phase runs at SERIAL, or LOCAL_SERIAL when Consistency gives
// it; any other Consistency is the commit's level (QUORUM by default).
// Cassandra writes the updates with the Paxos ballot's time and ignores
// their timestamps and TTLs. A failed attempt may have been applied, so it
// is not retried. Standard column families only: cas knows no super
// columns, no deletions and no counters.
func (cf *ColumnFamily) CompareAndSet(ctx context.Context, key any, expected, updates Values, opts ...WriteOption) (bool, error) {
	s, err := cf.begin(ctx, "columnfamily.ColumnFamily.CompareAndSet")
	if err != nil {
		return false, err
	}
	if s.super || s.counter {
		return false, fmt.Errorf("%w: CompareAndSet on a super or counter column family", ErrInvalidOption)
	}
	o, err := cf.writeOptions(opts)
	if err != nil {
		return false, err
	}
	ts := cf.stamp(&o)
	k, err := s.packRowKey(cf.name, key)
	if err != nil {
		return false, cf.mutationError(s, key, "cas", err)
	}
	exp, err := s.casColumns(cf.name, expected, ts, o.ttl)
	if err != nil {
		return false, cf.mutationError(s, key, "cas", err)
	}
	upd, err := s.casColumns(cf.name, updates, ts, o.ttl)
	if err != nil {
		return false, cf.mutationError(s, key, "cas", err)
	}
	serial, commit := thriftgen.ConsistencyLevel_SERIAL, thriftgen.ConsistencyLevel_QUORUM
	switch o.cl {
	case 0, cassa.Serial:
	case cassa.LocalSerial:
		serial = thriftgen.ConsistencyLevel_LOCAL_SERIAL
	default:
		commit = thriftLevel(o.cl, cassa.Quorum)
	}
	var res *thriftgen.CASResult_
	err = cf.pool.Do(ctx, func(ctx context.Context, c *pool.Conn) error {
		var err error
		res, err = c.Client().Cas(ctx, k, cf.name, exp, upd, serial, commit)
		return err
	}, pool.RoutingKey(k), pool.NonIdempotent())
	if err != nil {
		return false, err
	}
	return res.GetSuccess(), nil
}

// casColumns packs vals as the columns of a cas: never nil, since an empty
// list is the condition "no live column".
func (s *cfSchema) casColumns(cf string, vals Values, ts int64, ttl int32) ([]*thriftgen.Column, error) {
	muts, err := s.insertMutations(cf, vals, ts, ttl)
	if err != nil {
		return nil, err
	}
	out := make([]*thriftgen.Column, 0, len(muts))
	for _, m := range muts {
		out = append(out, m.ColumnOrSupercolumn.Column)
	}
	return out, nil
}
