package cqlexec

import (
	"crypto/md5"
	"net"
	"testing"
	"time"

	"github.com/datastax/go-cassandra-native-protocol/frame"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// A prepared statement is evicted when its table changes in a way that
// affects statements (QueryProcessor's removeInvalidPreparedStatements on
// CFMetaData.apply's answer: columns or indexes changed, or the table
// dropped); its next EXECUTE answers Unprepared and a new PREPARE gives
// the new metadata. A change of the table's options keeps it.
func TestChangedTableUnprepares(t *testing.T) {
	h := newHarness(t)
	c := dialRaw(t, h.addr)
	c.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	c.query("CREATE TABLE ks.t (k int PRIMARY KEY, v text)")
	c.query("INSERT INTO ks.t (k, v) VALUES (1, 'a')")
	const q = "SELECT * FROM ks.t WHERE k = ?"
	prepare := func() *message.PreparedResult {
		t.Helper()
		p, ok := c.send(&message.Prepare{Query: q}).(*message.PreparedResult)
		if !ok {
			t.Fatal("prepare failed")
		}
		return p
	}
	exec := func(id []byte) message.Message {
		return c.send(&message.Execute{QueryId: id, Options: &message.QueryOptions{
			Consistency: primitive.ConsistencyLevelOne, PositionalValues: vals([]byte{0, 0, 0, 1})}})
	}
	p := prepare()
	if n := p.ResultMetadata.ColumnCount; n != 2 {
		t.Fatalf("%d result columns", n)
	}
	if _, ok := c.query("ALTER TABLE ks.t WITH comment = 'options only'").(*message.SchemaChangeResult); !ok {
		t.Fatal("ALTER WITH failed")
	}
	if m, ok := exec(p.PreparedQueryId).(*message.RowsResult); !ok || len(m.Data) != 1 || len(m.Data[0]) != 2 {
		t.Fatalf("after an options change: %v", m)
	}
	for _, change := range []string{
		"ALTER TABLE ks.t ADD w int",
		"CREATE INDEX ON ks.t (v)",
		"DROP TABLE ks.t",
	} {
		if _, ok := c.query(change).(*message.SchemaChangeResult); !ok {
			t.Fatalf("%s failed", change)
		}
		if change == "DROP TABLE ks.t" {
			c.query("CREATE TABLE ks.t (k int PRIMARY KEY, v text, w int)")
			c.query("INSERT INTO ks.t (k, v) VALUES (1, 'a')")
		}
		if m, ok := exec(p.PreparedQueryId).(*message.Unprepared); !ok || string(m.Id) != string(p.PreparedQueryId) {
			t.Fatalf("after %s: %v", change, m)
		}
		p = prepare()
		if n := p.ResultMetadata.ColumnCount; n != 3 {
			t.Errorf("after %s: prepared again with %d result columns", change, n)
		}
		if m, ok := exec(p.PreparedQueryId).(*message.RowsResult); !ok || len(m.Data) != 1 || len(m.Data[0]) != 3 {
			t.Errorf("after %s: %v", change, m)
		}
	}

	// gocql answers Unprepared by preparing again and sees the new columns.
	s := h.session(t)
	row := map[string]any{}
	if err := s.Query(q, 1).MapScan(row); err != nil || row["v"] != "a" || len(row) != 3 {
		t.Fatalf("before: %v %v", row, err)
	}
	if err := s.Query("ALTER TABLE ks.t ADD x int").Exec(); err != nil {
		t.Fatal(err)
	}
	row = map[string]any{}
	if err := s.Query(q, 1).MapScan(row); err != nil || len(row) != 4 {
		t.Fatalf("after: %v %v", row, err)
	}
}

// rawClient speaks protocol v4 one request at a time.
type rawClient struct {
	t     *testing.T
	nc    net.Conn
	codec frame.Codec
}

func dialRaw(t *testing.T, addr string) *rawClient {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	c := &rawClient{t: t, nc: nc, codec: frame.NewCodec()}
	if m := c.send(&message.Startup{Options: map[string]string{"CQL_VERSION": "3.0.0"}}); m.GetOpCode() != primitive.OpCodeReady {
		t.Fatal(m)
	}
	return c
}

func (c *rawClient) send(m message.Message) message.Message {
	c.t.Helper()
	c.nc.SetDeadline(time.Now().Add(10 * time.Second))
	if err := c.codec.EncodeFrame(frame.NewFrame(primitive.ProtocolVersion4, 1, m), c.nc); err != nil {
		c.t.Fatal(err)
	}
	for {
		f, err := c.codec.DecodeFrame(c.nc)
		if err != nil {
			c.t.Fatal(err)
		}
		if f.Header.StreamId == 1 {
			return f.Body.Message
		}
	}
}

func (c *rawClient) query(q string) message.Message {
	return c.send(&message.Query{Query: q, Options: &message.QueryOptions{Consistency: primitive.ConsistencyLevelOne}})
}

func vals(vs ...[]byte) []*primitive.Value {
	out := make([]*primitive.Value, len(vs))
	for i, v := range vs {
		out[i] = primitive.NewValue(v)
	}
	return out
}

// The BATCH message: statements by text or ID, each with its values,
// checked as BatchMessage.execute checks them, run as one batch.
func TestBatchMessage(t *testing.T) {
	h := newHarness(t)
	c := dialRaw(t, h.addr)
	c.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	c.query("CREATE TABLE ks.t (k int PRIMARY KEY, v text)")
	prep, ok := c.send(&message.Prepare{Query: "INSERT INTO ks.t (k, v) VALUES (?, ?)"}).(*message.PreparedResult)
	if !ok {
		t.Fatal("prepare failed")
	}
	if pk := prep.VariablesMetadata.PkIndices; len(pk) != 1 || pk[0] != 0 {
		t.Errorf("pk indexes %v", pk)
	}
	one, two := []byte{0, 0, 0, 1}, []byte{0, 0, 0, 2}
	batch := func(children ...*message.BatchChild) message.Message {
		return c.send(&message.Batch{Type: primitive.BatchTypeUnlogged, Children: children, Consistency: primitive.ConsistencyLevelOne})
	}
	m := batch(&message.BatchChild{Query: "INSERT INTO ks.t (k, v) VALUES (?, ?)", Values: vals(one, []byte("a"))},
		&message.BatchChild{Id: prep.PreparedQueryId, Values: vals(two, []byte("b"))})
	if _, ok := m.(*message.VoidResult); !ok {
		t.Fatalf("batch: %v", m)
	}
	if rows, ok := c.query("SELECT k, v FROM ks.t").(*message.RowsResult); !ok || len(rows.Data) != 2 {
		t.Errorf("rows after the batch: %v", rows)
	}
	bogus := md5.Sum([]byte("nope"))
	cases := []struct {
		children []*message.BatchChild
		want     message.Message
	}{
		{[]*message.BatchChild{{Id: bogus[:]}}, &message.Unprepared{}},
		{[]*message.BatchChild{{Id: prep.PreparedQueryId, Values: vals(one)}},
			&message.Invalid{ErrorMessage: "There were 2 markers(?) in CQL but 1 bound variables"}},
		// The count is checked statement by statement, before the next
		// one is looked up.
		{[]*message.BatchChild{{Id: prep.PreparedQueryId, Values: vals(one)}, {Id: bogus[:]}},
			&message.Invalid{ErrorMessage: "There were 2 markers(?) in CQL but 1 bound variables"}},
		{[]*message.BatchChild{{Query: "SELECT * FROM ks.t WHERE k = ?", Values: vals(one)}},
			&message.Invalid{ErrorMessage: "Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed."}},
		{[]*message.BatchChild{{Query: "DROP TABLE ks.t"}},
			&message.Invalid{ErrorMessage: "Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed."}},
		{[]*message.BatchChild{{Query: "INSERT INTO ks.nope (k) VALUES (1)"}},
			&message.Invalid{ErrorMessage: "unconfigured table nope"}},
		{[]*message.BatchChild{{Query: "INSERT INTO"}}, &message.SyntaxError{}},
	}
	for i, tc := range cases {
		got := batch(tc.children...)
		switch w := tc.want.(type) {
		case *message.Unprepared:
			if u, ok := got.(*message.Unprepared); !ok || string(u.Id) != string(bogus[:]) {
				t.Errorf("case %d: %v", i, got)
			}
		case *message.Invalid:
			if e, ok := got.(*message.Invalid); !ok || e.ErrorMessage != w.ErrorMessage {
				t.Errorf("case %d: %v", i, got)
			}
		case *message.SyntaxError:
			if _, ok := got.(*message.SyntaxError); !ok {
				t.Errorf("case %d: %v", i, got)
			}
		}
	}
}

// The options of a request reach the statement as 3.11's QueryOptions
// mean them: unset apart from null, the default timestamp, the page size
// (none when absent), named values, and the consistency level.
func TestRequestOptions(t *testing.T) {
	h := newHarness(t)
	c := dialRaw(t, h.addr)
	c.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	c.query("CREATE KEYSPACE ks3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")
	c.query("CREATE TABLE ks.t (k int PRIMARY KEY, v text, w text)")
	c.query("CREATE TABLE ks3.t (k int PRIMARY KEY, v text)")
	prep := c.send(&message.Prepare{Query: "INSERT INTO ks.t (k, v, w) VALUES (?, ?, ?)"}).(*message.PreparedResult)
	k1 := primitive.NewValue([]byte{0, 0, 0, 1})
	exec := func(o *message.QueryOptions) message.Message {
		t.Helper()
		return c.send(&message.Execute{QueryId: prep.PreparedQueryId, Options: o})
	}
	row := func() [][]byte {
		t.Helper()
		m, ok := c.query("SELECT v, w, writetime(v) FROM ks.t WHERE k = 1").(*message.RowsResult)
		if !ok || len(m.Data) != 1 {
			t.Fatalf("read: %v", m)
		}
		return m.Data[0]
	}
	ts := int64(1234567)
	local := primitive.ConsistencyLevelLocalSerial
	m := exec(&message.QueryOptions{Consistency: primitive.ConsistencyLevelQuorum, DefaultTimestamp: &ts, SerialConsistency: &local,
		PageSize: 100, PositionalValues: []*primitive.Value{k1, primitive.NewValue([]byte("a")), primitive.NewValue([]byte("b"))}})
	if _, ok := m.(*message.VoidResult); !ok {
		t.Fatal(m)
	}
	if r := row(); string(r[0]) != "a" || string(r[1]) != "b" || string(r[2]) != "\x00\x00\x00\x00\x00\x12\xd6\x87" {
		t.Errorf("default timestamp: %q", r)
	}
	// Unset leaves w alone; null deletes v.
	exec(&message.QueryOptions{Consistency: primitive.ConsistencyLevelOne,
		PositionalValues: []*primitive.Value{k1, {Type: primitive.ValueTypeNull}, {Type: primitive.ValueTypeUnset}}})
	if r := row(); r[0] != nil || string(r[1]) != "b" {
		t.Errorf("null and unset: %q", r)
	}
	// Named values, in any order, are matched to the bind variables' names.
	exec(&message.QueryOptions{Consistency: primitive.ConsistencyLevelOne, NamedValues: map[string]*primitive.Value{
		"w": primitive.NewValue([]byte("y")), "v": primitive.NewValue([]byte("x")), "k": k1}})
	if r := row(); string(r[0]) != "x" || string(r[1]) != "y" {
		t.Errorf("named values: %q", r)
	}
	// The page size pages a read; without one every row comes at once.
	for k := 2; k <= 5; k++ {
		c.query("INSERT INTO ks.t (k, v) VALUES (" + string(rune('0'+k)) + ", 'p')")
	}
	paged := c.send(&message.Query{Query: "SELECT k FROM ks.t", Options: &message.QueryOptions{
		Consistency: primitive.ConsistencyLevelOne, PageSize: 2}}).(*message.RowsResult)
	if len(paged.Data) != 2 || paged.Metadata.PagingState == nil {
		t.Errorf("page size 2: %d rows, state %x", len(paged.Data), paged.Metadata.PagingState)
	}
	all := c.query("SELECT k FROM ks.t").(*message.RowsResult)
	if len(all.Data) != 5 || all.Metadata.PagingState != nil {
		t.Errorf("no page size: %d rows, state %x", len(all.Data), all.Metadata.PagingState)
	}
	// QUORUM of three replicas on one node: Unavailable with its body
	// (ConsistencyLevel.assureSufficientLiveNodes).
	m = c.send(&message.Query{Query: "INSERT INTO ks3.t (k, v) VALUES (1, 'a')", Options: &message.QueryOptions{
		Consistency: primitive.ConsistencyLevelQuorum}})
	if u, ok := m.(*message.Unavailable); !ok || u.Consistency != primitive.ConsistencyLevelQuorum || u.Required != 2 || u.Alive != 1 ||
		u.ErrorMessage != "Cannot achieve consistency level QUORUM" {
		t.Errorf("unavailable: %#v", m)
	}
}

// The cache keeps the most recently used statements within its budget.
func TestPreparedCacheBudget(t *testing.T) {
	p := func(q string) *prepared { return &prepared{query: q} }
	w := p("x").weight()
	c := newPreparedCache(2*w + w/2)
	ids := [][16]byte{md5.Sum([]byte("a")), md5.Sum([]byte("b")), md5.Sum([]byte("c"))}
	c.put(ids[0], p("x"))
	c.put(ids[1], p("x"))
	c.get(ids[0][:]) // a is now the most recent
	c.put(ids[2], p("x"))
	if c.get(ids[1][:]) != nil || c.get(ids[0][:]) == nil || c.get(ids[2][:]) == nil || c.len() != 2 {
		t.Errorf("eviction kept the wrong entries (len %d)", c.len())
	}
	big := p(string(make([]byte, 10*w)))
	c.put(ids[1], big) // over budget alone: kept, everything else goes
	if c.get(ids[1][:]) != big || c.len() != 1 {
		t.Errorf("oversized entry: len %d", c.len())
	}
	if c.get([]byte{1, 2}) != nil {
		t.Error("short id found")
	}
}
