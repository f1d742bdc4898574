package cql_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/server"
)

// selfSigned makes a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cassa test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots
}

// A session opens over TLS with PasswordAuthenticator's login, as Config
// sets them; a wrong password is a *cassa.AuthenticationError, and a
// client that does not trust the server's certificate does not connect.
func TestOpenTLSAndPassword(t *testing.T) {
	if cassatest.CQLHostsFromEnv() != nil {
		t.Skip("needs an embedded server with TLS and a password authenticator")
	}
	hash, err := server.HashPassword("secret")
	if err != nil {
		t.Fatal(err)
	}
	users, err := server.PasswordUsers(map[string]string{"alice": hash})
	if err != nil {
		t.Fatal(err)
	}
	cert, roots := selfSigned(t)
	ctx := testCtx(t)
	srv, err := server.Start(ctx, server.Config{Authenticator: users,
		TLS: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	hosts := []string{srv.CQLAddr()}
	clientTLS := &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}

	db, err := cql.Open(ctx, cql.Config{Hosts: hosts, TLS: clientTLS, Username: "alice", Password: "secret"})
	if err != nil {
		t.Fatalf("open over TLS with a login: %v", err)
	}
	defer db.Close(context.Background())
	row, err := db.Get(ctx, "SELECT release_version FROM system.local")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := cql.Col[string](row, "release_version"); err != nil || v == "" {
		t.Fatalf("release_version %q, %v", v, err)
	}

	_, err = cql.Open(ctx, cql.Config{Hosts: hosts, TLS: clientTLS, Username: "alice", Password: "wrong"})
	var ae *cassa.AuthenticationError
	if !errors.As(err, &ae) {
		t.Fatalf("wrong password: %v (%T)", err, err)
	}
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := cql.Open(short, cql.Config{Hosts: hosts, TLS: &tls.Config{MinVersion: tls.VersionTLS12}, Username: "alice", Password: "secret"}); err == nil {
		t.Fatal("connected to a server whose certificate it does not trust")
	}
}
