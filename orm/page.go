package orm

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"

	"github.com/cassa-go/cassa/query"
)

// Page reads one page of what q selects: at most size instances, in the
// order Find yields them, starting where token left off ("" for the first
// page). next is the token of the following page, "" after the last one.
// q's Limit, if it sets one, caps the instances of all pages together.
//
//	users, next, err := users.Page(ctx, query.Where("state").Eq("UT"), 20, r.URL.Query().Get("page"))
//
// A token is opaque and URL-safe, and continues the select on any
// connection, in any process, with the same model, column family, select
// and Fields and Super options; given anything else it is refused with
// ErrPageToken (as is an edited or truncated one). It holds the position
// of the last instance given (its row key, so it is not secret) and how
// many were, under an HMAC-SHA256 of the select's shape and that position
// (see PageTokenKey).
func (m *Mapper[T, K]) Page(ctx context.Context, q query.Select, size int, token string, opts ...CallOption) (items []T, next string, err error) {
	info, rq, r, err := m.findArgs(ctx, q, opts)
	if err != nil {
		return nil, "", err
	}
	if size < 1 || size > math.MaxInt32-1 {
		return nil, "", fmt.Errorf("%w: page size %d", ErrArgument, size)
	}
	shape := m.pageShape(rq, r)
	var done uint64
	var from []byte
	if token != "" {
		if done, from, err = m.openToken(shape, token); err != nil {
			return nil, "", err
		}
	}
	p, _ := q.Parts()
	n := size
	if p.Limit > 0 {
		if done >= uint64(p.Limit) {
			return nil, "", nil
		}
		n = int(min(uint64(n), uint64(p.Limit)-done))
	}
	// A page fills as rows come: a huge size must not reserve memory for
	// rows that may not exist.
	items = make([]T, 0, min(n, 1024))
	pos, err := m.tx.page(ctx, rq.Limit(query.Unlimited), r, n, from, func(rec *record) error {
		v, err := m.instance(info, rec)
		if err != nil {
			return err
		}
		items = append(items, v)
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	done += uint64(len(items))
	if pos == nil || p.Limit > 0 && done >= uint64(p.Limit) {
		return items, "", nil
	}
	return items, m.sealToken(shape, done, pos), nil
}

// pageShape is what a token is bound to: the column family, the model,
// and the select and read as resolved (names, packed values and keys,
// limits, the columns Fields reads, the super column).
func (m *Mapper[T, K]) pageShape(q query.Select, r readSpec) string {
	return m.name + "\x00" + r.keyspace + "\x00" + m.plan.typ.String() + "\x00" + q.String() + "\x00" + hex.EncodeToString(r.super)
}

// tokenVersion is the first byte of every token, for the day the layout
// changes.
const tokenVersion = 1

// publicTokenKey is the MAC key of a mapper without PageTokenKey.
var publicTokenKey = []byte("cassa orm page token")

// macSize is how much of the HMAC-SHA256 a token carries.
const macSize = 16

func (m *Mapper[T, K]) tokenMAC(shape string, body []byte) []byte {
	key := m.cfg.tokenKey
	if key == nil {
		key = publicTokenKey
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte{tokenVersion})
	mac.Write([]byte(shape))
	mac.Write([]byte{0})
	mac.Write(body)
	return mac.Sum(nil)[:macSize]
}

// sealToken writes a token: the version, the MAC, then the body (how many
// instances were given, and the transport's position).
func (m *Mapper[T, K]) sealToken(shape string, done uint64, pos []byte) string {
	body := binary.AppendUvarint(nil, done)
	body = append(body, pos...)
	out := append([]byte{tokenVersion}, m.tokenMAC(shape, body)...)
	return base64.RawURLEncoding.EncodeToString(append(out, body...))
}

// openToken checks a token against the select's shape and reads it.
func (m *Mapper[T, K]) openToken(shape, token string) (done uint64, pos []byte, err error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(token) // one spelling per token
	if err != nil || len(b) < 1+macSize+1 || b[0] != tokenVersion {
		return 0, nil, fmt.Errorf("%w: not a page token", ErrPageToken)
	}
	body := b[1+macSize:]
	if !hmac.Equal(b[1:1+macSize], m.tokenMAC(shape, body)) {
		return 0, nil, fmt.Errorf("%w: made for another select, mapper or key, or edited", ErrPageToken)
	}
	done, k := binary.Uvarint(body)
	if k <= 0 {
		return 0, nil, fmt.Errorf("%w: damaged", ErrPageToken)
	}
	return done, body[k:], nil
}
