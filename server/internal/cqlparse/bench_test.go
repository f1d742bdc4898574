package cqlparse

import (
	"strings"
	"testing"
)

// benchSelect is a typical query: three relations, a limit.
const benchSelect = "SELECT id, name, writetime(name) FROM app.users WHERE org = ? AND id > 42 AND token(org) <= 100 LIMIT 10"

// benchInsert is a typical prepared statement: ten columns, TTL.
const benchInsert = "INSERT INTO app.events (a, b, c, d, e, f, g, h, i, j) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?"

func BenchmarkParseSelect(b *testing.B) { benchmarkParse(b, benchSelect) }
func BenchmarkParseInsert(b *testing.B) { benchmarkParse(b, benchInsert) }

// BenchmarkParseBatch parses a large batch, for throughput.
func BenchmarkParseBatch(b *testing.B) {
	benchmarkParse(b, "BEGIN BATCH "+strings.Repeat("INSERT INTO t (k, v, w) VALUES (12345, 'some text', 3.5); ", 1000)+"APPLY BATCH")
}

func benchmarkParse(b *testing.B, q string) {
	b.ReportAllocs()
	b.SetBytes(int64(len(q)))
	for b.Loop() {
		if _, err := Parse(q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrintSelect(b *testing.B) {
	p := mustParse(b, benchSelect)
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Statement.String()
	}
}
