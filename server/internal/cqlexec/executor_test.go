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

// A prepared statement whose table changed is evicted; gocql's next
// EXECUTE gets Unprepared, prepares again and sees the new result columns
// (QueryProcessor's removeInvalidPreparedStatements; gocql's
// executeQuery re-prepares on ErrCodeUnprepared).
func TestChangedTablePreparesAgain(t *testing.T) {
	h := newHarness(t)
	s := h.session(t)
	for _, q := range []string{
		"CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE ks.t (k int PRIMARY KEY, v text)",
	} {
		if err := s.Query(q).Exec(); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Query("INSERT INTO ks.t (k, v) VALUES (?, ?)", 1, "a").Exec(); err != nil {
		t.Fatal(err)
	}
	row := map[string]any{}
	if err := s.Query("SELECT * FROM ks.t WHERE k = ?", 1).MapScan(row); err != nil || row["v"] != "a" || len(row) != 2 {
		t.Fatalf("before: %v %v", row, err)
	}
	h.data.mu.Lock()
	before := h.data.prepares
	h.data.mu.Unlock()
	if err := s.Query("ALTER TABLE ks.t ADD w int").Exec(); err != nil {
		t.Fatal(err)
	}
	row = map[string]any{}
	if err := s.Query("SELECT * FROM ks.t WHERE k = ?", 1).MapScan(row); err != nil || len(row) != 3 {
		t.Fatalf("after: %v %v", row, err)
	}
	h.data.mu.Lock()
	after := h.data.prepares
	h.data.mu.Unlock()
	if after <= before {
		t.Errorf("the statement was not prepared again (%d prepares before, %d after)", before, after)
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
// checked as BatchMessage.execute checks them.
func TestBatchMessage(t *testing.T) {
	h := newHarness(t)
	c := dialRaw(t, h.addr)
	c.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	c.query("CREATE TABLE ks.t (k int PRIMARY KEY, v text)")
	prep, ok := c.send(&message.Prepare{Query: "INSERT INTO ks.t (k, v) VALUES (?, ?)"}).(*message.PreparedResult)
	if !ok {
		t.Fatal("prepare failed")
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
	h.data.mu.Lock()
	if len(h.data.rows) != 2 || len(h.data.batches) != 1 || h.data.batches[0] != primitive.BatchTypeUnlogged {
		t.Errorf("rows %v batches %v", h.data.rows, h.data.batches)
	}
	h.data.mu.Unlock()
	bogus := md5.Sum([]byte("nope"))
	cases := []struct {
		children []*message.BatchChild
		want     message.Message
	}{
		{[]*message.BatchChild{{Id: bogus[:]}}, &message.Unprepared{}},
		{[]*message.BatchChild{{Id: prep.PreparedQueryId, Values: vals(one)}},
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

// The options of a request reach the data statement as 3.11's
// QueryOptions mean them: unset apart from null, the default timestamp,
// the serial consistency (SERIAL when absent) and the page size (-1 when
// absent).
func TestOptionsReachTheStatement(t *testing.T) {
	h := newHarness(t)
	c := dialRaw(t, h.addr)
	c.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	c.query("CREATE TABLE ks.t (k int PRIMARY KEY, v text)")
	prep := c.send(&message.Prepare{Query: "INSERT INTO ks.t (k, v) VALUES (?, ?)"}).(*message.PreparedResult)
	ts := int64(1234567)
	local := primitive.ConsistencyLevelLocalSerial
	m := c.send(&message.Execute{QueryId: prep.PreparedQueryId, Options: &message.QueryOptions{
		Consistency: primitive.ConsistencyLevelQuorum, DefaultTimestamp: &ts, SerialConsistency: &local, PageSize: 100,
		PositionalValues: []*primitive.Value{primitive.NewValue([]byte{0, 0, 0, 1}), {Type: primitive.ValueTypeUnset}}}})
	if _, ok := m.(*message.VoidResult); !ok {
		t.Fatal(m)
	}
	o := h.data.opts()
	if !o.Values[1].Unset || o.Values[0].Unset || !o.HasTimestamp || o.Timestamp != ts ||
		o.SerialConsistency != uint16(local) || o.Consistency != uint16(primitive.ConsistencyLevelQuorum) || o.PageSize != 100 || o.ProtocolVersion != 4 {
		t.Errorf("options %+v", o)
	}
	c.send(&message.Execute{QueryId: prep.PreparedQueryId, Options: &message.QueryOptions{
		PositionalValues: []*primitive.Value{primitive.NewValue([]byte{0, 0, 0, 1}), {Type: primitive.ValueTypeNull}}}})
	o = h.data.opts()
	if o.Values[1].Bytes != nil || o.Values[1].Unset || o.HasTimestamp || o.PageSize != -1 || o.SerialConsistency != uint16(primitive.ConsistencyLevelSerial) {
		t.Errorf("defaults %+v", o)
	}
	// Named values, in any order, are matched to the bind variables' names.
	c.send(&message.Execute{QueryId: prep.PreparedQueryId, Options: &message.QueryOptions{
		NamedValues: map[string]*primitive.Value{"v": primitive.NewValue([]byte("x")), "k": primitive.NewValue([]byte{0, 0, 0, 9})}}})
	o = h.data.opts()
	if string(o.Values[0].Bytes) != "\x00\x00\x00\x09" || string(o.Values[1].Bytes) != "x" {
		t.Errorf("named values %+v", o.Values)
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
