// Package gocqlx places cassa's mapper against gocqlx, the Go mapper CQL
// users pick today: the same 10-column row read and written through
// gocqlx v2.8.0 (on github.com/gocql/gocql v1.7.0), through raw gocql v1 and raw gocql v2 (under cassa)
// with hand-bound statements, and through cassa's orm on gocql v2, against
// one embedded server over loopback, in one run. It is a module of its
// own so that cassa's go.mod does not carry gocqlx or gocql v1.
//
//	cd benchmarks/gocqlx && go test -run '^$' -bench . -benchtime 4000x -count 3
package gocqlx
