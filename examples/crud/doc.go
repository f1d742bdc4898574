// Crud is a small JSON service over HTTP that keeps books in Cassandra with
// cassa's mapper: create, read, update, delete and list of one model,
// including a lookup through a secondary index. It serves over Thrift or
// over CQL, chosen by configuration, with the same handlers and the same
// answers: the mapper takes a Thrift pool or a CQL session alike.
//
//	go run ./examples/crud -addr 127.0.0.1:8080                  # over Thrift
//	go run ./examples/crud -addr 127.0.0.1:8080 -transport cql   # over CQL
//	curl -X POST localhost:8080/books -d '{"isbn":"0-441-17271-7","title":"Dune","author":"Frank Herbert","year":1965,"price":"9.99"}'
//	curl localhost:8080/books/0-441-17271-7
//	curl 'localhost:8080/books?author=Frank%20Herbert'
//	curl -X PUT localhost:8080/books/0-441-17271-7 -d '{"title":"Dune","author":"Frank Herbert","year":1965,"price":"7.99","in_stock":true}'
//	curl -X DELETE localhost:8080/books/0-441-17271-7
//
// Flags, with their defaults from the environment: -transport thrift|cql
// (CASSA_TRANSPORT; Thrift when unset), -servers host:port,... for Thrift
// nodes (CASSA_SERVERS), -cql-hosts host[:port],... for CQL nodes
// (CASSA_CQL_HOSTS). With no nodes for the chosen transport it starts the
// embedded server in-process (the books vanish when it stops). The
// keyspace (Library over Thrift, library over CQL) and its Books column
// family or table are planned from the model by migrate on start.
package main
