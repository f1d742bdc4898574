package native

import (
	"context"
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datastax/go-cassandra-native-protocol/datatype"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
)

// fakeNode is a test Backend that answers what gocql asks a Cassandra 3.11
// node at connect (system.local, system.peers, the system_schema scans)
// and a user table ks.t (k int PRIMARY KEY, v text) whose SELECT returns
// "v<k>" (or the value stored by INSERT) and sleeps k milliseconds when
// slow is set.
type fakeNode struct {
	slow bool

	mu       sync.Mutex
	prepared map[string]string // id → text
	stored   map[int32]string
	seen     []string // "QUERY text", "PREPARE text", "EXECUTE text", "BATCH kinds"
	sessions map[uint64]*Session
	order    []int32 // k of user SELECTs, in the order they finished
	started  []int32 // k of user SELECTs, in the order they started
	running  int
	peak     int
}

func newFakeNode() *fakeNode {
	return &fakeNode{prepared: map[string]string{}, stored: map[int32]string{}, sessions: map[uint64]*Session{}}
}

func (n *fakeNode) note(s *Session, what string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.seen = append(n.seen, what)
	n.sessions[s.ID()] = s
}

func (n *fakeNode) saw(prefix string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := 0
	for _, s := range n.seen {
		if strings.HasPrefix(s, prefix) {
			c++
		}
	}
	return c
}

func norm(q string) string { return strings.Join(strings.Fields(q), " ") }

func (n *fakeNode) Query(ctx context.Context, s *Session, q *message.Query) Response {
	text := norm(q.Query)
	n.note(s, "QUERY "+text)
	return n.run(ctx, text, q.Options.PositionalValues)
}

func (n *fakeNode) Prepare(_ context.Context, s *Session, p *message.Prepare) Response {
	text := norm(p.Query)
	n.note(s, "PREPARE "+text)
	sum := md5.Sum([]byte(s.Keyspace() + p.Query))
	n.mu.Lock()
	n.prepared[string(sum[:])] = text
	n.mu.Unlock()
	vars := markers(text)
	res, _ := n.result(text, nil)
	rm := &message.RowsMetadata{}
	if rows, ok := res.(*message.RowsResult); ok {
		rm = &message.RowsMetadata{ColumnCount: rows.Metadata.ColumnCount, Columns: rows.Metadata.Columns}
	}
	var pk []uint16
	if len(vars) > 0 && vars[0].Name == "k" {
		pk = []uint16{0}
	}
	return Reply(&message.PreparedResult{PreparedQueryId: sum[:], VariablesMetadata: &message.VariablesMetadata{PkIndices: pk, Columns: vars}, ResultMetadata: rm})
}

func (n *fakeNode) Execute(ctx context.Context, s *Session, e *message.Execute) Response {
	n.mu.Lock()
	text, ok := n.prepared[string(e.QueryId)]
	n.mu.Unlock()
	if !ok {
		return Reply(&message.Unprepared{ErrorMessage: fmt.Sprintf("Prepared query with ID %x not found", e.QueryId), Id: e.QueryId})
	}
	if e.Options.PageSize == 0 {
		return Reply(&message.ProtocolError{ErrorMessage: MsgPageSizeZero})
	}
	n.note(s, "EXECUTE "+text)
	return n.run(ctx, text, e.Options.PositionalValues)
}

func (n *fakeNode) Batch(ctx context.Context, s *Session, b *message.Batch) Response {
	kinds := ""
	for _, c := range b.Children {
		text := c.Query
		if c.Id != nil {
			kinds += "1"
			n.mu.Lock()
			text = n.prepared[string(c.Id)]
			n.mu.Unlock()
		} else {
			kinds += "0"
		}
		n.run(ctx, norm(text), c.Values)
	}
	n.note(s, "BATCH "+kinds)
	return Response{Message: &message.VoidResult{}, Warnings: []string{"batch warning"}}
}

func (n *fakeNode) run(ctx context.Context, text string, values []*primitive.Value) Response {
	m, k := n.result(text, values)
	if k < 0 {
		return Reply(m)
	}
	n.mu.Lock()
	n.started = append(n.started, k)
	n.running++
	n.peak = max(n.peak, n.running)
	n.mu.Unlock()
	if n.slow {
		select {
		case <-time.After(time.Duration(k) * time.Millisecond):
		case <-ctx.Done():
		}
	}
	n.mu.Lock()
	n.running--
	n.order = append(n.order, k)
	n.mu.Unlock()
	return Reply(m)
}

var (
	localCols = []struct {
		name string
		typ  datatype.DataType
	}{
		{"key", datatype.Varchar}, {"bootstrapped", datatype.Varchar}, {"broadcast_address", datatype.Inet},
		{"cluster_name", datatype.Varchar}, {"cql_version", datatype.Varchar}, {"data_center", datatype.Varchar},
		{"gossip_generation", datatype.Int}, {"host_id", datatype.Uuid}, {"listen_address", datatype.Inet},
		{"native_protocol_version", datatype.Varchar}, {"partitioner", datatype.Varchar}, {"rack", datatype.Varchar},
		{"release_version", datatype.Varchar}, {"rpc_address", datatype.Inet}, {"schema_version", datatype.Uuid},
		{"thrift_version", datatype.Varchar}, {"tokens", datatype.NewSet(datatype.Varchar)},
		{"truncated_at", datatype.NewMap(datatype.Uuid, datatype.Blob)},
	}
	peerCols = []string{"peer", "data_center", "host_id", "preferred_ip", "rack", "release_version", "rpc_address", "schema_version", "tokens"}
	hostID   = []byte{0x1b, 0x4e, 0x28, 0xba, 0x2f, 0xa1, 0x41, 0xd2, 0x88, 0x3f, 0x00, 0x16, 0xd3, 0xcc, 0xa4, 0x27}
	schemaID = []byte{0x59, 0xad, 0xb2, 0x4e, 0xf3, 0xcd, 0x30, 0x53, 0x80, 0x27, 0xf2, 0x6a, 0x2a, 0x5a, 0xa9, 0x9b}
)

func col(ks, table, name string, t datatype.DataType) *message.ColumnMetadata {
	return &message.ColumnMetadata{Keyspace: ks, Table: table, Name: name, Type: t}
}

func rowsOf(cols []*message.ColumnMetadata, data message.RowSet) *message.RowsResult {
	return &message.RowsResult{Metadata: &message.RowsMetadata{ColumnCount: int32(len(cols)), Columns: cols}, Data: data}
}

func localValue(name string) []byte {
	switch name {
	case "key":
		return []byte("local")
	case "bootstrapped":
		return []byte("COMPLETED")
	case "broadcast_address", "listen_address", "rpc_address":
		return []byte{127, 0, 0, 1}
	case "cluster_name":
		return []byte("Test Cluster")
	case "cql_version":
		return []byte("3.4.4")
	case "data_center":
		return []byte("datacenter1")
	case "gossip_generation":
		return binary.BigEndian.AppendUint32(nil, 1700000000)
	case "host_id":
		return hostID
	case "native_protocol_version":
		return []byte("4")
	case "partitioner":
		return []byte("org.apache.cassandra.dht.Murmur3Partitioner")
	case "rack":
		return []byte("rack1")
	case "release_version":
		return []byte("3.11.11")
	case "schema_version":
		return schemaID
	case "thrift_version":
		return []byte("20.1.0")
	case "tokens":
		tok := []byte("-3074457345618258603")
		b := binary.BigEndian.AppendUint32(nil, 1)
		b = binary.BigEndian.AppendUint32(b, uint32(len(tok)))
		return append(b, tok...)
	}
	return nil
}

// schemaType guesses a system_schema column's type from its name; results
// are empty, so only the shape matters.
func schemaType(name string) datatype.DataType {
	switch name {
	case "durable_writes", "called_on_null_input":
		return datatype.Boolean
	case "replication":
		return datatype.NewMap(datatype.Varchar, datatype.Varchar)
	case "position":
		return datatype.Int
	case "argument_types", "argument_names", "field_names", "field_types":
		return datatype.NewList(datatype.Varchar)
	}
	return datatype.Varchar
}

// projection returns the selected column names of a SELECT.
func projection(text string) []string {
	from := strings.Index(text, " FROM ")
	sel := strings.TrimPrefix(text[:from], "SELECT ")
	if sel == "*" {
		return []string{"keyspace_name"}
	}
	var names []string
	for _, n := range strings.Split(sel, ",") {
		names = append(names, strings.TrimSpace(n))
	}
	return names
}

// markers returns the bind variables of the statements the tests use.
func markers(text string) []*message.ColumnMetadata {
	switch {
	case strings.HasPrefix(text, "SELECT v FROM ks.t WHERE k = ?"):
		return []*message.ColumnMetadata{col("ks", "t", "k", datatype.Int)}
	case text == "INSERT INTO ks.t (k, v) VALUES (?, ?)":
		return []*message.ColumnMetadata{col("ks", "t", "k", datatype.Int), col("ks", "t", "v", datatype.Varchar)}
	}
	return nil
}

// result answers a statement; k is the user SELECT's key, -1 for others.
func (n *fakeNode) result(text string, values []*primitive.Value) (message.Message, int32) {
	switch {
	case text == "SELECT * FROM system.local WHERE key='local'":
		var cols []*message.ColumnMetadata
		var row message.Row
		for _, c := range localCols {
			cols = append(cols, col("system", "local", c.name, c.typ))
			row = append(row, localValue(c.name))
		}
		return rowsOf(cols, message.RowSet{row}), -1
	case text == "SELECT schema_version FROM system.local WHERE key='local'":
		return rowsOf([]*message.ColumnMetadata{col("system", "local", "schema_version", datatype.Uuid)}, message.RowSet{{schemaID}}), -1
	case text == "SELECT * FROM system.peers":
		var cols []*message.ColumnMetadata
		for _, c := range peerCols {
			cols = append(cols, col("system", "peers", c, datatype.Varchar))
		}
		return rowsOf(cols, nil), -1
	case strings.HasPrefix(text, "SELECT ") && strings.Contains(text, " FROM system.peers_v2"):
		return &message.Invalid{ErrorMessage: "unconfigured table peers_v2"}, -1
	case strings.HasPrefix(text, "SELECT ") && strings.Contains(text, " FROM system_schema."):
		table := strings.Fields(text[strings.Index(text, " FROM system_schema.")+len(" FROM system_schema."):])[0]
		var cols []*message.ColumnMetadata
		for _, name := range projection(text) {
			cols = append(cols, col("system_schema", table, name, schemaType(name)))
		}
		return rowsOf(cols, nil), -1
	case strings.HasPrefix(text, "SELECT v FROM ks.t WHERE k = ?"):
		cols := []*message.ColumnMetadata{col("ks", "t", "v", datatype.Varchar)}
		if len(values) != 1 {
			return rowsOf(cols, nil), -1
		}
		k := int32(binary.BigEndian.Uint32(values[0].Contents))
		n.mu.Lock()
		v, ok := n.stored[k]
		n.mu.Unlock()
		if !ok {
			v = fmt.Sprint("v", k)
		}
		return rowsOf(cols, message.RowSet{{[]byte(v)}}), k
	case text == "INSERT INTO ks.t (k, v) VALUES (?, ?)":
		if len(values) == 2 {
			n.mu.Lock()
			n.stored[int32(binary.BigEndian.Uint32(values[0].Contents))] = string(values[1].Contents)
			n.mu.Unlock()
		}
		return &message.VoidResult{}, -1
	case strings.HasPrefix(text, "INSERT INTO ks.t"), strings.HasPrefix(text, "TRUNCATE"):
		return &message.VoidResult{}, -1
	case text == `USE "ks"`, text == "USE ks":
		return &message.SetKeyspaceResult{Keyspace: "ks"}, -1
	}
	return &message.SyntaxError{ErrorMessage: "line 1:0 no viable alternative at input '" + text + "'"}, -1
}

// sniffListener records the first byte (the protocol version) of every
// connection it accepts.
type sniffListener struct {
	net.Listener
	mu       sync.Mutex
	versions []byte
}

func (l *sniffListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &sniffConn{Conn: c, l: l}, nil
}

func (l *sniffListener) firstBytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]byte(nil), l.versions...)
}

type sniffConn struct {
	net.Conn
	l    *sniffListener
	once sync.Once
}

func (c *sniffConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.once.Do(func() {
			c.l.mu.Lock()
			c.l.versions = append(c.l.versions, p[0])
			c.l.mu.Unlock()
		})
	}
	return n, err
}

// serveNode serves a fakeNode on a loopback port.
func serveNode(t testing.TB, cfg Config) (*Server, *fakeNode, *sniffListener, int) {
	t.Helper()
	node := newFakeNode()
	if cfg.Backend == nil {
		cfg.Backend = node
	}
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sl := &sniffListener{Listener: listenLoopback(t)}
	serveOn(t, srv, sl)
	return srv, node, sl, sl.Addr().(*net.TCPAddr).Port
}
