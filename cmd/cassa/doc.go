// Command cassa is cassa's command-line tool:
//
//	cassa server  --listen 127.0.0.1:9160 --cql-listen 127.0.0.1:9042 [--data DIR --commitlog-sync batch] [--users FILE] [--tls-cert C --tls-key K]
//	cassa migrate plan|apply|status --servers HOST:PORT [--protocol cql|thrift] --keyspace KS --schema FILE [--dir DIR] [--allow-destructive] [--json]
//	cassa migrate move --servers HOST:9160 [--cql-servers HOST:9042] --keyspace KS --from CF (--to TABLE [--restart] | --in-place [--apply]) [--json]
//	cassa shell   [--servers HOST:PORT] [--keyspace KS] [-e 'cmd; cmd'] [-f script] [--continue-on-error]
//	cassa cqlsh   [host [port]] [-k KS] [-e 'stmt; stmt' | -f FILE] [-u USER -p PASS] [--ssl ...]
//	cassa hashpw  USERNAME < password        (prints a users-file line for --users)
//
// Each subcommand lives in its own file and registers itself in the
// commands table in main.go; `cassa <command> -h` describes its flags.
// -h and --help exit 0, usage errors 2; `cassa migrate plan` exits 1 when
// changes are pending. `cassa migrate` speaks CQL with --protocol cql or
// to servers on port 9042, Thrift otherwise; --dir runs .cql migrations.
// `cassa migrate move` copies a Thrift column family into a CQL table,
// resumably, with progress on stderr (exit 2 when the row counts differ),
// or with --in-place plans DROP COMPACT STORAGE (exit 1 while pending). `cassa shell` runs -e, -f and piped stdin alike: it
// stops at the first failing statement with status 2, unless
// --continue-on-error. `cassa cqlsh` runs -e, -f and piped stdin as
// cqlsh does: every statement, errors as SOURCE:LINE:message, status 2 when
// one failed (--stop-on-error stops at the first).
//
// Example:
//
//	$ cassa server --listen 127.0.0.1:9160 --cql-listen 127.0.0.1:9042
//	cassa server listening on 127.0.0.1:9160
//	cassa server CQL listening on 127.0.0.1:9042
package main
