package pool

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
)

// testCert makes a self-signed certificate for 127.0.0.1 and a pool of
// roots trusting it.
func testCert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "cassa test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
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

// TestTLS talks to a server through a TLS-terminating proxy.
func TestTLS(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	f.put("k", "c", "v")
	cert, roots := testCert(t)
	px := newProxy(t, f.addr, &tls.Config{Certificates: []tls.Certificate{cert}})

	t.Run("trusted", func(t *testing.T) {
		cfg := testConfig(px.addr())
		cfg.TLS = &tls.Config{RootCAs: roots}
		cfg.PoolSize = 2
		cfg.Prefill = true
		p := openPool(t, cfg)
		for i := 0; i < 5; i++ {
			if v, err := getColumn(context.Background(), p, "k", "c"); err != nil || string(v) != "v" {
				t.Fatalf("get over TLS = %q, %v", v, err)
			}
		}
		// A server going away under TLS is still found before reuse.
		px.cut()
		if _, err := getColumn(context.Background(), p, "k", "c"); err != nil {
			t.Fatal(err)
		}
		if st := p.Stats(); st.Failed != 0 {
			t.Errorf("failed = %d after the TLS sockets were cut", st.Failed)
		}
	})
	t.Run("untrusted", func(t *testing.T) {
		cfg := testConfig(px.addr())
		cfg.TLS = &tls.Config{} // system roots do not know the test CA
		_, err := Open(context.Background(), cfg)
		var te *TransportError
		var ue *tls.CertificateVerificationError
		if !errors.As(err, &te) || !errors.As(err, &ue) {
			t.Fatalf("Open = %v, want a TransportError from certificate verification", err)
		}
	})
	t.Run("plain against TLS", func(t *testing.T) {
		cfg := testConfig(px.addr())
		cfg.DialTimeout = 500 * time.Millisecond
		if _, err := Open(context.Background(), cfg); err == nil {
			t.Fatal("a plain connection to a TLS port worked")
		}
	})
}

func TestCredentials(t *testing.T) {
	checkNoLeaks(t)
	f := newFake(t)
	f.creds = map[string]string{"username": "cassa", "password": "secret"}
	f.put("k", "c", "v")

	t.Run("good", func(t *testing.T) {
		cfg := testConfig(f.addr)
		cfg.Credentials = Credentials{"username": "cassa", "password": "secret"}
		p := openPool(t, cfg)
		if v, err := getColumn(context.Background(), p, "k", "c"); err != nil || string(v) != "v" {
			t.Fatalf("get = %q, %v", v, err)
		}
	})
	t.Run("bad", func(t *testing.T) {
		before := f.opCount("login")
		cfg := testConfig(f.addr, f.addr)
		cfg.Credentials = Credentials{"username": "cassa", "password": "wrong"}
		_, err := Open(context.Background(), cfg)
		var ae *cassa.AuthenticationError
		if !errors.As(err, &ae) || ae.Host != f.addr || ae.Why == "" {
			t.Fatalf("Open = %v, want cassa.AuthenticationError", err)
		}
		if n := f.opCount("login") - before; n != 1 {
			t.Errorf("login tried %d times, want once (never retried)", n)
		}
	})
	t.Run("none", func(t *testing.T) {
		// Without login the server refuses set_keyspace.
		_, err := Open(context.Background(), testConfig(f.addr))
		var ire *cassa.InvalidRequestError
		if !errors.As(err, &ire) {
			t.Fatalf("Open = %v, want cassa.InvalidRequestError", err)
		}
	})
	// Login comes before set_keyspace on every connection.
	if f.opCount("set_keyspace") < 1 {
		t.Error("set_keyspace never sent")
	}
}
