package validate

import (
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
)

// FuzzRenderName feeds arbitrary bytes to every renderer: names come from
// the network, and rendering one for an error message must never panic.
func FuzzRenderName(f *testing.F) {
	types := []codec.Type{
		codec.Bytes, codec.Ascii, codec.UTF8, codec.Long, codec.Int32, codec.Integer, codec.Decimal,
		codec.Double, codec.Float, codec.Boolean, codec.Date, codec.Timestamp, codec.UUID,
		codec.TimeUUID, codec.LexicalUUID, codec.InetAddress, codec.CounterColumn,
		codec.Reversed(codec.Long), codec.Composite(codec.Long, codec.UTF8, codec.Bytes),
		codec.MustParse("DynamicCompositeType(a=>AsciiType,b=>BytesType)"),
	}
	f.Add(uint8(0), []byte{})
	f.Add(uint8(18), []byte{0, 8, 0, 0, 0, 0, 0, 0, 0, 9, 1})
	f.Add(uint8(19), []byte{0x80, 'a', 0, 1, 'x', 0, 0, 3, 'F', 'o', 'o', 0, 0, 0})
	f.Add(uint8(6), []byte{0x7f, 0xff, 0xff, 0xff, 0})
	f.Fuzz(func(t *testing.T, which uint8, in []byte) {
		_ = RenderName(types[int(which)%len(types)], in)
	})
}

// FuzzValidate runs the entry points over arbitrary names, values, keys
// and slice bounds on every kind of table: they must answer, not panic.
func FuzzValidate(f *testing.F) {
	f.Add([]byte("k"), []byte("name"), []byte("value"), []byte("a"), []byte("b"), false, int32(10), int32(0), int64(1))
	f.Add([]byte{}, []byte{}, []byte{}, []byte{}, []byte{}, true, int32(-1), int32(-1), int64(0))
	f.Add(long(1), long(2), long(3), long(-1), long(1), true, int32(0), int32(MaxTTL), int64(12))
	tables := []*thriftgen.ColumnParent{
		parent("Standard1"), parent("StandardLong1"), parent("StandardUTF8"), parent("ReversedLong"),
		parent("Super1"), parentSC("Super1", b("sc")), parent("Counter1"), parent("Indexed1"), parent("DefaultTTL"),
		parent("CQLTable"),
	}
	f.Fuzz(func(t *testing.T, key, name, value, start, finish []byte, reversed bool, count, ttl int32, cl int64) {
		for _, par := range tables {
			tb := rf1.Table(par.ColumnFamily)
			c := &thriftgen.Column{Name: name, Value: value, Timestamp: &cl, TTL: &ttl}
			level := thriftgen.ConsistencyLevel(cl)
			_ = ValidateInsert(rf1, tb, key, par, c, level, now, nil)
			_ = ValidateGetSlice(rf1, tb, key, par, rng(start, finish, reversed, count), level)
			_ = ValidateGet(rf1, tb, key, &thriftgen.ColumnPath{ColumnFamily: par.ColumnFamily, SuperColumn: par.SuperColumn, Column: name}, level)
			_ = ValidateMultiSlice(rf1, tb, &thriftgen.MultiSliceRequest{Key: key, ColumnParent: par, Reversed: reversed,
				ColumnSlices: []*thriftgen.ColumnSlice{{Start: start, Finish: finish}}, ConsistencyLevel: level})
			_ = ValidateRangeSlices(rf1, tb, murmur3, par, names(name), &thriftgen.KeyRange{StartKey: start, EndToken: str(string(finish)), Count: count,
				RowFilter: []*thriftgen.IndexExpression{expr(name, thriftgen.IndexOperator(count), value)}}, level)
			_ = ValidateBatchMutate(cat, ks1, map[string]map[string][]*thriftgen.Mutation{string(key): {par.ColumnFamily: {
				{Deletion: &thriftgen.Deletion{SuperColumn: par.SuperColumn, Predicate: rng(start, finish, reversed, count)}},
				{ColumnOrSupercolumn: &thriftgen.ColumnOrSuperColumn{Column: c}},
				{ColumnOrSupercolumn: &thriftgen.ColumnOrSuperColumn{CounterColumn: &thriftgen.CounterColumn{Name: name}}},
			}}}, level, reversed, now, nil)
			_ = DeletionString(&thriftgen.Deletion{SuperColumn: name, Predicate: names(start, finish)})
		}
	})
}
