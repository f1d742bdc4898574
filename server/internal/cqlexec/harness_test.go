package cqlexec

import (
	"context"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"github.com/datastax/go-cassandra-native-protocol/message"
	"github.com/google/uuid"

	"github.com/cassa-go/cassa/partitioner"
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
func (n *testNode) CAS(t *schema.Table, key []byte, fn func(*store.Partition) ([]store.Op, error)) error {
	return n.store.ReadModifyWrite(t, key, fn, nil)
}
func (n *testNode) ChangeSchema(op *schema.Op) (*schema.Change, error) {
	n.ddl.Lock()
	defer n.ddl.Unlock()
	op.Fill(time.Now().UnixMicro(), nil)
	return n.schema.Apply(*op)
}

// harness serves an Executor over a testNode on a loopback port.
type harness struct {
	node *testNode
	exec *Executor
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
