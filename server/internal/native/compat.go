package native

import (
	"fmt"

	"github.com/datastax/go-cassandra-native-protocol/datatype"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// The backend answers in the protocol's newest terms; what an older
// connection cannot carry is rewritten here, as 3.11 does while encoding.

// forVersion rewrites a response for a connection of protocol version v:
// ErrorMessage.getBackwardsCompatibleException for v3, FUNCTION and
// AGGREGATE schema changes as UPDATED KEYSPACE for v3
// (Event.SchemaChange.serializeEvent), and types newer than v as Custom
// (DataType.fromType). The message is copied, never modified.
func forVersion(m message.Message, v byte) message.Message {
	switch m := m.(type) {
	case *message.RowsResult:
		if md, ok := metadataForVersion(m.Metadata, v); ok {
			return &message.RowsResult{Metadata: md, Data: m.Data}
		}
	case *message.PreparedResult:
		vars, changedVars := variablesForVersion(m.VariablesMetadata, v)
		res, changedRes := metadataForVersion(m.ResultMetadata, v)
		if res == nil {
			// ResultSet.ResultMetadata.EMPTY: No_metadata, no columns.
			res, changedRes = &message.RowsMetadata{}, true
		}
		if changedVars || changedRes {
			c := *m
			c.VariablesMetadata, c.ResultMetadata = vars, res
			return &c
		}
	case *message.SchemaChangeResult:
		if v < 4 && (m.Target == primitive.SchemaChangeTargetFunction || m.Target == primitive.SchemaChangeTargetAggregate) {
			return &message.SchemaChangeResult{ChangeType: primitive.SchemaChangeTypeUpdated, Target: primitive.SchemaChangeTargetKeyspace, Keyspace: m.Keyspace}
		}
	case *message.SchemaChangeEvent:
		if v < 4 && (m.Target == primitive.SchemaChangeTargetFunction || m.Target == primitive.SchemaChangeTargetAggregate) {
			return &message.SchemaChangeEvent{ChangeType: primitive.SchemaChangeTypeUpdated, Target: primitive.SchemaChangeTargetKeyspace, Keyspace: m.Keyspace}
		}
	case *message.ReadFailure:
		if v < 4 {
			return &message.ReadTimeout{ErrorMessage: timeoutMessage(m.Received), Consistency: m.Consistency,
				Received: m.Received, BlockFor: m.BlockFor, DataPresent: m.DataPresent}
		}
	case *message.WriteFailure:
		if v < 4 {
			return &message.WriteTimeout{ErrorMessage: timeoutMessage(m.Received), Consistency: m.Consistency,
				Received: m.Received, BlockFor: m.BlockFor, WriteType: m.WriteType}
		}
	case *message.FunctionFailure:
		if v < 4 {
			// InvalidRequestException(msg.toString()): "ERROR <code>: <message>".
			return &message.Invalid{ErrorMessage: "ERROR FUNCTION_FAILURE: " + m.ErrorMessage}
		}
	}
	return m
}

// timeoutMessage is Read/WriteTimeoutException's message.
func timeoutMessage(received int32) string {
	return fmt.Sprintf("Operation timed out - received only %d responses.", received)
}

func metadataForVersion(md *message.RowsMetadata, v byte) (*message.RowsMetadata, bool) {
	if md == nil {
		return nil, false
	}
	cols, changed := columnsForVersion(md.Columns, v)
	if !changed {
		return md, false
	}
	c := *md
	c.Columns = cols
	return &c, true
}

func variablesForVersion(md *message.VariablesMetadata, v byte) (*message.VariablesMetadata, bool) {
	if md == nil {
		return nil, false
	}
	cols, changed := columnsForVersion(md.Columns, v)
	if !changed {
		return md, false
	}
	c := *md
	c.Columns = cols
	return &c, true
}

func columnsForVersion(cols []*message.ColumnMetadata, v byte) ([]*message.ColumnMetadata, bool) {
	var out []*message.ColumnMetadata
	for i, col := range cols {
		t, changed := typeForVersion(col.Type, v)
		if !changed {
			continue
		}
		if out == nil {
			out = append([]*message.ColumnMetadata(nil), cols...)
		}
		c := *col
		c.Type = t
		out[i] = &c
	}
	if out == nil {
		return cols, false
	}
	return out, true
}

// marshalClass is the class name DataType.fromType falls back to (as
// Custom) for a type the connection's version does not know.
func marshalClass(code primitive.DataTypeCode, v byte) (string, bool) {
	switch code {
	case primitive.DataTypeCodeDuration:
		return "org.apache.cassandra.db.marshal.DurationType", v < 5
	case primitive.DataTypeCodeDate:
		return "org.apache.cassandra.db.marshal.SimpleDateType", v < 4
	case primitive.DataTypeCodeTime:
		return "org.apache.cassandra.db.marshal.TimeType", v < 4
	case primitive.DataTypeCodeSmallint:
		return "org.apache.cassandra.db.marshal.ShortType", v < 4
	case primitive.DataTypeCodeTinyint:
		return "org.apache.cassandra.db.marshal.ByteType", v < 4
	}
	return "", false
}

// typeForVersion returns t with every type newer than v, at any depth,
// replaced by its Custom class name; false if nothing changed.
func typeForVersion(t datatype.DataType, v byte) (datatype.DataType, bool) {
	switch t := t.(type) {
	case nil:
		return nil, false
	case *datatype.List:
		e, ok := typeForVersion(t.ElementType, v)
		if ok {
			return datatype.NewList(e), true
		}
	case *datatype.Set:
		e, ok := typeForVersion(t.ElementType, v)
		if ok {
			return datatype.NewSet(e), true
		}
	case *datatype.Map:
		k, kok := typeForVersion(t.KeyType, v)
		val, vok := typeForVersion(t.ValueType, v)
		if kok || vok {
			return datatype.NewMap(k, val), true
		}
	case *datatype.Tuple:
		if fields, ok := typesForVersion(t.FieldTypes, v); ok {
			return datatype.NewTuple(fields...), true
		}
	case *datatype.UserDefined:
		if fields, ok := typesForVersion(t.FieldTypes, v); ok {
			return &datatype.UserDefined{Keyspace: t.Keyspace, Name: t.Name, FieldNames: t.FieldNames, FieldTypes: fields}, true
		}
	default:
		if class, ok := marshalClass(t.Code(), v); ok {
			return datatype.NewCustom(class), true
		}
	}
	return t, false
}

func typesForVersion(ts []datatype.DataType, v byte) ([]datatype.DataType, bool) {
	var out []datatype.DataType
	for i, t := range ts {
		n, ok := typeForVersion(t, v)
		if !ok {
			continue
		}
		if out == nil {
			out = append([]datatype.DataType(nil), ts...)
		}
		out[i] = n
	}
	return out, out != nil
}
