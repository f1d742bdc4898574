// Twissandra is a tiny Twitter on cassa, after the classic Cassandra
// example, run over both of Cassandra's interfaces with the same models
// and printing the same data.
//
// Over Thrift (ThriftApp): users with a secondary index on their state,
// who follows whom (two wide rows per edge), tweets keyed by TimeUUID,
// userlines and timelines as wide rows of TimeUUID column names, per-user
// counters in a counter column family, and each day's tweets in a super
// column family; a sign-up is a cas.
//
// Over CQL (CQLApp): the same User, Tweet and Counts models, and tables
// with clustering columns where Thrift has wide rows and super columns: a
// timeline is one partition per reader, its rows ordered by a descending
// timeuuid, read with one query; a sign-up is a lightweight transaction
// (INSERT ... IF NOT EXISTS), and a second sign-up under a taken name is
// not applied and shows who holds it.
//
// Both are written with the mapper (orm), the query builder (query) and,
// on Thrift, the dynamic column-family API; their schemas are planned from
// the models by migrate.PlanModels and migrate.PlanCQLModels and applied.
// The demo ends by checking that both printed the same timeline, userline,
// index query, days and counts.
//
// Run it with
//
//	make demo                     # go run ./examples/twissandra
//	go run ./examples/twissandra -transport cql
//
// With no nodes given it starts the embedded server in-process, which
// answers Thrift and CQL on one store. -servers (or CASSA_SERVERS) lists
// Thrift nodes as host:port,...; -cql-hosts (or CASSA_CQL_HOSTS) lists CQL
// nodes as host[:port],...; either one left empty uses the embedded
// server. It creates the keyspaces Twissandra (Thrift) and twissandra
// (CQL) if needed and empties their tables first, so every run prints the
// same.
package main
