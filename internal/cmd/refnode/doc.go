// Command refnode is the Go side of scripts/refnode.sh, which runs a real
// Apache Cassandra 5.0 node on demand so that cassa's CQL side can be
// checked against the real thing. The script owns the JVM; this program
// owns everything that speaks CQL or needs a socket, so the script needs no
// Python or cqlsh:
//
//	refnode ports N                 print N distinct free TCP ports on 127.0.0.1
//	refnode ping  -hosts H          one attempt at SELECT release_version FROM system.local
//	refnode smoke -hosts H          a short CQL round trip: schema, writes, LWT, batch, drop
//	refnode exec  -hosts H STMT...  run statements and print their rows or errors
//
// H is a comma-separated list of host:port. Every command exits non-zero on
// failure with a one-line reason on stderr, which the script passes on.
//
// For example, with a node started by `scripts/refnode.sh start`:
//
//	go run ./internal/cmd/refnode exec -hosts 127.0.0.1:9042 \
//	    "SELECT cluster_name, release_version FROM system.local"
package main
