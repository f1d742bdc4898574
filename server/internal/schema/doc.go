// Package schema is the embedded server's schema catalog: one catalog for
// Thrift and CQL. Every table carries Cassandra 3.11's CFMetaData model
// (flags, CQL columns with kinds and positions, clustering order,
// TableParams, IndexMetadata, dropped columns, triggers) and the Thrift
// view derived from it (comparator, validators, column_metadata and the
// CfDef describe_keyspace shows), as Cassandra 3.11's ThriftConversion
// builds them.
//
// # CQL
//
// The CQL statements are plain structs (CreateKeyspace, AlterKeyspace,
// DropKeyspace, CreateTable, AlterTable, DropTable, CreateIndex,
// DropIndex, CreateType, AlterUserType, DropType) applied by the Schema
// methods of the same names (DropKeyspaceCQL and DropTableCQL, beside the
// Thrift calls) with 3.11's checks, order and messages; errors are *Error
// with the native-protocol code (Syntax, Unauthorized, Invalid, Config,
// AlreadyExists with keyspace and table). A nil Change and nil error is
// an IF [NOT] EXISTS no-op; Change.Event gives the SCHEMA_CHANGE event.
// Op wraps one statement for the commit log (Fill, MarshalBinary, Apply).
// Types are written as RawType (ParseRawType reads CQL type text) and
// resolved against the keyspace's user types.
//
// Thrift column families appear in CQL as 3.11 shows them
// (ThriftConversion.internalFromThrift and addDefaultCQLMetadata: key,
// column1, value, static declared columns, KEYS indexes); CQL tables are
// hidden from describe_keyspace unless compact, and
// system_update_column_family refuses them.
//
// The built-in system tables of 3.11 (system.local, system.peers,
// system_schema.*, system_auth.*, ...) are virtual tables
// (Keyspace.Virtual, Table.Virtual) with no storage; Thrift's data methods
// do not reach them, and describe_keyspace lists the compact ones as 3.11
// does. Catalog.FindKeyspace, FindTable and Lookup reach them for CQL. Catalog.SystemSchemaRows (and KeyspaceRows,
// TableRows, ColumnRows, ...) give the rows of every system_schema table
// for every keyspace, and SystemSchemaTable the table definitions for
// result metadata.
//
// # Snapshots and changes
//
// A Schema holds the current *Catalog behind an atomic pointer. A Catalog is
// an immutable snapshot: the data path calls Schema.Current once per request
// and reads it without locks (Catalog.Keyspace, Catalog.Table,
// Catalog.Index, Catalog.Version, Catalog.Describe). Nothing reachable from a
// Catalog may be modified; Keyspace.Def and Catalog.Describe return copies.
//
// Every Thrift change (AddKeyspace, UpdateKeyspace, DropKeyspace, AddTable,
// UpdateTable, DropTable, Load) validates its KsDef or CfDef with
// Cassandra's checks, messages and check order, builds a new Catalog
// copy-on-write, and returns a *Change: its kind, the old and new catalogs,
// the new version (Change.Version) and the Created, Dropped and Updated
// tables (TableUpdate.IndexesChanged says when indexes must be rebuilt).
// Errors are *thriftgen.InvalidRequestException with Cassandra's exact text.
// The session-keyspace check (ClientState.getKeyspace) is the caller's.
//
// Changes run one at a time. Options.Apply, when set, is called with each
// Change under the schema's write lock before the new catalog is published;
// storage follows the change there, and an error abandons it, so a schema
// change and its storage change happen together or not at all.
//
// # Tables
//
// A Table carries the parsed types (Comparator, SubComparator, KeyValidator,
// DefaultValidator), its column_metadata in comparator order, and Def, the
// CfDef describe_keyspace reports. Helpers: Table.Column (exact name),
// Table.ValueValidator (the ColumnDef validator, else the default
// validator), Table.IndexedColumns, Table.IndexedColumn (by index name) and
// Table.CellComparator (subcomparator of a super CF, else comparator). A
// table's ID is new on every AddTable and kept by UpdateTable.
//
// Keyspace.ReplicationFactor (total), Keyspace.LocalReplicationFactor
// (datacenter1, LocalDatacenter) and Keyspace.DatacenterReplicationFactors
// give what consistency-level checks need; Keyspace.HasRing is false for
// LocalStrategy.
//
// # Defaults and describe output
//
// Absent CfDef fields take Cassandra 3.11's defaults
// (ThriftConversion.applyImplicitDefaults). Because a Go caller may build a
// CfDef without thriftgen.NewCfDef, an empty column_type, comparator_type,
// caching, speculative_retry or cells_per_row_to_cache means its IDL
// default, and dclocal_read_repair_chance 0 means unset (0.1). column_type
// is read in any case; caching takes the legacy keywords only;
// speculative_retry follows SpeculativeRetryParam; TableParams.validate's
// checks and messages apply. Def is ThriftConversion.toThrift of the model:
// fully qualified type, strategy, compaction and compressor classes,
// compaction_strategy_options with min_threshold and max_threshold,
// compression_options with chunk_length_kb, caching upper-case with
// cells_per_row_to_cache "0" when the row cache is off, speculative_retry
// as 3.11 renders it ("99PERCENTILE"), key_alias the partition key name,
// bloom_filter_fp_chance 0.01 unless set, an empty (never nil)
// column_metadata and triggers, and no id. KsDef.replication_factor is
// ignored.
//
// # System keyspaces
//
// New starts with Cassandra 3.11's system keyspaces: system and
// system_schema (LocalStrategy), system_auth (SimpleStrategy, RF 1),
// system_distributed (RF 3) and system_traces (RF 2). Their tables are
// 3.11's, as virtual tables; describe_keyspace lists the compact ones
// (system's IndexInfo, hints and schema_keyspaces). system and
// system_schema refuse every change ("<ks> keyspace is not
// user-modifiable"); system_auth, system_distributed and system_traces
// accept keyspace updates but refuse to be dropped and refuse ALTER/DROP of
// their tables (ClientState.preventSystemKSSchemaModification).
//
// # Versions and persistence
//
// The version is UUID.nameUUIDFromBytes (v3) of an MD5 digest over the
// canonical schema (keyspaces, user types, table models and describe
// CfDefs in name order; table IDs and dropped columns left out): it
// changes on every change and equal schemas have equal versions (3.11's
// exact value is not reproduced). Catalog.MarshalBinary and Schema.Load
// save and restore every keyspace but system and system_schema with its
// user types and the full model of its tables, IDs included; Load also
// reads the previous format (KsDefs only).
//
// # Deviations from Cassandra 3.11
//
// CUSTOM index classes and trigger classes are not loaded or checked.
// AddTable into system or system_schema is refused (3.11 checks only the
// session keyspace). Renaming an index through system_update_column_family
// is refused as 2.2 refused it ("Can't modify index name"). The Thrift
// schema checks other than those named above keep 2.2's order where 3.11's
// differs only in which of several errors comes first.
//
// Example:
//
//	s := schema.New(schema.Options{Apply: storage.Follow})
//	ch, err := s.AddKeyspace(&thriftgen.KsDef{
//		Name:            "Keyspace1",
//		StrategyClass:   "SimpleStrategy",
//		StrategyOptions: map[string]string{"replication_factor": "1"},
//		CfDefs:          []*thriftgen.CfDef{{Keyspace: "Keyspace1", Name: "Standard1"}},
//		DurableWrites:   true,
//	})
//	if err != nil {
//		return err // *thriftgen.InvalidRequestException
//	}
//	fmt.Println(ch.Version())
//	t := s.Current().Table("Keyspace1", "Standard1")
//	v := t.ValueValidator([]byte("c1")) // BytesType
package schema
