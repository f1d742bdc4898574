package server_test

import (
	"testing"

	"github.com/cassa-go/cassa/server"
)

// An empty value is not null, in a lightweight transaction as anywhere:
// Cassandra 3.11 keeps the empty string (and an empty blob) as a live
// cell of zero bytes, ColumnCondition.Bound compares it as a value (a
// condition v = empty string holds, v = null does not), and
// buildCasFailureResultSet returns it as a zero-length value, which a
// driver reads as the empty string, not as NULL.
func TestCQLLWTEmptyValueIsNotNull(t *testing.T) {
	_, s := lwtSession(t, server.Config{})
	mustExec(t, s, "CREATE TABLE e (k int, c text, v text, b blob, s text static, PRIMARY KEY (k, c))")
	mustExec(t, s, "INSERT INTO e (k, c, v, b, s) VALUES (0, '', '', 0x, '')")

	// The failing condition returns the current value: '' and not NULL.
	var v *string
	applied, err := s.Query("UPDATE e SET v = 'y' WHERE k = 0 AND c = '' IF v = 'x'").ScanCAS(&v)
	if err != nil || applied || v == nil || *v != "" {
		t.Fatalf("IF v = 'x' on v = '': applied=%v v=%v err=%v, want false and ''", applied, v, err)
	}
	// IF v = null does not hold for ''; IF v = '' does.
	v = nil
	applied, err = s.Query("UPDATE e SET v = 'y' WHERE k = 0 AND c = '' IF v = null").ScanCAS(&v)
	if err != nil || applied || v == nil || *v != "" {
		t.Fatalf("IF v = null on v = '': applied=%v v=%v err=%v, want false and ''", applied, v, err)
	}
	if applied, err := s.Query("UPDATE e SET b = 0x01 WHERE k = 0 AND c = '' IF v = '' AND b = 0x").ScanCAS(); err != nil || !applied {
		t.Fatalf("IF v = '' AND b = 0x: applied=%v err=%v, want true", applied, err)
	}
	v = nil
	if applied, err := s.Query("UPDATE e SET b = 0x02 WHERE k = 0 AND c = '' IF v != ''").ScanCAS(&v); err != nil || applied || v == nil || *v != "" {
		t.Fatalf("IF v != '': applied=%v v=%v err=%v, want false and ''", applied, v, err)
	}

	// IF NOT EXISTS shows every column: the empty clustering value, the
	// empty static and the empty regular value are all ''.
	m := map[string]any{}
	applied, err = s.Query("INSERT INTO e (k, c, v) VALUES (0, '', 'z') IF NOT EXISTS").MapScanCAS(m)
	if err != nil || applied {
		t.Fatalf("IF NOT EXISTS: applied=%v err=%v", applied, err)
	}
	for _, col := range []string{"c", "v", "s"} {
		if got, ok := m[col].(string); !ok || got != "" {
			t.Errorf("IF NOT EXISTS: %s = %#v, want ''", col, m[col])
		}
	}
	// The raw values are zero-length, not null.
	m = map[string]any{}
	applied, err = s.Query("UPDATE e SET v = 'y' WHERE k = 0 AND c = '' IF v = 'x' AND s = 'x'").MapScanCAS(m)
	if err != nil || applied || len(m) != 2 || m["v"] != "" || m["s"] != "" {
		t.Fatalf("IF v = 'x' AND s = 'x': applied=%v %#v err=%v", applied, m, err)
	}
	// A static-only condition on an empty static.
	v = nil
	applied, err = s.Query("UPDATE e SET s = 'y' WHERE k = 0 IF s = 'x'").ScanCAS(&v)
	if err != nil || applied || v == nil || *v != "" {
		t.Fatalf("IF s = 'x' on s = '': applied=%v s=%v err=%v, want false and ''", applied, v, err)
	}
}
