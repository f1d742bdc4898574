package cqlexec

import (
	"context"
	"encoding/hex"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/datastax/go-cassandra-native-protocol/primitive"
	"github.com/google/uuid"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
	"github.com/cassa-go/cassa/server/internal/native"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
)

// testNode is a Node over a real schema and store, without a commit log.
type testNode struct {
	ddl    sync.RWMutex
	schema *schema.Schema
	store  *store.Store
	part   partitioner.Partitioner
	info   NodeInfo
}

func newTestNode() *testNode {
	p := partitioner.Murmur3Partitioner{}
	n := &testNode{part: p, store: store.New(p, store.Options{}),
		info: NodeInfo{ClusterName: "Test Cluster", Tokens: []string{"0"}, HostID: uuid.New(),
			Address: net.IPv4(127, 0, 0, 1), Started: time.Now()}}
	n.schema = schema.New(schema.Options{Apply: func(ch *schema.Change) error {
		for _, t := range ch.Dropped {
			n.store.DropTable(t)
		}
		for _, t := range ch.Created {
			n.store.CreateTable(t)
		}
		for _, u := range ch.Updated {
			n.store.UpdateTable(u.Old, u.New)
		}
		return nil
	}})
	return n
}

func (n *testNode) Catalog() *schema.Catalog             { return n.schema.Current() }
func (n *testNode) Store() *store.Store                  { return n.store }
func (n *testNode) Partitioner() partitioner.Partitioner { return n.part }
func (n *testNode) Now() time.Time                       { return time.Now() }
func (n *testNode) Info() NodeInfo                       { return n.info }
func (n *testNode) ReadLock() func()                     { n.ddl.RLock(); return n.ddl.RUnlock }
func (n *testNode) Write(muts []store.RowMutation) error { return n.store.Apply(muts...) }
func (n *testNode) Truncate(t *schema.Table) error       { return n.store.Truncate(t) }
func (n *testNode) ChangeSchema(op *schema.Op) (*schema.Change, error) {
	n.ddl.Lock()
	defer n.ddl.Unlock()
	op.Fill(time.Now().UnixMicro(), nil)
	return n.schema.Apply(*op)
}

// standIn is a stand-in for the data statement engine, for these tests
// only (package cqlquery is the real one): the interim engine for the
// system tables, and for user tables SELECT * ... WHERE k = ? and INSERT
// INTO t (cols) VALUES (?, ...) over a map, enough to see what the
// executor does around data statements.
type standIn struct {
	interim  *interimEngine
	mu       sync.Mutex
	rows     map[string]map[string]value // "ks.t/k" -> column -> value
	prepares int
	lastOpts dataOptions
	batches  []primitive.BatchType
}

func (s *standIn) prepare(keyspace string, p *cqlparse.Parsed) (dataStatement, error) {
	s.mu.Lock()
	s.prepares++
	s.mu.Unlock()
	var name cqlparse.QualifiedName
	switch st := p.Statement.(type) {
	case *cqlparse.SelectStmt:
		name = st.Table
	case *cqlparse.InsertStmt:
		name = st.Table
	default:
		return nil, invalidf("stand-in: unsupported %s", p.Statement)
	}
	ks, err := qualify(name, keyspace)
	if err != nil {
		return nil, err
	}
	t, err := s.interim.node.Catalog().Lookup(ks, name.Name.Name)
	if err != nil {
		return nil, err
	}
	if t.Virtual {
		return s.interim.prepare(keyspace, p)
	}
	st := &standInStmt{s: s, t: t, bind: make([]column, len(p.Markers))}
	switch x := p.Statement.(type) {
	case *cqlparse.SelectStmt:
		for _, c := range t.AllColumns() {
			st.result = append(st.result, column{t.Keyspace, t.Name, c.Name, c.Type})
		}
		st.bind[0] = column{t.Keyspace, t.Name, t.PartitionKey[0].Name, t.PartitionKey[0].Type}
		st.pk = []uint16{0}
	case *cqlparse.InsertStmt:
		for i, c := range x.Columns {
			cd := t.ColumnDef(c.Name)
			st.bind[i] = column{t.Keyspace, t.Name, cd.Name, cd.Type}
			st.cols = append(st.cols, cd.Name)
		}
		st.insert = true
	}
	return st, nil
}

func (s *standIn) executeBatch(ctx context.Context, kind primitive.BatchType, items []batchItem, o dataOptions) (*dataResult, error) {
	s.mu.Lock()
	s.batches = append(s.batches, kind)
	s.mu.Unlock()
	for _, it := range items {
		o.Values = it.Values
		if _, err := it.Statement.execute(ctx, o); err != nil {
			return nil, err
		}
	}
	return &dataResult{}, nil
}

// opts returns the options of the last statement executed.
func (s *standIn) opts() dataOptions {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastOpts
}

type standInStmt struct {
	s      *standIn
	t      *schema.Table
	insert bool
	cols   []string
	bind   []column
	pk     []uint16
	result []column
}

func (st *standInStmt) boundColumns() []column  { return st.bind }
func (st *standInStmt) pkIndexes() []uint16     { return st.pk }
func (st *standInStmt) resultColumns() []column { return st.result }

func (st *standInStmt) execute(_ context.Context, o dataOptions) (*dataResult, error) {
	s := st.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastOpts = o
	prefix := st.t.Keyspace + "." + st.t.Name + "/"
	if st.insert {
		row := map[string]value{}
		for i, c := range st.cols {
			row[c] = o.Values[i]
		}
		s.rows[prefix+hex.EncodeToString(o.Values[0].Bytes)] = row
		return &dataResult{}, nil
	}
	res := &dataResult{Columns: st.result, Rows: [][][]byte{}}
	if row, ok := s.rows[prefix+hex.EncodeToString(o.Values[0].Bytes)]; ok {
		out := make([][]byte, len(st.result))
		for i, c := range st.result {
			out[i] = row[c.Name].Bytes
		}
		res.Rows = append(res.Rows, out)
	}
	return res, nil
}

// harness serves an Executor over a testNode on a loopback port.
type harness struct {
	node *testNode
	exec *Executor
	data *standIn
	addr string
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{node: newTestNode()}
	var srv *native.Server
	exec, err := New(Config{Node: h.node, Publish: func(ev message.Event) { srv.Publish(ev) }})
	if err != nil {
		t.Fatal(err)
	}
	h.exec = exec
	h.data = &standIn{interim: exec.data.(*interimEngine), rows: map[string]map[string]value{}}
	exec.data = h.data
	if srv, err = native.NewServer(native.Config{Backend: exec}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.addr = ln.Addr().String()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() { defer wg.Done(); _ = srv.Serve(context.Background(), nc) }()
		}
	}()
	t.Cleanup(func() { ln.Close(); srv.Close(); wg.Wait() })
	return h
}

// session opens a gocql session with the default settings.
func (h *harness) session(t testing.TB) *gocql.Session {
	t.Helper()
	host, port, _ := net.SplitHostPort(h.addr)
	c := gocql.NewCluster(host)
	c.Port, _ = strconv.Atoi(port)
	c.Timeout, c.ConnectTimeout = 10*time.Second, 10*time.Second
	s, err := c.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}
