// Package difftest is the differential test of the embedded server: the
// same CQL statements go over gocql (protocol v4) to a fresh embedded
// server and to a real Cassandra node, and the answers are compared: rows
// (values byte for byte, order), column metadata (keyspace, table, name,
// type), [applied] results, paging (rows of every page, more pages or
// not), client warnings, error codes and error messages.
//
// The embedded server follows Cassandra 3.11; the reference node that
// scripts/refnode.sh starts is Cassandra 5.0. Where the two versions
// differ on purpose, the case in corpus_test.go says so, citing the
// Cassandra change, and names what each version answers: the embedded
// server is held to 3.11's answer and the reference node to its own. Every
// other difference is a defect of the embedded server.
//
// The corpus runs when CASSA_TEST_CQL_HOSTS names a reference node (the
// variable every CQL suite of cassa reads) and is skipped, saying so,
// otherwise:
//
//	scripts/refnode.sh start
//	export $(scripts/refnode.sh env)
//	go test ./internal/difftest/
//	scripts/refnode.sh stop
//
// or `make test-refnode`, which does the same for every CQL suite. On top
// of the corpus, TestRandomStatements compares the two servers on seeded,
// reproducible mixes of INSERT, UPDATE, DELETE and SELECT over random
// tables (DIFFTEST_SEED picks the seed, DIFFTEST_ROUNDS the length).
package difftest
