package cqlexec

import (
	"github.com/datastax/go-cassandra-native-protocol/datatype"

	"github.com/cassa-go/cassa/codec"
)

const marshalPkg = "org.apache.cassandra.db.marshal."

// primitiveTypes maps marshal classes to their native-protocol ids
// (DataType in org.apache.cassandra.transport). Text is always varchar:
// DataType registers both TEXT and VARCHAR for UTF8Type and the later wins,
// and gocql's metadata parsing depends on it. The legacy DateType is sent
// as timestamp.
var primitiveTypes = map[string]datatype.DataType{
	marshalPkg + "AsciiType":         datatype.Ascii,
	marshalPkg + "LongType":          datatype.Bigint,
	marshalPkg + "BytesType":         datatype.Blob,
	marshalPkg + "BooleanType":       datatype.Boolean,
	marshalPkg + "CounterColumnType": datatype.Counter,
	marshalPkg + "DecimalType":       datatype.Decimal,
	marshalPkg + "DoubleType":        datatype.Double,
	marshalPkg + "FloatType":         datatype.Float,
	marshalPkg + "Int32Type":         datatype.Int,
	marshalPkg + "UTF8Type":          datatype.Varchar,
	marshalPkg + "TimestampType":     datatype.Timestamp,
	marshalPkg + "DateType":          datatype.Timestamp,
	marshalPkg + "UUIDType":          datatype.Uuid,
	marshalPkg + "IntegerType":       datatype.Varint,
	marshalPkg + "TimeUUIDType":      datatype.Timeuuid,
	marshalPkg + "InetAddressType":   datatype.Inet,
	marshalPkg + "SimpleDateType":    datatype.Date,
	marshalPkg + "TimeType":          datatype.Time,
	marshalPkg + "ShortType":         datatype.Smallint,
	marshalPkg + "ByteType":          datatype.Tinyint,
	marshalPkg + "DurationType":      datatype.Duration,
}

// dataType is the native-protocol [option] of a column of type t, as 3.11's
// DataType.fromType gives it for protocol v4 (the connection rewrites
// what an older protocol cannot carry): reversed types as their base,
// collections, tuples and user types with their parts, any other class
// as a Custom type naming it.
func dataType(t codec.Type) datatype.DataType {
	switch x := t.(type) {
	case nil:
		return datatype.Blob
	case *codec.ReversedType:
		return dataType(x.Base())
	case *codec.CollectionType:
		switch x.Kind() {
		case codec.ListKind:
			return datatype.NewList(dataType(x.Elements()))
		case codec.SetKind:
			return datatype.NewSet(dataType(x.Elements()))
		}
		return datatype.NewMap(dataType(x.Keys()), dataType(x.Elements()))
	case *codec.TupleType:
		comps := x.Components()
		out := make([]datatype.DataType, len(comps))
		for i, c := range comps {
			out[i] = dataType(c)
		}
		return datatype.NewTuple(out...)
	case *codec.UserType:
		fts := x.FieldTypes()
		out := make([]datatype.DataType, len(fts))
		for i, f := range fts {
			out[i] = dataType(f)
		}
		return &datatype.UserDefined{Keyspace: x.Keyspace, Name: x.Name, FieldNames: x.FieldNames(), FieldTypes: out}
	}
	if d, ok := primitiveTypes[t.Class()]; ok {
		return d
	}
	return datatype.NewCustom(t.Class())
}
