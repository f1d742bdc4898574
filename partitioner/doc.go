// Package partitioner implements Cassandra's four Thrift-era partitioners:
// how a row key maps to a token, how tokens order and print, and therefore
// in which order a range scan returns rows. The client uses it for
// token-aware routing and token ranges; the embedded server uses it to keep
// rows in ring order.
//
//   - Murmur3Partitioner (Cassandra's default): h1 of MurmurHash3 x64 128
//     with Cassandra's sign-extension quirk on the tail bytes; signed 64-bit
//     tokens printed in decimal; minimum -9223372036854775808.
//   - RandomPartitioner: abs(MD5(key) read as a signed big-endian integer);
//     tokens 0..2^127 printed in decimal; minimum -1.
//   - ByteOrderedPartitioner: the key bytes; lowercase hex; minimum empty.
//   - OrderPreservingPartitioner: the key as UTF-8 text compared like Java's
//     String.compareTo (invalid UTF-8 keys use their hex); minimum "".
//
// Rows sort by token, then by their key bytes unsigned: see
// Partitioner.CompareKeys and DecoratedKey. Under the hashing partitioners
// that is not key order.
//
//	p, err := partitioner.ByName("Murmur3Partitioner")
//	if err != nil {
//		return err
//	}
//	tok := p.Token([]byte("hello"))    // -3758069500696749310
//	back, err := p.ParseToken(tok.String())
//
// Bad token strings give a *TokenError (errors.Is ErrInvalidToken) whose
// message can be shown to a client as is. Nothing in this package panics on
// input, including tokens of the wrong partitioner: Compare orders tokens of
// different kinds by a fixed rule (nil, then Murmur3Token, RandomToken,
// BytesToken, StringToken, then other implementations), and Split gives
// ErrTokenKind.
//
// Split cuts a token range into evenly spaced pieces for describe_splits
// (only the hashing partitioners divide; the ordered ones keep the range
// whole), and RangeContains tests a token against a (start, end] ring range
// with Cassandra's wrap-around rules.
package partitioner
