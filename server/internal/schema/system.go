package schema

import (
	"strings"

	"github.com/cassa-go/cassa/codec"
)

// systemKeyspaces returns Cassandra 3.11's five system keyspaces: system
// and system_schema (LocalStrategy), system_auth, system_distributed and
// system_traces (SimpleStrategy). Their tables are the built-in CQL tables
// of 3.11, kept as virtual tables with no storage; describe_keyspace lists
// the compact ones (ThriftConversion.toThrift keeps isThriftCompatible
// tables: system's IndexInfo, hints and schema_keyspaces).
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
		schemaKeyspaceName:   schemaKeyspace(),
		"system_auth":        simple("system_auth", "1"),
		"system_distributed": simple("system_distributed", "3"),
		"system_traces":      simple("system_traces", "2"),
	}
}

// isLocalSystemKeyspace is SchemaConstants.isLocalSystemKeyspace: system
// and system_schema, in any case.
func isLocalSystemKeyspace(ks string) bool { return localSystemKeyspaces[strings.ToLower(ks)] }

// IsLocalSystemKeyspace reports whether ks names one of the keyspaces no
// schema change may touch (SchemaConstants.isLocalSystemKeyspace: system
// and system_schema, compared case-insensitively).
func IsLocalSystemKeyspace(ks string) bool { return isLocalSystemKeyspace(ks) }
