package cql_test

import (
	"bytes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"regexp"
	"testing"

	"github.com/cassa-go/cassa/cql"
)

var urlSafe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func TestPageTokenRoundTrip(t *testing.T) {
	aead, err := cql.NewTokenAEAD([]byte("secret key of the web tier"))
	if err != nil {
		t.Fatal(err)
	}
	state := []byte("\x00\x10partition-key-alice\x00\x08clustering")
	shape := cql.ShapeOf("ks", "SELECT * FROM t WHERE user = ?", []any{"alice"})
	tok := cql.SealToken(aead, 4, shape, state)
	if !urlSafe.MatchString(tok) {
		t.Errorf("token %q is not URL-safe", tok)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	if bytes.Contains(raw, []byte("alice")) {
		t.Error("the token shows the paging state's key in clear")
	}
	got, err := cql.OpenToken(aead, 4, shape, tok)
	if err != nil || !bytes.Equal(got, state) {
		t.Fatalf("open: %q, %v", got, err)
	}

	// The same statement with other values of the same types: another
	// request of the same query (the next page for another user).
	other := cql.ShapeOf("ks", "SELECT * FROM t WHERE user = ?", []any{"bob"})
	if _, err := cql.OpenToken(aead, 4, other, tok); err != nil {
		t.Errorf("same shape, other value: %v", err)
	}

	// Another process with the same key.
	aead2, _ := cql.NewTokenAEAD([]byte("secret key of the web tier"))
	if _, err := cql.OpenToken(aead2, 4, shape, tok); err != nil {
		t.Errorf("same key, other sealer: %v", err)
	}
	// Protocol unknown on either side is not checked.
	if _, err := cql.OpenToken(aead, 0, shape, tok); err != nil {
		t.Errorf("unknown protocol: %v", err)
	}
	if cql.SealToken(aead, 4, shape, nil) != "" {
		t.Error("the last page has a token")
	}
}

// TestPageTokenTamper is every way a client can misuse a token: each is
// refused with ErrBadPageToken, none panics.
func TestPageTokenTamper(t *testing.T) {
	aead, _ := cql.NewTokenAEAD([]byte("k"))
	shape := cql.ShapeOf("ks", "SELECT * FROM t WHERE user = ?", []any{"alice"})
	tok := cql.SealToken(aead, 5, shape, []byte("paging state bytes"))
	raw, _ := base64.RawURLEncoding.DecodeString(tok)

	refuse := func(name string, a cipher.AEAD, proto int, sh [32]byte, token string) {
		t.Helper()
		if a == nil {
			a = aead
		}
		state, err := cql.OpenToken(a, proto, sh, token)
		var pe *cql.PageTokenError
		if !errors.Is(err, cql.ErrBadPageToken) || !errors.As(err, &pe) {
			t.Errorf("%s: opened (%q, %v)", name, state, err)
		}
	}
	refuse("other statement", nil, 5, cql.ShapeOf("ks", "SELECT * FROM t WHERE user = ? ALLOW FILTERING", []any{"alice"}), tok)
	refuse("other keyspace", nil, 5, cql.ShapeOf("ks2", "SELECT * FROM t WHERE user = ?", []any{"alice"}), tok)
	refuse("other value type", nil, 5, cql.ShapeOf("ks", "SELECT * FROM t WHERE user = ?", []any{42}), tok)
	refuse("more values", nil, 5, cql.ShapeOf("ks", "SELECT * FROM t WHERE user = ?", []any{"alice", "x"}), tok)
	refuse("nil value", nil, 5, cql.ShapeOf("ks", "SELECT * FROM t WHERE user = ?", []any{nil}), tok)
	other, _ := cql.NewTokenAEAD([]byte("another key"))
	refuse("other key", other, 5, shape, tok)
	random, _ := cql.NewTokenAEAD(nil)
	refuse("random key", random, 5, shape, tok)
	refuse("other protocol", nil, 4, shape, tok)
	refuse("empty", nil, 5, shape, "")
	refuse("not base64", nil, 5, shape, "!!!")
	refuse("padded", nil, 5, shape, tok+"=")
	refuse("standard base64", nil, 5, shape, base64.StdEncoding.EncodeToString(append(raw, 0xfb, 0xff)))
	refuse("truncated", nil, 5, shape, base64.RawURLEncoding.EncodeToString(raw[:len(raw)-1]))
	refuse("header only", nil, 5, shape, base64.RawURLEncoding.EncodeToString(raw[:2]))
	for i := range raw {
		for _, bit := range []byte{0x01, 0x80} {
			b := bytes.Clone(raw)
			b[i] ^= bit
			if i == 1 && b[i] == 0 {
				continue // protocol 0 means unknown and is not checked; the seal still is
			}
			refuse("flipped byte", nil, 5, shape, base64.RawURLEncoding.EncodeToString(b))
		}
	}
	extended := append(bytes.Clone(raw), 0)
	refuse("extended", nil, 5, shape, base64.RawURLEncoding.EncodeToString(extended))
}

func FuzzOpenToken(f *testing.F) {
	aead, _ := cql.NewTokenAEAD([]byte("k"))
	shape := cql.ShapeOf("ks", "SELECT 1", nil)
	f.Add(cql.SealToken(aead, 4, shape, []byte("state")))
	f.Add("AQQ")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		state, err := cql.OpenToken(aead, 4, shape, tok)
		if err == nil && len(state) == 0 {
			t.Errorf("opened %q to an empty state", tok)
		}
	})
}
