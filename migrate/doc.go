// Package migrate manages Cassandra schemas over Thrift three ways: an
// imperative SystemManager (pycassa's), a declarative schema diffed against
// the live one into a printable plan, and versioned Go migrations recorded
// in a ledger column family with checksums.
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
// it with the live schema and returns a Plan: ordered steps that print as a
// numbered list and encode as JSON. Types are compared canonically (fully
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
// The cassa command runs the same plans:
//
//	cassa migrate plan   --servers host:9160 --schema schema.yaml   # exit 1 when changes are pending
//	cassa migrate apply  --servers host:9160 --schema schema.yaml [--allow-destructive]
//	cassa migrate status --servers host:9160 --schema schema.yaml [--json]
//
// # Versioned migrations
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
// # Options
//
// As everywhere in cassa, options are values of named interface types
// (Option, ApplyOption) made by this package's functions; an option is
// passed as an argument, and leaving it out means the documented default.
package migrate
