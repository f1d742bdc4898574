"""Interop check for cassa's embedded server.

Run by scripts/interop.sh with the Python bindings that Apache Thrift's
compiler generates from thriftgen/cassandra.thrift on PYTHONPATH. It talks
to the server the way pycassa and Cassandra's own system tests do (framed
transport, binary protocol) and asserts what Cassandra 3.11 answers.

usage: interop.py HOST PORT
"""

import struct
import sys
import time

from thrift.protocol import TBinaryProtocol
from thrift.Thrift import TApplicationException
from thrift.transport import TSocket, TTransport

from cassandra import Cassandra
from cassandra.ttypes import (AuthenticationRequest, CfDef, Column, ColumnDef, ColumnOrSuperColumn,
                              ColumnParent, ColumnPath, ConsistencyLevel,
                              CounterColumn, Deletion, IndexClause,
                              IndexExpression, IndexOperator, IndexType,
                              InvalidRequestException, KeyRange, KsDef,
                              Mutation, NotFoundException, SlicePredicate,
                              SliceRange, SuperColumn)

ONE = ConsistencyLevel.ONE
KS = "Interop"
checks = 0


def check(cond, what):
    global checks
    if not cond:
        raise AssertionError(what)
    checks += 1


def expect(exc_type, fn, why=None):
    try:
        fn()
    except exc_type as e:
        if why is not None:
            check(e.why == why, "want why %r, got %r" % (why, e.why))
        else:
            check(True, exc_type.__name__)
        return e
    raise AssertionError("expected %s" % exc_type.__name__)


def connect(host, port):
    deadline = time.time() + 30
    while True:
        try:
            sock = TSocket.TSocket(host, port)
            transport = TTransport.TFramedTransport(sock)
            transport.open()
            break
        except TTransport.TTransportException:
            if time.time() > deadline:
                raise
            time.sleep(0.1)
    protocol = TBinaryProtocol.TBinaryProtocol(transport)
    return Cassandra.Client(protocol), transport


def i64(n):
    return struct.pack(">q", n)


def names(coscs):
    return [c.column.name for c in coscs]


def main(host, port):
    client, transport = connect(host, int(port))

    # describe_*
    check(client.describe_version() == "20.1.0", "describe_version")
    check(client.describe_cluster_name() == "Test Cluster", "describe_cluster_name")
    check(client.describe_partitioner() == "org.apache.cassandra.dht.Murmur3Partitioner", "describe_partitioner")
    check(client.describe_snitch() == "org.apache.cassandra.locator.SimpleSnitch", "describe_snitch")
    system_names = set(k.name for k in client.describe_keyspaces())
    check(system_names == {"system", "system_auth", "system_distributed", "system_schema", "system_traces"},
          "3.11's system keyspaces listed: %r" % system_names)
    expect(InvalidRequestException, lambda: client.system_drop_keyspace("system_schema"),
           "system_schema keyspace is not user-modifiable")

    # schema
    ks = KsDef(name=KS, strategy_class="SimpleStrategy",
               strategy_options={"replication_factor": "1"}, cf_defs=[
                   CfDef(keyspace=KS, name="Standard1", comparator_type="UTF8Type"),
                   CfDef(keyspace=KS, name="Super1", column_type="Super",
                         subcomparator_type="LongType"),
                   CfDef(keyspace=KS, name="Counter1",
                         default_validation_class="CounterColumnType"),
                   CfDef(keyspace=KS, name="Indexed1", column_metadata=[
                       ColumnDef(name=b"birthdate", validation_class="LongType",
                                 index_type=IndexType.KEYS, index_name="birthdate_index")]),
               ])
    version = client.system_add_keyspace(ks)
    check(len(version) == 36, "schema version is a UUID string")
    check(list(client.describe_schema_versions().items()) == [(version, ["127.0.0.1"])],
          "describe_schema_versions")
    expect(InvalidRequestException, lambda: client.system_add_keyspace(ks),
           'Keyspace names must be case-insensitively unique ("Interop" conflicts with "Interop")')
    kd = client.describe_keyspace(KS)
    check(kd.strategy_class == "org.apache.cassandra.locator.SimpleStrategy", "strategy class")
    cfs = dict((c.name, c) for c in kd.cf_defs)
    check(sorted(cfs) == ["Counter1", "Indexed1", "Standard1", "Super1"], "cf_defs")
    check(cfs["Standard1"].comparator_type == "org.apache.cassandra.db.marshal.UTF8Type", "fq comparator")
    check(cfs["Standard1"].column_metadata == [], "column_metadata is an empty list")
    expect(NotFoundException, lambda: client.describe_keyspace("NoSuchKeyspace"))

    # set_keyspace
    expect(InvalidRequestException, lambda: client.set_keyspace("Nope"), "Keyspace 'Nope' does not exist")
    client.set_keyspace(KS)

    # insert / get
    sp = ColumnParent("Standard1")
    for i, name in enumerate([b"a", b"b", b"c", b"d", b"e"]):
        client.insert(b"k1", sp, Column(name, b"v" + name, 10 + i), ONE)
    got = client.get(b"k1", ColumnPath("Standard1", column=b"c"), ONE).column
    check((got.name, got.value, got.timestamp) == (b"c", b"vc", 12), "get")
    expect(NotFoundException, lambda: client.get(b"k1", ColumnPath("Standard1", column=b"zz"), ONE))
    expect(InvalidRequestException, lambda: client.insert(b"", sp, Column(b"a", b"x", 1), ONE),
           "Key may not be empty")

    # slices
    full = SlicePredicate(slice_range=SliceRange(b"", b"", False, 100))
    check(names(client.get_slice(b"k1", sp, full, ONE)) == [b"a", b"b", b"c", b"d", b"e"], "full slice")
    rev = SlicePredicate(slice_range=SliceRange(b"d", b"b", True, 100))
    check(names(client.get_slice(b"k1", sp, rev, ONE)) == [b"d", b"c", b"b"], "reversed slice")
    lim = SlicePredicate(slice_range=SliceRange(b"b", b"", False, 2))
    check(names(client.get_slice(b"k1", sp, lim, ONE)) == [b"b", b"c"], "slice count")
    byname = SlicePredicate(column_names=[b"e", b"a", b"zz"])
    check(names(client.get_slice(b"k1", sp, byname, ONE)) == [b"a", b"e"], "names in comparator order")
    expect(InvalidRequestException,
           lambda: client.get_slice(b"k1", sp, SlicePredicate(slice_range=SliceRange(b"d", b"b", False, 10)), ONE),
           "range finish must come after start in the order of traversal")
    check(client.get_count(b"k1", sp, full, ONE) == 5, "get_count")
    ms = client.multiget_slice([b"k1", b"missing"], sp, byname, ONE)
    check(names(ms[b"k1"]) == [b"a", b"e"] and ms[b"missing"] == [], "multiget_slice")

    # batch_mutate, with a deletion
    client.batch_mutate({b"k2": {"Standard1": [
        Mutation(column_or_supercolumn=ColumnOrSuperColumn(column=Column(b"x", b"1", 5))),
        Mutation(column_or_supercolumn=ColumnOrSuperColumn(column=Column(b"y", b"2", 5))),
    ]}, b"k1": {"Standard1": [
        Mutation(deletion=Deletion(timestamp=100, predicate=SlicePredicate(column_names=[b"a"]))),
    ]}}, ONE)
    check(names(client.get_slice(b"k2", sp, full, ONE)) == [b"x", b"y"], "batch insert")
    check(names(client.get_slice(b"k1", sp, full, ONE)) == [b"b", b"c", b"d", b"e"], "batch deletion")
    # one bad mutation rejects the whole batch
    expect(InvalidRequestException, lambda: client.batch_mutate({b"k3": {"Standard1": [
        Mutation(column_or_supercolumn=ColumnOrSuperColumn(column=Column(b"ok", b"1", 5))),
        Mutation(column_or_supercolumn=ColumnOrSuperColumn(column=Column(b"bad", b"1"))),
    ]}}, ONE), "Column timestamp is required")
    check(client.get_slice(b"k3", sp, full, ONE) == [], "failed batch wrote nothing")

    # remove
    client.remove(b"k2", ColumnPath("Standard1", column=b"x"), 6, ONE)
    check(names(client.get_slice(b"k2", sp, full, ONE)) == [b"y"], "remove column")

    # range scan (Murmur3 order, so compare sets), with a range ghost
    client.remove(b"k2", ColumnPath("Standard1"), 1000, ONE)
    rows = client.get_range_slices(sp, full, KeyRange(start_key=b"", end_key=b"", count=100), ONE)
    got = dict((r.key, [c.column.name for c in r.columns]) for r in rows)
    check(got == {b"k1": [b"b", b"c", b"d", b"e"], b"k2": []}, "range slices with ghost: %r" % got)

    # TTLs: 0 means none (3.6+), negative ones are refused, and the 2038
    # limit follows the REJECT policy
    client.insert(b"t", sp, Column(b"zero", b"v", 1, 0), ONE)
    check(client.get(b"t", ColumnPath("Standard1", column=b"zero"), ONE).column.ttl is None, "ttl 0 is no ttl")
    expect(InvalidRequestException, lambda: client.insert(b"t", sp, Column(b"neg", b"v", 1, -1), ONE),
           "ttl must be greater or equal to 0")
    try:
        client.insert(b"t", sp, Column(b"far", b"v", 1, 630720000), ONE)
        check(False, "a 20-year TTL passes 2038 and is refused")
    except InvalidRequestException as e:
        check(e.why.startswith("Request on table Interop.Standard1 with ttl of 630720000 seconds exceeds maximum supported "
                               "expiration date of 2038-01-19T03:14:06+00:00."), "2038 guard: %s" % e.why)

    # super columns
    sup = ColumnParent("Super1", b"sc1")
    client.insert(b"s", sup, Column(i64(2), b"two", 1), ONE)
    client.insert(b"s", sup, Column(i64(1), b"one", 1), ONE)
    sc = client.get(b"s", ColumnPath("Super1", super_column=b"sc1"), ONE).super_column
    check(sc.name == b"sc1" and [c.name for c in sc.columns] == [i64(1), i64(2)], "super column")
    # a reversed slice of whole super columns reverses their sub-columns (3.x)
    rsc = client.get_slice(b"s", ColumnParent("Super1"), SlicePredicate(slice_range=SliceRange(b"", b"", True, 10)), ONE)
    check([c.name for c in rsc[0].super_column.columns] == [i64(2), i64(1)], "reversed super slice")

    # counters
    cp = ColumnParent("Counter1")
    client.add(b"c", cp, CounterColumn(b"hits", 5), ONE)
    client.add(b"c", cp, CounterColumn(b"hits", -2), ONE)
    check(client.get(b"c", ColumnPath("Counter1", column=b"hits"), ONE).counter_column.value == 3, "counter")
    expect(InvalidRequestException, lambda: client.insert(b"c", cp, Column(b"x", b"1", 1), ONE),
           "invalid operation for commutative table Counter1")

    # secondary index
    ip = ColumnParent("Indexed1")
    for key, year in [(b"u1", 1970), (b"u2", 1980), (b"u3", 1970)]:
        client.insert(key, ip, Column(b"birthdate", i64(year), 1), ONE)
    clause = IndexClause([IndexExpression(b"birthdate", IndexOperator.EQ, i64(1970))], b"", 100)
    rows = client.get_indexed_slices(ip, clause, full, ONE)
    check(sorted(r.key for r in rows) == [b"u1", b"u3"], "get_indexed_slices")

    # cas: expecting absence on an empty row succeeds, then fails
    cas_cp = "Standard1"
    r = client.cas(b"c1", cas_cp, [], [Column(b"a", b"1", 1)], ConsistencyLevel.SERIAL, ConsistencyLevel.QUORUM)
    check(r.success, "cas on an empty row")
    r = client.cas(b"c1", cas_cp, [], [Column(b"a", b"2", 1)], ConsistencyLevel.SERIAL, ConsistencyLevel.QUORUM)
    check(not r.success and [c.value for c in r.current_values] == [b"1"], "cas current values")

    # atomic batch, multiget_count, paged slice
    client.atomic_batch_mutate({b"p1": {"Standard1": [
        Mutation(column_or_supercolumn=ColumnOrSuperColumn(column=Column(n, b"v", 1))) for n in [b"a", b"b", b"c"]
    ]}, b"p2": {"Standard1": [
        Mutation(column_or_supercolumn=ColumnOrSuperColumn(column=Column(b"a", b"v", 1)))
    ]}}, ONE)
    counts = client.multiget_count([b"p1", b"p2", b"p3"], sp, full, ONE)
    check(counts == {b"p1": 3, b"p2": 1, b"p3": 0}, "multiget_count %r" % counts)
    # get_paged_slice counts rows in 3.x, with every column of each
    paged = client.get_paged_slice("Standard1", KeyRange(start_key=b"p1", end_key=b"p1", count=1), b"b", ONE)
    check([(k.key, [c.column.name for c in k.columns]) for k in paged] == [(b"p1", [b"b", b"c"])], "get_paged_slice")

    # ring, token map, splits, tracing, login (AllowAll)
    ring = client.describe_ring(KS)
    check(len(ring) == 1 and ring[0].endpoints == ["127.0.0.1"] and ring[0].start_token == ring[0].end_token, "describe_ring")
    check(list(client.describe_token_map().values()) == ["127.0.0.1"], "describe_token_map")
    splits = client.describe_splits_ex("Standard1", ring[0].start_token, ring[0].end_token, 1000)
    check(len(splits) == 1, "describe_splits_ex")
    check(len(client.trace_next_query()) == 16, "trace_next_query")
    client.login(AuthenticationRequest(credentials={"username": "any", "password": "thing"}))

    # system_update_column_family: describe, modify, update
    cf = [c for c in client.describe_keyspace(KS).cf_defs if c.name == "Standard1"][0]
    cf.comment = "updated by interop"
    client.system_update_column_family(cf)
    cf = [c for c in client.describe_keyspace(KS).cf_defs if c.name == "Standard1"][0]
    check(cf.comment == "updated by interop", "system_update_column_family")

    # CQL is gone
    expect(InvalidRequestException, lambda: client.execute_cql_query(b"SELECT * FROM x", 2),
           "CQL2 has been removed in Cassandra 3.0. Please use CQL3 instead")
    expect(InvalidRequestException, lambda: client.truncate("Counter1"),
           "invalid operation for commutative table Counter1")

    # truncate, drop
    client.truncate("Standard1")
    check(client.get_range_slices(sp, full, KeyRange(start_key=b"", end_key=b"", count=100), ONE) == [],
          "truncate")
    client.system_drop_column_family("Standard1")
    expect(InvalidRequestException, lambda: client.get_slice(b"k1", sp, full, ONE),
           "unconfigured table Standard1")
    client.system_drop_keyspace(KS)
    expect(NotFoundException, lambda: client.describe_keyspace(KS))

    # an unknown method is answered and the connection stays usable
    try:
        client._oprot.writeMessageBegin("no_such_method", 1, 0)
        Cassandra.describe_version_args().write(client._oprot)
        client._oprot.writeMessageEnd()
        client._oprot.trans.flush()
        client.recv_describe_version()
        raise AssertionError("unknown method answered normally")
    except TApplicationException as e:
        check(e.type == TApplicationException.UNKNOWN_METHOD, "UNKNOWN_METHOD")
    check(client.describe_version() == "20.1.0", "connection kept after unknown method")

    transport.close()
    print("interop: %d passed, 0 failed" % checks)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    try:
        main(sys.argv[1], sys.argv[2])
    except Exception as e:
        print("interop: FAILED after %d checks: %r" % (checks, e), file=sys.stderr)
        raise
