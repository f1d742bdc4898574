package cqlparse

import (
	"reflect"
	"testing"
)

// testStatements gathers every statement the tests expect to parse.
func testStatements() []string {
	var qs []string
	for _, c := range corpus {
		qs = append(qs, c.in)
	}
	for _, c := range literalCases {
		qs = append(qs, "INSERT INTO t (v) VALUES ("+c.in+")")
	}
	for _, c := range markerCases {
		qs = append(qs, c.q)
	}
	qs = append(qs, commentCases...)
	for _, kw := range unreservedKeywords {
		qs = append(qs, keywordStatements(kw)...)
	}
	for _, kw := range reservedKeywords {
		qs = append(qs, `ALTER TABLE ks.t ADD "`+kw+`" TEXT`)
	}
	return append(qs, roundTripExtras...)
}

// roundTripExtras are statements whose printing is easy to get wrong.
var roundTripExtras = []string{
	`SELECT "select", "a""b", "", "Key" FROM "Ks"."T" WHERE "IN" = 1`,
	`SELECT * FROM t WHERE k = -1 AND f = -1.5e-3 AND d = -1h AND n = -NaN AND i = -Infinity AND x = NaN`,
	`INSERT INTO t (k, v) VALUES (0x, $$it's 'quoted'$$)`,
	`INSERT INTO t (k, v) VALUES ('line1
line2', '')`,
	`UPDATE t SET m = m + {'a': [1, 2], 'b': []}, s = s - {}, u = {a: {b: (1, 2)}} WHERE k = (text) 'x'`,
	`SELECT CAST(a AS text), (int) 1, [1, 2], {1: 2}, (1, 2), -1, token(a, b), f.g(x).y.z FROM t`,
	`SELECT DISTINCT JSON FROM t`,
	`SELECT JSON DISTINCT a FROM t`,
	`SELECT DISTINCT, JSON FROM t`,
	`CREATE FUNCTION f (a int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return a;'`,
	`CREATE OR REPLACE FUNCTION IF NOT EXISTS ks.f (a int, b frozen<list<int>>) RETURNS NULL ON NULL INPUT RETURNS text LANGUAGE javascript AS $$ 'a' + "b" $$`,
	`GRANT EXECUTE ON ALL FUNCTIONS IN KEYSPACE ks TO r`,
	`LIST ALL PERMISSIONS ON FUNCTION ks.f(int, text) OF "R" NORECURSIVE`,
	`CREATE ROLE 'Name With Space' WITH PASSWORD = 'p' AND OPTIONS = {'a': 1}`,
}

func TestRoundTrip(t *testing.T) {
	for _, q := range testStatements() {
		p, err := Parse(q)
		if err != nil {
			t.Errorf("Parse(%q): %v", q, err)
			continue
		}
		text := p.Statement.String()
		p2, err := Parse(text)
		if err != nil {
			t.Errorf("reparse of %q: %s: %v", q, text, err)
			continue
		}
		if !reflect.DeepEqual(p, p2) {
			t.Errorf("round trip of %q changed the statement\nprinted %s\n  first %#v\n second %#v", q, text, p.Statement, p2.Statement)
		}
		if again := p2.Statement.String(); again != text {
			t.Errorf("printing is not stable for %q:\n%s\n%s", q, text, again)
		}
	}
}
