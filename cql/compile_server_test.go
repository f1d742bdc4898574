package cql_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cql"
)

// divergences50 are the refusals whose message Cassandra 5.0 words
// differently from 3.11 (the version whose messages Compile gives): the
// start of 5.0's message. The server must still refuse.
var divergences50 = map[string]string{
	"reversed with an index": "ORDER BY with 2ndary indexes is not supported, except for ANN queries.",
	"undefined column":       "Undefined column name nope in table ",
	"undefined projection":   "Undefined column name nope in table ",
}

// TestCompileAgainstServer sends what Compile renders for every case to a
// real node, without Compile's checks: the statements Compile accepts must
// run, and those it refuses must be refused by the server too, with the
// same message (except where Cassandra 4.0 and later changed the rule).
func TestCompileAgainstServer(t *testing.T) {
	db, _ := openTest(t, cql.Config{}, timelineSchema...)
	ctx := testCtx(t)

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
	if _, err := db.Table(ctx, "", "nosuch"); !errors.As(err, new(*cassa.InvalidRequestError)) {
		t.Errorf("Table of a missing table: %v", err)
	}

	for _, tc := range compileCases {
		t.Run(tc.name, func(t *testing.T) {
			st, refused, err := cql.RenderForServer(read, tc.q)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			serr := db.Exec(ctx, st.CQL, st.Args...)
			switch {
			case tc.why == "":
				if serr != nil {
					t.Errorf("%s: the server refused what Compile accepts: %v", st.CQL, serr)
				}
			case tc.laterAccepts:
				if serr != nil {
					t.Errorf("%s: Cassandra 5.0 accepts this; the server said %v", st.CQL, serr)
				}
				if refused == nil {
					t.Errorf("Compile did not refuse %s", st.CQL)
				}
			default:
				var ire *cassa.InvalidRequestError
				if !errors.As(serr, &ire) {
					t.Fatalf("%s: the server answered %v; Compile refuses it with %q", st.CQL, serr, tc.why)
				}
				want, got := tc.why, ire.Why
				if d, ok := divergences50[tc.name]; ok {
					want, got = d, got[:min(len(got), len(d))]
				}
				if got != want {
					t.Errorf("%s: the server refused with\n  %q\nCompile with\n  %q", st.CQL, ire.Why, want)
				}
			}
		})
	}
}
