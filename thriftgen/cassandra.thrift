# cassa: Cassandra's Thrift RPC interface (port 9160), as spoken by
# Cassandra 2.2 through 3.11 (interface version 20.1.0).
#
# Written for cassa from the wire facts in Cassandra's IDL: every field id,
# type, requiredness and default below must match Cassandra exactly, because
# they are the wire format. Only the comments are cassa's own.
#
# Regenerate the Go code with `make thriftgen` (needs thrift 0.17.0).

namespace go thriftgen

/**
 * Interface version returned by describe_version(). 2.1 used 19.39.0; the
 * wire format is identical, 20.x only marks the removal of CQL2.
 */
const string VERSION = "20.1.0"

#
# Data
#

/** One cell. value and timestamp are optional on the wire, but writes need both. */
struct Column {
    1: required binary name,
    2: optional binary value,
    3: optional i64 timestamp,
    4: optional i32 ttl,
}

/** A named group of columns inside a super column family. */
struct SuperColumn {
    1: required binary name,
    2: required list<Column> columns,
}

/** A counter cell. */
struct CounterColumn {
    1: required binary name,
    2: required i64 value,
}

/** A named group of counter columns inside a super counter column family. */
struct CounterSuperColumn {
    1: required binary name,
    2: required list<CounterColumn> columns,
}

/** Result union of the read methods: exactly one field is set. */
struct ColumnOrSuperColumn {
    1: optional Column column,
    2: optional SuperColumn super_column,
    3: optional CounterColumn counter_column,
    4: optional CounterSuperColumn counter_super_column,
}

#
# Exceptions (server failures not declared here become TApplicationException)
#

/** The requested column does not exist. */
exception NotFoundException {
}

/** The request is malformed or names an unknown keyspace or column family. */
exception InvalidRequestException {
    1: required string why,
}

/** Too few replicas are alive for the consistency level. */
exception UnavailableException {
}

/** The RPC timed out. The optional fields give partial progress. */
exception TimedOutException {
    1: optional i32 acknowledged_by,
    2: optional bool acknowledged_by_batchlog,
    3: optional bool paxos_in_progress,
}

/** login() failed: bad credentials or unknown user. */
exception AuthenticationException {
    1: required string why,
}

/** The logged-in user lacks a permission. */
exception AuthorizationException {
    1: required string why,
}

/** Kept for compatibility; Cassandra has not thrown it since 1.2. */
exception SchemaDisagreementException {
}

#
# Requests
#

/** Consistency level. Thrift codes, not the native protocol's; there is no 0. */
enum ConsistencyLevel {
    ONE = 1,
    QUORUM = 2,
    LOCAL_QUORUM = 3,
    EACH_QUORUM = 4,
    ALL = 5,
    ANY = 6,
    TWO = 7,
    THREE = 8,
    SERIAL = 9,
    LOCAL_SERIAL = 10,
    LOCAL_ONE = 11,
}

/** A column family, optionally narrowed to one super column. Ids start at 3. */
struct ColumnParent {
    3: required string column_family,
    4: optional binary super_column,
}

/** The path to one column, super column or row. Ids start at 3. */
struct ColumnPath {
    3: required string column_family,
    4: optional binary super_column,
    5: optional binary column,
}

/** A contiguous run of column names. Empty start/finish mean unbounded. */
struct SliceRange {
    1: required binary start,
    2: required binary finish,
    3: required bool reversed = 0,
    4: required i32 count = 100,
}

/** Which columns to read: a list of names or a range. */
struct SlicePredicate {
    1: optional list<binary> column_names,
    2: optional SliceRange slice_range,
}

/** Comparison operator of an index expression. */
enum IndexOperator {
    EQ = 0,
    GTE = 1,
    GT = 2,
    LTE = 3,
    LT = 4,
}

/** One column-value condition. */
struct IndexExpression {
    1: required binary column_name,
    2: required IndexOperator op,
    3: required binary value,
}

/** Deprecated: get_range_slices with KeyRange.row_filter replaces it. */
struct IndexClause {
    1: required list<IndexExpression> expressions,
    2: required binary start_key,
    3: required i32 count = 100,
}

/**
 * A range of rows by key (start inclusive) or token (start exclusive).
 * Field 6 is declared before 5 in Cassandra's IDL; only the ids matter.
 */
struct KeyRange {
    1: optional binary start_key,
    2: optional binary end_key,
    3: optional string start_token,
    4: optional string end_token,
    6: optional list<IndexExpression> row_filter,
    5: required i32 count = 100,
}

/** One row of a range read. */
struct KeySlice {
    1: required binary key,
    2: required list<ColumnOrSuperColumn> columns,
}

/** Declared but returned by no 2.x/3.x method. */
struct KeyCount {
    1: required binary key,
    2: required i32 count,
}

/** A delete inside batch_mutate. timestamp may be absent only for counters. */
struct Deletion {
    1: optional i64 timestamp,
    2: optional binary super_column,
    3: optional SlicePredicate predicate,
}

/** One write in batch_mutate: exactly one field is set. */
struct Mutation {
    1: optional ColumnOrSuperColumn column_or_supercolumn,
    2: optional Deletion deletion,
}

/**
 * Location of one node in describe_ring. host and datacenter use default
 * requiredness (no keyword) in Cassandra's IDL.
 */
struct EndpointDetails {
    1: string host,
    2: string datacenter,
    3: optional string rack,
}

/** Outcome of cas(); current_values is set when the compare failed. */
struct CASResult {
    1: required bool success,
    2: optional list<Column> current_values,
}

/** One token range of the ring and the nodes that own it. */
struct TokenRange {
    1: required string start_token,
    2: required string end_token,
    3: required list<string> endpoints,
    4: optional list<string> rpc_endpoints,
    5: optional list<EndpointDetails> endpoint_details,
}

/** Credentials for login(); the keys depend on the authenticator. */
struct AuthenticationRequest {
    1: required map<string, string> credentials,
}

#
# Schema
#

/** Kind of secondary index. */
enum IndexType {
    KEYS = 0,
    CUSTOM = 1,
    COMPOSITES = 2,
}

/** Metadata of one named column: validator and optional index. */
struct ColumnDef {
    1: required binary name,
    2: required string validation_class,
    3: optional IndexType index_type,
    4: optional string index_name,
    5: optional map<string, string> index_options,
}

/** A trigger; options should hold at least "class". */
struct TriggerDef {
    1: required string name,
    2: required map<string, string> options,
}

/** A column family definition. Ids are sparse: gaps are ids Cassandra retired. */
struct CfDef {
    1: required string keyspace,
    2: required string name,
    3: optional string column_type = "Standard",
    5: optional string comparator_type = "BytesType",
    6: optional string subcomparator_type,
    8: optional string comment,
    12: optional double read_repair_chance,
    13: optional list<ColumnDef> column_metadata,
    14: optional i32 gc_grace_seconds,
    15: optional string default_validation_class,
    16: optional i32 id,
    17: optional i32 min_compaction_threshold,
    18: optional i32 max_compaction_threshold,
    26: optional string key_validation_class,
    28: optional binary key_alias,
    29: optional string compaction_strategy,
    30: optional map<string, string> compaction_strategy_options,
    32: optional map<string, string> compression_options,
    33: optional double bloom_filter_fp_chance,
    34: optional string caching = "keys_only",
    37: optional double dclocal_read_repair_chance = 0.0,
    39: optional i32 memtable_flush_period_in_ms,
    40: optional i32 default_time_to_live,
    42: optional string speculative_retry = "NONE",
    43: optional list<TriggerDef> triggers,
    44: optional string cells_per_row_to_cache = "100",
    45: optional i32 min_index_interval,
    46: optional i32 max_index_interval,

    # Deprecated: accepted from old clients and ignored
    # (index_interval still seeds min_index_interval).
    9: optional double row_cache_size,
    11: optional double key_cache_size,
    19: optional i32 row_cache_save_period_in_seconds,
    20: optional i32 key_cache_save_period_in_seconds,
    21: optional i32 memtable_flush_after_mins,
    22: optional i32 memtable_throughput_in_mb,
    23: optional double memtable_operations_in_millions,
    24: optional bool replicate_on_write,
    25: optional double merge_shards_chance,
    27: optional string row_cache_provider,
    31: optional i32 row_cache_keys_to_save,
    38: optional bool populate_io_cache_on_flush,
    41: optional i32 index_interval,
}

/**
 * A keyspace definition. cf_defs is required (send an empty list);
 * replication_factor is deprecated and ignored.
 */
struct KsDef {
    1: required string name,
    2: required string strategy_class,
    3: optional map<string, string> strategy_options,
    4: optional i32 replication_factor,
    5: required list<CfDef> cf_defs,
    6: optional bool durable_writes = 1,
}

#
# CQL over Thrift
#

/** Compression of a CQL query string. */
enum Compression {
    GZIP = 1,
    NONE = 2,
}

/** Kind of CqlResult. */
enum CqlResultType {
    ROWS = 1,
    VOID = 2,
    INT = 3,
}

/** One CQL result row. */
struct CqlRow {
    1: required binary key,
    2: required list<Column> columns,
}

/** Type names of a CQL result's columns. */
struct CqlMetadata {
    1: required map<binary, string> name_types,
    2: required map<binary, string> value_types,
    3: required string default_name_type,
    4: required string default_value_type,
}

/** Result of a CQL statement. */
struct CqlResult {
    1: required CqlResultType type,
    2: optional list<CqlRow> rows,
    3: optional i32 num,
    4: optional CqlMetadata schema,
}

/** Result of preparing a CQL statement. */
struct CqlPreparedResult {
    1: required i32 itemId,
    2: required i32 count,
    3: optional list<string> variable_types,
    4: optional list<string> variable_names,
}

/** An input split for Hadoop-style scans. */
struct CfSplit {
    1: required string start_token,
    2: required string end_token,
    3: required i64 row_count,
}

/** An inclusive column range for get_multi_slice; absent bounds are open. */
struct ColumnSlice {
    1: optional binary start,
    2: optional binary finish,
}

/** Several slices of one row in one call (all fields optional on the wire). */
struct MultiSliceRequest {
    1: optional binary key,
    2: optional ColumnParent column_parent,
    3: optional list<ColumnSlice> column_slices,
    4: optional bool reversed = false,
    5: optional i32 count = 1000,
    6: optional ConsistencyLevel consistency_level = ConsistencyLevel.ONE,
}

#
# Service. Argument and exception ids are wire facts; keep them.
#

/** Cassandra's Thrift RPC service (one connection = one session: keyspace, login, tracing). */
service Cassandra {
    # Session

    /** Authenticates the connection. */
    void login(1: required AuthenticationRequest auth_request)
        throws (1: AuthenticationException authnx, 2: AuthorizationException authzx),

    /** Sets the connection's current keyspace. */
    void set_keyspace(1: required string keyspace)
        throws (1: InvalidRequestException ire),

    # Reads

    /** One column or super column; NotFoundException when absent. */
    ColumnOrSuperColumn get(1: required binary key,
                            2: required ColumnPath column_path,
                            3: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: NotFoundException nfe,
                3: UnavailableException ue, 4: TimedOutException te),

    /** The columns of one row matched by predicate. */
    list<ColumnOrSuperColumn> get_slice(1: required binary key,
                                        2: required ColumnParent column_parent,
                                        3: required SlicePredicate predicate,
                                        4: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** How many columns of one row predicate matches. */
    i32 get_count(1: required binary key,
                  2: required ColumnParent column_parent,
                  3: required SlicePredicate predicate,
                  4: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** get_slice for several keys. */
    map<binary, list<ColumnOrSuperColumn>> multiget_slice(1: required list<binary> keys,
                                                          2: required ColumnParent column_parent,
                                                          3: required SlicePredicate predicate,
                                                          4: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** get_count for several keys. */
    map<binary, i32> multiget_count(1: required list<binary> keys,
                                    2: required ColumnParent column_parent,
                                    3: required SlicePredicate predicate,
                                    4: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** Columns of a range of rows. */
    list<KeySlice> get_range_slices(1: required ColumnParent column_parent,
                                    2: required SlicePredicate predicate,
                                    3: required KeyRange range,
                                    4: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** Columns of a range of rows, continuing into the next rows up to range.count columns. */
    list<KeySlice> get_paged_slice(1: required string column_family,
                                   2: required KeyRange range,
                                   3: required binary start_column,
                                   4: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** Deprecated secondary-index read; use get_range_slices with row_filter. */
    list<KeySlice> get_indexed_slices(1: required ColumnParent column_parent,
                                      2: required IndexClause index_clause,
                                      3: required SlicePredicate column_predicate,
                                      4: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    # Writes

    /** Writes one column. */
    void insert(1: required binary key,
                2: required ColumnParent column_parent,
                3: required Column column,
                4: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** Adds to a counter. */
    void add(1: required binary key,
             2: required ColumnParent column_parent,
             3: required CounterColumn column,
             4: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** Compare-and-set. expected and updates use default requiredness. */
    CASResult cas(1: required binary key,
                  2: required string column_family,
                  3: list<Column> expected,
                  4: list<Column> updates,
                  5: required ConsistencyLevel serial_consistency_level = ConsistencyLevel.SERIAL,
                  6: required ConsistencyLevel commit_consistency_level = ConsistencyLevel.QUORUM)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** Deletes a column, super column or row. The CL uses default requiredness. */
    void remove(1: required binary key,
                2: required ColumnPath column_path,
                3: required i64 timestamp,
                4: ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** Deletes a counter. */
    void remove_counter(1: required binary key,
                        2: required ColumnPath path,
                        3: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** Applies mutations: row key -> column family -> mutations. */
    void batch_mutate(1: required map<binary, map<string, list<Mutation>>> mutation_map,
                      2: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** batch_mutate through the batchlog. */
    void atomic_batch_mutate(1: required map<binary, map<string, list<Mutation>>> mutation_map,
                             2: required ConsistencyLevel consistency_level = ConsistencyLevel.ONE)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** Deletes all data of a column family. */
    void truncate(1: required string cfname)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    /** Several slices of one row. */
    list<ColumnOrSuperColumn> get_multi_slice(1: required MultiSliceRequest request)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue, 3: TimedOutException te),

    # Cluster and node metadata

    /** Schema version -> nodes at that version. */
    map<string, list<string>> describe_schema_versions()
        throws (1: InvalidRequestException ire),

    /** All keyspace definitions. */
    list<KsDef> describe_keyspaces()
        throws (1: InvalidRequestException ire),

    /** The cluster name. */
    string describe_cluster_name(),

    /** The interface version (VERSION). */
    string describe_version(),

    /** Token ranges of a keyspace and their replicas. */
    list<TokenRange> describe_ring(1: required string keyspace)
        throws (1: InvalidRequestException ire),

    /** describe_ring restricted to the local datacenter. */
    list<TokenRange> describe_local_ring(1: required string keyspace)
        throws (1: InvalidRequestException ire),

    /** Token -> node address, ignoring replication. */
    map<string, string> describe_token_map()
        throws (1: InvalidRequestException ire),

    /** The partitioner's class name. */
    string describe_partitioner(),

    /** The snitch's class name. */
    string describe_snitch(),

    /** One keyspace definition. */
    KsDef describe_keyspace(1: required string keyspace)
        throws (1: NotFoundException nfe, 2: InvalidRequestException ire),

    /** Split points for a token range. */
    list<string> describe_splits(1: required string cfName,
                                 2: required string start_token,
                                 3: required string end_token,
                                 4: required i32 keys_per_split)
        throws (1: InvalidRequestException ire),

    /** Traces the next query on this connection; returns the session id (a time UUID). */
    binary trace_next_query(),

    /** describe_splits with row counts. */
    list<CfSplit> describe_splits_ex(1: required string cfName,
                                     2: required string start_token,
                                     3: required string end_token,
                                     4: required i32 keys_per_split)
        throws (1: InvalidRequestException ire),

    # Schema changes; each returns the new schema version.

    /** Creates a column family. */
    string system_add_column_family(1: required CfDef cf_def)
        throws (1: InvalidRequestException ire, 2: SchemaDisagreementException sde),

    /** Drops a column family. */
    string system_drop_column_family(1: required string column_family)
        throws (1: InvalidRequestException ire, 2: SchemaDisagreementException sde),

    /** Creates a keyspace with its column families. */
    string system_add_keyspace(1: required KsDef ks_def)
        throws (1: InvalidRequestException ire, 2: SchemaDisagreementException sde),

    /** Drops a keyspace. */
    string system_drop_keyspace(1: required string keyspace)
        throws (1: InvalidRequestException ire, 2: SchemaDisagreementException sde),

    /** Changes a keyspace's options. */
    string system_update_keyspace(1: required KsDef ks_def)
        throws (1: InvalidRequestException ire, 2: SchemaDisagreementException sde),

    /** Changes a column family's options. */
    string system_update_column_family(1: required CfDef cf_def)
        throws (1: InvalidRequestException ire, 2: SchemaDisagreementException sde),

    # CQL. The CQL2 calls only throw InvalidRequestException since 2.2.

    /** CQL2 (removed in 2.2). */
    CqlResult execute_cql_query(1: required binary query, 2: required Compression compression)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue,
                3: TimedOutException te, 4: SchemaDisagreementException sde),

    /** Runs a CQL3 statement. */
    CqlResult execute_cql3_query(1: required binary query,
                                 2: required Compression compression,
                                 3: required ConsistencyLevel consistency)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue,
                3: TimedOutException te, 4: SchemaDisagreementException sde),

    /** CQL2 (removed in 2.2). */
    CqlPreparedResult prepare_cql_query(1: required binary query, 2: required Compression compression)
        throws (1: InvalidRequestException ire),

    /** Prepares a CQL3 statement. */
    CqlPreparedResult prepare_cql3_query(1: required binary query, 2: required Compression compression)
        throws (1: InvalidRequestException ire),

    /** CQL2 (removed in 2.2). */
    CqlResult execute_prepared_cql_query(1: required i32 itemId, 2: required list<binary> values)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue,
                3: TimedOutException te, 4: SchemaDisagreementException sde),

    /** Runs a prepared CQL3 statement. */
    CqlResult execute_prepared_cql3_query(1: required i32 itemId,
                                          2: required list<binary> values,
                                          3: required ConsistencyLevel consistency)
        throws (1: InvalidRequestException ire, 2: UnavailableException ue,
                3: TimedOutException te, 4: SchemaDisagreementException sde),

    /** No-op kept for old clients. */
    void set_cql_version(1: required string version)
        throws (1: InvalidRequestException ire),
}
