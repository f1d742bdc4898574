#!/usr/bin/env bash
# cqlsh_interop: run the real cqlsh (the Python package from PyPI, in a
# virtualenv outside the repository) and `cassa cqlsh` against the same
# `cassa server`, with the same script, and compare what they print.
#
# The script (scripts/cqlsh_interop.cql) holds what Cassandra 3.11's
# cqlsh and the cqlsh on PyPI (6.x, from Cassandra 5.0) print alike:
# result tables, value formats and error lines. The banner warning cqlsh
# 6.x prints about the server version is dropped before comparing.
#
# Settings: CASSA_CQLSH_VENV (default ${XDG_CACHE_HOME:-~/.cache}/cassa/cqlsh-venv),
# CASSA_CQLSH_VERSION (default 6.2.2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${CASSA_CQLSH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/cassa/cqlsh-venv}
version=${CASSA_CQLSH_VERSION:-6.2.2}
work=$(mktemp -d "${TMPDIR:-/tmp}/cassa-cqlsh-interop.XXXXXX")
server_pid=
cleanup() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$venv/bin/cqlsh" ]; then
	command -v python3 >/dev/null || { echo "cqlsh-interop: cannot run: python3 is not installed"; exit 1; }
	echo "cqlsh-interop: installing cqlsh $version into $venv"
	python3 -m venv "$venv"
	# The driver's C extensions are not needed for a shell.
	CASS_DRIVER_NO_CYTHON=1 CASS_DRIVER_NO_EXTENSIONS=1 "$venv/bin/pip" install -q "cqlsh==$version"
fi

(cd "$root" && go build -o "$work/cassa" ./cmd/cassa)
"$work/cassa" server --listen 127.0.0.1:0 --cql-listen 127.0.0.1:0 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
	grep -q "CQL listening on" "$work/server.log" && break
	sleep 0.1
done
addr=$(sed -n 's/^cassa server CQL listening on //p' "$work/server.log")
[ -n "$addr" ] || { echo "cqlsh-interop: cassa server did not start:"; cat "$work/server.log"; exit 1; }
host=${addr%:*}
port=${addr##*:}

"$work/cassa" cqlsh "$host" "$port" -f "$root/internal/cqlsh/testdata/fixture.cql"
cp "$root/scripts/cqlsh_interop.cql" "$work/s.cql"
set +e
"$venv/bin/cqlsh" "$host" "$port" -f "$work/s.cql" >"$work/real.out" 2>"$work/real.err"
real=$?
"$work/cassa" cqlsh "$host" "$port" -f "$work/s.cql" >"$work/cassa.out" 2>"$work/cassa.err"
ours=$?
set -e
grep -v '^WARNING: cqlsh was built against' "$work/real.out" >"$work/real.filtered" || true
status=0
if ! diff -u "$work/real.filtered" "$work/cassa.out"; then status=1; fi
if ! diff -u "$work/real.err" "$work/cassa.err"; then status=1; fi
if [ "$real" != "$ours" ]; then
	echo "cqlsh-interop: exit status: cqlsh $real, cassa cqlsh $ours"
	status=1
fi
if [ "$status" = 0 ]; then
	echo "cqlsh-interop: cqlsh $version and cassa cqlsh print the same ($(wc -l <"$work/cassa.out") lines, $(wc -l <"$work/cassa.err") error lines, exit status $ours)"
fi
exit "$status"
