package partitioner

import (
	"fmt"
	"testing"
)

func benchKeys() map[string][]byte {
	k1k := make([]byte, 1024)
	for i := range k1k {
		k1k[i] = byte(i)
	}
	return map[string][]byte{
		"16B": []byte("user:0000012345x"),
		"1KB": k1k,
	}
}

func BenchmarkToken(b *testing.B) {
	for _, p := range all {
		for _, size := range []string{"16B", "1KB"} {
			key := benchKeys()[size]
			b.Run(fmt.Sprintf("%s/%s", ShortName(p), size), func(b *testing.B) {
				b.SetBytes(int64(len(key)))
				b.ReportAllocs()
				for b.Loop() {
					_ = p.Token(key)
				}
			})
		}
	}
}

// BenchmarkMurmur3Hash is Token without the interface boxing.
func BenchmarkMurmur3Hash(b *testing.B) {
	key := benchKeys()["16B"]
	var p Murmur3Partitioner
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Hash(key)
	}
}

func BenchmarkCompareKeys(b *testing.B) {
	x, y := []byte("user:0000012345x"), []byte("user:0000012346x")
	for _, p := range all {
		b.Run(ShortName(p), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = p.CompareKeys(x, y)
			}
		})
	}
}

func BenchmarkParseToken(b *testing.B) {
	in := map[string]string{
		"Murmur3Partitioner":         "-1053604476080545076",
		"RandomPartitioner":          "12707736894140473154801792860916528374",
		"ByteOrderedPartitioner":     "757365723a30303030303132333435",
		"OrderPreservingPartitioner": "user:0000012345",
	}
	for _, p := range all {
		s := in[ShortName(p)]
		b.Run(ShortName(p), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = p.ParseToken(s)
			}
		})
	}
}
