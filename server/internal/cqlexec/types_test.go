package cqlexec

import (
	"reflect"
	"testing"

	"github.com/datastax/go-cassandra-native-protocol/datatype"

	"github.com/cassa-go/cassa/codec"
)

// dataType gives each marshal type its native-protocol [option], as
// DataType.fromType does: text as varchar, reversed as its base, the
// legacy DateType as timestamp, anything else without an id as Custom.
func TestDataType(t *testing.T) {
	mustParse := func(class string) codec.Type {
		ty, err := codec.Parse(class)
		if err != nil {
			t.Fatal(err)
		}
		return ty
	}
	u := codec.NewUserType("ks", "addr", []string{"street", "zip"}, []codec.Type{codec.UTF8, codec.Int32}, false)
	cases := []struct {
		in   codec.Type
		want datatype.DataType
	}{
		{codec.UTF8, datatype.Varchar},
		{codec.Ascii, datatype.Ascii},
		{codec.Reversed(codec.Long), datatype.Bigint},
		{mustParse("DateType"), datatype.Timestamp},
		{mustParse("SimpleDateType"), datatype.Date},
		{mustParse("DurationType"), datatype.Duration},
		{codec.List(codec.Int32, true), datatype.NewList(datatype.Int)},
		{codec.Set(codec.UTF8, false), datatype.NewSet(datatype.Varchar)},
		{codec.Map(codec.UUID, codec.Bytes, true), datatype.NewMap(datatype.Uuid, datatype.Blob)},
		{codec.NewTuple(codec.Int32, codec.UTF8), datatype.NewTuple(datatype.Int, datatype.Varchar)},
		{u, &datatype.UserDefined{Keyspace: "ks", Name: "addr", FieldNames: []string{"street", "zip"}, FieldTypes: []datatype.DataType{datatype.Varchar, datatype.Int}}},
		{mustParse("LexicalUUIDType"), datatype.NewCustom("org.apache.cassandra.db.marshal.LexicalUUIDType")},
		{nil, datatype.Blob},
	}
	for _, c := range cases {
		if got := dataType(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v: got %v, want %v", c.in, got, c.want)
		}
	}
}
