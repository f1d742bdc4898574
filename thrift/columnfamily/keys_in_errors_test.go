package columnfamily_test

import (
	"strings"
	"testing"

	"github.com/cassa-go/cassa/query"
	"github.com/cassa-go/cassa/thrift/columnfamily"
)

// Keys in errors are rendered through the key's type and cut when long:
// never as a Go byte slice ([110 111 112 101]), never 280 KB.
func TestKeysInErrors(t *testing.T) {
	e := newEnv(t)
	std := e.cf(t, "Std") // UTF8Type keys
	raw := e.cf(t, "Std", columnfamily.RawKeys(), columnfamily.RawNames(), columnfamily.RawValues())
	bytesCF := e.cf(t, "Bytes") // BytesType keys
	huge := strings.Repeat("x", 70000)
	const cut = `"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"... (70000 bytes)`

	check := func(what string, err error, want string) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", what)
			return
		}
		msg := err.Error()
		if !strings.Contains(msg, want) || len(msg) > 1000 {
			t.Errorf("%s: %.400q (%d bytes), want it short and to contain %q", what, msg, len(msg), want)
		}
	}
	_, err := std.Get(bg, "nope", query.Select{})
	check("Get of a missing row", err, `row "nope"`)
	_, err = raw.Get(bg, []byte("nope"), query.Select{})
	check("Get of a missing row, raw key", err, `row "nope"`)
	_, err = bytesCF.Get(bg, []byte("nope"), query.Select{})
	check("Get of a missing row, BytesType key", err, "row 0x6e6f7065")

	_, err = std.Insert(bg, huge, columnfamily.Cols{"name": "v"})
	check("Insert with a huge key", err, cut)
	_, err = raw.Insert(bg, []byte(huge), columnfamily.Cols{"name": []byte("v")})
	check("Insert with a huge raw key", err, cut)
	_, err = std.Remove(bg, huge, query.Select{})
	check("Remove with a huge key", err, cut)
	m := columnfamily.NewMutator(e.pool)
	_, err = m.Insert(bg, raw, []byte(huge), columnfamily.Cols{"name": []byte("v")})
	check("Mutator.Insert with a huge key", err, cut)

	// A batch the server refuses lists its keys the same way.
	m = columnfamily.NewMutator(e.pool, columnfamily.QueueSize(columnfamily.NoAutoSend))
	must(m.Insert(bg, raw, []byte("k1"), columnfamily.ColumnList{{Name: []byte("x"), Value: []byte("y"), TTL: 1 << 30}}))(t)
	must(m.Insert(bg, bytesCF, []byte("k2"), columnfamily.Cols{"x": []byte("y")}))(t)
	err = m.Send(bg)
	check("BatchError", err, `[insert Std row "k1"`)
	check("BatchError", err, `[insert Bytes row 0x6b32`)
}
