package schema

import "github.com/cassa-go/cassa/codec"

// systemKeyspaces returns the system keyspaces Thrift lists (Cassandra
// 2.2's four, as describe_keyspaces reports them). Their tables are the
// built-in CQL tables of 3.11, kept as virtual tables that Thrift does not
// see; system_schema is CQL-only (Catalog.FindKeyspace).
func systemKeyspaces() map[string]*Keyspace {
	b := builtins()
	simple := func(name, rf string) *Keyspace {
		return &Keyspace{Name: name, StrategyClass: SimpleStrategy,
			StrategyOptions: map[string]string{"replication_factor": rf},
			DurableWrites:   true, System: true, Tables: map[string]*Table{},
			Types: map[string]*codec.UserType{}, Virtual: b[name]}
	}
	return map[string]*Keyspace{
		"system": {Name: "system", StrategyClass: LocalStrategy, StrategyOptions: map[string]string{},
			DurableWrites: true, System: true, Tables: map[string]*Table{},
			Types: map[string]*codec.UserType{}, Virtual: b["system"]},
		"system_auth":        simple("system_auth", "1"),
		"system_distributed": simple("system_distributed", "3"),
		"system_traces":      simple("system_traces", "2"),
	}
}
