// CQL interop check for cassa's embedded server with the DataStax Node.js
// driver (npm cassandra-driver 4.10.0). Run by scripts/interop.sh with
// NODE_PATH pointing at the driver, installed outside the repository.
//
// The driver connects with its defaults (localDataCenter is the one
// setting it requires), creates a keyspace and a table, writes and reads
// them with simple and prepared statements, pages 10,000 rows, and sees
// schema changes in its metadata.
//
// usage: node interop_cql.js HOST PORT
// CASSA_INTEROP_CQL_DML=0 skips the parts that write and read table data.
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
  const [host, port] = process.argv.slice(2);
  const dml = process.env.CASSA_INTEROP_CQL_DML !== '0';
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

  if (dml) await data(client);

  await client.execute('DROP KEYSPACE nodeks');
  check(client.metadata.keyspaces.nodeks === undefined, 'DROP KEYSPACE in the metadata');
  await client.shutdown();
  if (!dml) console.log('interop_cql.js: data statements skipped (CASSA_INTEROP_CQL_DML=0)');
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
}

main().catch((err) => {
  console.error('interop_cql.js: FAILED:', err && err.stack ? err.stack : err);
  process.exit(1);
});
