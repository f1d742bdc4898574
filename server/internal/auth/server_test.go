package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/server/internal/auth"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Password plugs into server.Config as it is, and the server sends its
// messages word for word.
func TestLoginOverThrift(t *testing.T) {
	hash, err := auth.HashPassword([]byte("cassandra"), 4)
	if err != nil {
		t.Fatal(err)
	}
	pw, err := auth.NewPassword(auth.User{Name: "cassandra", Hash: hash})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	srv, err := server.Start(ctx, server.Config{Addr: "127.0.0.1:0", Authenticator: pw})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })

	cfg := &thrift.TConfiguration{ConnectTimeout: 5 * time.Second, SocketTimeout: 30 * time.Second}
	trans := thrift.NewTFramedTransportConf(thrift.NewTSocketConf(srv.Addr(), cfg), cfg)
	if err := trans.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { trans.Close() })
	proto := thrift.NewTBinaryProtocolConf(trans, cfg)
	c := tg.NewCassandraClient(thrift.NewTStandardClient(proto, proto))

	// Before login, schema calls are refused.
	_, err = c.DescribeKeyspaces(ctx)
	var ire *tg.InvalidRequestException
	if !errors.As(err, &ire) || ire.Why != auth.MsgNotLoggedIn {
		t.Fatalf("describe_keyspaces before login: %v, want IRE %q", err, auth.MsgNotLoggedIn)
	}

	login := func(creds map[string]string) error {
		req := tg.NewAuthenticationRequest()
		req.Credentials = creds
		return c.Login(ctx, req)
	}
	for _, tt := range []struct {
		creds map[string]string
		why   string
	}{
		{map[string]string{"password": "cassandra"}, "Required key 'username' is missing"},
		{map[string]string{"username": "cassandra"}, "Required key 'password' is missing for provided username cassandra"},
		{map[string]string{"username": "cassandra", "password": "wrong"}, "Provided username cassandra and/or password are incorrect"},
		{map[string]string{"username": "nobody", "password": "cassandra"}, "Provided username nobody and/or password are incorrect"},
	} {
		err := login(tt.creds)
		var ae *tg.AuthenticationException
		if !errors.As(err, &ae) || ae.Why != tt.why {
			t.Errorf("login(%v) = %v, want AuthenticationException %q", tt.creds, err, tt.why)
		}
	}
	// A failed login leaves the connection usable but still anonymous.
	if _, err := c.DescribeKeyspaces(ctx); !errors.As(err, &ire) {
		t.Fatalf("describe_keyspaces after failed logins: %v", err)
	}
	if err := login(map[string]string{"username": "cassandra", "password": "cassandra"}); err != nil {
		t.Fatalf("login: %v", err)
	}
	if _, err := c.DescribeKeyspaces(ctx); err != nil {
		t.Fatalf("describe_keyspaces after login: %v", err)
	}
}
