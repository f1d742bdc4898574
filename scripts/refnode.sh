#!/usr/bin/env bash
# refnode: a real Apache Cassandra 5.0 node on demand, so that cassa's CQL
# side can be checked against the real thing.
#
#   scripts/refnode.sh fetch    resolve org.apache.cassandra:cassandra-all and its
#                               runtime dependencies with Maven into the cache
#                               (once; later runs touch no network)
#   scripts/refnode.sh start    fetch, write a single-node configuration into a
#                               fresh temporary folder, start the JVM in the
#                               background and wait until it answers CQL
#   scripts/refnode.sh stop     SIGTERM, wait, SIGKILL after a timeout; remove
#                               the temporary folder
#   scripts/refnode.sh status   what runs, where, and how big it is
#   scripts/refnode.sh env      print CASSA_TEST_CQL_HOSTS=127.0.0.1:PORT (exit 1
#                               when no node runs)
#   scripts/refnode.sh smoke    a short CQL round trip against the running node
#
# Nothing is written inside the repository. Settings (all optional):
#   CASSA_REFNODE_VERSION        cassandra-all version (default below)
#   CASSA_REFNODE_CACHE          jar cache (default ${XDG_CACHE_HOME:-~/.cache}/cassa/refnode)
#   CASSA_REFNODE_STATE          state file (default ${TMPDIR:-/tmp}/cassa-refnode.state)
#   CASSA_REFNODE_JAVA           java binary; Cassandra 5.0 runs on Java 11 or 17 only
#   CASSA_REFNODE_JVM_OPTS       extra JVM options, after ours (so -Xmx here wins)
#   CASSA_REFNODE_START_TIMEOUT  seconds to wait for CQL (default 180)
#   CASSA_REFNODE_STOP_TIMEOUT   seconds between SIGTERM and SIGKILL (default 60)
#   CASSA_REFNODE_KEEP=1         keep the node's folder (logs, data) on stop
#
# Every failure prints one line starting "refnode: cannot" that says why,
# followed by whatever Maven or Cassandra said, and exits non-zero.
set -euo pipefail

# 5.0.9 is the newest 5.0.x on Maven Central when this was written. It is
# pinned, not a range, so the reference behaviour changes only by a commit.
version=${CASSA_REFNODE_VERSION:-5.0.9}
cache=${CASSA_REFNODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cassa/refnode}
state=${CASSA_REFNODE_STATE:-${TMPDIR:-/tmp}/cassa-refnode.state}
start_timeout=${CASSA_REFNODE_START_TIMEOUT:-180}
stop_timeout=${CASSA_REFNODE_STOP_TIMEOUT:-60}
root=$(cd "$(dirname "$0")/.." && pwd)

say() { printf 'refnode: %s\n' "$*"; }
cannot() {
	printf 'refnode: cannot %s\n' "$*" >&2
	exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- fetch -------------------------------------------------------------------

libdir() { printf '%s/%s/lib' "$cache" "$version"; }

# fetch resolves cassandra-all into $(libdir) unless an earlier run finished
# doing so (the .complete marker is written last).
fetch() {
	local lib t0 tmp
	lib=$(libdir)
	if [ -f "$lib/.complete" ]; then
		[ "${1:-}" = quiet ] || say "cassandra-all $version already in $lib"
		return 0
	fi
	command -v mvn >/dev/null 2>&1 || cannot "fetch cassandra-all $version: Maven (mvn) is not installed"
	mkdir -p "$cache/$version"
	# One fetch at a time per version: a second one waits, then finds .complete.
	exec 9>"$cache/$version/.lock"
	if command -v flock >/dev/null 2>&1; then flock 9; fi
	if [ -f "$lib/.complete" ]; then
		exec 9>&-
		return 0
	fi

	t0=$(now)
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/cassa-refnode-fetch.XXXXXX")
	cat >"$tmp/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>cassa.refnode</groupId>
  <artifactId>fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.cassandra</groupId>
      <artifactId>cassandra-all</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
</project>
EOF
	rm -rf "$lib.partial"
	if ! mvn -B -q -f "$tmp/pom.xml" dependency:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory="$lib.partial" >"$tmp/mvn.log" 2>&1; then
		tail -n 30 "$tmp/mvn.log" >&2
		rm -rf "$tmp" "$lib.partial"
		cannot "fetch org.apache.cassandra:cassandra-all:$version: Maven failed (its last lines are above)"
	fi
	rm -rf "$tmp"
	[ -f "$lib.partial/cassandra-all-$version.jar" ] ||
		cannot "fetch cassandra-all $version: Maven finished but cassandra-all-$version.jar is not in $lib.partial"
	rm -rf "$lib"
	mv "$lib.partial" "$lib"
	touch "$lib/.complete"
	exec 9>&-
	say "fetched cassandra-all $version and its dependencies: $(find "$lib" -name '*.jar' | wc -l) jars, $(du -sh "$lib" | cut -f1) in $lib, in $(since "$t0")s"
}

# --- java ----------------------------------------------------------------------

# javamajor prints the feature version of a java binary (8, 11, 17, 25, ...).
javamajor() {
	"$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

# pickjava prints a Java that Cassandra 5.0 supports. bin/cassandra.in.sh in
# the 5.0 distribution accepts 11 and 17 only, and on 24 and later
# ThreadAwareSecurityManager fails at startup ("Setting a system-wide Policy
# object is not supported", JEP 486), so a newer default java is passed over.
pickjava() {
	local j m
	if [ -n "${CASSA_REFNODE_JAVA:-}" ]; then
		printf '%s\n' "$CASSA_REFNODE_JAVA"
		return 0
	fi
	for j in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" \
		/usr/lib/jvm/*17*/bin/java /usr/lib/jvm/*11*/bin/java; do
		if [ -z "$j" ] || [ ! -x "$j" ]; then continue; fi
		m=$(javamajor "$j")
		if [ "$m" = 17 ] || [ "$m" = 11 ]; then
			printf '%s\n' "$j"
			return 0
		fi
	done
	return 1
}

# --- state ---------------------------------------------------------------------

# The state file holds key=value lines: pid, dir, host, port, version. It is
# parsed, never sourced.
readstate() {
	pid="" dir="" host="" port="" nodeversion=""
	[ -f "$state" ] || return 1
	local k v
	while IFS='=' read -r k v; do
		case $k in
		pid) pid=$v ;;
		dir) dir=$v ;;
		host) host=$v ;;
		port) port=$v ;;
		version) nodeversion=$v ;;
		esac
	done <"$state"
	[ -n "$pid" ] && [ -n "$dir" ]
}

# ours: is $pid alive and the JVM started for $dir (not a recycled pid)?
ours() {
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$dir/conf/jvm.options"
}

# --- start ---------------------------------------------------------------------

start() {
	if readstate && ours; then
		say "already running: Cassandra $nodeversion on $host:$port (pid $pid, folder $dir)"
		return 0
	fi
	# A node that died leaves its state and folder behind: clear both.
	if [ -f "$state" ]; then stop quiet; fi

	local java lib run ports native storage ssl t0 t
	java=$(pickjava) || cannot "start: no Java 11 or 17 found (Cassandra 5.0 runs on those only; set CASSA_REFNODE_JAVA)"
	command -v go >/dev/null 2>&1 || cannot "start: Go is needed to build the CQL check (internal/cmd/refnode)"
	fetch quiet
	lib=$(libdir)

	run=$(mktemp -d "${TMPDIR:-/tmp}/cassa-refnode.XXXXXX")
	mkdir -p "$run/conf" "$run/logs" "$run/data" "$run/commitlog" "$run/saved_caches" \
		"$run/hints" "$run/cdc_raw" "$run/triggers"
	if ! (cd "$root" && go build -o "$run/refnode" ./internal/cmd/refnode) >"$run/logs/build.log" 2>&1; then
		cat "$run/logs/build.log" >&2
		rm -rf "$run"
		cannot "start: go build ./internal/cmd/refnode failed (above)"
	fi
	ports=$("$run/refnode" ports 3) || { rm -rf "$run"; cannot "start: no free ports on 127.0.0.1"; }
	{ read -r native; read -r storage; read -r ssl; } <<<"$ports"

	writeconfig "$run" "$native" "$storage" "$ssl"
	writejvmoptions "$run" "$lib"

	t0=$(now)
	nohup "$java" @"$run/conf/jvm.options" >"$run/logs/stdout.log" 2>&1 </dev/null &
	pid=$!
	dir=$run host=127.0.0.1 port=$native nodeversion=$version
	printf 'pid=%s\ndir=%s\nhost=%s\nport=%s\nversion=%s\n' "$pid" "$dir" "$host" "$port" "$version" >"$state.tmp"
	mv "$state.tmp" "$state"

	# Ready means a real CQL exchange, not an open port: the native port opens
	# at the very end of CassandraDaemon.start, and the query proves the
	# schema and the protocol are up too.
	while :; do
		if ! kill -0 "$pid" 2>/dev/null; then
			failed "start: the JVM exited during startup after $(since "$t0")s"
		fi
		if grep -q 'Starting listening for CQL clients' "$run/logs/system.log" 2>/dev/null &&
			"$run/refnode" ping -hosts "$host:$port" -timeout 5s >"$run/logs/ping.out" 2>&1; then
			break
		fi
		t=$(since "$t0")
		if [ "${t%.*}" -ge "$start_timeout" ]; then
			failed "start: no CQL answer on $host:$port within ${start_timeout}s"
		fi
		sleep 0.5
	done
	say "Cassandra $(cat "$run/logs/ping.out") answers CQL on $host:$port after $(since "$t0")s" \
		"(pid $pid, java $(javamajor "$java"), folder $run, state $state)"
}

# failed reports a start that went wrong with the lines that say why, then
# stops the node and removes its folder.
failed() {
	{
		echo "--- $dir/logs/stdout.log (last lines)"
		tail -n 20 "$dir/logs/stdout.log" 2>/dev/null || true
		echo "--- $dir/logs/system.log (errors)"
		grep -E '^(ERROR|WARN)|Exception|Caused by' "$dir/logs/system.log" 2>/dev/null | tail -n 20 || true
		echo "---"
	} >&2
	stop quiet
	cannot "$1 (see the output above)"
}

writeconfig() {
	local run=$1 native=$2 storage=$3 ssl=$4
	# Minimal single node. Materialized views and SASI are on, as they were by
	# default in 3.11 (5.0 turns both off), so the reference accepts what a
	# 3.11 node accepts. auto_snapshot is off: the data is thrown away, and a
	# snapshot per DROP/TRUNCATE only slows the node down.
	cat >"$run/conf/cassandra.yaml" <<EOF
cluster_name: cassa-refnode
num_tokens: 1
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
data_file_directories:
  - $run/data
commitlog_directory: $run/commitlog
saved_caches_directory: $run/saved_caches
hints_directory: $run/hints
cdc_raw_directory: $run/cdc_raw
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
native_transport_port: $native
storage_port: $storage
ssl_storage_port: $ssl
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:$storage"
endpoint_snitch: SimpleSnitch
commitlog_sync: periodic
commitlog_sync_period: 10000ms
start_native_transport: true
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
auto_snapshot: false
materialized_views_enabled: true
sasi_indexes_enabled: true
EOF
	cat >"$run/conf/logback.xml" <<EOF
<configuration scan="false">
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$run/logs/system.log</file>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.apache.cassandra" level="INFO"/>
  <root level="WARN"><appender-ref ref="FILE"/></root>
</configuration>
EOF
}

# writejvmoptions writes a java @argfile, one option a line, so the node can
# be started again by hand with `java @conf/jvm.options`.
writejvmoptions() {
	local run=$1 lib=$2 opts jamm o
	jamm=$(find "$lib" -maxdepth 1 -name 'jamm-*.jar' | head -n 1)
	[ -n "$jamm" ] || cannot "start: no jamm jar (Cassandra's memory meter agent) in $lib"
	opts=(
		# Heap: 1 GiB to start, 2 GiB at most. A test node holds little data;
		# Cassandra's own formula (cassandra-env.sh) would take 6 GiB of this
		# 24 GiB machine that `go test -race` and other work share.
		-Xms1G -Xmx2G
		# From conf/jvm-server.options and conf/jvm17-server.options (5.0).
		-Xss256k
		-XX:+UseG1GC -XX:+ParallelRefProcEnabled -XX:MaxTenuringThreshold=1
		-XX:G1HeapRegionSize=16m -XX:MaxGCPauseMillis=300
		-XX:+UseThreadPriorities -XX:+PerfDisableSharedMem
		-XX:+ExitOnOutOfMemoryError
		-ea -da:net.openhft...
		-Djava.net.preferIPv4Stack=true
		-javaagent:"$jamm"
		-Djdk.attach.allowAttachSelf=true
		--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED
		--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
		--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
		--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED
		--add-exports=java.sql/java.sql=ALL-UNNAMED
		--add-exports=java.base/java.lang.ref=ALL-UNNAMED
		--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED
		--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
		--add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED
		--add-opens=java.base/java.lang.module=ALL-UNNAMED
		--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED
		--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
		--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED
		--add-opens=java.base/jdk.internal.math=ALL-UNNAMED
		--add-opens=java.base/jdk.internal.module=ALL-UNNAMED
		--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED
		--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED
		--add-opens=java.base/sun.nio.ch=ALL-UNNAMED
		--add-opens=java.base/java.io=ALL-UNNAMED
		--add-opens=java.base/java.lang.reflect=ALL-UNNAMED
		--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
		--add-opens=java.base/java.lang=ALL-UNNAMED
		--add-opens=java.base/java.util=ALL-UNNAMED
		-Dio.netty.tryReflectionSetAccessible=true
		-Dio.netty.allocator.useCacheForAllThreads=true
		-Dio.netty.allocator.maxOrder=11
		# Where things are. No JMX port is opened (no cassandra.jmx.*.port), so
		# nothing can clash on 7199.
		-Dcassandra.config="file://$run/conf/cassandra.yaml"
		-Dlogback.configurationFile="file://$run/conf/logback.xml"
		-Dcassandra.storagedir="$run"
		-Dcassandra.logdir="$run/logs"
		-Dcassandra.triggers_dir="$run/triggers"
		-Dcassandra-foreground=yes
		# A lone node has no ring to wait for and nobody to tell it is leaving.
		-Dcassandra.skip_wait_for_gossip_to_settle=0
		-Dcassandra.ring_delay_ms=100
		-Dcassandra.superuser_setup_delay_ms=0
		-Dcassandra.shutdown_announce_in_ms=0
		-Dcassandra.available_processors="$(nproc 2>/dev/null || echo 2)"
	)
	# shellcheck disable=SC2206 # split on purpose: a list of options
	[ -n "${CASSA_REFNODE_JVM_OPTS:-}" ] && opts+=($CASSA_REFNODE_JVM_OPTS)
	opts+=(-cp "$lib/*" org.apache.cassandra.service.CassandraDaemon)
	# Each option quoted, as a java @argfile wants for one with spaces in it.
	for o in "${opts[@]}"; do
		o=${o//\\/\\\\}
		printf '"%s"\n' "${o//\"/\\\"}"
	done >"$run/conf/jvm.options"
}

# --- stop, status, env, smoke ----------------------------------------------------

stop() {
	local quiet=${1:-} t0 how=clean
	if ! readstate; then
		[ "$quiet" = quiet ] || say "not running (no state file $state)"
		return 0
	fi
	t0=$(now)
	if ours; then
		kill -TERM "$pid" 2>/dev/null || true
		while ours; do
			if [ "$(since "$t0" | cut -d. -f1)" -ge "$stop_timeout" ]; then
				kill -KILL "$pid" 2>/dev/null || true
				how="killed after ${stop_timeout}s"
				sleep 0.5
				break
			fi
			sleep 0.2
		done
	else
		how="was not running"
	fi
	# Remove only a folder this script made.
	case $dir in
	*/cassa-refnode.*)
		if [ "${CASSA_REFNODE_KEEP:-}" = 1 ]; then
			[ "$quiet" = quiet ] || say "kept $dir"
		else
			rm -rf "$dir"
		fi
		;;
	esac
	rm -f "$state"
	[ "$quiet" = quiet ] || say "stopped pid $pid ($how) in $(since "$t0")s"
}

status() {
	if ! readstate; then
		say "not running"
		return 1
	fi
	if ! ours; then
		say "not running (stale state $state names pid $pid, folder $dir)"
		return 1
	fi
	local rss v
	rss=$(awk '/^VmRSS/ { printf "%d MiB", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo "?")
	v=$("$dir/refnode" ping -hosts "$host:$port" -timeout 5s 2>&1) || v="no CQL answer: $v"
	say "running: Cassandra $v on $host:$port, pid $pid, RSS $rss, folder $dir, log $dir/logs/system.log"
}

env_() {
	if readstate && ours; then
		printf 'CASSA_TEST_CQL_HOSTS=%s:%s\n' "$host" "$port"
		return 0
	fi
	echo "refnode: not running (scripts/refnode.sh start)" >&2
	return 1
}

smoke() {
	if ! { readstate && ours; }; then
		cannot "smoke: no node is running (scripts/refnode.sh start)"
	fi
	"$dir/refnode" smoke -hosts "$host:$port" -timeout 60s
}

case ${1:-} in
fetch) fetch ;;
start) start ;;
stop) stop ;;
status) status ;;
env) env_ ;;
smoke) smoke ;;
*)
	echo "usage: scripts/refnode.sh fetch|start|stop|status|env|smoke" >&2
	exit 2
	;;
esac
