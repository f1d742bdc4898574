// Command cassa is cassa's command-line tool. Its first subcommand runs the
// embedded Cassandra-compatible Thrift server:
//
//	cassa server --listen 127.0.0.1:9160 --partitioner Murmur3Partitioner
//
// Later subcommands (migrate, shell, hashpw) register themselves in the
// commands table in main.go.
//
// Example:
//
//	$ cassa server --listen 127.0.0.1:9160
//	cassa server listening on 127.0.0.1:9160
package main
