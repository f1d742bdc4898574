# cassa build targets. `make test` is the command CI runs.
GO        ?= go
PKGS      ?= ./...
FUZZTIME  ?= 10s
BENCHTIME ?= 1s
# The CQL suites that run against a real node too (make test-refnode).
REFNODE_PKGS ?= ./cql/... ./orm/... ./migrate/... ./examples/... ./internal/difftest/...

.PHONY: all build test test-refnode bench fuzz thriftgen lint interop interop-cqlsh demo refnode-fetch refnode-start refnode-stop refnode-status

all: build

build:
	$(GO) build $(PKGS)

## test: vet, then every test with the race detector (no setup needed).
test:
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 $(PKGS)

## test-refnode: the CQL suites (REFNODE_PKGS) and the differential test of the embedded server against
##               a real node: the one CASSA_TEST_CQL_HOSTS names, else the running reference node
##               (make refnode-start); fails when there is neither.
test-refnode:
	@hosts="$${CASSA_TEST_CQL_HOSTS:-}"; \
	if [ -z "$$hosts" ]; then \
	  env=$$(./scripts/refnode.sh env) || { echo "test-refnode: no real node: set CASSA_TEST_CQL_HOSTS or run make refnode-start" >&2; exit 1; }; \
	  hosts=$${env#CASSA_TEST_CQL_HOSTS=}; \
	fi; \
	echo "test-refnode: CASSA_TEST_CQL_HOSTS=$$hosts"; \
	CASSA_TEST_CQL_HOSTS="$$hosts" $(GO) test -race -count=1 $(REFNODE_PKGS)

## demo: run Twissandra, the example program, over Thrift and over CQL against an in-process server
## (or the clusters CASSA_SERVERS (Thrift) and CASSA_CQL_HOSTS (CQL) list).
demo:
	$(GO) run ./examples/twissandra

## bench: every benchmark, with allocation counts.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) $(PKGS)

## fuzz: a short run of every fuzz target (FUZZTIME each, default 10s).
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t"; \
	    $(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

## thriftgen: regenerate thriftgen/ from thriftgen/cassandra.thrift (needs Debian's thrift-compiler 0.17.0).
thriftgen:
	./scripts/thriftgen.sh

## lint: fail when a hand-written Go file is not gofmt-clean.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^thriftgen/')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## interop: drive `cassa server` with Apache's generated Python Thrift client (needs thrift-compiler and
## python3-thrift) and with the DataStax CQL drivers for Python (python3-cassandra) and Node.js (npm
## cassandra-driver 4.10.0, installed into ~/.cache/cassa/interop-node on first use).
interop:
	./scripts/interop.sh

## interop-cqlsh: run the real cqlsh (PyPI's cqlsh 6.2.2, installed with pip into
## ~/.cache/cassa/cqlsh-venv on first use) and `cassa cqlsh` with the same script against
## `cassa server`, and compare their output and errors byte for byte.
interop-cqlsh:
	./scripts/cqlsh_interop.sh

## refnode-fetch: resolve Apache Cassandra 5.0 (cassandra-all) with Maven into ~/.cache/cassa/refnode.
## refnode-start: start a real single Cassandra 5.0 node on 127.0.0.1 and wait until it answers CQL;
##                `scripts/refnode.sh env` then prints CASSA_TEST_CQL_HOSTS for it.
## refnode-stop:  stop it and remove its folder. Needs Java 11 or 17 and Maven (see scripts/refnode.sh).
refnode-fetch:
	./scripts/refnode.sh fetch

refnode-start:
	./scripts/refnode.sh start

refnode-stop:
	./scripts/refnode.sh stop

refnode-status:
	./scripts/refnode.sh status
