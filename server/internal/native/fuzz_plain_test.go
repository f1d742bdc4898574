package native

import (
	"strings"
	"testing"
)

// FuzzDecodePlain splits any SASL PLAIN token as 3.11's
// PlainTextSaslAuthenticator.decodeCredentials does: nothing panics; a
// token it accepts gives a non-empty user and password without NUL, and
// the token a driver would send for them (authzid empty) decodes to the
// same pair.
func FuzzDecodePlain(f *testing.F) {
	for _, s := range []string{"\x00cassandra\x00cassandra", "authz\x00bob\x00pw", "\x00\x00", "", "\x00u\x00", "a\x00b\x00c\x00d", "nonul"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, token []byte) {
		user, password, msg := decodePlain(token)
		if msg != "" {
			if user != "" || password != "" {
				t.Fatalf("%q: refused (%s) with credentials %q/%q", token, msg, user, password)
			}
			return
		}
		if user == "" || password == "" || strings.ContainsRune(user, 0) || strings.ContainsRune(password, 0) {
			t.Fatalf("%q: accepted %q/%q", token, user, password)
		}
		u, p, m := decodePlain([]byte("\x00" + user + "\x00" + password))
		if u != user || p != password || m != "" {
			t.Fatalf("%q: re-encoded %q/%q decodes to %q/%q (%s)", token, user, password, u, p, m)
		}
	})
}
