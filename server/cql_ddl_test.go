package server_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/datastax/go-cassandra-native-protocol/message"

	"github.com/cassa-go/cassa/server"
)

// schemaVersion reads system.local.schema_version.
func schemaVersion(t testing.TB, c *nativeConn) string {
	t.Helper()
	rows, ok := c.query("SELECT schema_version FROM system.local").(*message.RowsResult)
	if !ok || len(rows.Data) != 1 || len(rows.Data[0][0]) != 16 {
		t.Fatalf("schema_version: %v", rows)
	}
	return fmt.Sprintf("%x", rows.Data[0][0])
}

// Every schema statement answers 3.11's result (Schema_change, or Void
// when IF [NOT] EXISTS changes nothing), publishes 3.11's SCHEMA_CHANGE
// events to registered connections, and changes schema_version exactly
// when it changes the schema (SchemaAlteringStatement,
// MigrationManager, SchemaKeyspace.mergeSchema, Server.EventNotifier).
func TestCQLSchemaChanges(t *testing.T) {
	srv := startCQL(t, server.Config{})
	c := dialNative(t, srv.CQLAddr(), nil)
	c.register()
	other := dialNative(t, srv.CQLAddr(), nil) // registered too: sees every event
	other.register()
	quiet := dialNative(t, srv.CQLAddr(), nil) // not registered: sees none

	type ev = string // "CHANGE TARGET keyspace object"
	steps := []struct {
		stmt   string
		result string // "" for Void, "SET ks" for Set_keyspace
		events []ev
	}{
		{"CREATE KEYSPACE ks1 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
			"CREATED KEYSPACE ks1 ", []ev{"CREATED KEYSPACE ks1 "}},
		{"CREATE KEYSPACE IF NOT EXISTS ks1 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}", "", nil},
		{"ALTER KEYSPACE ks1 WITH durable_writes = false", "UPDATED KEYSPACE ks1 ", []ev{"UPDATED KEYSPACE ks1 "}},
		// The statement is answered as a change, but nothing changed: no event.
		{"ALTER KEYSPACE ks1 WITH durable_writes = false", "UPDATED KEYSPACE ks1 ", nil},
		{"USE ks1", "SET ks1", nil},
		{"CREATE TYPE addr (street text, zip int)", "CREATED TYPE ks1 addr", []ev{"CREATED TYPE ks1 addr"}},
		{"CREATE TYPE IF NOT EXISTS addr (street text)", "", nil},
		{"ALTER TYPE addr ADD city text", "UPDATED TYPE ks1 addr", []ev{"UPDATED TYPE ks1 addr"}},
		{"CREATE TABLE t (k int, c text, v text, w int, l list<int>, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)",
			"CREATED TABLE ks1 t", []ev{"CREATED TABLE ks1 t"}},
		{"CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY)", "", nil},
		{"ALTER TABLE t ADD x int", "UPDATED TABLE ks1 t", []ev{"UPDATED TABLE ks1 t"}},
		{"ALTER TABLE t WITH comment = 'hello' AND gc_grace_seconds = 10", "UPDATED TABLE ks1 t", []ev{"UPDATED TABLE ks1 t"}},
		{"ALTER TABLE t RENAME c TO c2", "UPDATED TABLE ks1 t", []ev{"UPDATED TABLE ks1 t"}},
		{"ALTER TABLE t DROP x", "UPDATED TABLE ks1 t", []ev{"UPDATED TABLE ks1 t"}},
		{"CREATE INDEX ON t (v)", "UPDATED TABLE ks1 t", []ev{"UPDATED TABLE ks1 t"}},
		{"CREATE INDEX IF NOT EXISTS t_v_idx ON t (v)", "", nil},
		{"CREATE INDEX li ON ks1.t (l)", "UPDATED TABLE ks1 t", []ev{"UPDATED TABLE ks1 t"}},
		{"DROP INDEX t_v_idx", "UPDATED TABLE ks1 t", []ev{"UPDATED TABLE ks1 t"}},
		{"DROP INDEX IF EXISTS t_v_idx", "", nil},
		{"CREATE TABLE u (k int PRIMARY KEY, a frozen<addr>)", "CREATED TABLE ks1 u", []ev{"CREATED TABLE ks1 u"}},
		// ALTER TYPE rewrites every table using the type (AlterTypeStatement).
		{"ALTER TYPE addr RENAME zip TO postcode", "UPDATED TYPE ks1 addr",
			[]ev{"UPDATED TYPE ks1 addr", "UPDATED TABLE ks1 u"}},
		{"TRUNCATE t", "", nil},
		{"TRUNCATE TABLE ks1.u", "", nil},
		{"DROP TABLE t", "DROPPED TABLE ks1 t", []ev{"DROPPED TABLE ks1 t"}},
		{"DROP TABLE IF EXISTS t", "", nil},
		{"CREATE TYPE ks1.unused (a int)", "CREATED TYPE ks1 unused", []ev{"CREATED TYPE ks1 unused"}},
		{"DROP TYPE unused", "DROPPED TYPE ks1 unused", []ev{"DROPPED TYPE ks1 unused"}},
		{"DROP TYPE IF EXISTS unused", "", nil},
		// DROP KEYSPACE drops its tables and types first (SchemaKeyspace.mergeSchema).
		{"DROP KEYSPACE ks1", "DROPPED KEYSPACE ks1 ",
			[]ev{"DROPPED TABLE ks1 u", "DROPPED TYPE ks1 addr", "DROPPED KEYSPACE ks1 "}},
		{"DROP KEYSPACE IF EXISTS ks1", "", nil},
	}
	var want []ev
	for _, st := range steps {
		before := schemaVersion(t, quiet)
		var got string
		switch m := c.query(st.stmt).(type) {
		case *message.VoidResult:
		case *message.SetKeyspaceResult:
			got = "SET " + m.Keyspace
		case *message.SchemaChangeResult:
			got = fmt.Sprintf("%s %s %s %s", m.ChangeType, m.Target, m.Keyspace, m.Object)
		default:
			t.Fatalf("%s: %v", st.stmt, m)
		}
		if got != st.result {
			t.Errorf("%s: result %q, want %q", st.stmt, got, st.result)
		}
		after := schemaVersion(t, quiet)
		if changed := before != after; changed != (len(st.events) > 0) {
			t.Errorf("%s: schema_version %s -> %s", st.stmt, before, after)
		}
		want = append(want, st.events...)
	}
	// A last change whose event marks the end: the events before it are
	// all there were, in the order they were raised.
	c.query("CREATE KEYSPACE last WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	want = append(want, "CREATED KEYSPACE last ")
	for _, conn := range []*nativeConn{c, other} {
		var got []ev
		for len(got) < len(want) {
			e := conn.event()
			got = append(got, fmt.Sprintf("%s %s %s %s", e.ChangeType, e.Target, e.Keyspace, e.Object))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("events:\n got %q\nwant %q", got, want)
		}
	}
	select {
	case f := <-quiet.events:
		t.Errorf("unregistered connection got %v", f.Body.Message)
	default:
	}
}

// Schema changes and reads of the schema run concurrently from many
// connections (and many requests on each): every statement is answered,
// and the registered connection sees every change.
func TestCQLConcurrentSchemaChanges(t *testing.T) {
	srv := startCQL(t, server.Config{})
	watcher := dialNative(t, srv.CQLAddr(), nil)
	watcher.register()
	const writers, rounds = 4, 10
	var wg sync.WaitGroup
	errs := make(chan string, 1000)
	for w := 0; w < writers; w++ {
		c := dialNative(t, srv.CQLAddr(), nil) // dialled here: it may fail the test
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			ks := fmt.Sprintf("cks%d", w)
			if _, ok := c.query("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").(*message.SchemaChangeResult); !ok {
				errs <- "create keyspace " + ks
				return
			}
			for r := 0; r < rounds; r++ {
				for _, q := range []string{
					fmt.Sprintf("CREATE TABLE %s.t%d (k int PRIMARY KEY, v text)", ks, r),
					fmt.Sprintf("ALTER TABLE %s.t%d ADD w int", ks, r),
					fmt.Sprintf("DROP TABLE %s.t%d", ks, r),
				} {
					if _, ok := c.query(q).(*message.SchemaChangeResult); !ok {
						errs <- q
					}
				}
			}
		}(w)
	}
	for r := 0; r < 4; r++ {
		c := dialNative(t, srv.CQLAddr(), nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			var inner sync.WaitGroup
			for i := 0; i < 20; i++ {
				inner.Add(1)
				go func() { // requests multiplexed on one connection
					defer inner.Done()
					if _, ok := c.query("SELECT keyspace_name, table_name, column_name FROM system_schema.columns").(*message.RowsResult); !ok {
						errs <- "read system_schema.columns"
					}
				}()
			}
			inner.Wait()
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// 1 keyspace + 3 changes per round, per writer.
	for i := 0; i < writers*(1+3*rounds); i++ {
		watcher.event()
	}
}

// Schema changes made over CQL go through the commit log: a durable
// server started again on its data directory has them.
func TestCQLSchemaChangesAreDurable(t *testing.T) {
	dir := t.TempDir()
	cfg := server.Config{DataDir: dir, CommitLogSync: "batch"}
	srv, err := server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := dialNative(t, srv.CQLAddr(), nil)
	for _, q := range []string{
		"CREATE KEYSPACE dur WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE dur.t (k int PRIMARY KEY, v text, gone int)",
		"ALTER TABLE dur.t DROP gone",
		"CREATE INDEX ON dur.t (v)",
	} {
		if _, ok := c.query(q).(*message.SchemaChangeResult); !ok {
			t.Fatal(q)
		}
	}
	version := schemaVersion(t, c)
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv = startCQL(t, cfg)
	c = dialNative(t, srv.CQLAddr(), nil)
	if v := schemaVersion(t, c); v != version {
		t.Errorf("schema_version %s after restart, %s before", v, version)
	}
	rows, ok := c.query("SELECT index_name FROM system_schema.indexes WHERE keyspace_name = 'dur' AND table_name = 't'").(*message.RowsResult)
	if !ok || len(rows.Data) != 1 || string(rows.Data[0][0]) != "t_v_idx" {
		t.Errorf("index after restart: %v", rows)
	}
	rows, ok = c.query("SELECT column_name FROM system_schema.dropped_columns WHERE keyspace_name = 'dur'").(*message.RowsResult)
	if !ok || len(rows.Data) != 1 || string(rows.Data[0][0]) != "gone" {
		t.Errorf("dropped column after restart: %v", rows)
	}
}
