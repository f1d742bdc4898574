// Package cqltype parses CQL type names, for the packages that read them:
// cql (the query compiler, from the live schema or a mapper's model) and
// migrate (schema files, plans and the live schema). Parse takes a type
// as CREATE TABLE does and checks Cassandra 3.11's nesting rules;
// ParseStored takes one as system_schema and the drivers report it,
// already checked by the cluster. Both print it back as system_schema
// does.
//
//	t, err := cqltype.Parse("map<text, frozen<list<int>>>")
//	if err != nil {
//		return err
//	}
//	fmt.Println(t.Kind, t.MultiCell(), t) // map true map<text, frozen<list<int>>>
//
// The embedded server has its own parser (server/internal/schema), since
// the server imports no client package.
package cqltype
