// Twissandra is a tiny Twitter on cassa, after the classic Cassandra
// example: users with a secondary index on their state, who follows whom
// (two wide rows per edge), tweets keyed by TimeUUID, userlines and
// timelines as wide rows of TimeUUID column names, per-user counters in a
// counter column family, and each day's tweets in a super column family.
//
// It is written with the mapper (orm), the index-query builder (query) and
// the dynamic column-family API (session); its schema is planned from its
// models by migrate.PlanModels and applied.
//
// Run it with
//
//	make demo                     # go run ./examples/twissandra
//
// With CASSA_SERVERS unset it starts the embedded server in-process; set
// CASSA_SERVERS=host:port,host:port to run it against a cluster. It
// creates the keyspace Twissandra if needed and empties its column
// families first, so every run prints the same.
package main
