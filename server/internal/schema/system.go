package schema

// systemKeyspaces returns Cassandra 2.2's system keyspaces as
// describe_keyspaces reports them. Their tables are all CQL tables, which
// describe_keyspace leaves out, so none carries a Thrift-visible table.
func systemKeyspaces() map[string]*Keyspace {
	simple := func(name, rf string) *Keyspace {
		return &Keyspace{Name: name, StrategyClass: SimpleStrategy,
			StrategyOptions: map[string]string{"replication_factor": rf},
			DurableWrites:   true, System: true, Tables: map[string]*Table{}}
	}
	return map[string]*Keyspace{
		"system": {Name: "system", StrategyClass: LocalStrategy, StrategyOptions: map[string]string{},
			DurableWrites: true, System: true, Tables: map[string]*Table{}},
		"system_auth":        simple("system_auth", "1"),
		"system_distributed": simple("system_distributed", "3"),
		"system_traces":      simple("system_traces", "2"),
	}
}
