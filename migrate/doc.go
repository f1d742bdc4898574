// Package migrate manages Cassandra schemas three ways: an imperative
// SystemManager over Thrift (pycassa's); a declarative schema, of Thrift
// column families or of CQL tables and user types, diffed against the live
// one into a printable plan; and versioned migrations (Go functions over
// Thrift, .cql scripts and Go functions over CQL) recorded in a ledger with
// checksums, one runner at a time.
//
// # SystemManager
//
// SystemManager creates, alters and drops keyspaces and column families,
// sets column validators, creates and drops secondary indexes, and wraps the
// describe_* calls. Every change waits until the reachable nodes agree on
// one schema version (UNREACHABLE nodes are ignored; the wait is bounded by
// the context and AgreementTimeout, and fails with an *AgreementError naming
// each version and its nodes). Comparators and validators are given as a
// codec.Type or a class name and are sent fully qualified. Column names are
// packed with the comparator, or the subcomparator for a super column
// family, including in DropIndex (pycassa compared raw names there). The
// server's refusals come back as *cassa.InvalidRequestError.
//
//	sys, err := migrate.Connect(ctx, pool.Config{Servers: []string{"10.0.0.4:9160"}})
//	err = sys.CreateKeyspace(ctx, "Twissandra", migrate.Simple(3))
//	err = sys.CreateColumnFamily(ctx, "Twissandra", "Users", migrate.ColumnFamilyDef{
//		Comparator:    codec.UTF8,
//		KeyValidation: "UTF8Type",
//		Columns:       []migrate.ColumnSpec{{Name: "state", Validator: "UTF8Type", Index: true}},
//		Attributes:    migrate.Attributes{GCGraceSeconds: migrate.Ptr[int32](86400)},
//	})
//
// # Declarative schemas
//
// A KeyspaceSpec is the desired schema of one keyspace. PlanSchema compares
// it with the live schema over Thrift, PlanCQL over CQL (see CQL plans
// below), and both return a Plan: ordered steps that print as a numbered
// list and encode as JSON, with the protocol they apply over. Types are compared canonically (fully
// qualified class names), and attributes the spec leaves out are not
// compared, so Cassandra's defaults never show up as differences.
//
// Steps run in this order: create keyspace, alter keyspace, drop index (so
// its name can be reused), add column family, alter column family (types
// and attributes), add column metadata, change a validator, create index,
// drop column metadata, drop column family. Dropping an index, column metadata or a column family is
// destructive: Plan.Apply refuses the whole plan, before sending anything,
// unless AllowDestructive is given. Changes Cassandra would refuse (an
// incompatible comparator or subcomparator, Standard to Super and back, an
// incompatible key validator, counter to non-counter, an index on a super
// column family) are steps of kind "refused", and Apply fails on them before
// sending anything. After Apply, planning the same spec gives an empty plan.
//
// Steps Cassandra allows but that may hurt carry Warnings, each of a
// WarningClass: WarnUnreadableData marks a type change under which values
// already stored may not be valid (a column's validator from UTF8Type to
// LongType, a default validator, column metadata added or dropped), since
// Cassandra neither checks nor rewrites them and typed readers then fail.
// Plan.String prints them under their step, JSON carries them, and they do
// not stop Apply.
//
// Ownership: a table's Columns list is all its column metadata, so live
// metadata it does not name is dropped (destructive). Column families the
// spec does not list are dropped only when the spec sets owns_keyspace; the
// migration ledger is never dropped. Unset replication fields and unset
// attributes are not managed. PlanTables plans a few column families without
// owning the keyspace, and PlanModels does the same for orm models (each
// model converts to a TableSpec: name, super, comparator, subcomparator, key
// and default validators, columns with validators and index flags).
//
// # Schema files
//
// LoadSchemaFile reads a KeyspaceSpec from YAML (.yaml, .yml) or JSON
// (.json); unknown fields are errors. The fields, with YAML and JSON using
// the same names:
//
//	keyspace: Twissandra              # required
//	strategy: SimpleStrategy          # or NetworkTopologyStrategy; omitted: not managed (new keyspace: SimpleStrategy)
//	strategy_options:                 # omitted: not managed (new SimpleStrategy keyspace: replication_factor 1)
//	  replication_factor: 3
//	durable_writes: true              # omitted: not managed (new keyspace: true)
//	owns_keyspace: false              # true: drop column families not listed here
//	tables:
//	  - name: Users
//	    comparator: UTF8Type          # types: short, fully qualified, or parameterised;
//	    key_validation: UTF8Type      # omitted means BytesType, Cassandra's default
//	    default_validation: BytesType
//	    columns:                      # all the column metadata of the table
//	      - name: state               # packed with the comparator; "42" is 42 under LongType
//	        validator: UTF8Type
//	        index: true               # a KEYS index named by Cassandra
//	      - name: birthdate
//	        validator: LongType
//	        index: true
//	        index_name: users_birthdate
//	    # Optional attributes (not managed when omitted):
//	    comment: registered users
//	    gc_grace_seconds: 86400
//	    default_time_to_live: 0
//	    caching: keys_only            # keys_only, rows_only, all, none
//	    cells_per_row_to_cache: "100"
//	    compaction_strategy: LeveledCompactionStrategy
//	    compaction_strategy_options: {sstable_size_in_mb: "160"}
//	    compression_options: {sstable_compression: LZ4Compressor}
//	    read_repair_chance: 0.0
//	    dclocal_read_repair_chance: 0.1
//	    bloom_filter_fp_chance: 0.01
//	    min_compaction_threshold: 4
//	    max_compaction_threshold: 32
//	    memtable_flush_period_in_ms: 0
//	    speculative_retry: NONE
//	    min_index_interval: 128
//	    max_index_interval: 2048
//	  - name: Timeline
//	    super: true
//	    comparator: TimeUUIDType
//	    subcomparator: UTF8Type
//
// Columns may also set index_type (KEYS, CUSTOM, COMPOSITES) and
// index_options. An index whose name, type or options change is dropped and
// created again, since Cassandra cannot rename an index in place.
//
// # CQL tables in schema files
//
// The same file describes CQL tables: a table that names a partition_key is
// a CQL table, planned with PlanCQL. It takes columns with CQL types
// instead of comparators and validators, and options instead of the
// attributes above; the keyspace fields (strategy, strategy_options,
// durable_writes, owns_keyspace) are the same, and a keyspace-level types
// list holds its user-defined types. A file holds Thrift column families or
// CQL tables, not both: each planner refuses the other kind with a
// *SpecError saying which protocol to use.
//
//	keyspace: twissandra
//	strategy: NetworkTopologyStrategy
//	strategy_options: {dc1: 3}
//	owns_keyspace: true               # also drops user types the file does not list
//	types:                            # user-defined types, created before the tables using them
//	  - name: address
//	    fields:
//	      - {name: street, type: text}
//	      - {name: zip, type: int}
//	tables:
//	  - name: timeline
//	    partition_key: [user]         # in order; a composite key lists several
//	    clustering:                   # in order; a bare name is ascending
//	      - {name: posted, order: desc}
//	      - seq
//	    columns:                      # all the columns, key columns included
//	      - {name: user, type: text}
//	      - {name: posted, type: timeuuid}
//	      - {name: seq, type: int}
//	      - {name: body, type: text}
//	      - {name: owner, type: text, static: true}
//	      - {name: tags, type: set<text>, index: true}   # a values index named by Cassandra
//	      - {name: home, type: frozen<address>, index_name: timeline_home}
//	      - {name: attrs, type: "map<text, frozen<list<int>>>"}
//	    indexes:                      # other targets, and custom indexes
//	      - {name: timeline_attr_keys, column: attrs, target: keys}   # values, keys, entries, full
//	      - {name: timeline_body, column: body, class: org.apache.cassandra.index.sasi.SASIIndex,
//	         options: {mode: CONTAINS}}
//	    options:                      # CREATE TABLE ... WITH, managed when named
//	      comment: posts by user
//	      gc_grace_seconds: 86400
//	      default_time_to_live: 0
//	      compaction: {class: LeveledCompactionStrategy, sstable_size_in_mb: 160}
//	      compression: {class: LZ4Compressor, chunk_length_in_kb: 64}
//	      caching: {keys: ALL, rows_per_partition: NONE}
//	      speculative_retry: 99PERCENTILE
//
// Names (keyspace, table, column, type, field, index) are exact, as
// system_schema shows them: userId is the column CQL writes "userId".
// Types are CQL as CREATE TABLE takes it, with keywords in any case and
// unquoted type names folded to lower case (frozen<"Address"> keeps the
// case). The options are those of the Cassandra the plan runs against (the
// columns of its system_schema.tables): an unknown one is a refused step.
//
// # CQL plans
//
// PlanCQL reads the keyspace from system_schema (Cassandra 3.0 and newer)
// and plans these steps, in this order, each with the statements it runs
// (Step.CQL): create-keyspace, alter-keyspace (replication, durable
// writes), drop-index, create-type, alter-type (fields added at the end),
// create-table, alter-table (options), add-column, create-index,
// drop-column, drop-table and drop-type (the last two only when the spec
// owns the keyspace; the migration ledgers are never dropped). Each
// statement is followed by a wait for schema agreement. A table's columns
// and indexes in the spec are all of them: live ones it does not list are
// dropped. Indexes match by name when the spec names one, else by column
// and target (so Cassandra's generated names are kept); one whose target,
// class or options changed is dropped and created again.
//
// Comparisons are made as system_schema prints things, so applying a plan
// and planning again gives an empty plan: types canonical (varchar is
// text, tuples and their components are frozen, names folded), options
// compared only when the spec names them, numbers as numbers ('864000' is
// 864000), class names fully qualified (LeveledCompactionStrategy is
// org.apache.cassandra.db.compaction.LeveledCompactionStrategy), the
// legacy compression keys as 3.0's (sstable_compression is class,
// chunk_length_kb chunk_length_in_kb), in map options only the keys the
// spec names (Cassandra fills in the others: compaction's min_threshold,
// caching's rows_per_partition), caching values and speculative retry in
// any case and either spelling ("99PERCENTILE" is "99p", "10ms" is
// "10.0ms"). When a map option differs, the spec's map is sent whole.
//
// Refused steps, with Cassandra 3.11's reason (AlterTableStatement,
// AlterTypeStatement): changing a table's primary key (partition key,
// clustering columns, their types or clustering order); changing a
// column's type ("Altering of types is not allowed": every type change,
// since 3.0.11); turning a column static or regular; adding again a
// previously dropped column of another kind, of a type its old values are
// not valid as (AbstractType.isValueCompatibleWith: blob takes anything,
// text takes ascii, varint takes int and bigint, ...), or in a counter
// table; a counter column in a table without counters or the other way
// round; changing, removing or reordering a user type's fields; dropping a
// user type a kept table or type uses; an option this Cassandra does not
// know; a spec table that is a COMPACT STORAGE table (a Thrift column
// family) in the live schema. Destructive steps (drop-index, drop-column,
// drop-table, drop-type) need AllowDestructive.
//
// Warnings, as on Thrift: WarnDataLoss on a dropped column or table that
// holds data (the plan reads up to 1000 rows of the column, one row of the
// table, and says what it saw), WarnRewritesData on a compaction strategy
// or compression change (Cassandra rewrites the SSTables), WarnRepairNeeded
// on a replication change (Cassandra does not stream existing data to new
// replicas). On Thrift, WarnSortOrder marks a comparator change under
// which stored names sort differently (DateType and TimestampType);
// over CQL every type change is refused instead.
//
// PlanCQLTables plans some tables and types without owning the keyspace.
// TableFromCQL makes a TableSpec from a cql.Table, the description
// cql.Session.Table reads from a live schema (so an existing table can be
// written out as a spec) and a mapper gives of its model.
//
// # CQL schemas from models
//
// PlanCQLModels is PlanModels over CQL: each orm model's table
// (orm.ModelDef.Table: partition key, clustering columns and their order,
// columns with CQL types, static columns, indexes) and the user types it
// uses (created before it) become a spec, CQLModelsSpec, planned by
// PlanCQL without owning the keyspace. Two models of one table merge when
// they agree on its key and shared columns; a super model is a *SpecError
// (super column families exist on Thrift only: over CQL the super field is
// a clustering column).
//
//	plan, err := migrate.PlanCQLModels(ctx, db, "twissandra", orm.Model[TimelineEntry]())
//
// # Thrift to CQL
//
// MoveThriftToCQL copies a Thrift column family into an existing CQL
// table, typically the table the same model maps to over CQL (created with
// PlanCQLModels, under another name or in another keyspace, since CQL sees
// the column family itself as a table). Cells map as Cassandra maps a
// column family onto CQL: a cell's path is its super column name (if any)
// and its name, composites split into components; the first components,
// one per clustering column of the table, are the clustering values. When
// one component is left the layout is sparse, the way Cassandra 1.2 to
// 2.2 and cassa's mapper store CQL rows on Thrift: it names the column the
// value goes to (empty: the row marker; a composite starting with 0xFFFF:
// a static column). When none is left the layout is dense: each cell is a
// row, its value in the table's one regular column. So a static column
// family becomes a table with columns, a wide row (say TimeUUIDType names)
// a clustering column and a value, a composite comparator a clustering
// column per component, and a super column family a clustering column for
// the super column name, then one for the sub-column name or columns named
// by it. Row keys go to the partition key (a CompositeType key to a
// composite one). Key and clustering types must match the table's (a
// BytesType source goes anywhere; Cassandra checks the bytes on write); a
// column family that does not fit is a *MoveMapError before anything is
// copied. Counter column families are refused: a counter cannot be written
// at a given timestamp, so their copy could not be repeated safely. Cells
// the table has no column for are skipped and counted (MoveResult.Skipped).
//
// The ring is cut into MoveRanges token ranges (the ordered partitioners
// keep one), copied MoveWorkers at a time with get_range_slices, wide rows
// a page of columns at a time, one Thrift row never held whole. Each CQL
// row is written with INSERT ... USING TIMESTAMP and TTL of its cells (a
// row whose cells differ is written once per timestamp and TTL), the
// INSERTs of a partition grouped into unlogged batches of that partition
// alone (one mutation each, kept under batch_size_warn_threshold_in_kb),
// MoveInFlight batches written at once per worker while it reads on, so
// copying a range again writes the same cells, and a write made to the
// table after the copy (newer) is never undone by it; values travel as the
// bytes Thrift returned, unconverted. Thrift reports a cell's TTL as
// written, not what is left of it: the copy takes the TTL less the time
// since the cell's timestamp when that is a microsecond clock (cells that
// have expired by then are skipped), and the TTL as written otherwise.
//
// The checkpoint is the table CQLMoveTable (cassa_cql_moves) of the target
// keyspace: a row per finished range of each move (its bounds, its row and
// cell counts, when, by which runner), so a move run again resumes after
// the ranges recorded; RestartMove forgets them. A CQL table beside the
// data, rather than a local file, lets any machine resume the move and
// keeps it with the keyspace it describes; declarative plans never drop it.
// When every range is copied, the table's rows are counted range by range
// (SELECT COUNT(*) ... WHERE token(key) > ? AND token(key) <= ?) and
// compared with the rows each range held when it was copied; a difference
// (rows written to either side since, rows lost) is a *CountMismatchError
// (errors.Is ErrCountMismatch) listing the ranges. A row deleted from the
// table after its copy stays deleted when its range is copied again: the
// deletion is newer than the copied cells. OnProgress reports rows,
// rows/s, ranges done and an estimate of the time left.
//
//	res, err := migrate.MoveThriftToCQL(ctx, pool, db,
//		migrate.MoveSpec{ColumnFamily: "Users", Table: "users"},
//		migrate.OnProgress(func(p migrate.MoveProgress) { log.Print(p) }))
//
// On Cassandra 3.x a column family can also switch over in place:
// PlanDropCompactStorage plans ALTER TABLE ... DROP COMPACT STORAGE, a step
// of kind StepDropCompactStorage with a WarnChangesTable warning (3.0.16
// or 3.11.2 and later, before 4.0; afterwards the table's hidden columns
// are regular columns and its dynamic columns rows, so CQL readers of the
// compact view change). It is refused on 4.0 and later, before 3.0, and
// for super column families; a table already switched plans nothing.
//
// # The cassa command
//
// The cassa command runs the same plans over either protocol; --protocol
// picks it, and servers on port 9042 mean CQL:
//
//	cassa migrate plan   --servers host:9160 --schema schema.yaml   # exit 1 when changes are pending
//	cassa migrate apply  --servers host:9160 --schema schema.yaml [--allow-destructive]
//	cassa migrate status --servers host:9160 --schema schema.yaml [--json]
//	cassa migrate apply  --servers host:9042 --schema schema.yaml --dir migrations/   # CQL, then .cql files
//	cassa migrate move   --servers host:9160 --keyspace ks --from Users --to users    # Thrift to CQL, resumable
//	cassa migrate move   --servers host:9160 --keyspace ks --from Users --in-place --apply
//
// # Versioned migrations
//
// Both protocols share one algorithm: the steps run in the order given,
// each at most once, under a lock; each attempt is recorded with a
// checksum; an applied step whose checksum changed stops the run.
//
// A Migrator runs ordered Migration steps written in Go, each at most once,
// and records them in the cassa_migrations column family of the target
// keyspace (created on first use) with a checksum, when it finished, how
// long it took, the outcome and the runner. A failed step is recorded as
// failed, never as applied, and the next Up retries it. Up refuses to run,
// with a *ChecksumError naming the step, when an applied step's checksum
// changed. Go functions cannot be hashed, so the checksum covers the ID, the
// Description and the Source field; put in Source whatever defines the step.
//
// Runners serialise on a lock cell in cassa_migrations_lock taken with cas.
// Its TTL is that column family's default_time_to_live (LockTTL, 30 s by
// default; Cassandra 2.x ignores the TTL of cas updates), so a runner that
// dies frees it; a live runner renews it while a step runs, and a step whose
// runner loses the lock has its context cancelled (ErrLockLost).
//
//	m, err := migrate.NewMigrator(sys, migrate.MigratorConfig{Keyspace: "Twissandra"},
//		migrate.Migration{ID: "001_users", Description: "users by state", Source: "v1",
//			Up: func(ctx context.Context, sys *migrate.SystemManager) error {
//				return sys.CreateIndex(ctx, "Twissandra", "Users", "state", "UTF8Type", migrate.IndexSpec{})
//			}},
//	)
//	applied, err := m.Up(ctx)
//
// A CQLMigrator does the same over CQL with CQLMigration steps: a script of
// statements (CQL; a .cql file), a Go function (Up), or both. Scripts end
// statements with semicolons, keep BEGIN ... APPLY BATCH whole, and may hold
// --, // and /* */ comments; a step waits for schema agreement after each
// schema statement. LoadCQLMigrations reads a directory's .cql files in
// name order, each file one migration named by its file name (its first
// comment line is the description, the file the checksum). The ledger is
// the table cassa_cql_migrations of the keyspace (id, description,
// checksum, outcome, applied_at, duration_ms, error, runner), beside the
// lock table cassa_cql_migrations_lock (names of their own, so that a
// keyspace that ran Thrift migrations can go on over CQL). The lock is
// taken with INSERT ... IF NOT EXISTS USING TTL, renewed while steps run
// with UPDATE ... USING TTL ... IF owner = ?, and released with DELETE ...
// IF owner = ?; a runner that loses it has its step's context cancelled
// (ErrLockLost).
//
//	migrations, err := migrate.LoadCQLMigrations(os.DirFS("migrations"))
//	m, err := migrate.NewCQLMigrator(db, migrate.MigratorConfig{Keyspace: "twissandra"}, migrations...)
//	applied, err := m.Up(ctx)
//
// # Options
//
// As everywhere in cassa, options are values of named interface types
// (Option, ApplyOption, MoveOption) made by this package's functions; an option is
// passed as an argument, and leaving it out means the documented default.
package migrate
