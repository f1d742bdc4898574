package server

import (
	"context"
	"errors"

	"github.com/apache/thrift/lib/go/thrift"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// method is one entry of the dispatch table: how to decode its arguments
// and how to run it.
type method struct {
	newArgs func() thrift.TStruct
	// defaults names the required arguments that carry an IDL default
	// (consistency levels). The generated Java args constructors pre-set
	// them, so Cassandra treats an absent one as the default; the Go
	// generator reports it missing instead, so the dispatcher forgives
	// exactly those. Read checks required fields in declaration order and
	// these come last, so when one of them is reported every earlier one
	// was present.
	defaults []string
	call     func(ctx context.Context, c *conn, args thrift.TStruct) (thrift.TStruct, error)
}

// absentDefault reports whether a decode error only says that an argument
// with an IDL default was absent.
func (m method) absentDefault(err error) bool {
	var pe thrift.TProtocolException
	if !errors.As(err, &pe) || pe.TypeId() != thrift.INVALID_DATA {
		return false
	}
	for _, f := range m.defaults {
		if err.Error() == "Required field "+f+" is not set" {
			return true
		}
	}
	return false
}

// checkEnums rejects an unknown value in a required consistency-level
// argument. Java's generated code decodes an unknown enum value as null,
// and the struct check then fails as if the field were missing, which
// libthrift answers with PROTOCOL_ERROR. (remove's CL has default
// requiredness; there validation answers an InvalidRequestException.)
func (m method) checkEnums(name string, args thrift.TStruct) error {
	check := func(field string, v tg.ConsistencyLevel) error {
		if v < tg.ConsistencyLevel_ONE || v > tg.ConsistencyLevel_LOCAL_ONE {
			return &protocolError{msg: "Required field '" + field + "' was not present! Struct: " + name + "_args"}
		}
		return nil
	}
	for _, f := range m.defaults {
		var err error
		switch f {
		case cl:
			if a, ok := args.(interface{ GetConsistencyLevel() tg.ConsistencyLevel }); ok {
				err = check("consistency_level", a.GetConsistencyLevel())
			}
		case "SerialConsistencyLevel":
			if a, ok := args.(*tg.CassandraCasArgs); ok {
				err = check("serial_consistency_level", a.SerialConsistencyLevel)
			}
		case "CommitConsistencyLevel":
			if a, ok := args.(*tg.CassandraCasArgs); ok {
				err = check("commit_consistency_level", a.CommitConsistencyLevel)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// def builds a method entry from a generated args constructor (which
// pre-sets IDL defaults) and a typed handler.
func def[A thrift.TStruct](newArgs func() A, call func(*conn, context.Context, A) (thrift.TStruct, error), defaults ...string) method {
	return method{
		newArgs:  func() thrift.TStruct { return newArgs() },
		defaults: defaults,
		call: func(ctx context.Context, c *conn, a thrift.TStruct) (thrift.TStruct, error) {
			return call(c, ctx, a.(A))
		},
	}
}

const cl = "ConsistencyLevel"

// methods is the Cassandra service, by wire name.
var methods map[string]method

func init() {
	methods = map[string]method{
		"login":                       def(tg.NewCassandraLoginArgs, (*conn).login),
		"set_keyspace":                def(tg.NewCassandraSetKeyspaceArgs, (*conn).setKeyspace),
		"get":                         def(tg.NewCassandraGetArgs, (*conn).get, cl),
		"get_slice":                   def(tg.NewCassandraGetSliceArgs, (*conn).getSlice, cl),
		"get_count":                   def(tg.NewCassandraGetCountArgs, (*conn).getCount, cl),
		"multiget_slice":              def(tg.NewCassandraMultigetSliceArgs, (*conn).multigetSlice, cl),
		"multiget_count":              def(tg.NewCassandraMultigetCountArgs, (*conn).multigetCount, cl),
		"get_range_slices":            def(tg.NewCassandraGetRangeSlicesArgs, (*conn).getRangeSlices, cl),
		"get_paged_slice":             def(tg.NewCassandraGetPagedSliceArgs, (*conn).getPagedSlice, cl),
		"get_indexed_slices":          def(tg.NewCassandraGetIndexedSlicesArgs, (*conn).getIndexedSlices, cl),
		"insert":                      def(tg.NewCassandraInsertArgs, (*conn).insert, cl),
		"add":                         def(tg.NewCassandraAddArgs, (*conn).add, cl),
		"cas":                         def(tg.NewCassandraCasArgs, (*conn).cas, "SerialConsistencyLevel", "CommitConsistencyLevel"),
		"remove":                      def(tg.NewCassandraRemoveArgs, (*conn).remove),
		"remove_counter":              def(tg.NewCassandraRemoveCounterArgs, (*conn).removeCounter, cl),
		"batch_mutate":                def(tg.NewCassandraBatchMutateArgs, (*conn).batchMutate, cl),
		"atomic_batch_mutate":         def(tg.NewCassandraAtomicBatchMutateArgs, (*conn).atomicBatchMutate, cl),
		"truncate":                    def(tg.NewCassandraTruncateArgs, (*conn).truncate),
		"get_multi_slice":             def(tg.NewCassandraGetMultiSliceArgs, (*conn).getMultiSlice),
		"describe_schema_versions":    def(tg.NewCassandraDescribeSchemaVersionsArgs, (*conn).describeSchemaVersions),
		"describe_keyspaces":          def(tg.NewCassandraDescribeKeyspacesArgs, (*conn).describeKeyspaces),
		"describe_cluster_name":       def(tg.NewCassandraDescribeClusterNameArgs, (*conn).describeClusterName),
		"describe_version":            def(tg.NewCassandraDescribeVersionArgs, (*conn).describeVersion),
		"describe_ring":               def(tg.NewCassandraDescribeRingArgs, (*conn).describeRing),
		"describe_local_ring":         def(tg.NewCassandraDescribeLocalRingArgs, (*conn).describeLocalRing),
		"describe_token_map":          def(tg.NewCassandraDescribeTokenMapArgs, (*conn).describeTokenMap),
		"describe_partitioner":        def(tg.NewCassandraDescribePartitionerArgs, (*conn).describePartitioner),
		"describe_snitch":             def(tg.NewCassandraDescribeSnitchArgs, (*conn).describeSnitch),
		"describe_keyspace":           def(tg.NewCassandraDescribeKeyspaceArgs, (*conn).describeKeyspace),
		"describe_splits":             def(tg.NewCassandraDescribeSplitsArgs, (*conn).describeSplits),
		"trace_next_query":            def(tg.NewCassandraTraceNextQueryArgs, (*conn).traceNextQuery),
		"describe_splits_ex":          def(tg.NewCassandraDescribeSplitsExArgs, (*conn).describeSplitsEx),
		"system_add_column_family":    def(tg.NewCassandraSystemAddColumnFamilyArgs, (*conn).systemAddColumnFamily),
		"system_drop_column_family":   def(tg.NewCassandraSystemDropColumnFamilyArgs, (*conn).systemDropColumnFamily),
		"system_add_keyspace":         def(tg.NewCassandraSystemAddKeyspaceArgs, (*conn).systemAddKeyspace),
		"system_drop_keyspace":        def(tg.NewCassandraSystemDropKeyspaceArgs, (*conn).systemDropKeyspace),
		"system_update_keyspace":      def(tg.NewCassandraSystemUpdateKeyspaceArgs, (*conn).systemUpdateKeyspace),
		"system_update_column_family": def(tg.NewCassandraSystemUpdateColumnFamilyArgs, (*conn).systemUpdateColumnFamily),
		"execute_cql_query":           def(tg.NewCassandraExecuteCqlQueryArgs, (*conn).executeCqlQuery),
		"execute_cql3_query":          def(tg.NewCassandraExecuteCql3QueryArgs, (*conn).executeCql3Query),
		"prepare_cql_query":           def(tg.NewCassandraPrepareCqlQueryArgs, (*conn).prepareCqlQuery),
		"prepare_cql3_query":          def(tg.NewCassandraPrepareCql3QueryArgs, (*conn).prepareCql3Query),
		"execute_prepared_cql_query":  def(tg.NewCassandraExecutePreparedCqlQueryArgs, (*conn).executePreparedCqlQuery),
		"execute_prepared_cql3_query": def(tg.NewCassandraExecutePreparedCql3QueryArgs, (*conn).executePreparedCql3Query),
		"set_cql_version":             def(tg.NewCassandraSetCqlVersionArgs, (*conn).setCqlVersion),
	}
}

// declare moves err into the result field of its type (fields are
// pointers to the result struct's exception fields) and reports nil, as
// a declared exception travels in a normal REPLY. An error of an
// undeclared type is returned unchanged and becomes INTERNAL_ERROR.
func declare(err error, fields ...any) error {
	if err == nil {
		return nil
	}
	for _, f := range fields {
		var ok bool
		switch p := f.(type) {
		case **tg.InvalidRequestException:
			ok = errors.As(err, p)
		case **tg.NotFoundException:
			ok = errors.As(err, p)
		case **tg.UnavailableException:
			ok = errors.As(err, p)
		case **tg.TimedOutException:
			ok = errors.As(err, p)
		case **tg.AuthenticationException:
			ok = errors.As(err, p)
		case **tg.AuthorizationException:
			ok = errors.As(err, p)
		case **tg.SchemaDisagreementException:
			ok = errors.As(err, p)
		}
		if ok {
			return nil
		}
	}
	return err
}
