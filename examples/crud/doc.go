// Crud is a small JSON service over HTTP that keeps books in Cassandra with
// cassa's mapper: create, read, update, delete and list of one model,
// including a lookup through a secondary index.
//
//	go run ./examples/crud -addr 127.0.0.1:8080
//	curl -X POST localhost:8080/books -d '{"isbn":"0-441-17271-7","title":"Dune","author":"Frank Herbert","year":1965,"price":"9.99"}'
//	curl localhost:8080/books/0-441-17271-7
//	curl 'localhost:8080/books?author=Frank%20Herbert'
//	curl -X PUT localhost:8080/books/0-441-17271-7 -d '{"title":"Dune","author":"Frank Herbert","year":1965,"price":"7.99","in_stock":true}'
//	curl -X DELETE localhost:8080/books/0-441-17271-7
//
// With CASSA_SERVERS unset it starts the embedded server in-process (the
// books vanish when it stops); set CASSA_SERVERS=host:port,... to keep
// them in a cluster. The keyspace Library and its Books column family are
// created from the model by migrate.PlanModels on start.
package main
