package cql

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"reflect"
)

// A page token is Cassandra's paging state sealed with AES-256-GCM:
//
//	base64url( version 0x01 | protocol version | nonce (12) | ciphertext+tag )
//
// The associated data of the seal is the SHA-256 of the statement's
// shape: its text, its keyspace and the Go types of its bound values. So
// a token opens only for the statement it was made for (a client cannot
// edit it into another query, nor splice it onto one), it cannot be forged
// or altered without the key, and the paging state inside, which holds
// the last row's partition key and clustering values, is not readable by
// whoever holds the token. An HMAC would give the first two but leave the
// key values readable; a plain hash would give only the first, since
// anyone can recompute it. The key is Config.PageTokenKey (shared by every
// process that must resume the tokens) or a random one per session.

const (
	tokenVersion  = 0x01
	tokenOverhead = 2 + 12 + 16 // header, nonce, tag
)

// PageTokenError reports a page token that cannot resume the statement it
// was given to. It matches ErrBadPageToken.
type PageTokenError struct {
	Reason string
}

// Error describes why the token was refused.
func (e *PageTokenError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return "cql: bad page token: " + e.Reason
}

// Is reports whether target is ErrBadPageToken.
func (e *PageTokenError) Is(target error) bool { return target == ErrBadPageToken }

// newAEAD makes the sealer of page tokens from key (hashed to 32 bytes),
// or from a random key when key is empty.
func newAEAD(key []byte) (cipher.AEAD, error) {
	var k [32]byte
	if len(key) == 0 {
		if _, err := rand.Read(k[:]); err != nil {
			return nil, err
		}
	} else {
		k = sha256.Sum256(append([]byte("cassa cql page token key\x00"), key...))
	}
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// statementShape is the SHA-256 of what a token is bound to.
func statementShape(keyspace, stmt string, values []any) [32]byte {
	h := sha256.New()
	var n [4]byte
	write := func(s string) {
		binary.BigEndian.PutUint32(n[:], uint32(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	write("cassa cql page token v1")
	write(keyspace)
	write(stmt)
	binary.BigEndian.PutUint32(n[:], uint32(len(values)))
	h.Write(n[:])
	for _, v := range values {
		if v == nil {
			write("nil")
			continue
		}
		write(reflect.TypeOf(v).String())
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// sealToken makes the token of a paging state; "" for none (the last page).
func sealToken(aead cipher.AEAD, proto int, shape [32]byte, state []byte) string {
	if len(state) == 0 {
		return ""
	}
	buf := make([]byte, 2, tokenOverhead+len(state))
	buf[0], buf[1] = tokenVersion, byte(proto)
	nonce := buf[2 : 2+aead.NonceSize()]
	buf = buf[:2+aead.NonceSize()]
	if _, err := rand.Read(nonce); err != nil {
		panic(fmt.Sprintf("cql: crypto/rand failed: %v", err)) // crypto/rand does not fail on supported platforms
	}
	buf = aead.Seal(buf, nonce, state, shape[:])
	return base64.RawURLEncoding.EncodeToString(buf)
}

// openToken returns the paging state of a token made by sealToken for the
// same shape, or a *PageTokenError. proto is the session's protocol
// version (0 when unknown).
func openToken(aead cipher.AEAD, proto int, shape [32]byte, token string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, &PageTokenError{Reason: "not a token (bad encoding)"}
	}
	ns := aead.NonceSize()
	if len(raw) < 2+ns+aead.Overhead()+1 {
		return nil, &PageTokenError{Reason: "not a token (too short)"}
	}
	if raw[0] != tokenVersion {
		return nil, &PageTokenError{Reason: fmt.Sprintf("unknown token version %d", raw[0])}
	}
	if tp := int(raw[1]); tp != 0 && proto != 0 && tp != proto {
		return nil, &PageTokenError{Reason: fmt.Sprintf("made on native protocol v%d, this session speaks v%d", tp, proto)}
	}
	state, err := aead.Open(nil, raw[2:2+ns], raw[2+ns:], shape[:])
	if err != nil {
		return nil, &PageTokenError{Reason: "not made for this statement (or altered, or sealed with another PageTokenKey)"}
	}
	return state, nil
}
