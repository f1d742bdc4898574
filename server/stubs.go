package server

import (
	"context"

	"github.com/apache/thrift/lib/go/thrift"
	tg "github.com/cassa-go/cassa/thriftgen"
)

func (c *conn) getSlice(context.Context, *tg.CassandraGetSliceArgs) (thrift.TStruct, error) {
	return &tg.CassandraGetSliceResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) get(context.Context, *tg.CassandraGetArgs) (thrift.TStruct, error) {
	return &tg.CassandraGetResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) getCount(context.Context, *tg.CassandraGetCountArgs) (thrift.TStruct, error) {
	return &tg.CassandraGetCountResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) multigetSlice(context.Context, *tg.CassandraMultigetSliceArgs) (thrift.TStruct, error) {
	return &tg.CassandraMultigetSliceResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) multigetCount(context.Context, *tg.CassandraMultigetCountArgs) (thrift.TStruct, error) {
	return &tg.CassandraMultigetCountResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) getRangeSlices(context.Context, *tg.CassandraGetRangeSlicesArgs) (thrift.TStruct, error) {
	return &tg.CassandraGetRangeSlicesResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) getPagedSlice(context.Context, *tg.CassandraGetPagedSliceArgs) (thrift.TStruct, error) {
	return &tg.CassandraGetPagedSliceResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) getIndexedSlices(context.Context, *tg.CassandraGetIndexedSlicesArgs) (thrift.TStruct, error) {
	return &tg.CassandraGetIndexedSlicesResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) insert(context.Context, *tg.CassandraInsertArgs) (thrift.TStruct, error) {
	return &tg.CassandraInsertResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) add(context.Context, *tg.CassandraAddArgs) (thrift.TStruct, error) {
	return &tg.CassandraAddResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) cas(context.Context, *tg.CassandraCasArgs) (thrift.TStruct, error) {
	return &tg.CassandraCasResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) remove(context.Context, *tg.CassandraRemoveArgs) (thrift.TStruct, error) {
	return &tg.CassandraRemoveResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) removeCounter(context.Context, *tg.CassandraRemoveCounterArgs) (thrift.TStruct, error) {
	return &tg.CassandraRemoveCounterResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) batchMutate(context.Context, *tg.CassandraBatchMutateArgs) (thrift.TStruct, error) {
	return &tg.CassandraBatchMutateResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) atomicBatchMutate(context.Context, *tg.CassandraAtomicBatchMutateArgs) (thrift.TStruct, error) {
	return &tg.CassandraAtomicBatchMutateResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) truncate(context.Context, *tg.CassandraTruncateArgs) (thrift.TStruct, error) {
	return &tg.CassandraTruncateResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) getMultiSlice(context.Context, *tg.CassandraGetMultiSliceArgs) (thrift.TStruct, error) {
	return &tg.CassandraGetMultiSliceResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) describeSplits(context.Context, *tg.CassandraDescribeSplitsArgs) (thrift.TStruct, error) {
	return &tg.CassandraDescribeSplitsResult{Ire: ire("not implemented yet")}, nil
}

func (c *conn) describeSplitsEx(context.Context, *tg.CassandraDescribeSplitsExArgs) (thrift.TStruct, error) {
	return &tg.CassandraDescribeSplitsExResult{Ire: ire("not implemented yet")}, nil
}
