// Package orm maps Go structs to Cassandra tables, over Thrift or CQL
// alike: struct tags (package orm/tags) declare the key, the clustering
// columns, the columns and their types, and a generic Mapper moves
// instances to and from rows of a Thrift column family (a *pool.Pool) or
// of a CQL table (a *cql.Session), with the same verbs on both.
//
//	type User struct {
//		ID    uuid.UUID         `cass:",key"`
//		Name  string            `cass:"name,type=UTF8"`
//		State string            `cass:"state,type=UTF8,index"`
//		Born  int64             `cass:"birthdate,type=Long,index"`
//		Age   int               `cass:"age,type=Integer,default=0"`
//		Extra map[string][]byte `cass:",raw"`
//	}
//	users := orm.Map[User, uuid.UUID](db, "Users") // db: a *pool.Pool or a *cql.Session; K: the key's type
//	err = users.Insert(ctx, &u)
//	u, err := users.Get(ctx, id)
//	for u, err := range users.Find(ctx, query.Where("state").Eq("UT").And("birthdate").Gt(1970).Limit(20)) { … }
//
// # One model, two transports
//
// Map and Open take their connection through the constraint Conn
// (*pool.Pool | *cql.Session), inferred from the argument, so one call
// serves both and any other connection does not compile; code that runs on
// either takes a type parameter of its own:
//
//	func run[C orm.Conn](ctx context.Context, db C) error {
//		users := orm.Map[User, string](db, "users")
//		…
//	}
//
// A model with clustering columns is CQL's wide row: a partition of typed
// rows, in clustering order:
//
//	type Post struct {
//		User   string    `cass:"user,partition"`
//		Posted uuid.UUID `cass:"posted,clustering=desc,type=timeuuid"`
//		Body   string    `cass:"body"`
//		Tags   []string  `cass:"tags,set"`
//		Bio    string    `cass:"bio,static"`
//	}
//	posts := orm.Map[Post, Post](db, "posts") // K names the whole primary key
//	for p, err := range posts.Find(ctx, query.Where("user").Eq("ann").Limit(20)) { … } // newest first
//
// Over Thrift it is stored as Cassandra 1.2 to 2.2 stored CQL tables:
// the partition is a Thrift row and each CQL row a run of its columns,
// named by a CompositeType of the clustering values and the column name.
// Collections, tuples and user types (nested structs) are CQL's own on
// CQL, and their frozen bytes in one column on Thrift.
//
// # Opening
//
// Map needs no context and does no I/O: the table's definition is read by
// the first call (and again by Reload); tag errors are known at once
// (Err). Open does the I/O up front and, with Verified, refuses a model
// that differs from the live schema. Per-call options (Consistency, TTL,
// Timestamp, Fields, Super, BufferSize, Nulls, MissingAsZero) adjust one
// call; ColumnFamilyOptions passes defaults such as
// columnfamily.ReadConsistency to the column family, and Nulls and
// PageTokenKey configure the mapper.
//
// K, the second type parameter, is the type of the keys that name rows:
// the key field's Go type (uuid.UUID above), or a struct holding the key
// field, such as T itself. Get, MultiGet, RemoveKey, Add and the others
// take a K, so keys are checked by the compiler.
//
// # Behaviour
//
// It follows pycassa's ColumnFamilyMap where that is sound, and fixes its
// traps:
//
//   - Reads ask for the model's columns only, by name (and, for a raw
//     field, the others); columns the row lacks get their default= values; a
//     row with none of them (a row of a wide model: that does not exist) is
//     cassa.ErrNotFound, or with MissingAsZero a zero instance (counters
//     nobody has counted yet).
//   - Insert writes every field, zero values included. Empty values (nil
//     pointers, and zero values of fields tagged omitempty) are skipped by
//     default, which leaves what their columns held; a field's null= tag,
//     or Nulls for a call or the mapper, deletes them instead, or writes
//     everything (tags.NullMode). Nothing but fields (and the raw field's
//     entries) is ever written.
//   - Columns no field maps go to the raw field (map[string][]byte as
//     stored, or map[string]any unpacked with the column family's
//     validators) and are written back from it.
//   - Super column families: the super field holds the super column name;
//     GetSuper and Supers give one instance per super column, and
//     Super(name) reads or removes one.
//   - Counter fields (type=Counter) are read as integers and changed with
//     Add; Insert refuses them.
//   - Find takes a query.Select and reads every row it selects unless it
//     sets a Limit: an index query is checked before anything is sent (one
//     EQ on a column the live column family indexes is required); key and
//     token ranges, and selects that allow filtering, scan rows in the
//     partitioner's order. Page reads the same a page at a time, with a
//     token that continues it anywhere; Count counts it.
//   - Over CQL, Find compiles its select with cql.Compile against the live
//     table, refusing before sending what Cassandra would refuse (ALLOW
//     FILTERING and the other rules, with Cassandra's message). Statements
//     name their columns, never SELECT *, and have one text per shape, which
//     gocql prepares once. The mapper reads the table again after the
//     session has seen a schema change (cql.Session.SchemaChanges: its own
//     at once, another client's when the cluster's schema event arrives),
//     so that a column added since, that a field maps, is read and
//     written; and when Cassandra answers that a column is unknown, it
//     reads the table again and retries once, leaving a dropped column out
//     of reads.
//   - CountColumns counts a row's columns; QueueRemove and Queue put
//     deletions and inserts into a caller's Batch (NewBatch); the
//     compare-and-set writes (InsertIfNotExists, CompareAndSwap,
//     UpdateIfExists, RemoveIfExists, CompareAndRemove) are Thrift's cas
//     and CQL's lightweight transactions, and Keyspace reaches another
//     keyspace for one call; what one transport cannot express is
//     ErrUnsupported there.
//   - Verify compares the model with the live schema and lists every
//     difference; Model describes it for migrations.
//   - No exported function panics on nil or zero arguments: a nil context,
//     instance or batch is an error (ErrArgument, ErrNilInstance).
//
// # Transports
//
// The mapper reaches its table through a small internal interface of its
// own (rows of named values packed in Cassandra's marshal formats, in and
// out; reads by query.Select; counters, compare-and-set, batches, page
// positions), implemented over thrift/columnfamily and over package cql.
// The native protocol carries the same marshal formats, so the CQL side
// binds the bytes the mapper packed and hands back the bytes it read: no
// value is converted twice, and types gocql does not take (google/uuid,
// shopspring/decimal, netip) need no adapters.
//
// # Performance
//
// A field plan is built once per struct type (from its tags) and cached.
// Each field is encoded and decoded one way, by fieldPlan.encode and
// decode: common types (strings, byte slices, integers, floats, bools,
// times, durations, UUIDs, decimals, big integers) through their addresses
// with codec's append and decode helpers, never boxed; the others through
// codec.Type.Pack and Unpack. There are no per-model fast loops: over TCP a
// call is a network round trip, and a mapper Get or Insert of a 10-column
// row costs within a few percent of the same column family call
// (BenchmarkTCPGet10, BenchmarkTCPInsert10) or of raw gocql on the same
// session (BenchmarkCQLGet10, BenchmarkCQLInsert10). Decoding writes into
// an instance on the caller's stack, so a read allocates nothing beyond
// its strings, slices and big numbers.
//
// # Options
//
// As everywhere in cassa, options are values of named interface types made
// by this package's functions: Option configures a Mapper when Map or Open
// makes it, CallOption adjusts one call. An option is passed as an
// argument, and leaving it out means the documented default.
package orm
