package difftest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/cassatest"
	"github.com/cassa-go/cassa/server"
)

// maxPages bounds a paged read of one step.
const maxPages = 200

// target is one of the two servers under comparison.
type target struct {
	name    string // "embedded" or "reference"
	version string // release_version
	s       *gocql.Session
	ks      string
}

// pair is the embedded server and the reference node, each with a session
// on the keyspace of the run (the same name on both).
type pair struct {
	emb, ref *target
	ks       string
}

// refHosts returns the reference node's addresses, skipping the test when
// none is configured.
func refHosts(t testing.TB) []string {
	t.Helper()
	hosts := cassatest.CQLHostsFromEnv()
	if len(hosts) == 0 {
		t.Skipf("no reference node: the differential test compares the embedded server with a real Cassandra named by %s "+
			"(scripts/refnode.sh start, then export $(scripts/refnode.sh env))", cassatest.EnvCQLHosts)
	}
	return hosts
}

// newPair starts an embedded server, connects to it and to the reference
// node, and creates one fresh keyspace on both (dropped from the
// reference node at cleanup).
func newPair(t *testing.T) *pair {
	t.Helper()
	hosts := refHosts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv, err := server.Start(ctx, server.Config{Addr: "127.0.0.1:0", CQLAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatalf("start the embedded server: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close the embedded server: %v", err)
		}
	})
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	p := &pair{ks: "difftest_" + hex.EncodeToString(suffix[:])}
	p.emb = connect(t, "embedded", []string{srv.CQLAddr()}, p.ks)
	p.ref = connect(t, "reference", hosts, p.ks)
	t.Cleanup(func() {
		if err := p.ref.s.Query("DROP KEYSPACE IF EXISTS " + p.ks).Exec(); err != nil {
			t.Logf("drop keyspace %s on the reference node: %v", p.ks, err)
		}
	})
	t.Logf("embedded %s, reference %s at %v, keyspace %s", p.emb.version, p.ref.version, hosts, p.ks)
	return p
}

// connect opens a session on hosts, creates keyspace ks there, and
// returns a session on it. Both servers are spoken to with protocol v4,
// the newest the embedded server (as 3.11) speaks.
func connect(t *testing.T, name string, hosts []string, ks string) *target {
	t.Helper()
	cluster := func(keyspace string) *gocql.ClusterConfig {
		c := gocql.NewCluster()
		for _, h := range hosts {
			host, port, err := net.SplitHostPort(h)
			if err != nil {
				t.Fatalf("%s: host %q: %v", name, h, err)
			}
			c.Hosts = append(c.Hosts, host)
			c.Port, _ = strconv.Atoi(port)
		}
		c.ProtoVersion = 4
		c.Consistency = gocql.One
		c.Timeout = 60 * time.Second
		c.ConnectTimeout = 20 * time.Second
		c.NumConns = 1
		c.Keyspace = keyspace
		return c
	}
	admin, err := cluster("").CreateSession()
	if err != nil {
		t.Fatalf("%s: connect to %v: %v", name, hosts, err)
	}
	defer admin.Close()
	var version string
	if err := admin.Query("SELECT release_version FROM system.local").Scan(&version); err != nil {
		t.Fatalf("%s: release_version: %v", name, err)
	}
	if err := admin.Query("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").Exec(); err != nil {
		t.Fatalf("%s: create keyspace: %v", name, err)
	}
	s, err := cluster(ks).CreateSession()
	if err != nil {
		t.Fatalf("%s: connect with keyspace %s: %v", name, ks, err)
	}
	t.Cleanup(s.Close)
	return &target{name: name, version: version, s: s, ks: ks}
}

// rawValue keeps a column's bytes as the server sent them.
type rawValue struct {
	b    []byte // nil: null
	info gocql.TypeInfo
}

// UnmarshalCQL implements gocql.Unmarshaler.
func (v *rawValue) UnmarshalCQL(info gocql.TypeInfo, data []byte) error {
	v.info = info
	if data == nil {
		v.b = nil
		return nil
	}
	v.b = append([]byte{}, data...)
	return nil
}

// String shows the value as gocql decodes it, for reports.
func (v rawValue) String() string {
	if v.b == nil {
		return "null"
	}
	if v.info != nil {
		if z := v.info.Zero(); z != nil {
			ptr := reflect.New(reflect.TypeOf(z))
			if err := v.info.Unmarshal(v.b, ptr.Interface()); err == nil {
				return fmt.Sprintf("%#v", ptr.Elem().Interface())
			}
		}
	}
	return "0x" + hex.EncodeToString(v.b)
}

// answer is what a server said to one step.
type answer struct {
	err      error
	code     int    // the protocol error code, 0 for a success or a client-side error
	msg      string // the server's message
	columns  []string
	pages    [][]string // each page's rows, rendered
	raw      [][][]byte // every row's values, in order, for the exact comparison
	more     []bool     // whether each page announced more pages
	warnings []string
}

func (a *answer) ok() bool { return a.err == nil }

// String renders the answer for a report.
func (a *answer) String() string {
	if a.err != nil {
		if a.code != 0 {
			return fmt.Sprintf("error %#04x %q", a.code, a.msg)
		}
		return "client error: " + a.err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "columns %v", a.columns)
	for i, p := range a.pages {
		fmt.Fprintf(&b, "\n    page %d (more %v): %v", i+1, a.more[i], p)
	}
	if len(a.warnings) > 0 {
		fmt.Fprintf(&b, "\n    warnings %q", a.warnings)
	}
	return b.String()
}

// setErr records err, splitting a server error into code and message.
func (a *answer) setErr(err error) {
	a.err = err
	var re gocql.RequestError
	if errors.As(err, &re) {
		a.code, a.msg = re.Code(), re.Message()
	}
}

// read collects one page from iter.
func (a *answer) read(iter *gocql.Iter) {
	cols := iter.Columns()
	if a.columns == nil && len(cols) > 0 {
		for _, c := range cols {
			a.columns = append(a.columns, fmt.Sprintf("%s.%s.%s %s", c.Keyspace, c.Table, c.Name, typeName(c.TypeInfo)))
		}
	}
	var page []string
	for {
		vals := make([]rawValue, len(cols))
		dest := make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if !iter.Scan(dest...) {
			break
		}
		row := make([][]byte, len(vals))
		parts := make([]string, len(vals))
		for i, v := range vals {
			row[i] = v.b
			parts[i] = v.String()
		}
		a.raw = append(a.raw, row)
		page = append(page, "("+strings.Join(parts, ", ")+")")
	}
	a.warnings = append(a.warnings, iter.Warnings()...)
	state := iter.PageState()
	if err := iter.Close(); err != nil {
		a.setErr(err)
		return
	}
	a.pages = append(a.pages, page)
	a.more = append(a.more, len(state) > 0)
}

// typeName is a column type as CQL spells it.
func typeName(info gocql.TypeInfo) string {
	switch t := info.(type) {
	case gocql.CollectionType:
		switch t.Type() {
		case gocql.TypeMap:
			return "map<" + typeName(t.Key) + ", " + typeName(t.Elem) + ">"
		case gocql.TypeSet:
			return "set<" + typeName(t.Elem) + ">"
		default:
			return "list<" + typeName(t.Elem) + ">"
		}
	case gocql.TupleTypeInfo:
		parts := make([]string, len(t.Elems))
		for i, e := range t.Elems {
			parts[i] = typeName(e)
		}
		return "tuple<" + strings.Join(parts, ", ") + ">"
	case gocql.UDTTypeInfo:
		parts := make([]string, len(t.Elements))
		for i, e := range t.Elements {
			parts[i] = e.Name + " " + typeName(e.Type)
		}
		return t.Keyspace + "." + t.Name + "{" + strings.Join(parts, ", ") + "}"
	}
	if info == nil {
		return "?"
	}
	if n, ok := nativeNames[info.Type()]; ok {
		return n
	}
	return fmt.Sprint(info)
}

// nativeNames are the protocol's native type ids, by name; text is sent
// as varchar (0x000D).
var nativeNames = map[gocql.Type]string{
	gocql.TypeAscii: "ascii", gocql.TypeBigInt: "bigint", gocql.TypeBlob: "blob", gocql.TypeBoolean: "boolean",
	gocql.TypeCounter: "counter", gocql.TypeDecimal: "decimal", gocql.TypeDouble: "double", gocql.TypeFloat: "float",
	gocql.TypeInt: "int", gocql.TypeText: "text(0x000A)", gocql.TypeTimestamp: "timestamp", gocql.TypeUUID: "uuid",
	gocql.TypeVarchar: "varchar", gocql.TypeVarint: "varint", gocql.TypeTimeUUID: "timeuuid", gocql.TypeInet: "inet",
	gocql.TypeDate: "date", gocql.TypeTime: "time", gocql.TypeSmallInt: "smallint", gocql.TypeTinyInt: "tinyint",
	gocql.TypeDuration: "duration",
}

// run sends one step to a server and collects the answer, every page of
// it when the step pages.
func (tg *target) run(st *step) *answer {
	a := &answer{}
	q := func(stmt string) string { return strings.ReplaceAll(stmt, "{ks}", tg.ks) }
	if st.batch != nil {
		b := tg.s.Batch(st.batch.kind)
		for _, item := range st.batch.items {
			b.Query(q(item.q), item.args...)
		}
		if st.serial {
			b.SerialConsistency(gocql.Serial)
		}
		a.read(b.Iter())
		return a
	}
	var state []byte
	for n := 0; ; n++ {
		query := tg.s.Query(q(st.q), st.args...)
		if st.serial {
			query.Consistency(gocql.Serial)
		}
		if st.page > 0 {
			query.PageSize(st.page).PageState(state)
		}
		iter := query.Iter()
		a.read(iter)
		if a.err != nil || st.page <= 0 {
			return a
		}
		state = iter.PageState()
		if len(state) == 0 {
			return a
		}
		if n >= maxPages {
			a.setErr(fmt.Errorf("more than %d pages", maxPages))
			return a
		}
	}
}

// compare reports how two answers differ; nil when they agree.
func compare(emb, ref *answer) []string {
	var d []string
	switch {
	case emb.ok() != ref.ok():
		return []string{"one runs the statement, the other does not"}
	case !emb.ok():
		if emb.code != ref.code {
			d = append(d, fmt.Sprintf("error code %#04x vs %#04x", emb.code, ref.code))
		}
		if emb.msg != ref.msg {
			d = append(d, "error message")
		}
		if emb.code == 0 && ref.code == 0 && emb.err.Error() != ref.err.Error() {
			d = append(d, "client error")
		}
		return d
	}
	if !reflect.DeepEqual(emb.columns, ref.columns) {
		d = append(d, "column metadata")
	}
	if !equalRows(emb.raw, ref.raw) {
		d = append(d, "rows")
	}
	if len(emb.pages) != len(ref.pages) || !reflect.DeepEqual(pageSizes(emb), pageSizes(ref)) {
		d = append(d, "pages")
	} else if !reflect.DeepEqual(emb.more, ref.more) {
		d = append(d, "has-more-pages flags")
	}
	if !reflect.DeepEqual(emb.warnings, ref.warnings) {
		d = append(d, "warnings")
	}
	return d
}

func equalRows(a, b [][][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if (a[i][j] == nil) != (b[i][j] == nil) || !bytes.Equal(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}

func pageSizes(a *answer) []int {
	n := make([]int, len(a.pages))
	for i, p := range a.pages {
		n[i] = len(p)
	}
	return n
}

// check holds one server's answer to what the corpus says that version
// answers; it returns what does not hold.
func (o *outcome) check(a *answer) []string {
	if o.runs {
		if !a.ok() {
			return []string{"refuses what this version runs"}
		}
		return nil
	}
	if a.ok() {
		return []string{fmt.Sprintf("runs what this version refuses with %#04x %q", o.code, o.msg)}
	}
	var d []string
	if a.code != o.code {
		d = append(d, fmt.Sprintf("error code %#04x, want %#04x", a.code, o.code))
	}
	if a.msg != o.msg && !(o.prefix && strings.HasPrefix(a.msg, o.msg)) {
		d = append(d, fmt.Sprintf("message %q, want %q", a.msg, o.msg))
	}
	return d
}
