package server_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// The session: login, set_keyspace, trace_next_query and the CQL methods,
// and the checks every data method starts with (session keyspace, table,
// login), in Cassandra's order.

func TestThriftSessionMethods(t *testing.T) {
	c := dtestClient(t, server.Config{})
	// AllowAll: any credentials log in.
	must(t, c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{"username": "x", "password": "y"}}))
	mustIRE(t, c.SetKeyspace(ctx, "keyspace1"), "Keyspace 'keyspace1' does not exist")
	// The failed set_keyspace kept the previous keyspace.
	_, err := c.GetSlice(ctx, []byte("k"), parent("Standard1"), columnRange("", "", false, 1), ONE)
	must(t, err)
	fresh := dial(t, c.addr)
	_, err = fresh.GetSlice(ctx, []byte("k"), parent("Standard1"), columnRange("", "", false, 1), ONE)
	mustIRE(t, err, "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
	must(t, fresh.SetKeyspace(ctx, "Keyspace2"))
	_, err = fresh.GetSlice(ctx, []byte("k"), parent("Standard2"), columnRange("", "", false, 1), ONE)
	mustIRE(t, err, "unconfigured table Standard2")
	_, err = fresh.GetSlice(ctx, []byte("k"), parent(""), columnRange("", "", false, 1), ONE)
	mustIRE(t, err, "non-empty table is required")
	// Session state is per connection.
	_, err = c.GetSlice(ctx, []byte("k"), parent("Standard2"), columnRange("", "", false, 1), ONE)
	must(t, err)

	id, err := c.TraceNextQuery(ctx)
	must(t, err)
	u, err := uuid.FromBytes(id)
	must(t, err)
	if u.Version() != 1 {
		t.Fatalf("trace id %v is not a time UUID", u)
	}
	id2, _ := c.TraceNextQuery(ctx)
	if string(id) == string(id2) {
		t.Fatal("trace ids repeat")
	}
}

func TestThriftAuthenticatorHook(t *testing.T) {
	c, _ := startAndDial(t, server.Config{Authenticator: passwordAuth{}})
	// Before login set_keyspace does not check existence...
	must(t, c.SetKeyspace(ctx, "NoSuchKeyspace"))
	_, err := c.DescribeKeyspaces(ctx)
	mustIRE(t, err, "You have not logged in")
	_, err = c.SystemAddKeyspace(ctx, ksDef("K", simple, rf1, cfDef("K", "cf")))
	mustIRE(t, err, "You have not logged in")
	err = c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{"password": "x"}})
	var ae *tg.AuthenticationException
	if !errors.As(err, &ae) || ae.Why != "Required key 'username' is missing" {
		t.Fatalf("login without username: %v", err)
	}
	err = c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{"username": "cassandra", "password": "nope"}})
	if !errors.As(err, &ae) || ae.Why != "Provided username cassandra and/or password are incorrect" {
		t.Fatalf("bad password: %v", err)
	}
	must(t, c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{"username": "cassandra", "password": "cassandra"}}))
	_, err = c.SystemAddKeyspace(ctx, ksDef("K", simple, rf1, cfDef("K", "cf")))
	must(t, err)
	mustIRE(t, c.SetKeyspace(ctx, "Nope"), "Keyspace 'Nope' does not exist")
	must(t, c.SetKeyspace(ctx, "K"))
	c.insert(t, "k", parent("cf"), col("c", "v", 1))
	// Data calls on an unauthenticated connection.
	other := dial(t, c.addr)
	must(t, other.SetKeyspace(ctx, "K"))
	_, err = other.GetSlice(ctx, []byte("k"), parent("cf"), columnRange("", "", false, 1), ONE)
	mustIRE(t, err, "You have not logged in")
}

func TestThriftLoginCheckComesAfterTableLookup(t *testing.T) {
	// ClientState.hasColumnFamilyAccess validates the table before
	// hasAccess checks the login (validateLogin).
	c, srv := startAndDial(t, server.Config{Authenticator: passwordAuth{}})
	must(t, c.Login(ctx, &tg.AuthenticationRequest{Credentials: map[string]string{"username": "cassandra", "password": "cassandra"}}))
	_, err := c.SystemAddKeyspace(ctx, ksDef("K", simple, rf1, cfDef("K", "cf")))
	must(t, err)
	anon := dial(t, srv.Addr())
	must(t, anon.SetKeyspace(ctx, "Missing")) // not checked before login
	runErrCases(t, []errCase{
		{"missing keyspace before login", func() error {
			_, err := anon.GetSlice(ctx, []byte("k"), parent("cf"), names("a"), ONE)
			return err
		}, "Keyspace Missing does not exist"},
	})
	must(t, anon.SetKeyspace(ctx, "K"))
	runErrCases(t, []errCase{
		{"unknown table before login", func() error {
			_, err := anon.GetSlice(ctx, []byte("k"), parent("nope"), names("a"), ONE)
			return err
		}, "unconfigured table nope"},
		{"batch: unknown table before login", func() error {
			return anon.BatchMutate(ctx, mutationMap{"k": {"nope": {}}}, ONE)
		}, "unconfigured table nope"},
		{"known table needs login", func() error {
			_, err := anon.GetSlice(ctx, []byte("k"), parent("cf"), names("a"), ONE)
			return err
		}, "You have not logged in"},
		{"insert needs login before validation", func() error {
			return anon.Insert(ctx, []byte{}, parent("cf"), col("", "v", 1), ONE)
		}, "You have not logged in"},
		{"truncate needs login", func() error { return anon.Truncate(ctx, "cf") }, "You have not logged in"},
		{"describe_keyspace needs login", func() error {
			_, err := anon.DescribeKeyspace(ctx, "K")
			return err
		}, "You have not logged in"},
	})
	// describe_ring, describe_version and friends need no login.
	_, err = anon.DescribeRing(ctx, "K")
	must(t, err)
	_, err = anon.DescribeVersion(ctx)
	must(t, err)
}

func TestThriftCheckOrderSession(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	noKs := "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename"
	runErrCases(t, []errCase{
		{"get/no ks+bad path", func() error {
			_, err := c.Get(ctx, nil, &tg.ColumnPath{}, tg.ConsistencyLevel_ANY)
			return err
		}, noKs},
		{"insert/no ks", func() error { return c.Insert(ctx, nil, parent(""), &tg.Column{}, ONE) }, noKs},
		{"batch/no ks", func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {{}}}}, ONE)
		}, noKs},
		{"truncate/no ks", func() error { return c.Truncate(ctx, "x") }, noKs},
		{"add_cf/no ks", func() error {
			_, err := c.SystemAddColumnFamily(ctx, cfDef("Nope", "cf"))
			return err
		}, noKs},
		{"drop_cf/no ks", func() error {
			_, err := c.SystemDropColumnFamily(ctx, "cf")
			return err
		}, noKs},
		{"splits/no ks", func() error {
			_, err := c.DescribeSplitsEx(ctx, "cf", "0", "0", 10)
			return err
		}, noKs},
		{"set_keyspace/unknown", func() error { return c.SetKeyspace(ctx, "Nope") }, "Keyspace 'Nope' does not exist"},
	})
	// A keyspace that does not exist after set_keyspace cannot happen under
	// AllowAll, but one dropped later gives the table check's wording.
	_, err := c.SystemAddKeyspace(ctx, ksDef("Gone", simple, rf1, cfDef("Gone", "cf")))
	must(t, err)
	must(t, c.SetKeyspace(ctx, "Gone"))
	_, err = c.SystemDropKeyspace(ctx, "Gone")
	must(t, err)
	_, err = c.Get(ctx, []byte("k"), colPath("cf", "c"), ONE)
	mustIRE(t, err, "Keyspace Gone does not exist")
	_, err = c.GetSlice(ctx, []byte("k"), parent(""), names("c"), ONE)
	mustIRE(t, err, "Keyspace Gone does not exist")
}

func TestThriftCQLMethods(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	// Cassandra 3.11's CassandraServer (the message says 3.0 there).
	const cql2 = "CQL2 has been removed in Cassandra 3.0. Please use CQL3 instead"
	_, err := c.ExecuteCqlQuery(ctx, []byte("SELECT * FROM x"), tg.Compression_NONE)
	mustIRE(t, err, cql2)
	_, err = c.PrepareCqlQuery(ctx, []byte("SELECT * FROM x"), tg.Compression_NONE)
	mustIRE(t, err, cql2)
	_, err = c.ExecutePreparedCqlQuery(ctx, 1, nil)
	mustIRE(t, err, cql2)
	for _, call := range []func() error{
		func() error {
			_, err := c.ExecuteCql3Query(ctx, []byte("SELECT * FROM x"), tg.Compression_NONE, ONE)
			return err
		},
		func() error { _, err := c.PrepareCql3Query(ctx, []byte("SELECT 1"), tg.Compression_NONE); return err },
		func() error { _, err := c.ExecutePreparedCql3Query(ctx, 1, nil, ONE); return err },
	} {
		var e *tg.InvalidRequestException
		if err := call(); !errors.As(err, &e) || !strings.Contains(e.Why, "CQL over Thrift is not supported") {
			t.Fatalf("CQL3: %v", err)
		}
	}
	must(t, c.SetCqlVersion(ctx, "3.0.0"))
}
