package server_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
	"github.com/cassa-go/cassa/server/internal/auth"
	tg "github.com/cassa-go/cassa/thriftgen"
)

func creds(user, pw string) *tg.AuthenticationRequest {
	m := map[string]string{}
	if user != "" {
		m["username"] = user
	}
	if pw != "" {
		m["password"] = pw
	}
	return &tg.AuthenticationRequest{Credentials: m}
}

func mustAuthErr(t *testing.T, err error, why string) {
	t.Helper()
	var e *tg.AuthenticationException
	if !errors.As(err, &e) || e.Why != why {
		t.Fatalf("want AuthenticationException %q, got %v (%T)", why, err, err)
	}
}

func passwordServer(t *testing.T) *server.Server {
	t.Helper()
	h, err := auth.HashPassword([]byte("secret"), 4) // low cost: fast tests
	must(t, err)
	a, err := server.PasswordUsers(map[string]string{"alice": h})
	must(t, err)
	return cassatest.Start(t, cassatest.WithConfig(server.Config{Authenticator: a, Partitioner: "ByteOrderedPartitioner"})).Embedded()
}

func TestAuthRefusesEverythingBeforeLogin(t *testing.T) {
	srv := passwordServer(t)
	admin := dial(t, srv.Addr())
	must(t, admin.Login(ctx, creds("alice", "secret")))
	_, err := admin.SystemAddKeyspace(ctx, dtestSchema()[0])
	must(t, err)

	c := dial(t, srv.Addr())
	// Cassandra does not check the keyspace before login.
	must(t, c.SetKeyspace(ctx, "Keyspace1"))
	notLoggedIn := auth.MsgNotLoggedIn
	calls := map[string]func() error{
		"get_slice": func() error {
			_, err := c.GetSlice(ctx, []byte("k"), parent("Standard1"), columnRange("", "", false, 10), ONE)
			return err
		},
		"get": func() error { _, err := c.Get(ctx, []byte("k"), colPath("Standard1", "c"), ONE); return err },
		"get_range_slices": func() error {
			_, err := c.GetRangeSlices(ctx, parent("Standard1"), columnRange("", "", false, 10), keyRange("", "", 10), ONE)
			return err
		},
		"insert": func() error { return c.Insert(ctx, []byte("k"), parent("Standard1"), col("c", "v", 1), ONE) },
		"add": func() error {
			return c.Add(ctx, []byte("k"), parent("Counter1"), &tg.CounterColumn{Name: []byte("n"), Value: 1}, ONE)
		},
		"remove": func() error { return c.Remove(ctx, []byte("k"), colPath("Standard1", "c"), 1, ONE) },
		"batch_mutate": func() error {
			return c.BatchMutate(ctx, mutationMap{"k": {"Standard1": {mutCol(col("c", "v", 1))}}}, ONE)
		},
		"truncate":           func() error { return c.Truncate(ctx, "Standard1") },
		"describe_keyspaces": func() error { _, err := c.DescribeKeyspaces(ctx); return err },
		"describe_keyspace":  func() error { _, err := c.DescribeKeyspace(ctx, "Keyspace1"); return err },
		"system_add_keyspace": func() error {
			_, err := c.SystemAddKeyspace(ctx, &tg.KsDef{Name: "x", StrategyClass: "SimpleStrategy", CfDefs: []*tg.CfDef{}})
			return err
		},
		"system_drop_keyspace": func() error { _, err := c.SystemDropKeyspace(ctx, "Keyspace1"); return err },
		"system_add_column_family": func() error {
			d := tg.NewCfDef()
			d.Keyspace, d.Name = "Keyspace1", "New"
			_, err := c.SystemAddColumnFamily(ctx, d)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { mustIRE(t, call(), notLoggedIn) })
	}
	// Metadata that Cassandra serves without a login.
	_, err = c.DescribeVersion(ctx)
	must(t, err)
	_, err = c.DescribeClusterName(ctx)
	must(t, err)

	// Cassandra 3.11's PasswordAuthenticator.legacyAuthenticate and
	// authenticate name the user.
	mustAuthErr(t, c.Login(ctx, creds("alice", "wrong")), "Provided username alice and/or password are incorrect")
	mustAuthErr(t, c.Login(ctx, creds("bob", "secret")), "Provided username bob and/or password are incorrect")
	mustAuthErr(t, c.Login(ctx, creds("", "secret")), auth.MsgMissingKey("username"))
	mustAuthErr(t, c.Login(ctx, creds("alice", "")), "Required key 'password' is missing for provided username alice")
	mustIRE(t, calls["insert"](), notLoggedIn) // failed logins change nothing

	must(t, c.Login(ctx, creds("alice", "secret")))
	must(t, calls["insert"]())
	must(t, calls["get_slice"]())
	_, err = c.DescribeKeyspaces(ctx)
	must(t, err)

	// The login belongs to the connection: a new one starts logged out.
	c2 := dial(t, srv.Addr())
	must(t, c2.SetKeyspace(ctx, "Keyspace1"))
	mustIRE(t, c2.Insert(ctx, []byte("k"), parent("Standard1"), col("c", "v", 1), ONE), notLoggedIn)
}

func TestHashPassword(t *testing.T) {
	h, err := server.HashPassword("pw")
	must(t, err)
	a, err := server.PasswordUsers(map[string]string{"u": h})
	must(t, err)
	if _, err := a.Authenticate(map[string]string{"username": "u", "password": "pw"}); err != nil {
		t.Fatalf("login with the hashed password: %v", err)
	}
	if _, err := server.PasswordUsers(map[string]string{"u": "pw"}); err == nil {
		t.Fatal("a plaintext password was accepted as a hash")
	}
}

func TestLoadUsersFile(t *testing.T) {
	h, err := auth.HashPassword([]byte("pw"), 4)
	must(t, err)
	dir := t.TempDir()
	good := filepath.Join(dir, "users")
	must(t, os.WriteFile(good, []byte("# users\nbob:"+h+"\n"), 0o600))
	a, err := server.LoadUsersFile(good)
	must(t, err)
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{Authenticator: a})).Embedded()
	c := dial(t, srv.Addr())
	must(t, c.Login(ctx, creds("bob", "pw")))

	bad := filepath.Join(dir, "plain")
	must(t, os.WriteFile(bad, []byte("bob:pw\n"), 0o600))
	if _, err := server.LoadUsersFile(bad); !errors.Is(err, auth.ErrPlaintextPassword) {
		t.Fatalf("plaintext password accepted or wrong error: %v", err)
	}
}

// testPKI is a CA with a server certificate for 127.0.0.1 and a client
// certificate, as PEM files.
type testPKI struct {
	caPool                                   *x509.CertPool
	caFile, srvCert, srvKey, cliCert, cliKey string
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	dir := t.TempDir()
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
		return p
	}
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		must(t, err)
		return k
	}
	keyDER := func(k *ecdsa.PrivateKey) []byte {
		b, err := x509.MarshalPKCS8PrivateKey(k)
		must(t, err)
		return b
	}
	now := time.Now()
	caKey := key()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cassa test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	must(t, err)
	ca, err := x509.ParseCertificate(caDER)
	must(t, err)
	leaf := func(serial int64, cn string, usage x509.ExtKeyUsage) ([]byte, *ecdsa.PrivateKey) {
		k := key()
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
			ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &k.PublicKey, caKey)
		must(t, err)
		return der, k
	}
	sDER, sKey := leaf(2, "127.0.0.1", x509.ExtKeyUsageServerAuth)
	cDER, cKey := leaf(3, "client", x509.ExtKeyUsageClientAuth)
	p := &testPKI{caPool: x509.NewCertPool()}
	p.caPool.AddCert(ca)
	p.caFile = write("ca.pem", "CERTIFICATE", caDER)
	p.srvCert = write("server.pem", "CERTIFICATE", sDER)
	p.srvKey = write("server.key", "PRIVATE KEY", keyDER(sKey))
	p.cliCert = write("client.pem", "CERTIFICATE", cDER)
	p.cliKey = write("client.key", "PRIVATE KEY", keyDER(cKey))
	return p
}

// dialTLS connects a generated client over TLS.
func dialTLS(t *testing.T, addr string, cfg *tls.Config) *tg.CassandraClient {
	t.Helper()
	tc := &thrift.TConfiguration{ConnectTimeout: 5 * time.Second, SocketTimeout: 10 * time.Second, TLSConfig: cfg}
	trans := thrift.NewTFramedTransportConf(thrift.NewTSSLSocketConf(addr, tc), tc)
	must(t, trans.Open())
	t.Cleanup(func() { trans.Close() })
	proto := thrift.NewTBinaryProtocolConf(trans, tc)
	return tg.NewCassandraClient(thrift.NewTStandardClient(proto, proto))
}

func TestTLS(t *testing.T) {
	pki := newTestPKI(t)
	cfg, err := server.LoadTLSConfig(pki.srvCert, pki.srvKey, "")
	must(t, err)
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{TLS: cfg})).Embedded()
	c := dialTLS(t, srv.Addr(), &tls.Config{RootCAs: pki.caPool})
	v, err := c.DescribeVersion(ctx)
	must(t, err)
	if v != server.Version {
		t.Fatalf("describe_version over TLS = %q", v)
	}
	// A plaintext client gets no answer: its frame is not a TLS hello.
	plain := dial(t, srv.Addr())
	if _, err := plain.DescribeVersion(ctx); err == nil {
		t.Fatal("plaintext call to a TLS server succeeded")
	}
	// The TLS client is unaffected.
	_, err = c.DescribeVersion(ctx)
	must(t, err)
}

func TestTLSClientCertificateRequired(t *testing.T) {
	pki := newTestPKI(t)
	cfg, err := server.LoadTLSConfig(pki.srvCert, pki.srvKey, pki.caFile)
	must(t, err)
	srv := cassatest.Start(t, cassatest.WithConfig(server.Config{TLS: cfg})).Embedded()

	cert, err := tls.LoadX509KeyPair(pki.cliCert, pki.cliKey)
	must(t, err)
	good := dialTLS(t, srv.Addr(), &tls.Config{RootCAs: pki.caPool, Certificates: []tls.Certificate{cert}})
	_, err = good.DescribeVersion(ctx)
	must(t, err)

	// Without a certificate the handshake fails; with TLS 1.3 the client
	// learns it on its first read, so the first call fails.
	tc := &thrift.TConfiguration{ConnectTimeout: 5 * time.Second, SocketTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{RootCAs: pki.caPool}}
	trans := thrift.NewTFramedTransportConf(thrift.NewTSSLSocketConf(srv.Addr(), tc), tc)
	if err := trans.Open(); err == nil {
		defer trans.Close()
		proto := thrift.NewTBinaryProtocolConf(trans, tc)
		bad := tg.NewCassandraClient(thrift.NewTStandardClient(proto, proto))
		if _, err := bad.DescribeVersion(ctx); err == nil {
			t.Fatal("a client without a certificate was served")
		}
	}
	_, err = good.DescribeVersion(ctx)
	must(t, err)

	if _, err := server.LoadTLSConfig(pki.srvCert, pki.srvKey, pki.srvKey); !errors.Is(err, server.ErrNoCertificates) {
		t.Fatalf("a CA file without certificates: %v", err)
	}
	if _, err := server.LoadTLSConfig(pki.srvCert, filepath.Join(t.TempDir(), "missing"), ""); err == nil {
		t.Fatal("a missing key file was accepted")
	}
}
