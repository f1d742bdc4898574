package schema

import (
	"strings"
	"sync"

	"github.com/cassa-go/cassa/codec"
)

// schemaKeyspaceName is 3.11's system_schema keyspace.
const schemaKeyspaceName = "system_schema"

// builtinTable describes one of 3.11's system tables as its CREATE TABLE
// (SystemKeyspace, SchemaKeyspace, AuthKeyspace, SystemDistributedKeyspace,
// TraceKeyspace).
type builtinTable struct {
	name, comment string
	columns       string   // "name type, name type, ..."
	partition     []string // partition key columns
	clustering    []string // clustering columns
	compact       bool     // WITH COMPACT STORAGE
	tweak         func(p *TableParams)
}

var systemTables = []builtinTable{
	{name: "IndexInfo", comment: "built column indexes", columns: "table_name text, index_name text",
		partition: []string{"table_name"}, clustering: []string{"index_name"}, compact: true},
	{name: "batches", comment: "batches awaiting replay", columns: "id timeuuid, mutations list<blob>, version int",
		partition: []string{"id"}, tweak: func(p *TableParams) { p.Compaction.Options["min_threshold"] = "2" }},
	{name: "paxos", comment: "in-progress paxos proposals",
		columns:   "row_key blob, cf_id uuid, in_progress_ballot timeuuid, most_recent_commit blob, most_recent_commit_at timeuuid, most_recent_commit_version int, proposal blob, proposal_ballot timeuuid, proposal_version int",
		partition: []string{"row_key"}, clustering: []string{"cf_id"},
		tweak: func(p *TableParams) {
			p.Compaction = CompactionParams{Class: leveledCompact, Options: map[string]string{"min_threshold": "4", "max_threshold": "32"}}
		}},
	{name: "local", comment: "information about the local node",
		columns:   "key text, bootstrapped text, broadcast_address inet, cluster_name text, cql_version text, data_center text, gossip_generation int, host_id uuid, listen_address inet, native_protocol_version text, partitioner text, rack text, release_version text, rpc_address inet, schema_version uuid, thrift_version text, tokens set<varchar>, truncated_at map<uuid, blob>",
		partition: []string{"key"}},
	{name: "peers", comment: "information about known peers in the cluster",
		columns:   "peer inet, data_center text, host_id uuid, preferred_ip inet, rack text, release_version text, rpc_address inet, schema_version uuid, tokens set<varchar>",
		partition: []string{"peer"}},
	{name: "peer_events", comment: "events related to peers", columns: "peer inet, hints_dropped map<uuid, int>", partition: []string{"peer"}},
	{name: "range_xfers", comment: "ranges requested for transfer", columns: "token_bytes blob, requested_at timestamp", partition: []string{"token_bytes"}},
	{name: "compaction_history", comment: "week-long compaction history",
		columns:   "id uuid, bytes_in bigint, bytes_out bigint, columnfamily_name text, compacted_at timestamp, keyspace_name text, rows_merged map<int, bigint>",
		partition: []string{"id"}, tweak: func(p *TableParams) { p.DefaultTimeToLive = 604800 }},
	{name: "sstable_activity", comment: "historic sstable read rates",
		columns:   "keyspace_name text, columnfamily_name text, generation int, rate_120m double, rate_15m double",
		partition: []string{"keyspace_name", "columnfamily_name", "generation"}},
	{name: "size_estimates", comment: "per-table primary range size estimates",
		columns:   "keyspace_name text, table_name text, range_start text, range_end text, mean_partition_size bigint, partitions_count bigint",
		partition: []string{"keyspace_name"}, clustering: []string{"table_name", "range_start", "range_end"}},
	{name: "available_ranges", comment: "available keyspace/ranges during bootstrap/replace that are ready to be served",
		columns: "keyspace_name text, ranges set<blob>", partition: []string{"keyspace_name"}},
	{name: "transferred_ranges", comment: "record of transferred ranges for streaming operation",
		columns:   "operation text, peer inet, keyspace_name text, ranges set<blob>",
		partition: []string{"operation", "keyspace_name"}, clustering: []string{"peer"}},
	{name: "views_builds_in_progress", comment: "views builds current progress",
		columns:   "keyspace_name text, view_name text, last_token varchar, generation_number int",
		partition: []string{"keyspace_name"}, clustering: []string{"view_name"}},
	{name: "built_views", comment: "built views", columns: "keyspace_name text, view_name text, status_replicated boolean",
		partition: []string{"keyspace_name"}, clustering: []string{"view_name"}},
	{name: "prepared_statements", comment: "prepared statements",
		columns: "prepared_id blob, logged_keyspace text, query_string text", partition: []string{"prepared_id"}},
	{name: "hints", comment: "*DEPRECATED* hints awaiting delivery",
		columns:   "target_id uuid, hint_id timeuuid, message_version int, mutation blob",
		partition: []string{"target_id"}, clustering: []string{"hint_id", "message_version"}, compact: true,
		tweak: func(p *TableParams) { p.Compaction.Options["enabled"] = "false" }},
	{name: "batchlog", comment: "*DEPRECATED* batchlog entries",
		columns:   "id uuid, data blob, version int, written_at timestamp",
		partition: []string{"id"}, tweak: func(p *TableParams) { p.Compaction.Options["min_threshold"] = "2" }},
	{name: "schema_keyspaces", comment: "*DEPRECATED* keyspace definitions",
		columns:   "keyspace_name text, durable_writes boolean, strategy_class text, strategy_options text",
		partition: []string{"keyspace_name"}, compact: true},
	{name: "schema_columnfamilies", comment: "*DEPRECATED* table definitions",
		columns:   "keyspace_name text, columnfamily_name text, bloom_filter_fp_chance double, caching text, cf_id uuid, comment text, compaction_strategy_class text, compaction_strategy_options text, comparator text, compression_parameters text, default_time_to_live int, default_validator text, dropped_columns map<text, bigint>, gc_grace_seconds int, is_dense boolean, key_validator text, local_read_repair_chance double, max_compaction_threshold int, max_index_interval int, memtable_flush_period_in_ms int, min_compaction_threshold int, min_index_interval int, read_repair_chance double, speculative_retry text, subcomparator text, type text",
		partition: []string{"keyspace_name"}, clustering: []string{"columnfamily_name"}},
	{name: "schema_columns", comment: "*DEPRECATED* column definitions",
		columns:   "keyspace_name text, columnfamily_name text, column_name text, component_index int, index_name text, index_options text, index_type text, type text, validator text",
		partition: []string{"keyspace_name"}, clustering: []string{"columnfamily_name", "column_name"}},
	{name: "schema_triggers", comment: "*DEPRECATED* trigger definitions",
		columns:   "keyspace_name text, columnfamily_name text, trigger_name text, trigger_options map<text, text>",
		partition: []string{"keyspace_name"}, clustering: []string{"columnfamily_name", "trigger_name"}},
	{name: "schema_usertypes", comment: "*DEPRECATED* user defined type definitions",
		columns:   "keyspace_name text, type_name text, field_names list<text>, field_types list<text>",
		partition: []string{"keyspace_name"}, clustering: []string{"type_name"}},
	{name: "schema_functions", comment: "*DEPRECATED* user defined function definitions",
		columns:   "keyspace_name text, function_name text, signature frozen<list<text>>, argument_names list<text>, argument_types list<text>, body text, language text, return_type text, called_on_null_input boolean",
		partition: []string{"keyspace_name"}, clustering: []string{"function_name", "signature"}},
	{name: "schema_aggregates", comment: "*DEPRECATED* user defined aggregate definitions",
		columns:   "keyspace_name text, aggregate_name text, signature frozen<list<text>>, argument_types list<text>, final_func text, initcond blob, return_type text, state_func text, state_type text",
		partition: []string{"keyspace_name"}, clustering: []string{"aggregate_name", "signature"}},
}

var schemaTables = []builtinTable{
	{name: "keyspaces", comment: "keyspace definitions",
		columns: "keyspace_name text, durable_writes boolean, replication frozen<map<text, text>>", partition: []string{"keyspace_name"}},
	{name: "tables", comment: "table definitions",
		columns:   "keyspace_name text, table_name text, bloom_filter_fp_chance double, caching frozen<map<text, text>>, comment text, compaction frozen<map<text, text>>, compression frozen<map<text, text>>, crc_check_chance double, dclocal_read_repair_chance double, default_time_to_live int, extensions frozen<map<text, blob>>, flags frozen<set<text>>, gc_grace_seconds int, id uuid, max_index_interval int, memtable_flush_period_in_ms int, min_index_interval int, read_repair_chance double, speculative_retry text, cdc boolean",
		partition: []string{"keyspace_name"}, clustering: []string{"table_name"}},
	{name: "columns", comment: "column definitions",
		columns:   "keyspace_name text, table_name text, column_name text, clustering_order text, column_name_bytes blob, kind text, position int, type text",
		partition: []string{"keyspace_name"}, clustering: []string{"table_name", "column_name"}},
	{name: "dropped_columns", comment: "dropped column registry",
		columns:   "keyspace_name text, table_name text, column_name text, dropped_time timestamp, kind text, type text",
		partition: []string{"keyspace_name"}, clustering: []string{"table_name", "column_name"}},
	{name: "triggers", comment: "trigger definitions",
		columns:   "keyspace_name text, table_name text, trigger_name text, options frozen<map<text, text>>",
		partition: []string{"keyspace_name"}, clustering: []string{"table_name", "trigger_name"}},
	{name: "views", comment: "view definitions",
		columns:   "keyspace_name text, view_name text, base_table_id uuid, base_table_name text, where_clause text, bloom_filter_fp_chance double, caching frozen<map<text, text>>, comment text, compaction frozen<map<text, text>>, compression frozen<map<text, text>>, crc_check_chance double, dclocal_read_repair_chance double, default_time_to_live int, extensions frozen<map<text, blob>>, gc_grace_seconds int, id uuid, include_all_columns boolean, max_index_interval int, memtable_flush_period_in_ms int, min_index_interval int, read_repair_chance double, speculative_retry text, cdc boolean",
		partition: []string{"keyspace_name"}, clustering: []string{"view_name"}},
	{name: "types", comment: "user defined type definitions",
		columns:   "keyspace_name text, type_name text, field_names frozen<list<text>>, field_types frozen<list<text>>",
		partition: []string{"keyspace_name"}, clustering: []string{"type_name"}},
	{name: "functions", comment: "user defined function definitions",
		columns:   "keyspace_name text, function_name text, argument_types frozen<list<text>>, argument_names frozen<list<text>>, body text, language text, return_type text, called_on_null_input boolean",
		partition: []string{"keyspace_name"}, clustering: []string{"function_name", "argument_types"}},
	{name: "aggregates", comment: "user defined aggregate definitions",
		columns:   "keyspace_name text, aggregate_name text, argument_types frozen<list<text>>, final_func text, initcond text, return_type text, state_func text, state_type text",
		partition: []string{"keyspace_name"}, clustering: []string{"aggregate_name", "argument_types"}},
	{name: "indexes", comment: "secondary index definitions",
		columns:   "keyspace_name text, table_name text, index_name text, kind text, options frozen<map<text, text>>",
		partition: []string{"keyspace_name"}, clustering: []string{"table_name", "index_name"}},
}

var authTables = []builtinTable{
	{name: "roles", comment: "role definitions",
		columns: "role text, is_superuser boolean, can_login boolean, salted_hash text, member_of set<text>", partition: []string{"role"}},
	{name: "role_members", comment: "role memberships lookup table",
		columns: "role text, member text", partition: []string{"role"}, clustering: []string{"member"}},
	{name: "role_permissions", comment: "permissions granted to db roles",
		columns: "role text, resource text, permissions set<text>", partition: []string{"role"}, clustering: []string{"resource"}},
	{name: "resource_role_permissons_index", comment: "index of db roles with permissions granted on a resource",
		columns: "resource text, role text", partition: []string{"resource"}, clustering: []string{"role"}},
}

var distributedTables = []builtinTable{
	{name: "repair_history", comment: "Repair history",
		columns:   "keyspace_name text, columnfamily_name text, id timeuuid, parent_id timeuuid, range_begin text, range_end text, coordinator inet, coordinator_port int, participants set<inet>, participants_v2 set<text>, exception_message text, exception_stacktrace text, status text, started_at timestamp, finished_at timestamp",
		partition: []string{"keyspace_name", "columnfamily_name"}, clustering: []string{"id"}},
	{name: "parent_repair_history", comment: "Repair history",
		columns:   "parent_id timeuuid, keyspace_name text, columnfamily_names set<text>, started_at timestamp, finished_at timestamp, exception_message text, exception_stacktrace text, requested_ranges set<text>, successful_ranges set<text>, options map<text, text>",
		partition: []string{"parent_id"}},
	{name: "view_build_status", comment: "Materialized View build status",
		columns:   "keyspace_name text, view_name text, host_id uuid, status text",
		partition: []string{"keyspace_name", "view_name"}, clustering: []string{"host_id"}},
}

var traceTables = []builtinTable{
	{name: "sessions", comment: "tracing sessions",
		columns:   "session_id uuid, command text, client inet, coordinator inet, coordinator_port int, duration int, parameters map<text, text>, request text, started_at timestamp",
		partition: []string{"session_id"}},
	{name: "events", comment: "tracing events",
		columns:   "session_id uuid, event_id timeuuid, activity text, source inet, source_port int, source_elapsed int, thread text",
		partition: []string{"session_id"}, clustering: []string{"event_id"}},
}

// splitTop splits s at commas outside <>.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			depth++
		case '>':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// compile is CFMetaData.compile: the CREATE TABLE with a name-based ID,
// read repair off, gc_grace_seconds 0 and hourly memtable flushes, then
// the keyspace's gc_grace_seconds and the table's own tweaks.
func (b builtinTable) compile(ks string, gcGrace int32) *Table {
	st := CreateTable{Keyspace: ks, Name: b.name, CompactStorage: b.compact,
		PrimaryKeys: []PrimaryKey{{Partition: b.partition, Clustering: b.clustering}}}
	for _, col := range splitTop(b.columns) {
		name, typ, _ := strings.Cut(col, " ")
		raw, err := ParseRawType(typ)
		if err != nil {
			panic("schema: builtin " + ks + "." + b.name + ": " + err.Error())
		}
		st.Columns = append(st.Columns, ColumnSpec{Name: name, Type: raw})
	}
	t, _, err := prepareCreateTable(st, &Keyspace{Name: ks})
	if err != nil {
		panic("schema: builtin " + ks + "." + b.name + ": " + err.Error())
	}
	t.ID = nameUUID([]byte(ks + b.name))
	t.Virtual = true
	t.Params.Comment = b.comment
	t.Params.ReadRepairChance, t.Params.DCLocalReadRepairChance = 0, 0
	t.Params.GCGraceSeconds = gcGrace
	t.Params.MemtableFlushPeriodInMs = 3600000
	if b.tweak != nil {
		b.tweak(&t.Params)
	}
	if err := t.derive(); err != nil {
		panic("schema: builtin " + ks + "." + b.name + ": " + err.Error())
	}
	return t
}

func compileAll(ks string, gcGrace int32, defs []builtinTable) map[string]*Table {
	out := make(map[string]*Table, len(defs))
	for _, b := range defs {
		out[b.name] = b.compile(ks, gcGrace)
	}
	return out
}

var builtins = sync.OnceValue(func() map[string]map[string]*Table {
	return map[string]map[string]*Table{
		"system":             compileAll("system", 0, systemTables),
		schemaKeyspaceName:   compileAll(schemaKeyspaceName, 604800, schemaTables),
		"system_auth":        compileAll("system_auth", 7776000, authTables),
		"system_distributed": compileAll("system_distributed", 864000, distributedTables),
		"system_traces":      compileAll("system_traces", 0, traceTables),
	}
})

var schemaKeyspace = sync.OnceValue(func() *Keyspace {
	return &Keyspace{Name: schemaKeyspaceName, StrategyClass: LocalStrategy, StrategyOptions: map[string]string{},
		DurableWrites: true, System: true, Tables: map[string]*Table{}, Types: map[string]*codec.UserType{},
		Virtual: builtins()[schemaKeyspaceName]}
})

// SystemSchemaTable returns the definition of system_schema.<name> (for
// the executor's result metadata), or nil.
func SystemSchemaTable(name string) *Table { return builtins()[schemaKeyspaceName][name] }
