"""CQL interop check for cassa's embedded server with the DataStax Python driver.

Run by scripts/interop.sh with Debian's python3-cassandra (3.25) under
/usr/bin/python3. The driver connects with its defaults (protocol
negotiation, token and schema metadata on), creates a keyspace and a
table, writes and reads them with simple and prepared statements, pages
10,000 rows, and sees schema changes in its metadata, both its own and,
through the SCHEMA_CHANGE event, another cluster object's. Then the
driver's object mapper, cqlengine, runs models against it: sync_table
(and again after the model gains a column and an index), create, get,
filter with clustering slices and secondary indexes, updates with
collection operations, batches, TTLs, counters, and lightweight
transactions (if_not_exists, iff, if_exists). With AUTHPORT, a second
server started with --users is checked with PlainTextAuthProvider.

usage: interop_cql.py HOST PORT [AUTHPORT]
"""

import datetime
import decimal
import ipaddress
import sys
import time
import uuid

from cassandra import AlreadyExists, AuthenticationFailed, InvalidRequest
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import Cluster, NoHostAvailable
from cassandra.concurrent import execute_concurrent_with_args
from cassandra.cqlengine import columns, connection, management
from cassandra.cqlengine.models import Model
from cassandra.cqlengine.query import BatchQuery, LWTException
from cassandra.query import SimpleStatement

checks = 0


def check(cond, what):
    global checks
    if not cond:
        raise AssertionError(what)
    checks += 1


def wait_for(cond, what, timeout=15.0):
    deadline = time.time() + timeout
    while not cond():
        if time.time() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)
    check(True, what)


def expect(exc_type, fn, contains=None):
    try:
        fn()
    except exc_type as e:
        if contains is not None:
            check(contains in str(e), "want %r in %r" % (contains, str(e)))
        else:
            check(True, exc_type.__name__)
        return e
    raise AssertionError("expected %s" % exc_type.__name__)


def main():
    host, port = sys.argv[1], int(sys.argv[2])

    cluster = Cluster([host], port=port)
    session = cluster.connect()
    check(cluster.protocol_version == 4, "negotiated protocol v%s" % cluster.protocol_version)
    local = session.execute("SELECT release_version, data_center, partitioner FROM system.local").one()
    check(local.release_version.startswith("3.11."), local.release_version)
    check(local.data_center == "datacenter1", local.data_center)
    check(cluster.metadata.cluster_name == "Test Cluster", cluster.metadata.cluster_name)
    check(cluster.metadata.partitioner == "org.apache.cassandra.dht.Murmur3Partitioner", cluster.metadata.partitioner)
    check(len(cluster.metadata.all_hosts()) == 1, "one host")
    check("system_schema" in cluster.metadata.keyspaces, "system keyspaces in the metadata")

    # Schema: the driver waits for schema agreement and refreshes its
    # metadata before execute() returns.
    session.execute("CREATE KEYSPACE pyks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
    ks = cluster.metadata.keyspaces.get("pyks")
    check(ks is not None and ks.replication_strategy.replication_factor == 1, "keyspace metadata")
    session.execute("CREATE TABLE pyks.items (k int, c int, v text, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)")
    t = cluster.metadata.keyspaces["pyks"].tables["items"]
    check([c.name for c in t.partition_key] == ["k"], "partition key")
    check([c.name for c in t.clustering_key] == ["c"] and t.clustering_key[0].is_reversed, "clustering key")
    check(t.columns["v"].cql_type == "text", t.columns["v"].cql_type)
    check("CREATE TABLE pyks.items" in t.export_as_string(), "export_as_string")
    e = expect(AlreadyExists, lambda: session.execute("CREATE TABLE pyks.items (k int PRIMARY KEY)"))
    check(e.keyspace == "pyks" and e.table == "items", "AlreadyExists body")
    expect(InvalidRequest, lambda: session.execute("USE nope"), "Keyspace 'nope' does not exist")
    session.set_keyspace("pyks")
    check(session.keyspace == "pyks", "USE")

    # A schema change made elsewhere reaches another cluster object's
    # metadata through the SCHEMA_CHANGE event on its control connection.
    watcher = Cluster([host], port=port)
    watcher.connect()
    session.execute("CREATE TABLE other (k int PRIMARY KEY, v text)")
    wait_for(lambda: "pyks" in watcher.metadata.keyspaces and "other" in watcher.metadata.keyspaces["pyks"].tables,
             "the new table in the other cluster's metadata")
    session.execute("ALTER TABLE items ADD w int")
    check("w" in cluster.metadata.keyspaces["pyks"].tables["items"].columns, "ALTER TABLE ADD in the metadata")
    wait_for(lambda: "w" in watcher.metadata.keyspaces["pyks"].tables["items"].columns,
             "ALTER TABLE ADD in the other cluster's metadata")
    session.execute("DROP TABLE other")
    wait_for(lambda: "other" not in watcher.metadata.keyspaces["pyks"].tables, "DROP TABLE in the other metadata")
    watcher.shutdown()

    data(session)

    session.execute("DROP KEYSPACE pyks")
    check("pyks" not in cluster.metadata.keyspaces, "DROP KEYSPACE in the metadata")
    cluster.shutdown()

    cqlengine_models(host, port)
    if len(sys.argv) > 3:
        authenticated(host, int(sys.argv[3]))
    print("interop_cql_python: %d passed, 0 failed" % checks)


# cqlengine models: a user with collections and an index, a timeline with
# a clustering column in descending order, a counter table.
class User(Model):
    __table_name__ = "users"
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    name = columns.Text(required=True)
    tags = columns.Set(columns.Text)
    scores = columns.List(columns.Integer)
    attrs = columns.Map(columns.Text, columns.Text)


class UserV2(Model):
    """User after a migration: a new column, and an index on name."""
    __table_name__ = "users"
    id = columns.UUID(primary_key=True, default=uuid.uuid4)
    name = columns.Text(required=True, index=True)
    tags = columns.Set(columns.Text)
    scores = columns.List(columns.Integer)
    attrs = columns.Map(columns.Text, columns.Text)
    email = columns.Text()


class Post(Model):
    __table_name__ = "posts"
    author = columns.Text(partition_key=True)
    posted = columns.TimeUUID(primary_key=True, clustering_order="DESC")
    body = columns.Text()
    likes = columns.Integer(default=0)


class Views(Model):
    __table_name__ = "views"
    page = columns.Text(primary_key=True)
    n = columns.Counter()


def cqlengine_models(host, port):
    """cqlengine's object mapper against the server."""
    connection.setup([host], "cqle", port=port, protocol_version=4)
    management.create_keyspace_simple("cqle", 1)
    management.sync_table(User)
    management.sync_table(Post)
    management.sync_table(Views)
    meta = connection.get_cluster().metadata.keyspaces["cqle"]
    check(set(meta.tables) == {"users", "posts", "views"}, "sync_table created %r" % sorted(meta.tables))
    check(meta.tables["users"].columns["tags"].cql_type == "set<text>", "set column")
    # Synced again after the model changed: ALTER TABLE ADD and CREATE INDEX.
    management.sync_table(UserV2)
    meta = connection.get_cluster().metadata.keyspaces["cqle"]
    check("email" in meta.tables["users"].columns, "sync_table added a column")
    check(any(ix.index_options.get("target") == "name" for ix in meta.tables["users"].indexes.values()),
          "sync_table created the index")

    # create, get, collection updates on the instance and the query set.
    u = UserV2.create(name="ann", tags={"a", "b"}, scores=[1, 2], attrs={"k": "v"})
    got = UserV2.objects(id=u.id).get()
    check(got.name == "ann" and got.tags == {"a", "b"} and got.scores == [1, 2] and got.attrs == {"k": "v"},
          "create and get: %r" % (dict(got),))
    got.tags.add("c")
    got.scores.append(3)
    got.attrs["k2"] = "v2"
    got.save()  # cqlengine writes the collection deltas
    UserV2.objects(id=u.id).update(tags__remove={"a"}, scores__prepend=[0], attrs__update={"k3": "v3"})
    got = UserV2.objects(id=u.id).get()
    check(got.tags == {"b", "c"}, "set add and remove: %r" % (got.tags,))
    check(got.scores == [0, 1, 2, 3], "list append and prepend: %r" % (got.scores,))
    check(got.attrs == {"k": "v", "k2": "v2", "k3": "v3"}, "map update: %r" % (got.attrs,))
    UserV2.objects(id=u.id).update(scores__append=[4], attrs__remove={"k"})
    got = UserV2.objects(id=u.id).get()
    check(got.scores == [0, 1, 2, 3, 4] and "k" not in got.attrs, "append and map remove: %r %r" % (got.scores, got.attrs))
    # Filter on the secondary index.
    UserV2.create(name="bob", email="bob@example.org")
    check([x.email for x in UserV2.objects.filter(name="bob")] == ["bob@example.org"], "filter on the index")
    check(UserV2.objects.count() == 2, "count")

    # Clustering order, slices, limits, a batch, a TTL.
    posts = [uuid.uuid1() for _ in range(5)]
    with BatchQuery() as b:
        for i, p in enumerate(posts):
            Post.batch(b).create(author="ann", posted=p, body="post %d" % i)
    check([x.body for x in Post.objects(author="ann")] == ["post 4", "post 3", "post 2", "post 1", "post 0"],
          "batch create, clustering DESC")
    check([x.body for x in Post.objects(author="ann", posted__lt=posts[2])] == ["post 1", "post 0"],
          "clustering slice")
    check([x.body for x in Post.objects(author="ann").limit(2)] == ["post 4", "post 3"], "limit")
    check([x.body for x in Post.objects(author="ann").order_by("posted").limit(1)] == ["post 0"], "order_by")
    Post.objects(author="ann", posted=posts[0]).update(likes=7)
    check(Post.objects(author="ann", posted=posts[0]).get().likes == 7, "update")
    Post.ttl(100).create(author="ttl", posted=uuid.uuid1(), body="short")
    ttl = list(connection.get_session().execute("SELECT TTL(body) FROM cqle.posts WHERE author = 'ttl'").one().values())[0]
    check(0 < ttl <= 100, "ttl %r" % (ttl,))
    Post.objects(author="ann", posted=posts[4]).delete()
    check(Post.objects(author="ann").count() == 4, "delete")

    # Counters.
    Views.objects(page="home").update(n=1)  # cqlengine writes n = n + 1
    Views.objects(page="home").update(n=5)
    check(Views.objects(page="home").get().n == 6, "counter increments")

    # Lightweight transactions.
    try:
        UserV2.if_not_exists().create(id=u.id, name="impostor")
        raise AssertionError("if_not_exists created over an existing row")
    except LWTException as e:
        check(e.existing.get("name") == "ann", "if_not_exists not applied: %r" % (e.existing,))
    UserV2.objects(id=u.id).iff(name="ann").update(name="anne")
    check(UserV2.objects(id=u.id).get().name == "anne", "iff applied")
    try:
        UserV2.objects(id=u.id).iff(name="ann").update(name="x")
        raise AssertionError("iff on a stale value applied")
    except LWTException as e:
        check(e.existing.get("name") == "anne", "iff not applied: %r" % (e.existing,))
    try:
        UserV2.objects(id=uuid.uuid4()).if_exists().update(name="ghost")
        raise AssertionError("if_exists updated a missing row")
    except LWTException:
        check(True, "if_exists not applied")
    inst = UserV2.objects(id=u.id).get()
    inst.iff(name="anne").delete()
    check(UserV2.objects(id=u.id).first() is None, "conditional delete")

    management.drop_table(Post)
    management.drop_keyspace("cqle")
    connection.unregister_connection("default")


def authenticated(host, port):
    """A server with --users: PlainTextAuthProvider logs in over SASL PLAIN;
    a wrong password or no credentials are refused as 3.11 refuses them."""
    cluster = Cluster([host], port=port, auth_provider=PlainTextAuthProvider(username="bob", password="pw"))
    session = cluster.connect()
    row = session.execute("SELECT release_version FROM system.local").one()
    check(row.release_version.startswith("3.11."), "logged in: %r" % (row,))
    cluster.shutdown()

    def refused(provider, contains):
        c = Cluster([host], port=port, auth_provider=provider)
        try:
            c.connect()
            raise AssertionError("connected with %r" % (provider,))
        except NoHostAvailable as e:
            errs = list(e.errors.values())
            check(errs and isinstance(errs[0], AuthenticationFailed) and contains in str(errs[0]),
                  "refused: %r" % (errs,))
        finally:
            c.shutdown()

    refused(PlainTextAuthProvider(username="bob", password="wrong"), "Provided username bob and/or password are incorrect")
    refused(None, "requires authentication")


def data(session):
    """Writes and reads with simple and prepared statements, and pages."""
    session.execute("INSERT INTO items (k, c, v) VALUES (%s, %s, %s)", (0, 1, "simple"))
    row = session.execute("SELECT v FROM items WHERE k = %s AND c = %s", (0, 1)).one()
    check(row.v == "simple", "simple write and read")

    insert = session.prepare("INSERT INTO items (k, c, v) VALUES (?, ?, ?)")
    rows = [(k, c, "v%d.%d" % (k, c)) for k in range(1, 101) for c in range(100)]
    results = execute_concurrent_with_args(session, insert, rows, concurrency=64)
    failed = [res for ok, res in results if not ok]
    check(not failed and len(results) == 10000, "prepared inserts: %r" % failed[:3])
    # The partition key's marker index lets the driver route by token.
    check(insert.routing_key_indexes == [0], "routing key indexes %r" % (insert.routing_key_indexes,))
    select = session.prepare("SELECT v FROM items WHERE k = ? AND c = ?")
    check(session.execute(select, (42, 7)).one().v == "v42.7", "prepared read")

    # The whole table, 10,001 rows of 101 partitions, 1,000 per page.
    stmt = SimpleStatement("SELECT k, c FROM items", fetch_size=1000)
    res = session.execute(stmt)
    check(res.has_more_pages, "first page says more")
    seen = set()
    for r in res:
        seen.add((r.k, r.c))
    check(len(seen) == 10001, "paged %d rows" % len(seen))
    # One partition in pages of 7, in clustering order (DESC).
    part = [r.c for r in session.execute(SimpleStatement("SELECT c FROM items WHERE k = 5", fetch_size=7))]
    check(part == list(range(99, -1, -1)), "one partition paged in clustering order")
    count = session.execute("SELECT COUNT(*) FROM items WHERE k = 5").one()[0]
    check(count == 100, "count %d" % count)

    batch = "BEGIN BATCH INSERT INTO items (k, c, v) VALUES (200, 1, 'b1'); INSERT INTO items (k, c, v) VALUES (200, 2, 'b2'); APPLY BATCH"
    session.execute(batch)
    check([r.v for r in session.execute("SELECT v FROM items WHERE k = 200")] == ["b2", "b1"], "batch")
    session.execute("DELETE FROM items WHERE k = 200 AND c = 2")
    check([r.v for r in session.execute("SELECT v FROM items WHERE k = 200")] == ["b1"], "delete")
    expect(InvalidRequest, lambda: session.execute("SELECT * FROM items WHERE v = 'x'"), "ALLOW FILTERING")

    # Named markers, bound by name.
    named = session.prepare("SELECT v FROM items WHERE k = :key AND c = :col")
    check(session.execute(named, {"key": 42, "col": 8}).one().v == "v42.8", "named values")

    # A prepared statement whose table gained a column: the server answers
    # Unprepared, the driver prepares it again and reads the new column.
    star = session.prepare("SELECT * FROM items WHERE k = ? AND c = ?")
    check(len(session.execute(star, (42, 7)).one()) == 4, "four columns")
    session.execute("ALTER TABLE items ADD z text")
    session.execute("UPDATE items SET z = 'zz' WHERE k = 42 AND c = 7")
    row = session.execute(star, (42, 7)).one()
    check(row.z == "zz", "prepared again after ALTER TABLE: %r" % (row,))

    types(session)


def types(session):
    """Every scalar type through the driver's serializers, bound and back."""
    session.execute("""CREATE TABLE types (k int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean,
        d date, de decimal, db double, f float, i inet, s smallint, t text, tm time, ts timestamp,
        tu timeuuid, ti tinyint, u uuid, vi varint)""")
    vals = {
        "a": "ascii", "b": -2 ** 62, "bl": b"\x00\x01\xff", "bo": True,
        "d": datetime.date(2024, 2, 29), "de": decimal.Decimal("-12345.6789"), "db": 2.5,
        "f": 1.5, "i": "10.1.2.3", "s": -32768, "t": "text ünïcode", "tm": datetime.time(13, 14, 15, 123456),
        "ts": datetime.datetime(2024, 5, 6, 7, 8, 9, 123000), "tu": uuid.uuid1(), "ti": -128,
        "u": uuid.uuid4(), "vi": 2 ** 80,
    }
    cols = sorted(vals)
    ins = session.prepare("INSERT INTO types (k, %s) VALUES (?, %s)" % (", ".join(cols), ", ".join("?" * len(cols))))
    session.execute(ins, [1] + [vals[c] for c in cols])
    row = session.execute("SELECT * FROM types WHERE k = 1").one()
    for c in cols:
        got, want = getattr(row, c), vals[c]
        if c == "d":
            got = got.date()
        elif c == "tm":
            got = got.time()
        check(got == want, "%s: got %r, want %r" % (c, got, want))


if __name__ == "__main__":
    main()
