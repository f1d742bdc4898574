package server

import (
	"context"
	"math"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/schema"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// defaultMinIndexInterval is CFMetaData's min_index_interval default; a
// split never reports fewer rows than this (StorageService.getSplits).
const defaultMinIndexInterval = 128

// maxSplits bounds how many splits one call may produce.
const maxSplits = 1 << 16

// split is one piece of describe_splits(_ex): the ring range (start, end]
// and its estimated row count.
type split struct {
	start, end partitioner.Token
	rows       int64
}

// splits cuts (start, end] of column family cf into pieces of about
// keysPerSplit rows. The node holds every row, so the estimate is an exact
// count: one split when it fits, otherwise evenly spaced token splits.
func (c *conn) splits(cf, startTok, endTok string, keysPerSplit int32) ([]split, error) {
	var out []split
	err := c.onTable(cf, func(_ *schema.Keyspace, t *schema.Table) error {
		n := c.srv.node
		if keysPerSplit <= 0 {
			// Java divides by it and drops the connection; answer instead.
			return iref("keys_per_split must be positive (got %d)", keysPerSplit)
		}
		start, err := n.part.ParseToken(startTok)
		if err != nil {
			return ire(err.Error())
		}
		end, err := n.part.ParseToken(endTok)
		if err != nil {
			return ire(err.Error())
		}
		rows, err := n.store.GetRangeSlices(t, nil,
			&tg.SlicePredicate{SliceRange: &tg.SliceRange{Start: []byte{}, Finish: []byte{}, Count: 0}},
			&tg.KeyRange{StartToken: &startTok, EndToken: &endTok, Count: math.MaxInt32})
		if err != nil {
			return err
		}
		total := int64(len(rows))
		parts := int64(1)
		if total > int64(keysPerSplit) {
			parts = min((total+int64(keysPerSplit)-1)/int64(keysPerSplit), maxSplits)
		}
		toks, err := partitioner.Split(n.part, start, end, int(parts))
		if err != nil {
			return ire(err.Error())
		}
		if len(toks) < 2 {
			toks = []partitioner.Token{start, end}
		}
		minRows := int64(defaultMinIndexInterval)
		if t.Def != nil && t.Def.MinIndexInterval != nil && *t.Def.MinIndexInterval > 0 {
			minRows = int64(*t.Def.MinIndexInterval)
		}
		per := max(minRows, total/int64(len(toks)-1))
		for i := 1; i < len(toks); i++ {
			out = append(out, split{start: toks[i-1], end: toks[i], rows: per})
		}
		return nil
	})
	return out, err
}

func (c *conn) describeSplits(_ context.Context, a *tg.CassandraDescribeSplitsArgs) (thrift.TStruct, error) {
	r := &tg.CassandraDescribeSplitsResult{}
	sp, err := c.splits(a.CfName, a.StartToken, a.EndToken, a.KeysPerSplit)
	if err != nil {
		return r, declare(err, &r.Ire)
	}
	r.Success = make([]string, 0, len(sp)+1)
	r.Success = append(r.Success, sp[0].start.String())
	for _, s := range sp {
		r.Success = append(r.Success, s.end.String())
	}
	return r, nil
}

func (c *conn) describeSplitsEx(_ context.Context, a *tg.CassandraDescribeSplitsExArgs) (thrift.TStruct, error) {
	r := &tg.CassandraDescribeSplitsExResult{}
	sp, err := c.splits(a.CfName, a.StartToken, a.EndToken, a.KeysPerSplit)
	if err != nil {
		return r, declare(err, &r.Ire)
	}
	r.Success = make([]*tg.CfSplit, len(sp))
	for i, s := range sp {
		r.Success[i] = &tg.CfSplit{StartToken: s.start.String(), EndToken: s.end.String(), RowCount: s.rows}
	}
	return r, nil
}
