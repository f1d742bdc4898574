// Package schema is the embedded server's schema catalog: keyspaces and
// column families with Cassandra 2.2's Thrift semantics (system_add_keyspace,
// system_update_column_family, ... and describe_keyspace(s)).
//
// A Schema holds the current *Catalog behind an atomic pointer. A Catalog is
// an immutable snapshot: the data path takes Schema.Current once per request
// and reads it without locks. Every change (AddKeyspace, UpdateKeyspace,
// DropKeyspace, AddTable, UpdateTable, DropTable) validates its KsDef or
// CfDef with Cassandra's checks, messages and check order, builds a new
// Catalog copy-on-write, and returns a *Change naming the created, dropped
// and updated tables and the new schema version. Errors are
// *thriftgen.InvalidRequestException with Cassandra's exact text.
//
// Storage follows changes through Options.Apply, which runs under the
// schema's write lock before the new catalog is published, so a schema change
// and its storage change happen together or not at all.
//
// New starts with Cassandra 2.2's four system keyspaces (system with
// LocalStrategy; system_auth, system_distributed and system_traces with
// SimpleStrategy), each holding no Thrift-visible column families. Only
// "system" refuses changes.
//
// Example:
//
//	s := schema.New(schema.Options{})
//	ch, err := s.AddKeyspace(&thriftgen.KsDef{
//		Name:            "Keyspace1",
//		StrategyClass:   "SimpleStrategy",
//		StrategyOptions: map[string]string{"replication_factor": "1"},
//		CfDefs:          []*thriftgen.CfDef{{Keyspace: "Keyspace1", Name: "Standard1"}},
//		DurableWrites:   true,
//	})
//	if err != nil { ... }
//	fmt.Println(ch.Version())
//	t := s.Current().Table("Keyspace1", "Standard1")
//	_ = t.ValueValidator([]byte("c1")) // BytesType
package schema
