package cql_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cql"
)

// TestCompileAgainstServer sends what Compile renders for every case to
// the test server, without Compile's checks: the statements Compile
// accepts must run, and those it refuses must be refused by the server
// too, with the same message. Compile gives Cassandra 3.11's messages, as
// the embedded server does; where a later Cassandra answers otherwise
// (the case's later field, with the change that made it so), the server's
// release_version decides which answer to expect.
func TestCompileAgainstServer(t *testing.T) {
	db, ks := openTest(t, cql.Config{}, timelineSchema...)
	ctx := testCtx(t)
	version := releaseVersion(t, db)

	read, err := db.Table(ctx, "", "timeline")
	if err != nil {
		t.Fatal(err)
	}
	want := timeline()
	want.Partitioner = read.Partitioner
	if !reflect.DeepEqual(read, want) {
		t.Errorf("Session.Table =\n  %+v\nwant\n  %+v", read, want)
	}
	if read.Partitioner != "org.apache.cassandra.dht.Murmur3Partitioner" {
		t.Errorf("partitioner %q", read.Partitioner)
	}
	var unknown *cassa.UnknownTableError
	if _, err := db.Table(ctx, "", "nosuch"); !errors.As(err, new(*cassa.InvalidRequestError)) ||
		!errors.As(err, &unknown) || unknown.Keyspace != ks || unknown.Table != "nosuch" {
		t.Errorf("Table of a missing table: %v", err)
	}
	if _, err := db.Table(ctx, "nosuch_ks", "timeline"); !errors.As(err, &unknown) || unknown.Keyspace != "nosuch_ks" || unknown.Table != "" ||
		err.Error() != "cassa: unknown keyspace nosuch_ks" {
		t.Errorf("Table in a missing keyspace: %v", err)
	}
	if _, err := db.Table(ctx, "", ""); !errors.Is(err, cassa.ErrInvalidArgument) {
		t.Errorf("Table without a name: %v", err)
	}

	for _, tc := range compileCases {
		t.Run(tc.name, func(t *testing.T) {
			st, refused, err := cql.RenderForServer(read, tc.q)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			if tc.why != "" && refused == nil {
				t.Errorf("Compile did not refuse %s", st.CQL)
			}
			serr := db.Exec(ctx, st.CQL, st.Args...)
			accepts, why, cite := tc.why == "" || tc.serverAccepts != "", tc.why, "Cassandra 3.11"
			if l := tc.later; l != nil && versionAtLeast(version, l.since) {
				accepts, why = l.accepts, strings.ReplaceAll(l.why, "{ks}", ks)
				cite = "Cassandra " + l.since + ", " + l.change
			}
			if accepts {
				if serr != nil {
					t.Errorf("%s: %s (%s) runs this; the server refused it: %v", st.CQL, version, cite, serr)
				}
				return
			}
			var ire *cassa.InvalidRequestError
			if !errors.As(serr, &ire) {
				t.Fatalf("%s: the server answered %v; %s refuses it with %q", st.CQL, serr, cite, why)
			}
			if ire.Why != why {
				t.Errorf("%s: the server (%s) refused with\n  %q\n%s refuses with\n  %q", st.CQL, version, ire.Why, cite, why)
			}
		})
	}
}

// releaseVersion reads the server's release_version from system.local.
func releaseVersion(t *testing.T, db *cql.Session) string {
	t.Helper()
	row, err := db.Get(testCtx(t), "SELECT release_version FROM system.local")
	if err != nil {
		t.Fatalf("release_version: %v", err)
	}
	var v string
	if err := row.Scan(&v); err != nil {
		t.Fatalf("release_version: %v", err)
	}
	return v
}

// versionAtLeast compares a release_version ("5.0.9", "3.11.17") with a
// major.minor ("4.0").
func versionAtLeast(version, since string) bool {
	parse := func(s string) (int, int) {
		parts := strings.SplitN(s, ".", 3)
		major, _ := strconv.Atoi(parts[0])
		minor := 0
		if len(parts) > 1 {
			minor, _ = strconv.Atoi(strings.TrimFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }))
		}
		return major, minor
	}
	vm, vn := parse(version)
	sm, sn := parse(since)
	return vm > sm || vm == sm && vn >= sn
}
