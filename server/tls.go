package server

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// ErrNoCertificates reports a client CA file without a PEM certificate.
var ErrNoCertificates = errors.New("server: no PEM certificate found")

// LoadTLSConfig builds a server TLS configuration from PEM files, as
// `cassa server --tls-cert --tls-key [--tls-client-ca]` does: certFile and
// keyFile are the server's certificate (chain) and private key. When
// clientCAFile is set, every client must present a certificate signed by
// one of its CAs (tls.RequireAndVerifyClientCert); a client without one is
// refused during the handshake. TLS 1.2 is the minimum.
func LoadTLSConfig(certFile, keyFile, clientCAFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("server: TLS certificate: %w", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCAFile != "" {
		pem, err := os.ReadFile(clientCAFile)
		if err != nil {
			return nil, fmt.Errorf("server: TLS client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("server: TLS client CA %s: %w", clientCAFile, ErrNoCertificates)
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}
