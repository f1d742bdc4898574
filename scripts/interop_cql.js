// CQL interop check for cassa's embedded server with the DataStax Node.js
// driver (npm cassandra-driver 4.10.0). Run by scripts/interop.sh with
// NODE_PATH pointing at the driver, installed outside the repository.
//
// The driver connects with its defaults (localDataCenter is the one
// setting it requires), creates a keyspace and a table, writes and reads
// them with simple and prepared statements, pages 10,000 rows, and sees
// schema changes in its metadata. Then the driver's object mapper
// (mapping.Mapper) maps models to tables: insert, get, find with
// clustering slices, order and limit, and on a secondary index, updates
// with collection operators (q.append, q.prepend, q.remove) and counters
// (q.incr), mapped queries on a secondary index, batches, and lightweight
// transactions (ifNotExists, ifExists,
// when).
//
// With AUTHPORT, a second server started with --users is checked with
// PlainTextAuthProvider.
//
// usage: node interop_cql.js HOST PORT [AUTHPORT]
'use strict';

const assert = require('assert');
const cassandra = require('cassandra-driver');

let checks = 0;
function check(cond, what) {
  assert.ok(cond, what);
  checks++;
}

async function waitFor(cond, what) {
  const deadline = Date.now() + 15000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 50));
  }
  checks++;
}

async function expectError(promise, code, contains) {
  try {
    await promise;
  } catch (e) {
    check(e.code === code, `error code ${e.code}, want ${code}: ${e.message}`);
    check(e.message.includes(contains), `message ${e.message}, want ${contains}`);
    return e;
  }
  throw new Error('expected an error containing ' + contains);
}

async function main() {
  const [host, port, authPort] = process.argv.slice(2);
  const contactPoints = [`${host}:${port}`];
  const client = new cassandra.Client({ contactPoints, localDataCenter: 'datacenter1' });
  await client.connect();
  check(client.controlConnection.protocolVersion === 4, 'protocol v' + client.controlConnection.protocolVersion);
  const local = (await client.execute('SELECT release_version, cluster_name FROM system.local')).first();
  check(local.release_version.startsWith('3.11.'), local.release_version);
  check(client.hosts.length === 1, 'one host');

  await client.execute("CREATE KEYSPACE nodeks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  check(client.metadata.keyspaces.nodeks !== undefined, 'keyspace metadata');
  await client.execute('CREATE TABLE nodeks.items (k int, c int, v text, PRIMARY KEY (k, c))');
  let table = await client.metadata.getTable('nodeks', 'items');
  check(table && table.partitionKeys.map((c) => c.name).join() === 'k', 'partition key');
  check(table.clusteringKeys.map((c) => c.name).join() === 'c', 'clustering key');
  check(table.columns.length === 3, 'columns');
  const e = await expectError(client.execute('CREATE TABLE nodeks.items (k int PRIMARY KEY)'),
    cassandra.types.responseErrorCodes.alreadyExists, 'Cannot add already existing table "items" to keyspace "nodeks"');
  check(e.keyspace === 'nodeks' && e.table === 'items', 'AlreadyExists body');
  await expectError(client.execute('SELECT * FROM nodeks.nope'), cassandra.types.responseErrorCodes.invalid,
    'unconfigured table nope');

  // A schema change reaches the metadata: the driver drops the cached
  // table on the change and reads it again on the next access.
  await client.execute('ALTER TABLE nodeks.items ADD w int');
  await waitFor(async () => {
    table = await client.metadata.getTable('nodeks', 'items');
    return table.columns.some((c) => c.name === 'w');
  }, 'ALTER TABLE ADD in the metadata');

  // Another client sees it through its SCHEMA_CHANGE event.
  const watcher = new cassandra.Client({ contactPoints, localDataCenter: 'datacenter1' });
  await watcher.connect();
  await client.execute('CREATE TABLE nodeks.other (k int PRIMARY KEY)');
  await waitFor(async () => (await watcher.metadata.getTable('nodeks', 'other')) !== null, 'the new table in the other client');
  await watcher.shutdown();

  await data(client);

  await client.execute('DROP KEYSPACE nodeks');
  check(client.metadata.keyspaces.nodeks === undefined, 'DROP KEYSPACE in the metadata');
  await mapperModels(client);
  await client.shutdown();
  if (authPort) await authenticated(host, authPort);
  console.log(`interop_cql_node: ${checks} passed, 0 failed`);
}

async function data(client) {
  // A simple statement: without type hints the driver sends a JS number
  // as a double, so hints say what the columns are.
  await client.execute('INSERT INTO nodeks.items (k, c, v) VALUES (?, ?, ?)', [0, 1, 'simple'], { hints: ['int', 'int', 'text'] });
  await expectError(client.execute('INSERT INTO nodeks.items (k, c, v) VALUES (?, ?, ?)', [0, 2, 'x']),
    cassandra.types.responseErrorCodes.invalid, 'Expected 4 or 0 byte int (8)');
  let row = (await client.execute('SELECT v FROM nodeks.items WHERE k = 0 AND c = 1')).first();
  check(row.v === 'simple', 'simple write and read');

  const params = [];
  for (let k = 1; k <= 100; k++) for (let c = 0; c < 100; c++) params.push([k, c, `v${k}.${c}`]);
  await cassandra.concurrent.executeConcurrent(client, 'INSERT INTO nodeks.items (k, c, v) VALUES (?, ?, ?)', params,
    { prepare: true, concurrencyLevel: 64 });
  row = (await client.execute('SELECT v FROM nodeks.items WHERE k = ? AND c = ?', [42, 7], { prepare: true })).first();
  check(row.v === 'v42.7', 'prepared read');

  // The whole table, 10,001 rows of 101 partitions, 1,000 per page.
  const q = 'SELECT k, c FROM nodeks.items';
  let pageState;
  let rows = 0;
  let pages = 0;
  do {
    const rs = await client.execute(q, [], { prepare: true, fetchSize: 1000, pageState });
    rows += rs.rowLength;
    pages++;
    pageState = rs.pageState;
  } while (pageState);
  check(rows === 10001 && pages >= 11, `paged ${rows} rows in ${pages} pages`);
  // And with automatic paging.
  let streamed = 0;
  await new Promise((resolve, reject) => {
    client.eachRow('SELECT c FROM nodeks.items WHERE k = 5', [], { prepare: true, fetchSize: 7, autoPage: true },
      () => { streamed++; }, (err) => (err ? reject(err) : resolve()));
  });
  check(streamed === 100, `autoPage read ${streamed} rows`);

  await client.batch([
    { query: 'INSERT INTO nodeks.items (k, c, v) VALUES (?, ?, ?)', params: [200, 1, 'b1'] },
    { query: 'INSERT INTO nodeks.items (k, c, v) VALUES (?, ?, ?)', params: [200, 2, 'b2'] },
  ], { prepare: true });
  const vs = (await client.execute('SELECT v FROM nodeks.items WHERE k = 200')).rows.map((r) => r.v);
  check(vs.join() === 'b1,b2', 'batch ' + vs.join());

  // Named parameters of a prepared statement.
  row = (await client.execute('SELECT v FROM nodeks.items WHERE k = :key AND c = :col', { key: 42, col: 8 }, { prepare: true })).first();
  check(row.v === 'v42.8', 'named parameters');

  // A prepared statement whose table gained a column: the server answers
  // Unprepared, the driver prepares it again and reads the new column.
  const star = 'SELECT * FROM nodeks.items WHERE k = ? AND c = ?';
  row = (await client.execute(star, [42, 7], { prepare: true })).first();
  check(Object.keys(row).length === 4, 'columns before ' + Object.keys(row).join());
  await client.execute('ALTER TABLE nodeks.items ADD z text');
  await client.execute("UPDATE nodeks.items SET z = 'zz' WHERE k = 42 AND c = 7");
  row = (await client.execute(star, [42, 7], { prepare: true })).first();
  check(row.z === 'zz', 'prepared again after ALTER TABLE: ' + JSON.stringify(row));

  await types(client);
}

// The driver's object mapper, on models of three tables.
async function mapperModels(client) {
  const { mapping } = cassandra;
  const { q } = mapping;
  await client.execute("CREATE KEYSPACE nodemap WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await client.execute(`CREATE TABLE nodemap.users (user_id uuid PRIMARY KEY, name text, tags set<text>,
    scores list<int>, attrs map<text, text>)`);
  await client.execute('CREATE INDEX ON nodemap.users (name)');
  await client.execute('CREATE TABLE nodemap.posts (author text, posted timeuuid, body text, PRIMARY KEY (author, posted)) WITH CLUSTERING ORDER BY (posted DESC)');
  await client.execute('CREATE TABLE nodemap.views (page text PRIMARY KEY, n counter)');
  const mapper = new mapping.Mapper(client, {
    models: {
      User: { tables: ['users'], keyspace: 'nodemap', mappings: new mapping.UnderscoreCqlToCamelCaseMappings() },
      Post: { tables: ['posts'], keyspace: 'nodemap' },
      View: { tables: ['views'], keyspace: 'nodemap' },
    },
  });
  const users = mapper.forModel('User');
  const posts = mapper.forModel('Post');
  const views = mapper.forModel('View');

  const id = cassandra.types.Uuid.random();
  await users.insert({ userId: id, name: 'ann', tags: ['a', 'b'], scores: [1, 2], attrs: { k: 'v' } });
  let u = await users.get({ userId: id });
  check(u.name === 'ann' && u.tags.join() === 'a,b' && u.scores.join() === '1,2' && u.attrs.k === 'v',
    'insert and get: ' + JSON.stringify(u));
  await users.update({ userId: id, scores: q.append([3]), tags: q.append(['c']) });
  await users.update({ userId: id, scores: q.prepend([0]), tags: q.remove(['a']) });
  await users.update({ userId: id, attrs: q.append({ k2: 'v2' }) });
  u = await users.get({ userId: id });
  check(u.scores.join() === '0,1,2,3', 'list append and prepend: ' + u.scores.join());
  check(u.tags.join() === 'b,c', 'set add and remove: ' + u.tags.join());
  check(u.attrs.k === 'v' && u.attrs.k2 === 'v2', 'map put: ' + JSON.stringify(u.attrs));
  await users.insert({ userId: cassandra.types.Uuid.random(), name: 'bob' });
  // The mapper's find wants the primary key: a query on the index is a
  // mapped custom query.
  const byName = users.mapWithQuery('SELECT * FROM nodemap.users WHERE name = ?', (doc) => [doc.name]);
  const bobs = await byName({ name: 'bob' });
  check(bobs.length === 1 && bobs.first().name === 'bob', 'query on the index');
  check((await users.findAll()).length === 2, 'findAll');

  // Clustering order, slices, order and limit, a batch.
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(cassandra.types.TimeUuid.fromDate(new Date(Date.UTC(2024, 0, 1, 0, 0, i))));
  await mapper.batch(ids.map((p, i) => posts.batching.insert({ author: 'ann', posted: p, body: `post ${i}` })));
  let found = await posts.find({ author: 'ann' });
  check(found.toArray().map((p) => p.body).join() === 'post 4,post 3,post 2,post 1,post 0', 'batch, clustering DESC');
  found = await posts.find({ author: 'ann', posted: q.lt(ids[2]) });
  check(found.toArray().map((p) => p.body).join() === 'post 1,post 0', 'clustering slice');
  found = await posts.find({ author: 'ann' }, { orderBy: { posted: 'asc' }, limit: 2 });
  check(found.toArray().map((p) => p.body).join() === 'post 0,post 1', 'orderBy and limit');
  await posts.remove({ author: 'ann', posted: ids[4] });
  check((await posts.find({ author: 'ann' })).length === 4, 'remove');

  // Counters.
  await views.update({ page: 'home', n: q.incr(2) });
  await views.update({ page: 'home', n: q.decr(1) });
  check((await views.get({ page: 'home' })).n.toString() === '1', 'counter incr and decr');

  // Lightweight transactions.
  let res = await users.insert({ userId: id, name: 'impostor' }, { ifNotExists: true });
  check(!res.wasApplied(), 'ifNotExists not applied');
  res = await users.update({ userId: id, name: 'anne' }, { when: { name: 'ann' } });
  check(res.wasApplied(), 'when applied');
  res = await users.update({ userId: id, name: 'x' }, { when: { name: 'ann' } });
  check(!res.wasApplied() && res.first().name === 'anne', 'when not applied, current value');
  res = await users.update({ userId: cassandra.types.Uuid.random(), name: 'ghost' }, { ifExists: true });
  check(!res.wasApplied(), 'ifExists not applied');
  res = await users.remove({ userId: id }, { ifExists: true });
  check(res.wasApplied() && (await users.get({ userId: id })) === null, 'conditional remove');

  await client.execute('DROP KEYSPACE nodemap');
}

// A server with --users: PlainTextAuthProvider logs in over SASL PLAIN; a
// wrong password and no credentials are refused.
async function authenticated(host, port) {
  const contactPoints = [`${host}:${port}`];
  const ok = new cassandra.Client({ contactPoints, localDataCenter: 'datacenter1',
    authProvider: new cassandra.auth.PlainTextAuthProvider('bob', 'pw') });
  await ok.connect();
  const row = (await ok.execute('SELECT release_version FROM system.local')).first();
  check(row.release_version.startsWith('3.11.'), 'logged in');
  await ok.shutdown();
  const refused = async (authProvider, contains) => {
    const c = new cassandra.Client({ contactPoints, localDataCenter: 'datacenter1', authProvider });
    try {
      await c.connect();
      throw new Error('connected without the right credentials');
    } catch (e) {
      const inner = e.innerErrors ? Object.values(e.innerErrors) : [e];
      check(inner.some((x) => String(x && x.message).includes(contains)), `refused: ${e.message} ${inner.map(String)}`);
    } finally {
      await c.shutdown();
    }
  };
  await refused(new cassandra.auth.PlainTextAuthProvider('bob', 'wrong'), 'Provided username bob and/or password are incorrect');
  await refused(undefined, 'requires authentication');
}

// Every scalar type through the driver's serializers, bound and back.
async function types(client) {
  const t = cassandra.types;
  await client.execute(`CREATE TABLE nodeks.types (k int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean,
    d date, de decimal, db double, f float, i inet, s smallint, tx text, tm time, ts timestamp,
    tu timeuuid, ti tinyint, u uuid, vi varint)`);
  const vals = {
    a: 'ascii', b: t.Long.fromString('-4611686018427387904'), bl: Buffer.from([0, 1, 255]), bo: true,
    d: t.LocalDate.fromString('2024-02-29'), de: t.BigDecimal.fromString('-12345.6789'), db: 2.5, f: 1.5,
    i: t.InetAddress.fromString('10.1.2.3'), s: -32768, tx: 'text ünïcode', tm: t.LocalTime.fromString('13:14:15.123456789'),
    ts: new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 123)), tu: t.TimeUuid.now(), ti: -128, u: t.Uuid.random(),
    vi: t.Integer.fromString('1208925819614629174706176'),
  };
  const cols = Object.keys(vals).sort();
  await client.execute(`INSERT INTO nodeks.types (k, ${cols.join(', ')}) VALUES (?, ${cols.map(() => '?').join(', ')})`,
    [1, ...cols.map((c) => vals[c])], { prepare: true });
  const row = (await client.execute('SELECT * FROM nodeks.types WHERE k = 1')).first();
  for (const c of cols) {
    const got = row[c];
    const want = vals[c];
    const same = want instanceof Date ? got.getTime() === want.getTime()
      : Buffer.isBuffer(want) ? want.equals(got)
        : typeof want === 'object' ? want.toString() === got.toString() : want === got;
    check(same, `${c}: got ${got}, want ${want}`);
  }
}

main().catch((err) => {
  console.error('interop_cql.js: FAILED:', err && err.stack ? err.stack : err);
  process.exit(1);
});
